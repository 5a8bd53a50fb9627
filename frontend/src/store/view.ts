// View state of the designer that is not part of the flow: which cards are
// collapsed to their header, whether the row wraps into lines, edit-time
// field errors (text that is not a number), the card to jump to, the deleted
// cards' titles. Nothing here is saved with the flow or undone with it.
import { useSyncExternalStore } from 'react'
import { fieldErrorKey } from '../model/problems'

export interface ViewState {
  flow: string
  /** card ids collapsed to their header */
  collapsed: Record<string, true>
  /** the top-level row wraps into lines (Fit of a long flow) */
  wrap: boolean
  /** fieldErrorKey(card, key) → message */
  fieldErrors: Record<string, string>
  /** a jump request: the canvas centres the card and focuses the field */
  focus: { card: string; field?: string; seq: number; take: boolean; reveal?: boolean } | null
  /** titles of cards seen in this session, so a broken binding can name a deleted card */
  titles: Record<string, string>
  /** bumped by Fit: the canvas fits the whole flow */
  fitSeq: number
}

let state: ViewState = { flow: '', collapsed: {}, wrap: false, fieldErrors: {}, focus: null, titles: {}, fitSeq: 0 }
const listeners = new Set<() => void>()
// jump/reveal numbers never restart (open() clears focus): a canvas mounted before the
// flow was opened remembers the last number it saw, and a new jump must differ from it
let focusSeq = 0
function set(p: Partial<ViewState>) {
  state = { ...state, ...p }
  listeners.forEach((l) => l())
}

const KEY = (flow: string) => `flowbench.collapsed.${flow}`
const TITLES = (flow: string) => `flowbench.titles.${flow}`

function load<T>(key: string, fallback: T): T {
  try {
    return (JSON.parse(localStorage.getItem(key) ?? 'null') as T) ?? fallback
  } catch {
    return fallback // no storage (tests, private mode)
  }
}
function store(key: string, v: unknown) {
  try {
    localStorage.setItem(key, JSON.stringify(v))
  } catch {
    // private mode: keep it for this session
  }
}

export const view = {
  get: (): ViewState => state,
  subscribe(fn: () => void): () => void {
    listeners.add(fn)
    return () => listeners.delete(fn)
  },
  /** open resets the view for a flow; collapsed cards are remembered per flow on this computer. */
  open(flow: string) {
    if (state.flow === flow) return
    // collapsed cards and the titles of cards seen (deleted ones included) are kept per flow on this computer
    set({ flow, collapsed: load(KEY(flow), {}), wrap: false, fieldErrors: {}, focus: null, titles: load(TITLES(flow), {}), fitSeq: 0 })
  },
  setCollapsed(ids: string[], on: boolean) {
    const next = { ...state.collapsed }
    for (const id of ids) {
      if (on) next[id] = true
      else delete next[id]
    }
    set({ collapsed: next })
    store(KEY(state.flow), next)
  },
  toggle(id: string) {
    view.setCollapsed([id], !state.collapsed[id])
  },
  setWrap(wrap: boolean) {
    if (wrap !== state.wrap) set({ wrap })
  },
  setFieldError(card: string, key: string, msg: string) {
    const k = fieldErrorKey(card, key)
    if ((state.fieldErrors[k] ?? '') === msg) return
    const next = { ...state.fieldErrors }
    if (msg) next[k] = msg
    else delete next[k]
    set({ fieldErrors: next })
  },
  /** reveal pans just enough to show a card (a new card, the last card beside the run panel) */
  reveal(card: string) {
    set({ focus: { card, seq: ++focusSeq, take: false, reveal: true } })
  },
  fit() {
    set({ fitSeq: state.fitSeq + 1 })
  },
  /** jump centres a card (and field); take: move keyboard focus there too */
  jump(card: string, field?: string, take = true) {
    set({ focus: { card, field, seq: ++focusSeq, take } })
  },
  /** remember records card titles (called with every flow version the designer shows). */
  remember(titles: [string, string][]) {
    let changed = false
    const next = { ...state.titles }
    for (const [id, t] of titles) {
      if (next[id] !== t) {
        next[id] = t
        changed = true
      }
    }
    if (!changed) return
    set({ titles: next })
    store(TITLES(state.flow), next)
  },
}

export function useView<T>(sel: (s: ViewState) => T): T {
  return useSyncExternalStore(view.subscribe, () => sel(state))
}
