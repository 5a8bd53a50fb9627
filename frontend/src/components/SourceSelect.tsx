// The dropdown of an input whose choices come from the card's connection
// (engine FieldSpec.choicesFrom), like Okta's "Application" option: the
// org's applications by label, the id kept as the value; Okta's own
// "-- Enter Application ID --" entry stays first, "Other … ID…" types any id,
// and a value the org lacks (an imported flow's) stays, marked.
import { useContext, useEffect, useState } from 'react'
import { api } from '../api/client'
import type { Choice, FieldChoices, FieldSpec } from '../api/types'
import { OTHER, sourceOptions, type SourceView } from '../model/sourcechoices'
import { EnvCtx } from './context'
import './sourceselect.css'

// one request per connection and source for every card on the canvas; a
// refresh on one card updates the others
const cache = new Map<string, Promise<FieldChoices>>()
const listeners = new Set<(fc: FieldChoices) => void>()

function load(conn: string, source: string, refresh: boolean): Promise<FieldChoices> {
  const key = conn + '\u0000' + source
  let p = refresh ? undefined : cache.get(key)
  if (!p) {
    p = api.fieldChoices(conn, source, refresh)
    cache.set(key, p)
    p.catch(() => cache.delete(key))
    if (refresh) p.then((fc) => listeners.forEach((l) => l(fc)), () => undefined)
  }
  return p
}

/** useSourceChoices reads a source's choices for a connection (null while loading or without one). */
export function useSourceChoices(conn: string, source: string) {
  const [fc, setFc] = useState<FieldChoices | null>(null)
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const fetch = (refresh: boolean) => {
    if (!conn || !source) return
    setBusy(true)
    setError('')
    load(conn, source, refresh).then((r) => setFc(r), (e: Error) => { setFc(null); setError(e.message) }).finally(() => setBusy(false))
  }
  useEffect(() => {
    setFc(null)
    setError('')
    fetch(false)
    const l = (r: FieldChoices) => { if (r.connection === conn && r.source === source) setFc(r) }
    listeners.add(l)
    return () => { listeners.delete(l) }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [conn, source])
  const list: Choice[] | null = fc && fc.connection === conn && fc.source === source ? fc.choices ?? [] : null
  return { list, noun: fc?.noun, error, busy, refresh: () => fetch(true) }
}

const NOUNS: Record<string, string> = { 'okta.apps': 'application', 'okta.groups': 'group' }

interface PickerProps {
  id: string
  label: string
  view: SourceView
  value: unknown
  noun: string
  disabled?: boolean
  typing: boolean
  busy?: boolean
  error?: string
  /** why the list is empty (no connection chosen): the empty entry and the tooltip say it, no extra line (the card keeps its height) */
  note?: string
  onPick: (v: string | undefined) => void
  onType: (v: string) => void
  onTyping: (on: boolean) => void
  onRefresh?: () => void
}

/** SourcePicker draws the dropdown (or the ID box after "Other … ID…"), its refresh and its marks. */
export function SourcePicker({ id, label, view, value, noun, disabled, typing, busy, error, note, onPick, onType, onTyping, onRefresh }: PickerProps) {
  const cur = value === undefined || value === null ? '' : String(value)
  return (
    <div className="source-select nodrag" data-testid={`source-${id}`}>
      <div className="source-line">
        {typing ? (
          <>
            <input id={id} aria-label={label} className="nodrag nopan val" type="text" value={cur} disabled={disabled}
              placeholder={`${noun} ID`} autoFocus onChange={(e) => onType(e.target.value)} />
            {!disabled && <button className="small" aria-label={`List the ${noun}s`} onClick={() => onTyping(false)}>▾ List</button>}
          </>
        ) : (
          <select id={id} aria-label={label} className="nodrag nopan nowheel val" disabled={disabled} value={cur} title={note}
            onChange={(e) => (e.target.value === OTHER ? onTyping(true) : onPick(e.target.value === '' ? undefined : e.target.value))}>
            <option value="">{note ? `— ${note}` : '—'}</option>
            {view.options.map((o) => (
              <option key={o.kind + o.value} value={o.value} data-kind={o.kind}>{o.label}</option>
            ))}
          </select>
        )}
        {onRefresh && !disabled && (
          <button className="icon tiny" aria-label={`Refresh the ${noun}s`} title={`Read the ${noun}s again`} disabled={busy} onClick={onRefresh}>{busy ? '…' : '↻'}</button>
        )}
      </div>
      {view.missing && (
        <div className="problem warn" role="status" data-testid="choice-missing">
          {view.missing} is not one of the org's {noun}s: it stays on the card; pick one or fix the ID.
        </div>
      )}
      {error && <div className="problem" role="alert" data-testid="choice-error">Could not list the {noun}s: {error}</div>}
    </div>
  )
}

/** SourceSelect is the input editor of a field with spec.choicesFrom. */
export function SourceSelect({ id, spec, label, connection, value, disabled, onChange }: {
  id: string; spec: FieldSpec; label: string; connection?: string; value: unknown; disabled?: boolean; onChange: (v: unknown) => void
}) {
  const { connections } = useContext(EnvCtx)
  // only a connection that exists (an imported placeholder has no org to ask)
  const conn = connection && connections.some((c) => c.id === connection) ? connection : ''
  const source = spec.choicesFrom ?? ''
  const { list, noun: got, error, busy, refresh } = useSourceChoices(conn, source)
  const noun = got ?? NOUNS[source] ?? 'value'
  const [typing, setTyping] = useState(false)
  const view = sourceOptions(spec, list, value, noun)
  return (
    <SourcePicker id={id} label={label} view={view} value={value} noun={noun} disabled={disabled} typing={typing}
      busy={busy} error={error} note={conn ? undefined : `choose a connection to list its ${noun}s`}
      onPick={(v) => onChange(v)} onType={(v) => onChange(v === '' ? undefined : v)} onTyping={setTyping}
      onRefresh={conn ? refresh : undefined} />
  )
}
