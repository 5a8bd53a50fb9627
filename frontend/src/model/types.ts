import type { TypeJSON } from '../api/types'

/** NType is a TypeJSON in one shape. */
export interface NType {
  kind: string
  list: boolean
  fields?: Record<string, NType>
  label?: string
}

export function normType(t?: TypeJSON | null): NType {
  if (!t) return { kind: 'any', list: false }
  if (typeof t === 'string') {
    return t.endsWith('[]') ? { kind: t.slice(0, -2), list: true } : { kind: t, list: false }
  }
  const out: NType = { kind: t.kind || 'any', list: !!t.list }
  if (t.label) out.label = t.label
  if (t.fields) {
    out.fields = {}
    for (const [k, v] of Object.entries(t.fields)) out.fields[k] = normType(v)
  }
  return out
}

export function typeLabel(t?: TypeJSON | NType | null): string {
  const n = t && typeof t === 'object' && 'list' in t && typeof (t as NType).list === 'boolean' ? (t as NType) : normType(t as TypeJSON)
  return n.kind + (n.list ? '[]' : '')
}

export function isIndex(s: string): boolean {
  return /^-?\d+$/.test(s)
}

/** typeAt walks nested object fields and list items (mirrors engine.Type.At). */
export function typeAt(t: NType | undefined, path: string[]): NType | undefined {
  let cur = t
  for (const p of path) {
    if (!cur) return undefined
    if (cur.list) {
      cur = { ...cur, list: false }
      if (isIndex(p)) continue
    }
    if (cur.kind === 'any') return { kind: 'any', list: false }
    if (cur.kind !== 'object' || !cur.fields) {
      return cur.kind === 'object' ? { kind: 'any', list: false } : undefined
    }
    cur = cur.fields[p]
  }
  return cur
}

/** compatible mirrors engine.Compatible: may a value of type from flow into to? */
export function compatible(from?: NType, to?: NType): boolean {
  if (!from || !to || from.kind === 'any' || to.kind === 'any') return true
  if (from.list !== to.list) return (to.kind === 'string' && !to.list) || to.list
  const f = from.kind
  switch (to.kind) {
    case 'string':
    case 'file':
      return true
    case 'number':
    case 'integer':
      return ['number', 'integer', 'string', 'boolean', 'date'].includes(f)
    case 'boolean':
      return ['boolean', 'string', 'number', 'integer'].includes(f)
    case 'date':
      return ['date', 'string', 'number', 'integer'].includes(f)
    case 'object':
      return f === 'object' || f === 'string'
    case 'flow':
      return f === 'flow' || f === 'string'
  }
  return f === to.kind
}

/** defaultFor is the empty value an editor starts from. */
export function defaultFor(t: NType): unknown {
  if (t.list) return []
  switch (t.kind) {
    case 'number':
    case 'integer':
      return 0
    case 'boolean':
      return false
    case 'object':
      return {}
    default:
      return ''
  }
}
