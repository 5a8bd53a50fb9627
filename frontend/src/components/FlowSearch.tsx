import { useEffect, useMemo, useRef, useState } from 'react'
import { searchFlow } from '../model/search'
import { designer, useDesigner } from '../store/designer'
import { view } from '../store/view'

/** FlowSearch finds cards in the flow (Ctrl+F): Enter and ↓ go to the next
 * match, Shift+Enter and ↑ to the previous, Escape clears. Matches are outlined. */
export function FlowSearch() {
  const [q, setQ] = useState('')
  const [at, setAt] = useState(0)
  const flow = useDesigner((s) => s.flow)
  const hits = useMemo(() => (flow ? searchFlow(flow, designer.specs, q) : []), [flow, q])
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
        e.preventDefault()
        input.current?.focus()
        input.current?.select()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  const go = (i: number) => {
    if (!hits.length) return
    const n = ((i % hits.length) + hits.length) % hits.length
    setAt(n)
    view.jump(hits[n].card, hits[n].field, false)
  }
  const css = hits.map((h) => `.card[data-card="${CSS.escape(h.card)}"]`).join(',')
  return (
    <span className="flow-search" role="search">
      <input ref={input} type="search" placeholder="Find in flow (Ctrl+F)" aria-label="Find in flow" value={q} size={18}
        onChange={(e) => { setQ(e.target.value); setAt(0) }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault()
            const back = e.key === 'ArrowUp' || (e.key === 'Enter' && e.shiftKey)
            // the first Enter shows the first match; later ones move on
            go(document.activeElement === input.current && input.current?.dataset.went === q ? at + (back ? -1 : 1) : back ? hits.length - 1 : 0)
            if (input.current) input.current.dataset.went = q
          } else if (e.key === 'Escape') {
            setQ('')
            ;(e.target as HTMLInputElement).blur()
          }
        }} />
      {q.trim() && <span className="muted small" data-testid="search-count" aria-live="polite">{hits.length ? `${at + 1} of ${hits.length}` : 'no match'}</span>}
      {css && <style>{`${css} { outline: 3px solid #f5b400; outline-offset: 2px; }`}</style>}
    </span>
  )
}
