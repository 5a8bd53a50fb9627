// Cancel of a run in progress or paused, from History (as Okta's "Cancel a
// flow execution"): a confirmation first, since cards already run are not
// undone; the run then ends canceled (app/cancel.go).
import { useState } from 'react'
import { api } from '../api/client'
import type { ExecutionSummary } from '../api/types'
import { Modal } from './Dialog'

/** cancelable: runs in progress here and paused runs can be canceled. */
export const cancelable = (status: string) => status === 'running' || status === 'paused'

export function CancelRunButton({ row, onCanceled }: { row: ExecutionSummary; onCanceled: () => void }) {
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const [err, setErr] = useState('')
  if (!cancelable(row.status)) return null
  const name = row.flowName ?? row.flow
  const yes = () => {
    setBusy(true)
    setErr('')
    api.cancelExecution(row.id)
      .then(() => { setAsking(false); onCanceled() })
      .catch((e) => setErr((e as Error).message))
      .finally(() => setBusy(false))
  }
  return (
    <span className="cancel-run" onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
      <button className="small" data-testid="cancel-execution" onClick={() => setAsking(true)}
        title={row.status === 'paused' ? 'End this paused run: it will not resume' : 'Stop this run before its next card'}>Cancel</button>
      {asking && (
        <Modal title="Cancel execution" onClose={() => setAsking(false)}>
          <p>{row.status === 'paused'
            ? `The run of “${name}” waiting at its Pause card ends canceled: its resume URL will refuse it.`
            : `The run of “${name}” stops before its next card, with its helper runs. Cards that already ran are not undone.`}</p>
          {err && <div className="problem" role="alert">{err}</div>}
          <div className="actions">
            <button onClick={() => setAsking(false)} autoFocus>No, keep running</button>
            <button className="danger" disabled={busy} onClick={yes}>{busy ? 'Canceling…' : 'Yes, cancel'}</button>
          </div>
        </Modal>
      )}
    </span>
  )
}
