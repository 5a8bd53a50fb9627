import { describe, expect, it } from 'vitest'
import type { CardChange, VersionDiff } from '../api/versions'
import { posText } from '../api/versions'
import { cardDiffClass, fieldChange, versionDiff } from './versionDiff'

const changed: CardChange = {
  id: 'c1', title: 'Compose', type: 'text.concat', moved: true, from: { index: 0 }, to: { index: 2 },
  fields: [
    { kind: 'input', key: 'string1', change: 'changed', old: '"Hello"', new: '"Hi"' },
    { kind: 'binding', key: 'headers.auth', change: 'added', new: '← trigger.token' },
    { kind: 'card', key: 'title', change: 'changed', old: 'A', new: 'Compose' },
  ],
}

describe('version diff on the canvas', () => {
  it('classes a card by its change', () => {
    expect(cardDiffClass(undefined)).toBe('')
    expect(cardDiffClass({ id: 'a', title: '', type: '', added: true })).toBe('diff-added')
    expect(cardDiffClass({ id: 'a', title: '', type: '', removed: true })).toBe('diff-removed')
    expect(cardDiffClass(changed)).toBe('diff-moved diff-changed')
    expect(cardDiffClass({ ...changed, fields: [] })).toBe('diff-moved')
  })
  it('finds an input change by key or group.key, never a card property', () => {
    expect(fieldChange(changed, 'string1')?.old).toBe('"Hello"')
    expect(fieldChange(changed, 'auth', 'headers')?.kind).toBe('binding')
    expect(fieldChange(changed, 'auth')).toBeUndefined()
    expect(fieldChange(changed, 'title')).toBeUndefined()
  })
  it('indexes the shown comparison by card and clears it', () => {
    const d = { a: 2, b: 3, diff: { same: false, cards: [changed], added: 0, removed: 0, moved: 1, changed: 1 }, merged: {} } as unknown as VersionDiff
    versionDiff.show('f', d)
    expect(versionDiff.get()?.cards.c1.title).toBe('Compose')
    versionDiff.clear()
    expect(versionDiff.get()).toBeNull()
  })
  it('prints places as the CLI does', () => {
    expect(posText({ index: 0 })).toBe('#1')
    expect(posText({ parent: 'if1', branch: 'true', index: 1 })).toBe('#2 in if1/true')
    // named by the container's title where it is known
    expect(posText({ parent: 'if1', branch: 'true', index: 1 }, (id) => (id === 'if1' ? 'Is admin?' : undefined))).toBe('#2 in "Is admin?" (true)')
    expect(posText({ index: -1 })).toBe('the trigger')
  })
})
