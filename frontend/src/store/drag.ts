// Pointer-driven drag and drop for palette cards and output fields. It uses
// plain pointer events (not HTML5 DnD) so a real mouse, a pen and test
// automation behave the same; drop targets are found with elementFromPoint.
import { useSyncExternalStore } from 'react'
import type { Flow, SpecDoc } from '../api/types'
import { indexFlow, type Slot } from '../model/tree'
import type { NType } from '../model/types'

export type DragPayload =
  | { kind: 'spec'; spec: SpecDoc }
  | { kind: 'output'; card: string; path: string[]; label: string; type: NType }
  | { kind: 'card'; id: string; title: string }

export interface DropTarget {
  el: HTMLElement
  kind: string
  data: DOMStringMap
}

interface DragState {
  payload: DragPayload | null
  x: number
  y: number
  active: boolean
  over: DropTarget | null
}

let state: DragState = { payload: null, x: 0, y: 0, active: false, over: null }
const listeners = new Set<() => void>()
function set(p: Partial<DragState>) {
  state = { ...state, ...p }
  listeners.forEach((l) => l())
}

export function useDrag<T>(sel: (s: DragState) => T): T {
  return useSyncExternalStore(
    (fn) => {
      listeners.add(fn)
      return () => listeners.delete(fn)
    },
    () => sel(state),
  )
}

export type DropHandler = (p: DragPayload, t: DropTarget | null, x: number, y: number) => void
let onDrop: DropHandler | null = null
export function setDropHandler(h: DropHandler | null) {
  onDrop = h
}

export function targetAt(x: number, y: number): DropTarget | null {
  const el = (document.elementFromPoint(x, y) as HTMLElement | null)?.closest<HTMLElement>('[data-drop]')
  return el ? { el, kind: el.dataset.drop ?? '', data: el.dataset } : null
}

/** targetUnder is the drop target under the point, looking through skip (the
 * card node being dragged, which follows the pointer and covers what is below). */
export function targetUnder(x: number, y: number, skip: Element | null): DropTarget | null {
  for (const e of document.elementsFromPoint(x, y)) {
    if (skip?.contains(e)) continue
    const el = e.closest<HTMLElement>('[data-drop]')
    return el ? { el, kind: el.dataset.drop ?? '', data: el.dataset } : null
  }
  return null
}

/** hoverCard shows the drop targets for a canvas card being dragged by the
 * canvas itself (not by startDrag); endHover clears them. */
export function hoverCard(id: string, title: string, x: number, y: number, over: DropTarget | null) {
  set({ payload: { kind: 'card', id, title }, x, y, active: true, over })
}
export function endHover() {
  if (state.active) set({ payload: null, active: false, over: null })
}

/** branchDrop is where a card dropped on el lands inside an If/Else-style
 * card: a gap or the end of a lane, beside a card in a lane, or (anywhere else
 * in a lane) at its end. Null when el is not inside a lane. */
export function branchDrop(f: Flow, el: Element | null, x: number): { slot: Slot; index: number } | null {
  const exact = el?.closest<HTMLElement>('.gap[data-drop="lane"], .lane-end[data-drop="lane"]')
  if (exact) return { slot: { parent: exact.dataset.parent, branch: exact.dataset.branch }, index: Number(exact.dataset.index) }
  const nested = el?.closest<HTMLElement>('.card.nested')
  const loc = nested ? indexFlow(f).get(nested.dataset.card ?? '') : undefined
  if (nested && loc) {
    const r = nested.getBoundingClientRect()
    return { slot: loc.slot, index: loc.index + (x > r.left + r.width / 2 ? 1 : 0) }
  }
  const lane = el?.closest<HTMLElement>('.lane[data-drop="lane"]')
  if (lane) return { slot: { parent: lane.dataset.parent, branch: lane.dataset.branch }, index: Number(lane.dataset.index) }
  return null
}

/** startDrag begins a drag once the pointer moved 4px, so clicks stay clicks. */
export function startDrag(e: React.PointerEvent, payload: DragPayload, onClick?: () => void) {
  if (e.button !== 0) return
  e.preventDefault()
  e.stopPropagation()
  const x0 = e.clientX
  const y0 = e.clientY
  let active = false
  const move = (ev: PointerEvent) => {
    if (!active && Math.hypot(ev.clientX - x0, ev.clientY - y0) < 4) return
    if (!active) {
      active = true
      document.body.classList.add('dragging')
    }
    set({ payload, x: ev.clientX, y: ev.clientY, active: true, over: targetAt(ev.clientX, ev.clientY) })
  }
  const up = (ev: PointerEvent) => {
    window.removeEventListener('pointermove', move, true)
    window.removeEventListener('pointerup', up, true)
    window.removeEventListener('keydown', esc, true)
    document.body.classList.remove('dragging')
    const t = active ? targetAt(ev.clientX, ev.clientY) : null
    set({ payload: null, active: false, over: null })
    if (active) onDrop?.(payload, t, ev.clientX, ev.clientY)
    else onClick?.()
  }
  const esc = (ev: KeyboardEvent) => {
    if (ev.key !== 'Escape') return
    active = false
    window.removeEventListener('pointermove', move, true)
    window.removeEventListener('pointerup', up, true)
    window.removeEventListener('keydown', esc, true)
    document.body.classList.remove('dragging')
    set({ payload: null, active: false, over: null })
  }
  window.addEventListener('pointermove', move, true)
  window.addEventListener('pointerup', up, true)
  window.addEventListener('keydown', esc, true)
}
