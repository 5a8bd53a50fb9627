import { describe, expect, it } from 'vitest'
import type { Card } from '../api/types'
import { endpointOutput, fieldName, missingAttributes, profileChoices, profileField, profileSlotOf } from './endpoint'

const trigger: Card = {
  id: 'trigger', type: 'api.endpoint',
  outputs: [{ key: 'name', group: 'body', type: 'string' }, { key: 'query/page', group: 'query', type: 'number' }],
}
const declared = ['headers', 'body', 'query']

describe('endpointOutput', () => {
  it('uses the field name as Okta key and the chosen group', () => {
    expect(endpointOutput(trigger, 'body', ' age ', 'number', declared)).toEqual({ key: 'age', group: 'body', label: 'age', type: 'number' })
  })
  it('prefixes the group when the key is taken', () => {
    expect(endpointOutput(trigger, 'query', 'name', 'string', declared)).toEqual({ key: 'query/name', group: 'query', label: 'name', type: 'string' })
    expect(endpointOutput(trigger, 'body', 'body', 'string', declared)).toMatchObject({ key: 'body/body' })
  })
  it('lower-cases header names', () => {
    expect(endpointOutput(trigger, 'headers', 'X-Request-Id', 'string', declared)).toMatchObject({ key: 'x-request-id', label: 'x-request-id' })
  })
  it('refuses duplicates and bad names', () => {
    expect(endpointOutput(trigger, 'body', 'name', 'string', declared)).toBe('body already has a field “name”')
    expect(endpointOutput(trigger, 'query', 'page', 'string', declared)).toBe('query already has a field “page”')
    expect(endpointOutput(trigger, 'body', '', 'string', declared)).toBe('Enter the field name')
    expect(endpointOutput(trigger, 'body', 'a b', 'string', declared)).toMatch(/no spaces/)
  })
  it('reads names like the engine', () => {
    expect(fieldName({ key: 'query/page', group: 'query' })).toBe('page')
    expect(fieldName({ key: 'name#2', group: 'body' })).toBe('name')
  })
})

describe('profile attributes', () => {
  const attrs = [
    { key: 'login', title: 'Username', type: 'string' },
    { key: 'costCenter', title: 'Cost center', type: 'string' },
    { key: 'badgeNumber', title: 'Badge number', type: 'number', custom: true },
  ]
  it('offers what the card lacks, filtered', () => {
    const upd: Card = { id: 'u', type: 'okta.updateUser', inputs: [{ key: 'costCenter', group: 'Profile' }] }
    const slot = profileSlotOf('okta.updateUser', 'inputs')!
    expect(missingAttributes(upd, slot, attrs, ['ID', 'updateSemantics']).map((a) => a.key)).toEqual(['login', 'badgeNumber'])
    expect(missingAttributes(upd, slot, attrs, [], 'BADGE').map((a) => a.key)).toEqual(['badgeNumber'])
    expect(missingAttributes(upd, slot, attrs, ['login']).map((a) => a.key)).toEqual(['badgeNumber'])
  })
  it('makes fields in Okta groups', () => {
    expect(profileField(profileSlotOf('okta.readUser', 'outputs')!, attrs[2])).toEqual({ key: 'badgeNumber', group: 'Profile Properties', label: 'Badge number', type: 'number' })
    expect(profileField(profileSlotOf('okta.createUser', 'inputs')!, attrs[1]).group).toBe('Profile')
  })
  it('covers every Okta card built from the user schema, on the side Okta builds', () => {
    // Update User sets profile attributes and reads them back (Okta's getUpdateUserProfileFields and getUserProfileFields)
    expect(profileSlotOf('okta.updateUser', 'outputs')).toMatchObject({ group: 'Profile Properties', verb: 'read' })
    expect(profileSlotOf('okta.createUser', 'outputs')).toMatchObject({ group: 'Profile Properties', verb: 'read' })
    // List Users with Search searches them (getSearchUserProfileFields): inputs in the Inputs group
    expect(profileSlotOf('okta.listUsersWithSearch', 'inputs')).toMatchObject({ group: 'Inputs', verb: 'search' })
    expect(profileSlotOf('okta.listUsersWithSearch', 'outputs')).toBeNull()
    expect(profileSlotOf('okta.readUser', 'inputs')).toBeNull()
    expect(profileSlotOf('okta.deleteUser', 'inputs')).toBeNull()
    const search: Card = { id: 's', type: 'okta.listUsersWithSearch', inputs: [{ key: 'status', group: 'Inputs', value: 'ACTIVE' }] }
    expect(missingAttributes(search, profileSlotOf(search.type, 'inputs')!, attrs, ['status', 'id', 'created']).map((a) => a.key)).toEqual(['login', 'costCenter', 'badgeNumber'])
  })
})

describe('endpoint card view', () => {
  it('shows OAuth settings only with OAuth 2.0 security', async () => {
    const { endpointInputShown } = await import('./endpoint')
    const c = (level?: string): Card => ({ id: 't', type: 'api.endpoint', inputs: level ? [{ key: 'security_level', value: level }] : [] })
    expect(endpointInputShown(c(), 'scope')).toBe(false)
    expect(endpointInputShown(c('hmac'), 'authServer')).toBe(false)
    expect(endpointInputShown(c('oauth2'), 'scope')).toBe(true)
    expect(endpointInputShown(c(), 'rateLimit')).toBe(true)
    expect(endpointInputShown({ id: 'x', type: 'okta.readUser' }, 'scope')).toBe(true)
  })
  it('tags custom outputs with their request group', async () => {
    const { requestGroup } = await import('./endpoint')
    expect(requestGroup(trigger, { group: 'headers', custom: true })).toBe('headers')
    expect(requestGroup(trigger, { group: 'raw', custom: false })).toBe('')
    expect(requestGroup({ id: 'r', type: 'okta.readUser' }, { group: 'body', custom: true })).toBe('')
  })
})

describe('tryCommands', () => {
  const outputs = [
    { key: 'name', group: 'body', type: 'string' }, { key: 'age', group: 'body', type: 'number' },
    { key: 'lang', group: 'query', type: 'string' }, { key: 'x-request-id', group: 'headers', type: 'string' },
    { key: 'body', group: 'raw', type: 'any' },
  ]
  it('sends the client token, sample body, query and headers', async () => {
    const { tryCommands } = await import('./endpoint')
    const s = tryCommands({ url: 'http://h/api/flows/f/invoke', security: 'medium', secret: 'tok', outputs })
    expect(s).toContain(`BODY='{"name":"text","age":1}'`)
    expect(s).toContain(`-H 'x-api-client-token: tok'`)
    expect(s).toContain(`-H 'x-request-id: text'`)
    expect(s).toContain(`'http://h/api/flows/f/invoke?lang=text'`)
  })
  it('signs for HMAC and gets a token for OAuth 2.0', async () => {
    const { tryCommands, SANDBOX_CALLER } = await import('./endpoint')
    expect(tryCommands({ url: 'u', security: 'hmac', secret: "it's", outputs: [] })).toContain(`-hmac 'it'\\''s'`)
    const o = tryCommands({ url: 'u', security: 'oauth2', scope: 's1', org: 'http://org', caller: SANDBOX_CALLER, outputs: [] })
    expect(o).toContain(`-u '0oaflowbenchcaller00:sandbox-caller-secret-do-not-use-in-production'`)
    expect(o).toContain(`'http://org/oauth2/v1/token'`)
    expect(o).toContain('Authorization: Bearer $TOKEN')
    expect(tryCommands({ url: 'u', security: 'oauth2', authServer: 'default', outputs: [] })).toContain(`'<org URL>/oauth2/default/v1/token'`)
    expect(tryCommands({ url: 'u', security: 'open', outputs: [] })).not.toContain('-H \'x-api')
  })
})

describe('profileChoices: enum profile attributes as dropdowns', () => {
  const attrs = [
    { key: 'costCenter', title: 'Cost center', type: 'string', custom: true, choices: [{ value: 'EMEA', label: 'Europe' }, { value: 'AMER', label: 'Americas' }] },
    { key: 'nickName', title: 'Nickname', type: 'string' },
  ]
  const upd = { id: 'u', type: 'okta.updateUser', connection: 'sandbox' }
  it('gives the schema values of a profile attribute input', () =>
    expect(profileChoices(upd, { key: 'costCenter', group: 'Profile' }, attrs)?.map((c) => c.value)).toEqual(['EMEA', 'AMER']))
  it('gives none to a free-text attribute, another section or another card', () => {
    expect(profileChoices(upd, { key: 'nickName', group: 'Profile' }, attrs)).toBeUndefined()
    expect(profileChoices(upd, { key: 'costCenter', group: 'Other' }, attrs)).toBeUndefined()
    expect(profileChoices({ ...upd, type: 'okta.readUser' }, { key: 'costCenter', group: 'Profile' }, attrs)).toBeUndefined()
    expect(profileChoices(upd, { key: 'costCenter', group: 'Profile' }, undefined)).toBeUndefined()
  })
})
