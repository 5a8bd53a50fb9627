import { describe, expect, it } from 'vitest'
import { view } from './view'

describe('view store', () => {
  it('collapses and expands cards per flow, and resets for another flow', () => {
    view.open('f1')
    view.setCollapsed(['a', 'b'], true)
    view.toggle('a')
    expect(view.get().collapsed).toEqual({ b: true })
    view.open('f1') // the same flow again keeps the view
    expect(view.get().collapsed).toEqual({ b: true })
    view.open('f2')
    expect(view.get().collapsed).toEqual({})
  })

  it('keeps edit-time field errors until they are cleared', () => {
    view.open('f3')
    view.setFieldError('c1', 'count', 'not a number')
    expect(Object.values(view.get().fieldErrors)).toEqual(['not a number'])
    view.setFieldError('c1', 'count', '')
    expect(view.get().fieldErrors).toEqual({})
  })

  it('remembers titles of cards, so a deleted card can still be named', () => {
    view.open('f4')
    view.remember([['c1', 'Read User']])
    view.remember([['c2', 'Update User']])
    expect(view.get().titles).toEqual({ c1: 'Read User', c2: 'Update User' })
  })

  it('numbers jump requests so each one is handled once', () => {
    view.open('f5')
    view.jump('c1', 'id')
    const a = view.get().focus!
    view.reveal('c2')
    const b = view.get().focus!
    expect(b.seq).toBe(a.seq + 1)
    expect(a).toMatchObject({ card: 'c1', field: 'id', take: true })
    expect(b).toMatchObject({ card: 'c2', reveal: true, take: false })
  })

  it('never numbers a jump in a newly opened flow like one before it', () => {
    // a canvas still mounted from the last view remembers the last number; opening
    // another flow clears the request, and its first jump (Find) was numbered 1 again and ignored
    view.open('f6')
    view.reveal('c1')
    const before = view.get().focus!.seq
    view.open('f7')
    expect(view.get().focus).toBeNull()
    view.jump('c2')
    expect(view.get().focus!.seq).not.toBe(before)
    expect(view.get().focus!.seq).toBeGreaterThan(before)
  })
})

describe('view store on this computer', () => {
  it('keeps collapsed cards and deleted cards’ titles per flow across reloads', () => {
    const mem = new Map<string, string>()
    const g = globalThis as { localStorage?: unknown }
    const had = g.localStorage
    g.localStorage = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) }
    try {
      view.open('p1')
      view.setCollapsed(['a'], true)
      view.remember([['gone', 'Read User']])
      view.open('p2')
      expect(view.get().titles).toEqual({})
      view.open('p1') // as after a reload
      expect(view.get().collapsed).toEqual({ a: true })
      expect(view.get().titles).toEqual({ gone: 'Read User' })
    } finally {
      g.localStorage = had
    }
  })
})
