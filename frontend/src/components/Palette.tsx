import { useMemo, useState } from 'react'
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
  return (
    <aside className="palette" aria-label="Card palette">
      <input className="search" type="search" placeholder="Search cards…" aria-label="Search cards" value={q} onChange={(e) => setQ(e.target.value)} />
      <div className="palette-list">
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
