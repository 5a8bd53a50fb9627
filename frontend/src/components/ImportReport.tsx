import { useCallback, useEffect, useMemo, useState } from 'react'
import { api } from '../api/client'
import type { Connection, ConnectionKindDoc, ImportReport, SpecDoc } from '../api/types'
import { bindRows, boundText, placeholderLabel, type BindRow } from '../model/bind'
import { connectionDraft } from '../model/forms'
import { attentionCount, mappedPercent, oktaReport, warningText, type OktaReport } from '../model/importreport'
import { go } from '../router'
import { loadSpecs } from '../store/data'
import { ConnectionForm } from '../views/Connections'
import { Modal } from './Dialog'

const NEW = '\u0000new'

/** ImportDialog shows what an import stored and lets the person bind the
 * export's connection placeholders to their own connections. */
export function ImportDialog({ report, flowName, onClose }: { report: ImportReport; flowName: (id: string) => string; onClose: () => void }) {
  const [adding, setAdding] = useState<{ ref: string; conn: Connection; kind: ConnectionKindDoc } | null>(null)
  const binder = useBinder(report)
  return (
    <Modal title="Import report" onClose={onClose}>
      {adding ? (
        <ConnectionForm conn={adding.conn} kind={adding.kind} saveLabel="Save" onCancel={() => setAdding(null)}
          onSaved={async (c) => { await binder.reload(); binder.choose(adding.ref, c.id); setAdding(null) }} />
      ) : (
        <>
          <ImportReportView report={report} flowName={flowName} onOpenTable={(id) => { onClose(); go(`/tables/${encodeURIComponent(id)}`) }} />
          {binder.rows.length > 0 && (
            <BindSection binder={binder} onNew={(row) => row.kind && setAdding({ ref: row.ref.id, kind: row.kind, conn: connectionDraft(row.kind, row.ref.id.startsWith('unset:') || !row.ref.name ? `${row.kind.title} connection` : row.ref.name) })} />
          )}
          <div className="actions"><button className="primary" onClick={onClose}>Close</button></div>
        </>
      )}
    </Modal>
  )
}

function ImportReportView({ report, flowName, onOpenTable }: { report: ImportReport; flowName: (id: string) => string; onOpenTable: (id: string) => void }) {
  const flows = report.flows ?? []
  const okta = oktaReport(report.details)
  return (
    <div className="import-report" data-testid="import-report">
      <p>Imported <strong>{flows.length}</strong> flow{flows.length === 1 ? '' : 's'}{report.tables ? ` and ${report.tables} table${report.tables === 1 ? '' : 's'}` : ''} from <code>{report.file}</code>.</p>
      {flows.length > 0 && <ul className="import-flows">{flows.map((f) => (
        <li key={f}>{flowName(f)}
          {/* imported switched on, but its trigger cannot start: stored off (app/importsync.go) */}
          {report.switchedOff?.[f] && <div className="problem" data-testid="import-switched-off">Kept off — its trigger cannot start: {report.switchedOff[f]}</div>}
        </li>
      ))}</ul>}
      {okta && <OktaReportView r={okta} onOpenTable={onOpenTable} />}
      {report.details !== undefined && report.details !== null && (
        <details><summary>Full report (JSON)</summary><pre>{JSON.stringify(report.details, null, 2)}</pre></details>
      )}
    </div>
  )
}

/** OktaReportView shows what `flowbench import --report` prints: the
 * counts, then per app the unsupported cards, values not among a field's
 * choices, and the tables and connections that need attention. */
function OktaReportView({ r, onOpenTable }: { r: OktaReport; onOpenTable: (id: string) => void }) {
  const apps = (r.apps ?? []).filter((a) => attentionCount(a) > 0)
  const warnings = r.warningList ?? []
  return (
    <div className="okta-report" data-testid="okta-report">
      <p className="muted" data-testid="import-counts">
        {r.cards} cards: {r.mapped} mapped, {r.unsupported} unsupported, {r.folded + r.structural} absorbed
        ({mappedPercent(r).toFixed(1)}% of the cards that need an implementation are supported).
      </p>
      {apps.length === 0 && <p className="ok" role="status">Nothing needs attention.</p>}
      {apps.length > 0 && <h3>Needs attention</h3>}
      {apps.map((a) => (
        <section key={a.app} className="attention-app" aria-label={`App ${a.app}`} data-testid="attention-app">
          <h4>{a.app}</h4>
          {(a.unsupported?.length ?? 0) > 0 && (
            <table className="attention" aria-label={`Unsupported ${a.app} cards`}>
              <thead><tr><th>Unsupported card</th><th>Count</th><th>Flows</th></tr></thead>
              <tbody>
                {a.unsupported!.map((u) => (
                  <tr key={u.kind + u.title} data-testid="unsupported-card">
                    <td title={u.kind}>{u.title}</td><td>{u.count}</td><td className="muted">{u.flows.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {(a.choices?.length ?? 0) > 0 && (
            <ul className="attention-list" aria-label={`Values not among the choices (${a.app})`}>
              {a.choices!.map((c, i) => (
                <li key={i} data-testid="choice-value" data-field={c.field}>
                  <strong>{c.card}</strong> › {c.field} in “{c.flow}”: <code>{c.value}</code> is not one of its choices
                  <span className="muted"> ({c.choices.join(', ')})</span>
                </li>
              ))}
            </ul>
          )}
          {(a.tables?.length ?? 0) > 0 && (
            <ul className="attention-list" aria-label="Tables to look at">
              {a.tables!.map((t) => (
                <li key={t.id} data-testid="table-note">
                  Table <strong>{t.name || t.id}</strong>: {t.message}
                  {!t.missing && <> <button className="link" onClick={() => onOpenTable(t.id)}>Open table</button></>}
                </li>
              ))}
            </ul>
          )}
          {(a.connections?.length ?? 0) > 0 && (
            <ul className="attention-list" aria-label="Connections to look at">
              {a.connections!.map((c) => (
                <li key={c.id} data-testid="connection-note" className={c.supported ? '' : 'unsupported'}>
                  Connection <strong>{c.name}</strong> <span className="muted">({c.module})</span>: {c.message}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
      {warnings.length > 0 && (
        <details className="import-warnings">
          <summary>{warnings.length} warning{warnings.length === 1 ? '' : 's'}</summary>
          <ul>{warnings.map((w, i) => <li key={i}>{warningText(w)}</li>)}</ul>
        </details>
      )}
    </div>
  )
}

type RowState = { choice?: string; busy?: boolean; bound?: number; error?: string }

interface Binder {
  rows: BindRow[]
  state: Record<string, RowState>
  loadError: string
  loading: boolean
  reload: () => Promise<void>
  choose: (ref: string, conn: string) => void
  bind: (row: BindRow, conn: string) => Promise<void>
}

function useBinder(report: ImportReport): Binder {
  const refs = report.connections ?? []
  const [conns, setConns] = useState<Connection[]>([])
  const [kinds, setKinds] = useState<ConnectionKindDoc[]>([])
  const [specs, setSpecs] = useState<SpecDoc[]>([])
  const [loading, setLoading] = useState(refs.length > 0)
  const [loadError, setLoadError] = useState('')
  const [state, setState] = useState<Record<string, RowState>>({})
  const patch = (ref: string, p: RowState) => setState((s) => ({ ...s, [ref]: { ...s[ref], ...p } }))

  const reload = useCallback(async () => {
    try {
      setConns(await api.listConnections())
    } catch (e) {
      setLoadError((e as Error).message)
    }
  }, [])
  const any = refs.length > 0
  useEffect(() => {
    if (!any) return
    let live = true
    Promise.all([api.listConnections(), api.connectionKinds(), loadSpecs().then((s) => s.list).catch(() => [] as SpecDoc[])])
      .then(([c, k, s]) => { if (live) { setConns(c); setKinds(k); setSpecs(s) } })
      .catch((e) => { if (live) setLoadError((e as Error).message) })
      .finally(() => { if (live) setLoading(false) })
    return () => { live = false }
  }, [any])

  const rows = useMemo(() => (loading ? [] : bindRows(report.connections, conns, kinds, specs)), [loading, report.connections, conns, kinds, specs])
  const bind = async (row: BindRow, conn: string) => {
    patch(row.ref.id, { busy: true, error: undefined })
    try {
      const n = await api.bindConnection(row.ref.id, conn)
      patch(row.ref.id, { busy: false, bound: n, choice: conn })
    } catch (e) {
      patch(row.ref.id, { busy: false, error: (e as Error).message })
    }
  }
  return { rows, state, loadError, loading, reload, choose: (ref, conn) => patch(ref, { choice: conn }), bind }
}

function BindSection({ binder, onNew }: { binder: Binder; onNew: (row: BindRow) => void }) {
  return (
    <section className="bind" aria-label="Connections to bind" data-testid="bind-connections">
      <h3>Connections to bind</h3>
      <p className="muted small">The export names the connections its cards use but carries no credentials: pick one of yours for each.</p>
      {binder.loadError && <div className="problem" role="alert">{binder.loadError}</div>}
      <ul className="bind-rows">
        {binder.rows.map((row) => <BindRowView key={row.ref.id} row={row} st={binder.state[row.ref.id] ?? {}} binder={binder} onNew={() => onNew(row)} />)}
      </ul>
    </section>
  )
}

function BindRowView({ row, st, binder, onNew }: { row: BindRow; st: RowState; binder: Binder; onNew: () => void }) {
  const label = placeholderLabel(row.ref)
  const chosen = st.choice ?? row.preselect
  const done = st.bound !== undefined
  return (
    <li className={`bind-row ${done ? 'done' : ''}`} data-testid={`bind-${row.ref.id}`} aria-label={`Placeholder ${label}`}>
      <span className="bind-name" title={`${label} (placeholder id ${row.ref.id})`}>{label}</span>
      {!row.kind ? (
        <span className="muted">no connector in Flowbench yet</span>
      ) : (
        <>
          <select value={chosen} disabled={done || st.busy} aria-label={`Connection for ${label}`}
            onChange={(e) => (e.target.value === NEW ? onNew() : binder.choose(row.ref.id, e.target.value))}>
            <option value="">— choose —</option>
            {row.candidates.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            <option value={NEW}>New connection…</option>
          </select>
          {done ? (
            <span className="bound" role="status">✓ {boundText(st.bound ?? 0)}</span>
          ) : (
            <button className="primary" disabled={!chosen || st.busy} onClick={() => void binder.bind(row, chosen)}>{st.busy ? 'Binding…' : 'Bind'}</button>
          )}
        </>
      )}
      {st.error && <div className="problem" role="alert">{st.error}</div>}
    </li>
  )
}
