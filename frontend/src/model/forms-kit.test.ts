import { describe, expect, it } from 'vitest'
import { connectionDraft, missingRequired, visibleFields } from './forms'
import type { ConnectionKindDoc } from '../api/types'

// a connection kind as connectors/kit declares it: the auth method selector
// first, each method's fields grouped under its id ("a,b" when shared)
const slack = {
  id: 'slack', title: 'Slack',
  fields: [
    { key: 'authMethod', label: 'Authentication', type: 'string', required: true, default: 'token',
      choices: [{ value: 'token', label: 'Bot token' }, { value: 'oauth2AuthCode', label: 'OAuth 2.0' }] },
    { key: 'clientId', label: 'Client ID', type: 'string', required: true, group: 'oauth2AuthCode,oauth2ClientCredentials' },
    { key: 'redirectPort', label: 'Redirect port', type: 'number', group: 'oauth2AuthCode' },
  ],
  secrets: [
    { key: 'signingSecret', label: 'Signing secret', type: 'string' },
    { key: 'apiToken', label: 'Bot User OAuth Token', type: 'string', required: true, group: 'token' },
    { key: 'clientSecret', label: 'Client secret', type: 'string', required: true, group: 'oauth2AuthCode' },
  ],
} as unknown as ConnectionKindDoc

const keys = (v: { fields: { key: string }[]; secrets: { key: string }[] }) => [...v.fields, ...v.secrets].map((f) => f.key)

describe('kit connection forms', () => {
  it('show only the chosen method\'s fields, and the ungrouped ones always', () => {
    expect(keys(visibleFields(slack, { authMethod: 'token' }))).toEqual(['authMethod', 'signingSecret', 'apiToken'])
    expect(keys(visibleFields(slack, { authMethod: 'oauth2AuthCode' }))).toEqual(['authMethod', 'clientId', 'redirectPort', 'signingSecret', 'clientSecret'])
  })
  it('a new connection starts on the default method and asks only for its required fields', () => {
    const c = connectionDraft(slack, 'Slack connection')
    expect(c.config?.authMethod).toBe('token')
    expect(missingRequired(slack, c)).toEqual(['Bot User OAuth Token'])
    expect(missingRequired(slack, { ...c, config: { authMethod: 'oauth2AuthCode' } })).toEqual(['Client ID', 'Client secret'])
  })
})
