// The one API module. In the Wails window the Go methods are bound as
// window.go.app.App.<Method>; in a browser (flowbench serve) they are
// POST /api/<Method> with a JSON array of arguments and the bearer token
// from the page URL (?token=…), which is then kept in memory only.
import type {
  AppInfo, Card, Connection, ConnectionKindDoc, ConnectionRef, Execution, ExecutionSummary, Flow, FlowSummary,
  HistoryQuery, HistoryUsage, ImportReport, KeyPair, Problem, SaveResult, SpecDoc, TableDef, TableRow, CSVPreview, TestReport, TriggerState,
  ProfileSchema, FieldChoices,
} from './types'

type Bound = Record<string, (...args: unknown[]) => Promise<unknown>>

declare global {
  interface Window {
    go?: { app?: { App?: Bound } }
  }
}

let token = ''

/** captureToken reads ?token= from the page URL and removes it from the address bar. */
export function captureToken(loc: Location = window.location, hist: History = window.history): void {
  const u = new URL(loc.href)
  const t = u.searchParams.get('token')
  if (t) {
    token = t
    u.searchParams.delete('token')
    hist.replaceState(hist.state, '', u.pathname + u.search + u.hash)
  }
}

export function isDesktop(): boolean {
  return typeof window !== 'undefined' && !!window.go?.app?.App
}

export class ApiError extends Error {
  constructor(message: string, readonly method: string, readonly status = 0) {
    super(message)
  }
}

export async function call<T>(method: string, ...args: unknown[]): Promise<T> {
  const bound = window.go?.app?.App
  if (bound) {
    const fn = bound[method]
    if (!fn) throw new ApiError(`${method} is not bound`, method)
    try {
      return (await fn(...args)) as T
    } catch (e) {
      throw new ApiError(typeof e === 'string' ? e : (e as Error)?.message ?? String(e), method)
    }
  }
  const res = await fetch(`./api/${method}`, {
    method: 'POST',
    // no token after a reload: the HttpOnly session cookie (set when the token URL was opened) authenticates
    headers: token ? { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` } : { 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  })
  const text = await res.text()
  let body: unknown = null
  if (text) {
    try {
      body = JSON.parse(text)
    } catch {
      body = text
    }
  }
  if (!res.ok) {
    const msg = (body && typeof body === 'object' && 'error' in body) ? String((body as { error: unknown }).error) : `HTTP ${res.status}`
    throw new ApiError(msg, method, res.status)
  }
  return body as T
}

export const api = {
  listFlows: () => call<FlowSummary[] | null>('ListFlows').then((r) => r ?? []),
  getFlow: (id: string) => call<Flow>('GetFlow', id),
  createFlow: (name: string, folder: string) => call<Flow>('CreateFlow', name, folder),
  saveFlow: (f: Flow) => call<SaveResult>('SaveFlow', f),
  validateFlow: (f: Flow) => call<Problem[] | null>('ValidateFlow', f).then((r) => r ?? []),
  duplicateFlow: (id: string) => call<Flow>('DuplicateFlow', id),
  renameFlow: (id: string, name: string) => call<void>('RenameFlow', id, name),
  deleteFlow: (id: string) => call<void>('DeleteFlow', id),
  setFlowEnabled: (id: string, on: boolean) => call<void>('SetFlowEnabled', id, on),
  triggerStatus: (id: string) => call<TriggerState>('TriggerStatus', id),
  rotateTriggerSecret: (id: string) => call<string>('RotateTriggerSecret', id),
  /** userProfileSchema: the Okta connection's user profile attributes (cached by the app; refresh reads them again) */
  userProfileSchema: (connectionId: string, refresh = false) => call<ProfileSchema>('UserProfileSchema', connectionId, refresh),
  /** fieldChoices: a connection-backed dropdown's choices (the Okta org's applications…; cached by the app, refresh reads again) */
  fieldChoices: (connectionId: string, source: string, refresh = false) => call<FieldChoices>('FieldChoices', connectionId, source, refresh),
  runFlow: (id: string, input: Record<string, unknown>) => call<Execution>('RunFlow', id, input),
  runDraft: (f: Flow, input: Record<string, unknown>) => call<Execution>('RunDraft', f, input),
  sampleInput: (id: string) => call<Record<string, unknown> | null>('SampleInput', id).then((r) => r ?? {}),
  listExecutions: (q: HistoryQuery) => call<ExecutionSummary[] | null>('ListExecutions', q).then((r) => r ?? []),
  getExecution: (id: string) => call<Execution>('GetExecution', id),
  /** resumeExecution continues an interrupted manual / API Endpoint run after its last completed card */
  resumeExecution: (id: string) => call<Execution>('ResumeExecution', id),
  /** cancelExecution stops a run in progress (before its next card) or ends a paused one; it ends canceled */
  cancelExecution: (id: string) => call<void>('CancelExecution', id),
  /** resumePaused continues a run paused at a Pause card with its outputs' values, as its resume URL would */
  resumePaused: (id: string, values: Record<string, unknown>) => call<Execution>('ResumePaused', id, values),
  historyUsage: () => call<HistoryUsage>('HistoryUsage'),
  cards: () => call<SpecDoc[] | null>('Cards').then((r) => r ?? []),
  testCard: (id: string, input: Record<string, unknown>) => call<Record<string, unknown>>('TestCard', id, input),
  listConnections: () => call<Connection[] | null>('ListConnections').then((r) => r ?? []),
  connectionKinds: () => call<ConnectionKindDoc[] | null>('ConnectionKinds').then((r) => r ?? []),
  saveConnection: (c: Connection) => call<Connection>('SaveConnection', c),
  deleteConnection: (id: string) => call<void>('DeleteConnection', id),
  testConnection: (id: string) => call<TestReport>('TestConnection', id),
  /** authorizeConnection starts OAuth 2.0 authorization code + PKCE; open the returned address to approve. */
  authorizeConnection: (id: string) => call<string>('AuthorizeConnection', id),
  generateKeyPair: () => call<KeyPair>('GenerateKeyPair'),
  importText: (name: string, content: string) => call<ImportReport>('ImportText', name, content),
  /** bindConnection points every card using connection id `from` (an import
   * placeholder) at connection `to` (cards of its kind only); returns how many changed. */
  bindConnection: (from: string, to: string) => call<number>('BindConnection', from, to),
  /** flowPlaceholders: the connections the flow's cards name that do not exist here, with their import's names. */
  flowPlaceholders: (f: Flow) => call<ConnectionRef[] | null>('FlowPlaceholders', f).then((r) => r ?? []),
  exportFlow: (id: string) => call<string>('ExportFlow', id),
  exportFolder: (folder: string) => call<string>('ExportFolder', folder),
  listTables: () => call<TableDef[] | null>('ListTables').then((r) => (r ?? []).map((t) => ({ ...t, columns: t.columns ?? [] }))),
  /** tableRows returns up to limit (1…1000, default 100) rows in creation order. */
  tableRows: (table: string, limit = 100) => call<TableRow[] | null>('TableRows', table, limit).then((r) => r ?? []),
  createTable: (def: TableDef) => call<TableDef>('CreateTable', def),
  /** saveTable renames a table and replaces its columns; renames: old column name → new */
  saveTable: (def: TableDef, renames: Record<string, string>) => call<TableDef>('SaveTable', def, renames),
  copyTable: (id: string, name: string) => call<TableDef>('CopyTable', id, name),
  deleteTable: (id: string) => call<void>('DeleteTable', id),
  /** tableUsers names the flows whose Tables cards use the table */
  tableUsers: (id: string) => call<string[] | null>('TableUsers', id).then((r) => r ?? []),
  addTableRow: (table: string, values: Record<string, unknown>) => call<TableRow>('AddTableRow', table, values),
  updateTableRow: (table: string, rowId: string, values: Record<string, unknown>) => call<TableRow>('UpdateTableRow', table, rowId, values),
  deleteTableRow: (table: string, rowId: string) => call<void>('DeleteTableRow', table, rowId),
  tableRowCount: (table: string) => call<number>('TableRowCount', table),
  /** tableRowPage returns up to limit rows from offset, in creation order */
  tableRowPage: (table: string, offset: number, limit: number) => call<TableRow[] | null>('TableRowPage', table, offset, limit).then((r) => r ?? []),
  /** searchTableRows pages over the rows holding text in any column (case ignored) and counts them all */
  searchTableRows: (table: string, text: string, offset: number, limit: number) =>
    call<{ rows: TableRow[] | null; count: number }>('SearchTableRows', table, text, offset, limit).then((r) => ({ rows: r.rows ?? [], count: r.count })),
  previewTableCSV: (table: string, content: string) => call<CSVPreview>('PreviewTableCSV', table, content),
  importTableCSV: (table: string, content: string) => call<number>('ImportTableCSV', table, content),
  exportTableCSV: (table: string) => call<string>('ExportTableCSV', table),
  info: () => call<AppInfo>('Info'),
  rendered: (what: string) => call<void>('Rendered', what).catch(() => undefined),
}

export type Api = typeof api
export type { Card }
