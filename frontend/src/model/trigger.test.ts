import { describe, expect, it } from 'vitest'
import type { TriggerState } from '../api/types'
import { absoluteURL, counts, formatLocal, homeBadge, hookSetup, mask, pathLabel, pathOf, relative, scheduleText, summarize, when } from './trigger'

const st = (p: Partial<TriggerState>): TriggerState => ({ flow: 'f', kind: 'event', cardType: 'okta.event.x', enabled: true, listening: true, queued: 0, running: 0, ...p })

describe('trigger status', () => {
  it('delivery path from the state, else from the card', () => {
    expect(pathOf(st({ delivery: 'poll' }))).toBe('poll')
    expect(pathOf(st({ delivery: 'hook' }))).toBe('hook')
    // off: no delivery in the state, the card's input decides; hook by default
    const card = { id: 't', type: 'okta.event.x', inputs: [{ key: 'delivery', value: 'Poll' }] }
    expect(pathOf(st({ enabled: false, listening: false }), card)).toBe('poll')
    expect(pathOf(st({ enabled: false, listening: false }), { id: 't', type: 'okta.event.x' })).toBe('hook')
    expect(pathOf(st({ kind: 'schedule' }))).toBe('schedule')
    expect(pathOf(st({ kind: 'api' }))).toBe('api')
    expect(pathOf(st({ kind: 'manual' }))).toBe('manual')
    expect(pathOf(null)).toBe('manual')
    // the trigger was changed in the designer and not saved: the card decides
    expect(pathOf(st({ kind: 'manual', cardType: 'flow.manual' }), { id: 't', type: 'okta.event.userCreated' })).toBe('hook')
    expect(pathOf(st({ kind: 'event', cardType: 'okta.event.x', delivery: 'poll' }), { id: 't', type: 'schedule.flow' })).toBe('schedule')
    expect(pathOf(null, { id: 't', type: 'api.endpoint' })).toBe('api')
    expect(pathLabel('poll')).toBe('System Log polling')
    expect(pathLabel('hook')).toBe('Okta event hook')
  })

  it('summarizes on/off, listening and errors', () => {
    expect(summarize(st({ delivery: 'poll' }))).toEqual({ tone: 'ok', label: 'Listening' })
    expect(summarize(st({}), false).label).toBe('Off')
    expect(summarize(st({ enabled: false, listening: false }))).toEqual({ tone: 'off', label: 'Off' })
    expect(summarize(st({ listening: false, error: 'schedule: bad cron' }))).toEqual({ tone: 'bad', label: 'Not listening', detail: 'schedule: bad cron' })
    expect(summarize(st({ listening: false })).tone).toBe('bad')
    expect(summarize(st({ delivery: 'poll', pollError: 'HTTP 401' }))).toEqual({ tone: 'warn', label: 'Listening', detail: 'last poll failed: HTTP 401' })
    expect(summarize(st({ kind: 'helper', listening: false }))).toMatchObject({ tone: 'ok', label: 'On' })
    expect(summarize(null, true)).toMatchObject({ label: 'On', detail: 'checking…' })
  })

  it('home badge only for flows that are on and listen or fail', () => {
    expect(homeBadge(st({}))).toMatchObject({ tone: 'ok', text: 'listening' })
    expect(homeBadge(st({ listening: false, error: 'no connection' }))).toEqual({ tone: 'bad', text: 'error', title: 'no connection' })
    expect(homeBadge(st({ enabled: false }))).toBeNull()
    expect(homeBadge(st({ kind: 'manual', listening: false }))).toBeNull()
    expect(homeBadge(undefined)).toBeNull()
  })

  it('formats times in local time with the zone', () => {
    const s = formatLocal('2025-07-15T07:00:00Z', { timeZone: 'Europe/Berlin', locale: 'en-GB' })
    expect(s).toContain('09:00')
    expect(s).toContain('15 Jul 2025')
    expect(s).toMatch(/\(Europe\/Berlin\)$/)
    expect(formatLocal('2025-07-15T07:00:00Z', { timeZone: 'UTC', locale: 'en-US' })).toMatch(/7:00 AM UTC$/)
    expect(formatLocal('')).toBe('')
    expect(formatLocal('nonsense')).toBe('')
    expect(formatLocal('0001-01-01T00:00:00Z')).toBe('')
  })

  it('relative times', () => {
    const now = Date.parse('2025-07-15T07:00:00Z')
    expect(relative('2025-07-15T07:04:00Z', now)).toBe('in 4 min')
    expect(relative('2025-07-15T06:59:48Z', now)).toBe('12 s ago')
    expect(relative('2025-07-15T07:00:02Z', now)).toBe('now')
    expect(relative('2025-07-15T06:59:59Z', now)).toBe('just now')
    expect(relative('2025-07-15T04:00:00Z', now)).toBe('3 h ago')
    expect(relative('2025-07-18T07:00:00Z', now)).toBe('in 3 d')
    expect(relative(undefined, now)).toBe('')
    expect(when('2025-07-15T07:04:00Z', { now, timeZone: 'UTC', locale: 'en-US' })).toEqual({ text: 'in 4 min', title: expect.stringMatching(/7:04 AM UTC$/) })
    expect(when(null)).toBeNull()
  })

  it('masks secrets and counts the queue', () => {
    expect(mask('abcdefghijklmnop')).toBe('••••••••••••mnop')
    expect(mask('short')).toBe('••••••••••••')
    expect(mask('')).toBe('')
    expect(counts({ queued: 2, running: 1 })).toBe('2 queued · 1 running')
    expect(counts({ queued: 0, running: 0 })).toBe('')
  })

  it('hook setup names URL, header and event type', () => {
    const steps = hookSetup({ endpoint: 'http://h/hooks/okta/f', authHeader: 'X-Secret', eventType: 'group.user_membership.add' })
    expect(steps[0]).toMatch(/Workflow → Event Hooks/)
    expect(steps.join('\n')).toContain('http://h/hooks/okta/f')
    expect(steps.join('\n')).toContain('X-Secret')
    expect(steps.join('\n')).toContain('group.user_membership.add')
    expect(steps.at(-1)).toMatch(/verification/)
    expect(hookSetup({}).join('\n')).toContain('Authorization')
  })
})

describe('urls and schedules', () => {
  it('makes endpoint paths absolute in a browser', () => {
    expect(absoluteURL('/hooks/okta/f', 'http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/hooks/okta/f')
    expect(absoluteURL('http://host/api/flows/f/invoke', 'http://127.0.0.1:8080')).toBe('http://host/api/flows/f/invoke')
    expect(absoluteURL('/hooks/okta/f', 'wails://wails')).toBe('/hooks/okta/f')
    expect(absoluteURL(undefined, 'http://x')).toBe('')
  })
  it('adds the card time zone to the schedule', () => {
    const card = { id: 't', type: 'schedule.flow', inputs: [{ key: 'timeZone', value: 'Europe/Berlin' }] }
    expect(scheduleText('daily at 09:30', card)).toBe('daily at 09:30 (Europe/Berlin)')
    expect(scheduleText('cron 0 9 * * * (Europe/Berlin)', card)).toBe('cron 0 9 * * * (Europe/Berlin)')
    expect(scheduleText('daily at 09:30', { id: 't', type: 'x' })).toBe('daily at 09:30')
    expect(scheduleText(undefined, card)).toBe('')
  })
})
