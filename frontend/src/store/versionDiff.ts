// The version comparison drawn on the canvas: while one is shown the
// designer holds the merged flow read-only and each card looks up its
// change here (CardView), so added / removed / moved / changed cards and
// their changed inputs are highlighted in place.
import { useSyncExternalStore } from 'react'
import type { CardChange, FieldChange, VersionDiff } from '../api/versions'

export interface DiffView {
  flowId: string
  diff: VersionDiff
  cards: Record<string, CardChange>
}

let state: DiffView | null = null
const listeners = new Set<() => void>()

export const versionDiff = {
  get: (): DiffView | null => state,
  show(flowId: string, diff: VersionDiff) {
    const cards: Record<string, CardChange> = {}
    for (const c of diff.diff.cards) cards[c.id] = c
    state = { flowId, diff, cards }
    for (const l of listeners) l()
  },
  clear() {
    if (!state) return
    state = null
    for (const l of listeners) l()
  },
}

function subscribe(fn: () => void) {
  listeners.add(fn)
  return () => { listeners.delete(fn) }
}

export function useVersionDiff(): DiffView | null {
  return useSyncExternalStore(subscribe, () => state)
}

/** useCardDiff is the change of one card in the comparison shown (undefined: none). */
export function useCardDiff(cardId: string): CardChange | undefined {
  return useSyncExternalStore(subscribe, () => state?.cards[cardId])
}

/** cardDiffClass is the card's class in the comparison. */
export function cardDiffClass(c?: CardChange): string {
  if (!c) return ''
  if (c.added) return 'diff-added'
  if (c.removed) return 'diff-removed'
  return [c.moved ? 'diff-moved' : '', c.fields?.length ? 'diff-changed' : ''].join(' ').trim()
}

/** fieldChange finds the change of one input (key, or group.key). */
export function fieldChange(c: CardChange | undefined, key: string, group?: string): FieldChange | undefined {
  return c?.fields?.find((f) => (f.kind === 'input' || f.kind === 'binding') && (f.key === key || (!!group && f.key === `${group}.${key}`)))
}
