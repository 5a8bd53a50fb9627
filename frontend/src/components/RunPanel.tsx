import { useEffect, useState } from 'react'
import type { Flow } from '../api/types'
import { api } from '../api/client'
import { outputFields } from '../model/specs'
import { designer } from '../store/designer'
import { useEnv } from './context'
import { ValueEditor } from './ValueEditor'
import { typeLabel } from '../model/types'
import { localProblems, placeProblems } from '../model/problems'
import { useView, view } from '../store/view'
import { RunTargetsNote, useProdConfirm } from './Environments'
import { parseTestInput } from '../model/testinput'

/** RunPanel is the test-input form generated from the trigger's outputs, prefilled from SampleInput. */
export function RunPanel({ flow, onClose, onRan }: { flow: Flow; onClose: () => void; onRan: () => void }) {
  const { specs } = useEnv()
  const fields = outputFields(flow.trigger, specs.get(flow.trigger.type), true).filter((f) => f.key !== 'context')
  const [vals, setVals] = useState<Record<string, unknown>>({})
  const [raw, setRaw] = useState(false)
  const [rawText, setRawText] = useState('{}')
  const [busy, setBusy] = useState(false)
  const [err, setErr] = useState('')
  const [formErrs, setFormErrs] = useState<Record<string, string>>({})
  // text that is not a number (or date) on a card blocks the run: the card would use its old value
  const fieldErrors = useView((s) => s.fieldErrors)
  const blocking = placeProblems(flow, designer.specs, localProblems(flow, fieldErrors), (id) => view.get().titles[id])
  const formBad = Object.entries(formErrs).filter(([, m]) => m)
  const [confirmProd, prodDialog] = useProdConfirm(flow.id)
  useEffect(() => {
    // the sample fills the form, but never over what the person already typed
    api.sampleInput(flow.id).then((v) => {
      setVals((cur) => {
        const next = { ...v, ...cur }
        setRawText(JSON.stringify(next, null, 2))
        return next
      })
    }).catch(() => undefined)
  }, [flow.id])

  // the form and the JSON are one input: what was typed in either shows in the other
  const toggleRaw = (on: boolean) => {
    if (on) {
      setRawText(JSON.stringify(vals, null, 2))
      setRaw(true)
      setErr('')
      return
    }
    const p = parseTestInput(rawText)
    if ('error' in p) {
      setErr(`${p.error} — fix it to go back to the form`)
      return
    }
    setVals(p.value)
    setRaw(false)
    setErr('')
  }

  const run = async () => {
    setBusy(true)
    setErr('')
    try {
      let input = vals
      if (raw) {
        const p = parseTestInput(rawText)
        if ('error' in p) {
          setErr(p.error)
          return
        }
        input = p.value
      }
      const ex = designer.dirty() ? await api.runDraft(flow, input) : await api.runFlow(flow.id, input)
      designer.setRun(ex)
      onRan()
      // the panel takes room from the canvas: bring the last card that ran into view beside it
      const last = [...(ex.cards ?? [])].reverse().find((r) => (flow.cards ?? []).some((c) => c.id === r.id))
      const lastTop = last?.id ?? flow.cards?.at(-1)?.id
      if (lastTop) view.reveal(lastTop)
    } catch (e) {
      setErr((e as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <aside className="side-panel run-panel" aria-label="Run with test input">
      <header><h2>Test input</h2><button className="icon" aria-label="Close run panel" onClick={onClose}>×</button></header>
      <p className="muted">What the trigger hands to the flow{designer.dirty() ? ' — runs the unsaved draft' : ''}.</p>
      <label className="check"><input type="checkbox" checked={raw} onChange={(e) => toggleRaw(e.target.checked)} /> Edit as JSON</label>
      {raw ? (
        <textarea className="json-edit" rows={14} value={rawText} aria-label="Test input JSON" onChange={(e) => setRawText(e.target.value)} spellCheck={false} />
      ) : (
        <div className="form">
          {fields.map((f) => (
            <label key={f.key} className="form-row">
              <span>{f.label} <small className="ftype">{typeLabel(f.type)}</small></span>
              <ValueEditor type={f.type} value={vals[f.key]} label={f.label} onChange={(v) => setVals({ ...vals, [f.key]: v })}
                onError={(m) => setFormErrs((cur) => (cur[f.key] === (m && `${f.label}: ${m}`) ? cur : { ...cur, [f.key]: m && `${f.label}: ${m}` }))} />
            </label>
          ))}
          {!fields.length && <p className="muted">This trigger declares no inputs.</p>}
        </div>
      )}
      <div className="run-foot">
        {(blocking.length > 0 || formBad.length > 0) && (
          <div className="problem" role="alert" data-testid="run-blocked">
            <strong>Fix before running:</strong>
            <ul>
              {blocking.map((p) => (
                <li key={p.key}><button className="link" onClick={() => view.jump(p.card, p.field)}>{p.cardTitle} › {p.fieldLabel}</button>: {p.message}</li>
              ))}
              {formBad.map(([k, m]) => <li key={k}>Test input: {m}</li>)}
            </ul>
          </div>
        )}
        {err && <div className="problem" role="alert">{err}</div>}
        <RunTargetsNote flowId={flow.id} />
        {prodDialog}
        <button className="primary" onClick={() => confirmProd(() => void run())} disabled={busy || blocking.length > 0 || formBad.length > 0} data-testid="run-now">{busy ? 'Running…' : 'Run'}</button>
      </div>
    </aside>
  )
}
