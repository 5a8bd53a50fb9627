// Which outputs a card shows: cards with many outputs (Okta event cards list
// a dozen and more) show only the outputs later cards use, plus a
// "N more outputs" toggle.
import type { Binding, Field, Flow } from '../api/types'
import { allCards } from './tree'

/** Cards with more outputs than this collapse the unused ones. */
export const COLLAPSE_OVER = 8

/** outputUse: for every card, the keys of its outputs that some input of the flow is bound to. */
export function outputUse(flow: Flow | null): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>()
  if (!flow) return m
  const note = (b?: Binding) => {
    if (!b || b.path[0] === undefined) return
    const id = b.card === 'trigger' ? flow.trigger.id : b.card
    let s = m.get(id)
    if (!s) m.set(id, (s = new Set()))
    s.add(b.path[0])
  }
  const scan = (fs?: Field[]) => {
    for (const f of fs ?? []) {
      note(f.from)
      for (const b of f.any ?? []) note(b)
    }
  }
  for (const c of allCards(flow)) {
    scan(c.inputs)
    for (const b of c.branches ?? []) scan(b.inputs)
  }
  return m
}

const NONE: Set<string> = new Set()
let lastFlow: Flow | null = null
let lastUse = new Map<string, Set<string>>()

/** usedOutputs: the output keys of card used by the flow (memoized per flow object). */
export function usedOutputs(flow: Flow | null, card: string): Set<string> {
  if (flow !== lastFlow) {
    lastFlow = flow
    lastUse = outputUse(flow)
  }
  return lastUse.get(card) ?? NONE
}

export interface Split<T> {
  shown: T[]
  hidden: T[]
}

/** splitOutputs: all outputs when few or expanded, else the used and user-added ones. */
export function splitOutputs<T extends { key: string; custom?: boolean }>(outs: T[], used: Set<string>, expanded: boolean, over = COLLAPSE_OVER): Split<T> {
  if (expanded || outs.length <= over) return { shown: outs, hidden: [] }
  const shown: T[] = []
  const hidden: T[] = []
  for (const o of outs) (used.has(o.key) || o.custom ? shown : hidden).push(o)
  // hiding one or two saves nothing
  if (hidden.length < 3) return { shown: outs, hidden: [] }
  return { shown, hidden }
}
