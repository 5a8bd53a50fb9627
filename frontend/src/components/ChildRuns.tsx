import { useEffect, useState } from 'react'
import { api } from '../api/client'
import type { ExecutionSummary } from '../api/types'
import { CHILD_RUNS_MAX, groupChildren } from '../model/childruns'
import { statusClass } from './CardView'

/** ChildRuns: the helper runs a card made (For Each items, Call Flow), with
 * their status; the ones that did not succeed come first with their error,
 * so the failed item of a For Each over many is one click away. */
export function ChildRuns({ parent, ids, open }: { parent?: string; ids: string[]; open?: (id: string) => void }) {
  const [rows, setRows] = useState<ExecutionSummary[] | null>(null)
  const [all, setAll] = useState(false)
  useEffect(() => {
    if (!parent) return
    let live = true
    api.listExecutions({ parent, limit: Math.min(ids.length, CHILD_RUNS_MAX) })
      .then((r) => { if (live) setRows(r) }).catch(() => { if (live) setRows([]) })
    return () => { live = false }
  }, [parent, ids.length])
  const link = (id: string, r?: ExecutionSummary) => (
    <button key={id} className="link" title={`Open child run ${id}`} onClick={() => open?.(id)} data-testid="child-run">
      {r && r.status !== 'success' && <span className={`badge ${statusClass(r.status)}`}>{r.status}</span>} …{id.slice(-6)}
      {r?.error ? <span className="muted small"> {r.error}</span> : null}
    </button>
  )
  if (!rows) return <div className="children">Child runs: {ids.length}</div>
  const g = groupChildren(ids, rows)
  const rest = [...g.ok.map((r) => r.id), ...g.missing]
  return (
    <div className="children nodrag" data-testid="child-runs">
      <div>Child runs ({ids.length.toLocaleString()}){g.counts ? `: ${g.counts}` : ''}</div>
      {g.problems.map((r) => <div key={r.id}>{link(r.id, r)}</div>)}
      {rest.length > 0 && (g.problems.length === 0 || all
        ? <div>{rest.map((id) => link(id))}</div>
        : <button className="link small" onClick={() => setAll(true)}>▸ show the {rest.length.toLocaleString()} other{rest.length === 1 ? '' : 's'}</button>)}
    </div>
  )
}
