import { useEffect, useState } from 'react'
import { api } from '../api/client'
import type { Card, CardRecord, TriggerState } from '../api/types'
import { absoluteURL } from '../model/trigger'
import { isPauseCard, resumeSkeleton, resumeURL } from '../model/pause'
import { designer, useDesigner } from '../store/designer'
import { copyText } from './TriggerStatus'
import './pause.css'

/** PauseInfo: on a Pause / Pause Raw card, where its paused runs resume —
 * the flow's resume URL, and in a paused run's view the URL of that run. */
export function PauseInfo({ card, rec }: { card: Card; rec?: CardRecord }) {
  const flowId = useDesigner((s) => s.flow?.id ?? '')
  const loaded = useDesigner((s) => s.trigger)
  // a run's view (History) has no trigger state loaded: ask for it
  const [fetched, setFetched] = useState<TriggerState | null>(null)
  useEffect(() => {
    if (loaded || !flowId) return
    let live = true
    api.triggerStatus(flowId).then((t) => { if (live) setFetched(t) }).catch(() => undefined)
    return () => { live = false }
  }, [loaded, flowId])
  const trigger = loaded ?? fetched
  const run = useDesigner((s) => s.run)
  const origin = window.location.origin
  const invoke = trigger?.endpoint ? absoluteURL(trigger.endpoint, origin) : undefined
  const paused = rec?.status === 'paused' && run?.status === 'paused'
  const url = resumeURL(flowId, invoke, origin, paused ? run?.id : '')
  const raw = card.type === 'flow.pauseRaw'
  const copy = async () => designer.setNotice((await copyText(url)) ? 'Copied the resume URL' : 'Could not copy the resume URL: select it and copy by hand')
  return (
    <div className="pause-info nodrag" data-testid="pause-info">
      <div className="muted small">
        {paused ? 'This run is paused here. Resume it with' : 'A run pauses here and answers its caller; resume it with'}
      </div>
      <div className="pause-url">
        <code data-testid="resume-url" title={url}>POST {url}</code>
        <button className="small" onClick={copy} aria-label="Copy the resume URL">Copy</button>
      </div>
      <div className="muted small">
        {raw
          ? 'The request’s headers and body become this card’s outputs.'
          : 'A JSON body: each key fills this card’s output of that name.'}
        {trigger?.authHeader ? ` Same security as invoke (${trigger.authHeader}).` : ''}
        {trigger && !trigger.listening ? ' Turn the flow on to accept resume requests.' : ''}
      </div>
      {paused && run && <ResumeForm card={card} execution={run.id} />}
    </div>
  )
}

/** ResumeForm resumes the paused run from History with values typed as JSON
 * (what a caller would POST to the resume URL). */
function ResumeForm({ card, execution }: { card: Card; execution: string }) {
  const [text, setText] = useState(() => JSON.stringify(resumeSkeleton(card), null, 1))
  const [busy, setBusy] = useState(false)
  const [err, setErr] = useState('')
  const resume = () => {
    let values: unknown
    try {
      values = text.trim() ? JSON.parse(text) : {} // an empty body resumes with no values, as the resume URL does
    } catch (e) {
      setErr(`not JSON: ${(e as Error).message}`)
      return
    }
    if (!values || typeof values !== 'object' || Array.isArray(values)) {
      setErr('the body must be a JSON object: each key fills the output of that name')
      return
    }
    setBusy(true)
    setErr('')
    api.resumePaused(execution, values as Record<string, unknown>)
      .then((ex) => { designer.setRun(ex); designer.setNotice(`Resumed: the run is ${ex.status}`) })
      .catch((e) => {
        setErr((e as Error).message)
        // resumed meanwhile (its URL, another window): show the run as it is now
        if (/is not paused/.test((e as Error).message)) {
          api.getExecution(execution).then((ex) => {
            designer.setRun(ex)
            designer.setNotice(`Not resumed: this run was resumed meanwhile and is ${ex.status}`)
          }).catch(() => undefined)
        }
      })
      .finally(() => setBusy(false))
  }
  return (
    <details className="pause-resume">
      <summary>Resume here…</summary>
      <textarea aria-label="Resume values (JSON)" value={text} rows={4} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      <button className="small" disabled={busy} onClick={resume} data-testid="resume-paused">{busy ? 'Resuming…' : 'Resume'}</button>
      {err && <div className="problem small" role="alert">{err}</div>}
    </details>
  )
}

/** ResumeLine: the API Endpoint card's "Resume URL" (as in Okta's API
 * Endpoint settings), shown while the flow has a Pause or Pause Raw card. */
export function ResumeLine({ endpoint, flowId }: { endpoint: string; flowId: string }) {
  const hasPause = useDesigner((s) => !!s.flow?.cards.some((c) => isPauseCard(c.type)))
  if (!hasPause) return null
  const url = resumeURL(flowId, endpoint, window.location.origin)
  const copy = async () => designer.setNotice((await copyText(url)) ? 'Copied the resume URL' : 'Could not copy the resume URL: select it and copy by hand')
  return (
    <div className="tsecret">
      <div className="tlabel">Resume URL</div>
      <div className="tvalue">
        <code data-testid="endpoint-resume-url" title={url}>{url}</code>
        <button className="small" aria-label="Copy resume URL" onClick={() => void copy()}>Copy</button>
      </div>
    </div>
  )
}
