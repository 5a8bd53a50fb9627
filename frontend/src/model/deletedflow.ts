import type { Card, Execution, Flow } from '../api/types'

/** flowFromRecord rebuilds, for History, the flow of a run whose flow was
 * deleted since (history outlives it; its versions go with it): the cards
 * the run recorded, in their order, with the inputs and outputs they had —
 * enough to show the run card by card. */
export function flowFromRecord(ex: Execution): Flow {
  const seen = new Map<string, Card>()
  const top: Card[] = []
  for (const r of ex.cards ?? []) {
    if (seen.has(r.id)) continue // a card run again (a loop): its first record places it
    const c: Card = {
      id: r.id, type: r.type, title: r.title,
      inputs: Object.keys(r.inputs ?? {}).map((key) => ({ key, value: r.inputs?.[key] })),
      outputs: Object.keys(r.outputs ?? {}).map((key) => ({ key })),
    }
    seen.set(r.id, c)
    const parent = r.parent ? seen.get(r.parent) : undefined
    if (!parent) {
      top.push(c)
      continue
    }
    const name = r.branch ?? ''
    parent.branches ??= []
    let b = parent.branches.find((x) => x.name === name)
    if (!b) parent.branches.push((b = { name, cards: [] }))
    b.cards.push(c)
  }
  const ti = top.findIndex((c) => c.id === 'trigger')
  const trigger = top.splice(ti < 0 ? 0 : ti, 1)[0] ?? { id: 'trigger', type: 'flow.manual' }
  return {
    format: 'flowbench.flow/v1', id: ex.flow, name: `${ex.flowName || ex.flow} (deleted)`,
    description: 'This flow was deleted: the run is shown from its record.', settings: { history: true }, trigger, cards: top,
  }
}
