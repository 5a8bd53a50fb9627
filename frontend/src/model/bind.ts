// Binding imported connection placeholders to real connections: an Okta
// Workflows export names each connection it uses ({id, name, module}) but
// carries no credentials. The import report lets the user pick one of their
// connections per placeholder; BindConnection then rewrites the cards.
import type { Connection, ConnectionKindDoc, ConnectionRef, SpecDoc } from '../api/types'

/** moduleKinds maps an export's module name to the Flowbench connection kind
 * that serves it: every kind maps to itself, and a card spec that implements
 * `<module>:<method>` and needs connection kind K maps <module> to K (the API
 * Connector's module is "httpfunctions", its connection kind "http"). */
export function moduleKinds(kinds: readonly ConnectionKindDoc[], specs: readonly SpecDoc[] = []): Map<string, string> {
  const m = new Map<string, string>()
  const known = new Set(kinds.map((k) => k.id))
  for (const s of specs) {
    if (!s.connection || !known.has(s.connection)) continue
    for (const o of s.okta ?? []) {
      const i = o.indexOf(':')
      if (i > 0) {
        const mod = o.slice(0, i).toLowerCase()
        if (!m.has(mod)) m.set(mod, s.connection)
      }
    }
  }
  for (const k of known) m.set(k.toLowerCase(), k)
  return m
}

export interface BindRow {
  ref: ConnectionRef
  /** the connection kind serving the placeholder; undefined: no connector yet */
  kind?: ConnectionKindDoc
  /** connections of that kind, by name */
  candidates: Connection[]
  /** the connection to preselect: the only candidate, else '' */
  preselect: string
}

/** bindRows matches each placeholder with the connections of its kind. */
export function bindRows(refs: readonly ConnectionRef[] | null | undefined, connections: readonly Connection[],
  kinds: readonly ConnectionKindDoc[], specs: readonly SpecDoc[] = []): BindRow[] {
  const mk = moduleKinds(kinds, specs)
  return (refs ?? []).map((ref) => {
    const id = mk.get(ref.kind.toLowerCase())
    const kind = id ? kinds.find((k) => k.id === id) : undefined
    const candidates = kind ? connections.filter((c) => c.kind === kind.id).sort((a, b) => a.name.localeCompare(b.name)) : []
    return { ref, kind, candidates, preselect: preselect(candidates) }
  })
}

/** preselect picks the connection when there is exactly one of the kind. */
export function preselect(candidates: readonly Connection[]): string {
  return candidates.length === 1 ? candidates[0].id : ''
}

/** placeholderLabel is the row title: "Okta — okta". */
export function placeholderLabel(ref: ConnectionRef): string {
  return `${ref.name || ref.kind} — ${ref.kind}`
}

export function boundText(n: number): string {
  return `bound ${n} card${n === 1 ? '' : 's'}`
}

export interface ConnOption {
  value: string
  label: string
}

/** cardConnectionOptions lists a card's connection choices: the connections of
 * the card's kind, plus the card's current value when it is none of them — an
 * unknown id is an unbound import placeholder ("unbound: <id>"), a known
 * connection of another kind is shown with its kind. */
export function cardConnectionOptions(current: string | undefined, connections: readonly Connection[], kind: string,
  placeholders?: ReadonlyMap<string, ConnectionRef>): ConnOption[] {
  const out: ConnOption[] = connections.filter((c) => c.kind === kind).map((c) => ({ value: c.id, label: c.name }))
  if (current && !out.some((o) => o.value === current)) {
    const other = connections.find((c) => c.id === current)
    out.push({ value: current, label: other ? `${other.name} (${other.kind}, wrong kind)` : placeholderOption(current, placeholders) })
  }
  return out
}

/** placeholderOption names an unbound import placeholder by the name its
 * file gave ("Okta — not bound"), else by its id. */
function placeholderOption(id: string, placeholders?: ReadonlyMap<string, ConnectionRef>): string {
  const name = placeholders?.get(id)?.name
  return name && name !== id ? `${name} — not bound` : `unbound: ${id}`
}
