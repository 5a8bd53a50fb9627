import { describe, expect, it } from 'vitest'
import { appStyle } from './specs'
import type { SpecDoc } from '../api/types'

const spec = (app: string, category: string, kind = 'action') => ({ id: 'x', title: 'X', app, category, kind }) as unknown as SpecDoc

describe('appStyle', () => {
  it('names connector apps by their palette category, with their brand colour', () => {
    expect(appStyle(spec('slack', 'Slack'))).toEqual({ color: '#4a154b', glyph: 'S', name: 'Slack' })
    expect(appStyle(spec('slack', 'Slack events', 'trigger')).name).toBe('Slack')
    expect(appStyle(spec('slackadmin', 'Slack Admin')).name).toBe('Slack Admin')
  })
  it('falls back to the app id and a neutral colour', () => {
    expect(appStyle(spec('acme', ''))).toEqual({ color: '#5b6b7c', glyph: 'A', name: 'acme' })
    expect(appStyle(spec('okta', 'Okta')).name).toBe('Okta')
  })
})
