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

describe('pathLabel of connector event cards', () => {
  it('names the app instead of Okta', async () => {
    const { pathLabel } = await import('./trigger')
    expect(pathLabel('hook', 'slack')).toBe('Slack webhook')
    expect(pathLabel('poll', 'gmail')).toBe('Polling Gmail')
    expect(pathLabel('hook', 'okta')).toBe('Okta event hook')
    expect(pathLabel('schedule', 'slack')).toBe('Schedule')
  })
})

describe('pathLabel with an app title', () => {
  it('uses the title as given', async () => {
    const { pathLabel } = await import('./trigger')
    expect(pathLabel('hook', 'Office 365 Admin')).toBe('Office 365 Admin webhook')
    expect(pathLabel('poll', 'Okta')).toBe('System Log polling')
  })
})

describe('kindOf', () => {
  it('knows connector apps\' event cards while the flow is off', async () => {
    const { kindOf } = await import('./trigger')
    expect(kindOf('slack.event.channelCreated')).toBe('event')
    expect(kindOf('okta.event.userCreated')).toBe('event')
    expect(kindOf('slack.sendMessageToChannel2')).toBe('manual')
  })
})
