// Schema-driven form generation: a field's declared type (and choices)
// picks its editor; connection kinds' field lists become forms.
import type { Connection, ConnectionKindDoc, FieldSpec } from '../api/types'
import { normType, type NType } from './types'

export type EditorKind = 'text' | 'longtext' | 'number' | 'boolean' | 'date' | 'choice' | 'list' | 'object' | 'json' | 'secret' | 'flow'

export function editorFor(t: NType, opts: { choices?: boolean; secret?: boolean; key?: string } = {}): EditorKind {
  if (opts.secret) return 'secret'
  if (opts.choices) return 'choice'
  if (t.list) return 'list'
  switch (t.kind) {
    case 'number':
    case 'integer':
      return 'number'
    case 'boolean':
      return 'boolean'
    case 'date':
      return 'date'
    case 'object':
      return 'object'
    case 'any':
      return 'json'
    case 'flow':
      return 'flow'
  }
  if (opts.key && /body|script|template|query|pem|description/i.test(opts.key)) return 'longtext'
  return 'text'
}

/** parseInput turns editor text into the JSON value stored as Field.Value. */
export function parseInput(kind: EditorKind, text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const t = text.trim()
  switch (kind) {
    case 'number': {
      if (t === '') return { ok: true, value: undefined }
      const n = Number(t)
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, error: 'not a number' }
    }
    case 'boolean':
      if (t === '') return { ok: true, value: undefined }
      if (/^(true|yes|1)$/i.test(t)) return { ok: true, value: true }
      if (/^(false|no|0)$/i.test(t)) return { ok: true, value: false }
      return { ok: false, error: 'true or false' }
    case 'date': {
      if (t === '') return { ok: true, value: undefined }
      const d = new Date(t)
      return isNaN(d.getTime()) ? { ok: false, error: 'not a date' } : { ok: true, value: d.toISOString() }
    }
    case 'list':
    case 'object':
    case 'json': {
      if (t === '') return { ok: true, value: undefined }
      try {
        const v = JSON.parse(t)
        if (kind === 'list' && !Array.isArray(v)) return { ok: false, error: 'a JSON list, e.g. ["a","b"]' }
        if (kind === 'object' && (v === null || typeof v !== 'object' || Array.isArray(v))) return { ok: false, error: 'a JSON object, e.g. {"a":1}' }
        return { ok: true, value: v }
      } catch (e) {
        if (kind === 'json') return { ok: true, value: text }
        return { ok: false, error: (e as Error).message }
      }
    }
    default:
      return { ok: true, value: text === '' ? undefined : text }
  }
}

export function formatInput(kind: EditorKind, v: unknown): string {
  if (v === undefined || v === null) return ''
  if (kind === 'list' || kind === 'object' || (kind === 'json' && typeof v !== 'string')) return JSON.stringify(v)
  if (kind === 'date' && typeof v === 'string') return v.slice(0, 16)
  return String(v)
}

/** One control of a generated form. */
export interface FormField {
  key: string
  label: string
  editor: EditorKind
  required: boolean
  secret: boolean
  description?: string
  choices?: { value: unknown; label: string }[]
  group?: string
  default?: unknown
}

export function formFields(specs: FieldSpec[], secret = false): FormField[] {
  return specs.map((s) => ({
    key: s.key,
    label: s.label || s.key,
    editor: editorFor(normType(s.type), { choices: !!s.choices?.length, secret, key: s.key }),
    required: !!s.required,
    secret,
    description: s.description,
    choices: s.choices,
    group: s.group,
    default: s.default,
  }))
}

/** The auth-method field of a connection kind, whose value decides which grouped fields show. */
export function selectorField(kind: ConnectionKindDoc): FieldSpec | undefined {
  return kind.fields.find((f) => f.choices?.length && /auth|method/i.test(f.key)) ?? kind.fields.find((f) => !!f.choices?.length)
}

/** Which fields each auth method uses, for kinds whose fields carry no group.
 * A field named by no method always shows. */
export const METHOD_FIELDS: Record<string, Record<string, string[]>> = {
  okta: {
    token: ['apiToken'],
    privateKey: ['clientId', 'scopes', 'keyId', 'dpop', 'privateKey'],
    clientSecret: ['clientId', 'scopes', 'dpop', 'clientSecret'],
  },
  // API Connector: "More secret headers" and the base URL apply to every method
  http: {
    none: [],
    basic: ['username', 'password'],
    header: ['headerName', 'headerPrefix', 'headerValue'],
    oauth2ClientCredentials: ['tokenUrl', 'clientId', 'scopes', 'authStyle', 'clientSecret'],
    oauth2AuthCode: ['authUrl', 'tokenUrl', 'clientId', 'scopes', 'redirectPort', 'authStyle', 'clientSecret', 'oauthToken'],
  },
}

/** visible: fields without a group always show; grouped ones when the selector picks their group. */
export function visibleFields(kind: ConnectionKindDoc, config: Record<string, unknown>): { fields: FormField[]; secrets: FormField[] } {
  const sel = selectorField(kind)
  const cur = sel ? String(config[sel.key] ?? sel.default ?? sel.choices?.[0]?.value ?? '') : ''
  const methods = METHOD_FIELDS[kind.id]
  const named = new Set(Object.values(methods ?? {}).flat())
  const show = (f: FormField) => {
    if (f.group && sel) return f.group.split(/[,|]/).map((g) => g.trim()).includes(cur)
    if (methods && named.has(f.key)) return (methods[cur] ?? []).includes(f.key)
    return true
  }
  return { fields: formFields(kind.fields).filter(show), secrets: formFields(kind.secrets ?? [], true).filter(show) }
}

/** connectionDraft is a new connection of a kind with defaults filled. */
export function connectionDraft(kind: ConnectionKindDoc, name: string): Connection {
  const config: Record<string, unknown> = {}
  for (const f of kind.fields) if (f.default !== undefined) config[f.key] = f.default
  const sel = selectorField(kind)
  if (sel && config[sel.key] === undefined && sel.choices?.length) config[sel.key] = sel.choices[0].value
  return { id: '', name, kind: kind.id, config, secrets: {} }
}

/** secretsForSave keeps only secrets the person typed: empty means "keep the stored one". */
export function secretsForSave(secrets: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(secrets ?? {})) if (v && v !== '********') out[k] = v
  return out
}

/** missingRequired lists required visible fields without a value (secrets may already be stored). */
export function missingRequired(kind: ConnectionKindDoc, c: Connection, stored: Record<string, string> = {}): string[] {
  const { fields, secrets } = visibleFields(kind, c.config ?? {})
  const miss: string[] = []
  for (const f of fields) if (f.required && (c.config?.[f.key] === undefined || c.config?.[f.key] === '')) miss.push(f.label)
  for (const f of secrets) if (f.required && !c.secrets?.[f.key] && !stored[f.key]) miss.push(f.label)
  return miss
}
