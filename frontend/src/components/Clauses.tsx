// The head of an If/ElseIf lane: the clause that picks it ("If value a ==
// value b", "Else if …", "Else"), editable in place — value a and value b take
// a typed value or a wire dropped from an earlier card's output, the
// comparison is a choice — and the clause's buttons: move up/down, remove,
// and "+ Else if" on the else lane. Without it an imported If/ElseIf showed
// lanes named by Okta group ids and no condition at all.
import { useState } from 'react'
import type { Card } from '../api/types'
import { addClause, clauseField, clauseLabel, ELSE, moveClause, removeClause, setClauseField } from '../model/clauses'
import { pillLabel } from '../model/wiring'
import { designer, useDesigner } from '../store/designer'
import { useDrag } from '../store/drag'
import { useDropCheck } from './CardExtras'
import { Confirm } from './Dialog'
import './clauses.css'

const UNARY = new Set(['is empty', 'is not empty'])

export function ClauseHead({ parent, name, readOnly }: { parent: Card; name: string; readOnly: boolean }) {
  const [asking, setAsking] = useState(false)
  const label = clauseLabel(parent, name)
  const set = (c: Card) => designer.setCard(parent.id, { branches: c.branches })
  if (name === ELSE) {
    return (
      <div className="lane-name clause-head nodrag" data-testid="clause-else">
        <span className="clause-label">Else</span>
        {!readOnly && <button className="link small" onClick={() => set(addClause(parent).card)}>+ Else if</button>}
      </div>
    )
  }
  const ops = designer.specs.get('flow.if')?.inputs.find((f) => f.key === 'operator')?.choices ?? []
  const op = String(clauseField(parent, name, 'operator')?.value ?? '==')
  const list = (parent.branches ?? []).filter((b) => b.name !== ELSE)
  const at = list.findIndex((b) => b.name === name)
  const inside = parent.branches?.find((b) => b.name === name)?.cards?.length ?? 0
  const n = at + 1
  return (
    <div className="lane-name clause-head nodrag" data-testid={`clause-${name}`}>
      <span className="clause-label">{label}</span>
      <Operand parent={parent} name={name} k="left-operand" label={`${label} ${n > 1 ? n + ' ' : ''}value a`} readOnly={readOnly} />
      <select aria-label={`${label} ${n > 1 ? n + ' ' : ''}comparison`} value={op} disabled={readOnly}
        onChange={(e) => set(setClauseField(parent, name, 'operator', { value: e.target.value }))}>
        {!ops.some((o) => o.value === op) && <option value={op}>{op}</option>}
        {ops.map((o) => <option key={String(o.value)} value={String(o.value)}>{o.label}</option>)}
      </select>
      {!UNARY.has(op) && <Operand parent={parent} name={name} k="right-operand" label={`${label} ${n > 1 ? n + ' ' : ''}value b`} readOnly={readOnly} />}
      {!readOnly && (
        <span className="clause-tools">
          <button className="icon tiny" aria-label={`Move clause ${n} up`} title="Test this clause earlier" disabled={at === 0} onClick={() => set(moveClause(parent, name, -1))}>↑</button>
          <button className="icon tiny" aria-label={`Move clause ${n} down`} title="Test this clause later" disabled={at === list.length - 1} onClick={() => set(moveClause(parent, name, 1))}>↓</button>
          <button className="icon tiny" aria-label={`Remove clause ${n}`} title={list.length > 1 ? 'Remove this clause' : 'An If/ElseIf keeps at least one clause'} disabled={list.length <= 1}
            onClick={() => (inside ? setAsking(true) : set(removeClause(parent, name)))}>×</button>
        </span>
      )}
      {asking && (
        <Confirm title={`Remove clause ${n}?`} message={`Its lane holds ${inside} card${inside > 1 ? 's' : ''}; they are removed with it (Ctrl+Z brings them back).`}
          action="Remove" onNo={() => setAsking(false)} onYes={() => { setAsking(false); set(removeClause(parent, name)) }} />
      )}
    </div>
  )
}

/** Operand: value a / value b of a clause — a wire's pill, or a typed value; outputs drop onto it. */
function Operand({ parent, name, k, label, readOnly }: { parent: Card; name: string; k: string; label: string; readOnly: boolean }) {
  const key = `${name}/${k}`
  const flow = useDesigner((s) => s.flow)
  const drop = useDropCheck(parent.id, key)
  const over = useDrag((s) => s.over?.data.card === parent.id && s.over?.data.key === key)
  const f = clauseField(parent, name, k)
  const [text, setText] = useState<string | null>(null)
  const shown = text ?? (f?.value === undefined || f?.value === null ? '' : typeof f.value === 'string' ? f.value : JSON.stringify(f.value))
  const commit = () => {
    if (text === null) return
    designer.setCard(parent.id, { branches: setClauseField(parent, name, k, { value: text === '' ? undefined : text }).branches })
    setText(null)
  }
  const pill = f?.from && flow ? pillLabel(flow, f.from, undefined, designer.specs) : null
  return (
    <span className={`clause-operand ${over && drop.ok ? 'over' : ''} ${drop.active ? (drop.ok ? 'droppable' : 'nodrop') : ''}`}
      data-drop={readOnly ? undefined : 'input'} data-card={parent.id} data-key={key} data-testid={`input-${key}`}
      title={drop.active && !drop.ok ? `Cannot wire here: ${drop.reason}` : undefined}>
      {pill ? (
        <span className={`pill bound ${pill.missing ? 'broken' : ''}`} data-testid="binding-pill">
          <span className="pill-card">{pill.card}</span><span className="pill-field">{pill.field}</span>
          {!readOnly && <button className="icon tiny" aria-label={`Unwire ${label}`} onClick={() => designer.unwire({ card: parent.id, key })}>×</button>}
        </span>
      ) : (
        <input value={shown} aria-label={label} placeholder={drop.active ? 'drop here' : k === 'left-operand' ? 'value a' : 'value b'} disabled={readOnly} size={10}
          onChange={(e) => setText(e.target.value)} onBlur={commit}
          onKeyDown={(e) => { if (e.key === 'Enter') commit() }} />
      )}
    </span>
  )
}
