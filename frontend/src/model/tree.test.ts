import { describe, expect, it } from 'vitest'
import { moveCard, slotLength } from './tree'
import { DesignerStore } from '../store/designer'
import { seedFlow, specs } from '../test/fixtures'

describe('moveCard', () => {
  it('a move to where the card already is returns the flow itself (no undo step)', () => {
    const f = seedFlow()
    const ids = f.cards.map((c) => c.id)
    const last = ids[ids.length - 1]
    expect(moveCard(f, last, {}, ids.length)).toBe(f) // Move right on the last card
    expect(moveCard(f, ids[0], {}, 0)).toBe(f)
    expect(moveCard(f, ids[0], {}, -1)).toBe(f) // clamped to the start
    const moved = moveCard(f, last, {}, 0)
    expect(moved.cards.map((c) => c.id)).toEqual([last, ...ids.slice(0, -1)])
    expect(slotLength(f, {})).toBe(ids.length)
  })

  it('the store records no step for it', () => {
    const s = new DesignerStore()
    s.specs = specs
    s.load(seedFlow())
    const ids = s.getState().flow!.cards.map((c) => c.id)
    s.move(ids[ids.length - 1], {}, ids.length)
    expect(s.getState().past).toHaveLength(0)
  })
})
