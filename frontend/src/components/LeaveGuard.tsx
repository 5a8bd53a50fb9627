import { useEffect } from 'react'
import { listenWindowClose, resolveLeave, useGuard } from '../store/guard'
import { useDesigner } from '../store/designer'
import { Modal } from './Dialog'

/** LeaveGuard is the Save / Discard / Cancel dialog shown when the user
 * leaves a flow with unsaved changes (App renders it once). */
export function LeaveGuard() {
  const { pending, busy, error } = useGuard()
  const name = useDesigner((s) => s.flow?.name ?? 'this flow')
  useEffect(() => listenWindowClose(), [])
  if (!pending) return null
  const where = pending.kind === 'close' ? 'closing Flowbench' : 'leaving'
  return (
    <Modal title="Unsaved changes" onClose={() => void resolveLeave('cancel')}>
      <div data-testid="leave-guard">
        <p>“{name}” has changes that are not saved. Save them before {where}?</p>
        <p className="muted small">Meanwhile they are kept on this computer, even if Flowbench closes unexpectedly.</p>
        {error && <div className="problem" role="alert">{error}</div>}
        <div className="actions">
          <button onClick={() => void resolveLeave('cancel')} disabled={busy}>Cancel</button>
          <button className="danger" onClick={() => void resolveLeave('discard')} disabled={busy}>Discard changes</button>
          <button className="primary" onClick={() => void resolveLeave('save')} disabled={busy}>{busy ? 'Saving…' : 'Save'}</button>
        </div>
      </div>
    </Modal>
  )
}
