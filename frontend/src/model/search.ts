// Search within a flow: cards whose title, card type, app, note, field
// labels or static values contain the text, in flow order.
import type { Card, Flow } from '../api/types'
import { inputFields, type SpecIndex } from './specs'
import { allCards, indexFlow } from './tree'

export interface SearchHit {
  card: string
  title: string
  /** where the text was found: "title", "type", "note", or an input's label */
  where: string
  /** the input key when the hit is a field (the canvas focuses it) */
  field?: string
}

function text(v: unknown): string {
  if (v === undefined || v === null) return ''
  return typeof v === 'string' ? v : JSON.stringify(v)
}

export function searchFlow(flow: Flow, specs: SpecIndex, q: string): SearchHit[] {
  const needle = q.trim().toLowerCase()
  if (!needle) return []
  const has = (s: string | undefined) => !!s && s.toLowerCase().includes(needle)
  const idx = indexFlow(flow)
  const hidden = (c: Card) => !!c.hidden || (idx.get(c.id)?.ancestors ?? []).some((a) => idx.get(a)?.card.hidden)
  const out: SearchHit[] = []
  for (const c of allCards(flow)) {
    if (hidden(c)) continue
    const spec = specs.get(c.type)
    const title = c.title || spec?.title || c.type
    if (has(title)) {
      out.push({ card: c.id, title, where: 'title' })
      continue
    }
    if (has(spec?.title) || has(c.type) || has(spec?.app)) {
      out.push({ card: c.id, title, where: spec?.title ?? c.type })
      continue
    }
    if (has(c.note)) {
      out.push({ card: c.id, title, where: 'note' })
      continue
    }
    const f = inputFields(c, spec).find((x) => has(x.label) || has(x.key) || has(text(x.field?.value)))
    if (f) out.push({ card: c.id, title, where: f.label, field: f.key })
  }
  return out
}
