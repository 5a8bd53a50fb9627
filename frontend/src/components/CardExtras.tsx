// Small parts of a card kept out of CardView: collapse to the header, the
// card menu (closes on Escape and outside click), the run duration, the
// delete guard that names the cards using a card's outputs, and whether an
// input takes the output being dragged.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import type { CardRecord, Flow, Problem } from '../api/types'
import { describe, usersOf } from '../model/problems'
import { wire } from '../model/wiring'
import { indexFlow } from '../model/tree'
import { designer, useDesigner } from '../store/designer'
import { useDrag } from '../store/drag'
import { useView, view } from '../store/view'
import { Modal } from './Dialog'

export function CollapseButton({ id, title }: { id: string; title: string }) {
  const collapsed = useView((s) => !!s.collapsed[id])
  return (
    <button className="icon nodrag collapse-btn" aria-expanded={!collapsed} aria-label={`${collapsed ? 'Expand' : 'Collapse'} ${title}`}
      title={collapsed ? 'Expand the card' : 'Collapse to the header'} onClick={() => view.toggle(id)}>{collapsed ? '▸' : '▾'}</button>
  )
}

export const useCollapsed = (id: string) => useView((s) => !!s.collapsed[id])

/** CardMenu is the ⋯ menu: it closes on Escape, on a click outside and after a choice. */
export function CardMenu({ onClose, children }: { onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const down = (e: PointerEvent) => {
      const t = e.target as Node
      if (ref.current?.contains(t)) return
      // the ⋯ button toggles the menu itself
      if ((t as HTMLElement).closest?.('[aria-haspopup="menu"]') === ref.current?.parentElement?.querySelector('[aria-haspopup="menu"]')) return
      onClose()
    }
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation()
        onClose()
        ref.current?.parentElement?.querySelector<HTMLElement>('[aria-haspopup="menu"]')?.focus()
      }
    }
    window.addEventListener('pointerdown', down, true)
    window.addEventListener('keydown', key, true)
    requestAnimationFrame(() => ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus())
    return () => {
      window.removeEventListener('pointerdown', down, true)
      window.removeEventListener('keydown', key, true)
    }
  }, [onClose])
  return (
    <div className="menu nodrag" role="menu" ref={ref}
      onClick={(e) => { if ((e.target as HTMLElement).closest('[role="menuitem"]')) onClose() }}
      onKeyDown={(e) => {
        if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return
        e.preventDefault()
        const items = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? [])]
        const i = items.indexOf(document.activeElement as HTMLElement)
        items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus()
      }}>
      {children}
    </div>
  )
}

/** duration of a card record, "12 ms" / "1.4 s". */
export function duration(rec?: CardRecord): string {
  if (!rec?.started || !rec.ended) return ''
  const ms = new Date(rec.ended).getTime() - new Date(rec.started).getTime()
  if (!isFinite(ms) || ms < 0) return ''
  return ms < 1 ? '< 1 ms' : ms < 1000 ? `${Math.round(ms)} ms` : ms < 60000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`
}

export function Duration({ rec }: { rec?: CardRecord }) {
  const d = duration(rec)
  return d ? <span className="duration" data-testid="card-duration" title="How long the card ran">ran in {d}</span> : null
}

/** ProblemCount is the collapsed card's header badge: its problems and those of the cards inside it. */
export function ProblemCount({ id }: { id: string }) {
  const problems = useDesigner((s) => s.problems)
  const flow = useDesigner((s) => s.flow)
  const mine = useMemo(() => {
    if (!flow) return []
    const idx = indexFlow(flow)
    const tid = flow.trigger.id
    return problems.filter((p) => {
      const cid = p.card === 'trigger' ? tid : p.card
      return !!cid && (cid === id || !!idx.get(cid)?.ancestors.includes(id))
    })
  }, [problems, flow, id])
  if (!mine.length) return null
  const n = mine.filter((p) => p.severity !== 'warning').length
  return <span className="badge st-failed" title={mine.map((p) => p.message).join('\n')} data-testid="card-problem-count">{n || mine.length} ⚠</span>
}

/** problemText: the message with card ids named by title, prefixed by the field when it is not drawn. */
export function problemText(p: Problem, flow: Flow, drawn?: boolean): string {
  const specs = designer.specs
  const msg = describe(p.message, flow, specs, (id) => view.get().titles[id])
  if (!p.input || drawn) return msg
  // the field as the card shows it: its label, or Connection for the card's connection
  const type = p.card ? indexFlow(flow).get(p.card)?.card.type : undefined
  const label = p.input === 'connection' ? 'Connection' : specs.get(type ?? '')?.inputs.find((f) => f.key === p.input)?.label
  return `${label || p.input}: ${msg}`
}

/** useDropCheck tells whether the output being dragged can feed this input, and why not. */
export function useDropCheck(card: string, key: string): { active: boolean; ok: boolean; reason: string } {
  const payload = useDrag((s) => (s.active && s.payload?.kind === 'output' ? s.payload : null))
  const flow = useDesigner((s) => s.flow)
  if (!payload || !flow) return { active: false, ok: false, reason: '' }
  const r = wire(flow, designer.specs, { card: payload.card, path: payload.path }, { card, key })
  return { active: true, ok: r.ok, reason: r.ok ? '' : r.reason }
}

// ---- delete guard ----

let pending: string | null = null
const subs = new Set<() => void>()
function setPending(id: string | null) {
  pending = id
  subs.forEach((f) => f())
}

/** requestDelete deletes a card, asking first when other cards use its outputs. */
export function requestDelete(id: string) {
  const f = designer.getState().flow
  if (!f || designer.getState().readOnly || id === f.trigger.id) return
  if (usersOf(f, id, designer.specs).length === 0) {
    designer.deleteCard(id)
    return
  }
  setPending(id)
}

/** DeleteGuard is the confirmation shown by requestDelete (mounted once by the designer). */
export function DeleteGuard() {
  const [id, setId] = useState<string | null>(pending)
  useEffect(() => {
    const f = () => setId(pending)
    subs.add(f)
    return () => void subs.delete(f)
  }, [])
  const flow = useDesigner((s) => s.flow)
  if (!id || !flow) return null
  const c = usersOf(flow, id, designer.specs)
  const card = findTitle(flow, id)
  const close = () => setPending(null)
  return (
    <Modal title={`Delete ${card}?`} onClose={close}>
      <p>These cards use outputs of <strong>{card}</strong>; their inputs will lose the value:</p>
      <ul className="users" data-testid="delete-users">
        {c.map((u) => <li key={u.card}><strong>{u.title}</strong> — {u.inputs.join(', ')}</li>)}
      </ul>
      <div className="actions">
        <button onClick={close} autoFocus>Cancel</button>
        <button className="danger" onClick={() => { designer.deleteCard(id); close() }}>Delete anyway</button>
      </div>
    </Modal>
  )
}

function findTitle(flow: Flow, id: string): string {
  const walk = (cards: Flow['cards']): string | undefined => {
    for (const c of cards ?? []) {
      if (c.id === id) return c.title || designer.specs.get(c.type)?.title || c.type
      for (const b of c.branches ?? []) {
        const t = walk(b.cards ?? [])
        if (t) return t
      }
    }
    return undefined
  }
  return walk(flow.cards) ?? id
}
