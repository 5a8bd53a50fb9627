import type { Card, Field, FieldSpec, SpecDoc } from '../api/types'
import { normType, type NType } from './types'
import { isClauses, withClauses } from './clauses'

export type SpecIndex = Map<string, SpecDoc>

export function indexSpecs(specs: SpecDoc[]): SpecIndex {
  const m: SpecIndex = new Map()
  for (const s of specs) {
    m.set(s.id, s)
    for (const o of s.okta ?? []) if (!m.has(o)) m.set(o, s)
  }
  return m
}

/** A field as drawn on a card: the declared spec merged with the card's own field. */
export interface ViewField {
  key: string
  label: string
  type: NType
  required: boolean
  spec?: FieldSpec
  field?: Field
  group?: string
  /** user-added (extensible) */
  custom: boolean
}

const CONTEXT: NType = {
  kind: 'object', list: false,
  fields: { execution_id: { kind: 'string', list: false }, index: { kind: 'number', list: false }, error: { kind: 'object', list: false } },
}

export function inputFields(card: Card, spec?: SpecDoc): ViewField[] {
  const out: ViewField[] = []
  const seen = new Set<string>()
  for (const s of spec?.inputs ?? []) {
    const f = card.inputs?.find((x) => x.key === s.key)
    seen.add(s.key)
    if (f?.hidden) continue
    out.push({ key: s.key, label: s.label || f?.label || s.key, type: normType(f?.type ?? s.type), required: !!s.required, spec: s, field: f, group: s.group, custom: false })
  }
  for (const f of card.inputs ?? []) {
    if (seen.has(f.key) || f.hidden) continue
    out.push({ key: f.key, label: f.label || f.key, type: normType(f.type), required: !!f.required, field: f, group: f.group, custom: true })
  }
  return out
}

export function outputFields(card: Card, spec?: SpecDoc, isTrigger = false): ViewField[] {
  const out: ViewField[] = []
  const seen = new Set<string>()
  for (const s of spec?.outputs ?? []) {
    seen.add(s.key)
    const f = card.outputs?.find((x) => x.key === s.key)
    out.push({ key: s.key, label: s.label || s.key, type: normType(f?.type ?? s.type), required: false, spec: s, field: f, group: s.group, custom: false })
  }
  for (const f of card.outputs ?? []) {
    if (seen.has(f.key) || f.hidden) continue
    seen.add(f.key)
    out.push({ key: f.key, label: f.label || f.key, type: normType(f.type), required: !!f.required, field: f, group: f.group, custom: true })
  }
  if (isTrigger && !seen.has('context')) {
    out.push({ key: 'context', label: 'context', type: CONTEXT, required: false, custom: false })
  }
  return out
}

/** Brand colours of connector apps (others are slate). */
const APP_COLORS: Record<string, string> = {
  slack: '#4a154b', slackadmin: '#4a154b', google: '#1a73e8', office365admin: '#0078d4', office365mail: '#0078d4',
  microsoftteams: '#5059c9', github: '#24292f', salesforce: '#00a1e0', jira: '#0052cc', servicenow: '#293e40',
}

/** App colours and glyphs, as on Okta Workflows cards. */
export function appStyle(spec?: SpecDoc): { color: string; glyph: string; name: string } {
  const app = spec?.app ?? ''
  const cat = spec?.category ?? ''
  if (app === 'okta') return { color: '#1662dd', glyph: 'O', name: 'Okta' }
  if (app === 'http') return { color: '#7b3fe4', glyph: '⇄', name: 'API Connector' }
  if (app === 'tables') return { color: '#0f8a5f', glyph: '▦', name: 'Tables' }
  if (app) {
    // connector apps (connectors/kit): the palette category is the app's title ("Slack", "Slack events")
    const name = cat.replace(/ events$/, '') || app
    return { color: APP_COLORS[app] ?? '#5b6b7c', glyph: name.slice(0, 1).toUpperCase(), name }
  }
  if (spec?.kind === 'trigger') return { color: '#d1495b', glyph: '⚡', name: 'Trigger' }
  const fam: Record<string, [string, string]> = {
    Text: ['#e07a1f', 'T'], Number: ['#2a9d8f', '#'], List: ['#6a4c93', '≡'], Object: ['#8d6e63', '{}'],
    Date: ['#3a86ff', '◷'], 'True/False': ['#43aa8b', '✓'], Branching: ['#f4a261', '⋔'], 'Flow control': ['#264653', '↻'],
    'Error handling': ['#c1121f', '!'], JSON: ['#6c757d', 'J'],
  }
  const [color, glyph] = fam[cat] ?? ['#607d8b', '•']
  return { color, glyph, name: cat || 'Function' }
}

/** newCard builds a card of a spec with its branches and default lanes. */
export function newCardFromSpec(spec: SpecDoc, id: string): Card {
  const c: Card = { id, type: spec.id, title: spec.title }
  if (spec.branches?.length) c.branches = spec.branches.map((name) => ({ name, cards: [] }))
  return isClauses(c) ? withClauses(c) : c
}
