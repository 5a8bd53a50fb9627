// Save conflicts: the app refuses a save over a change made elsewhere
// (another tab or window, the CLI), or of a flow deleted elsewhere. This
// dialog shows both versions — what differs, and each one in full — and
// lets the person keep theirs over the other, take the other, or restore a
// deleted flow. Nothing is overwritten without that choice.
import { useEffect, useState } from 'react'
import { api } from '../api/client'
import type { Flow } from '../api/types'
import { compareFlows } from '../model/conflict'
import { designer } from '../store/designer'
import { go } from '../router'
import { Modal } from './Dialog'

interface Pending {
  mine: Flow
  theirs: Flow | null // null: deleted elsewhere
}

let pending: Pending | null = null
const subs = new Set<() => void>()
function setPending(p: Pending | null) {
  pending = p
  subs.forEach((f) => f())
}

/** reportConflict fetches the stored version and opens the dialog. */
export async function reportConflict(mine: Flow) {
  let theirs: Flow | null = null
  try {
    theirs = await api.getFlow(mine.id)
  } catch {
    theirs = null
  }
  setPending({ mine, theirs })
}

/** SaveConflictGuard renders the dialog while a conflict waits for a choice. */
export function SaveConflictGuard() {
  const [p, setP] = useState<Pending | null>(pending)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  useEffect(() => {
    const f = () => { setP(pending); setError('') }
    subs.add(f)
    return () => { subs.delete(f) }
  }, [])
  if (!p) return null
  const close = () => setPending(null)
  const rows = compareFlows(p.mine, p.theirs)

  const saveMine = async () => {
    const cur = designer.getState().flow ?? p.mine
    setBusy(true)
    try {
      // over the stored revision (or, for a deleted flow, as a new save)
      const r = await api.saveFlow({ ...cur, revision: p.theirs?.revision ?? 0 })
      designer.markSaved(r.flow ?? cur, r.problems ?? [])
      designer.setNotice(p.theirs ? 'Saved your version over the other one' : 'Restored the flow with your version')
      close()
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }
  const takeTheirs = () => {
    if (!p.theirs) {
      close()
      go('/')
      return
    }
    // the stored flow replaces the edits in place (Undo brings them back)
    designer.markSaved(p.theirs)
    designer.setNotice('Loaded the other version; Undo brings your edits back')
    close()
  }

  return (
    <Modal title={p.theirs ? 'This flow was changed elsewhere' : 'This flow was deleted elsewhere'} onClose={close}>
      <div className="save-conflict" data-testid="save-conflict">
        <p>
          {p.theirs
            ? `“${p.theirs.name}” was saved in another tab or window after you opened it (now revision ${p.theirs.revision ?? '?'}; you edited revision ${p.mine.revision ?? '?'}). Your changes are not saved yet.`
            : `“${p.mine.name}” was deleted in another tab or window after you opened it. Your changes are not saved yet.`}
        </p>
        <table className="conflict-diff">
          <thead><tr><th /><th>Your version</th><th>{p.theirs ? 'Saved elsewhere' : 'Stored'}</th></tr></thead>
          <tbody>
            {rows.length === 0 && <tr><td colSpan={3} className="muted">Only the revision differs.</td></tr>}
            {rows.map((r, i) => <tr key={i}><th scope="row">{r.what}</th><td>{r.mine}</td><td>{r.theirs}</td></tr>)}
          </tbody>
        </table>
        <details>
          <summary>Both versions in full</summary>
          <div className="conflict-full">
            <pre aria-label="Your version">{JSON.stringify(p.mine, null, 2)}</pre>
            <pre aria-label="Other version">{p.theirs ? JSON.stringify(p.theirs, null, 2) : '(deleted)'}</pre>
          </div>
        </details>
        {error && <p className="error" role="alert">{error}</p>}
        <div className="actions">
          <button onClick={close} disabled={busy}>Cancel</button>
          <button onClick={takeTheirs} disabled={busy}>{p.theirs ? 'Take their version' : 'Discard my changes'}</button>
          <button className="primary" onClick={() => void saveMine()} disabled={busy}>{p.theirs ? 'Keep my version' : 'Restore with my version'}</button>
        </div>
      </div>
    </Modal>
  )
}
