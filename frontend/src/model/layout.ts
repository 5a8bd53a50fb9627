// Auto-layout of the card row: trigger at the left, cards to its right, as
// in Okta Workflows. Container cards (If/Else, If Error…) draw their
// branches as lanes inside themselves, so their width follows their lanes.
import type { Card, Flow } from '../api/types'

export const CARD_W = 300
export const NESTED_W = 272
export const GAP = 72
export const LANE_GAP = 16
export const LANE_PAD = 14

/** Width of a card collapsed to its header (lanes hidden too). */
export const COLLAPSED_W = 240
/** Heights used before a card is measured. */
export const COLLAPSED_H = 58

/** Collapsed marks the cards drawn as their header only. */
export type Collapsed = Record<string, true | undefined>

export function cardWidth(c: Card, nested = false, collapsed?: Collapsed): number {
  const base = nested ? NESTED_W : CARD_W
  if (collapsed?.[c.id]) return nested ? NESTED_W : COLLAPSED_W
  if (!c.branches?.length) return base
  let lane = 0
  for (const b of c.branches) {
    const w = (b.cards ?? []).reduce((s, n) => s + cardWidth(n, true, collapsed) + LANE_GAP, 0) + 120
    lane = Math.max(lane, w)
  }
  return Math.max(base + 60, lane + LANE_PAD * 2)
}

export interface Placed {
  id: string
  x: number
  width: number
  /** the line's top when the row wraps (0 in one row) */
  y?: number
}

export function layoutRow(f: Flow, collapsed?: Collapsed): Placed[] {
  const out: Placed[] = []
  let x = 0
  for (const c of [f.trigger, ...(f.cards ?? [])]) {
    if (c.hidden) continue
    const w = cardWidth(c, false, collapsed)
    out.push({ id: c.id, x, width: w })
    x += w + GAP
  }
  return out
}

/** insertIndex: where a card dropped at flow-x (and flow-y when the row
 * wraps) lands in the top-level list. */
export function insertIndex(placed: Placed[], triggerId: string, x: number, y?: number): number {
  const wrapped = y !== undefined && placed.some((p) => (p.y ?? 0) > 0)
  if (wrapped) {
    // the line under the pointer: the last one whose top is above it
    const tops = [...new Set(placed.map((p) => p.y ?? 0))].sort((a, b) => a - b)
    const line = tops.filter((t) => t <= y).at(-1) ?? tops[0]
    let i = 0
    for (const p of placed) {
      if (p.id === triggerId) continue
      const py = p.y ?? 0
      if (py < line || (py === line && x > p.x + p.width / 2)) i++
    }
    return i
  }
  let i = 0
  for (const p of placed) {
    if (p.id === triggerId) continue
    if (x > p.x + p.width / 2) i++
  }
  return i
}

export const LINE_GAP = 72

/** wrapRow breaks the row into lines no wider than lineWidth (reading order:
 * left to right, then the next line), each line as tall as its tallest card. */
export function wrapRow(placed: Placed[], height: (id: string) => number, lineWidth: number): Placed[] {
  const out: Placed[] = []
  let x = 0
  let y = 0
  let lineH = 0
  for (const p of placed) {
    if (x > 0 && x + p.width > lineWidth) {
      y += lineH + LINE_GAP
      x = 0
      lineH = 0
    }
    out.push({ ...p, x, y })
    x += p.width + GAP
    lineH = Math.max(lineH, height(p.id))
  }
  return out
}

export function bounds(placed: Placed[], height: (id: string) => number): { width: number; height: number } {
  let w = 0
  let h = 0
  for (const p of placed) {
    w = Math.max(w, p.x + p.width)
    h = Math.max(h, (p.y ?? 0) + height(p.id))
  }
  return { width: w, height: h }
}

/** bestLineWidth picks the line width that shows the whole wrapped row at
 * the largest zoom in a view of viewW × viewH (capped at maxZoom). */
export function bestLineWidth(placed: Placed[], height: (id: string) => number, viewW: number, viewH: number, maxZoom = 1): { lineWidth: number; zoom: number } {
  const widest = Math.max(0, ...placed.map((p) => p.width))
  const one = bounds(placed, height)
  let best = { lineWidth: one.width, zoom: Math.min(maxZoom, viewW / Math.max(1, one.width), viewH / Math.max(1, one.height)) }
  // candidate widths: the ends of the cards in one row
  for (const p of placed) {
    const lw = p.x + p.width
    if (lw < widest) continue
    const b = bounds(wrapRow(placed, height, lw), height)
    const z = Math.min(maxZoom, viewW / Math.max(1, b.width), viewH / Math.max(1, b.height))
    if (z > best.zoom + 1e-9) best = { lineWidth: lw, zoom: z }
  }
  return best
}
