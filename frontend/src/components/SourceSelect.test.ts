import { describe, expect, it } from 'vitest'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import type { FieldSpec } from '../api/types'
import { sourceOptions } from '../model/sourcechoices'
import { SourcePicker } from './SourceSelect'

const spec: FieldSpec = { key: 'application', label: 'Application', type: 'string', default: '-- Enter Application ID --', choicesFrom: 'okta.apps' }
const apps = [{ value: '0oaSLACK', label: 'Slack' }, { value: '0oaZOOM', label: 'Zoom' }]
const noop = () => undefined

function render(value: unknown, fetched: typeof apps | null, typing = false, note?: string) {
  return renderToStaticMarkup(createElement(SourcePicker, {
    id: 'in-c-application', label: 'Application', view: sourceOptions(spec, fetched, value, 'application'), value, noun: 'application',
    typing, note, onPick: noop, onType: noop, onTyping: noop, onRefresh: noop,
  }))
}

describe('SourcePicker', () => {
  it("renders the org's applications as options, the chosen one selected by id", () => {
    const html = render('0oaZOOM', apps)
    expect(html).toContain('<select id="in-c-application" aria-label="Application"')
    expect(html).toMatch(/<option value="0oaSLACK" data-kind="source">Slack<\/option>/)
    expect(html).toMatch(/<option value="0oaZOOM" data-kind="source" selected="">Zoom<\/option>/)
    expect(html).toContain('-- Enter Application ID --')
    expect(html).toContain('Other application ID…')
    expect(html).toContain('aria-label="Refresh the applications"')
    expect(html).not.toContain('choice-missing')
  })
  it('keeps and marks an id the org lacks', () => {
    const html = render('0oaGONE', apps)
    expect(html).toMatch(/<option value="0oaGONE" data-kind="missing" selected="">⚠ 0oaGONE \(not one of the org&#x27;s applications\)<\/option>/)
    expect(html).toContain('data-testid="choice-missing"')
    expect(html).toContain('0oaGONE is not one of the org&#x27;s applications')
  })
  it('types an ID after Other', () => {
    const html = render('0oaTYPED', apps, true)
    expect(html).toContain('<input id="in-c-application" aria-label="Application"')
    expect(html).toContain('value="0oaTYPED"')
    expect(html).toContain('aria-label="List the applications"')
  })
  it('says to choose a connection when there is none', () => {
    const html = render(undefined, null, false, 'choose a connection to list its applications')
    expect(html).toContain('title="choose a connection to list its applications"')
    expect(html).toContain('<option value="" selected="">— choose a connection to list its applications</option>')
  })
})
