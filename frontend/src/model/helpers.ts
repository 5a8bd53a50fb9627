// Helper flows on calling cards: Call Flow, Call Flow Async, For Each, Map,
// Filter Custom, Reduce, and connector list cards that stream their records
// (Okta's "Stream Matching Records"). The card names its helper in
// card.flow; the helper's inputs (its Helper Flow trigger's outputs) appear
// on the card as custom inputs, each fed by the current item (or a key of
// it), the item's index, a constant, or a wire — mirroring engine
// itemArgs / helperArgs.
import type { Binding, Card, Field, Flow, ItemMapping, SpecDoc } from '../api/types'
import { sourceType } from './wiring'
import { normType, type NType } from './types'
import type { SpecIndex } from './specs'

/** HelperFlow mirrors app.HelperFlow: a stored flow as a calling card sees it. */
export interface HelperFlow {
  id: string
  name: string
  folder: string
  trigger: string
  inputs: Field[]
  returns: Field[]
  /** names of the other flows calling this one */
  callers?: string[]
}

/** How a card uses its helper flow. */
export type HelperRole = 'call' | 'async' | 'each' | 'reduce' | 'stream'

const ROLES: Record<string, HelperRole> = {
  'flow.call': 'call',
  'flow.callAsync': 'async',
  'list.forEach': 'each',
  'list.forEachIgnoreErrors': 'each',
  'list.map': 'each',
  'list.filterCustom': 'each',
  'list.reduce': 'reduce',
  'list.findCustom': 'each',
  // object cards call their helper once per key with the item {key, value}
  'object.map': 'each',
  'object.mapToList': 'each',
  // Repeat passes its other inputs unchanged count times (context.index is the round), as Call Flow Async passes them
  'flow.repeat': 'async',
}

/** OBJECT_ITEM is the item the object cards pass per key. */
const OBJECT_ITEM: NType = { kind: 'object', list: false, fields: { key: { kind: 'string', list: false }, value: { kind: 'any', list: false } } }

/** isStreamingCard: a connector list card that can stream records to a helper (it has a "Streaming" input group). */
export function isStreamingCard(spec?: SpecDoc): boolean {
  return !!spec?.inputs.some((f) => f.group === 'Streaming')
}

/** streamingOn mirrors engine.Streams: the card's result set (or request type) option streams. */
export function streamingOn(card: Card, spec?: SpecDoc): boolean {
  if (!spec || !isStreamingCard(spec)) return false
  for (const key of ['resultSet', 'requestType']) {
    const fs = spec.inputs.find((f) => f.key === key)
    if (!fs) continue
    const f = card.inputs?.find((x) => x.key === key)
    const v = f?.value !== undefined && f.value !== null ? f.value : fs.default
    return typeof v === 'string' && v.toLowerCase().includes('stream')
  }
  return false
}

/** helperRole says whether (and how) a card calls a helper flow; null: it does not. */
export function helperRole(card: Card, spec?: SpecDoc): HelperRole | null {
  const r = ROLES[card.type] ?? (spec ? ROLES[spec.id] : undefined)
  if (r) return r
  return streamingOn(card, spec) ? 'stream' : null
}

/** iterates: the role passes each list item (item / index mappings apply). */
export function iterates(role: HelperRole | null): boolean {
  return role === 'each' || role === 'reduce'
}

/** ownKeys are the calling card's own inputs (never passed as helper inputs by mapping rows). */
export function ownKeys(spec?: SpecDoc): Set<string> {
  return new Set((spec?.inputs ?? []).map((f) => f.key))
}

/** callable: flows the picker offers (they start with a Helper Flow card). */
export function callable(h: HelperFlow): boolean {
  return h.trigger === 'flow.helper'
}

export interface FolderGroup {
  folder: string
  flows: HelperFlow[]
}

/** groupHelpers filters callable flows by a search text (name or folder,
 * every word must match) and groups them by folder, folders and names sorted. */
export function groupHelpers(all: HelperFlow[], query: string, exclude?: string): FolderGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  const byFolder = new Map<string, HelperFlow[]>()
  for (const h of all) {
    if (!callable(h) || h.id === exclude) continue
    const hay = `${h.name} ${h.folder}`.toLowerCase()
    if (!words.every((w) => hay.includes(w))) continue
    const k = h.folder || ''
    byFolder.set(k, [...(byFolder.get(k) ?? []), h])
  }
  const cmp = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'base' })
  return [...byFolder.entries()]
    .sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : cmp(a, b)))
    .map(([folder, flows]) => ({ folder, flows: [...flows].sort((x, y) => cmp(x.name, y.name)) }))
}

/** What feeds one helper input on the calling card. */
export type Source =
  | { kind: 'unset' }
  | { kind: 'item'; path: string }
  | { kind: 'index' }
  | { kind: 'value'; value: unknown }
  | { kind: 'wire'; from: Binding }

export function sourceOf(f?: Field): Source {
  if (!f) return { kind: 'unset' }
  if (f.from) return { kind: 'wire', from: f.from }
  if (f.item) return f.item.index ? { kind: 'index' } : { kind: 'item', path: f.item.path ?? '' }
  if (f.value !== undefined && f.value !== null) return { kind: 'value', value: f.value }
  return { kind: 'unset' }
}

/** fieldFor is the card input that realizes a source for helper input h (its type kept). */
export function fieldFor(h: Field, s: Source, prev?: Field): Field {
  const base: Field = { key: h.key }
  const label = prev?.label ?? h.label
  if (label) base.label = label
  const type = h.type ?? prev?.type
  if (type) base.type = type
  switch (s.kind) {
    case 'item':
      return { ...base, item: { path: s.path } }
    case 'index':
      return { ...base, item: { path: '', index: true } }
    case 'value':
      return { ...base, value: s.value }
    case 'wire':
      return { ...base, from: s.from }
    default:
      return base
  }
}

/** setSource sets the source of helper input h on a card. */
export function setSource(card: Card, h: Field, s: Source): Card {
  const inputs = [...(card.inputs ?? [])]
  const i = inputs.findIndex((x) => x.key === h.key)
  const f = fieldFor(h, s, i >= 0 ? inputs[i] : undefined)
  if (i >= 0) inputs[i] = f
  else inputs.push(f)
  return { ...card, inputs }
}

/** chooseHelper points a card at helper h: the card's custom inputs become
 * h's inputs (mappings of inputs h also has are kept), and a Call Flow
 * card's outputs gain h's Return values. Streaming cards keep their inputs
 * (their helper receives Record and State). */
export function chooseHelper(card: Card, spec: SpecDoc | undefined, role: HelperRole, h: HelperFlow, mapping: Record<string, ItemMapping> = {}): Card {
  const next: Card = { ...card, flow: h.id }
  if (role === 'stream') return next
  const own = ownKeys(spec)
  const old = new Map((card.inputs ?? []).map((f) => [f.key, f]))
  const inputs: Field[] = (card.inputs ?? []).filter((f) => own.has(f.key))
  for (const hi of h.inputs) {
    if (own.has(hi.key)) continue // Reduce's memo: the card passes it itself
    const prev = old.get(hi.key)
    const m = mapping[hi.key]
    let src: Source = m && iterates(role) ? (m.index ? { kind: 'index' } : { kind: 'item', path: m.path }) : sourceOf(prev)
    // Call Flow has no item: an item mapping left from a For Each is dropped
    if (!iterates(role) && (src.kind === 'item' || src.kind === 'index')) src = { kind: 'unset' }
    inputs.push(fieldFor(hi, src, prev))
  }
  next.inputs = inputs
  if (role === 'call') {
    const outs = [...(card.outputs ?? [])]
    for (const r of h.returns) {
      if (!outs.some((o) => o.key === r.key)) outs.push({ key: r.key, ...(r.type ? { type: r.type } : {}), ...(r.label ? { label: r.label } : {}) })
    }
    next.outputs = outs
  }
  return next
}

/** Row is one helper input as the calling card shows it. */
export interface Row {
  key: string
  label: string
  type: NType
  /** the helper's declared input (absent for stale rows) */
  input?: Field
  /** the card's field */
  field?: Field
  /** the card maps an input the helper does not have (renamed or removed there) */
  stale: boolean
}

/** rows lists the helper's inputs, then the card's mapped inputs the helper lacks. */
export function rows(card: Card, spec: SpecDoc | undefined, h: HelperFlow | undefined): Row[] {
  const own = ownKeys(spec)
  const out: Row[] = []
  const seen = new Set<string>()
  for (const hi of h?.inputs ?? []) {
    if (own.has(hi.key)) continue
    const f = card.inputs?.find((x) => x.key === hi.key)
    seen.add(hi.key)
    out.push({ key: hi.key, label: hi.label || hi.key, type: normType(hi.type ?? f?.type), input: hi, field: f, stale: false })
  }
  for (const f of card.inputs ?? []) {
    if (own.has(f.key) || seen.has(f.key) || f.hidden) continue
    out.push({ key: f.key, label: f.label || f.key, type: normType(f.type), field: f, stale: !!h })
  }
  return out
}

/** valueType guesses the type of a JSON value (for literal lists). */
function valueType(v: unknown): NType {
  if (Array.isArray(v)) return { ...valueType(v[0]), list: true }
  if (v === null || v === undefined) return { kind: 'any', list: false }
  if (typeof v === 'object') {
    const fields: Record<string, NType> = {}
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) fields[k] = valueType(x)
    return { kind: 'object', list: false, fields }
  }
  if (typeof v === 'number') return { kind: 'number', list: false }
  if (typeof v === 'boolean') return { kind: 'boolean', list: false }
  return { kind: 'string', list: false }
}

/** itemType is the type of one item of the card's list: from the output its
 * "list" input is wired to, or from a literal list. */
export function itemType(flow: Flow, specs: SpecIndex, card: Card): NType | undefined {
  if (card.type === 'object.map' || card.type === 'object.mapToList') return OBJECT_ITEM
  const f = card.inputs?.find((x) => x.key === 'list')
  if (!f) return undefined
  let t: NType | undefined
  if (f.from) t = sourceType(flow, specs, { card: f.from.card, path: f.from.path })
  else if (Array.isArray(f.value) && f.value.length) t = valueType(f.value)
  if (!t) return undefined
  return { ...t, list: false }
}

/** recordType is the record a streaming card sends: an item of its first list output. */
export function recordType(spec?: SpecDoc): NType {
  for (const o of spec?.outputs ?? []) {
    const t = normType(o.type)
    if (t.list) return { ...t, list: false }
  }
  return { kind: 'object', list: false }
}

/** itemPaths are the keys of an item the card offers as "item › key", nested
 * objects' keys as "item › key › sub" (dot paths, up to three levels, sorted). */
export function itemPaths(t?: NType, prefix = '', depth = 0): { path: string; type: NType }[] {
  if (!t || t.list || t.kind !== 'object' || !t.fields || depth > 2) return []
  const out: { path: string; type: NType }[] = []
  for (const k of Object.keys(t.fields).sort()) {
    const path = prefix + k
    out.push({ path, type: t.fields[k] })
    out.push(...itemPaths(t.fields[k], path + '.', depth + 1))
  }
  return out
}

function toJSON(t: NType): Field['type'] {
  if (!t.fields) return t.kind + (t.list ? '[]' : '')
  const fields: Record<string, NonNullable<Field['type']>> = {}
  for (const [k, v] of Object.entries(t.fields)) fields[k] = toJSON(v)!
  return { kind: t.kind, ...(t.list ? { list: true } : {}), fields }
}

/** Draft is what "New helper flow…" creates: the helper's inputs and how the card maps them. */
export interface Draft {
  inputs: Field[]
  mapping: Record<string, ItemMapping>
}

/** draftInputs prefills a new helper's inputs from the calling card:
 *  - For Each / Map / Filter: one input per key of the item (mapped to that
 *    key) when the item is an object of known keys, else one input "item"
 *    (mapped to the whole item); Reduce adds "memo";
 *  - Call Flow: the card's current inputs;
 *  - streaming: Record (the record type) and State, as Okta's helpers have. */
export function draftInputs(role: HelperRole, card: Card, spec: SpecDoc | undefined, item?: NType): Draft {
  const own = ownKeys(spec)
  if (role === 'stream') {
    return { inputs: [{ key: 'Record', type: toJSON(recordType(spec)) }, { key: 'State', type: 'any' }], mapping: {} }
  }
  if (role === 'call' || role === 'async') {
    return { inputs: (card.inputs ?? []).filter((f) => !own.has(f.key) && !f.hidden).map((f) => ({ key: f.key, type: f.type ?? 'any', ...(f.label ? { label: f.label } : {}) })), mapping: {} }
  }
  const inputs: Field[] = []
  const mapping: Record<string, ItemMapping> = {}
  const paths = itemPaths(item).filter((p) => !p.path.includes('.'))
  if (paths.length) {
    for (const p of paths) {
      if (own.has(p.path) || p.path === 'context') continue
      inputs.push({ key: p.path, type: toJSON(p.type) })
      mapping[p.path] = { path: p.path }
    }
  } else {
    inputs.push({ key: 'item', type: item ? toJSON(item) : 'any' })
    mapping.item = { path: '' }
  }
  if (role === 'reduce') inputs.push({ key: 'memo', type: 'any' })
  return { inputs, mapping }
}

/** DraftInput is one row of "New helper flow…": the input and how the card
 * will map it. The mapping belongs to the row, so it follows a renamed input. */
export interface DraftInput {
  field: Field
  map?: ItemMapping
}

/** draftRows are the rows the dialog starts with. */
export function draftRows(d: Draft): DraftInput[] {
  return d.inputs.map((f) => ({ field: f, ...(d.mapping[f.key] ? { map: d.mapping[f.key] } : {}) }))
}

/** draftMapping is how the card maps the created helper's inputs, by their
 * final (trimmed) names, as the server stores them; blank names map nothing. */
export function draftMapping(rows: DraftInput[]): Record<string, ItemMapping> {
  const out: Record<string, ItemMapping> = {}
  for (const r of rows) {
    const k = r.field.key.trim()
    if (k && r.map && !(k in out)) out[k] = r.map
  }
  return out
}

/** autoMap maps the helper inputs a card does not feed yet from the item by
 * name: an input named like a key of the item gets that key, one named
 * "item" the whole item, one named "index" the item's index. */
export function autoMap(card: Card, h: HelperFlow, item?: NType): Record<string, ItemMapping> {
  const keys = new Set(itemPaths(item).filter((p) => !p.path.includes('.')).map((p) => p.path))
  const out: Record<string, ItemMapping> = {}
  for (const hi of h.inputs) {
    if (sourceOf(card.inputs?.find((f) => f.key === hi.key)).kind !== 'unset') continue
    if (keys.has(hi.key)) out[hi.key] = { path: hi.key }
    else if (hi.key === 'item') out[hi.key] = { path: '' }
    else if (hi.key === 'index') out[hi.key] = { path: '', index: true }
  }
  return out
}

/** returnNote says what a card misses when its helper hands nothing back
 * (no Return card, or one without values): Filter Custom fails on every item,
 * Map and Reduce get empty values, Call Flow has no outputs. '' when fine or
 * when the card does not use the Return (For Each, Call Flow Async, streaming). */
export function returnNote(cardType: string, h?: HelperFlow): string {
  if (!h || h.trigger !== 'flow.helper' || h.returns.length) return ''
  switch (cardType) {
    case 'list.filterCustom':
      return `${h.name} has no Return card: Filter Custom needs it to return true or false for each item.`
    case 'list.findCustom':
      return `${h.name} has no Return card: Find Custom needs it to return true for the item it looks for.`
    case 'object.map':
      return `${h.name} has no Return card: Map needs its key and value for each key of the object.`
    case 'list.map':
      return `${h.name} has no Return card: each item of the new list will be empty.`
    case 'list.reduce':
      return `${h.name} has no Return card: the memo will come back empty.`
    case 'flow.call':
      return `${h.name} has no Return card: Call Flow gets no values back.`
    default:
      return ''
  }
}

/** sourceLabel is how a mapped input reads on a card that is not edited (history, read-only). */
export function sourceLabel(s: Source): string {
  switch (s.kind) {
    case 'item':
      return s.path ? `item › ${s.path}` : 'item'
    case 'index':
      return 'index'
    case 'value':
      return JSON.stringify(s.value)
    case 'wire':
      return s.from.path.join(' › ')
    default:
      return 'not set'
  }
}
