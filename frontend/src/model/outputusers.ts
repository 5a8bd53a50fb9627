// Who uses one output of a card: removing a declared output (a Manual Run or
// Helper Flow input, an added output) breaks the inputs bound to it, as
// deleting the card would, so the designer asks first and names them.
import type { Card, Flow } from '../api/types'
import { cardTitle } from './problems'
import { inputFields, type SpecIndex } from './specs'
import { allCards } from './tree'

export interface OutputUser {
  card: string
  title: string
  inputs: string[]
}

/** outputUsers lists the cards with inputs bound to output key of card id (or to a field inside it). */
export function outputUsers(flow: Flow, id: string, key: string, specs?: SpecIndex): OutputUser[] {
  const tid = flow.trigger.id
  const src = (card: string) => (card === 'trigger' ? tid : card)
  const users = new Map<string, OutputUser>()
  for (const c of allCards(flow) as Card[]) {
    const fields = [...(c.inputs ?? []), ...(c.outputs ?? []), ...(c.branches ?? []).flatMap((b) => b.inputs ?? [])]
    for (const f of fields) {
      const binds = [f.from, ...(f.any ?? [])].some((b) => b && src(b.card) === id && (b.path ?? [])[0] === key)
      if (!binds) continue
      const u = users.get(c.id) ?? { card: c.id, title: cardTitle(c, specs), inputs: [] }
      const label = inputFields(c, specs?.get(c.type)).find((x) => x.key === f.key)?.label ?? f.label ?? f.key
      if (!u.inputs.includes(label)) u.inputs.push(label)
      users.set(c.id, u)
    }
  }
  return [...users.values()]
}
