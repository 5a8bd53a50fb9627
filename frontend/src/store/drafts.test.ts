import { afterEach, describe, expect, it } from 'vitest'
import type { Flow } from '../api/types'

class MemStorage {
  private m = new Map<string, string>()
  get length() { return this.m.size }
  key(i: number) { return [...this.m.keys()][i] ?? null }
  getItem(k: string) { return this.m.get(k) ?? null }
  setItem(k: string, v: string) { this.m.set(k, String(v)) }
  removeItem(k: string) { this.m.delete(k) }
  clear() { this.m.clear() }
}
const g = globalThis as unknown as { localStorage: MemStorage }
g.localStorage = new MemStorage()
const { clearDraft, draftIds, hasDraft, loadDraft, saveDraft, setDraftScope } = await import('./drafts')

const flow = (name: string): Flow => ({ id: 'seed-flow', name, cards: [] } as unknown as Flow)

// The desktop window keeps one storage for every data folder it opens; two
// folders can hold a flow with the same id (the seed flow, a template
// imported into both). A draft belongs to its folder only.
describe('drafts per data folder', () => {
  afterEach(() => { g.localStorage.clear(); setDraftScope('') })
  it('a draft of one folder is not offered in another', () => {
    setDraftScope('/home/ann/.config/flowbench')
    expect(saveDraft(flow('edited in the default folder'), '{}')).toBe(true)
    expect(hasDraft('seed-flow')).toBe(true)
    setDraftScope('/tmp/test-data')
    expect(hasDraft('seed-flow')).toBe(false)
    expect(loadDraft('seed-flow')).toBeNull()
    expect(draftIds()).toEqual([])
    saveDraft(flow('edited in the test folder'), '{}')
    clearDraft('seed-flow') // saved or discarded here: the other folder's draft stays
    setDraftScope('/home/ann/.config/flowbench')
    expect(loadDraft('seed-flow')?.flow.name).toBe('edited in the default folder')
    expect(draftIds()).toEqual(['seed-flow'])
  })
  it('without a scope (before the app says its folder) other folders\u2019 drafts are not listed', () => {
    setDraftScope('/a')
    saveDraft(flow('a'), '{}')
    setDraftScope('')
    expect(draftIds()).toEqual([])
    saveDraft(flow('plain'), '{}')
    expect(draftIds()).toEqual(['seed-flow'])
  })
})
