import { describe, expect, it } from 'vitest'
import type { ConnectionKindDoc } from '../api/types'
import { connectionDraft, editorFor, formatInput, formFields, missingRequired, parseInput, secretsForSave, visibleFields } from './forms'
import { normType } from './types'
import { inputFields, outputFields } from './specs'
import { oktaKind, seedFlow, specs } from '../test/fixtures'

describe('schema-driven forms', () => {
  it.each([
    ['string', 'text'], ['number', 'number'], ['integer', 'number'], ['boolean', 'boolean'], ['date', 'date'],
    ['object', 'object'], ['string[]', 'list'], ['object[]', 'list'], ['any', 'json'], ['flow', 'flow'],
  ])('type %s gets a %s editor', (t, want) => {
    expect(editorFor(normType(t))).toBe(want)
  })

  it('choices and secrets override the type', () => {
    expect(editorFor(normType('string'), { choices: true })).toBe('choice')
    expect(editorFor(normType('string'), { secret: true })).toBe('secret')
  })

  it.each([
    ['number', '42', 42], ['number', ' 1.5 ', 1.5], ['number', '', undefined],
    ['boolean', 'true', true], ['boolean', 'no', false],
    ['list', '["a", 1]', ['a', 1]], ['object', '{"a": {"b": 2}}', { a: { b: 2 } }],
    ['json', 'plain text', 'plain text'], ['text', 'hello', 'hello'], ['text', '', undefined],
  ] as const)('parses %s %j', (kind, text, want) => {
    const r = parseInput(kind, text)
    expect(r).toEqual({ ok: true, value: want })
  })

  it.each([['number', 'abc'], ['boolean', 'maybe'], ['list', '{"a":1}'], ['object', '[1]'], ['date', 'not a date']] as const)('rejects %s %j', (kind, text) => {
    expect(parseInput(kind, text).ok).toBe(false)
  })

  it('round-trips dates to RFC 3339 and lists to JSON', () => {
    const r = parseInput('date', '2026-01-02T03:04:05Z')
    expect(r).toEqual({ ok: true, value: '2026-01-02T03:04:05.000Z' })
    expect(formatInput('list', ['a'])).toBe('["a"]')
  })

  it('generates the Okta connection form from the kind and hides fields of other auth methods', () => {
    const c = connectionDraft(oktaKind, 'Prod')
    expect(c.config).toEqual({ authMethod: 'token', dpop: false })
    let v = visibleFields(oktaKind, c.config!)
    expect(v.fields.map((f) => f.key)).toEqual(['domain', 'authMethod', 'concurrencyLimit'])
    expect(v.secrets.map((f) => f.key)).toEqual(['apiToken'])
    expect(v.fields[1].editor).toBe('choice')
    v = visibleFields(oktaKind, { authMethod: 'privateKey' })
    expect(v.fields.map((f) => f.key)).toEqual(['domain', 'authMethod', 'clientId', 'scopes', 'keyId', 'dpop', 'concurrencyLimit'])
    expect(v.secrets.map((f) => f.key)).toEqual(['privateKey'])
    expect(v.secrets[0].editor).toBe('secret')
  })

  it('reports missing required fields', () => {
    const c = connectionDraft(oktaKind, 'Prod')
    expect(missingRequired(oktaKind, c)).toEqual(['Okta domain'])
  })

  it('never sends masked or empty secrets back', () => {
    expect(secretsForSave({ apiToken: '********', privateKey: '', clientSecret: 'new' })).toEqual({ clientSecret: 'new' })
  })

  it('formFields keeps labels, defaults and choices', () => {
    const f = formFields(oktaKind.fields)
    expect(f[1]).toMatchObject({ key: 'authMethod', label: 'Authentication', required: true, default: 'token' })
  })

  it('card fields merge the spec with the card, trigger outputs carry context', () => {
    const flow = seedFlow()
    flow.cards[0].inputs = [{ key: 'id', value: 'x' }, { key: 'extra', type: 'number' }]
    const ins = inputFields(flow.cards[0], specs.get('okta.readUser'))
    expect(ins.map((f) => [f.key, f.label, f.custom, f.required])).toEqual([['id', 'ID or login', false, true], ['extra', 'extra', true, false]])
    const outs = outputFields(flow.trigger, specs.get(flow.trigger.type), true)
    expect(outs.map((f) => f.key)).toEqual(['user', 'group', 'context'])
  })
})

describe('API Connector connection form', () => {
  const http: ConnectionKindDoc = {
    id: 'http', title: 'API Connector (HTTP)',
    fields: [
      { key: 'authType', label: 'Authorization', type: 'string', required: true, default: 'none',
        choices: [{ value: 'none', label: 'None' }, { value: 'basic', label: 'Basic' }, { value: 'header', label: 'Custom header' }, { value: 'oauth2ClientCredentials', label: 'Client credentials' }] },
      { key: 'baseUrl', label: 'Base URL', type: 'string' },
      { key: 'username', label: 'Username', type: 'string' },
      { key: 'headerName', label: 'Header name', type: 'string' },
      { key: 'tokenUrl', label: 'Token URL', type: 'string' },
      { key: 'clientId', label: 'Client ID', type: 'string' },
    ],
    secrets: [
      { key: 'password', label: 'Password', type: 'string' },
      { key: 'headerValue', label: 'Header value', type: 'string' },
      { key: 'headers', label: 'More secret headers', type: 'string' },
      { key: 'clientSecret', label: 'Client secret', type: 'string' },
    ],
  }
  const keys = (auth: string) => {
    const v = visibleFields(http, { authType: auth })
    return [...v.fields, ...v.secrets].map((f) => f.key)
  }
  it('shows only the fields of the chosen authorization', () => {
    expect(keys('none')).toEqual(['authType', 'baseUrl', 'headers'])
    expect(keys('basic')).toEqual(['authType', 'baseUrl', 'username', 'password', 'headers'])
    expect(keys('header')).toEqual(['authType', 'baseUrl', 'headerName', 'headerValue', 'headers'])
    expect(keys('oauth2ClientCredentials')).toEqual(['authType', 'baseUrl', 'tokenUrl', 'clientId', 'headers', 'clientSecret'])
  })
})
