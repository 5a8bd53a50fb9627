import { describe, expect, it } from 'vitest'
import type { Connection, ConnectionKindDoc, SpecDoc } from '../api/types'
import { bindRows, boundText, cardConnectionOptions, moduleKinds, placeholderLabel, preselect } from './bind'

const kinds: ConnectionKindDoc[] = [
  { id: 'okta', title: 'Okta', fields: [], secrets: [] },
  { id: 'http', title: 'API Connector (HTTP)', fields: [], secrets: [] },
]
const specs: SpecDoc[] = [
  { id: 'http.get', okta: ['httpfunctions:get'], title: 'Get', category: 'API Connector', kind: 'action', inputs: [], outputs: [], connection: 'http' },
  { id: 'okta.readUser', okta: ['okta:readUser'], title: 'Read User', category: 'Okta', kind: 'action', inputs: [], outputs: [], connection: 'okta' },
  { id: 'text.concat', okta: ['string:concat'], title: 'Concatenate', category: 'Text', kind: 'function', inputs: [], outputs: [] },
  { id: 'x.mail', okta: ['gmail:send'], title: 'Send', category: 'Gmail', kind: 'action', inputs: [], outputs: [], connection: 'gmail' },
]
const conn = (id: string, name: string, kind: string): Connection => ({ id, name, kind })
const sandbox = conn('sandbox', 'Sandbox tenant', 'okta')
const prod = conn('prod', 'Production', 'okta')
const api = conn('api1', 'Github API', 'http')

describe('moduleKinds', () => {
  it('maps kinds to themselves and export modules through the card specs', () => {
    const m = moduleKinds(kinds, specs)
    expect(m.get('okta')).toBe('okta')
    expect(m.get('http')).toBe('http')
    expect(m.get('httpfunctions')).toBe('http')
    expect(m.has('string')).toBe(false) // no connection
    expect(m.has('gmail')).toBe(false) // the spec's kind is not registered
  })
})

describe('bindRows', () => {
  const refs = [
    { id: 'p-okta', name: 'Okta', kind: 'okta' },
    { id: 'p-http', name: 'My API', kind: 'httpfunctions' },
    { id: 'p-gmail', name: 'Gmail', kind: 'gmail' },
    { id: 'p-slack', name: '', kind: 'slack' },
  ]

  it('matches each placeholder with the connections of its kind', () => {
    const rows = bindRows(refs, [sandbox, prod, api], kinds, specs)
    expect(rows.map((r) => [r.ref.id, r.kind?.id, r.candidates.map((c) => c.id)])).toEqual([
      ['p-okta', 'okta', ['prod', 'sandbox']], // by name
      ['p-http', 'http', ['api1']],
      ['p-gmail', undefined, []],
      ['p-slack', undefined, []],
    ])
  })

  it('preselects only when exactly one connection of the kind exists', () => {
    expect(bindRows(refs, [sandbox, prod, api], kinds, specs).map((r) => r.preselect)).toEqual(['', 'api1', '', ''])
    expect(bindRows(refs, [sandbox], kinds, specs).map((r) => r.preselect)).toEqual(['sandbox', '', '', ''])
    expect(bindRows(refs, [], kinds, specs).map((r) => [r.kind?.id, r.preselect])).toEqual([['okta', ''], ['http', ''], [undefined, ''], [undefined, '']])
  })

  it('ignores case in module names and copes with no placeholders', () => {
    expect(bindRows([{ id: 'x', name: 'O', kind: 'OKTA' }], [sandbox], kinds)[0].preselect).toBe('sandbox')
    expect(bindRows(null, [sandbox], kinds)).toEqual([])
    expect(bindRows(undefined, [sandbox], kinds)).toEqual([])
  })

  it('works without specs for kinds named as the module', () => {
    const rows = bindRows(refs, [api], kinds)
    expect(rows[1].kind).toBeUndefined() // httpfunctions needs the specs
    expect(rows[0].kind?.id).toBe('okta')
  })
})

describe('labels', () => {
  it('names a placeholder by name and kind', () => {
    expect(placeholderLabel({ id: '1', name: 'Okta', kind: 'okta' })).toBe('Okta — okta')
    expect(placeholderLabel({ id: '1', name: '', kind: 'slack' })).toBe('slack — slack')
  })
  it('counts bound cards', () => {
    expect(boundText(1)).toBe('bound 1 card')
    expect(boundText(3)).toBe('bound 3 cards')
    expect(boundText(0)).toBe('bound 0 cards')
  })
  it('preselect', () => {
    expect(preselect([])).toBe('')
    expect(preselect([sandbox])).toBe('sandbox')
    expect(preselect([sandbox, prod])).toBe('')
  })
})

describe('cardConnectionOptions', () => {
  const all = [sandbox, prod, api]
  it('lists the connections of the card kind', () => {
    expect(cardConnectionOptions('sandbox', all, 'okta')).toEqual([{ value: 'sandbox', label: 'Sandbox tenant' }, { value: 'prod', label: 'Production' }])
    expect(cardConnectionOptions(undefined, all, 'okta')).toHaveLength(2)
  })
  it('shows an unknown id as an unbound placeholder', () => {
    expect(cardConnectionOptions('ded2bbdc', all, 'okta').at(-1)).toEqual({ value: 'ded2bbdc', label: 'unbound: ded2bbdc' })
  })
  it('names an import placeholder by the name its file gave', () => {
    const refs = new Map([['ded2bbdc', { id: 'ded2bbdc', name: 'Okta Prod', kind: 'okta' }], ['b1', { id: 'b1', name: 'b1', kind: 'okta' }]])
    expect(cardConnectionOptions('ded2bbdc', all, 'okta', refs).at(-1)).toEqual({ value: 'ded2bbdc', label: 'Okta Prod — not bound' })
    expect(cardConnectionOptions('b1', all, 'okta', refs).at(-1)).toEqual({ value: 'b1', label: 'unbound: b1' }) // no name but its id
  })
  it('shows a known connection of another kind as such', () => {
    expect(cardConnectionOptions('api1', all, 'okta').at(-1)).toEqual({ value: 'api1', label: 'Github API (http, wrong kind)' })
  })
})
