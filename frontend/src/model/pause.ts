import type { Card } from '../api/types'
import { typeLabel } from './types'

// Pause and Pause Raw (Okta's control:pause / control:pauseRaw): a paused
// run continues when its caller sends a request to the flow's resume URL,
// the invoke URL with "invoke" replaced by "resume/{executionId}".

export const PAUSE_TYPES = ['flow.pause', 'flow.pauseRaw']

export function isPauseCard(type: string): boolean {
  return PAUSE_TYPES.includes(type)
}

/** resumeURL: the resume URL of a flow's paused run (execution "" gives the
 * pattern with {executionId}), from the trigger's invoke URL when the flow
 * is on, else from the app's origin. */
export function resumeURL(flowId: string, invoke: string | undefined, origin: string, execution = ''): string {
  const exec = execution || '{executionId}'
  const base = invoke && /\/invoke\/?$/.test(invoke)
    ? invoke.replace(/\/invoke\/?$/, '')
    : `${origin.replace(/\/+$/, '')}/api/flows/${encodeURIComponent(flowId)}`
  return `${base}/resume/${exec}`
}

/** resumeSkeleton: a resume body naming each of the Pause card's outputs
 * with an empty value of its type (Pause Raw: an empty object: the body is
 * passed as sent). */
export function resumeSkeleton(card: Card): Record<string, unknown> {
  if (card.type !== 'flow.pause') return {}
  const out: Record<string, unknown> = {}
  for (const o of card.outputs ?? []) {
    const t = o.type ? typeLabel(o.type) : ''
    out[o.key] = t.endsWith('[]') ? [] : t === 'boolean' ? false : t === 'number' ? 0 : t === 'object' ? {} : ''
  }
  return out
}
