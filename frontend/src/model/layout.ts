// Auto-layout of the card row: trigger at the left, cards to its right, as
// in Okta Workflows. Container cards (If/Else, If Error…) draw their
// branches as lanes inside themselves, so their width follows their lanes.
import type { Card, Flow } from '../api/types'

export const CARD_W = 300
export const NESTED_W = 272
export const GAP = 72
export const LANE_GAP = 16
export const LANE_PAD = 14

export function cardWidth(c: Card, nested = false): number {
  const base = nested ? NESTED_W : CARD_W
  if (!c.branches?.length) return base
  let lane = 0
  for (const b of c.branches) {
    const w = (b.cards ?? []).reduce((s, n) => s + cardWidth(n, true) + LANE_GAP, 0) + 120
    lane = Math.max(lane, w)
  }
  return Math.max(base + 60, lane + LANE_PAD * 2)
}

export interface Placed {
  id: string
  x: number
  width: number
}

export function layoutRow(f: Flow): Placed[] {
  const out: Placed[] = []
  let x = 0
  for (const c of [f.trigger, ...(f.cards ?? [])]) {
    if (c.hidden) continue
    const w = cardWidth(c)
    out.push({ id: c.id, x, width: w })
    x += w + GAP
  }
  return out
}

/** insertIndex: where a card dropped at flow-x lands in the top-level list. */
export function insertIndex(placed: Placed[], triggerId: string, x: number): number {
  let i = 0
  for (const p of placed) {
    if (p.id === triggerId) continue
    if (x > p.x + p.width / 2) i++
  }
  return i
}
