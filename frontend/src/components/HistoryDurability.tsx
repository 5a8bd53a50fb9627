import { useEffect, useState } from 'react'
import { api } from '../api/client'
import type { ExecutionSummary, HistoryUsage } from '../api/types'

export function bytes(n: number): string {
  if (!isFinite(n) || n <= 0) return '0 B'
  if (n < 1024) return `${n} B`
  if (n < 1 << 20) return `${(n / 1024).toFixed(0)} KB`
  if (n < 1 << 30) return `${(n / (1 << 20)).toFixed(1)} MB`
  return `${(n / (1 << 30)).toFixed(2)} GB`
}

/** HistoryUsageBar: how much history is kept, how it is bounded and the disk it takes. */
export function HistoryUsageBar({ refresh }: { refresh: number }) {
  const [u, setU] = useState<HistoryUsage | null>(null)
  const [err, setErr] = useState('')
  useEffect(() => {
    api.historyUsage().then(setU).catch((e) => setErr((e as Error).message))
  }, [refresh])
  if (err) return <p className="muted small" role="status">Disk use unavailable: {err}</p>
  if (!u) return null
  const keep = [
    u.retentionDays > 0 ? `${u.retentionDays} days` : '',
    u.maxBytes > 0 ? `at most ${bytes(u.maxBytes)}` : '',
  ].filter(Boolean).join(', ')
  const pct = u.maxBytes > 0 ? Math.min(100, Math.round((u.bytes / u.maxBytes) * 100)) : 0
  return (
    <div className="history-usage muted small" data-testid="history-usage" role="status">
      <span>{u.executions.toLocaleString()} executions, {bytes(u.bytes)} of history</span>
      {u.maxBytes > 0 && <meter min={0} max={100} value={pct} aria-label="History size of its bound" />}
      <span>kept {keep || 'until deleted'}; oldest dropped first</span>
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
      {(row.resumed ?? 0) > 0 && <span className="badge" title="This run was interrupted and resumed">resumed{(row.resumed ?? 0) > 1 ? ` ×${row.resumed}` : ''}</span>}
      {repeats.length > 0 && (
        <span className="badge st-failed-continued" title={`These cards were running when the process ended and ran again on resume, so their effect may be doubled: ${repeats.join(', ')}`}>
          may repeat: {repeats.join(', ')}
        </span>
      )}
      {err && <span className="problem small" role="alert">{err}</span>}
    </span>
  )
}
