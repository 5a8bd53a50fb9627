// Pure formatting of a flow's trigger state (app.TriggerStatus) for the
// trigger card, the designer toolbar and the home list.
import type { Card, TriggerState } from '../api/types'

/** How often the designer refreshes the status of a flow that is on. */
export const STATUS_POLL_MS = 5000

export type Tone = 'ok' | 'warn' | 'bad' | 'off'

export interface StatusSummary {
  tone: Tone
  /** "Listening", "Not listening", "Off", "On" */
  label: string
  /** the error or a short explanation */
  detail?: string
}

/** path is the delivery path of a trigger: how its runs start. */
export type Path = 'hook' | 'poll' | 'schedule' | 'api' | 'helper' | 'manual'

function inputText(card: Card | undefined, key: string): string {
  const v = card?.inputs?.find((f) => f.key === key)?.value
  return typeof v === 'string' ? v.trim().toLowerCase() : ''
}

/** kindOf classifies a trigger card as engine/trigger.Classify does (for a
 * trigger changed in the designer and not saved yet). */
export function kindOf(cardType: string): string {
  if (cardType === 'api.endpoint' || cardType === 'api.delegated') return 'api'
  if (cardType === 'schedule.flow') return 'schedule'
  if (cardType === 'flow.helper') return 'helper'
  if (/^[a-z0-9_]+\.event\./.test(cardType)) return 'event' // okta.event.…, kit apps' <app>.event.…
  return 'manual'
}

/** pathOf: the delivery path from the state, else from the card (a flow that
 * is off reports no delivery; an unsaved trigger is not the stored one). */
export function pathOf(s: Pick<TriggerState, 'kind' | 'delivery' | 'cardType'> | null | undefined, card?: Card): Path {
  const stale = !!card && (!s || s.cardType !== card.type)
  const kind = stale ? kindOf(card.type) : s?.kind ?? ''
  if (kind === 'schedule' || kind === 'api' || kind === 'helper') return kind
  if (kind === 'event') {
    const d = ((stale ? '' : s?.delivery) || inputText(card, 'delivery') || 'hook').toLowerCase()
    return d === 'poll' ? 'poll' : 'hook'
  }
  return 'manual'
}

const PATH_LABEL: Record<Path, string> = {
  hook: 'Okta event hook',
  poll: 'System Log polling',
  schedule: 'Schedule',
  api: 'API endpoint',
  helper: 'Called by other flows',
  manual: 'Manual runs only',
}

/** pathLabel: how a trigger path reads; app (the card type's prefix) names
 * the app of a connector's event card ("Slack webhook", "Polling Gmail"). */
export function pathLabel(p: Path, app?: string): string {
  const lower = app?.toLowerCase()
  if (app && lower !== 'okta' && lower !== 'oktadevices' && (p === 'hook' || p === 'poll')) {
    const name = app.charAt(0).toUpperCase() + app.slice(1)
    return p === 'hook' ? `${name} webhook` : `Polling ${name}`
  }
  return PATH_LABEL[p]
}

/** listens: whether a trigger of this path listens by itself when on. */
export function listens(p: Path): boolean {
  return p !== 'helper' && p !== 'manual'
}

/** summarize: the one-line state. enabled is the designer's own idea of on/off. */
export function summarize(s: TriggerState | null | undefined, enabled = s?.enabled ?? false): StatusSummary {
  if (!enabled) return s?.error ? { tone: 'off', label: 'Off', detail: s.error } : { tone: 'off', label: 'Off' }
  if (!s) return { tone: 'off', label: 'On', detail: 'checking…' }
  const p = pathOf(s)
  if (s.error) return { tone: 'bad', label: 'Not listening', detail: s.error }
  if (!listens(p)) return { tone: 'ok', label: 'On', detail: p === 'helper' ? 'other flows can call it' : undefined }
  if (!s.listening) return { tone: 'bad', label: 'Not listening', detail: 'the trigger runtime is not running in this app' }
  if (s.pollError) return { tone: 'warn', label: 'Listening', detail: `last poll failed: ${s.pollError}` }
  return { tone: 'ok', label: 'Listening' }
}

/** homeBadge: the small state next to an "on" flow in the home list (null: none). */
export function homeBadge(s: TriggerState | null | undefined): { tone: Tone; text: string; title: string } | null {
  if (!s || !s.enabled) return null
  const sum = summarize(s)
  const p = pathOf(s)
  if (sum.tone === 'bad') return { tone: 'bad', text: 'error', title: sum.detail ?? sum.label }
  if (!listens(p)) return null
  if (sum.tone === 'warn') return { tone: 'warn', text: 'listening', title: `${pathLabel(p)}: ${sum.detail}` }
  return { tone: 'ok', text: 'listening', title: pathLabel(p) }
}

export interface TimeOpts {
  now?: number
  timeZone?: string
  locale?: string
}

export function localZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time'
  } catch {
    return 'local time'
  }
}

/** formatLocal: "Tue, Jul 15, 2025, 9:00 AM GMT+2 (Europe/Berlin)" ("… 7:00 AM UTC" in UTC), empty for no or bad times. */
export function formatLocal(iso: string | undefined | null, o: TimeOpts = {}): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (!isFinite(d.getTime()) || d.getTime() <= 0) return ''
  const tz = o.timeZone ?? localZone()
  const fmt = new Intl.DateTimeFormat(o.locale, {
    weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit',
    timeZoneName: 'short', ...(o.timeZone ? { timeZone: o.timeZone } : {}),
  })
  const text = fmt.format(d)
  return text.endsWith(` ${tz}`) ? text : `${text} (${tz})`
}

/** relative: "in 4 min", "12 s ago", "just now"; empty for no or bad times. */
export function relative(iso: string | undefined | null, now = Date.now()): string {
  if (!iso) return ''
  const t = new Date(iso).getTime()
  if (!isFinite(t) || t <= 0) return ''
  const s = Math.round((t - now) / 1000)
  const a = Math.abs(s)
  if (a < 5) return s >= 0 ? 'now' : 'just now'
  const n = a < 60 ? `${a} s` : a < 3600 ? `${Math.floor(a / 60)} min` : a < 86400 ? `${Math.floor(a / 3600)} h` : `${Math.floor(a / 86400)} d`
  return s > 0 ? `in ${n}` : `${n} ago`
}

/** when: a time for a status row: relative, with the full local time for the tooltip. */
export function when(iso: string | undefined | null, o: TimeOpts = {}): { text: string; title: string } | null {
  const full = formatLocal(iso, o)
  if (!full) return null
  return { text: relative(iso, o.now), title: full }
}

/** mask hides a secret but its last 4 characters. */
export function mask(secret: string | undefined | null): string {
  if (!secret) return ''
  const tail = secret.length > 8 ? secret.slice(-4) : ''
  return '•'.repeat(12) + tail
}

/** counts: "2 queued · 1 running", empty when idle. */
export function counts(s: Pick<TriggerState, 'queued' | 'running'> | null | undefined): string {
  const parts: string[] = []
  if (s?.queued) parts.push(`${s.queued} queued`)
  if (s?.running) parts.push(`${s.running} running`)
  return parts.join(' · ')
}

/** hookSetup: the steps to point an Okta event hook at a flow. */
export function hookSetup(s: Pick<TriggerState, 'endpoint' | 'authHeader' | 'eventType'>): string[] {
  const header = s.authHeader || 'Authorization'
  return [
    'Okta Admin Console → Workflow → Event Hooks → Create Event Hook.',
    `URL: ${s.endpoint || 'the hook URL above'} (Okta must be able to reach it: HTTPS, public host).`,
    `Authentication field: ${header}; Authentication secret: the secret above.`,
    `Subscribe to the event type ${s.eventType ? `“${s.eventType}”` : 'of this card'} and save.`,
    'Verify: Flowbench answers Okta’s one-time verification request automatically.',
  ]
}

/** absoluteURL: the runtime reports paths until it has seen a request from
 * outside; in a browser the page's own origin is where it is reached. */
export function absoluteURL(endpoint: string | undefined, origin: string | undefined): string {
  if (!endpoint) return ''
  if (!endpoint.startsWith('/') || !origin || !/^https?:\/\//.test(origin)) return endpoint
  return origin.replace(/\/+$/, '') + endpoint
}

/** scheduleText: the runtime's description, with the card's time zone when it names one. */
export function scheduleText(desc: string | undefined, card?: Card): string {
  if (!desc) return ''
  const v = card?.inputs?.find((f) => f.key === 'timeZone')?.value
  const tz = typeof v === 'string' ? v.trim() : ''
  return tz && !desc.includes(tz) ? `${desc} (${tz})` : desc
}
