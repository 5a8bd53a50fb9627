// Tables in the designer: the table picker of the Tables cards (input
// `stash`, a table id) and the Search Rows "Where Expression" as text.
import type { TableColumn, TableDef, TableRow } from '../api/types'
import { typeLabel } from './types'

/** TABLE_KEY is the input of every Tables card that names its table (an id). */
export const TABLE_KEY = 'stash'
/** WHERE_KEY is the Search Rows / Export to CSV filter input. */
export const WHERE_KEY = 'Where Expression'
/** SYSTEM_COLUMNS are the columns every row has, after the table's own. */
export const SYSTEM_COLUMNS = ['Row ID', 'Created', 'Updated'] as const

export function isTablesCard(type: string | undefined): boolean {
  return !!type && type.startsWith('tables.')
}

export interface TableOption {
  value: string
  label: string
  /** the card's current id matches no table */
  unknown?: boolean
}

/** tableOptions lists a Tables card's choices: every table by name (a name
 * two tables share gets its folder), plus the card's current id when it
 * matches no table ("unknown table: <id>"). */
export function tableOptions(current: string | undefined, tables: readonly TableDef[]): TableOption[] {
  const count = new Map<string, number>()
  for (const t of tables) count.set(t.name, (count.get(t.name) ?? 0) + 1)
  const out: TableOption[] = tables
    .map((t) => ({ value: t.id, label: (count.get(t.name) ?? 0) > 1 ? `${t.name} — ${t.folder || t.id}` : t.name || t.id }))
    .sort((a, b) => a.label.localeCompare(b.label))
  if (current && !tables.some((t) => t.id === current)) out.push({ value: current, label: `unknown table: ${current}`, unknown: true })
  return out
}

/** One token of a Where Expression as text. */
export interface ExprToken {
  kind: 'column' | 'op' | 'value' | 'wired' | 'join'
  text: string
  /** wired: the card input the value comes from (rhd.outputId) */
  input?: string
}

export const WIRED_TEXT = '⟵ wired value'

function literal(v: unknown): string {
  if (v === undefined || v === null) return '(empty)'
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return JSON.stringify(v)
}

/** exprTokens reads a Where Expression ({"expr": [clause…]} or a bare list of
 * clauses; a clause is {lhs, op, rhs | rhd, join}, its join linking it to the
 * next clause) as tokens. [] is no condition (every row); null is a value the
 * text cannot show (not that shape), to be edited as JSON. */
export function exprTokens(v: unknown): ExprToken[] | null {
  if (v === undefined || v === null) return []
  let clauses: unknown
  if (Array.isArray(v)) clauses = v
  else if (typeof v === 'object') {
    const e = (v as Record<string, unknown>).expr
    if (e === undefined || e === null) return Object.keys(v).length ? null : []
    clauses = e
  } else return null
  if (!Array.isArray(clauses)) return null
  const out: ExprToken[] = []
  for (let i = 0; i < clauses.length; i++) {
    const c = clauses[i]
    if (!c || typeof c !== 'object' || Array.isArray(c)) return null
    const m = c as Record<string, unknown>
    if (typeof m.lhs !== 'string' || !m.lhs) return null
    if (i > 0) {
      const j = (clauses[i - 1] as Record<string, unknown>).join
      out.push({ kind: 'join', text: typeof j === 'string' && j ? j.toUpperCase() : 'AND' })
    }
    out.push({ kind: 'column', text: m.lhs })
    out.push({ kind: 'op', text: typeof m.op === 'string' && m.op ? m.op : '=' })
    const rhd = m.rhd
    if (rhd && typeof rhd === 'object' && !Array.isArray(rhd)) {
      const id = (rhd as Record<string, unknown>).outputId
      out.push({ kind: 'wired', text: WIRED_TEXT, input: typeof id === 'string' ? id : undefined })
    } else {
      out.push({ kind: 'value', text: literal(m.rhs) })
    }
  }
  return out
}

/** exprText is a Where Expression as one line: `Domain = "x" AND Status != ⟵ wired value`;
 * '' for no condition, null when it is not an expression. */
export function exprText(v: unknown): string | null {
  const t = exprTokens(v)
  return t && t.map((x) => x.text).join(' ')
}

/** columnText is a column with its type (and default): `Lite User: boolean = false`. */
export function columnText(c: TableColumn): string {
  return `${c.name}: ${typeLabel(c.type)}${c.default !== undefined && c.default !== null ? ` = ${literal(c.default)}` : ''}`
}

/** rowColumns is the table view's column order: the table's columns, then the
 * system columns, then any other field the rows carry. */
export function rowColumns(t: TableDef, rows: readonly TableRow[]): string[] {
  const out = (t.columns ?? []).map((c) => c.name)
  for (const s of SYSTEM_COLUMNS) if (!out.includes(s)) out.push(s)
  for (const r of rows) for (const k of Object.keys(r)) if (!out.includes(k)) out.push(k)
  return out
}

/** cellText shows one row value: text as is, the rest as JSON; '' for none. */
export function cellText(v: unknown): string {
  if (v === undefined || v === null) return ''
  if (typeof v === 'string') return v
  return typeof v === 'object' ? JSON.stringify(v) : String(v)
}

// --- managing tables (the Tables tab) ---

/** COLUMN_TYPES are the column types a table offers, as Okta Tables do. */
export const COLUMN_TYPES = [
  { kind: 'string', label: 'Text' },
  { kind: 'number', label: 'Number' },
  { kind: 'boolean', label: 'True/False' },
  { kind: 'date', label: 'Date' },
] as const

/** columnKind is a column's type kind ('string' when it has none). */
export function columnKind(c: TableColumn): string {
  const t = c.type
  if (!t) return 'string'
  return typeof t === 'string' ? t : t.kind || 'string'
}

/** ColumnDraft is one column in the column editor; orig is its stored name
 * (undefined for a new column), so a rename keeps the column's values. */
export interface ColumnDraft {
  key: number
  name: string
  kind: string
  default: string
  orig?: string
}

let draftKey = 0

export function newColumnDraft(kind = 'string'): ColumnDraft {
  return { key: ++draftKey, name: '', kind, default: '' }
}

export function columnDrafts(t: TableDef): ColumnDraft[] {
  return (t.columns ?? []).map((c) => ({
    key: ++draftKey,
    name: c.name,
    kind: columnKind(c),
    default: c.default === undefined || c.default === null ? '' : cellText(c.default),
    orig: c.name,
  }))
}

/** draftsToColumns turns the editor's columns into a definition's columns
 * and the renames (old name → new); error names the first bad column. */
export function draftsToColumns(drafts: readonly ColumnDraft[]): { columns: TableColumn[]; renames: Record<string, string>; error?: string } {
  const columns: TableColumn[] = []
  const renames: Record<string, string> = {}
  const seen = new Set<string>()
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]
    const name = d.name.trim()
    if (!name) return { columns, renames, error: `Column ${i + 1} has no name` }
    if ((SYSTEM_COLUMNS as readonly string[]).includes(name)) return { columns, renames, error: `"${name}" is a system column; choose another name` }
    if (seen.has(name)) return { columns, renames, error: `Column "${name}" is named twice` }
    seen.add(name)
    const c: TableColumn = { name, type: d.kind }
    if (d.default.trim() !== '') c.default = d.default.trim()
    columns.push(c)
    if (d.orig !== undefined && d.orig !== name) renames[d.orig] = name
  }
  return { columns, renames }
}

/** rowDraft is a row's user columns as text for editing. */
export function rowDraft(t: TableDef, row?: TableRow): Record<string, string> {
  const out: Record<string, string> = {}
  for (const c of t.columns ?? []) out[c.name] = row ? cellText(row[c.name]) : ''
  return out
}

/** rowValues is what to send for a row draft: text as typed (the store
 * converts it to the column's type); empty is no value for non-text columns.
 * A new row leaves out what is empty, so column defaults apply. */
export function rowValues(t: TableDef, draft: Record<string, string>, isNew: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const c of t.columns ?? []) {
    const v = draft[c.name] ?? ''
    if (v === '') {
      if (isNew) continue
      out[c.name] = columnKind(c) === 'string' ? '' : null
    } else out[c.name] = v
  }
  return out
}

/** csvErrorText is one bad CSV line as the import preview lists it. */
export function csvErrorText(e: { line: number; column?: string; message: string }): string {
  return `Line ${e.line}${e.column ? `, column "${e.column}"` : ''}: ${e.message}`
}
