// Wiring: dragging an output field (or a nested field of it) onto an input
// field of a later card makes a Binding{card, path}.
import type { Card, Flow, SpecDoc } from '../api/types'
import { cardsBefore, indexFlow, setInput } from './tree'
import { setClauseInFlow, splitKey } from './clauses'
import { outputFields, type SpecIndex } from './specs'
import { compatible, normType, type NType, typeAt, typeLabel } from './types'

export interface WireSource {
  card: string
  /** first = output key, rest walk into nested objects */
  path: string[]
}

export interface WireTarget {
  card: string
  key: string
}

export type WireResult = { ok: true; flow: Flow } | { ok: false; reason: string }

export function sourceType(flow: Flow, specs: SpecIndex, src: WireSource): NType | undefined {
  const loc = indexFlow(flow).get(src.card === 'trigger' ? flow.trigger.id : src.card)
  if (!loc) return undefined
  const isTrigger = loc.card.id === flow.trigger.id
  const out = outputFields(loc.card, specs.get(loc.card.type), isTrigger).find((f) => f.key === src.path[0])
  if (!out) return undefined
  return typeAt(out.type, src.path.slice(1))
}

export function targetType(card: Card, spec: SpecDoc | undefined, key: string): NType | undefined {
  const s = spec?.inputs.find((x) => x.key === key)
  const f = card.inputs?.find((x) => x.key === key)
  const t = f?.type ?? s?.type
  return t ? normType(t) : undefined
}

/** wire binds target input to src; the static value of the input is dropped. */
export function wire(flow: Flow, specs: SpecIndex, src: WireSource, dst: WireTarget): WireResult {
  const idx = indexFlow(flow)
  const srcId = src.card === 'trigger' ? flow.trigger.id : src.card
  const target = idx.get(dst.card)
  if (!idx.get(srcId)) return { ok: false, reason: `no card ${src.card}` }
  if (!target) return { ok: false, reason: `no card ${dst.card}` }
  if (srcId === dst.card) return { ok: false, reason: 'a card cannot use its own output' }
  if (dst.card === flow.trigger.id) return { ok: false, reason: 'the trigger has no inputs to wire' }
  if (!cardsBefore(flow, dst.card).has(srcId)) return { ok: false, reason: 'outputs can only feed cards to their right' }
  if (!src.path.length) return { ok: false, reason: 'no output field' }
  const st = sourceType(flow, specs, { card: srcId, path: src.path })
  if (!st) return { ok: false, reason: `no output ${src.path.join('.')}` }
  // an If/ElseIf clause's value a / value b ("<clause>/left-operand")
  const clause = splitKey(target.card, dst.key)
  if (clause) return { ok: true, flow: setClauseInFlow(flow, dst.card, clause.branch, clause.key, { from: { card: srcId, path: [...src.path] }, value: undefined, any: undefined }) }
  const spec = specs.get(target.card.type)
  const tt = targetType(target.card, spec, dst.key)
  if (!spec?.extensibleInputs && !tt && !target.card.inputs?.some((f) => f.key === dst.key))
    return { ok: false, reason: `no input ${dst.key}` }
  if (tt && !compatible(st, tt)) return { ok: false, reason: `${typeLabel(st)} cannot feed ${typeLabel(tt)}` }
  const next = setInput(flow, dst.card, dst.key, { from: { card: srcId, path: [...src.path] }, value: undefined, any: undefined })
  return { ok: true, flow: next }
}

/** unwire removes the binding of an input (the field stays, empty). */
export function unwire(flow: Flow, dst: WireTarget): Flow {
  const clause = splitKey(indexFlow(flow).get(dst.card)?.card, dst.key)
  if (clause) return setClauseInFlow(flow, dst.card, clause.branch, clause.key, { from: undefined })
  return setInput(flow, dst.card, dst.key, { from: undefined })
}

/** A pickable node of an output's nested fields. */
export interface OutputNode {
  path: string[]
  label: string
  type: NType
  children: OutputNode[]
}

export function outputTree(type: NType, path: string[], label: string, depth = 0): OutputNode {
  const children: OutputNode[] = []
  const t = type.list ? { ...type, list: false } : type
  if (depth < 4 && t.kind === 'object' && t.fields) {
    for (const k of Object.keys(t.fields).sort()) {
      const ct = t.fields[k]
      children.push(outputTree(ct, [...path, k], ct.label || k, depth + 1))
    }
  }
  return { path, label, type, children }
}

/** fieldLabels names each step of an output path by its label (Okta's export
 * keys such as `id_Q5IXJN` carry a readable label, "ID"); a step without a
 * label keeps its key. */
export function fieldLabels(flow: Flow, specs: SpecIndex | undefined, cardId: string, path: string[]): string[] {
  const loc = indexFlow(flow).get(cardId === 'trigger' ? flow.trigger.id : cardId)
  if (!loc || !path.length) return [...path]
  const isTrigger = loc.card.id === flow.trigger.id
  const out = outputFields(loc.card, specs?.get(loc.card.type), isTrigger).find((f) => f.key === path[0])
  const names = [out?.label || path[0]]
  let cur: NType | undefined = out?.type
  for (const p of path.slice(1)) {
    if (cur?.list) {
      cur = { ...cur, list: false }
      if (/^\d+$/.test(p)) {
        names.push(p)
        continue
      }
    }
    const next: NType | undefined = cur?.kind === 'object' ? cur.fields?.[p] : undefined
    names.push(next?.label || p)
    cur = next
  }
  return names
}

/** pillLabel is what a bound input shows: "Read User › ID" (field labels
 * when specs are given; the keys stay in the pill's tooltip). */
export function pillLabel(
  flow: Flow,
  b: { card: string; path: string[] },
  titleOf?: (id: string) => string | undefined,
  specs?: SpecIndex,
): { card: string; field: string; missing?: boolean } {
  const idx = indexFlow(flow)
  const c = idx.get(b.card === 'trigger' ? flow.trigger.id : b.card)?.card
  if (c) return { card: c.title || c.type, field: fieldLabels(flow, specs, b.card, b.path).join(' › ') }
  const t = titleOf?.(b.card)
  return { card: t ? `missing card “${t}”` : `missing card ${b.card}`, field: b.path.join(' › '), missing: true }
}
