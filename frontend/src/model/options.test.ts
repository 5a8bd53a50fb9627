import { describe, expect, it } from 'vitest'
import type { Card, SpecDoc } from '../api/types'
import { inputFields, type ViewField } from './specs'
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

describe('shownWhen: any card declares inputs that depend on a choice', () => {
  const spec: SpecDoc = { id: 'jamf.readComputer', title: 'Read Computer', category: 'Jamf Pro', kind: 'action', connection: 'jamf',
    inputs: [
      { key: 'readBy', label: 'Read By', type: 'string', default: 'id', choices: [{ value: 'id', label: 'ID' }, { value: 'udid', label: 'UDID' }, { value: 'serialNumber', label: 'Serial Number' }] },
      { key: 'id', label: 'ID', type: 'string', required: true, shownWhen: { key: 'readBy', values: ['id'] } },
      { key: 'udid', label: 'UDID', type: 'string', required: true, shownWhen: { key: 'readBy', values: ['udid'] } },
      { key: 'serial', label: 'Serial Number', type: 'string', required: true, shownWhen: { key: 'readBy', values: ['serialNumber'] } },
      { key: 'note', type: 'string' },
    ],
    outputs: [] }
  const keys = (inputs: Card['inputs']) => {
    const card: Card = { id: 'c', type: spec.id, inputs }
    return shownInputs(card, inputFields(card, spec)).map((f) => f.key)
  }
  it('shows the default choice’s field when Read By is unset', () => expect(keys(undefined)).toEqual(['readBy', 'id', 'note']))
  it('shows the chosen option’s field only', () => expect(keys([{ key: 'readBy', value: 'serialNumber' }])).toEqual(['readBy', 'serial', 'note']))
  it('matches an export’s choice case-insensitively', () => expect(keys([{ key: 'readBy', value: 'UDID' }])).toEqual(['readBy', 'udid', 'note']))
  it('shows every field while Read By is wired', () =>
    expect(keys([{ key: 'readBy', from: { card: 'trigger', path: ['x'] } }])).toEqual(['readBy', 'id', 'udid', 'serial', 'note']))
})
