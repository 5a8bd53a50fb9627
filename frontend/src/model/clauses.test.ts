import { describe, expect, it } from 'vitest'
import type { Card, Flow } from '../api/types'
import { addClause, clauseLabel, moveClause, removeClause, splitKey, withClauses } from './clauses'
import { newCardFromSpec } from './specs'
import { unwire, wire } from './wiring'
import { indexFlow } from './tree'

const names = (c: Card) => (c.branches ?? []).map((b) => b.name)

describe('If/ElseIf clauses', () => {
  it('a new If/ElseIf has a clause and an else lane', () => {
    const c = newCardFromSpec({ id: 'flow.ifElseIf', title: 'If/ElseIf', category: 'Branching', kind: 'control', inputs: [], outputs: [] }, 'x')
    expect(names(c)).toEqual(['if', 'else'])
    expect(c.branches![0].inputs!.map((f) => f.key)).toEqual(['left-operand', 'operator', 'right-operand'])
    expect(clauseLabel(c, 'if')).toBe('If')
    expect(clauseLabel(c, 'else')).toBe('Else')
  })
  it('adds before else, reorders, removes; keeps else last and one clause', () => {
    let c = withClauses({ id: 'x', type: 'flow.ifElseIf' })
    const a = addClause(c)
    c = a.card
    expect(names(c)).toEqual(['if', a.name, 'else'])
    expect(clauseLabel(c, a.name)).toBe('Else if')
    c = moveClause(c, a.name, -1)
    expect(names(c)).toEqual([a.name, 'if', 'else'])
    expect(clauseLabel(c, a.name)).toBe('If')
    expect(moveClause(c, 'if', 1)).toBe(c) // already the last clause
    c = removeClause(c, a.name)
    expect(names(c)).toEqual(['if', 'else'])
    expect(removeClause(c, 'if')).toBe(c)
    expect(removeClause(c, 'else')).toBe(c)
    // an imported card without an else lane gets one with a new clause
    expect(names(addClause({ id: 'y', type: 'flow.ifElseIf', branches: [{ name: 'g1', cards: [] }] }).card)).toEqual(['g1', 'clause2', 'else'])
  })
  it('wires an earlier output into a clause operand and unwires it', () => {
    const f: Flow = {
      id: 'f', name: 'f', trigger: { id: 't', type: 'flow.manual', outputs: [{ key: 'tier', type: 'string' }] },
      cards: [withClauses({ id: 'x', type: 'flow.ifElseIf' })],
    } as Flow
    expect(splitKey(f.cards[0], 'if/left-operand')).toEqual({ branch: 'if', key: 'left-operand' })
    expect(splitKey(f.cards[0], 'else/left-operand')).toBeNull()
    expect(splitKey(f.cards[0], 'nope/left-operand')).toBeNull()
    const r = wire(f, new Map(), { card: 'trigger', path: ['tier'] }, { card: 'x', key: 'if/left-operand' })
    expect(r.ok).toBe(true)
    const wired = r.ok ? r.flow : f
    const op = () => indexFlow(wired).get('x')!.card.branches![0].inputs!.find((i) => i.key === 'left-operand')!
    expect(op().from).toEqual({ card: 't', path: ['tier'] })
    const un = unwire(wired, { card: 'x', key: 'if/left-operand' })
    expect(indexFlow(un).get('x')!.card.branches![0].inputs!.find((i) => i.key === 'left-operand')!.from).toBeUndefined()
  })
})
