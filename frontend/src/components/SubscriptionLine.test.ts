import { describe, expect, it } from 'vitest'
import { subscriptionText } from './SubscriptionLine'

describe('subscriptionText', () => {
  it.each([
    [{ vendor: 'Microsoft Graph', id: 's1', expires: '2026-12-04T19:55:00Z' }, /^Subscribed at Microsoft Graph until .*2026/, false],
    [{ vendor: 'GitHub', id: '42' }, /^Subscribed at GitHub$/, false],
    [{ vendor: 'Microsoft Graph', error: 'not subscribed at Microsoft Graph: 403 Insufficient privileges' }, /^Not subscribed at Microsoft Graph: 403/, true],
  ])('%o', (sub, text, bad) => {
    const got = subscriptionText(sub)
    expect(got.text).toMatch(text)
    expect(got.bad).toBe(bad)
  })
})
