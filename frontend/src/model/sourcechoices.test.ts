import { describe, expect, it } from 'vitest'
import type { FieldSpec } from '../api/types'
import { OTHER, sourceOptions, staticChoices } from './sourcechoices'

const appSpec: FieldSpec = { key: 'application', label: 'Application', type: 'string', default: '-- Enter Application ID --', choicesFrom: 'okta.apps' }
const apps = [{ value: '0oaSLACK', label: 'Slack' }, { value: '0oaZOOM', label: 'Zoom' }]

describe('connection-backed dropdowns', () => {
  it("lists Okta's enter-ID entry, then the org's apps by label, then Other", () => {
    const v = sourceOptions(appSpec, apps, undefined, 'application')
    expect(v.options.map((o) => [o.value, o.label, o.kind])).toEqual([
      ['-- Enter Application ID --', '-- Enter Application ID --', 'static'],
      ['0oaSLACK', 'Slack', 'source'], ['0oaZOOM', 'Zoom', 'source'],
      [OTHER, 'Other application ID…', 'other'],
    ])
    expect(v.missing).toBeNull()
    expect(v.chosen).toBe('')
  })
  it('shows a chosen app by its label and keeps its id as the value', () => {
    const v = sourceOptions(appSpec, apps, '0oaZOOM', 'application')
    expect(v.chosen).toBe('Zoom')
    expect(v.missing).toBeNull()
  })
  it('keeps an imported id the org lacks, marked, once the list is loaded', () => {
    const v = sourceOptions(appSpec, apps, '0oaGONE', 'application')
    expect(v.missing).toBe('0oaGONE')
    const m = v.options.find((o) => o.kind === 'missing')
    expect(m).toEqual({ value: '0oaGONE', label: "⚠ 0oaGONE (not one of the org's applications)", kind: 'missing' })
    expect(v.chosen).toBe(m!.label)
  })
  it('does not call a value missing before the list is loaded', () => {
    const v = sourceOptions(appSpec, null, '0oaSLACK', 'application')
    expect(v.missing).toBeNull()
    expect(v.options.map((o) => o.value)).toEqual(['-- Enter Application ID --', '0oaSLACK', OTHER])
  })
  it("takes the field's own choices first and does not repeat one the source also lists", () => {
    const spec: FieldSpec = { key: 'g', type: 'string', choices: [{ value: '0oaSLACK', label: 'Chat' }] }
    expect(staticChoices(spec)).toEqual([{ value: '0oaSLACK', label: 'Chat' }])
    const v = sourceOptions(spec, apps, '0oaSLACK')
    expect(v.options.filter((o) => o.value === '0oaSLACK')).toHaveLength(1)
    expect(v.chosen).toBe('Chat')
    expect(v.options.at(-1)).toEqual({ value: OTHER, label: 'Other value ID…', kind: 'other' })
  })
})
