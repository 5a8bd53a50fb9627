import { describe, expect, it } from 'vitest'
import type { SpecDoc } from '../api/types'
import { matchRank, paletteGroups } from './Palette'

const spec = (id: string, title: string, category: string, description = '', app?: string, kind = 'function'): SpecDoc =>
  ({ id, title, category, description, app, kind, inputs: [], outputs: [] }) as unknown as SpecDoc

const specs = [
  spec('okta.findUsers', 'Find Users', 'Okta', 'Searches users and returns the matches', 'okta', 'action'),
  spec('flow.returnError', 'Return Error', 'Error handling', 'Stops the flow with an error'),
  spec('flow.return', 'Return', 'Flow control', 'Returns values to the caller'),
  spec('text.concat', 'Concatenate', 'Text', 'Joins texts'),
  spec('list.sortCustom', 'Sort Custom', 'List', 'Sorts a list; a helper flow returns each sort key'),
]

describe('palette search', () => {
  it('ranks the card whose title is the search first, then title prefixes, then description matches', () => {
    const g = paletteGroups(specs, 'Return')
    expect(g[0].items[0].id).toBe('flow.return')
    const order = g.flatMap((x) => x.items.map((s) => s.id))
    expect(order.indexOf('flow.returnError')).toBeLessThan(order.indexOf('okta.findUsers'))
    expect(order).not.toContain('text.concat')
  })
  it('ranks', () => {
    expect(matchRank(specs[2], 'return')).toBe(0)
    expect(matchRank(specs[1], 'return')).toBe(1)
    expect(matchRank(specs[0], 'return')).toBe(5)
    expect(matchRank(specs[4], 'custom')).toBe(2)
    expect(matchRank(specs[3], 'xyz')).toBe(-1)
  })
  it('without a search keeps Triggers, Okta, then groups by name', () => {
    const g = paletteGroups([...specs, spec('okta.userCreated', 'User Created', 'Okta', '', 'okta', 'trigger')], '')
    expect(g[0].name).toBe('Triggers')
    expect(g[1].name).toBe('Okta')
  })
})
