import { describe, expect, it } from 'vitest'
import type { HistoryUsage } from '../api/types'
import { bytes, keptText, repeatNote, usedPercent } from './usage'

const u: HistoryUsage = { executions: 10, bytes: 512 << 20, oldest: '', interrupted: 0, retentionDays: 30, maxBytes: 1 << 30, diskBytes: 0 }

describe('history usage', () => {
  it('renders sizes', () => {
    expect([bytes(0), bytes(900), bytes(2048), bytes(5 << 20), bytes(3 * 2 ** 30)]).toEqual(['0 B', '900 B', '2 KB', '5.0 MB', '3.00 GB'])
  })
  it('says how history is bounded', () => {
    expect(keptText(u)).toBe('30 days, at most 1.00 GB')
    expect(keptText({ ...u, retentionDays: 0 })).toBe('at most 1.00 GB')
    expect(keptText({ ...u, retentionDays: 0, maxBytes: 0 })).toBe('until deleted')
  })
  it('shows the share of the size bound', () => {
    expect(usedPercent(u)).toBe(50)
    expect(usedPercent({ ...u, bytes: 3 * 2 ** 30 })).toBe(100)
    expect(usedPercent({ ...u, maxBytes: 0 })).toBe(0)
  })
  it('names the cards that may have run twice', () => {
    expect(repeatNote({ id: 'e', flow: 'f', status: 'success', started: '', repeats: ['post'] })).toMatch(/may be doubled: post$/)
    expect(repeatNote({ id: 'e', flow: 'f', status: 'success', started: '' })).toBe('')
  })
})
