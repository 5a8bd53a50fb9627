import { describe, expect, it } from 'vitest'
import { outputTree, pillLabel, wire } from './wiring'
import { seedFlow, specs } from '../test/fixtures'
import { cardsBefore, insertCard } from './tree'
import { normType } from './types'

describe('wiring: drop an output on an input', () => {
  const cases: {
    name: string
    src: { card: string; path: string[] }
    dst: { card: string; key: string }
    ok: boolean
    reason?: RegExp
  }[] = [
    { name: 'trigger nested field into Read User id', src: { card: 'trigger', path: ['user', 'id'] }, dst: { card: 'read', key: 'id' }, ok: true },
    { name: 'deep nested field', src: { card: 'trigger', path: ['user', 'profile', 'email'] }, dst: { card: 'read', key: 'id' }, ok: true },
    { name: 'earlier card output', src: { card: 'read', path: ['id'] }, dst: { card: 'upd', key: 'id' }, ok: true },
    { name: 'boolean into boolean', src: { card: 'read', path: ['profile', 'isMemberOfGroup'] }, dst: { card: 'upd', key: 'isMemberOfGroup' }, ok: true },
    { name: 'string into number converts loosely', src: { card: 'read', path: ['id'] }, dst: { card: 'upd', key: 'count' }, ok: true },
    { name: 'scalar into list wraps', src: { card: 'read', path: ['id'] }, dst: { card: 'upd', key: 'tags' }, ok: true },
    { name: 'object into number refused', src: { card: 'read', path: ['profile'] }, dst: { card: 'upd', key: 'count' }, ok: false, reason: /cannot feed/ },
    { name: 'later card refused', src: { card: 'upd', path: ['id'] }, dst: { card: 'read', key: 'id' }, ok: false, reason: /right/ },
    { name: 'own output refused', src: { card: 'read', path: ['id'] }, dst: { card: 'read', key: 'id' }, ok: false, reason: /own output/ },
    { name: 'unknown output', src: { card: 'read', path: ['nope'] }, dst: { card: 'upd', key: 'id' }, ok: false, reason: /no output/ },
    { name: 'unknown input', src: { card: 'read', path: ['id'] }, dst: { card: 'upd', key: 'nope' }, ok: false, reason: /no input/ },
    { name: 'into the trigger', src: { card: 'read', path: ['id'] }, dst: { card: 'trigger', key: 'x' }, ok: false, reason: /trigger/ },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const r = wire(seedFlow(), specs, c.src, c.dst)
      expect(r.ok).toBe(c.ok)
      if (r.ok) {
        const card = [...r.flow.cards].find((x) => x.id === c.dst.card)!
        expect(card.inputs).toEqual([{ key: c.dst.key, from: { card: c.src.card, path: c.src.path } }])
      } else {
        expect(r.reason).toMatch(c.reason!)
      }
    })
  }

  it('replaces a static value with the binding', () => {
    const f = seedFlow()
    f.cards[1].inputs = [{ key: 'id', value: 'static' }]
    const r = wire(f, specs, { card: 'read', path: ['id'] }, { card: 'upd', key: 'id' })
    expect(r.ok && r.flow.cards[1].inputs).toEqual([{ key: 'id', from: { card: 'read', path: ['id'] } }])
  })

  it('lets cards inside a lane see cards before the container and the container', () => {
    let f = seedFlow()
    f = insertCard(f, {}, 2, { id: 'if', type: 'flow.if', branches: [{ name: 'true', cards: [{ id: 'in1', type: 'list.count' }] }] })
    const seen = cardsBefore(f, 'in1')
    expect([...seen].sort()).toEqual(['if', 'read', 'trigger', 'upd'].sort())
    expect(cardsBefore(f, 'read').has('upd')).toBe(false)
  })

  it('builds a tree of nested output fields for picking', () => {
    const t = outputTree(normType(specs.get('okta.userAddedToGroup')!.outputs[0].type), ['user'], 'user')
    expect(t.children.map((c) => c.path.join('.'))).toEqual(['user.id', 'user.login', 'user.profile'])
    expect(t.children[2].children[0].path).toEqual(['user', 'profile', 'email'])
  })

  it('names source card and field on the pill', () => {
    expect(pillLabel(seedFlow(), { card: 'trigger', path: ['user', 'id'] })).toEqual({ card: 'okta.userAddedToGroup', field: 'user › id' })
    expect(pillLabel(seedFlow(), { card: 'read', path: ['id'] })).toEqual({ card: 'Read User', field: 'id' })
  })

  it('names the field by its label, not its export key (Okta, function and app cards)', () => {
    const flow = seedFlow()
    flow.cards = [
      { ...flow.cards[0], outputs: [{ key: 'id_Q5IXJN', label: 'ID', type: 'string' },
        { key: 'profile_AB12CD', label: 'Profile', type: { kind: 'object', fields: { mail_X1: { kind: 'string', label: 'Primary email' }, plain: 'string' } } },
        { key: 'groups_Z9', label: 'Groups', type: { kind: 'object', list: true, fields: { name_Q1: { kind: 'string', label: 'Group name' } } } }] },
      flow.cards[1],
    ]
    expect(pillLabel(flow, { card: 'read', path: ['id_Q5IXJN'] }, undefined, specs)).toEqual({ card: 'Read User', field: 'ID' })
    expect(pillLabel(flow, { card: 'read', path: ['profile_AB12CD', 'mail_X1'] }, undefined, specs).field).toBe('Profile › Primary email')
    expect(pillLabel(flow, { card: 'read', path: ['profile_AB12CD', 'plain'] }, undefined, specs).field).toBe('Profile › plain')
    expect(pillLabel(flow, { card: 'read', path: ['groups_Z9', '0', 'name_Q1'] }, undefined, specs).field).toBe('Groups › 0 › Group name')
    // a spec output with a label (app/function cards) names it too; the card's own labelled outputs need no spec
    const spec2 = new Map(specs)
    spec2.set('okta.updateUser', { ...specs.get('okta.updateUser')!, outputs: [{ key: 'id', label: 'User ID', type: 'string' }] })
    expect(pillLabel(flow, { card: 'upd', path: ['id'] }, undefined, spec2).field).toBe('User ID')
    expect(pillLabel(flow, { card: 'read', path: ['id_Q5IXJN'] }).field).toBe('ID')
    expect(pillLabel(flow, { card: 'upd', path: ['id'] }).field).toBe('id')
  })
})
