import { useEffect, useState } from 'react'
import { api } from '../api/client'
import type { ExecutionSummary, Flow } from '../api/types'
import { statusClass } from '../components/CardView'
import { HistoryUsageBar, ResumeCell } from '../components/HistoryDurability'
import { AttemptBadge } from '../components/Attempts'
import { EnvBadge } from '../components/Environments'
import { ago, ms } from '../format'
import { go } from '../router'

const STATUSES = ['', 'success', 'failed', 'interrupted', 'paused', 'canceled', 'timeout']

export function History({ flowId }: { flowId?: string }) {
  const [flow, setFlow] = useState<Flow | null>(null)
  const [rows, setRows] = useState<ExecutionSummary[] | null>(null)
  const [status, setStatus] = useState('')
  const [text, setText] = useState('')
  const [err, setErr] = useState('')
  const [refresh, setRefresh] = useState(0)
  useEffect(() => {
    if (flowId) api.getFlow(flowId).then(setFlow).catch((e) => setErr((e as Error).message))
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
      api.listExecutions({ flow: flowId ?? '', status, text, limit: 200 }).then(setRows).catch((e) => setErr((e as Error).message))
    }, 200)
    return () => clearTimeout(t)
  }, [flowId, status, text, refresh])
  return (
    <div className="page history">
      <div className="page-head">
        {flowId && <button onClick={() => go(`/flow/${flowId}`)} aria-label="Back to the flow">←</button>}
        <h1>History{flow ? ` — ${flow.name}` : ''}</h1>
        <select aria-label="Status filter" value={status} onChange={(e) => setStatus(e.target.value)}>
          {STATUSES.map((s) => <option key={s} value={s}>{s || 'All statuses'}</option>)}
        </select>
        <input type="search" className="search" placeholder="Search inputs, outputs, errors…" aria-label="Search history" value={text} onChange={(e) => setText(e.target.value)} />
        <button onClick={() => setRefresh((n) => n + 1)} aria-label="Refresh history" title="Refresh (also every 5 s)">↻ Refresh</button>
      </div>
      <HistoryUsageBar refresh={refresh} />
      {flow && !flow.settings?.history && <p className="muted">Saving history is off for this flow: only failures and summaries are kept. Turn it on in the flow's Settings.</p>}
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
                <td>{ms(typeof r.durationMs === 'number' ? r.durationMs : undefined)}</td>
                <td>{r.trigger ?? ''}{r.parent ? ' (child)' : ''} <EnvBadge row={r} /></td>
                <td className="muted small">{r.error ?? ''}{r.status === 'paused' ? 'waiting at its Pause card for the resume request' : ''} <ResumeCell row={r} onResumed={() => setRefresh((n) => n + 1)} /> <AttemptBadge row={r} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
