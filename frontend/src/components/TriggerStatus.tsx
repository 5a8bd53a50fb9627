import { useContext, useEffect, useMemo, useState } from 'react'
import { api } from '../api/client'
import type { Card, TriggerState } from '../api/types'
import { absoluteURL, counts, formatLocal, hookSetup, listens, mask, pathLabel, pathOf, scheduleText, summarize, when } from '../model/trigger'
import { designer, useDesigner } from '../store/designer'
import { go } from '../router'
import { EnvCtx, TriggerCtx, useEnv } from './context'
import { appStyle } from '../model/specs'
import { sandboxInfo } from './SandboxHint'
import { SANDBOX_CALLER, tryCommands } from '../model/endpoint'
import { Confirm } from './Dialog'
import { ResumeLine } from './PauseInfo'
import { SubscriptionLine } from './SubscriptionLine'

declare global {
  interface Window {
    runtime?: { ClipboardSetText?: (text: string) => Promise<boolean> }
  }
}

/** copyText copies through the Wails runtime, the async clipboard or a hidden textarea. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (window.runtime?.ClipboardSetText && (await window.runtime.ClipboardSetText(text))) return true
  } catch {
    // fall through
  }
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    // fall through
  }
  const ta = document.createElement('textarea')
  ta.value = text
  ta.setAttribute('readonly', '')
  ta.style.position = 'fixed'
  ta.style.opacity = '0'
  document.body.appendChild(ta)
  ta.select()
  let ok = false
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  ta.remove()
  return ok
}

async function copy(text: string, what: string) {
  designer.setNotice((await copyText(text)) ? `Copied ${what}` : `Could not copy ${what}: select it and copy by hand`)
}

/** TriggerStatusBlock is the compact state of the flow's trigger on the trigger card. */
export function TriggerStatusBlock({ card }: { card: Card }) {
  const enabled = useDesigner((st) => !!st.flow?.enabled)
  const flowId = useDesigner((st) => st.flow?.id ?? '')
  const dirty = useDesigner((st) => st.flow !== null && JSON.stringify(st.flow.trigger) !== savedTrigger(st.saved))
  const enableError = useDesigner((st) => st.enableError)
  const raw = useDesigner((st) => st.trigger)
  const s = useMemo(() => (raw?.endpoint ? { ...raw, endpoint: absoluteURL(raw.endpoint, window.location.origin) } : raw), [raw])
  const sum = summarize(s, enabled)
  const path = pathOf(s, card)
  const { specs } = useEnv()
  const spec = specs.get(card.type)
  const appName = spec ? appStyle(spec).name : card.type.split('.')[0] // "Slack webhook", "Office 365 Admin webhook"
  const bad = sum.tone === 'bad' || (!enabled && !!enableError)
  const detail = !enabled && enableError ? `Could not switch on: ${enableError}` : sum.detail
  const lastEvent = when(s?.lastEvent)
  const lastPoll = when(s?.lastPoll)
  const q = counts(s)
  return (
    <div className={`tstatus nodrag ${bad ? 'bad' : ''}`} data-testid="trigger-status" aria-label="Trigger status">
      <div className="tline">
        <span className={`tdot t-${bad ? 'bad' : sum.tone}`} aria-hidden />
        <strong data-testid="trigger-state">{sum.label}</strong>
        <span className="muted">· {pathLabel(path, appName)}</span>
      </div>
      {detail && <div className={`tdetail ${bad ? 'err' : 'muted'}`} role={bad ? 'alert' : undefined}>{detail}</div>}
      {enabled && dirty && <div className="tdetail warn">Unsaved trigger changes: save to apply them.</div>}
      {s?.subscription && <SubscriptionLine sub={s.subscription} />}
      <dl className="trows">
        {s?.eventType && <Row k="Event">{s.eventType}</Row>}
        {s?.schedule && <Row k="Schedule">{scheduleText(s.schedule, card)}</Row>}
        {s?.nextRun && <Row k="Next run"><span title={formatLocal(s.nextRun)}>{formatLocal(s.nextRun)}</span></Row>}
        {path !== 'schedule' && listens(path) && (enabled || lastEvent) && (
          <Row k={path === 'api' ? 'Last call' : 'Last event'}>{lastEvent ? <span title={lastEvent.title}>{lastEvent.text}</span> : <span className="muted">none yet</span>}</Row>
        )}
        {path === 'poll' && enabled && <Row k="Last poll">{lastPoll ? <span title={lastPoll.title}>{lastPoll.text}</span> : <span className="muted">not yet</span>}</Row>}
        {q && <Row k="Queue">{q}</Row>}
        {s?.lastExecution && <Row k="Last run"><button className="link small" onClick={() => go(`/execution/${s.lastExecution}`)}>{s.lastExecution.slice(0, 8)}</button></Row>}
      </dl>
      {path === 'api' && (s?.endpoint ? <ApiEndpoint s={s} flowId={flowId} card={card} /> : <div className="tdetail muted">{enabled && bad ? 'The endpoint answers once the problem above is fixed and saved.' : 'Switch the flow on to get its invoke URL and credentials.'}</div>)}
      {path === 'hook' && (s?.endpoint ? <EventHook s={s} flowId={flowId} /> : <div className="tdetail muted">Switch the flow on to get the event hook URL and its secret.</div>)}
    </div>
  )
}

let lastSaved = ''
let lastTrigger = ''
function savedTrigger(saved: string): string {
  if (saved !== lastSaved) {
    lastSaved = saved
    try {
      lastTrigger = JSON.stringify((JSON.parse(saved) as { trigger: unknown }).trigger)
    } catch {
      lastTrigger = ''
    }
  }
  return lastTrigger
}

function Row({ k, children }: { k: string; children: React.ReactNode }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{children}</dd>
    </>
  )
}

function ApiEndpoint({ s, flowId, card }: { s: TriggerState; flowId: string; card: Card }) {
  const sec = s.security || (s.secret ? 'medium' : 'open')
  return (
    <div className="tsecrets" data-testid="endpoint-security" data-security={sec}>
      <CopyLine label="Invoke URL" value={s.endpoint!} testid="endpoint-url" />
      <ResumeLine endpoint={s.endpoint!} flowId={flowId} />
      {sec === 'hmac' && s.secret ? (
        <>
          <Secret label="Signing secret (HMAC-SHA256)" value={s.secret} flowId={flowId} what="signing secret" />
          <div className="tdetail muted">Callers send <code>{s.authHeader || 'x-flowbench-signature'}: sha256=&lt;hex HMAC-SHA256 of the raw body&gt;</code>, keyed with this secret.</div>
        </>
      ) : sec === 'oauth2' ? (
        <div className="tdetail muted" data-testid="endpoint-oauth">
          Callers send <code>Authorization: Bearer &lt;access token&gt;</code> from the {s.authServer && s.authServer !== 'org' ? `“${s.authServer}” authorization server` : 'org authorization server'} of
          the chosen Okta org (client credentials), with the scope <code>{s.scope}</code>. Its signature (JWKS), issuer, audience and expiry are checked.
        </div>
      ) : s.secret ? (
        <Secret label={`Client token (${s.authHeader || 'x-api-client-token'} header or ?clientToken=)`} value={s.secret} flowId={flowId} what="client token" />
      ) : <div className="tdetail muted">Anyone who can reach the URL can call it (no client token).</div>}
      <TryIt s={s} card={card} security={sec} />
    </div>
  )
}

/** TryIt: a curl snippet that calls the endpoint as a caller would (for
 * OAuth 2.0 on the sandbox org, with its API Services client). */
function TryIt({ s, card, security }: { s: TriggerState; card: Card; security: string }) {
  const { connections } = useContext(EnvCtx)
  const [sandbox, setSandbox] = useState('')
  useEffect(() => {
    let live = true
    if (security === 'oauth2') sandboxInfo().then((i) => { if (live) setSandbox(i.sandboxUrl ?? '') }).catch(() => undefined)
    return () => { live = false }
  }, [security])
  const domain = connections.find((c) => c.id === card.connection)?.config?.domain
  const org = typeof domain === 'string' ? domain.replace(/\/+$/, '') : undefined
  const onSandbox = !!org && !!sandbox && org === sandbox.replace(/\/+$/, '')
  const text = tryCommands({ url: s.endpoint!, security, secret: s.secret, outputs: card.outputs ?? [], scope: s.scope,
    authServer: s.authServer, org, caller: onSandbox ? SANDBOX_CALLER : undefined })
  return (
    <details className="tsetup" data-testid="endpoint-try">
      <summary>Try it with curl</summary>
      <pre className="try-snippet" data-testid="endpoint-try-snippet">{text}</pre>
      {security === 'oauth2' && !onSandbox && <div className="tdetail muted">Use the client ID and secret of an API Services app of that org granted the scope.</div>}
      <button className="small" aria-label="Copy curl commands" onClick={() => void copy(text, 'curl commands')}>Copy</button>
    </details>
  )
}

function EventHook({ s, flowId }: { s: TriggerState; flowId: string }) {
  if (s.subscription?.url && !s.subscription.error) {
    // Flowbench registered the flow's own URL at the vendor (SubscriptionLine above)
    return (
      <div className="tsecrets">
        <CopyLine label="Notification URL" value={s.subscription.url} testid="hook-url" />
        <div className="tdetail muted" data-testid="hook-signed">Flowbench registered this URL at {s.subscription.vendor} itself: no setup needed. Deliveries are checked against the subscription's secret; repeats are ignored.</div>
      </div>
    )
  }
  if (s.endpoint?.includes('/webhooks/')) {
    // an app that signs its deliveries (Slack's signing secret…): the URL is all the app needs
    return (
      <div className="tsecrets">
        <CopyLine label="Request URL" value={s.endpoint} testid="hook-url" />
        <div className="tdetail muted" data-testid="hook-signed">{s.hint || "Paste it into the app's event subscription. Deliveries are checked against the connection's secret"}; repeats are ignored.{s.shared ? ' One URL serves every switched-on event flow of this connection.' : ''}</div>
      </div>
    )
  }
  return (
    <div className="tsecrets">
      <CopyLine label="Event hook URL" value={s.endpoint!} testid="hook-url" />
      {s.shared && <div className="tdetail muted" data-testid="hook-shared">One hook for this connection: it feeds every switched-on event flow that uses it. Subscribe it to all their event types (Okta allows 25 hooks per org).</div>}
      {s.secret && <Secret label={`Authentication field: ${s.authHeader || 'Authorization'} — secret`} value={s.secret} flowId={flowId} what="hook secret" />}
      <details className="tsetup">
        <summary>Set up the event hook in Okta</summary>
        <ol>{hookSetup(s).map((t, i) => <li key={i}>{t}</li>)}</ol>
      </details>
    </div>
  )
}

function CopyLine({ label, value, testid }: { label: string; value: string; testid: string }) {
  return (
    <div className="tsecret">
      <div className="tlabel">{label}</div>
      <div className="tvalue">
        <code data-testid={testid} title={value}>{value}</code>
        <button className="small" aria-label={`Copy ${label.toLowerCase()}`} onClick={() => void copy(value, label.toLowerCase())}>Copy</button>
      </div>
    </div>
  )
}

function Secret({ label, value, flowId, what }: { label: string; value: string; flowId: string; what: string }) {
  const [show, setShow] = useState(false)
  const [ask, setAsk] = useState(false)
  const { refresh } = useContext(TriggerCtx)
  const rotate = async () => {
    setAsk(false)
    try {
      await api.rotateTriggerSecret(flowId)
      setShow(true)
      designer.setNotice(`New ${what}: update every caller`)
    } catch (e) {
      designer.setNotice(`Rotate failed: ${(e as Error).message}`)
    }
    await refresh()
  }
  return (
    <div className="tsecret">
      <div className="tlabel">{label}</div>
      <div className="tvalue">
        <code data-testid="trigger-secret">{show ? value : mask(value)}</code>
        <button className="small" onClick={() => setShow(!show)} aria-pressed={show} aria-label={`Show ${what}`}>{show ? 'Hide' : 'Show'}</button>
        <button className="small" aria-label={`Copy ${what}`} onClick={() => void copy(value, what)}>Copy</button>
        <button className="small danger" aria-label={`Rotate ${what}`} onClick={() => setAsk(true)}>Rotate</button>
      </div>
      {ask && (
        <Confirm title={`Rotate the ${what}`} action="Rotate"
          message={`A new ${what} replaces the current one at once; callers using the old one get 401 until they are updated.`}
          onNo={() => setAsk(false)} onYes={() => void rotate()} />
      )}
    </div>
  )
}
