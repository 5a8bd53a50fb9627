// Problems as the canvas shows them: every problem `flowbench validate`
// reports (engine.Validate through ValidateFlow), plus the edit-time ones the
// UI finds itself (text that is not a number), placed on the card and field
// they name. A problem whose field is not drawn (a hidden or branch input)
// stays on its card; one whose card is gone or hidden stays in the list.
import type { Card, Flow, Problem } from '../api/types'
import { inputFields, type SpecIndex } from './specs'
import { allCards, indexFlow } from './tree'
import { shownInputs } from './options'
import { fieldLabels } from './wiring'

export interface PlacedProblem {
  /** stable key for lists */
  key: string
  problem: Problem
  /** the card the problem is drawn on ('' for the flow as a whole) */
  card: string
  /** the input row it is drawn on; undefined: on the card itself */
  field?: string
  /** the card's title as the canvas shows it */
  cardTitle: string
  /** the field's label (or the raw key when the field is not drawn) */
  fieldLabel?: string
  /** the message with card ids replaced by card titles */
  message: string
  error: boolean
  /** the card exists but is not drawn (hidden cards of imported flows) */
  hiddenCard: boolean
  /** where a nested card sits: "If Error › try" ('' at top level) */
  within: string
}

/** cardTitle is how a card is named everywhere in the UI. */
export function cardTitle(c: Card, specs?: SpecIndex): string {
  return c.title || specs?.get(c.type)?.title || c.type
}

/** TitleOf names a card id that is no longer in the flow (deleted cards, from the undo history). */
export type TitleOf = (id: string) => string | undefined

/** describe rewrites card ids quoted in an engine message ("binds to card
 * \"c1\", which does not exist") with the cards' titles. */
export function describe(msg: string, flow: Flow, specs?: SpecIndex, titleOf?: TitleOf): string {
  const idx = indexFlow(flow)
  return msg.replace(/card "([^"]+)"/g, (whole, id: string) => {
    const c = idx.get(id === 'trigger' ? flow.trigger.id : id)?.card
    if (c) return `card "${cardTitle(c, specs)}"`
    const t = titleOf?.(id)
    return t ? `card "${t}" (deleted)` : whole
  })
}

/** hiddenIds: cards not drawn (hidden themselves or inside a hidden card). */
function hiddenIds(flow: Flow): Set<string> {
  const out = new Set<string>()
  const walk = (cards: Card[], hidden: boolean) => {
    for (const c of cards) {
      const h = hidden || !!c.hidden
      if (h) out.add(c.id)
      for (const b of c.branches ?? []) walk(b.cards ?? [], h)
    }
  }
  walk(flow.cards ?? [], false)
  return out
}

/** placeProblems maps problems onto the cards and fields of the flow, in flow order. */
export function placeProblems(flow: Flow, specs: SpecIndex, problems: Problem[], titleOf?: TitleOf): PlacedProblem[] {
  const idx = indexFlow(flow)
  const hidden = hiddenIds(flow)
  const order = new Map(allCards(flow).map((c, i) => [c.id, i]))
  const out: PlacedProblem[] = problems.map((p, i) => {
    const id = p.card === 'trigger' ? flow.trigger.id : p.card ?? ''
    const loc = id ? idx.get(id) : undefined
    const message = describe(p.message, flow, specs, titleOf)
    const error = p.severity !== 'warning'
    if (!loc) {
      const gone = id ? titleOf?.(id) ?? p.title ?? id : ''
      return { key: `${i}:${p.pointer ?? ''}:${p.message}`, problem: p, card: '', cardTitle: gone ? `${gone} (not in the flow)` : 'Flow', fieldLabel: p.input, message, error, hiddenCard: false, within: '' }
    }
    const shown = p.input ? shownInputs(loc.card, inputFields(loc.card, specs.get(loc.card.type))).find((f) => f.key === p.input) : undefined
    return {
      key: `${i}:${p.pointer ?? ''}:${p.message}`,
      problem: p,
      card: loc.card.id,
      field: shown?.key,
      cardTitle: cardTitle(loc.card, specs),
      fieldLabel: shown?.label ?? p.input,
      message,
      error,
      hiddenCard: hidden.has(loc.card.id),
      within: loc.ancestors.length ? [...loc.ancestors.map((a) => { const c = idx.get(a)?.card; return c ? cardTitle(c, specs) : a }), loc.slot.branch ?? ''].filter(Boolean).join(' › ') : '',
    }
  })
  const pos = (x: PlacedProblem) => (x.card ? order.get(x.card) ?? 1e9 : -1)
  return out.map((x, i) => [x, i] as const).sort((a, b) => pos(a[0]) - pos(b[0]) || a[1] - b[1]).map((a) => a[0])
}

/** onCard splits one card's placed problems into field rows and the card itself. */
export function onCard(placed: PlacedProblem[], card: string): { card: PlacedProblem[]; fields: Map<string, PlacedProblem[]> } {
  const res = { card: [] as PlacedProblem[], fields: new Map<string, PlacedProblem[]>() }
  for (const p of placed) {
    if (p.card !== card) continue
    if (p.field) res.fields.set(p.field, [...(res.fields.get(p.field) ?? []), p])
    else res.card.push(p)
  }
  return res
}

/** fieldErrorKey is the store key of an edit-time field error. */
export const fieldErrorKey = (card: string, key: string) => `${card}\u0000${key}`

/** localProblems turns edit-time field errors (text that is not a number…) into problems. */
export function localProblems(flow: Flow | null, errs: Record<string, string>): Problem[] {
  if (!flow) return []
  const idx = indexFlow(flow)
  const out: Problem[] = []
  for (const [k, msg] of Object.entries(errs)) {
    const [card, input] = k.split('\u0000')
    const c = idx.get(card)?.card
    if (!c) continue
    out.push({ flow: flow.id, card, title: c.title, input, kind: 'bad-value', message: msg, severity: 'error', pointer: '' })
  }
  return out
}

/** usersOf names the cards whose inputs use a card's outputs (delete warnings). */
export function usersOf(flow: Flow, id: string, specs?: SpecIndex): { card: string; title: string; inputs: string[] }[] {
  const users = new Map<string, { card: string; title: string; inputs: string[] }>()
  const nested = new Set<string>()
  const target = indexFlow(flow).get(id)?.card
  const collect = (c: Card) => {
    nested.add(c.id)
    for (const b of c.branches ?? []) for (const n of b.cards ?? []) collect(n)
  }
  if (target) collect(target)
  for (const c of allCards(flow)) {
    if (nested.has(c.id)) continue // cards deleted together with it
    const fields = [...(c.inputs ?? []), ...(c.outputs ?? []), ...(c.branches ?? []).flatMap((b) => b.inputs ?? [])]
    for (const f of fields) {
      const binds = [f.from, ...(f.any ?? [])].some((b) => b && nested.has(b.card === 'trigger' ? flow.trigger.id : b.card))
      if (!binds) continue
      const u = users.get(c.id) ?? { card: c.id, title: cardTitle(c, specs), inputs: [] }
      const label = inputFields(c, specs?.get(c.type)).find((x) => x.key === f.key)?.label ?? f.label ?? f.key
      if (!u.inputs.includes(label)) u.inputs.push(label)
      users.set(c.id, u)
    }
  }
  return [...users.values()]
}

/** triggerUsers lists the inputs bound to trigger outputs that a new trigger
 * type does not have (they break when the trigger is replaced). */
export function lostTriggerBindings(flow: Flow, specs: SpecIndex, newOutputs: string[] | null): { title: string; input: string; output: string }[] {
  const tid = flow.trigger.id
  const out: { title: string; input: string; output: string }[] = []
  for (const c of allCards(flow)) {
    if (c.id === tid) continue
    for (const f of [...(c.inputs ?? []), ...(c.branches ?? []).flatMap((b) => b.inputs ?? [])]) {
      for (const b of [f.from, ...(f.any ?? [])]) {
        if (!b || (b.card !== tid && b.card !== 'trigger')) continue
        const key = b.path[0]
        if (key === 'context' || (newOutputs && newOutputs.includes(key))) continue
        const label = inputFields(c, specs.get(c.type)).find((x) => x.key === f.key)?.label ?? f.key
        out.push({ title: cardTitle(c, specs), input: label, output: fieldLabels(flow, specs, tid, b.path).join(' › ') })
      }
    }
  }
  return out
}
