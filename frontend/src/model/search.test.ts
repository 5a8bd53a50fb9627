import { describe, expect, it } from 'vitest'
import { seedFlow, specs } from '../test/fixtures'
import { searchFlow } from './search'

describe('searchFlow', () => {
  it('finds cards by title, type, field label and value, in flow order', () => {
    const f = seedFlow()
    f.cards[1].inputs = [{ key: 'isMemberOfGroup', value: true }, { key: 'count', value: 42 }]
    expect(searchFlow(f, specs, 'user').map((h) => h.card)).toEqual(['trigger', 'read', 'upd'])
    expect(searchFlow(f, specs, 'update')).toEqual([{ card: 'upd', title: 'Update User', where: 'title' }])
    expect(searchFlow(f, specs, '42')).toEqual([{ card: 'upd', title: 'Update User', where: 'count', field: 'count' }])
    expect(searchFlow(f, specs, 'ID or login')).toEqual([{ card: 'read', title: 'Read User', where: 'ID or login', field: 'id' }])
    expect(searchFlow(f, specs, '  ')).toEqual([])
  })
  it('skips hidden cards', () => {
    const f = seedFlow()
    f.cards[0].hidden = true
    expect(searchFlow(f, specs, 'read user')).toEqual([])
  })
})
