// The Okta Workflows import report (engine/flopack.Report, the `details`
// of app.ImportReport): the same structure `flowbench import --report`
// prints, read here for the import dialog.

/** UnsupportedCard mirrors flopack.UnsupportedCard. */
export interface UnsupportedCard {
  /** Okta's card title, "Create Record" */
  title: string
  /** module:method */
  kind: string
  count: number
  flows: string[]
}

/** ChoiceValue mirrors flopack.ChoiceValue: a static value that is not one of its field's choices. */
export interface ChoiceValue {
  flow: string
  card: string
  field: string
  value: string
  choices: string[]
}

/** TableNote mirrors flopack.TableNote. */
export interface TableNote {
  id: string
  name?: string
  cards: number
  missing?: boolean
  message: string
}

/** ConnectionNote mirrors flopack.ConnectionNote. */
export interface ConnectionNote {
  id: string
  name: string
  module: string
  cards: number
  supported: boolean
  missing?: boolean
  message: string
}

/** AppAttention mirrors flopack.AppAttention: one app's open points. */
export interface AppAttention {
  app: string
  unsupported?: UnsupportedCard[]
  choices?: ChoiceValue[]
  tables?: TableNote[]
  connections?: ConnectionNote[]
}

export interface ReportWarning {
  template?: string
  flow?: string
  card?: string
  field?: string
  message: string
}

/** OktaReport is the part of flopack.Report the dialog shows. */
export interface OktaReport {
  template: string
  format?: string
  version?: string
  flows: number
  cards: number
  mapped: number
  unsupported: number
  folded: number
  structural: number
  tables: number
  connections: number
  warnings: number
  apps?: AppAttention[]
  warningList?: ReportWarning[]
}

/** oktaReport reads an import's details as an Okta report; null when they are not one. */
export function oktaReport(details: unknown): OktaReport | null {
  if (!details || typeof details !== 'object' || Array.isArray(details)) return null
  const d = details as Record<string, unknown>
  if (typeof d.cards !== 'number' || typeof d.mapped !== 'number' || typeof d.unsupported !== 'number') return null
  return details as OktaReport
}

/** mappedPercent mirrors flopack.Counts.MappedPercent: the share of the
 * cards that need an implementation (all but folded and structural) that have one. */
export function mappedPercent(r: Pick<OktaReport, 'mapped' | 'unsupported'>): number {
  const n = r.mapped + r.unsupported
  return n === 0 ? 100 : (100 * r.mapped) / n
}

/** attentionCount is the number of open points of an app. */
export function attentionCount(a: AppAttention): number {
  return (a.unsupported?.length ?? 0) + (a.choices?.length ?? 0) + (a.tables?.length ?? 0) + (a.connections?.length ?? 0)
}

/** warningText mirrors flopack.Warning.String without the template. */
export function warningText(w: ReportWarning): string {
  const parts: string[] = []
  if (w.flow) parts.push(`flow ${w.flow}`)
  if (w.card) parts.push(`card ${w.card}`)
  if (w.field) parts.push(`field "${w.field}"`)
  parts.push(w.message)
  return parts.join(': ')
}

/** UNSUPPORTED is the card type of imported Okta cards Flowbench does not implement. */
export const UNSUPPORTED = 'unsupported'

/** cardAppLabel is the app line of a card head: the spec's app, and for an
 * unsupported imported card the app the importer recorded ("Salesforce"),
 * never its address. Triggers read "When this happens · <app>". */
export function cardAppLabel(card: { type: string; origin?: { app?: string } }, specApp: string | undefined, styleName: string, isTrigger: boolean): string {
  const app = card.type === UNSUPPORTED ? card.origin?.app || 'Unsupported app' : specApp ? styleName : ''
  if (isTrigger) return `When this happens${app ? ' · ' + app : ''}`
  return card.type === UNSUPPORTED ? app : styleName
}
