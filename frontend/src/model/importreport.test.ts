import { describe, expect, it } from 'vitest'
import { attentionCount, cardAppLabel, mappedPercent, oktaReport, warningText } from './importreport'

describe('oktaReport', () => {
  it('reads a flopack report and refuses other details', () => {
    const r = { template: 'x.flopack', flows: 1, cards: 10, mapped: 6, unsupported: 2, folded: 1, structural: 1, tables: 0, connections: 1, warnings: 0 }
    expect(oktaReport(r)).toBe(r)
    expect(oktaReport(null)).toBeNull()
    expect(oktaReport({ cards: '3' })).toBeNull()
    expect(oktaReport([1])).toBeNull()
    expect(mappedPercent(r)).toBe(75)
    expect(mappedPercent({ mapped: 0, unsupported: 0 })).toBe(100)
  })
  it('counts an app\'s open points', () => {
    expect(attentionCount({ app: 'Salesforce', unsupported: [{ title: 'Create Record', kind: 'salesforce2_29:createRecord', count: 2, flows: ['A'] }], connections: [] })).toBe(1)
    expect(attentionCount({ app: 'Okta' })).toBe(0)
  })
  it('words a warning without its template', () => {
    expect(warningText({ template: 't', flow: 'F', card: '"Read User" (x1)', field: 'id', message: 'value dropped' })).toBe('flow F: card "Read User" (x1): field "id": value dropped')
  })
})

describe('cardAppLabel', () => {
  it('names an unsupported card by its app, never its address', () => {
    const c = { type: 'unsupported', origin: { app: 'Salesforce', address: 'root:channels:http:salesforce2_29:1.0:createRecord' } }
    expect(cardAppLabel(c, undefined, 'Unsupported', false)).toBe('Salesforce')
    expect(cardAppLabel(c, undefined, 'Unsupported', true)).toBe('When this happens · Salesforce')
    expect(cardAppLabel({ type: 'unsupported' }, undefined, 'Unsupported', false)).toBe('Unsupported app')
  })
  it('keeps the spec app for other cards', () => {
    expect(cardAppLabel({ type: 'okta.readUser' }, 'okta', 'Okta', false)).toBe('Okta')
    expect(cardAppLabel({ type: 'flow.manual' }, undefined, 'Trigger', true)).toBe('When this happens')
    expect(cardAppLabel({ type: 'text.concat' }, undefined, 'Text', false)).toBe('Text')
  })
})
