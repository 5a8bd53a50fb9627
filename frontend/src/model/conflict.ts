// A save over a change made elsewhere (another tab, the CLI) is refused by
// the app with a conflict; the person sees both versions side by side and
// chooses. compareFlows lists what differs, in words an admin reads.
import type { Card, Flow } from '../api/types'

export interface DiffRow {
  what: string
  mine: string
  theirs: string
}

/** isConflictError: the app refused a save because the flow changed (409). */
export function isConflictError(e: unknown): boolean {
  const err = e as { status?: number; message?: string } | null
  return !!err && (err.status === 409 || /^conflict:/.test(err.message ?? ''))
}

function allCards(cards: Card[] | undefined, out = new Map<string, Card>()): Map<string, Card> {
  for (const c of cards ?? []) {
    out.set(c.id, c)
    for (const b of c.branches ?? []) allCards(b.cards, out)
  }
  return out
}

function label(c: Card): string {
  return c.title || c.type
}

/** compareFlows lists the differences between my unsaved flow and the stored one (null: deleted). */
export function compareFlows(mine: Flow, theirs: Flow | null): DiffRow[] {
  if (!theirs) return [{ what: 'Flow', mine: `${mine.name} (${allCards(mine.cards).size} cards)`, theirs: 'deleted' }]
  const rows: DiffRow[] = []
  const field = (what: string, a: string, b: string) => { if (a !== b) rows.push({ what, mine: a || '—', theirs: b || '—' }) }
  field('Name', mine.name, theirs.name)
  field('Description', mine.description ?? '', theirs.description ?? '')
  field('Folder', mine.folder ?? '', theirs.folder ?? '')
  field('Trigger', label(mine.trigger), label(theirs.trigger))
  if (JSON.stringify(mine.trigger) !== JSON.stringify(theirs.trigger) && label(mine.trigger) === label(theirs.trigger)) {
    rows.push({ what: 'Trigger', mine: 'edited', theirs: 'edited' })
  }
  const a = allCards(mine.cards)
  const b = allCards(theirs.cards)
  for (const [id, c] of a) {
    const o = b.get(id)
    if (!o) rows.push({ what: `Card “${label(c)}”`, mine: 'added', theirs: '—' })
    else if (JSON.stringify(c) !== JSON.stringify(o)) rows.push({ what: `Card “${label(c)}”`, mine: 'edited', theirs: label(o) === label(c) ? 'edited' : `“${label(o)}”` })
  }
  for (const [id, c] of b) {
    if (!a.has(id)) rows.push({ what: `Card “${label(c)}”`, mine: '—', theirs: 'added' })
  }
  if (JSON.stringify(mine.settings) !== JSON.stringify(theirs.settings)) rows.push({ what: 'Settings', mine: 'differ', theirs: 'differ' })
  return rows
}
