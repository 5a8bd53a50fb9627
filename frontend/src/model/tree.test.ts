import { describe, expect, it } from 'vitest'
import { moveCard, moveIndex, slotLength } from './tree'
import type { Flow } from '../api/types'
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

describe('moveIndex', () => {
  // the row: read, if{true:[a,b] false:[]}, upd
  const flow = (): Flow => {
    const f = seedFlow()
    f.cards.splice(1, 0, { id: 'if', type: 'flow.if', branches: [{ name: 'true', cards: [{ id: 'a', type: 'text.upper' }, { id: 'b', type: 'text.lower' }] }, { name: 'false', cards: [] }] })
    return f
  }
  const ids = (f: Flow, branch: string) => f.cards.find((c) => c.id === 'if')!.branches!.find((b) => b.name === branch)!.cards!.map((c) => c.id)

  it.each([
    // card, slot, drop position counted with the card in place → index moveCard wants, resulting branch
    { id: 'a', slot: { parent: 'if', branch: 'true' }, at: 2, want: 1, branch: 'true', after: ['b', 'a'] }, // after b, from before it
    { id: 'b', slot: { parent: 'if', branch: 'true' }, at: 0, want: 0, branch: 'true', after: ['b', 'a'] }, // before a, from after it
    { id: 'a', slot: { parent: 'if', branch: 'true' }, at: 1, want: 0, branch: 'true', after: ['a', 'b'] }, // its own right gap: no move
    { id: 'a', slot: { parent: 'if', branch: 'false' }, at: 0, want: 0, branch: 'false', after: ['a'] }, // another branch: as counted
    { id: 'read', slot: { parent: 'if', branch: 'true' }, at: 2, want: 2, branch: 'true', after: ['a', 'b', 'read'] }, // from the row
  ])('$id to $slot.branch at $at', ({ id, slot, at, want, branch, after }) => {
    const f = flow()
    expect(moveIndex(f, id, slot, at)).toBe(want)
    expect(ids(moveCard(f, id, slot, want), branch)).toEqual(after)
  })

  it('a row card dropped further along the row counts without itself', () => {
    const f = flow()
    expect(moveIndex(f, 'read', {}, 3)).toBe(2)
    expect(moveCard(f, 'read', {}, 2).cards.map((c) => c.id)).toEqual(['if', 'upd', 'read'])
  })
})
