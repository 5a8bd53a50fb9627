// Inputs of the Tables cards: the table picker (input `stash`, a table id)
// and the Where Expression shown as text, edited as JSON behind "edit".
import { Fragment, useState } from 'react'
import type { Card, Flow } from '../api/types'
import { tableOptions, exprTokens } from '../model/tables'
import type { NType } from '../model/types'
import { pillLabel } from '../model/wiring'
import { designer } from '../store/designer'
import { useEnv } from './context'
import { ValueEditor } from './ValueEditor'

/** TableSelect picks a Tables card's table by name; the value is the table id. */
export function TableSelect({ id, value, disabled, label, onChange }: {
  id: string; value: unknown; disabled: boolean; label: string; onChange: (v: string | undefined) => void
}) {
  const { tables } = useEnv()
  if (!tables) {
    // the tables are not known (an older app, or ListTables failed): the id as text
    return <ValueEditor id={id} type={{ kind: 'string', list: false }} value={value} disabled={disabled} label={label}
      onChange={(v) => onChange(typeof v === 'string' && v ? v : undefined)} />
  }
  const current = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value)
  const opts = tableOptions(current || undefined, tables)
  const unknown = opts.some((o) => o.unknown)
  return (
    <select id={id} className={`nodrag nopan val table-select ${unknown ? 'unknown' : ''}`} aria-label={label} value={current}
      disabled={disabled} aria-invalid={unknown || undefined} data-testid="table-select"
      onChange={(e) => onChange(e.target.value || undefined)}>
      <option value="">— choose a table —</option>
      {opts.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
    </select>
  )
}

/** WhereExpression shows a Where Expression as `Domain = "x" AND Status != ⟵ wired value`;
 * "edit" opens the JSON editor. A value that is not an expression opens as JSON. */
export function WhereExpression({ id, card, flow, type, value, disabled, label, onChange }: {
  id: string; card: Card; flow: Flow; type: NType; value: unknown; disabled: boolean; label: string; onChange: (v: unknown) => void
}) {
  const [editing, setEditing] = useState(false)
  const tokens = exprTokens(value)
  const asJSON = editing || tokens === null
  const source = (input?: string): string | undefined => {
    const b = input ? card.inputs?.find((f) => f.key === input)?.from : undefined
    if (!b) return undefined
    const p = pillLabel(flow, b, undefined, designer.specs)
    return `${p.card} › ${p.field}`
  }
  return (
    <div className="where" data-testid="where-expression">
      {!asJSON && (
        <div className="where-text" data-testid="where-text" aria-label={label} role="note">
          {tokens!.length === 0 ? <span className="muted">no condition (every row)</span> : tokens!.map((t, i) => (
            <Fragment key={i}>
              {i > 0 && ' '}
              <span className={`wt wt-${t.kind}`}
                title={t.kind === 'wired' ? `from ${source(t.input) ?? `input ${t.input ?? '?'}`}` : undefined}>{t.text}</span>
            </Fragment>
          ))}
        </div>
      )}
      {asJSON && (
        <ValueEditor id={id} type={type} value={value} disabled={disabled} label={label} onChange={onChange} />
      )}
      {!disabled && tokens !== null && (
        <button className="link small nodrag" aria-expanded={editing} aria-label={editing ? `Done editing ${label}` : `Edit ${label}`}
          onClick={() => setEditing(!editing)}>{editing ? 'done' : 'edit'}</button>
      )}
    </div>
  )
}
