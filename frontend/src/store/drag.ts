// Pointer-driven drag and drop for palette cards and output fields. It uses
// plain pointer events (not HTML5 DnD) so a real mouse, a pen and test
// automation behave the same; drop targets are found with elementFromPoint.
import { useSyncExternalStore } from 'react'
import type { SpecDoc } from '../api/types'
import type { NType } from '../model/types'

export type DragPayload =
  | { kind: 'spec'; spec: SpecDoc }
  | { kind: 'output'; card: string; path: string[]; label: string; type: NType }

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
