// TypeScript mirrors of the Go types the app layer returns (engine/*.go, app/app.go).

export type TypeJSON =
  | string
  | { kind: string; list?: boolean; fields?: Record<string, TypeJSON>; label?: string }

export interface Binding {
  card: string
  path: string[]
  convert?: string
}

export interface ItemMapping {
  path: string
  /** feed the item's 0-based position instead of the item */
  index?: boolean
}

export interface Field {
  key: string
  group?: string
  label?: string
  type?: TypeJSON
  value?: unknown
  from?: Binding
  any?: Binding[]
  item?: ItemMapping
  required?: boolean
  hidden?: boolean
  /** on a card output: its value is redacted in history (engine Field.Secret) */
  secret?: boolean
}

export interface Branch {
  name: string
  inputs?: Field[]
  cards: Card[]
}

export interface ErrorPolicy {
  action: string
  flow?: string
  retries?: number
  delay?: string
  delayMax?: string
  retryOn?: string
}

export interface Origin {
  source?: string
  id?: string
  address?: string
  /** unsupported imported cards: the app's display name ("Salesforce") */
  app?: string
  raw?: unknown
}

export interface Card {
  id: string
  type: string
  title?: string
  note?: string
  connection?: string
  flow?: string
  inputs?: Field[]
  outputs?: Field[]
  branches?: Branch[]
  onError?: ErrorPolicy
  retry?: RetryPolicy
  hidden?: boolean
  origin?: Origin
}

/** RetryPolicy overrides how the card's outside (HTTP) calls are retried. */
export interface RetryPolicy {
  attempts?: number
  minWait?: string
  maxWait?: string
  statuses?: number[]
  rateLimitAttempts?: number
  /** bounds one outside call, every attempt and wait included ("30s"; default 2 min) */
  timeout?: string
}

export interface Settings {
  history: boolean
  keepLast?: number
  keepDays?: number
  timeout?: string
  concurrency?: number
}

export interface Flow {
  format: string
  id: string
  name: string
  description?: string
  folder?: string
  enabled?: boolean
  /** the store's save counter; a save carries the one it edited (a change elsewhere is a conflict) */
  revision?: number
  settings: Settings
  trigger: Card
  cards: Card[]
  origin?: Origin
}

export interface Choice {
  value: unknown
  label: string
}

export interface FieldSpec {
  key: string
  label?: string
  type: TypeJSON
  required?: boolean
  default?: unknown
  choices?: Choice[]
  description?: string
  group?: string
  /** asked for only while input `key` holds one of `values` (engine ShownWhen) */
  shownWhen?: { key: string; values: unknown[] }
  /** a choice source read with the card's connection (engine ChoicesFrom: "okta.apps") */
  choicesFrom?: string
}

export interface SpecDoc {
  id: string
  okta?: string[]
  title: string
  category: string
  app?: string
  kind: 'trigger' | 'action' | 'function' | 'control' | string
  description?: string
  docUrl?: string
  inputs: FieldSpec[]
  outputs: FieldSpec[]
  extensibleInputs?: boolean
  extensibleOutputs?: boolean
  connection?: string
  branches?: string[]
  inputSchema?: Record<string, unknown>
  outputSchema?: Record<string, unknown>
}

export interface Problem {
  flow?: string
  card?: string
  title?: string
  input?: string
  pointer?: string
  /** engine.Problem kind: bad-binding, missing-field, missing-input… ("bad-value": edit-time, UI only) */
  kind?: string
  message: string
  severity?: string
}

export interface SaveResult {
  flow: Flow
  problems?: Problem[] | null
}

export interface CardError {
  message: string
  card?: string
  title?: string
  type?: string
  input?: string
  status?: number
  code?: string
  flow?: string
}

export interface Attempt {
  n: number
  method?: string
  url?: string
  status?: number
  wait?: number
  reason?: string
  duration?: number
}

export interface CardRecord {
  id: string
  type: string
  title?: string
  status: string
  parent?: string
  branch?: string
  inputs?: Record<string, unknown>
  outputs?: Record<string, unknown>
  error?: CardError
  started: string
  ended: string
  attempts?: Attempt[]
  children?: string[]
}

export interface Execution {
  id: string
  flow: string
  flowName?: string
  status: string
  started: string
  ended: string
  trigger?: string
  input?: Record<string, unknown>
  outputs?: Record<string, unknown>
  error?: CardError
  halted?: string
  parent?: string
  parentCard?: string
  cards: CardRecord[]
}

// FlowSummary / ExecutionSummary are the app layer's list rows. Field names
// are read defensively (see api/normalize.ts) so small changes in app.go
// don't break the lists.
export interface FlowSummary {
  id: string
  name: string
  folder?: string
  enabled?: boolean
  updated?: string
  lastStatus?: string
  lastRun?: string
  [k: string]: unknown
}

export interface ExecutionSummary {
  id: string
  flow: string
  flowName?: string
  status: string
  started: string
  ended?: string
  duration?: number | string
  trigger?: string
  error?: string
  /** interrupted (the process ended mid-run): Resume continues it after its last completed card */
  resumable?: boolean
  resumed?: number
  /** cards that were in flight at an interruption and ran again: their effect may be doubled */
  repeats?: string[]
  [k: string]: unknown
}

export interface HistoryQuery {
  flow?: string
  status?: string
  text?: string
  /** only the helper runs of this execution */
  parent?: string
  before?: string
  limit?: number
}

/** HistoryUsage: history size, its bounds (retention days, size) and the data directory's disk use */
export interface HistoryUsage {
  executions: number
  bytes: number
  oldest: string
  interrupted: number
  retentionDays: number
  maxBytes: number
  diskBytes: number
}

export interface Connection {
  id: string
  name: string
  kind: string
  config?: Record<string, unknown>
  secrets?: Record<string, string>
  created?: string
  updated?: string
}

export interface ConnectionKindDoc {
  id: string
  title: string
  fields: FieldSpec[]
  secrets: FieldSpec[]
  [k: string]: unknown
}

export interface TestStep {
  name: string
  ok: boolean
  message: string
  hint?: string
  status?: number
  code?: string
}

export interface TestReport {
  ok: boolean
  steps: TestStep[]
  info?: Record<string, unknown>
}

export interface KeyPair {
  privatePEM?: string
  publicJWK?: unknown
  [k: string]: unknown
}

/** ConnectionRef is a connection placeholder an import found (an Okta
 * Workflows export names its connections but carries no credentials). */
export interface ConnectionRef {
  id: string
  name: string
  /** the export's module name, e.g. okta, httpfunctions, gmail */
  kind: string
}

/** ImportReport mirrors app.ImportReport. */
export interface ImportReport {
  file: string
  /** ids of the stored flows */
  flows?: string[] | null
  tables?: number
  /** placeholders to bind with BindConnection */
  connections?: ConnectionRef[] | null
  /** importer-specific report (e.g. .flopack mapping) */
  details?: unknown
  /** flows imported switched on whose trigger could not start (id → why): stored off */
  switchedOff?: Record<string, string> | null
}

export interface AppInfo {
  version?: string
  dataDir?: string
  sandbox?: boolean
  open?: string
  /** the built-in sandbox tenant: its Org URL and admin API token (stable across restarts) */
  sandboxUrl?: string
  sandboxToken?: string
  /** set when the sandbox had to move to another port (connections were moved with it) */
  sandboxNotice?: string
  [k: string]: unknown
}

/** TriggerState mirrors engine/trigger.State (app.TriggerStatus). Times are RFC 3339. */
export interface TriggerState {
  flow: string
  /** event, schedule, api, helper, manual */
  kind: string
  cardType: string
  enabled: boolean
  listening: boolean
  /** event flows: hook | poll */
  delivery?: string
  eventType?: string
  /** API invoke URL or event hook URL */
  endpoint?: string
  authHeader?: string
  /** API client token or event hook authorization value */
  secret?: string
  /** the hook endpoint is the connection's: it serves every event flow of that connection */
  shared?: boolean
  /** API endpoints: open | medium (client token) | hmac | oauth2 */
  security?: string
  /** OAuth 2.0 endpoints: the scope a token needs and the authorization server ("org", "default") */
  scope?: string
  authServer?: string
  schedule?: string
  nextRun?: string
  lastEvent?: string
  lastPoll?: string
  lastExecution?: string
  queued: number
  running: number
  error?: string
  pollError?: string
  /** signed webhooks: where the app's Request URL goes */
  hint?: string
  /** the vendor webhook subscription Flowbench made for the flow (engine/trigger/subscribe.go) */
  subscription?: SubscriptionState
}

/** SubscriptionState mirrors trigger.SubscriptionState (no secret). */
export interface SubscriptionState {
  vendor: string
  id?: string
  url?: string
  resource?: string
  created?: string
  expires?: string
  error?: string
}

/** TableColumn mirrors engine.Column: a user column of a table. */
export interface TableColumn {
  name: string
  type: TypeJSON
  default?: unknown
}

/** TableDef mirrors engine.TableDef (app.ListTables). */
export interface TableDef {
  id: string
  name: string
  folder?: string
  columns: TableColumn[] | null
}

/** TableRow mirrors engine.Row: column name → value, with the system columns
 * "Row ID", "Created" and "Updated". */
export type TableRow = Record<string, unknown>

/** CSVLineError mirrors store.CSVLineError: one bad line of a CSV import
 * (the header is line 1). */
export interface CSVLineError {
  line: number
  column?: string
  message: string
}

/** CSVPreview mirrors store.CSVPreview (app.PreviewTableCSV). */
export interface CSVPreview {
  columns: string[]
  /** header fields left out (system columns) */
  ignored?: string[] | null
  /** the first good lines as they would be stored */
  rows: TableRow[]
  /** line numbers of rows */
  lines: number[]
  /** number of good lines */
  total: number
  errors: CSVLineError[]
}

/** The choices of a connection-backed dropdown (app.FieldChoices). */
export interface FieldChoices {
  connection: string
  source: string
  /** one choice in words ("application") */
  noun: string
  choices: Choice[] | null
  fetched: string
}

/** The user profile attributes of an Okta connection's org (app.UserProfileSchema). */
export interface ProfileSchema {
  connection: string
  org: string
  fetched: string
  attributes: { key: string; title: string; type: string; custom?: boolean; required?: boolean; description?: string; choices?: Choice[] }[]
}
