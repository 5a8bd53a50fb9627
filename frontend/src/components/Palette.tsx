import { useMemo, useRef, useState } from 'react'
import type { SpecDoc } from '../api/types'
import { appStyle } from '../model/specs'
import { startDrag } from '../store/drag'

/** paletteGroups groups specs by app (connector cards) or function family. */
export function paletteGroups(specs: SpecDoc[], q: string): { name: string; color: string; items: SpecDoc[] }[] {
  const needle = q.trim().toLowerCase()
  const groups = new Map<string, { name: string; color: string; items: SpecDoc[] }>()
  for (const s of specs) {
    if (needle && !`${s.title} ${s.category} ${s.app ?? ''} ${s.description ?? ''} ${s.id}`.toLowerCase().includes(needle)) continue
    const st = appStyle(s)
    const name = s.kind === 'trigger' ? 'Triggers' : s.app ? `${st.name}` : s.category || 'Functions'
    const g = groups.get(name) ?? { name, color: st.color, items: [] }
    g.items.push(s)
    groups.set(name, g)
  }
  const order = (n: string) => (n === 'Triggers' ? 0 : n === 'Okta' ? 1 : 2)
  const out = [...groups.values()].sort((a, b) => order(a.name) - order(b.name) || a.name.localeCompare(b.name))
  for (const g of out) g.items.sort((a, b) => a.title.localeCompare(b.title))
  return out
}

export function Palette({ specs, onAdd }: { specs: SpecDoc[]; onAdd: (s: SpecDoc) => void }) {
  const [q, setQ] = useState('')
  const [closed, setClosed] = useState<Record<string, boolean>>({})
  const groups = useMemo(() => paletteGroups(specs, q), [specs, q])
  const list = useRef<HTMLDivElement>(null)
  const search = useRef<HTMLInputElement>(null)
  const items = () => [...(list.current?.querySelectorAll<HTMLElement>('.pitem') ?? [])]
  // keyboard: ↓ from the search goes to the first card, ↑/↓ move, Enter adds, Escape goes back to the search
  const onListKey = (e: React.KeyboardEvent) => {
    const all = items()
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
            if (only) onAdd(only)
            else all[0].focus()
          }
        }} />
      <div className="palette-list" ref={list} onKeyDown={onListKey}>
        {groups.map((g) => {
          const isClosed = !q && (closed[g.name] ?? (g.name !== 'Triggers' && g.name !== 'Okta'))
          return (
            <section key={g.name} className="pgroup">
              <button className="pgroup-head" aria-expanded={!isClosed} onClick={() => setClosed({ ...closed, [g.name]: !isClosed })}>
                <span className="dot" style={{ background: g.color }} />{g.name}<span className="count">{g.items.length}</span>
              </button>
              {!isClosed && g.items.map((s) => (
                <div key={s.id} className="pitem" role="button" tabIndex={0} data-testid={`palette-${s.id}`} title={s.description}
                  onPointerDown={(e) => startDrag(e, { kind: 'spec', spec: s }, () => onAdd(s))}
                  onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onAdd(s) } }}>
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
