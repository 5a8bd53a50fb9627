import { describe, expect, it } from 'vitest'
import { historyPath, isViewOf, parseHistoryHash } from './historyquery'

describe('History view in the address', () => {
  it('reads flow, status and words', () => {
    expect(parseHistoryHash('#/history')).toEqual({ flow: '', status: '', text: '' })
    expect(parseHistoryHash('#/history/my-flow?status=failed&q=nobody%40example.com')).toEqual({ flow: 'my-flow', status: 'failed', text: 'nobody@example.com' })
    expect(parseHistoryHash('#/history?q=a+b%26c')).toEqual({ flow: '', status: '', text: 'a b&c' })
    expect(parseHistoryHash('#/execution/x')).toEqual({ flow: '', status: '', text: '' })
  })
  it('writes what it reads', () => {
    for (const v of [
      { flow: '', status: '', text: '' },
      { flow: 'f 1/é', status: 'paused', text: '' },
      { flow: '', status: '', text: 'E0000007 "Read User" & 100%' },
    ]) {
      expect(parseHistoryHash('#' + historyPath(v))).toEqual(v)
    }
    expect(historyPath({ flow: '', status: '', text: '' })).toBe('/history')
    expect(historyPath({ flow: 'f', status: 'failed', text: 'ada lovelace' })).toBe('/history/f?status=failed&q=ada+lovelace')
  })
  it('tells whose view an address is', () => {
    expect(isViewOf('#/history?status=failed')).toBe(true)
    expect(isViewOf('#/history', '')).toBe(true)
    expect(isViewOf('#/history/live?status=failed', 'live')).toBe(true)
    expect(isViewOf('#/history', 'live')).toBe(false) // the History link, from a flow's view
    expect(isViewOf('#/history/other', 'live')).toBe(false)
    expect(isViewOf('#/historyx')).toBe(false)
    expect(isViewOf('#/execution/x')).toBe(false)
  })
})
