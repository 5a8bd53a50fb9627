import type { ConnectionKindDoc, Flow, SpecDoc } from '../api/types'
import { indexSpecs } from '../model/specs'

export const specList: SpecDoc[] = [
  { id: 'okta.userAddedToGroup', title: 'User Added to Group', category: 'Okta', app: 'okta', kind: 'trigger', inputs: [],
    outputs: [
      { key: 'user', type: { kind: 'object', fields: { id: 'string', login: 'string', profile: { kind: 'object', fields: { email: 'string' } } } } },
      { key: 'group', type: { kind: 'object', fields: { id: 'string', name: 'string' } } },
    ] },
  { id: 'okta.readUser', title: 'Read User', category: 'Okta', app: 'okta', kind: 'action', connection: 'okta',
    inputs: [{ key: 'id', label: 'ID or login', type: 'string', required: true }],
    outputs: [{ key: 'id', type: 'string' }, { key: 'profile', type: { kind: 'object', fields: { email: 'string', isMemberOfGroup: 'boolean' } } }] },
  { id: 'okta.updateUser', title: 'Update User', category: 'Okta', app: 'okta', kind: 'action', connection: 'okta',
    inputs: [{ key: 'id', type: 'string', required: true }, { key: 'isMemberOfGroup', type: 'boolean' }, { key: 'count', type: 'number' }, { key: 'tags', type: 'string[]' }],
    outputs: [{ key: 'id', type: 'string' }] },
  { id: 'flow.if', title: 'If/Else', category: 'Branching', kind: 'control', branches: ['true', 'false'],
    inputs: [{ key: 'a', type: 'any' }, { key: 'b', type: 'any' }], outputs: [{ key: 'result', type: 'boolean' }] },
  { id: 'list.count', title: 'Count', category: 'List', kind: 'function', inputs: [{ key: 'list', type: 'any[]' }], outputs: [{ key: 'count', type: 'number' }] },
  { id: 'flow.manual', title: 'Manual Run', category: 'Triggers', kind: 'trigger', extensibleOutputs: true, inputs: [], outputs: [] },
]

export const specs = indexSpecs(specList)

export function seedFlow(): Flow {
  return {
    format: 'flowbench.flow/v1', id: 'f1', name: 'Seed', folder: 'Getting started', settings: { history: true },
    trigger: { id: 'trigger', type: 'okta.userAddedToGroup' },
    cards: [
      { id: 'read', type: 'okta.readUser', title: 'Read User', connection: 'sandbox' },
      { id: 'upd', type: 'okta.updateUser', title: 'Update User', connection: 'sandbox' },
    ],
  }
}

export const oktaKind: ConnectionKindDoc = {
  id: 'okta', title: 'Okta',
  fields: [
    { key: 'domain', label: 'Okta domain', type: 'string', required: true },
    { key: 'authMethod', label: 'Authentication', type: 'string', required: true, default: 'token',
      choices: [{ value: 'token', label: 'API token' }, { value: 'privateKey', label: 'Private key' }, { value: 'clientSecret', label: 'Client secret' }] },
    { key: 'clientId', label: 'Client ID', type: 'string' },
    { key: 'scopes', label: 'Scopes', type: 'string' },
    { key: 'keyId', label: 'Key ID', type: 'string' },
    { key: 'dpop', label: 'Require DPoP', type: 'boolean', default: false },
    { key: 'concurrencyLimit', label: 'Concurrency limit', type: 'number' },
  ],
  secrets: [
    { key: 'apiToken', label: 'API token', type: 'string' },
    { key: 'privateKey', label: 'Private key', type: 'string' },
    { key: 'clientSecret', label: 'Client secret', type: 'string' },
  ],
}
