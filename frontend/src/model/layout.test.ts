import { describe, expect, it } from 'vitest'
import type { Flow } from '../api/types'
import { bestLineWidth, CARD_W, COLLAPSED_W, GAP, insertIndex, layoutRow, wrapRow } from './layout'

function long(n: number): Flow {
  return { format: 'flowbench.flow/v1', settings: { history: true }, id: 'f', name: 'Long', trigger: { id: 't', type: 'flow.manual' }, cards: Array.from({ length: n }, (_, i) => ({ id: `c${i}`, type: 'text.concat' })) }
}

describe('layout', () => {
  it('draws collapsed cards narrower', () => {
    const row = layoutRow(long(2), { c0: true })
    expect(row.map((p) => p.width)).toEqual([CARD_W, COLLAPSED_W, CARD_W])
    expect(row[2].x).toBe(CARD_W + GAP + COLLAPSED_W + GAP)
  })

  it('wraps the row into lines in reading order, each as tall as its tallest card', () => {
    const row = layoutRow(long(5))
    const h = (id: string) => (id === 'c0' ? 500 : 100)
    const w = wrapRow(row, h, 3 * CARD_W + 2 * GAP)
    expect(w.map((p) => [p.x, p.y])).toEqual([[0, 0], [CARD_W + GAP, 0], [2 * (CARD_W + GAP), 0], [0, 572], [CARD_W + GAP, 572], [2 * (CARD_W + GAP), 572]])
  })

  it('picks a line width that shows a long flow much larger than one row would', () => {
    const row = layoutRow(long(60), Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`c${i}`, true as const])))
    const h = () => 58
    const one = Math.min(1200 / (row.at(-1)!.x + row.at(-1)!.width), 800 / 58)
    const best = bestLineWidth(row, h, 1200, 800)
    expect(best.zoom).toBeGreaterThan(0.55)
    expect(best.zoom).toBeGreaterThan(one * 5)
  })

  it('finds the insert position on the line under the pointer when the row wraps', () => {
    const row = wrapRow(layoutRow(long(5)), () => 100, 3 * CARD_W + 2 * GAP)
    // second line starts with c2 (trigger, c0, c1 on the first)
    expect(insertIndex(row, 't', 10, 200)).toBe(2)
    expect(insertIndex(row, 't', CARD_W + GAP + CARD_W - 5, 200)).toBe(4)
    expect(insertIndex(row, 't', 10, 10)).toBe(0)
  })
})
