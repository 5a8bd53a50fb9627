// No edit is lost: every way out of a flow with unsaved changes — a nav
// link, the toolbar's back/History buttons, browser Back/Forward, reload or
// closing the tab (beforeunload), closing the desktop window (Wails
// OnBeforeClose) — asks Save / Discard / Cancel, and the unsaved flow is
// kept in localStorage (drafts.ts) meanwhile, so even a crash keeps it.
import { useSyncExternalStore } from 'react'
import { isDesktop } from '../api/client'
import { go, setLeaveGuard } from '../router'
import type { Flow } from '../api/types'
import { designer, flowJSON } from './designer'
import { clearDraft, saveDraft } from './drafts'

/** Where the user wanted to go: a route, or closing the desktop window. */
export type LeaveTarget = { kind: 'route'; path: string } | { kind: 'close' }

export interface GuardState {
  pending: LeaveTarget | null
  busy: boolean
  error: string
}

let state: GuardState = { pending: null, busy: false, error: '' }
const listeners = new Set<() => void>()
function set(patch: Partial<GuardState>) {
  state = { ...state, ...patch }
  for (const l of listeners) l()
}
export const guardState = (): GuardState => state
export function useGuard(): GuardState {
  return useSyncExternalStore((fn) => { listeners.add(fn); return () => listeners.delete(fn) }, () => state)
}

let saver: (() => Promise<boolean>) | null = null

/** setSaver registers the open designer's save (Designer mounts it); while
 * none is registered nothing is guarded. Returns the unregister function. */
export function setSaver(fn: () => Promise<boolean>): () => void {
  saver = fn
  report()
  return () => {
    if (saver === fn) saver = null
    report()
  }
}

/** saveOpen saves the open designer's flow the way Ctrl+S does (a conflict
 * asks with both versions); true when saved or nothing was registered. */
export async function saveOpen(): Promise<boolean> {
  return saver ? saver().catch(() => false) : true
}

/** unsaved: a designer is open on an editable flow that differs from its saved version. */
export function unsaved(): boolean {
  const s = designer.getState()
  return saver !== null && !!s.flow && !s.readOnly && designer.dirty()
}

/** requestLeave asks before leaving: true when nothing is unsaved (go on). */
export function requestLeave(target: LeaveTarget): boolean {
  if (!unsaved()) return true
  set({ pending: target, busy: false, error: '' })
  return false
}

/** resolveLeave answers the dialog. */
export async function resolveLeave(choice: 'save' | 'discard' | 'cancel'): Promise<void> {
  const p = state.pending
  if (!p || state.busy) return
  if (choice === 'cancel') {
    set({ pending: null, error: '' })
    return
  }
  if (choice === 'save') {
    set({ busy: true, error: '' })
    const ok = saver ? await saver().catch(() => false) : true
    if (!ok) {
      set({ busy: false, error: 'The flow could not be saved; your changes are still here.' })
      return
    }
  } else {
    designer.discard()
  }
  flushDraft()
  set({ pending: null, busy: false, error: '' })
  if (p.kind === 'route') go(p.path)
  else wails()?.EventsEmit('flowbench:quit')
}

// ---- drafts: edits are written to localStorage (at most every DRAFT_MS, and
// at once when the page goes away), cleared once saved or discarded ----

/** DRAFT_MS bounds how often a draft is written while typing (a big flow is a big write). */
export const DRAFT_MS = 250
let pendingDraft: { flow: Flow; saved: string } | null = null
let draftTimer: ReturnType<typeof setTimeout> | null = null

/** flushDraft writes the latest unsaved state now (or clears the draft when clean). */
export function flushDraft() {
  if (draftTimer) clearTimeout(draftTimer)
  draftTimer = null
  const p = pendingDraft
  pendingDraft = null
  if (!p) return
  if (flowJSON(p.flow) === p.saved) clearDraft(p.flow.id)
  else saveDraft(p.flow, p.saved)
}

let seen: { flow: unknown; saved: string; seq: number } = { flow: null, saved: '', seq: -1 }
designer.subscribe(() => {
  const s = designer.getState()
  if (s.loadSeq !== seen.seq) {
    // opening a flow is no edit: a kept draft waits for Restore or Discard
    flushDraft() // the previous flow's last edit
    seen = { flow: s.flow, saved: s.saved, seq: s.loadSeq }
    return
  }
  if (s.flow === seen.flow && s.saved === seen.saved) return
  seen.flow = s.flow
  seen.saved = s.saved
  if (!s.flow || s.readOnly) return
  pendingDraft = { flow: s.flow, saved: s.saved }
  draftTimer ??= setTimeout(flushDraft, DRAFT_MS)
})
if (typeof window !== 'undefined') {
  window.addEventListener('pagehide', flushDraft)
  document.addEventListener('visibilitychange', () => { if (document.hidden) flushDraft() })
}

// ---- route changes (links, go(), Back/Forward) ----
setLeaveGuard((to) => requestLeave({ kind: 'route', path: to }))

// ---- reload / close tab: the browser asks with its own prompt; the draft is kept either way ----
if (typeof window !== 'undefined') {
  window.addEventListener('beforeunload', (e) => {
    flushDraft()
    if (!unsaved()) return
    e.preventDefault()
    e.returnValue = ''
  })
}

// ---- the desktop window: Go's OnBeforeClose asks while the frontend says it is dirty ----
interface WailsEvents {
  EventsOn?: (name: string, cb: (...data: unknown[]) => void) => () => void
  EventsEmit: (name: string, ...data: unknown[]) => void
}
function wails(): WailsEvents | null {
  const rt = (window as unknown as { runtime?: Partial<WailsEvents> }).runtime
  return isDesktop() && rt?.EventsEmit ? (rt as WailsEvents) : null
}
let reported: boolean | null = null
function report() {
  const w = typeof window === 'undefined' ? null : wails()
  if (!w) return
  const u = unsaved()
  if (u !== reported) {
    reported = u
    w.EventsEmit('flowbench:unsaved', u)
  }
}
designer.subscribe(report)

/** listenWindowClose hooks the desktop window's close request (App calls it once). */
export function listenWindowClose(): () => void {
  const w = wails()
  if (!w?.EventsOn) return () => undefined
  report()
  return w.EventsOn('flowbench:close-requested', () => {
    flushDraft()
    w.EventsEmit('flowbench:close-asked') // the page is alive: Go waits for the answer
    if (requestLeave({ kind: 'close' })) w.EventsEmit('flowbench:quit')
  })
}
