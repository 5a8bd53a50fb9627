// "Test this card": run one function card on its own (api.testCard) with
// values typed in a small form. The pure part lives here: which cards get
// the button, the prefilled input, the request, the error's input, the
// labelled outputs.
import type { Card, CardRecord, SpecDoc } from '../api/types'
import { shownInputs } from './options'
import { inputFields, outputFields, type ViewField } from './specs'

/** canTest: function cards only (not triggers, actions with connections, or control cards). */
export function canTest(spec: SpecDoc | undefined, readOnly: boolean): boolean {
  return !readOnly && !!spec && spec.kind === 'function' && !spec.connection
}

/** testFields are the inputs the test form shows: the spec's inputs plus the
 * card's own (extensible) inputs with their declared types, as the card shows
 * them (an input of another option than the card's chosen one is left out). */
export function testFields(card: Card, spec?: SpecDoc): ViewField[] {
  return shownInputs(card, inputFields(card, spec))
}

/** testInput prefills the form: each input's static value on the card, else
 * the value recorded for it in the last run shown on the canvas, else nothing. */
export function testInput(card: Card, spec: SpecDoc | undefined, rec?: Pick<CardRecord, 'inputs'> | null): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of testFields(card, spec)) {
    const stat = f.field?.from || f.field?.any?.length || f.field?.item ? undefined : f.field?.value
    const v = stat !== undefined ? stat : rec?.inputs?.[f.key]
    if (v !== undefined && v !== null) out[f.key] = v
  }
  return out
}

/** testRequest is what is sent: the form's values, unset ones left out. */
export function testRequest(fields: ViewField[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of fields) {
    const v = values[f.key]
    if (v !== undefined) out[f.key] = v
  }
  return out
}

/** errorInput finds the input an error message names (`input "X"`, Go %q
 * quoting) among the card's input keys; the last mention wins (the
 * innermost, as wrapping prefixes come first). */
export function errorInput(message: string, keys: string[]): string | undefined {
  const re = /input "((?:[^"\\]|\\.)*)"/g
  let found: string | undefined
  for (let m = re.exec(message); m; m = re.exec(message)) {
    let k = m[1]
    try {
      k = JSON.parse(`"${m[1]}"`) as string
    } catch {
      /* keep the raw text */
    }
    if (keys.includes(k)) found = k
  }
  return found
}

export interface OutputRow {
  key: string
  label: string
  json: string
}

/** outputRows lists a test's outputs, declared ones first (with their labels), then any others by key. */
export function outputRows(card: Card, spec: SpecDoc | undefined, result: Record<string, unknown> | null | undefined): OutputRow[] {
  const res = result ?? {}
  const rows: OutputRow[] = []
  const seen = new Set<string>()
  for (const f of outputFields(card, spec)) {
    if (!(f.key in res)) continue
    seen.add(f.key)
    rows.push({ key: f.key, label: f.label, json: pretty(res[f.key]) })
  }
  for (const k of Object.keys(res).sort()) {
    if (!seen.has(k)) rows.push({ key: k, label: k, json: pretty(res[k]) })
  }
  return rows
}

export function pretty(v: unknown): string {
  if (v === undefined) return 'null'
  try {
    return JSON.stringify(v, null, 2)
  } catch {
    return String(v)
  }
}
