import { describe, expect, it } from 'vitest'
import type { Card, SpecDoc } from '../api/types'
import { canTest, errorInput, outputRows, testFields, testInput, testRequest } from './testcard'
import { specs } from '../test/fixtures'

const split: SpecDoc = {
  id: 'text.split', title: 'Split', category: 'Text', kind: 'function',
  inputs: [{ key: 'string', label: 'text', type: 'string' }, { key: 'delimiter', label: 'separator', type: 'string' }],
  outputs: [{ key: 'output', label: 'result list', type: 'string[]' }],
}
const compose: SpecDoc = {
  id: 'text.compose', title: 'Compose', category: 'Text', kind: 'function', extensibleInputs: true,
  inputs: [{ key: '_text_', label: 'text', type: 'string', required: true }], outputs: [{ key: 'output', type: 'string' }],
}

describe('test this card', () => {
  it('only function cards in the designer get the button', () => {
    expect(canTest(split, false)).toBe(true)
    expect(canTest(split, true)).toBe(false)
    expect(canTest(specs.get('okta.readUser'), false)).toBe(false) // action with a connection
    expect(canTest(specs.get('flow.if'), false)).toBe(false) // control
    expect(canTest(specs.get('flow.manual'), false)).toBe(false) // trigger
    expect(canTest(specs.get('list.count'), false)).toBe(true)
    expect(canTest(undefined, false)).toBe(false)
  })

  it('prefills static values, else the last run record, else nothing', () => {
    const card: Card = {
      id: 'c1', type: 'text.split',
      inputs: [{ key: 'delimiter', value: ';' }, { key: 'string', from: { card: 'trigger', path: ['login'] } }],
    }
    expect(testInput(card, split)).toEqual({ delimiter: ';' })
    expect(testInput(card, split, { inputs: { string: 'a;b', delimiter: ',' } })).toEqual({ string: 'a;b', delimiter: ';' })
    expect(testInput({ id: 'c2', type: 'text.split' }, split, { inputs: { string: null } })).toEqual({})
    expect(testInput({ id: 'c2', type: 'text.split' }, split, null)).toEqual({})
  })

  it('an empty static list still wins over the record', () => {
    const card: Card = { id: 'c', type: 'list.count', inputs: [{ key: 'list', value: [] }] }
    expect(testInput(card, specs.get('list.count'), { inputs: { list: [1, 2] } })).toEqual({ list: [] })
  })

  it('extensible cards use the card’s declared inputs with their types', () => {
    const card: Card = {
      id: 'k', type: 'text.compose',
      inputs: [{ key: '_text_', value: 'n={{{n}}} who={{{who}}}' }, { key: 'n', type: 'number', value: 3 }, { key: 'who', type: 'string' }],
    }
    const fs = testFields(card, compose)
    expect(fs.map((f) => [f.key, f.type.kind, f.custom])).toEqual([['_text_', 'string', false], ['n', 'number', true], ['who', 'string', true]])
    expect(testInput(card, compose, { inputs: { who: 'Ann', stale: 1 } })).toEqual({ _text_: 'n={{{n}}} who={{{who}}}', n: 3, who: 'Ann' })
  })

  it('the request leaves unset inputs and unknown keys out', () => {
    const fs = testFields({ id: 'c', type: 'text.split' }, split)
    expect(testRequest(fs, { string: 'a,b', delimiter: undefined, other: 1 })).toEqual({ string: 'a,b' })
  })

  it.each([
    ['flow test-card-text.split: card card "Split": input "delimiter": not text', 'delimiter'],
    ['card card "Parse" input "string": required input is missing', 'string'],
    ['card "input \\"x\\"" input "a\\"b": bad', 'a"b'],
    ['card card "Split": input "nope": bad', undefined],
    ['unknown card "x"', undefined],
    ['', undefined],
  ])('maps %j to input %j', (msg, want) => {
    expect(errorInput(msg, ['string', 'delimiter', 'a"b'])).toBe(want)
  })

  it('lists outputs declared first with labels, then others, pretty JSON', () => {
    const card: Card = { id: 'c', type: 'text.split' }
    expect(outputRows(card, split, { zeta: 1, output: ['a', 'b'] })).toEqual([
      { key: 'output', label: 'result list', json: '[\n  "a",\n  "b"\n]' },
      { key: 'zeta', label: 'zeta', json: '1' },
    ])
    expect(outputRows(card, split, null)).toEqual([])
    expect(outputRows(card, split, { output: null })).toEqual([{ key: 'output', label: 'result list', json: 'null' }])
  })
})

describe('testFields follow the card’s chosen option', () => {
  it('leaves out the inputs another option uses', () => {
    const spec: SpecDoc = { id: 'opsgenie.buildTimeRestrictionsObject', title: 'Build Time Restriction Object', category: 'Opsgenie', kind: 'function',
      inputs: [{ key: 'restrictionType', type: 'string', default: 'Time Only', choices: [{ value: 'Time Only', label: 'Time Only' }, { value: 'Day and Time', label: 'Day and Time' }] },
        { key: 'startHour', type: 'number' }, { key: 'startDay', type: 'string', shownWhen: { key: 'restrictionType', values: ['Day and Time'] } }],
      outputs: [] }
    const keys = (c: Card) => testFields(c, spec).map((f) => f.key)
    expect(keys({ id: 'b', type: spec.id })).toEqual(['restrictionType', 'startHour'])
    expect(keys({ id: 'b', type: spec.id, inputs: [{ key: 'restrictionType', value: 'Day and Time' }] })).toEqual(['restrictionType', 'startHour', 'startDay'])
  })
})
