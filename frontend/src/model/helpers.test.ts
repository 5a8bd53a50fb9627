import { describe, expect, it } from 'vitest'
import type { Card, Field, Flow, SpecDoc } from '../api/types'
import { indexSpecs } from './specs'
import {
  autoMap, chooseHelper, draftInputs, draftMapping, draftRows, groupHelpers, helperRole, itemPaths, itemType, returnNote, rows, setSource, sourceOf, streamingOn, type HelperFlow,
} from './helpers'

const iterInputs = [{ key: 'list', type: 'any[]', required: true }, { key: 'concurrency', type: 'number' }]
const specList: SpecDoc[] = [
  { id: 'flow.manual', title: 'Manual Run', category: 'Triggers', kind: 'trigger', extensibleOutputs: true, inputs: [], outputs: [] },
  { id: 'flow.call', title: 'Call Flow', category: 'Flow control', kind: 'control', extensibleInputs: true, extensibleOutputs: true, inputs: [], outputs: [] },
  { id: 'flow.callAsync', title: 'Call Flow Async', category: 'Flow control', kind: 'control', extensibleInputs: true, inputs: [], outputs: [{ key: 'execution', type: 'string' }] },
  { id: 'list.forEach', title: 'For Each', category: 'List', kind: 'control', extensibleInputs: true, inputs: iterInputs, outputs: [] },
  { id: 'list.map', title: 'Map', category: 'List', kind: 'control', extensibleInputs: true, inputs: iterInputs, outputs: [{ key: 'new list', type: 'any[]' }] },
  { id: 'list.reduce', title: 'Reduce', category: 'List', kind: 'control', extensibleInputs: true, inputs: [{ key: 'list', type: 'any[]' }, { key: 'memo', type: 'any' }], outputs: [{ key: 'memo', type: 'any' }] },
  { id: 'text.concat', title: 'Concatenate', category: 'Text', kind: 'function', inputs: [{ key: 'string', type: 'string' }], outputs: [{ key: 'output', type: 'string' }] },
  { id: 'okta.listUsers', title: 'List Users', category: 'Okta', app: 'okta', kind: 'action', extensibleInputs: true,
    inputs: [{ key: 'resultSet', type: 'string', default: 'First 200 Matching Records' }, { key: 'State', group: 'Streaming', type: 'any' }],
    outputs: [{ key: 'Users', type: { kind: 'object', list: true, fields: { id: 'string', profile: { kind: 'object', fields: { login: 'string' } } } } }] },
  { id: 'okta.customApiAction', title: 'Custom API Action', category: 'Okta', app: 'okta', kind: 'action', extensibleInputs: true,
    inputs: [{ key: 'requestType', type: 'string', default: 'GET' }, { key: 'State', group: 'Streaming', type: 'any' }], outputs: [] },
]
const specs = indexSpecs(specList)
const spec = (id: string) => specs.get(id)!

const helper = (id: string, name: string, folder: string, inputs: string[], trigger = 'flow.helper', returns: string[] = []): HelperFlow => ({
  id, name, folder, trigger, inputs: inputs.map((k) => ({ key: k, type: 'string' })), returns: returns.map((k) => ({ key: k, type: 'number' })),
})

describe('helperRole: which cards call a helper', () => {
  const cases: { name: string; card: Card; want: string | null }[] = [
    { name: 'Call Flow', card: { id: 'c', type: 'flow.call' }, want: 'call' },
    { name: 'Call Flow Async', card: { id: 'c', type: 'flow.callAsync' }, want: 'async' },
    { name: 'For Each', card: { id: 'c', type: 'list.forEach' }, want: 'each' },
    { name: 'Map', card: { id: 'c', type: 'list.map' }, want: 'each' },
    { name: 'Reduce', card: { id: 'c', type: 'list.reduce' }, want: 'reduce' },
    { name: 'Find Custom', card: { id: 'c', type: 'list.findCustom' }, want: 'each' },
    { name: 'Map (object)', card: { id: 'c', type: 'object.map' }, want: 'each' },
    { name: 'Map to List (object)', card: { id: 'c', type: 'object.mapToList' }, want: 'each' },
    { name: 'Repeat', card: { id: 'c', type: 'flow.repeat' }, want: 'async' },
    { name: 'a function card', card: { id: 'c', type: 'text.concat' }, want: null },
    { name: 'List Users returning records (default)', card: { id: 'c', type: 'okta.listUsers' }, want: null },
    { name: 'List Users streaming', card: { id: 'c', type: 'okta.listUsers', inputs: [{ key: 'resultSet', value: 'Stream Matching Records' }] }, want: 'stream' },
    { name: 'Custom API Action GET(Streaming)', card: { id: 'c', type: 'okta.customApiAction', inputs: [{ key: 'requestType', value: 'GET(Streaming)' }] }, want: 'stream' },
    { name: 'Custom API Action POST', card: { id: 'c', type: 'okta.customApiAction', inputs: [{ key: 'requestType', value: 'POST' }] }, want: null },
  ]
  for (const c of cases) it(c.name, () => expect(helperRole(c.card, spec(c.card.type))).toBe(c.want))
  it('object cards pass {key, value}: New helper flow prefills key and value', () => {
    const f: Flow = { schema: 'flowbench.flow/v1', id: 'p', name: 'P', trigger: { id: 't', type: 'flow.manual' }, cards: [{ id: 'm', type: 'object.map' }] } as unknown as Flow
    const t = itemType(f, {} as never, f.cards[0])
    expect(itemPaths(t).map((p) => p.path)).toEqual(['key', 'value'])
  })
  it('streaming needs a Streaming input group', () => expect(streamingOn({ id: 'c', type: 'text.concat', inputs: [{ key: 'resultSet', value: 'Stream' }] }, spec('text.concat'))).toBe(false))
})

describe('groupHelpers: the picker list', () => {
  const all = [
    helper('a', 'Send mail', 'Notify', ['email']),
    helper('b', 'Add to group', 'Groups', ['user']),
    helper('c', 'Archive user', '', ['user']),
    helper('d', 'Main flow', 'Groups', [], 'flow.manual'),
    helper('e', 'add tag', 'Groups', ['tag']),
  ]
  it('offers only Helper Flow flows, grouped by folder (no folder first), names sorted', () => {
    const g = groupHelpers(all, '')
    expect(g.map((x) => x.folder)).toEqual(['', 'Groups', 'Notify'])
    expect(g[1].flows.map((h) => h.name)).toEqual(['add tag', 'Add to group'])
  })
  it('searches name and folder, every word', () => {
    expect(groupHelpers(all, 'groups add').flatMap((x) => x.flows.map((h) => h.id))).toEqual(['e', 'b'])
    expect(groupHelpers(all, 'NOTIFY').flatMap((x) => x.flows.map((h) => h.id))).toEqual(['a'])
    expect(groupHelpers(all, 'nothing like this')).toEqual([])
  })
  it('leaves out the flow being edited', () => {
    expect(groupHelpers(all, 'archive', 'c')).toEqual([])
  })
})

describe('choosing a helper', () => {
  const h = helper('h', 'Greet', 'Helpers', ['name', 'greeting', 'position'], 'flow.helper', ['text'])
  it('For Each: the card gets the helper inputs, keeps its own and the mappings of inputs the helper has', () => {
    const card: Card = { id: 'fe', type: 'list.forEach', inputs: [
      { key: 'list', from: { card: 'trigger', path: ['names'] } },
      { key: 'name', item: { path: '' } },
      { key: 'old', value: 'x' },
    ] }
    const next = chooseHelper(card, spec('list.forEach'), 'each', h)
    expect(next.flow).toBe('h')
    expect(next.inputs?.map((f) => f.key)).toEqual(['list', 'name', 'greeting', 'position'])
    expect(next.inputs?.[1].item).toEqual({ path: '' })
    expect(next.inputs?.[2]).toEqual({ key: 'greeting', type: 'string' })
  })
  it('a prefilled mapping from "New helper flow…" maps item keys', () => {
    const next = chooseHelper({ id: 'fe', type: 'list.forEach' }, spec('list.forEach'), 'each', h, { name: { path: 'profile.name' }, position: { path: '', index: true } })
    expect(sourceOf(next.inputs?.find((f) => f.key === 'name'))).toEqual({ kind: 'item', path: 'profile.name' })
    expect(sourceOf(next.inputs?.find((f) => f.key === 'position'))).toEqual({ kind: 'index' })
  })
  it('Call Flow: item mappings are dropped, constants kept, Return values become outputs', () => {
    const card: Card = { id: 'cf', type: 'flow.call', inputs: [{ key: 'name', item: { path: '' } }, { key: 'greeting', value: 'Hi' }], outputs: [{ key: 'mine', type: 'string' }] }
    const next = chooseHelper(card, spec('flow.call'), 'call', h)
    expect(sourceOf(next.inputs?.find((f) => f.key === 'name'))).toEqual({ kind: 'unset' })
    expect(sourceOf(next.inputs?.find((f) => f.key === 'greeting'))).toEqual({ kind: 'value', value: 'Hi' })
    expect(next.outputs?.map((o) => o.key)).toEqual(['mine', 'text'])
  })
  it('Reduce: the helper memo input is the card’s own', () => {
    const next = chooseHelper({ id: 'r', type: 'list.reduce' }, spec('list.reduce'), 'reduce', helper('m', 'Sum', '', ['memo', 'n']))
    expect(next.inputs?.map((f) => f.key)).toEqual(['n'])
  })
  it('streaming: only the flow changes', () => {
    const card: Card = { id: 's', type: 'okta.listUsers', inputs: [{ key: 'resultSet', value: 'Stream Matching Records' }] }
    expect(chooseHelper(card, spec('okta.listUsers'), 'stream', h)).toEqual({ ...card, flow: 'h' })
  })
})

describe('mapping rows and sources', () => {
  const h = helper('h', 'Greet', '', ['name', 'position'])
  const card: Card = { id: 'fe', type: 'list.forEach', flow: 'h', inputs: [{ key: 'list', value: [] }, { key: 'name', item: { path: 'first' } }, { key: 'gone', value: 1 }] }
  it('lists the helper inputs, then mapped inputs the helper lacks as stale', () => {
    const r = rows(card, spec('list.forEach'), h)
    expect(r.map((x) => [x.key, x.stale])).toEqual([['name', false], ['position', false], ['gone', true]])
  })
  it('without the helper known, nothing is called stale', () => {
    expect(rows(card, spec('list.forEach'), undefined).every((x) => !x.stale)).toBe(true)
  })
  it('setSource writes item, index, value and clears', () => {
    const hi = { key: 'position', type: 'number' }
    let c = setSource(card, hi, { kind: 'index' })
    expect(c.inputs?.find((f) => f.key === 'position')).toEqual({ key: 'position', type: 'number', item: { path: '', index: true } })
    c = setSource(c, hi, { kind: 'value', value: 7 })
    expect(c.inputs?.find((f) => f.key === 'position')).toEqual({ key: 'position', type: 'number', value: 7 })
    c = setSource(c, hi, { kind: 'item', path: 'n' })
    expect(sourceOf(c.inputs?.find((f) => f.key === 'position'))).toEqual({ kind: 'item', path: 'n' })
    c = setSource(c, hi, { kind: 'unset' })
    expect(sourceOf(c.inputs?.find((f) => f.key === 'position'))).toEqual({ kind: 'unset' })
  })
})

describe('autoMap: picking an existing helper maps inputs named like the item', () => {
  const item = { kind: 'object', list: false, fields: { login: { kind: 'string', list: false }, id: { kind: 'string', list: false } } }
  const h = helper('h', 'H', '', ['login', 'item', 'note'])
  it('a key of the item, "item", and nothing for other names', () => {
    expect(autoMap({ id: 'fe', type: 'list.forEach' }, h, item)).toEqual({ login: { path: 'login' }, item: { path: '' } })
  })
  it('inputs the card already feeds are left alone', () => {
    const card: Card = { id: 'fe', type: 'list.forEach', inputs: [{ key: 'login', value: 'x' }] }
    expect(autoMap(card, h, item)).toEqual({ item: { path: '' } })
  })
  it('"index" gets the item’s index, unless the item has a key "index"', () => {
    const hi = helper('h', 'H', '', ['item', 'index'])
    expect(autoMap({ id: 'fe', type: 'list.forEach' }, hi, { kind: 'string', list: false })).toEqual({ item: { path: '' }, index: { path: '', index: true } })
    const keyed = { kind: 'object', list: false, fields: { index: { kind: 'number', list: false } } } as const
    expect(autoMap({ id: 'fe', type: 'list.forEach' }, hi, keyed)).toEqual({ item: { path: '' }, index: { path: 'index' } })
  })
  it('picked on a card: item and index rows come mapped', () => {
    const hi = helper('h', 'H', '', ['item', 'index', 'note'])
    const card: Card = { id: 'fe', type: 'list.forEach', inputs: [{ key: 'list', from: { card: 'trigger', path: ['names'] } }] }
    const next = chooseHelper(card, spec('list.forEach'), 'each', hi, autoMap(card, hi, { kind: 'string', list: false }))
    expect(next.inputs?.map((f) => [f.key, sourceOf(f).kind])).toEqual([['list', 'wire'], ['item', 'item'], ['index', 'index'], ['note', 'unset']])
  })
})

describe('item keys offered on the card', () => {
  it('nested object keys as dot paths, lists not entered', () => {
    const t = { kind: 'object', list: false, fields: {
      id: { kind: 'string', list: false },
      profile: { kind: 'object', list: false, fields: { login: { kind: 'string', list: false } } },
      groups: { kind: 'object', list: true, fields: { name: { kind: 'string', list: false } } },
    } }
    expect(itemPaths(t).map((p) => p.path)).toEqual(['groups', 'id', 'profile', 'profile.login'])
    expect(itemPaths({ kind: 'string', list: false })).toEqual([])
  })
})

describe('New helper flow… prefills inputs from the item type', () => {
  const flow = (list: unknown, trigOuts: Field[] = [{ key: 'users', type: { kind: 'object', list: true, fields: { login: 'string', age: 'number' } } }]): Flow => ({
    format: 'flowbench.flow/v1', id: 'p', name: 'Parent', settings: { history: true },
    trigger: { id: 'trigger', type: 'flow.manual', outputs: trigOuts },
    cards: [{ id: 'fe', type: 'list.forEach', inputs: [{ key: 'list', ...(list as object) }] }],
  })
  it('an object item of known keys: one input per key, mapped to it', () => {
    const f = flow({ from: { card: 'trigger', path: ['users'] } })
    const t = itemType(f, specs, f.cards[0])
    const d = draftInputs('each', f.cards[0], spec('list.forEach'), t)
    expect(d.inputs).toEqual([{ key: 'age', type: 'number' }, { key: 'login', type: 'string' }])
    expect(d.mapping).toEqual({ age: { path: 'age' }, login: { path: 'login' } })
  })
  it('a list of text: one input "item" of type string, mapped to the whole item', () => {
    const f = flow({ from: { card: 'trigger', path: ['names'] } }, [{ key: 'names', type: 'string[]' }])
    const d = draftInputs('each', f.cards[0], spec('list.forEach'), itemType(f, specs, f.cards[0]))
    expect(d).toEqual({ inputs: [{ key: 'item', type: 'string' }], mapping: { item: { path: '' } } })
  })
  it('a literal list of objects', () => {
    const f = flow({ value: [{ id: 1, tag: 'a' }] })
    const d = draftInputs('each', f.cards[0], spec('list.forEach'), itemType(f, specs, f.cards[0]))
    expect(d.inputs).toEqual([{ key: 'id', type: 'number' }, { key: 'tag', type: 'string' }])
  })
  it('an unknown item: "item" of type any; Reduce adds memo', () => {
    const d = draftInputs('reduce', { id: 'r', type: 'list.reduce' }, spec('list.reduce'), undefined)
    expect(d.inputs).toEqual([{ key: 'item', type: 'any' }, { key: 'memo', type: 'any' }])
  })
  it('Call Flow: the card’s current inputs', () => {
    const d = draftInputs('call', { id: 'c', type: 'flow.call', inputs: [{ key: 'email', type: 'string', value: 'x' }] }, spec('flow.call'))
    expect(d).toEqual({ inputs: [{ key: 'email', type: 'string' }], mapping: {} })
  })
  it('streaming: Record of the record type, and State', () => {
    const d = draftInputs('stream', { id: 's', type: 'okta.listUsers' }, spec('okta.listUsers'))
    expect(d.inputs.map((x) => x.key)).toEqual(['Record', 'State'])
    expect(d.inputs[0].type).toEqual({ kind: 'object', fields: { id: 'string', profile: { kind: 'object', fields: { login: 'string' } } } })
  })
})

describe('New helper flow… rows keep their mapping through edits', () => {
  const d = draftInputs('each', { id: 'fe', type: 'list.forEach' }, spec('list.forEach'),
    { kind: 'object', list: false, fields: { login: { kind: 'string', list: false }, age: { kind: 'number', list: false } } })
  it('each row starts with its mapping', () => {
    expect(draftRows(d)).toEqual([
      { field: { key: 'age', type: 'number' }, map: { path: 'age' } },
      { field: { key: 'login', type: 'string' }, map: { path: 'login' } },
    ])
  })
  it('a renamed input is still mapped to its key of the item (name trimmed as stored)', () => {
    const r = draftRows(d)
    r[1] = { ...r[1], field: { ...r[1].field, key: ' user ' } }
    expect(draftMapping(r)).toEqual({ age: { path: 'age' }, user: { path: 'login' } })
  })
  it('"item" renamed keeps the whole item; removed and added rows map nothing', () => {
    const r = draftRows(draftInputs('reduce', { id: 'r', type: 'list.reduce' }, spec('list.reduce'), { kind: 'number', list: false }))
    expect(r.map((x) => x.field.key)).toEqual(['item', 'memo'])
    r[0] = { ...r[0], field: { ...r[0].field, key: 'n' } }
    expect(draftMapping([r[0], { field: { key: 'extra', type: 'string' } }])).toEqual({ n: { path: '' } })
    expect(draftMapping([r[1]])).toEqual({})
  })
  it('a blank name maps nothing; a repeated name keeps the first row’s mapping', () => {
    const r = draftRows(d)
    expect(draftMapping([{ ...r[0], field: { key: '  ' } }, r[1]])).toEqual({ login: { path: 'login' } })
    expect(draftMapping([{ ...r[0], field: { key: 'x' } }, { ...r[1], field: { key: 'x' } }])).toEqual({ x: { path: 'age' } })
  })
})

describe('returnNote: a helper that hands nothing back', () => {
  const bare = helper('h', 'Check', '', ['item'])
  const returning = helper('h', 'Check', '', ['item'], 'flow.helper', ['keep'])
  it('Filter Custom, Map, Reduce and Call Flow say what they miss', () => {
    expect(returnNote('list.filterCustom', bare)).toMatch(/^Check has no Return card: Filter Custom needs it to return true or false/)
    expect(returnNote('list.map', bare)).toMatch(/new list will be empty/)
    expect(returnNote('list.reduce', bare)).toMatch(/memo will come back empty/)
    expect(returnNote('flow.call', bare)).toMatch(/gets no values back/)
  })
  it('nothing once the helper returns a value, for cards that ignore the Return, or without a known Helper Flow', () => {
    expect(returnNote('list.filterCustom', returning)).toBe('')
    for (const t of ['list.forEach', 'list.forEachIgnoreErrors', 'flow.callAsync', 'okta.listUsers']) expect(returnNote(t, bare)).toBe('')
    expect(returnNote('list.map', undefined)).toBe('')
    expect(returnNote('list.map', helper('x', 'Not a helper', '', [], 'flow.manual'))).toBe('')
  })
})
