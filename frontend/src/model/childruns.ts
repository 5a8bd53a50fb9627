import type { ExecutionSummary } from '../api/types'

/** Most helper runs a card's "Child runs" asks History for at once. */
export const CHILD_RUNS_MAX = 2000

export interface ChildGroups {
  /** runs that did not succeed, in the card's order: what a person looks for */
  problems: ExecutionSummary[]
  ok: ExecutionSummary[]
  /** child ids History has no record of (yet, or dropped by retention) */
  missing: string[]
  counts: string // "58 success, 1 failed, 1 canceled"
}

/** groupChildren orders a card's child runs (ids in the card's order) by
 * what matters: the ones that failed first, with their errors. */
export function groupChildren(ids: string[], rows: ExecutionSummary[]): ChildGroups {
  const byId = new Map(rows.map((r) => [r.id, r]))
  const problems: ExecutionSummary[] = []
  const ok: ExecutionSummary[] = []
  const missing: string[] = []
  const n = new Map<string, number>()
  for (const id of ids) {
    const r = byId.get(id)
    if (!r) {
      missing.push(id)
      continue
    }
    n.set(r.status, (n.get(r.status) ?? 0) + 1)
    ;(r.status === 'success' ? ok : problems).push(r)
  }
  const order = ['success', 'failed', 'timeout', 'canceled', 'interrupted', 'paused', 'running']
  const counts = [...n.entries()].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([s, c]) => `${c} ${s}`).join(', ')
  return { problems, ok, missing, counts }
}
