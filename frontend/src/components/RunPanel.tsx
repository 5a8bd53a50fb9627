import { useEffect, useState } from 'react'
import type { Flow } from '../api/types'
import { api } from '../api/client'
import { outputFields } from '../model/specs'
import { designer } from '../store/designer'
import { useEnv } from './context'
import { ValueEditor } from './ValueEditor'
import { typeLabel } from '../model/types'

/** RunPanel is the test-input form generated from the trigger's outputs, prefilled from SampleInput. */
export function RunPanel({ flow, onClose, onRan }: { flow: Flow; onClose: () => void; onRan: () => void }) {
  const { specs } = useEnv()
  const fields = outputFields(flow.trigger, specs.get(flow.trigger.type), true).filter((f) => f.key !== 'context')
  const [vals, setVals] = useState<Record<string, unknown>>({})
  const [raw, setRaw] = useState(false)
  const [rawText, setRawText] = useState('{}')
  const [busy, setBusy] = useState(false)
  const [err, setErr] = useState('')
  useEffect(() => {
    api.sampleInput(flow.id).then((v) => { setVals(v); setRawText(JSON.stringify(v, null, 2)) }).catch(() => undefined)
  }, [flow.id])

  const run = async () => {
    setBusy(true)
    setErr('')
    try {
      let input = vals
      if (raw) input = JSON.parse(rawText)
      const ex = designer.dirty() ? await api.runDraft(flow, input) : await api.runFlow(flow.id, input)
      designer.setRun(ex)
      onRan()
    } catch (e) {
      setErr((e as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <aside className="side-panel" aria-label="Run with test input">
      <header><h2>Test input</h2><button className="icon" aria-label="Close run panel" onClick={onClose}>×</button></header>
      <p className="muted">What the trigger hands to the flow{designer.dirty() ? ' — runs the unsaved draft' : ''}.</p>
      <label className="check"><input type="checkbox" checked={raw} onChange={(e) => { setRaw(e.target.checked); if (e.target.checked) setRawText(JSON.stringify(vals, null, 2)) }} /> Edit as JSON</label>
      {raw ? (
        <textarea className="json-edit" rows={14} value={rawText} aria-label="Test input JSON" onChange={(e) => setRawText(e.target.value)} spellCheck={false} />
      ) : (
        <div className="form">
          {fields.map((f) => (
            <label key={f.key} className="form-row">
              <span>{f.label} <small className="ftype">{typeLabel(f.type)}</small></span>
              <ValueEditor type={f.type} value={vals[f.key]} label={f.label} onChange={(v) => setVals({ ...vals, [f.key]: v })} />
            </label>
          ))}
          {!fields.length && <p className="muted">This trigger declares no inputs.</p>}
        </div>
      )}
      {err && <div className="problem" role="alert">{err}</div>}
      <button className="primary" onClick={run} disabled={busy} data-testid="run-now">{busy ? 'Running…' : 'Run'}</button>
    </aside>
  )
}
