// The one store for the flow being edited. The canvas is a view of
// state.flow (an engine.Flow); every edit is a pure function of the flow,
// recorded for undo/redo.
import { useSyncExternalStore } from 'react'
import type { Card, Execution, Flow, Problem, SpecDoc, TriggerState } from '../api/types'
import { cloneCard, indexFlow, insertCard, moveCard, newId, removeCard, setInput, type Slot, updateCard, updateCards } from '../model/tree'
import { newCardFromSpec, type SpecIndex } from '../model/specs'
import { unwire, wire, type WireSource, type WireTarget } from '../model/wiring'

export interface DesignerState {
  flow: Flow | null
  saved: string
  past: Flow[]
  future: Flow[]
  problems: Problem[]
  selected: string | null
  clipboard: Card | null
  run: Execution | null
  readOnly: boolean
  notice: string
  /** coalescing key of the last edit (typing into one field is one undo step) */
  lastKey: string
  lastAt: number
  /** the stored flow's trigger state (TriggerStatus), null until fetched */
  trigger: TriggerState | null
  /** why switching the flow on failed last */
  enableError: string
  /** counts load() calls: a load is not an edit (drafts are kept until then) */
  loadSeq: number
}

const LIMIT = 200

export function initialState(): DesignerState {
  return { flow: null, saved: '', past: [], future: [], problems: [], selected: null, clipboard: null, run: null, readOnly: false, notice: '', lastKey: '', lastAt: 0, trigger: null, enableError: '', loadSeq: 0 }
}

export function flowJSON(f: Flow | null): string {
  return f ? JSON.stringify(f) : ''
}

export class DesignerStore {
  private state: DesignerState = initialState()
  private listeners = new Set<() => void>()
  specs: SpecIndex = new Map()
  now: () => number = () => Date.now()

  getState = (): DesignerState => this.state
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }
  private set(patch: Partial<DesignerState>) {
    this.state = { ...this.state, ...patch }
    for (const l of this.listeners) l()
  }

  dirty(): boolean {
    return flowJSON(this.state.flow) !== this.state.saved
  }

  load(flow: Flow, opts: { readOnly?: boolean; run?: Execution | null } = {}) {
    this.set({ ...initialState(), clipboard: this.state.clipboard, flow, saved: flowJSON(flow), readOnly: !!opts.readOnly, run: opts.run ?? null, loadSeq: this.state.loadSeq + 1 })
  }

  /** discard drops the unsaved changes: the flow goes back to its saved
   * version (one undoable step, so a slip can be taken back). */
  discard() {
    const { flow, saved, readOnly, past } = this.state
    if (!flow || readOnly || !this.dirty()) return
    let back: Flow
    try {
      back = JSON.parse(saved) as Flow
    } catch {
      return
    }
    this.set({ flow: back, past: [...past, flow].slice(-LIMIT), future: [], lastKey: '', selected: null })
  }

  /** edit applies fn to the flow as one undoable step (coalesced by key within 800 ms). */
  edit(fn: (f: Flow) => Flow, key = ''): boolean {
    const { flow, readOnly } = this.state
    if (!flow || readOnly) return false
    const next = fn(flow)
    if (next === flow) return false
    const t = this.now()
    const coalesce = key !== '' && key === this.state.lastKey && t - this.state.lastAt < 800
    const past = coalesce ? this.state.past : [...this.state.past, flow].slice(-LIMIT)
    this.set({ flow: next, past, future: [], lastKey: key, lastAt: t })
    return true
  }

  undo() {
    const { past, flow, future } = this.state
    if (!past.length || !flow) return
    this.set({ flow: past[past.length - 1], past: past.slice(0, -1), future: [flow, ...future], lastKey: '' })
  }

  redo() {
    const { past, flow, future } = this.state
    if (!future.length || !flow) return
    this.set({ flow: future[0], past: [...past, flow], future: future.slice(1), lastKey: '' })
  }

  markSaved(flow: Flow, problems?: Problem[]) {
    // keep the undo stack: the saved flow replaces the current one in place.
    // The revision is the store's save counter, not an edit: every step takes
    // the new one, or a save after an undo across this save was refused as a
    // change made elsewhere (it carried the revision this save replaced)
    const fix = (f: Flow): Flow => (f.revision === flow.revision ? f : { ...f, revision: flow.revision })
    const { past, future } = this.state
    this.set({ flow, saved: flowJSON(flow), problems: problems ?? this.state.problems, past: past.map(fix), future: future.map(fix) })
  }

  /** restored shows a version the store saved over this flow (Versions ›
   * Restore): like an edit that was then saved, one undoable step, so
   * Ctrl+Z brings back what the flow was before (as an unsaved edit). */
  restored(flow: Flow, problems?: Problem[]) {
    const cur = this.state.flow
    if (!cur || cur.id !== flow.id || this.state.readOnly) {
      this.load(flow)
      if (problems) this.setProblems(problems)
      return
    }
    this.set({ past: [...this.state.past, cur].slice(-LIMIT), future: [], lastKey: '', selected: null, run: null })
    this.markSaved(flow, problems)
  }

  setProblems(problems: Problem[]) {
    this.set({ problems })
  }
  setRun(run: Execution | null) {
    this.set({ run })
  }
  setNotice(notice: string) {
    this.set({ notice })
  }
  setTriggerState(trigger: TriggerState | null) {
    if (trigger && trigger.flow !== this.state.flow?.id) return
    this.set({ trigger })
  }
  setEnableError(enableError: string) {
    if (enableError !== this.state.enableError) this.set({ enableError })
  }

  /** setEnabled records that the stored flow was switched on or off: the
   * flow, its saved copy and the undo stack follow without becoming dirty
   * (SaveFlow stores "enabled" too, so a stale copy would undo the switch). */
  setEnabled(on: boolean) {
    const { flow, saved, past, future } = this.state
    if (!flow || !!flow.enabled === on) return
    const fix = (f: Flow): Flow => (!!f.enabled === on ? f : { ...f, enabled: on || undefined })
    let savedFixed = saved
    try {
      savedFixed = flowJSON(fix(JSON.parse(saved) as Flow))
    } catch {
      // keep it
    }
    this.set({ flow: fix(flow), saved: savedFixed, past: past.map(fix), future: future.map(fix) })
  }
  select(id: string | null) {
    if (id !== this.state.selected) this.set({ selected: id })
  }

  // ---- edit operations ----
  addCard(spec: SpecDoc, slot: Slot, index: number): string {
    const id = newId()
    this.edit((f) => insertCard(f, slot, index, newCardFromSpec(spec, id)))
    this.set({ selected: id })
    return id
  }

  setTrigger(spec: SpecDoc) {
    this.edit((f) => ({ ...f, trigger: { ...newCardFromSpec(spec, f.trigger.id || 'trigger') } }))
  }

  deleteCard(id: string) {
    const f = this.state.flow
    if (!f || id === f.trigger.id) return
    this.edit((fl) => removeCard(fl, id))
    if (this.state.selected === id) this.set({ selected: null })
  }

  move(id: string, slot: Slot, index: number) {
    this.edit((f) => moveCard(f, id, slot, index))
  }

  setValue(card: string, key: string, value: unknown) {
    this.edit((f) => setInput(f, card, key, { value, from: undefined, any: undefined }), `v:${card}:${key}`)
  }

  clearInput(card: string, key: string) {
    this.edit((f) => setInput(f, card, key, null))
  }

  wire(src: WireSource, dst: WireTarget): string | null {
    const f = this.state.flow
    if (!f || this.state.readOnly) return 'read-only'
    const r = wire(f, this.specs, src, dst)
    if (!r.ok) {
      this.set({ notice: r.reason })
      return r.reason
    }
    this.edit(() => r.flow)
    return null
  }

  unwire(dst: WireTarget) {
    this.edit((f) => unwire(f, dst))
  }

  renameCard(id: string, title: string) {
    this.edit((f) => updateCard(f, id, (c) => ({ ...c, title })), `t:${id}`)
  }

  setCard(id: string, patch: Partial<Card>) {
    this.edit((f) => updateCard(f, id, (c) => ({ ...c, ...patch })))
  }

  /** setConnection sets a card's connection. A card on an import placeholder
   * (an id no connection here has: isConnection says false) takes every card
   * of the flow on that placeholder with it, those of the same connection kind,
   * as one edit: binding an imported template card by card was 20 picks.
   * Returns how many cards changed. */
  setConnection(id: string, to: string | undefined, isConnection: (id: string) => boolean): number {
    const f = this.state.flow
    const card = f ? indexFlow(f).get(id)?.card : undefined
    if (!f || !card) return 0
    const from = card.connection
    const kind = (c: Card) => this.specs.get(c.type)?.connection
    const all = !!from && !!to && !isConnection(from)
    let n = 0
    this.edit((fl) => updateCards(fl, (c) => {
      if (c.id !== id && !(all && c.connection === from && kind(c) === kind(card))) return c
      n++
      return { ...c, connection: to }
    }))
    return n
  }

  patchFlow(patch: Partial<Flow>, key = '') {
    this.edit((f) => ({ ...f, ...patch }), key)
  }

  copy(id: string | null = this.state.selected) {
    const f = this.state.flow
    if (!f || !id || id === f.trigger.id) return
    const c = indexFlow(f).get(id)?.card
    if (c) this.set({ clipboard: structuredClone(c), notice: `Copied ${c.title || c.type}` })
  }

  paste(): string | null {
    const { flow, clipboard, selected } = this.state
    if (!flow || !clipboard) return null
    const copy = cloneCard(clipboard)
    const loc = selected ? indexFlow(flow).get(selected) : undefined
    const slot = loc && loc.index >= 0 ? loc.slot : {}
    const index = loc && loc.index >= 0 ? loc.index + 1 : loc ? 0 : (flow.cards ?? []).length
    if (this.edit((f) => insertCard(f, slot, index, copy))) this.set({ selected: copy.id })
    return copy.id
  }
}

export const designer = new DesignerStore()

export function useDesigner<T>(sel: (s: DesignerState) => T): T {
  return useSyncExternalStore(designer.subscribe, () => sel(designer.getState()))
}
