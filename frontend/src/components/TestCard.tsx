import { useEffect, useRef, useState, type RefObject } from 'react'
import { api } from '../api/client'
import type { Card, CardRecord, SpecDoc } from '../api/types'
import { typeLabel } from '../model/types'
import { errorInput, outputRows, testFields, testInput, testRequest } from '../model/testcard'
import { ValueEditor } from './ValueEditor'

/** FlaskIcon is the "Test this card" glyph. */
function FlaskIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M6 1.5h4M6.7 1.5v4.6L2.6 12.9a1.1 1.1 0 0 0 .95 1.6h8.9a1.1 1.1 0 0 0 .95-1.6L9.3 6.1V1.5M4.3 10h7.4"
        fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  )
}

/** TestButton toggles the test panel of a function card. */
export function TestButton({ title, open, onToggle, btnRef }: { title: string; open: boolean; onToggle: () => void; btnRef: RefObject<HTMLButtonElement | null> }) {
  return (
    <button ref={btnRef} className={`icon test-btn nodrag ${open ? 'on' : ''}`} aria-label={`Test ${title}`} title="Test this card"
      aria-haspopup="dialog" aria-expanded={open} data-testid="test-card" onClick={onToggle}>
      <FlaskIcon />
    </button>
  )
}

type Result = { ok: true; outputs: Record<string, unknown> } | { ok: false; message: string; input?: string }

/** TestPanel runs one card on its own with values typed here (prefilled from
 * the card's static values, else the last run's recorded inputs). */
export function TestPanel({ card, spec, title, rec, onClose }: {
  card: Card; spec: SpecDoc; title: string; rec?: CardRecord; onClose: () => void
}) {
  const fields = testFields(card, spec)
  const [values, setValues] = useState<Record<string, unknown>>(() => testInput(card, spec, rec))
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<Result | null>(null)
  const ref = useRef<HTMLDivElement>(null)
  const alive = useRef(true)

  useEffect(() => {
    alive.current = true
    const first = ref.current?.querySelector<HTMLElement>('input, select, textarea, button.primary')
    first?.focus({ preventScroll: true })
    return () => { alive.current = false }
  }, [])

  const run = async () => {
    setBusy(true)
    try {
      const outputs = await api.testCard(card.type, testRequest(fields, values))
      if (alive.current) setResult({ ok: true, outputs: outputs ?? {} })
    } catch (e) {
      const message = (e as Error)?.message ?? String(e)
      if (alive.current) setResult({ ok: false, message, input: errorInput(message, fields.map((f) => f.key)) })
    } finally {
      if (alive.current) setBusy(false)
    }
  }

  const badKey = result && !result.ok ? result.input : undefined
  const rows = result?.ok ? outputRows(card, spec, result.outputs) : []
  const idp = `test-${card.id}-`

  return (
    <div ref={ref} className="test-pop nodrag nopan nowheel" role="dialog" aria-label={`Test ${title}`} data-testid="test-panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation()
          e.nativeEvent.stopImmediatePropagation()
          onClose()
        } else if (e.key === 'Delete' || e.key === 'Backspace') {
          e.stopPropagation() // never deletes the card from inside the test panel
        }
      }}>
      <header>
        <strong>Test this card</strong>
        <span className="muted small">runs {spec.title} on its own</span>
        <button className="icon tiny" aria-label="Close test" onClick={onClose}>×</button>
      </header>
      <form onSubmit={(e) => { e.preventDefault(); if (!busy) void run() }}>
        {fields.length === 0 && <p className="muted small">This card has no inputs.</p>}
        {fields.map((f) => (
          <div key={f.key} className={`test-field ${badKey === f.key ? 'bad' : ''}`} data-testid={`test-input-${f.key}`}>
            <div className="field-line">
              <label htmlFor={idp + f.key} className="flabel">{f.label}{f.required && <span className="req" title="required">*</span>}</label>
              <span className="ftype">{typeLabel(f.type)}</span>
            </div>
            <ValueEditor id={idp + f.key} type={f.type} value={values[f.key]} choices={f.spec?.choices} label={f.label}
              placeholder={f.spec?.default !== undefined ? String(f.spec.default) : undefined}
              onChange={(v) => setValues((cur) => {
                const next = { ...cur }
                if (v === undefined) delete next[f.key]
                else next[f.key] = v
                return next
              })} />
          </div>
        ))}
        <div className="test-actions">
          <button type="submit" className="primary" disabled={busy} data-testid="run-test">{busy ? 'Running…' : 'Run test'}</button>
          {result && <button type="button" className="link small" onClick={() => setResult(null)}>Clear result</button>}
        </div>
      </form>
      {result && !result.ok && (
        <div className="errbox test-error" role="alert" data-testid="test-error">
          <strong>Error</strong>{result.input ? <> in <code>{fields.find((f) => f.key === result.input)?.label ?? result.input}</code></> : null}: {result.message}
        </div>
      )}
      {result?.ok && (
        <div className="test-out" data-testid="test-outputs" role="status">
          <div className="sect">Outputs</div>
          {rows.length === 0 && <p className="muted small">No outputs.</p>}
          {rows.map((r) => (
            <div key={r.key} className="test-out-row" data-testid={`test-output-${r.key}`}>
              <div className="field-line">
                <span className="flabel">{r.label}</span>
                {r.label !== r.key && <code className="ftype">{r.key}</code>}
              </div>
              <pre>{r.json}</pre>
            </div>
          ))}
        </div>
      )}
    </div>
  )
}
