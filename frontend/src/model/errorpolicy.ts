// A card's error handling (engine.ErrorPolicy, Okta's policy.error): how
// often the card is tried again, how long it waits between tries, and what
// happens once it still fails — the run stops (fail), goes on with the card's
// outputs empty (continue), or runs a helper flow with the error and goes on
// (flow). The dialog edits a draft of text fields; policyOf turns a checked
// draft back into the policy (undefined for the default: no retry, stop).
import type { Attempt, CardRecord, ErrorPolicy } from '../api/types'
import { checkDuration, durationMs } from './duration'

export type PolicyAction = 'fail' | 'continue' | 'flow'

export interface PolicyDraft {
  action: PolicyAction
  flow: string
  retries: string
  delay: string
  delayMax: string
  /** '' (every error), 'ratelimits', or an imported condition kept as it was */
  retryOn: string
}

/** MAX_RETRIES bounds the tries a card makes (each waits its delay). */
export const MAX_RETRIES = 100

const ACTIONS: PolicyAction[] = ['fail', 'continue', 'flow']

/** draftOf: the dialog's fields for a card's policy ("0s" shows as empty). */
export function draftOf(p?: ErrorPolicy): PolicyDraft {
  const d = (v?: string) => (!v || durationMs(v) === 0 ? '' : v)
  const action = ACTIONS.includes(p?.action as PolicyAction) ? (p!.action as PolicyAction) : 'fail'
  return { action, flow: p?.flow ?? '', retries: p?.retries ? String(p.retries) : '0', delay: d(p?.delay), delayMax: d(p?.delayMax), retryOn: p?.retryOn === 'any' ? '' : (p?.retryOn ?? '') }
}

/** checkDraft names what is wrong with each field (key → message); empty when it can be saved. */
export function checkDraft(d: PolicyDraft): Partial<Record<keyof PolicyDraft, string>> {
  const errs: Partial<Record<keyof PolicyDraft, string>> = {}
  const r = d.retries.trim()
  if (!/^\d+$/.test(r)) errs.retries = `“${r}” is not a number of retries: use a whole number from 0 to ${MAX_RETRIES}`
  else if (Number(r) > MAX_RETRIES) errs.retries = `${r} retries is more than ${MAX_RETRIES}`
  const bad = checkDuration(d.delay)
  if (bad) errs.delay = bad
  const badMax = checkDuration(d.delayMax)
  if (badMax) errs.delayMax = badMax
  else if (!bad && d.delayMax.trim() && durationMs(d.delayMax) < durationMs(d.delay)) errs.delayMax = `“${d.delayMax.trim()}” is shorter than the wait of ${d.delay.trim()}`
  if (d.action === 'flow' && !d.flow) errs.flow = 'Choose the helper flow to run with the error'
  return errs
}

/** policyOf: the policy of a checked draft; undefined when it is the default (no retry, the run stops). */
export function policyOf(d: PolicyDraft): ErrorPolicy | undefined {
  const retries = Number(d.retries.trim()) || 0
  const p: ErrorPolicy = { action: d.action }
  if (d.action === 'flow') p.flow = d.flow
  if (retries > 0) {
    p.retries = retries
    if (d.delay.trim()) p.delay = d.delay.trim()
    if (d.delayMax.trim()) p.delayMax = d.delayMax.trim()
    if (d.retryOn) p.retryOn = d.retryOn
  }
  return d.action === 'fail' && retries === 0 ? undefined : p
}

/** summary: the policy in a few words, as the card's badge shows it; '' for the default. */
export function summary(p: ErrorPolicy | undefined, flowName?: (id: string) => string | undefined): string {
  if (!p) return ''
  const parts: string[] = []
  if (p.retries && p.retries > 0) {
    const wait = p.delay && durationMs(p.delay) > 0 ? (p.delayMax && durationMs(p.delayMax) > durationMs(p.delay) ? ` every ${p.delay}–${p.delayMax}` : ` every ${p.delay}`) : ''
    parts.push(`retry ${p.retries}×${wait}${p.retryOn === 'ratelimits' ? ' on rate limits' : ''}`)
  }
  const then = parts.length ? 'then ' : ''
  if (p.action === 'continue') parts.push(`${then}continue`)
  else if (p.action === 'flow') parts.push(`${then}run ${(p.flow && flowName?.(p.flow)) || 'a helper flow'} and continue`)
  else if (parts.length) parts.push('then stop')
  return parts.join(', ')
}

/** cardRetries: the tries the card's error handling made (not the HTTP client's own retries). */
export function cardRetries(rec?: CardRecord): Attempt[] {
  return (rec?.attempts ?? []).filter((a) => a.reason?.startsWith('card retry after: '))
}

/** retryLine: one retry as History shows it, e.g. "try 2 after 1 s: the error". */
export function retryLine(a: Attempt): string {
  const why = (a.reason ?? '').replace(/^card retry after: /, '')
  const wait = a.wait ? ` after ${fmtWait(a.wait / 1e6)}` : ''
  return `try ${a.n + 1}${wait} — try ${a.n} failed: ${why}`
}

/** outcome explains what the card's error handling did in a run, '' when it did nothing. */
export function outcome(rec: CardRecord | undefined, p: ErrorPolicy | undefined, flowName?: (id: string) => string | undefined): string {
  if (!rec) return ''
  const tries = cardRetries(rec).length
  const retried = tries ? `Tried ${tries + 1} times. ` : ''
  if (rec.status === 'failed, continued') {
    const helper = p?.action === 'flow' ? `ran ${(p.flow && flowName?.(p.flow)) || 'its error helper flow'} with the error and ` : ''
    return `${retried}The card failed; its error handling ${helper}continued the flow, with the card's outputs empty.`
  }
  if (rec.status === 'failed' && tries) return `${retried}It failed every time, so the flow stopped.`
  if (rec.status === 'success' && tries) return `${retried}It succeeded on try ${tries + 1}.`
  return ''
}

function fmtWait(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : ms < 60000 ? `${+(ms / 1000).toFixed(1)} s` : `${+(ms / 60000).toFixed(1)} min`
}
