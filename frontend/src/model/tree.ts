// Pure operations on the engine.Flow card tree. Every function returns a new
// flow (structural sharing), never mutates its input.
import type { Card, Field, Flow } from '../api/types'

/** A place in the tree: the top-level list (parent undefined) or a branch of a container card. */
export interface Slot {
  parent?: string
  branch?: string
}

export interface Located {
  card: Card
  slot: Slot
  index: number
  /** ids of the containers from the top down */
  ancestors: string[]
}

export function indexFlow(f: Flow): Map<string, Located> {
  const m = new Map<string, Located>()
  m.set(f.trigger.id, { card: f.trigger, slot: {}, index: -1, ancestors: [] })
  const walk = (cards: Card[], slot: Slot, anc: string[]) => {
    cards.forEach((c, i) => {
      m.set(c.id, { card: c, slot, index: i, ancestors: anc })
      for (const b of c.branches ?? []) walk(b.cards ?? [], { parent: c.id, branch: b.name }, [...anc, c.id])
    })
  }
  walk(f.cards ?? [], {}, [])
  return m
}

export function allCards(f: Flow): Card[] {
  const out: Card[] = [f.trigger]
  const walk = (cards: Card[]) => {
    for (const c of cards) {
      out.push(c)
      for (const b of c.branches ?? []) walk(b.cards ?? [])
    }
  }
  walk(f.cards ?? [])
  return out
}

function mapCards(cards: Card[], fn: (c: Card) => Card): Card[] {
  let changed = false
  const out = cards.map((c) => {
    let n = fn(c)
    if (n.branches?.length) {
      let bc = false
      const branches = n.branches.map((b) => {
        const nc = mapCards(b.cards ?? [], fn)
        if (nc !== b.cards) {
          bc = true
          return { ...b, cards: nc }
        }
        return b
      })
      if (bc) n = { ...n, branches }
    }
    if (n !== c) changed = true
    return n
  })
  return changed ? out : cards
}

/** updateCards replaces every card (trigger included) by fn(card); the flow
 * itself when fn changes none. */
export function updateCards(f: Flow, fn: (c: Card) => Card): Flow {
  const trigger = fn(f.trigger)
  const cards = mapCards(f.cards ?? [], fn)
  return trigger === f.trigger && cards === f.cards ? f : { ...f, trigger, cards }
}

/** updateCard replaces the card with id (trigger included) by fn(card). */
export function updateCard(f: Flow, id: string, fn: (c: Card) => Card): Flow {
  if (f.trigger.id === id) return { ...f, trigger: fn(f.trigger) }
  const cards = mapCards(f.cards ?? [], (c) => (c.id === id ? fn(c) : c))
  return cards === f.cards ? f : { ...f, cards }
}

function listAt(f: Flow, slot: Slot): Card[] | undefined {
  if (!slot.parent) return f.cards ?? []
  const loc = indexFlow(f).get(slot.parent)
  return loc?.card.branches?.find((b) => b.name === slot.branch)?.cards ?? (loc ? [] : undefined)
}

function setList(f: Flow, slot: Slot, cards: Card[]): Flow {
  if (!slot.parent) return { ...f, cards }
  return updateCard(f, slot.parent, (p) => {
    const branches = [...(p.branches ?? [])]
    const i = branches.findIndex((b) => b.name === slot.branch)
    if (i >= 0) branches[i] = { ...branches[i], cards }
    else branches.push({ name: slot.branch ?? '', cards })
    return { ...p, branches }
  })
}

export function insertCard(f: Flow, slot: Slot, index: number, card: Card): Flow {
  const list = listAt(f, slot)
  if (!list) throw new Error(`no card ${slot.parent}`)
  const i = Math.max(0, Math.min(index, list.length))
  return setList(f, slot, [...list.slice(0, i), card, ...list.slice(i)])
}

export function removeCard(f: Flow, id: string): Flow {
  const loc = indexFlow(f).get(id)
  if (!loc || loc.index < 0) return f
  const list = listAt(f, loc.slot) ?? []
  return setList(f, loc.slot, list.filter((c) => c.id !== id))
}

/** moveCard moves a card to slot/index (index counted in the list without the card). */
export function moveCard(f: Flow, id: string, slot: Slot, index: number): Flow {
  const loc = indexFlow(f).get(id)
  if (!loc || loc.index < 0) return f
  if (slot.parent && (slot.parent === id || indexFlow(f).get(slot.parent)?.ancestors.includes(id))) return f
  const next = insertCard(removeCard(f, id), slot, index, loc.card)
  // a move to where the card already is (Move right on the last card) is no edit: no empty undo step
  const at = indexFlow(next).get(id)
  return at && at.index === loc.index && at.slot.parent === loc.slot.parent && at.slot.branch === loc.slot.branch ? f : next
}

/** moveIndex turns a drop position counted with the card still in place into
 * the index moveCard wants (counted once the card is taken out): one less when
 * the card leaves from earlier in the same slot. */
export function moveIndex(f: Flow, id: string, slot: Slot, index: number): number {
  const loc = indexFlow(f).get(id)
  if (!loc || (loc.slot.parent ?? '') !== (slot.parent ?? '') || (loc.slot.branch ?? '') !== (slot.branch ?? '')) return index
  return loc.index < index ? index - 1 : index
}

/** slotLength is the number of cards in a slot (the top-level row or a branch). */
export function slotLength(f: Flow, slot: Slot): number {
  return listAt(f, slot)?.length ?? 0
}

/** setInput sets (or with patch=null removes) an input field on a card. */
export function setInput(f: Flow, cardId: string, key: string, patch: Partial<Field> | null): Flow {
  return updateCard(f, cardId, (c) => {
    const inputs = [...(c.inputs ?? [])]
    const i = inputs.findIndex((x) => x.key === key)
    if (patch === null) {
      if (i >= 0) inputs.splice(i, 1)
    } else if (i >= 0) {
      inputs[i] = clean({ ...inputs[i], ...patch })
    } else {
      inputs.push(clean({ key, ...patch }))
    }
    return { ...c, inputs }
  })
}

function clean(fl: Field): Field {
  const out = { ...fl } as Record<string, unknown>
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k]
  return out as unknown as Field
}

/** cardsBefore lists the cards whose outputs a card may bind to (the trigger,
 * earlier cards in its list, earlier cards of enclosing lists, and its containers). */
export function cardsBefore(f: Flow, id: string): Set<string> {
  const ids = new Set<string>([f.trigger.id, 'trigger'])
  const path: { list: Card[]; stopAt: string }[] = []
  const find = (cards: Card[]): boolean => {
    for (const c of cards) {
      if (c.id === id) {
        path.push({ list: cards, stopAt: c.id })
        return true
      }
      for (const b of c.branches ?? []) {
        if (find(b.cards ?? [])) {
          path.push({ list: cards, stopAt: c.id })
          ids.add(c.id) // a container's own vars (If Error's error) are visible inside
          return true
        }
      }
    }
    return false
  }
  if (!find(f.cards ?? [])) return ids
  for (const { list, stopAt } of path) {
    for (const c of list) {
      if (c.id === stopAt) break
      ids.add(c.id)
      collectNested(c, ids)
    }
  }
  return ids
}

function collectNested(c: Card, ids: Set<string>) {
  for (const b of c.branches ?? [])
    for (const n of b.cards ?? []) {
      ids.add(n.id)
      collectNested(n, ids)
    }
}

/** bindingsTo lists inputs bound to a card (for delete warnings). */
export function bindingsTo(f: Flow, id: string): { card: string; key: string }[] {
  const out: { card: string; key: string }[] = []
  for (const c of allCards(f))
    for (const fl of c.inputs ?? [])
      if (fl.from?.card === id || fl.any?.some((b) => b.card === id)) out.push({ card: c.id, key: fl.key })
  return out
}

let seq = 0
export function newId(prefix = 'c'): string {
  seq = (seq + 1) % 1296
  const rnd = Math.random().toString(36).slice(2, 8)
  return `${prefix}${Date.now().toString(36).slice(-4)}${rnd}${seq.toString(36)}`
}

/** cloneCard deep-copies a card with fresh ids (paste, duplicate); bindings
 * between cards inside the copy are re-pointed to the new ids. */
export function cloneCard(c: Card): Card {
  const ids = new Map<string, string>()
  const collect = (x: Card) => {
    ids.set(x.id, newId())
    for (const b of x.branches ?? []) for (const n of b.cards ?? []) collect(n)
  }
  collect(c)
  const remap = (fl: Field): Field => ({
    ...fl,
    from: fl.from ? { ...fl.from, card: ids.get(fl.from.card) ?? fl.from.card } : undefined,
    any: fl.any?.map((b) => ({ ...b, card: ids.get(b.card) ?? b.card })),
  })
  const copy = (x: Card): Card => ({
    ...structuredClone(x),
    id: ids.get(x.id)!,
    inputs: x.inputs?.map((f) => clean(remap(structuredClone(f)))),
    branches: x.branches?.map((b) => ({ ...structuredClone(b), inputs: b.inputs?.map((f) => clean(remap(f))), cards: (b.cards ?? []).map(copy) })),
  })
  return copy(c)
}
