// If/ElseIf clauses (engine flow.ifElseIf): one branch per clause, tested top
// down, each carrying left-operand / operator / right-operand as its inputs,
// and the "else" branch last. A clause's field is addressed as
// "<branch>/<key>" (the engine's FieldError key), so wires and problems can
// name it.
import type { Branch, Card, Field, Flow } from '../api/types'
import { updateCard } from './tree'

export const IF_ELSE_IF = 'flow.ifElseIf'
export const ELSE = 'else'
export const CLAUSE_KEYS = ['left-operand', 'operator', 'right-operand'] as const

export const isClauses = (c?: Card) => c?.type === IF_ELSE_IF

/** newClause: a clause named name, "value a == value b" with nothing set. */
export function newClause(name: string): Branch {
  return {
    name,
    inputs: [
      { key: 'left-operand', label: 'value a', type: 'string' },
      { key: 'operator', label: 'comparison', type: 'string', value: '==', required: true },
      { key: 'right-operand', label: 'value b', type: 'string' },
    ],
    cards: [],
  }
}

/** withClauses gives a new If/ElseIf its first clause and its else lane. */
export function withClauses(c: Card): Card {
  return c.branches?.length ? c : { ...c, branches: [newClause('if'), { name: ELSE, cards: [] }] }
}

const clauses = (c: Card) => (c.branches ?? []).filter((b) => b.name !== ELSE)

/** clauseLabel: "If" for the first clause, "Else if" for the others, "Else". */
export function clauseLabel(c: Card, name: string): string {
  if (name === ELSE) return 'Else'
  return clauses(c)[0]?.name === name ? 'If' : 'Else if'
}

/** addClause adds a clause before else (an else lane is added when missing); returns the card and the new clause's name. */
export function addClause(c: Card): { card: Card; name: string } {
  const names = new Set((c.branches ?? []).map((b) => b.name))
  let n = clauses(c).length + 1
  while (names.has(`clause${n}`)) n++
  const name = names.has('if') || clauses(c).length ? `clause${n}` : 'if'
  const list = [...clauses(c), newClause(name), (c.branches ?? []).find((b) => b.name === ELSE) ?? { name: ELSE, cards: [] }]
  return { card: { ...c, branches: list }, name }
}

/** removeClause drops a clause and the cards in it (never the else lane, nor the last clause). */
export function removeClause(c: Card, name: string): Card {
  if (name === ELSE || clauses(c).length <= 1) return c
  return { ...c, branches: (c.branches ?? []).filter((b) => b.name !== name) }
}

/** moveClause moves a clause up (-1) or down (+1) among the clauses; else stays last. */
export function moveClause(c: Card, name: string, delta: number): Card {
  const list = clauses(c)
  const i = list.findIndex((b) => b.name === name)
  const j = i + delta
  if (i < 0 || j < 0 || j >= list.length) return c
  const next = [...list]
  ;[next[i], next[j]] = [next[j], next[i]]
  return { ...c, branches: [...next, ...(c.branches ?? []).filter((b) => b.name === ELSE)] }
}

/** clauseField: a clause's field by key. */
export function clauseField(c: Card, name: string, key: string): Field | undefined {
  return c.branches?.find((b) => b.name === name)?.inputs?.find((f) => f.key === key)
}

/** splitKey reads "<branch>/<key>" of a clause field of c; null when it is not one. */
export function splitKey(c: Card | undefined, key: string): { branch: string; key: string } | null {
  if (!isClauses(c)) return null
  const i = key.lastIndexOf('/')
  if (i < 0) return null
  const branch = key.slice(0, i), k = key.slice(i + 1)
  if (branch === ELSE || !(CLAUSE_KEYS as readonly string[]).includes(k) || !c!.branches?.some((b) => b.name === branch)) return null
  return { branch, key: k }
}

/** setClauseField patches a clause's field (added when missing); a patch of undefineds clears it. */
export function setClauseField(c: Card, name: string, key: string, patch: Partial<Field>): Card {
  return {
    ...c,
    branches: (c.branches ?? []).map((b) => {
      if (b.name !== name) return b
      const inputs = [...(b.inputs ?? [])]
      const i = inputs.findIndex((f) => f.key === key)
      const base: Field = i >= 0 ? inputs[i] : newClause(name).inputs!.find((f) => f.key === key) ?? { key }
      const next: Field = { ...base, ...patch }
      for (const k of Object.keys(next) as (keyof Field)[]) if (next[k] === undefined) delete next[k]
      if (i >= 0) inputs[i] = next
      else inputs.push(next)
      return { ...b, inputs }
    }),
  }
}

/** setClauseInFlow patches a clause field of the card id in the flow. */
export function setClauseInFlow(f: Flow, id: string, name: string, key: string, patch: Partial<Field>): Flow {
  return updateCard(f, id, (c) => setClauseField(c, name, key, patch))
}
