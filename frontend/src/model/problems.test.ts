import { describe, expect, it } from 'vitest'
import type { Flow, Problem } from '../api/types'
import { seedFlow, specs } from '../test/fixtures'
import { describe as describeMsg, localProblems, lostTriggerBindings, onCard, placeProblems, usersOf } from './problems'

function wired(): Flow {
  const f = seedFlow()
  f.cards[0].inputs = [{ key: 'id', from: { card: 'trigger', path: ['user', 'id'] } }]
  f.cards[1].inputs = [{ key: 'id', from: { card: 'read', path: ['id'] } }, { key: 'hiddenKey', value: 1, hidden: true }]
  return f
}

describe('placeProblems', () => {
  it('puts a problem on the drawn field it names, with the card title and field label', () => {
    const f = wired()
    const ps: Problem[] = [{ card: 'read', input: 'id', message: 'card User Added to Group has no output "user"', severity: 'error' }]
    const [p] = placeProblems(f, specs, ps)
    expect(p).toMatchObject({ card: 'read', field: 'id', cardTitle: 'Read User', fieldLabel: 'ID or login', error: true })
  })

  it('keeps a problem of a field that is not drawn on its card', () => {
    const f = wired()
    const [p] = placeProblems(f, specs, [{ card: 'upd', input: 'hiddenKey', message: 'bad', severity: 'error' }])
    expect(p.card).toBe('upd')
    expect(p.field).toBeUndefined()
    expect(p.fieldLabel).toBe('hiddenKey')
    expect(onCard([p], 'upd').card).toHaveLength(1)
  })

  it('maps the trigger alias and lists flow-level problems first, then cards in flow order', () => {
    const f = wired()
    const ps = placeProblems(f, specs, [
      { card: 'upd', message: 'card needs a okta connection', severity: 'error' },
      { message: 'helper flows call each other in a cycle: a → b → a', severity: 'error' },
      { card: 'trigger', message: 'connection "x" does not exist', severity: 'warning' },
    ])
    expect(ps.map((p) => p.cardTitle)).toEqual(['Flow', 'User Added to Group', 'Update User'])
    expect(ps[1].card).toBe('trigger')
    expect(ps[1].error).toBe(false)
  })

  it('names a deleted card by the title it had', () => {
    const f = wired()
    f.cards = [f.cards[1]] // Read User deleted; Update User still binds to it
    const ps = placeProblems(f, specs, [{ card: 'upd', input: 'id', message: 'binds to card "read", which does not exist', severity: 'error' }], (id) => (id === 'read' ? 'Read User' : undefined))
    expect(ps[0].message).toBe('binds to card "Read User" (deleted), which does not exist')
  })
})

describe('describe', () => {
  it('replaces card ids with titles and leaves unknown ids alone', () => {
    expect(describeMsg('binds to card "read", which does not run before this card', wired(), specs)).toBe('binds to card "Read User", which does not run before this card')
    expect(describeMsg('binds to card "zz", which does not exist', wired(), specs)).toBe('binds to card "zz", which does not exist')
  })
})

describe('localProblems', () => {
  it('turns field errors of existing cards into problems and drops those of removed cards', () => {
    const ps = localProblems(wired(), { 'upd\u0000count': 'Count: not a number', 'gone\u0000x': 'x' })
    expect(ps).toEqual([expect.objectContaining({ card: 'upd', input: 'count', kind: 'bad-value', severity: 'error' })])
  })
})

describe('usersOf', () => {
  it('names the cards and inputs that use a card', () => {
    expect(usersOf(wired(), 'read', specs)).toEqual([{ card: 'upd', title: 'Update User', inputs: ['id'] }])
    expect(usersOf(wired(), 'upd', specs)).toEqual([])
  })
  it('ignores users deleted along with a container', () => {
    const f = wired()
    f.cards = [{ id: 'if', type: 'flow.if', branches: [{ name: 'true', cards: [f.cards[0], f.cards[1]] }] }]
    expect(usersOf(f, 'if', specs)).toEqual([])
  })
})

describe('lostTriggerBindings', () => {
  it('lists inputs bound to outputs the new trigger lacks', () => {
    const f = wired()
    expect(lostTriggerBindings(f, specs, ['user', 'group'])).toEqual([])
    expect(lostTriggerBindings(f, specs, ['scheduledTime'])).toEqual([{ title: 'Read User', input: 'ID or login', output: 'user › id' }])
  })
})

describe('placeProblems within containers', () => {
  it('says which container and branch a nested card sits in', () => {
    const f = wired()
    f.cards = [{ id: 'if', type: 'flow.if', title: 'Member?', branches: [{ name: 'true', cards: [f.cards[0]] }] }]
    const [p] = placeProblems(f, specs, [{ card: 'read', message: 'x', severity: 'error' }])
    expect(p.within).toBe('Member? › true')
  })
})
