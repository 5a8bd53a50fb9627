import { useMemo, useRef, useState } from 'react'
import type { SpecDoc } from '../api/types'
import { appStyle } from '../model/specs'
import { startDrag } from '../store/drag'

/**
 * matchRank says how well a card matches a palette search (lower is better;
 * -1: no match). A card whose title is the search comes first, then titles
 * that start with it, titles with a word that starts with it, titles that
 * contain it, then matches only in the app, category, description or id —
 * so "Return" puts Return at the top, not below every card whose
 * description says "returns".
 */
export function matchRank(s: SpecDoc, needle: string): number {
  if (!needle) return 0
  const t = s.title.toLowerCase()
  if (t === needle) return 0
  if (t.startsWith(needle)) return 1
  if (t.split(/[\s/()\-–]+/).some((w) => w.startsWith(needle))) return 2
  if (t.includes(needle)) return 3
  if (`${s.app ?? ''} ${s.category}`.toLowerCase().includes(needle)) return 4
  if (`${s.description ?? ''} ${s.id}`.toLowerCase().includes(needle)) return 5
  return -1
}

/** paletteGroups groups specs by app (connector cards) or function family; a search orders groups and cards by matchRank. */
export function paletteGroups(specs: SpecDoc[], q: string): { name: string; color: string; items: SpecDoc[] }[] {
  const needle = q.trim().toLowerCase()
  const groups = new Map<string, { name: string; color: string; items: SpecDoc[]; best: number }>()
  const rank = new Map<SpecDoc, number>()
  for (const s of specs) {
    const r = matchRank(s, needle)
    if (r < 0) continue
    rank.set(s, r)
    const st = appStyle(s)
    const name = s.kind === 'trigger' ? 'Triggers' : s.app ? `${st.name}` : s.category || 'Functions'
    const g = groups.get(name) ?? { name, color: st.color, items: [], best: r }
    g.items.push(s)
    g.best = Math.min(g.best, r)
    groups.set(name, g)
  }
  const order = (n: string) => (n === 'Triggers' ? 0 : n === 'Okta' ? 1 : 2)
  const out = [...groups.values()].sort((a, b) => a.best - b.best || order(a.name) - order(b.name) || a.name.localeCompare(b.name))
  for (const g of out) g.items.sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0) || a.title.localeCompare(b.title))
  return out.map(({ name, color, items }) => ({ name, color, items }))
}

/** onAdd adds a card after the selected one; byKey: added from the keyboard (the new card takes the focus). */
export function Palette({ specs, onAdd }: { specs: SpecDoc[]; onAdd: (s: SpecDoc, byKey?: boolean) => void }) {
  const [q, setQ] = useState('')
  const [closed, setClosed] = useState<Record<string, boolean>>({})
  const groups = useMemo(() => paletteGroups(specs, q), [specs, q])
  const list = useRef<HTMLDivElement>(null)
  const search = useRef<HTMLInputElement>(null)
  const items = () => [...(list.current?.querySelectorAll<HTMLElement>('.pitem') ?? [])]
  // the list is one Tab stop (roving tabindex): Tab goes from the search to
  // the list and on to the canvas, not through every card of every group
  const stops = () => [...(list.current?.querySelectorAll<HTMLElement>('[data-rove]') ?? [])]
  const [cur, setCur] = useState('')
  const isClosed = (name: string) => !q && (closed[name] ?? (name !== 'Triggers' && name !== 'Okta'))
  const keys = groups.flatMap((g) => [`g:${g.name}`, ...(isClosed(g.name) ? [] : g.items.map((s) => `i:${s.id}`))])
  const tabStop = keys.includes(cur) ? cur : keys[0]
  const rove = (k: string) => ({ 'data-rove': k, tabIndex: k === tabStop ? 0 : -1 })
  // keyboard: ↓ from the search goes to the first card, ↑/↓ move over groups and cards, Enter adds, Escape goes back to the search
  const onListKey = (e: React.KeyboardEvent) => {
    const all = stops()
    const i = all.indexOf(document.activeElement as HTMLElement)
    if (i < 0) return
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      const n = i + (e.key === 'ArrowDown' ? 1 : -1)
      if (n < 0) search.current?.focus()
      else all[Math.min(n, all.length - 1)]?.focus()
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault()
      ;(e.key === 'Home' ? all[0] : all[all.length - 1])?.focus()
    } else if (e.key === 'Escape') {
      e.preventDefault()
      search.current?.focus()
    }
  }
  return (
    <aside className="palette" aria-label="Card palette">
      <input ref={search} className="search" type="search" placeholder="Search cards…" aria-label="Search cards" value={q} onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => {
          const all = items()
          if (e.key === 'ArrowDown' && all.length) {
            e.preventDefault()
            all[0].focus()
          } else if (e.key === 'Enter' && all.length) {
            e.preventDefault()
            const only = groups.length === 1 && groups[0].items.length === 1 ? groups[0].items[0] : null
            if (only) onAdd(only, true)
            else all[0].focus()
          }
        }} />
      <div className="palette-list" ref={list} onKeyDown={onListKey}
        onFocus={(e) => { const k = (e.target as HTMLElement).dataset.rove; if (k) setCur(k) }}>
        {groups.map((g) => {
          const shut = isClosed(g.name)
          return (
            <section key={g.name} className="pgroup">
              <button className="pgroup-head" {...rove(`g:${g.name}`)} aria-expanded={!shut} onClick={() => setClosed({ ...closed, [g.name]: !shut })}>
                <span className="dot" style={{ background: g.color }} />{g.name}<span className="count">{g.items.length}</span>
              </button>
              {!shut && g.items.map((s) => (
                <div key={s.id} className="pitem" role="button" {...rove(`i:${s.id}`)} data-testid={`palette-${s.id}`} title={s.description}
                  onPointerDown={(e) => startDrag(e, { kind: 'spec', spec: s }, () => onAdd(s))}
                  onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onAdd(s, true) } }}>
                  <span className="glyph sm" style={{ background: appStyle(s).color }}>{appStyle(s).glyph}</span>
                  <span>{s.title}</span>
                </div>
              ))}
            </section>
          )
        })}
        {!groups.length && <p className="muted">No card matches “{q}”.</p>}
      </div>
    </aside>
  )
}
