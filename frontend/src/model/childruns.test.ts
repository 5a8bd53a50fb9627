import { describe, expect, it } from 'vitest'
import type { ExecutionSummary } from '../api/types'
import { groupChildren } from './childruns'

const row = (id: string, status: string, error?: string): ExecutionSummary => ({ id, flow: 'item', status, started: '', error })

describe("a card's child runs", () => {
  it('lists the ones that did not succeed first, in the card’s order, and counts them all', () => {
    const ids = ['a', 'b', 'c', 'd', 'e']
    const g = groupChildren(ids, [row('e', 'canceled', 'execution canceled'), row('a', 'success'), row('c', 'failed', 'item 17 is bad'), row('b', 'success')])
    expect(g.problems.map((r) => r.id)).toEqual(['c', 'e'])
    expect(g.ok.map((r) => r.id)).toEqual(['a', 'b'])
    expect(g.missing).toEqual(['d'])
    expect(g.counts).toBe('2 success, 1 failed, 1 canceled')
  })
  it('says nothing is missing when History has every run', () => {
    expect(groupChildren(['a'], [row('a', 'success')])).toEqual({ problems: [], ok: [row('a', 'success')], missing: [], counts: '1 success' })
  })
})
