import { useMemo } from 'react'
import type { Problem } from '../api/types'
import { localProblems, placeProblems, type PlacedProblem } from '../model/problems'
import { designer, useDesigner } from '../store/designer'
import { useView, view } from '../store/view'

/** useAllProblems: what validation reported plus the edit-time field errors, placed on cards. */
export function useAllProblems(): PlacedProblem[] {
  const flow = useDesigner((s) => s.flow)
  const problems = useDesigner((s) => s.problems)
  const errs = useView((s) => s.fieldErrors)
  const titles = useView((s) => s.titles)
  return useMemo(() => {
    if (!flow) return []
    const all: Problem[] = [...problems, ...localProblems(flow, errs)]
    return placeProblems(flow, designer.specs, all, (id) => titles[id])
  }, [flow, problems, errs, titles])
}

/** ProblemsButton is the toolbar's problem count; it opens the Problems panel. */
export function ProblemsButton({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  const all = useAllProblems()
  const errors = all.filter((p) => p.error).length
  if (!all.length) return <span className="badge st-success" data-testid="problems-none" title="No problems">No problems</span>
  return (
    <button className={`badge-btn ${errors ? 'st-failed' : 'st-warn'}`} aria-pressed={open} data-testid="problems-button" onClick={onToggle}
      title="List every problem and jump to its card">
      ⚠ {errors || all.length} problem{(errors || all.length) > 1 ? 's' : ''}
    </button>
  )
}

/** ProblemsPanel lists every problem with its card's title and field; a click jumps to it. */
export function ProblemsPanel({ onClose }: { onClose: () => void }) {
  const all = useAllProblems()
  return (
    <aside className="side-panel problems-panel" aria-label="Problems">
      <header><h2>Problems ({all.length})</h2><button className="icon" aria-label="Close problems" onClick={onClose}>×</button></header>
      {!all.length && <p className="muted">No problems: the flow validates as `flowbench validate` would check it.</p>}
      <ul className="problem-list">
        {all.map((p) => (
          <li key={p.key}>
            <button className={`problem-item ${p.error ? '' : 'warn'}`} disabled={!p.card} data-testid="problem-item"
              onClick={() => p.card && view.jump(p.card, p.field)}
              title={p.card ? (p.hiddenCard ? 'This card is hidden in the imported flow' : 'Show the card') : undefined}>
              <span className="pi-card">{p.cardTitle}{p.fieldLabel ? <> › <span className="pi-field">{p.fieldLabel}</span></> : null}</span>
              {p.within && <span className="pi-within">in {p.within}</span>}
              <span className="pi-msg">{p.message}</span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  )
}
