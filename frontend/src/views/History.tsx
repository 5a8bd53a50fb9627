import { useEffect, useState } from 'react'
import { api } from '../api/client'
import type { ExecutionSummary, Flow, FlowSummary } from '../api/types'
import { statusClass } from '../components/CardView'
import { HistoryUsageBar, ResumeCell } from '../components/HistoryDurability'
import { AttemptBadge } from '../components/Attempts'
import { CancelRunButton } from '../components/CancelRun'
import { EnvBadge } from '../components/Environments'
import { ago, ms } from '../format'
import { go } from '../router'
import { historyPath, isViewOf, parseHistoryHash } from '../model/historyquery'

const STATUSES = ['', 'running', 'success', 'failed', 'interrupted', 'paused', 'canceled', 'timeout']
const PAGE = 200 // rows a page; "Show older runs" adds a page

export function History({ flowId }: { flowId?: string }) {
  const [flow, setFlow] = useState<Flow | null>(null)
  const [flows, setFlows] = useState<FlowSummary[]>([])
  const [rows, setRows] = useState<ExecutionSummary[] | null>(null)
  // the view starts from the address (Back from a run, reload, a copied link)
  const [status, setStatus] = useState(() => parseHistoryHash(location.hash).status)
  const [text, setText] = useState(() => parseHistoryHash(location.hash).text)
  const [limit, setLimit] = useState(PAGE)
  const [err, setErr] = useState('')
  const [refresh, setRefresh] = useState(0)
  useEffect(() => {
    if (flowId) api.getFlow(flowId).then(setFlow).catch((e) => setErr((e as Error).message))
  }, [flowId])
  useEffect(() => {
    api.listFlows().then((fs) => setFlows([...fs].sort((a, b) => flowLabel(a).localeCompare(flowLabel(b))))).catch(() => undefined)
  }, [])
  // the address follows the view (replaced: a typed search is no history
  // entry), and the view follows the address (Back/Forward, the History link)
  // (only while the address is this view's: a link elsewhere is not undone)
  useEffect(() => {
    if (!isViewOf(location.hash, flowId)) return
    const to = '#' + historyPath({ flow: flowId ?? '', status, text })
    if (location.hash !== to) history.replaceState(history.state, '', to)
  }, [flowId, status, text])
  useEffect(() => {
    const follow = () => {
      if (!isViewOf(location.hash, flowId)) return
      const v = parseHistoryHash(location.hash)
      setStatus(v.status)
      setText(v.text)
    }
    window.addEventListener('hashchange', follow)
    return () => window.removeEventListener('hashchange', follow)
  }, [flowId])
  // new runs of listening flows appear by themselves (as Okta's Flow
  // History refreshes): every 5 s while the page is in view
  useEffect(() => {
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') setRefresh((n) => n + 1)
    }, 5000)
    return () => clearInterval(id)
  }, [])
  useEffect(() => {
    const t = setTimeout(() => {
      api.listExecutions({ flow: flowId ?? '', status, text, limit }).then((r) => { setRows(r); setErr('') }).catch((e) => setErr((e as Error).message))
    }, 200)
    return () => clearTimeout(t)
  }, [flowId, status, text, limit, refresh])
  return (
    <div className="page history">
      <div className="page-head">
        {flowId && <button onClick={() => go(`/flow/${flowId}`)} aria-label="Back to the flow">←</button>}
        <h1>History{flow ? ` — ${flow.name}` : ''}</h1>
        <select aria-label="Flow filter" style={{ maxWidth: 320 }} value={flowId ?? ''} onChange={(e) => go(historyPath({ flow: e.target.value, status, text }))}>
          <option value="">All flows</option>
          {flowId && !flows.some((f) => f.id === flowId) && <option value={flowId}>{flow?.name ?? flowId}</option>}
          {flows.map((f) => <option key={f.id} value={f.id}>{flowLabel(f)}</option>)}
        </select>
        <select aria-label="Status filter" value={status} onChange={(e) => { setStatus(e.target.value); setLimit(PAGE) }}>
          {STATUSES.map((s) => <option key={s} value={s}>{s || 'All statuses'}</option>)}
        </select>
        <input type="search" className="search" placeholder="Search inputs, outputs, errors…" aria-label="Search history" value={text} onChange={(e) => { setText(e.target.value); setLimit(PAGE) }} />
        <button onClick={() => setRefresh((n) => n + 1)} aria-label="Refresh history" title="Refresh (also every 5 s)">↻ Refresh</button>
      </div>
      <HistoryUsageBar refresh={refresh} />
      {flow && !flow.settings?.history && <p className="muted">Saving history is off for this flow: its runs are not kept. Turn it on in the flow's Settings.</p>}
      {err && <div className="problem" role="alert">{err}</div>}
      {rows && !rows.length && <p className="muted">{text || status ? 'No run matches.' : 'No runs yet.'}</p>}
      {rows && rows.length > 0 && (
        <table className="flows executions">
          <thead><tr><th>Status</th>{!flowId && <th>Flow</th>}<th>Started</th><th>Duration</th><th>Trigger</th><th>Error</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="clickable" tabIndex={0} data-testid="execution-row"
                onClick={() => go(`/execution/${r.id}`)} onKeyDown={(e) => e.key === 'Enter' && go(`/execution/${r.id}`)}>
                <td><span className={`badge ${statusClass(r.status)}`}>{r.status}</span></td>
                {!flowId && <td>{r.flowName ?? r.flow}</td>}
                <td title={new Date(r.started).toLocaleString()}>{ago(r.started)}</td>
                <td title={r.status === 'interrupted' ? 'The process stopped during this run: it ran at least this long' : undefined}>
                  {r.status === 'interrupted' && typeof r.durationMs === 'number' ? '≥ ' : ''}{ms(typeof r.durationMs === 'number' ? r.durationMs : undefined)}
                </td>
                <td>{r.trigger ?? ''}{r.parent ? ' (child)' : ''} <EnvBadge row={r} /></td>
                <td className="muted small">{typeof r.failedTitle === 'string' && r.error ? <strong data-testid="failed-card">{r.failedTitle}: </strong> : null}{r.error ?? ''}{r.status === 'paused' ? 'waiting at its Pause card for the resume request' : ''}{r.status === 'running' ? 'in progress' : ''} <ResumeCell row={r} onResumed={() => setRefresh((n) => n + 1)} /> <CancelRunButton row={r} onCanceled={() => {
                  // the run ends once its card in flight returns: look again now and shortly after
                  setRefresh((n) => n + 1)
                  setTimeout(() => setRefresh((n) => n + 1), 600)
                }} /> <AttemptBadge row={r} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows && rows.length >= limit && (
        <p><button onClick={() => setLimit((n) => n + PAGE)} data-testid="history-more">Show older runs</button></p>
      )}
    </div>
  )
}

const flowLabel = (f: FlowSummary) => (f.folder ? `${f.folder} / ${f.name}` : f.name)
