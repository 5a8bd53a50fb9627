import { describe, expect, it } from 'vitest'
import { checkDuration } from './duration'

describe('checkDuration', () => {
  it('takes Go durations and nothing', () => {
    for (const t of ['', ' ', '0', '30s', '5m', '1h30m', '1.5h', '250ms', ' 2m ']) expect(checkDuration(t)).toBe('')
  })
  it('says what is wrong with the rest', () => {
    expect(checkDuration('-5m')).toBe('“-5m” is negative')
    expect(checkDuration('90')).toBe('“90” needs a unit: 90s, 90m or 90h')
    expect(checkDuration('abc')).toMatch(/^“abc” is not a duration: use a number and a unit/)
    expect(checkDuration('5 min')).toMatch(/is not a duration/)
    expect(checkDuration('5d')).toMatch(/is not a duration/)
  })
})
