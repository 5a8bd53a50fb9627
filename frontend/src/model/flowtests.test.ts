import { describe, expect, it } from 'vitest'
import { testBadge, testFileName } from './flowtests'

describe('flow tests', () => {
  it('says how the tests stand', () => {
    expect(testBadge(0, 0)).toEqual({ text: '', tone: '' })
    expect(testBadge(1, 0)).toEqual({ text: '✓ 1 test passes', tone: 'ok' })
    expect(testBadge(3, 0)).toEqual({ text: '✓ 3 tests pass', tone: 'ok' })
    expect(testBadge(3, 2)).toEqual({ text: '✗ 2 of 3 tests failing', tone: 'bad' })
  })
  it('pairs the test file with the flow export', () => {
    expect(testFileName('Deprovision')).toBe('Deprovision.test.json')
  })
})
