import { useEffect, useState } from 'react'
import { api } from '../api/client'
import type { ExecutionSummary, HistoryUsage } from '../api/types'
import { bytes, keptText, repeatNote, usedPercent } from '../model/usage'

/** HistoryUsageBar: how much history is kept, how it is bounded and the disk it takes. */
export function HistoryUsageBar({ refresh }: { refresh: number }) {
  const [u, setU] = useState<HistoryUsage | null>(null)
  const [err, setErr] = useState('')
  useEffect(() => {
    api.historyUsage().then(setU).catch((e) => setErr((e as Error).message))
  }, [refresh])
  if (err) return <p className="muted small" role="status">Disk use unavailable: {err}</p>
  if (!u) return null
  const pct = usedPercent(u)
  return (
    <div className="history-usage muted small" data-testid="history-usage" role="status">
      <span>{u.executions.toLocaleString()} executions, {bytes(u.bytes)} of history</span>
      {u.maxBytes > 0 && <meter min={0} max={100} value={pct} aria-label="History size of its bound" />}
      <span>kept {keptText(u)}; oldest dropped first</span>
      <span>data on disk: {bytes(u.diskBytes)}</span>
      {u.interrupted > 0 && <span className="badge st-interrupted">{u.interrupted} interrupted</span>}
    </div>
  )
}

/** ResumeCell: the history row's note on interrupted and resumed runs, with Resume for manual and API runs. */
export function ResumeCell({ row, onResumed }: { row: ExecutionSummary; onResumed: () => void }) {
  const [busy, setBusy] = useState(false)
  const [err, setErr] = useState('')
  const repeats = row.repeats ?? []
  return (
    <span className="resume-cell" onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
      {row.resumable && (
        <button
          className="small"
          disabled={busy}
          data-testid="resume-execution"
          title="Continue after the last completed card: cards and For Each items already done are not run again"
          onClick={() => {
            setBusy(true)
            setErr('')
            api.resumeExecution(row.id)
              .then(() => onResumed())
              .catch((e) => setErr((e as Error).message))
              .finally(() => setBusy(false))
          }}>
          {busy ? 'Resuming…' : 'Resume'}
        </button>
      )}
      {(row.resumed ?? 0) > 0 && <span className="badge" title="This run was interrupted (or paused by a Pause card) and resumed">resumed{(row.resumed ?? 0) > 1 ? ` ×${row.resumed}` : ''}</span>}
      {repeats.length > 0 && (
        <span className="badge st-failed-continued" title={repeatNote(row)}>
          may repeat: {repeats.join(', ')}
        </span>
      )}
      {err && <span className="problem small" role="alert">{err}</span>}
    </span>
  )
}
