import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { seedFlow, specs } from '../test/fixtures'

// a localStorage and a location for the node test environment
class MemStorage {
  private m = new Map<string, string>()
  get length() { return this.m.size }
  key(i: number) { return [...this.m.keys()][i] ?? null }
  getItem(k: string) { return this.m.get(k) ?? null }
  setItem(k: string, v: string) { this.m.set(k, String(v)) }
  removeItem(k: string) { this.m.delete(k) }
  clear() { this.m.clear() }
}
const g = globalThis as unknown as { localStorage: MemStorage; location: { hash: string } }
g.localStorage = new MemStorage()
g.location = { hash: '#/flow/seed' }

const { designer, flowJSON } = await import('./designer')
const { clearDraft, fingerprint, loadDraft, saveDraft, draftIds } = await import('./drafts')
const { flushDraft, guardState, requestLeave, resolveLeave, setSaver, unsaved } = await import('./guard')

function open() {
  designer.specs = specs
  designer.load(seedFlow())
}

describe('drafts', () => {
  beforeAll(() => g.localStorage.clear())
  afterEach(() => g.localStorage.clear())

  it('keeps every edit until it is saved, and opening a flow leaves a kept draft alone', () => {
    open()
    const id = designer.getState().flow!.id
    expect(loadDraft(id)).toBeNull()
    const saved = designer.getState().saved
    designer.setValue('upd', 'isMemberOfGroup', true)
    expect(loadDraft(id)).toBeNull() // written at most every DRAFT_MS…
    flushDraft() // …or at once when the page goes away
    const d = loadDraft(id)!
    expect(d.flow).toEqual(designer.getState().flow)
    expect(d.base).toBe(fingerprint(saved))
    // a reload: the flow opens clean, the draft is still there to restore
    open()
    expect(designer.dirty()).toBe(false)
    expect(loadDraft(id)?.flow).toEqual(d.flow)
    // restored, then saved: gone
    designer.edit(() => d.flow)
    expect(designer.dirty()).toBe(true)
    designer.markSaved(designer.getState().flow!)
    flushDraft()
    expect(loadDraft(id)).toBeNull()
  })

  it('writes the last edit of a flow when another flow opens', () => {
    open()
    const id = designer.getState().flow!.id
    designer.setValue('upd', 'isMemberOfGroup', true)
    open() // a load flushes first
    expect(loadDraft(id)?.flow.cards.find((c) => c.id === 'upd')).toBeTruthy()
    expect(JSON.stringify(loadDraft(id)!.flow)).toContain('isMemberOfGroup')
  })

  it('undoing back to the saved flow or discarding clears the draft', () => {
    open()
    const id = designer.getState().flow!.id
    designer.setValue('upd', 'isMemberOfGroup', true)
    flushDraft()
    expect(loadDraft(id)).not.toBeNull()
    designer.undo()
    flushDraft()
    expect(loadDraft(id)).toBeNull()
    designer.setValue('upd', 'isMemberOfGroup', false)
    designer.discard()
    expect(flowJSON(designer.getState().flow)).toBe(designer.getState().saved)
    expect(loadDraft(id)).toBeNull()
    designer.undo() // the discard is one undo step
    expect(designer.dirty()).toBe(true)
  })

  it('ignores drafts of another flow or a broken entry', () => {
    const f = seedFlow()
    expect(saveDraft(f, '{}', 5)).toBe(true)
    expect(draftIds()).toEqual([f.id])
    g.localStorage.setItem('flowbench.draft.other', JSON.stringify({ flow: f, base: 'x', at: 1 }))
    expect(loadDraft('other')).toBeNull()
    g.localStorage.setItem('flowbench.draft.bad', '{not json')
    expect(loadDraft('bad')).toBeNull()
    clearDraft(f.id)
    expect(loadDraft(f.id)).toBeNull()
  })

  it('fingerprints differ for different saved versions', () => {
    expect(fingerprint('{"a":1}')).not.toBe(fingerprint('{"a":2}'))
    expect(fingerprint('{"a":1}')).toBe(fingerprint('{"a":1}'))
  })
})

describe('leave guard', () => {
  afterEach(() => g.localStorage.clear())

  it('lets the user go when nothing is unsaved or no designer is open', () => {
    open()
    designer.setValue('upd', 'isMemberOfGroup', true)
    expect(unsaved()).toBe(false) // no designer registered its save
    expect(requestLeave({ kind: 'route', path: '/' })).toBe(true)
    const off = setSaver(async () => true)
    designer.discard()
    expect(requestLeave({ kind: 'route', path: '/' })).toBe(true)
    off()
  })

  it('asks Save / Discard / Cancel and goes where the user wanted', async () => {
    open()
    let saves = 0
    let ok = false
    const off = setSaver(async () => {
      saves++
      if (ok) designer.markSaved(designer.getState().flow!)
      return ok
    })
    designer.setValue('upd', 'isMemberOfGroup', true)
    expect(requestLeave({ kind: 'route', path: '/history' })).toBe(false)
    expect(guardState().pending).toEqual({ kind: 'route', path: '/history' })

    await resolveLeave('cancel')
    expect(guardState().pending).toBeNull()
    expect(designer.dirty()).toBe(true)
    expect(g.location.hash).toBe('#/flow/seed')

    requestLeave({ kind: 'route', path: '/history' })
    await resolveLeave('save') // the save fails: stay, say so, keep the changes
    expect(saves).toBe(1)
    expect(guardState().pending).not.toBeNull()
    expect(guardState().error).toMatch(/could not be saved/)
    expect(designer.dirty()).toBe(true)
    ok = true
    await resolveLeave('save')
    expect(saves).toBe(2)
    expect(guardState().pending).toBeNull()
    expect(designer.dirty()).toBe(false)
    expect(g.location.hash).toBe('/history')

    g.location.hash = '#/flow/seed'
    designer.setValue('upd', 'isMemberOfGroup', false)
    requestLeave({ kind: 'route', path: '/' })
    await resolveLeave('discard')
    expect(designer.dirty()).toBe(false)
    expect(loadDraft(designer.getState().flow!.id)).toBeNull()
    expect(g.location.hash).toBe('/')
    off()
  })
})
