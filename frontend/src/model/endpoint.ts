// API Endpoint trigger outputs (Okta's body / query / headers groups) and
// the Okta cards whose profile fields come from the org's user schema.
import type { Card, Choice, Field } from '../api/types'

export type EndpointGroup = 'body' | 'query' | 'headers'
export const ENDPOINT_GROUPS: { value: EndpointGroup; label: string }[] = [
  { value: 'body', label: 'Body' },
  { value: 'query', label: 'Query' },
  { value: 'headers', label: 'Headers' },
]

export function isEndpointTrigger(type: string): boolean {
  return type === 'api.endpoint'
}

/** fieldName: the request field an endpoint output reads (key without "group/" and "#n"). */
export function fieldName(f: Pick<Field, 'key' | 'group'>): string {
  let n = f.key
  if (f.group && n.startsWith(f.group + '/')) n = n.slice(f.group.length + 1)
  const i = n.indexOf('#')
  return i > 0 ? n.slice(0, i) : n
}

/** endpointOutput builds a new output of an API Endpoint card: Okta's key is
 * the field name; "group/name" when the card already has that key (the raw
 * group's body/headers/query, or the same name in another group). Header
 * names are lower-case, as Okta reads them. An error text when it cannot be added. */
export function endpointOutput(card: Card, group: EndpointGroup, name: string, type: string, declared: string[] = []): Field | string {
  let n = name.trim()
  if (!n) return 'Enter the field name'
  if (group === 'headers') n = n.toLowerCase()
  if (/[\s#/]/.test(n)) return `“${n}”: a field name has no spaces, # or /`
  const outs = card.outputs ?? []
  if (outs.some((o) => (o.group ?? '') === group && fieldName(o) === n)) return `${group} already has a field “${n}”`
  const taken = new Set([...declared, ...outs.map((o) => o.key)])
  const key = taken.has(n) ? `${group}/${n}` : n
  return { key, group, label: n, type }
}

export interface ProfileSlot {
  side: 'inputs' | 'outputs'
  /** Okta's group of the profile fields on this card */
  group: string
  /** what the card does with them: the panel says "Profile attributes to …" */
  verb: 'set' | 'read' | 'search'
}

/** PROFILE_CARDS: Okta cards whose profile fields Okta builds from the org's
 * user schema (the generators getUserProfileFields, getUpdateUserProfileFields,
 * getCreateUserInputs and getSearchUserProfileFields of Okta's exports). */
export const PROFILE_CARDS: Record<string, ProfileSlot[]> = {
  'okta.readUser': [{ side: 'outputs', group: 'Profile Properties', verb: 'read' }],
  'okta.updateUser': [{ side: 'inputs', group: 'Profile', verb: 'set' }, { side: 'outputs', group: 'Profile Properties', verb: 'read' }],
  'okta.createUser': [{ side: 'inputs', group: 'Profile', verb: 'set' }, { side: 'outputs', group: 'Profile Properties', verb: 'read' }],
  'okta.listUsersWithSearch': [{ side: 'inputs', group: 'Inputs', verb: 'search' }],
}

/** profileSlotOf: the card type's profile slot on that side, if Okta builds one from the schema. */
export function profileSlotOf(type: string, side: 'inputs' | 'outputs'): ProfileSlot | null {
  return PROFILE_CARDS[type]?.find((s) => s.side === side) ?? null
}

export interface ProfileAttribute {
  key: string
  title: string
  type: string
  custom?: boolean
  required?: boolean
  description?: string
  /** the attribute's enum / oneOf values (Okta lists them as a dropdown) */
  choices?: Choice[]
}

/** profileChoices: the dropdown values of a profile attribute input (an
 * attribute of the org's schema with enum or oneOf) on a card whose profile
 * fields come from that schema; undefined for any other input. */
export function profileChoices(card: Card, f: { key: string; group?: string }, attrs: readonly ProfileAttribute[] | undefined): Choice[] | undefined {
  const slot = profileSlotOf(card.type, 'inputs')
  if (!slot || !attrs || (f.group ?? '') !== slot.group) return undefined
  const c = attrs.find((a) => a.key === f.key)?.choices
  return c?.length ? c : undefined
}

/** missingAttributes: the schema's attributes the card does not have yet, filtered by text. */
export function missingAttributes(card: Card, slot: ProfileSlot, attrs: ProfileAttribute[], declared: string[], filter = ''): ProfileAttribute[] {
  const have = new Set([...declared, ...(card[slot.side] ?? []).map((f) => f.key)])
  const q = filter.trim().toLowerCase()
  return attrs.filter((a) => !have.has(a.key) && (!q || a.key.toLowerCase().includes(q) || a.title.toLowerCase().includes(q)))
}

/** profileField: the card field of a schema attribute (Okta's export key is the variable name). */
export function profileField(slot: ProfileSlot, a: ProfileAttribute): Field {
  return { key: a.key, group: slot.group, label: a.title, type: a.type }
}

/** OAUTH_INPUTS are the endpoint inputs that only matter with OAuth 2.0 security. */
export const OAUTH_INPUTS = ['authServer', 'scope', 'audience']

/** endpointInputShown: hides the OAuth 2.0 settings of API Endpoint / Delegated
 * cards secured otherwise (they keep their values). */
export function endpointInputShown(card: Card, key: string): boolean {
  if ((card.type !== 'api.endpoint' && card.type !== 'api.delegated') || !OAUTH_INPUTS.includes(key)) return true
  return card.inputs?.find((f) => f.key === 'security_level')?.value === 'oauth2'
}

/** requestGroup: the request part an API Endpoint output reads (body, query, headers), for its tag. */
export function requestGroup(card: Card, f: { group?: string; custom: boolean }): string {
  return isEndpointTrigger(card.type) && f.custom && (f.group === 'body' || f.group === 'query' || f.group === 'headers') ? f.group : ''
}

/** The sandbox org's API Services client (connectors/okta/sandbox seed). */
export const SANDBOX_CALLER = { id: '0oaflowbenchcaller00', secret: 'sandbox-caller-secret-do-not-use-in-production' }

export interface TryInput {
  url: string
  /** open | medium | hmac | oauth2 */
  security: string
  secret?: string
  outputs: Field[]
  scope?: string
  authServer?: string
  /** OAuth 2.0: the org URL, and its client when it is the sandbox org */
  org?: string
  caller?: { id: string; secret: string }
}

function sample(type: unknown): unknown {
  const t = typeof type === 'string' ? type : ''
  if (t.endsWith('[]')) return []
  if (t === 'number' || t === 'integer') return 1
  if (t === 'boolean') return true
  if (t === 'object' || (type && typeof type === 'object')) return {}
  return 'text'
}

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

/** tryCommands: a shell snippet calling the endpoint as a caller would, with
 * sample values for the outputs read from the body, query and headers. */
export function tryCommands(t: TryInput): string {
  const body: Record<string, unknown> = {}
  const query: string[] = []
  const headers: string[] = []
  for (const o of t.outputs) {
    const n = fieldName(o)
    if (o.group === 'body') body[n] = sample(o.type)
    else if (o.group === 'query') query.push(`${encodeURIComponent(n)}=${encodeURIComponent(String(sample(o.type)))}`)
    else if (o.group === 'headers') headers.push(`-H ${sq(`${n}: text`)}`)
  }
  const url = t.url + (query.length ? `?${query.join('&')}` : '')
  const lines: string[] = [`BODY=${sq(JSON.stringify(body))}`]
  const call = (auth: string[]) => ['curl -sS -X POST', ...auth, "-H 'Content-Type: application/json'", ...headers, '--data "$BODY"', sq(url)].join(' \\\n  ')
  switch (t.security) {
    case 'hmac':
      lines.push(`SIG=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac ${sq(t.secret ?? '<signing secret>')} | sed 's/^.* //')`)
      lines.push(call(['-H "x-flowbench-signature: sha256=$SIG"']))
      break
    case 'oauth2': {
      const server = t.authServer && t.authServer !== 'org' ? `/oauth2/${t.authServer}` : '/oauth2'
      const client = t.caller ? `${t.caller.id}:${t.caller.secret}` : '<client id>:<client secret>'
      lines.push(`TOKEN=$(curl -sS -u ${sq(client)} -d grant_type=client_credentials -d scope=${sq(t.scope || 'okta.workflows.invoke.manage')} \\\n  ${sq(`${t.org ?? '<org URL>'}${server}/v1/token`)} | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')`)
      lines.push(call(['-H "Authorization: Bearer $TOKEN"']))
      break
    }
    case 'open':
      lines.push(call([]))
      break
    default:
      lines.push(call([`-H ${sq(`x-api-client-token: ${t.secret ?? '<client token>'}`)}`]))
  }
  return lines.join('\n')
}
