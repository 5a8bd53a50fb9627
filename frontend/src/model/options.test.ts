import { describe, expect, it } from 'vitest'
import type { Card } from '../api/types'
import type { ViewField } from './specs'
import { shownInputs } from './options'

const keys = ['frequency', 'every', 'at', 'weekdays', 'dayOfMonth', 'cron', 'timeZone', 'missed', 'schedule']
const view = (c: Card): ViewField[] => keys.map((k) => ({ key: k, label: k, type: { kind: 'string', list: false }, required: false, custom: false, field: c.inputs?.find((f) => f.key === k) }))
const card = (inputs: Card['inputs']): Card => ({ id: 't', type: 'schedule.flow', inputs })
const shown = (c: Card) => shownInputs(c, view(c)).map((f) => f.key)

describe('shownInputs', () => {
  it('shows the default frequency (daily) fields when nothing is chosen', () => {
    expect(shown(card([]))).toEqual(['frequency', 'at', 'timeZone', 'missed'])
  })
  it('shows only the chosen frequency fields', () => {
    expect(shown(card([{ key: 'frequency', value: 'weekly' }]))).toEqual(['frequency', 'at', 'weekdays', 'timeZone', 'missed'])
    expect(shown(card([{ key: 'frequency', value: 'cron' }]))).toEqual(['frequency', 'cron', 'timeZone', 'missed'])
    expect(shown(card([{ key: 'frequency', value: 'minutes' }]))).toEqual(['frequency', 'every', 'timeZone', 'missed'])
  })
  it('hides a field of another option even when it still holds a value (the schedule ignores it)', () => {
    expect(shown(card([{ key: 'frequency', value: 'daily' }, { key: 'cron', value: '* * * * *' }]))).not.toContain('cron')
  })
  it('shows everything when the frequency is wired', () => {
    expect(shown(card([{ key: 'frequency', from: { card: 'x', path: ['f'] } }]))).toEqual(keys)
  })
  it('leaves other cards alone', () => {
    const c: Card = { id: 'a', type: 'okta.readUser' }
    expect(shownInputs(c, view(c)).length).toBe(keys.length)
  })
})
