import { describe, expect, it } from 'vitest'
import type { Flow } from '../api/types'
import { compareFlows, isConflictError } from './conflict'

const base: Flow = {
  format: 'flowbench.flow/v1', id: 'f', name: 'Onboard', settings: { history: true },
  trigger: { id: 'trigger', type: 'flow.manual', title: 'Manual Run' },
  cards: [{ id: 'a', type: 'text.concat', title: 'Concatenate' }, { id: 'b', type: 'flow.if', title: 'If', branches: [{ name: 'true', cards: [{ id: 'c', type: 'text.length' }] }] }],
}

describe('compareFlows', () => {
  it('lists renamed flows, added, removed and edited cards (nested too)', () => {
    const mine: Flow = { ...base, cards: [{ ...base.cards[0], title: 'Join' }, base.cards[1], { id: 'd', type: 'text.split', title: 'Split' }] }
    const theirs: Flow = { ...base, name: 'Onboard v2', cards: [base.cards[0], { ...base.cards[1], branches: [{ name: 'true', cards: [] }] }] }
    const rows = compareFlows(mine, theirs)
    expect(rows).toContainEqual({ what: 'Name', mine: 'Onboard', theirs: 'Onboard v2' })
    expect(rows).toContainEqual({ what: 'Card “Join”', mine: 'edited', theirs: '“Concatenate”' })
    expect(rows).toContainEqual({ what: 'Card “Split”', mine: 'added', theirs: '—' })
    expect(rows).toContainEqual({ what: 'Card “If”', mine: 'edited', theirs: 'edited' })
    expect(rows.find((r) => r.what === 'Card “text.length”')).toEqual({ what: 'Card “text.length”', mine: 'added', theirs: '—' })
  })
  it('says when the stored flow was deleted', () => {
    expect(compareFlows(base, null)).toEqual([{ what: 'Flow', mine: 'Onboard (3 cards)', theirs: 'deleted' }])
  })
  it('recognises conflict errors over HTTP and in the window', () => {
    expect(isConflictError({ status: 409, message: 'x' })).toBe(true)
    expect(isConflictError(new Error('conflict: flow "f" was changed elsewhere'))).toBe(true)
    expect(isConflictError(new Error('Save failed'))).toBe(false)
  })
})
