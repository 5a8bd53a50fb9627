import { memo, useMemo, useRef, useState } from 'react'
import type { Card, CardRecord, Connection, ConnectionRef, Field, Flow, Problem } from '../api/types'
import { appStyle, inputFields, outputFields, type ViewField } from '../model/specs'
import { typeLabel } from '../model/types'
import { outputTree, pillLabel, type OutputNode } from '../model/wiring'
import { cardWidth, NESTED_W } from '../model/layout'
import { splitOutputs, usedOutputs } from '../model/outputs'
import { designer, useDesigner } from '../store/designer'
import { startDrag, useDrag } from '../store/drag'
import { flowIndex, noProblems, problemsByCard, recordsByCard, useEnv } from './context'
import { TriggerStatusBlock } from './TriggerStatus'
import { ValueEditor } from './ValueEditor'
import { TestButton, TestPanel } from './TestCard'
import { canTest } from '../model/testcard'
import { cardConnectionOptions } from '../model/bind'
import { isTablesCard, TABLE_KEY, WHERE_KEY } from '../model/tables'
import { TableSelect, WhereExpression } from './TablesInputs'
import { AddEndpointOutput, EndpointConnection } from './EndpointFields'
import { ProfileFields, useProfileChoices } from './ProfileFields'
import { SourceSelect } from './SourceSelect'
import { endpointInputShown, isEndpointTrigger, requestGroup } from '../model/endpoint'
import { CardDiffBadge, CardDiffNotes, FieldDiffNote, useFieldDiffClass } from './VersionsPanel'
import { cardDiffClass, useCardDiff } from '../store/versionDiff'
import { cardAppLabel, UNSUPPORTED } from '../model/importreport'
import { HelperSection } from './HelperFlowPicker'
import { helperRole } from '../model/helpers'
import { CardMenu, CollapseButton, Duration, ProblemCount, problemText, requestDelete, useCollapsed, useDropCheck } from './CardExtras'
import { PauseInfo } from './PauseInfo'
import { requestRemoveOutput } from './OutputGuard'
import { slotLength } from '../model/tree'
import { errorPlace } from '../model/errorplace'
import { RecordedValue } from './RecordedValue'
import { ChildRuns } from './ChildRuns'
import { isPauseCard } from '../model/pause'
import { view } from '../store/view'
import { shownInputs } from '../model/options'
import { NEW_CONNECTION, NewConnectionDialog } from './NewConnection'
import { withSecret } from '../model/secret'
import { ErrorOutcome, ErrorPolicyBadge, openErrorHandling } from './ErrorHandling'
import { ClauseHead } from './Clauses'
import { isClauses } from '../model/clauses'

const STATUS_ICON: Record<string, string> = { success: '✓', failed: '✕', 'not run': '–', skipped: '↷', running: '…', 'failed, continued': '!', paused: '‖', canceled: '⊘' }

export function statusClass(s?: string): string {
  return 'st-' + (s ?? 'none').replace(/[^a-z]+/g, '-')
}

/** CardNode is a top-level card drawn by the canvas (xyflow node). */
export const CardNode = memo(function CardNode({ data }: { data: { id: string } }) {
  return <CardView id={data.id} nested={false} />
})

export const CardView = memo(function CardView({ id, nested }: { id: string; nested: boolean }) {
  const card = useDesigner((s) => flowIndex(s.flow).get(id)?.card)
  const isTrigger = useDesigner((s) => s.flow?.trigger.id === id)
  const selected = useDesigner((s) => s.selected === id)
  const readOnly = useDesigner((s) => s.readOnly)
  const problems = useDesigner((s) => problemsByCard(s.problems).get(id) ?? noProblems)
  const rec = useDesigner((s) => recordsByCard(s.run?.cards).get(id))
  // a run in progress records its cards as it goes: a card without a record has not run yet, or is running
  const hasRun = useDesigner((s) => !!s.run && s.run.status !== 'running')
  const runId = useDesigner((s) => s.run?.id)
  const { specs, connections, placeholders, openExecution } = useEnv()
  const [menu, setMenu] = useState(false)
  const [editTitle, setEditTitle] = useState(false)
  const [allOuts, setAllOuts] = useState(false)
  const [newConn, setNewConn] = useState(false)
  const [testing, setTesting] = useState(false)
  const testBtn = useRef<HTMLButtonElement>(null)
  const usedKey = useDesigner((s) => [...usedOutputs(s.flow, id)].sort().join('\u0000'))
  const used = useMemo(() => new Set(usedKey ? usedKey.split('\u0000') : []), [usedKey])
  const dragging = useDrag((s) => s.active && s.payload?.kind === 'output')
  const collapsed = useCollapsed(id)
  const flowNow = useDesigner((s) => s.flow)
  const diff = useCardDiff(id) // a version comparison shown on the canvas (VersionsPanel)
  if (!card) return null
  const spec = specs.get(card.type)
  const st = appStyle(spec)
  const ins = shownInputs(card, inputFields(card, spec)).filter((f) => endpointInputShown(card, f.key))
  // helper-calling cards draw the helper's inputs in their helper section
  const role = isTrigger ? null : helperRole(card, spec)
  const ownIns = role && role !== 'stream' ? ins.filter((f) => !f.custom) : ins
  const outs = outputFields(card, spec, isTrigger)
  const { shown: shownOuts, hidden: hiddenOuts } = splitOutputs(outs, used, allOuts)
  const collapsible = allOuts ? splitOutputs(outs, used, false).hidden.length : hiddenOuts.length
  // problems of fields not drawn (hidden, branch inputs, outputs) show on the card, naming the field
  const cardProblems = problems.filter((p) => (!p.input || !ins.some((f) => f.key === p.input)) && !(role && p.kind === 'missing-flow'))
  const status = rec?.status ?? (hasRun ? 'not run' : undefined)
  const width = nested ? cardWidth(card, true) : undefined
  const title = card.title || spec?.title || card.type
  const connOpts = spec?.connection ? cardConnectionOptions(card.connection, connections, spec.connection, placeholders) : []
  const unbound = !!card.connection && !connections.some((c) => c.id === card.connection)
  const testable = !isTrigger && canTest(spec, readOnly)
  const closeTest = () => { setTesting(false); testBtn.current?.focus({ preventScroll: true }) }

  return (
    <div
      className={`card ${selected ? 'selected' : ''} ${problems.length ? 'has-problems' : ''} ${statusClass(status)} ${nested ? 'nested' : ''} ${isTrigger ? 'trigger' : ''} ${testing ? 'testing' : ''} ${cardDiffClass(diff)}`}
      style={{ width, ['--app' as string]: st.color }}
      data-card={card.id}
      data-testid={`card-${title}`}
      onPointerDownCapture={() => designer.select(card.id)}
      tabIndex={0}
      aria-label={`${isTrigger ? 'Trigger' : 'Card'} ${title}`}
      data-drop={nested ? 'card' : undefined}
    >
      <div className={`card-head ${nested && !readOnly ? 'nodrag' : ''}`}
        onPointerDown={nested && !readOnly && !editTitle ? (e) => {
          // a card in a branch is dragged by its head (the canvas drags only the top-level row);
          // its buttons and fields keep their own pointer behaviour
          if ((e.target as HTMLElement).closest('button, input, select, textarea, a, [contenteditable]')) return
          const el = e.currentTarget.closest<HTMLElement>('.card')
          startDrag(e, { kind: 'card', id: card.id, title }, () => el?.focus({ preventScroll: true }))
        } : undefined}>
        <CollapseButton id={card.id} title={title} />
        <span className="glyph" aria-hidden>{st.glyph}</span>
        <div className="card-titles">
          <span className={`card-app ${card.type === UNSUPPORTED ? 'unsupported' : ''}`}>{cardAppLabel(card, spec?.app, st.name, isTrigger)}</span>
          {editTitle && !readOnly ? (
            <input className="nodrag title-edit" autoFocus defaultValue={title} aria-label="Card title"
              onBlur={(e) => { if (!e.target.dataset.cancel) designer.renameCard(card.id, e.target.value); setEditTitle(false) }}
              onKeyDown={(e) => {
                // Enter keeps the new title, Escape takes the old one back
                if (e.key === 'Escape') e.currentTarget.dataset.cancel = '1'
                if (e.key === 'Enter' || e.key === 'Escape') (e.currentTarget.closest<HTMLElement>('.card') ?? e.currentTarget).focus() // the keyboard stays on the card
              }} />
          ) : (
            <span className="card-title" onDoubleClick={() => setEditTitle(true)} title={spec?.description}>{title}</span>
          )}
        </div>
        {collapsed && <ProblemCount id={card.id} />}
        {status && <span className={`badge ${statusClass(status)}`} title={status} data-testid="card-status">{STATUS_ICON[status] ?? '?'} {status}</span>}
        <CardDiffBadge cardId={card.id} />
        {testable && <TestButton title={title} open={testing} btnRef={testBtn} onToggle={() => (testing ? closeTest() : setTesting(true))} />}
        {!readOnly && (
          <button className="icon nodrag" aria-label={`Menu of ${title}`} aria-haspopup="menu" onClick={() => setMenu(!menu)}>⋯</button>
        )}
        {menu && (
          <CardMenu onClose={() => setMenu(false)}>
            <button role="menuitem" onClick={() => { setEditTitle(true); setMenu(false) }}>Rename</button>
            {!isTrigger && <button role="menuitem" onClick={() => { designer.copy(card.id); setMenu(false) }}>Copy</button>}
            {!isTrigger && <button role="menuitem" onClick={() => { designer.copy(card.id); designer.select(card.id); designer.paste(); setMenu(false) }}>Duplicate</button>}
            {!isTrigger && <MoveItems id={card.id} close={() => setMenu(false)} />}
            {!isTrigger && <button role="menuitem" onClick={() => { openErrorHandling(card.id); setMenu(false) }}>Error handling…</button>}
            {spec?.docUrl && <a role="menuitem" href={spec.docUrl} target="_blank" rel="noreferrer">Help</a>}
            {!isTrigger && <button role="menuitem" className="danger" onClick={() => { requestDelete(card.id); setMenu(false) }}>Delete</button>}
          </CardMenu>
        )}
        {testable && testing && spec && <TestPanel card={card} spec={spec} title={title} rec={rec} onClose={closeTest} />}
      </div>
      {!collapsed && <>
      {diff && <CardDiffNotes cardId={card.id} shownKeys={ins.map((f) => f.key)} />}
      {rec && <div className="card-ran"><Duration rec={rec} /></div>}
      {!isTrigger && <ErrorPolicyBadge card={card} readOnly={readOnly} />}
      {isPauseCard(card.type) && <PauseInfo card={card} rec={rec} />}
      {isTrigger && !readOnly && <TriggerStatusBlock card={card} />}
      {isTrigger && isEndpointTrigger(card.type) && <EndpointConnection card={card} readOnly={readOnly} />}
      {spec === undefined && <div className="problem">Unknown card type {card.type}</div>}
      {cardProblems.map((p, i) => <div key={i} className={`problem ${p.severity === 'warning' ? 'warn' : ''}`} role="alert" data-testid="card-problem">{flowNow ? problemText(p, flowNow) : p.message}</div>)}
      {rec?.error && <ErrorBox err={rec.error} where={errorPlace(rec.error, flowNow, specs, false)} />}
      <ErrorOutcome card={card} rec={rec} />
      {spec?.connection && (
        <label className={`conn-row nodrag ${unbound ? 'unbound' : ''}`}>
          <span>Connection</span>
          <select value={card.connection ?? ''} disabled={readOnly} aria-label="Connection"
            onChange={(e) => (e.target.value === NEW_CONNECTION ? setNewConn(true) : chooseConnection(card, e.target.value || undefined, connections, placeholders))}>
            <option value="">— choose —</option>
            {connOpts.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            {!readOnly && <option value={NEW_CONNECTION}>New connection…</option>}
          </select>
        </label>
      )}
      {newConn && spec?.connection && <NewConnectionDialog cardId={card.id} kindId={spec.connection} onClose={() => setNewConn(false)} />}
      {card.type === 'flow.comment' && (
        <textarea className="note nodrag" value={card.note ?? ''} readOnly={readOnly} aria-label="Note"
          onChange={(e) => designer.setCard(card.id, { note: e.target.value })} />
      )}
      {ownIns.length > 0 && <div className="sect">Inputs</div>}
      {ownIns.map((f) => (
        <InputRow key={f.key} card={card} f={f} problems={problems} recorded={rec?.inputs} hasRec={!!rec} readOnly={readOnly} />
      ))}
      {spec?.extensibleInputs && !readOnly && (!role || role === 'stream') && <AddField card={card} side="inputs" />}
      {!readOnly && <ProfileFields card={card} side="inputs" declared={(spec?.inputs ?? []).map((x) => x.key)} />}
      {role && <HelperSection card={card} spec={spec} problems={problems} recorded={rec?.inputs} hasRec={!!rec} readOnly={readOnly} />}
      {card.branches?.map((b) => (
        <Lane key={b.name} parent={card} name={b.name} cards={b.cards ?? []} readOnly={readOnly} />
      ))}
      {outs.length > 0 && <div className="sect">Outputs</div>}
      {shownOuts.map((f) => (
        <OutputRow key={f.key} card={card} f={f} recorded={rec?.outputs} readOnly={readOnly} />
      ))}
      {collapsible > 0 && (
        <button className="link small nodrag more-outputs" aria-expanded={allOuts} data-testid="more-outputs"
          onPointerEnter={() => { if (dragging && !allOuts) setAllOuts(true) }}
          onClick={() => setAllOuts(!allOuts)}>
          {allOuts ? `▾ Show used outputs only` : `▸ ${collapsible} more output${collapsible > 1 ? 's' : ''}`}
        </button>
      )}
      {rec?.outputs && <ExtraOutputs card={card} recorded={rec.outputs} declared={outs.map((o) => o.key)} readOnly={readOnly} />}
      {(spec?.extensibleOutputs) && !readOnly && (isTrigger && isEndpointTrigger(card.type)
        ? <AddEndpointOutput card={card} declared={(spec?.outputs ?? []).map((x) => x.key)} />
        : <AddField card={card} side="outputs" />)}
      {!readOnly && <ProfileFields card={card} side="outputs" declared={(spec?.outputs ?? []).map((x) => x.key)} />}
      {rec?.children?.length ? <ChildRuns parent={runId} ids={rec.children} open={openExecution} /> : null}
      </>}
    </div>
  )
})

function MoveItems({ id, close }: { id: string; close: () => void }) {
  const loc = useDesigner((s) => flowIndex(s.flow).get(id))
  const lastIndex = useDesigner((s) => (s.flow && loc ? slotLength(s.flow, loc.slot) - 1 : 0))
  if (!loc) return null
  return (
    <>
      <button role="menuitem" onClick={() => { designer.move(id, loc.slot, loc.index - 1); close() }} disabled={loc.index === 0}>Move left</button>
      <button role="menuitem" onClick={() => { designer.move(id, loc.slot, loc.index + 1); close() }} disabled={loc.index >= lastIndex}>Move right</button>
      {loc.slot.parent && <button role="menuitem" onClick={() => { const p = flowIndex(designer.getState().flow).get(loc.slot.parent!); if (p) designer.move(id, p.slot, p.index + 1); close() }}>Move out of lane</button>}
    </>
  )
}

/** ErrorBox shows a run's error; where names the card and input as the canvas does (errorPlace), else the input's key. */
export function ErrorBox({ err, where }: { err: NonNullable<CardRecord['error']>; where?: string }) {
  const at = where ?? err.input
  return (
    <div className="errbox" role="alert" data-testid="card-error">
      <strong>Error</strong>{at ? <> in <code>{at}</code></> : null}: {err.message}
      {(err.status || err.code) && (
        <div className="errmeta">
          {err.status ? <span>HTTP {err.status}</span> : null}
          {err.code ? <span>error code {err.code}</span> : null}
        </div>
      )}
    </div>
  )
}

function InputRow({ card, f, problems, recorded, hasRec, readOnly }: {
  card: Card; f: ViewField; problems: Problem[]; recorded?: Record<string, unknown>; hasRec: boolean; readOnly: boolean
}) {
  const flow = useDesigner((s) => s.flow) as Flow
  const drag = useDrag((s) => (s.active && s.payload?.kind === 'output' ? s.payload : null))
  const over = useDrag((s) => s.over?.data.card === card.id && s.over?.data.key === f.key)
  const drop = useDropCheck(card.id, f.key)
  const field: Field | undefined = f.field
  const mine = problems.filter((p) => p.input === f.key)
  const bound = field?.from
  const pill = bound ? pillLabel(flow, bound, (id) => view.get().titles[id], designer.specs) : null
  const fid = `in-${card.id}-${f.key}`
  const tablesCard = isTablesCard(card.type)
  const diffCls = useFieldDiffClass(card.id, f.key, f.group)
  const profileCh = useProfileChoices(card, f, !f.spec?.choices?.length)
  return (
    <div
      className={`field in ${over && drop.ok ? 'over' : ''} ${drop.active ? (drop.ok ? 'droppable' : 'nodrop') : ''} ${mine.length ? 'bad' : ''} ${diffCls}`}
      title={drop.active && !drop.ok ? `Cannot wire here: ${drop.reason}` : undefined}
      data-drop={readOnly ? undefined : 'input'}
      data-card={card.id}
      data-key={f.key}
      data-testid={`input-${f.key}`}
    >
      <div className="field-line">
        <label htmlFor={fid} className="flabel">{f.label}{f.required && <span className="req" title="required">*</span>}</label>
        <span className="ftype">{typeLabel(f.type)}</span>
        {f.custom && !readOnly && <button className="icon tiny nodrag" aria-label={`Remove input ${f.key}`} onClick={() => designer.clearInput(card.id, f.key)}>×</button>}
      </div>
      {bound && pill ? (
        <div className={`pill bound ${pill.missing ? 'broken' : ''}`} data-testid="binding-pill" title={`${bound.card}.${bound.path.join('.')}`}>
          <span className="pill-card">{pill.card}</span>
          <span className="pill-field">{pill.field}</span>
          {!readOnly && <button className="icon tiny nodrag" aria-label={`Unwire ${f.key}`} onClick={() => designer.unwire({ card: card.id, key: f.key })}>×</button>}
        </div>
      ) : field?.any?.length ? (
        <div className="pill bound">{field.any.map((b, i) => { const p = pillLabel(flow, b, undefined, designer.specs); return <span key={i} title={`${b.card}.${b.path.join('.')}`}>{p.card} › {p.field}{i < field.any!.length - 1 ? ' | ' : ''}</span> })}</div>
      ) : field?.item ? (
        <div className="pill item">item{field.item.path ? ' › ' + field.item.path : ''}</div>
      ) : tablesCard && f.key === TABLE_KEY ? (
        <TableSelect id={fid} value={field?.value} disabled={readOnly} label={f.label}
          onChange={(v) => (v === undefined ? designer.clearInput(card.id, f.key) : designer.setValue(card.id, f.key, v))} />
      ) : tablesCard && f.key === WHERE_KEY ? (
        <WhereExpression id={fid} card={card} flow={flow} type={f.type} value={field?.value} disabled={readOnly} label={f.label}
          onChange={(v) => (v === undefined && !f.custom ? designer.clearInput(card.id, f.key) : designer.setValue(card.id, f.key, v))} />
      ) : f.spec?.choicesFrom ? (
        <SourceSelect id={fid} spec={f.spec} label={f.label} connection={card.connection} value={field?.value} disabled={readOnly}
          onChange={(v) => (v === undefined && !f.custom ? designer.clearInput(card.id, f.key) : designer.setValue(card.id, f.key, v))} />
      ) : (
        <ValueEditor id={fid} type={f.type} value={field?.value} choices={f.spec?.choices?.length ? f.spec.choices : profileCh} disabled={readOnly} label={f.label}
          onError={readOnly ? undefined : (m) => view.setFieldError(card.id, f.key, m)}
          placeholder={f.spec?.default !== undefined ? String(f.spec.default) : drag ? 'drop here' : undefined}
          onChange={(v) => (v === undefined && !f.custom ? designer.clearInput(card.id, f.key) : designer.setValue(card.id, f.key, v))} />
      )}
      {over && drop.active && !drop.ok && <div className="problem warn" role="status" data-testid="drop-reason">Cannot wire here: {drop.reason}</div>}
      {diffCls && <FieldDiffNote cardId={card.id} fieldKey={f.key} group={f.group} />}
      {hasRec && <RecordedValue value={recorded?.[f.key]} testId="recorded-input" name={`${card.title ?? card.id} › ${f.label ?? f.key}`} />}
      {mine.map((p, i) => <div key={i} className={`problem ${p.severity === 'warning' ? 'warn' : ''}`} data-testid="field-problem">{problemText(p, flow, true)}</div>)}
    </div>
  )
}

function OutputRow({ card, f, recorded, readOnly }: { card: Card; f: ViewField; recorded?: Record<string, unknown>; readOnly: boolean }) {
  const tree = outputTree(f.type, [f.key], f.label)
  return (
    <div className="field out" data-testid={`output-${f.key}`}>
      <OutputNodeView card={card} node={tree} depth={0} readOnly={readOnly} recorded={recorded} custom={f.custom} tag={requestGroup(card, f)} secret={!!f.field?.secret} />
    </div>
  )
}

/** LockIcon: a padlock, open or shut (an SVG: emoji fonts are not everywhere). */
function LockIcon({ open }: { open: boolean }) {
  return (
    <svg width="10" height="11" viewBox="0 0 16 18" aria-hidden="true" style={{ verticalAlign: '-1px' }}>
      <path d={open ? 'M4.5 8V4.5a3.5 3.5 0 0 1 7 0V5' : 'M4.5 8V5.5a3.5 3.5 0 0 1 7 0V8'} fill="none" stroke="currentColor" strokeWidth="2" />
      <rect x="2" y="8" width="12" height="9" rx="1.5" fill="currentColor" />
    </svg>
  )
}

/** toggleSecret: mark an output secret (kept out of history) or not. */
function toggleSecret(card: Card, key: string, secret: boolean) {
  designer.setCard(card.id, { outputs: withSecret(card.outputs, key, secret) })
}

function OutputNodeView({ card, node, depth, readOnly, recorded, custom, tag, secret }: {
  card: Card; node: OutputNode; depth: number; readOnly: boolean; recorded?: Record<string, unknown>; custom?: boolean; tag?: string; secret?: boolean
}) {
  const [open, setOpen] = useState(false)
  const value = recorded ? walk(recorded, node.path) : undefined
  return (
    <>
      <div className="field-line out-line" style={{ paddingLeft: depth * 14 }}>
        {node.children.length > 0 ? (
          <button className="icon tiny nodrag" aria-expanded={open} aria-label={`${open ? 'Collapse' : 'Expand'} ${node.label}`} onClick={() => setOpen(!open)}>{open ? '▾' : '▸'}</button>
        ) : <span className="tw" />}
        <span
          className={`pill out ${readOnly ? 'ro' : 'nodrag nopan'}`}
          data-testid={`out-${node.path.join('.')}`}
          title={readOnly ? undefined : 'Drag onto an input of a later card'}
          onPointerDown={readOnly ? undefined : (e) => startDrag(e, { kind: 'output', card: card.id, path: node.path, label: node.label, type: node.type })}
        >{node.label}</span>
        {tag && depth === 0 && <span className="fgroup" data-testid="output-group">{tag}</span>}
        <span className="ftype">{typeLabel(node.type)}</span>
        {depth === 0 && (readOnly ? secret && <span className="secret-mark" title="Kept out of history" data-testid="secret-mark"><LockIcon open={false} /></span> : (
          <button className={`icon tiny nodrag secret-toggle ${secret ? 'on' : ''}`} aria-pressed={secret}
            aria-label={secret ? `Record output ${node.label} in history` : `Keep output ${node.label} out of history`}
            title={secret ? 'Secret: history shows •••••• instead of the value (click to record it again)' : 'Keep this value out of history (a password, a token)'}
            onClick={() => toggleSecret(card, node.path[0], !secret)}><LockIcon open={!secret} /></button>
        ))}
        {custom && depth === 0 && !readOnly && (
          <button className="icon tiny nodrag" aria-label={`Remove output ${node.label}`}
            onClick={() => requestRemoveOutput(card.id, node.path[0], node.label)}>×</button>
        )}
      </div>
      {recorded && depth === 0 && <RecordedValue value={value} testId="recorded-output" name={`${card.title ?? card.id} › ${node.label}`} />}
      {open && node.children.map((c) => <OutputNodeView key={c.path.join('.')} card={card} node={c} depth={depth + 1} readOnly={readOnly} />)}
    </>
  )
}

function walk(v: unknown, path: string[]): unknown {
  let cur = v
  for (const p of path) {
    if (cur && typeof cur === 'object') cur = (cur as Record<string, unknown>)[p]
    else return undefined
  }
  return cur
}

const TYPES = ['string', 'number', 'boolean', 'date', 'object', 'any', 'string[]', 'number[]', 'object[]']

function AddField({ card, side }: { card: Card; side: 'inputs' | 'outputs' }) {
  const [name, setName] = useState('')
  const [type, setType] = useState('string')
  const add = () => {
    const key = name.trim()
    if (!key) return
    const list = card[side] ?? []
    if (list.some((x) => x.key === key)) return
    designer.setCard(card.id, { [side]: [...list, { key, type }] })
    setName('')
  }
  return (
    <div className="addfield nodrag">
      <input aria-label={`New ${side === 'inputs' ? 'input' : 'output'} name`} placeholder={side === 'inputs' ? '+ input' : '+ output'} value={name}
        onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && add()} />
      <select aria-label={`New ${side === 'inputs' ? 'input' : 'output'} type`} value={type} onChange={(e) => setType(e.target.value)}>
        {TYPES.map((t) => <option key={t}>{t}</option>)}
      </select>
      <button onClick={add} disabled={!name.trim()}>Add</button>
    </div>
  )
}

/** chooseConnection sets a card's connection; on an import placeholder it
 * binds every card of the flow on it (designer.setConnection) and says so. */
function chooseConnection(card: Card, to: string | undefined, connections: Connection[], placeholders?: ReadonlyMap<string, ConnectionRef>) {
  const from = card.connection
  const n = designer.setConnection(card.id, to, (id) => connections.some((c) => c.id === id))
  if (n > 1 && from) {
    const name = placeholders?.get(from)?.name || from
    const conn = connections.find((c) => c.id === to)?.name ?? to
    designer.setNotice(`${conn} is now the connection of the ${n} cards that used “${name}”`)
  }
}

function Lane({ parent, name, cards, readOnly }: { parent: Card; name: string; cards: Card[]; readOnly: boolean }) {
  const dragging = useDrag((s) => s.active && (s.payload?.kind === 'spec' || s.payload?.kind === 'card'))
  const over = useDrag((s) => s.over?.kind === 'lane' && s.over.data.parent === parent.id && s.over.data.branch === name)
  // the whole lane takes drops (at its end); its gaps and end box place them exactly
  return (
    <div className="lane" data-testid={`lane-${name}`} data-drop={readOnly ? undefined : 'lane'} data-parent={parent.id} data-branch={name} data-index={cards.length}>
      {isClauses(parent) ? <ClauseHead parent={parent} name={name} readOnly={readOnly} /> : <div className="lane-name">{name}</div>}
      <div className="lane-cards">
        {cards.map((c, i) => (
          <div key={c.id} className="lane-slot">
            {!readOnly && <div className={`gap ${dragging ? 'show' : ''}`} data-drop="lane" data-parent={parent.id} data-branch={name} data-index={i} />}
            <CardView id={c.id} nested />
          </div>
        ))}
        {!readOnly && (
          <div className={`lane-end ${dragging ? 'show' : ''} ${over ? 'over' : ''}`} data-drop="lane" data-parent={parent.id} data-branch={name} data-index={cards.length}
            style={{ minWidth: cards.length ? 80 : NESTED_W / 2 }}>
            {cards.length ? '+' : 'Drop cards here'}
          </div>
        )}
      </div>
    </div>
  )
}

/** ExtraOutputs lists recorded outputs the card does not declare (e.g. the
 * profile attributes Read User returns); they can be added as outputs. */
function ExtraOutputs({ card, recorded, declared, readOnly }: { card: Card; recorded: Record<string, unknown>; declared: string[]; readOnly: boolean }) {
  const [open, setOpen] = useState(false)
  const extra = Object.keys(recorded).filter((k) => !declared.includes(k)).sort()
  if (!extra.length) return null
  return (
    <div className="extra-outputs">
      <button className="link small nodrag" aria-expanded={open} onClick={() => setOpen(!open)}>{open ? '▾' : '▸'} {extra.length} other field{extra.length > 1 ? 's' : ''} returned in this run</button>
      {open && extra.map((k) => (
        <div key={k} className="field out">
          <div className="field-line out-line">
            <span className="pill out ro">{k}</span>
            {!readOnly && <button className="link small nodrag" onClick={() => designer.setCard(card.id, { outputs: [...(card.outputs ?? []), { key: k, type: guessType(recorded[k]) }] })}>add as output</button>}
          </div>
          <RecordedValue value={recorded[k]} name={`${card.title ?? card.id} › ${k}`} />
        </div>
      ))}
    </div>
  )
}

function guessType(v: unknown): string {
  if (Array.isArray(v)) return 'any[]'
  if (v === null || v === undefined) return 'any'
  if (typeof v === 'object') return 'object'
  return typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string'
}
