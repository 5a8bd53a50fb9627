// A card's error handling as Okta Workflows shows it: the card menu's
// "Error handling…" opens a dialog (retries, wait between tries, and what
// happens once the card still fails: stop the flow, continue, or run a helper
// flow with the error); a card whose policy is not the default shows it as a
// badge on its head (a click opens the dialog), and a run's card says what its
// error handling did (tries, continued). Mounted once: <ErrorHandlingDialog />.
import { useEffect, useState } from 'react'
import { call } from '../api/client'
import type { Card, CardRecord } from '../api/types'
import { checkDraft, draftOf, MAX_RETRIES, outcome, policyOf, retryLine, cardRetries, summary, type PolicyAction, type PolicyDraft } from '../model/errorpolicy'
import type { HelperFlow } from '../model/helpers'
import { flowIndex } from './context'
import { designer, useDesigner } from '../store/designer'
import { Modal } from './Dialog'
import './errorhandling.css'

let pending: string | null = null
const subs = new Set<() => void>()
/** openErrorHandling opens the error handling dialog of a card. */
export function openErrorHandling(id: string | null) {
  pending = id
  subs.forEach((f) => f())
}

// the stored flows' names, for helper flows named by id
let names: Record<string, string> = {}
let flows: HelperFlow[] = []
function loadFlows(): Promise<void> {
  return call<HelperFlow[] | null>('HelperFlows').then((r) => {
    flows = r ?? []
    names = Object.fromEntries(flows.map((f) => [f.id, f.name]))
  }).catch(() => undefined)
}
const flowName = (id: string) => names[id]

const ACTION_TEXT: Record<PolicyAction, string> = {
  fail: 'Stop the flow — the run fails at this card',
  continue: 'Continue the flow — the card\u2019s outputs are empty',
  flow: 'Run a helper flow with the error, then continue',
}

/** ErrorPolicyBadge: the card's error handling in a few words, a line under its head (none for the default); a click opens the dialog. */
export function ErrorPolicyBadge({ card, readOnly }: { card: Card; readOnly: boolean }) {
  const [, setN] = useState(0)
  useEffect(() => { if (card.onError?.action === 'flow' && !names[card.onError.flow ?? '']) void loadFlows().then(() => setN((n) => n + 1)) }, [card.onError])
  const text = summary(card.onError, flowName)
  if (!text) return null
  return (
    <button className="badge onerror-badge nodrag" data-testid="onerror-badge" disabled={readOnly}
      title={`Error handling: ${text}${readOnly ? '' : ' (click to change)'}`} aria-label={`Error handling of ${card.title || card.type}: ${text}`}
      onClick={() => openErrorHandling(card.id)}>↻ On error: {text}</button>
  )
}

/** ErrorOutcome: what the card's error handling did in the run shown (its tries, a continued failure). */
export function ErrorOutcome({ card, rec }: { card: Card; rec?: CardRecord }) {
  const text = outcome(rec, card.onError, flowName)
  if (!text) return null
  const tries = cardRetries(rec)
  return (
    <div className="onerror-outcome" data-testid="onerror-outcome">
      {text}
      {tries.length > 0 && <ul>{tries.map((a) => <li key={a.n}>{retryLine(a)}</li>)}</ul>}
    </div>
  )
}

/** ErrorHandlingDialog edits the error handling of the card openErrorHandling named. */
export function ErrorHandlingDialog() {
  const [id, setId] = useState<string | null>(pending)
  useEffect(() => {
    const f = () => setId(pending)
    subs.add(f)
    return () => void subs.delete(f)
  }, [])
  const card = useDesigner((s) => (id ? flowIndex(s.flow).get(id)?.card : undefined))
  if (!id || !card) return null
  return <PolicyForm key={id} card={card} onClose={() => openErrorHandling(null)} />
}

function PolicyForm({ card, onClose }: { card: Card; onClose: () => void }) {
  const [d, setD] = useState<PolicyDraft>(() => draftOf(card.onError))
  const [list, setList] = useState<HelperFlow[]>(flows)
  const [tried, setTried] = useState(false)
  useEffect(() => { void loadFlows().then(() => setList(flows)) }, [])
  const spec = designer.specs.get(card.type)
  const title = card.title || spec?.title || card.type
  const control = spec?.kind === 'control'
  const errs = checkDraft(d)
  const ok = Object.keys(errs).length === 0
  const set = (patch: Partial<PolicyDraft>) => setD((cur) => ({ ...cur, ...patch }))
  const own = designer.getState().flow?.id
  const helpers = list.filter((f) => f.id !== own)
  const retrying = Number(d.retries) > 0
  const err = (k: keyof PolicyDraft) => (tried || k !== 'flow') && errs[k]
    ? <span className="field-error" role="alert" data-testid={`onerror-error-${k}`}>{errs[k]}</span> : null
  const submit = () => {
    setTried(true)
    if (!ok) return
    designer.setCard(card.id, { onError: policyOf(d) })
    onClose()
  }
  return (
    <Modal title={`Error handling — ${title}`} onClose={onClose}>
      <form method="dialog" className="onerror-form" onSubmit={(e) => { e.preventDefault(); submit() }}>
        <fieldset>
          <legend>Retry</legend>
          <label className="form-row"><span>Retries</span>
            <input type="number" min={0} max={MAX_RETRIES} step={1} value={d.retries} aria-label="Retries" autoFocus disabled={control}
              onChange={(e) => set({ retries: e.target.value })} />
          </label>
          {control && <p className="muted small">{title} is not run again: the cards inside it have their own error handling.</p>}
          {err('retries')}
          {retrying && <>
            <label className="form-row"><span>Wait between tries</span>
              <input value={d.delay} placeholder="e.g. 5s, 1m (none: at once)" aria-label="Wait between tries" onChange={(e) => set({ delay: e.target.value })} />
            </label>
            {err('delay')}
            <label className="form-row"><span>Up to (a random wait in between)</span>
              <input value={d.delayMax} placeholder="optional" aria-label="Random wait up to" onChange={(e) => set({ delayMax: e.target.value })} />
            </label>
            {err('delayMax')}
            <label className="form-row"><span>Retry on</span>
              <select value={d.retryOn} aria-label="Retry on" onChange={(e) => set({ retryOn: e.target.value })}>
                <option value="">Every error</option>
                <option value="ratelimits">Rate limits only (HTTP 429)</option>
                {d.retryOn && d.retryOn !== 'ratelimits' && <option value={d.retryOn}>{d.retryOn} (imported)</option>}
              </select>
            </label>
          </>}
        </fieldset>
        <fieldset>
          <legend>{retrying ? 'If it still fails' : 'If it fails'}</legend>
          {(Object.keys(ACTION_TEXT) as PolicyAction[]).map((a) => (
            <label key={a} className="radio-row">
              <input type="radio" name="onerror-action" value={a} checked={d.action === a} onChange={() => set({ action: a })} />
              {ACTION_TEXT[a]}
            </label>
          ))}
          {d.action === 'flow' && (
            <label className="form-row"><span>Helper flow</span>
              <select value={d.flow} aria-label="Error helper flow" onChange={(e) => set({ flow: e.target.value })}>
                <option value="">— choose —</option>
                {d.flow && !helpers.some((f) => f.id === d.flow) && <option value={d.flow}>{names[d.flow] ?? `missing flow ${d.flow}`}</option>}
                {helpers.map((f) => <option key={f.id} value={f.id}>{f.folder ? `${f.folder} / ` : ''}{f.name}</option>)}
              </select>
            </label>
          )}
          {err('flow')}
          {d.action === 'flow' && <p className="muted small">The helper flow gets the error in its trigger&rsquo;s <code>context.error</code>.</p>}
        </fieldset>
        <div className="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={Object.keys(errs).some((k) => k !== 'flow') || (tried && !ok)}>Save</button>
        </div>
      </form>
    </Modal>
  )
}
