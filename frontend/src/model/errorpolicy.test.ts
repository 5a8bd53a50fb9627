import { describe, expect, it } from 'vitest'
import { checkDraft, draftOf, outcome, policyOf, retryLine, summary } from './errorpolicy'
import { durationMs } from './duration'

describe('error policy', () => {
  it('round-trips a policy through the dialog draft', () => {
    const p = { action: 'continue', retries: 3, delay: '5s', delayMax: '1m0s', retryOn: 'ratelimits' }
    expect(policyOf(draftOf(p))).toEqual(p)
    expect(policyOf(draftOf({ action: 'flow', flow: 'f1' }))).toEqual({ action: 'flow', flow: 'f1' })
  })
  it('the default (no retry, stop) is no policy', () => {
    expect(policyOf(draftOf(undefined))).toBeUndefined()
    expect(policyOf({ ...draftOf(undefined), retries: '0', delay: '5s' })).toBeUndefined()
    expect(summary(undefined)).toBe('')
  })
  it('an imported retry condition and a 0s wait are kept / shown empty', () => {
    const d = draftOf({ action: 'fail', retries: 2, delay: '0s', retryOn: 'custom' })
    expect(d.delay).toBe('')
    expect(policyOf(d)).toEqual({ action: 'fail', retries: 2, retryOn: 'custom' })
    expect(draftOf({ action: 'halt' }).action).toBe('fail')
  })
  it('names what is wrong with each field', () => {
    const base = draftOf(undefined)
    expect(checkDraft(base)).toEqual({})
    expect(checkDraft({ ...base, retries: '-1' }).retries).toMatch(/not a number of retries/)
    expect(checkDraft({ ...base, retries: '2.5' }).retries).toMatch(/whole number/)
    expect(checkDraft({ ...base, retries: '' }).retries).toMatch(/not a number/)
    expect(checkDraft({ ...base, retries: '101' }).retries).toMatch(/more than 100/)
    expect(checkDraft({ ...base, retries: '1', delay: '5' }).delay).toMatch(/needs a unit/)
    expect(checkDraft({ ...base, retries: '1', delay: '1m', delayMax: '30s' }).delayMax).toMatch(/shorter than the wait of 1m/)
    expect(checkDraft({ ...base, action: 'flow' }).flow).toMatch(/Choose the helper flow/)
  })
  it('summarizes the policy for the badge', () => {
    expect(summary({ action: 'continue' })).toBe('continue')
    expect(summary({ action: 'flow', flow: 'x' })).toBe('run a helper flow and continue')
    expect(summary({ action: 'fail', retries: 2, delay: '1s' })).toBe('retry 2× every 1s, then stop')
    expect(summary({ action: 'flow', flow: 'x', retries: 1, delay: '1s', delayMax: '3s' }, (id) => (id === 'x' ? 'On error' : undefined)))
      .toBe('retry 1× every 1s–3s, then run On error and continue')
  })
  it('explains a run: tries and a continued failure', () => {
    const attempts = [
      { n: 1, reason: 'card retry after: boom', wait: 1e9 },
      { n: 2, reason: 'card retry after: boom', wait: 1e9 },
      { n: 1, method: 'GET', url: 'http://x', status: 503 },
    ]
    const rec = { id: 'c', type: 't', status: 'failed, continued', started: '', ended: '', attempts }
    expect(outcome(rec, { action: 'continue', retries: 2 })).toBe("Tried 3 times. The card failed; its error handling continued the flow, with the card's outputs empty.")
    expect(outcome({ ...rec, status: 'failed' }, { action: 'fail', retries: 2 })).toBe('Tried 3 times. It failed every time, so the flow stopped.')
    expect(outcome({ ...rec, status: 'success', attempts: attempts.slice(0, 1) }, { action: 'fail', retries: 2 })).toBe('Tried 2 times. It succeeded on try 2.')
    expect(outcome({ ...rec, status: 'success', attempts: [] }, undefined)).toBe('')
    expect(retryLine(attempts[0])).toBe('try 2 after 1 s — try 1 failed: boom')
  })
  it('reads Go durations', () => {
    expect(durationMs('1m30s')).toBe(90000)
    expect(durationMs('250ms')).toBe(250)
    expect(durationMs('x')).toBeNaN()
  })
})
