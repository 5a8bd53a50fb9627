// Dropdowns whose choices come from the card's connection (engine
// FieldSpec.choicesFrom: the Okta org's applications, its groups), as Okta's
// dynamic dropdowns: the label shows, the id is kept. A value outside the
// list (an imported flow's id, an app since removed) stays on the card and
// is shown, marked, never dropped.
import type { Choice, FieldSpec } from '../api/types'

/** OTHER is the select's "type an ID" entry (never a value). */
export const OTHER = '\u0000other'

export interface SourceOption {
  value: string
  label: string
  /** static: the field's own choices (Okta's "-- Enter Application ID --");
   * source: from the connection; missing: the card's value, not in the list */
  kind: 'static' | 'source' | 'missing' | 'other'
}

export interface SourceView {
  options: SourceOption[]
  /** the card's value when the loaded list lacks it */
  missing: string | null
  /** the label of the chosen entry ('' when unset) */
  chosen: string
}

const text = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v))

/** staticChoices: the field's own choices, with its default when that is
 * text the list lacks ("-- Enter Application ID --"). */
export function staticChoices(spec?: FieldSpec): Choice[] {
  const own = [...(spec?.choices ?? [])]
  const d = spec?.default
  if (typeof d === 'string' && d !== '' && !own.some((c) => text(c.value) === d)) own.unshift({ value: d, label: d })
  return own
}

/** sourceOptions builds the dropdown: the field's own choices, the
 * connection's (null while not loaded), the card's value when neither has
 * it (marked missing once the list is loaded), and "Other ID…". */
export function sourceOptions(spec: FieldSpec | undefined, fetched: Choice[] | null, value: unknown, noun = 'value'): SourceView {
  const options: SourceOption[] = staticChoices(spec).map((c) => ({ value: text(c.value), label: c.label || text(c.value), kind: 'static' }))
  for (const c of fetched ?? []) {
    const v = text(c.value)
    if (v && !options.some((o) => o.value === v)) options.push({ value: v, label: c.label || v, kind: 'source' })
  }
  const cur = text(value)
  let missing: string | null = null
  if (cur && !options.some((o) => o.value === cur)) {
    if (fetched) missing = cur
    options.push({ value: cur, label: fetched ? `⚠ ${cur} (not one of the org's ${noun}s)` : cur, kind: 'missing' })
  }
  options.push({ value: OTHER, label: `Other ${noun} ID…`, kind: 'other' })
  const hit = options.find((o) => o.value === cur)
  return { options, missing, chosen: cur ? hit?.label ?? cur : '' }
}
