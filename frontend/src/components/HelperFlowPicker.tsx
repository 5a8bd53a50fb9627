// The helper-flow part of a calling card (Call Flow, For Each, Map, Reduce,
// Filter Custom, streaming Okta list cards): the helper it calls (open it,
// change it, create one), and the helper's inputs mapped from the item,
// its index, a constant, or a wire.
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { call } from '../api/client'
import type { Card, Field, Flow, Problem, SpecDoc } from '../api/types'
import {
  autoMap, chooseHelper, draftInputs, draftMapping, draftRows, groupHelpers, helperRole, itemPaths, itemType, iterates, returnNote, rows, setSource, sourceOf,
  type DraftInput, type HelperFlow, type HelperRole, type Row, type Source,
} from '../model/helpers'
import { pillLabel } from '../model/wiring'
import { typeLabel, normType } from '../model/types'
import { designer, useDesigner } from '../store/designer'
import { useDrag } from '../store/drag'
import { go } from '../router'
import { Modal } from './Dialog'
import { saveOpen } from '../store/guard'
import { short } from './context'
import { ValueEditor } from './ValueEditor'

// ---- the stored flows as calling cards see them (one shared cache) ----

let helpers: HelperFlow[] | null = null
let loading: Promise<void> | null = null
const subs = new Set<() => void>()
const emit = () => subs.forEach((f) => f())

/** refreshHelpers reloads the flow list (after opening the picker, creating a helper, loading a flow). */
export function refreshHelpers(): Promise<void> {
  loading ??= call<HelperFlow[] | null>('HelperFlows')
    .then((r) => { helpers = r ?? [] })
    .catch(() => { helpers ??= [] })
    .finally(() => { loading = null; emit() })
  return loading
}

function useHelpers(): HelperFlow[] | null {
  const list = useSyncExternalStore((f) => { subs.add(f); return () => subs.delete(f) }, () => helpers)
  useEffect(() => { if (helpers === null) void refreshHelpers() }, [])
  return list
}

/** useCallers names the flows that call flowId (for the delete confirmation); '' gives none. */
export function useCallers(flowId: string): string[] {
  const list = useSyncExternalStore((f) => { subs.add(f); return () => subs.delete(f) }, () => helpers)
  useEffect(() => { if (flowId) void refreshHelpers() }, [flowId])
  return (flowId && list?.find((h) => h.id === flowId)?.callers) || NONE
}
const NONE: string[] = []

// ---- going to a helper and back ----

const CALLERS = 'flowbench.helperCallers'

function callers(): Record<string, { id: string; name: string }> {
  try {
    return JSON.parse(sessionStorage.getItem(CALLERS) ?? '{}') as Record<string, { id: string; name: string }>
  } catch {
    return {}
  }
}

/** openHelper saves the calling flow if it has unsaved changes (the new
 * helper link must not be lost), remembers the caller, and opens the helper. */
async function openHelper(helperId: string) {
  const st = designer.getState()
  const f = st.flow
  // saved as Ctrl+S saves: a change made elsewhere meanwhile asks with both versions
  if (f && !st.readOnly && designer.dirty() && !(await saveOpen())) return
  if (f && !st.readOnly) {
    sessionStorage.setItem(CALLERS, JSON.stringify({ ...callers(), [helperId]: { id: f.id, name: f.name } }))
  }
  go(`/flow/${helperId}`)
}

/** BackToCaller is the designer's "← back to <caller>" link when this flow
 * was opened from a calling card; it also refreshes the helper flows each
 * time a flow opens (a helper may have gained inputs meanwhile). */
export function BackToCaller({ flowId }: { flowId: string }) {
  useEffect(() => { void refreshHelpers() }, [flowId])
  const c = callers()[flowId]
  if (!c) return null
  // a bar under the toolbar (the toolbar has no room to spare in a 1280-wide window)
  return (
    <div className="hf-backbar">
      <button className="link hf-back" data-testid="back-to-caller" title={`Back to ${c.name}, the flow that calls this helper`}
        onClick={() => {
          if (designer.dirty() && !window.confirm('Leave without saving your changes?')) return
          go(`/flow/${c.id}`)
        }}>← back to {c.name}</button>
      <span className="muted small">this helper flow was opened from {c.name}</span>
    </div>
  )
}

// ---- the card section ----

const ROLE_TEXT: Record<HelperRole, string> = {
  call: 'Runs this helper flow and waits for its Return.',
  async: 'Starts this helper flow and goes on without waiting.',
  each: 'Runs this helper flow once per item of the list.',
  reduce: 'Runs this helper flow per item with the running memo.',
  stream: 'Streams each record to this helper flow (inputs Record and State).',
}

const CARD_TEXT: Record<string, string> = {
  'list.forEachIgnoreErrors': 'Runs this helper flow once per item and keeps going when an item fails.',
  'list.map': 'Runs this helper flow per item; the new list holds each Return.',
  'list.filterCustom': 'Runs this helper flow per item; keeps the items whose Return is true.',
  'list.findCustom': 'Runs this helper flow per item until its Return is true; outputs that item.',
  'object.map': 'Runs this helper flow once per key (item: key, value); its Return gives the new key and value.',
  'object.mapToList': 'Runs this helper flow once per key (item: key, value); the new list holds each Return.',
  'flow.repeat': 'Runs this helper flow count times with these inputs; context.index is the round.',
}

/** HelperSection is drawn on every card that calls a helper flow. */
export function HelperSection({ card, spec, problems, recorded, hasRec, readOnly }: {
  card: Card; spec?: SpecDoc; problems: Problem[]; recorded?: Record<string, unknown>; hasRec: boolean; readOnly: boolean
}) {
  const role = helperRole(card, spec)
  const all = useHelpers()
  const [picking, setPicking] = useState(false)
  const flow = useDesigner((s) => s.flow) as Flow
  if (!role) return null
  const h = card.flow ? all?.find((x) => x.id === card.flow) : undefined
  const missing = !!card.flow && all !== null && !h
  // (validation runs a moment after an edit: a stale "none chosen" is not shown once one is)
  const flowProblems = problems.filter((p) => p.kind === 'missing-flow' && !(card.flow && /no helper flow chosen/.test(p.message)))
  const title = card.title || spec?.title || card.type
  const list = rows(card, spec, h)
  const it = iterates(role) ? itemType(flow, designer.specs, card) : undefined
  // Return values the helper gained since it was chosen
  const newReturns = (h?.returns ?? []).map((r) => r.key).filter((k) => !(card.outputs ?? []).some((o) => o.key === k))

  return (
    <div className="hf" data-testid="helper-section">
      <div className="sect">Helper flow</div>
      <div className={`hf-row ${card.flow && !h ? 'bad' : ''}`}>
        {card.flow && h ? (
          <button className="link hf-name nodrag" data-testid="helper-open" title={`Open ${h.name}${h.folder ? ` (${h.folder})` : ''}`}
            onClick={() => void openHelper(h.id)}>↗ {h.name}</button>
        ) : card.flow ? (
          <span className="hf-name missing" data-testid="helper-missing">{all === null ? 'loading…' : `missing flow ${card.flow.slice(0, 12)}`}</span>
        ) : (
          <span className="hf-name none">no helper flow chosen</span>
        )}
        {!readOnly && (
          <button className="nodrag small" data-testid="helper-choose" aria-label={`Choose helper flow of ${title}`}
            onClick={() => { void refreshHelpers(); setPicking(true) }}>{card.flow ? 'Change…' : 'Choose…'}</button>
        )}
      </div>
      <div className="hf-note muted">{CARD_TEXT[card.type] ?? ROLE_TEXT[role]}</div>
      {h && h.trigger !== 'flow.helper' && <div className="problem">{h.name} does not start with a Helper Flow card</div>}
      {flowProblems.length > 0 && !missing && !(h && h.trigger !== 'flow.helper') && flowProblems.map((p, i) => (
        <div key={i} className="problem" role="alert" data-testid="helper-problem">{p.message}</div>
      ))}
      {missing && <div className="problem" role="alert" data-testid="helper-problem">The helper flow this card calls was deleted or not imported. Choose another.</div>}
      {role === 'call' && h && !readOnly && newReturns.length > 0 && (
        <button className="link small nodrag hf-returns" data-testid="helper-returns"
          onClick={() => designer.edit((f) => replaceCard(f, card.id, (c) => chooseHelper(c, spec, role, h)))}>
          + output{newReturns.length > 1 ? 's' : ''} {newReturns.join(', ')} from {h.name}’s Return
        </button>
      )}
      {returnNote(card.type, h) && <div className="problem warn" data-testid="helper-no-return">{returnNote(card.type, h)}</div>}
      {role === 'stream' && h && !h.inputs.some((x) => x.key === 'Record') && (
        <div className="problem warn">{h.name} has no input “Record”: each streamed record is passed as Record.</div>
      )}
      {role !== 'stream' && list.length > 0 && <div className="sect">Helper inputs</div>}
      {role !== 'stream' && list.map((r) => (
        <MapRow key={r.key} card={card} row={r} role={role} item={it} helper={h} problems={problems} recorded={recorded} hasRec={hasRec} readOnly={readOnly} />
      ))}
      {role !== 'stream' && h && list.length === 0 && <div className="hf-note muted">{h.name} declares no inputs.</div>}
      {picking && all && (
        <PickerDialog card={card} spec={spec} role={role} helpers={all} flow={flow} item={it}
          onClose={() => setPicking(false)} />
      )}
    </div>
  )
}

const ITEM = '__item'
const INDEX = '__index'
const VALUE = '__value'
const UNSET = ''

function MapRow({ card, row, role, item, helper, problems, recorded, hasRec, readOnly }: {
  card: Card; row: Row; role: HelperRole; item?: ReturnType<typeof itemType>; helper?: HelperFlow; problems: Problem[]
  recorded?: Record<string, unknown>; hasRec: boolean; readOnly: boolean
}) {
  const flow = useDesigner((s) => s.flow) as Flow
  const drag = useDrag((s) => (s.active && s.payload?.kind === 'output' ? s.payload : null))
  const over = useDrag((s) => s.over?.data.card === card.id && s.over?.data.key === row.key)
  const src = sourceOf(row.field)
  const [valueMode, setValueMode] = useState(src.kind === 'value')
  // choosing "a value…" puts the cursor in the value box that appears
  const srcBox = useRef<HTMLDivElement>(null)
  const [focusValue, setFocusValue] = useState(false)
  useEffect(() => {
    if (!focusValue) return
    srcBox.current?.querySelector<HTMLElement>('.val')?.focus()
    setFocusValue(false)
  }, [focusValue])
  const mine = problems.filter((p) => p.input === row.key)
  const hf: Field = row.input ?? { key: row.key, type: row.field?.type }
  const set = (s: Source) => designer.edit((f) => replaceCard(f, card.id, (c) => setSource(c, hf, s)), `hf:${card.id}:${row.key}`)
  const paths = itemPaths(item)
  const fid = `hf-${card.id}-${row.key}`
  const selected = src.kind === 'item' ? ITEM + (src.path ? '.' + src.path : '') : src.kind === 'index' ? INDEX : src.kind === 'value' || valueMode ? VALUE : UNSET
  return (
    <div className={`field in ${over ? 'over' : ''} ${drag ? 'droppable' : ''} ${mine.length || row.stale ? 'bad' : ''}`}
      data-drop={readOnly ? undefined : 'input'} data-card={card.id} data-key={row.key} data-testid={`input-${row.key}`}>
      <div className="field-line">
        <label htmlFor={fid} className="flabel">{row.label}</label>
        <span className="ftype">{typeLabel(row.type)}</span>
        {row.stale && !readOnly && (
          <button className="icon tiny nodrag" aria-label={`Remove input ${row.key}`}
            onClick={() => designer.clearInput(card.id, row.key)}>×</button>
        )}
      </div>
      {src.kind === 'wire' ? (
        <div className="pill bound" data-testid="binding-pill">
          <span className="pill-card">{pillLabel(flow, src.from, undefined, designer.specs).card}</span>
          <span className="pill-field" title={src.from.path.join('.')}>{pillLabel(flow, src.from, undefined, designer.specs).field}</span>
          {!readOnly && <button className="icon tiny nodrag" aria-label={`Unwire ${row.key}`} onClick={() => designer.unwire({ card: card.id, key: row.key })}>×</button>}
        </div>
      ) : !iterates(role) ? (
        // Call Flow: a value (or a field dropped here), as on any card
        <ValueEditor id={fid} type={row.type} value={src.kind === 'value' ? src.value : undefined} disabled={readOnly} label={`${row.label} value`}
          placeholder={drag ? 'drop here' : undefined}
          onChange={(v) => set(v === undefined ? { kind: 'unset' } : { kind: 'value', value: v })} />
      ) : (
        <div className="hf-src" ref={srcBox}>
          <select id={fid} className="nodrag" aria-label={`${row.label} comes from`} disabled={readOnly} value={selected}
            onChange={(e) => {
              const v = e.target.value
              setValueMode(v === VALUE)
              if (v === VALUE) setFocusValue(true)
              if (v === UNSET) set({ kind: 'unset' })
              else if (v === INDEX) set({ kind: 'index' })
              else if (v.startsWith(ITEM)) set({ kind: 'item', path: v.slice(ITEM.length + 1) })
              else if (v === VALUE && src.kind !== 'value') set({ kind: 'unset' })
            }}>
            <option value={UNSET}>{drag ? 'drop a field here' : '— not set —'}</option>
            {iterates(role) && <option value={ITEM}>item</option>}
            {iterates(role) && paths.map((p) => <option key={p.path} value={`${ITEM}.${p.path}`}>item › {p.path.split('.').join(' › ')}</option>)}
            {iterates(role) && src.kind === 'item' && src.path && !paths.some((p) => p.path === src.path) && (
              <option value={`${ITEM}.${src.path}`}>item › {src.path.split('.').join(' › ')}</option>
            )}
            {iterates(role) && <option value={INDEX}>index</option>}
            <option value={VALUE}>a value…</option>
          </select>
          {selected === VALUE && (
            <ValueEditor type={row.type} value={src.kind === 'value' ? src.value : undefined} disabled={readOnly} label={`${row.label} value`}
              onChange={(v) => set(v === undefined ? { kind: 'unset' } : { kind: 'value', value: v })} />
          )}
        </div>
      )}
      {hasRec && (src.kind === 'item' || src.kind === 'index'
        ? <div className="recorded muted" data-testid="recorded-input">per item (see the child runs)</div>
        : <div className="recorded" data-testid="recorded-input">{short(recorded?.[row.key])}</div>)}
      {row.stale && <div className="problem warn">{helper?.name ?? 'The helper'} has no input “{row.key}”</div>}
      {mine.map((p, i) => <div key={i} className={`problem ${p.severity === 'warning' ? 'warn' : ''}`}>{p.message}</div>)}
    </div>
  )
}

function replaceCard(f: Flow, id: string, fn: (c: Card) => Card): Flow {
  const walk = (cards: Card[]): Card[] => {
    let changed = false
    const out = cards.map((c) => {
      if (c.id === id) { changed = true; return fn(c) }
      if (!c.branches?.length) return c
      const branches = c.branches.map((b) => {
        const cs = walk(b.cards ?? [])
        return cs === b.cards ? b : { ...b, cards: cs }
      })
      if (branches.some((b, i) => b !== c.branches![i])) { changed = true; return { ...c, branches } }
      return c
    })
    return changed ? out : cards
  }
  const cards = walk(f.cards ?? [])
  return cards === f.cards ? f : { ...f, cards }
}

// ---- the picker ----

function PickerDialog({ card, spec, role, helpers: all, flow, item, onClose }: {
  card: Card; spec?: SpecDoc; role: HelperRole; helpers: HelperFlow[]; flow: Flow; item?: ReturnType<typeof itemType>; onClose: () => void
}) {
  const [q, setQ] = useState('')
  const [active, setActive] = useState(0)
  const [creating, setCreating] = useState(false)
  const groups = useMemo(() => groupHelpers(all, q, flow.id), [all, q, flow.id])
  const flat = groups.flatMap((g) => g.flows)
  const listRef = useRef<HTMLDivElement>(null)
  useEffect(() => setActive(0), [q])
  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' })
  }, [active])
  const pick = (h: HelperFlow) => {
    designer.edit((f) => replaceCard(f, card.id, (c) => chooseHelper(c, spec, role, h, iterates(role) ? autoMap(c, h, item) : {})))
    designer.setNotice(`${card.title || spec?.title || 'Card'} calls ${h.name}`)
    onClose()
  }
  if (creating) return <NewHelperDialog card={card} spec={spec} role={role} flow={flow} item={item} onClose={onClose} onBack={() => setCreating(false)} />
  return (
    <Modal title="Choose helper flow" onClose={onClose}>
      <div className="hf-picker nodrag nopan nowheel">
        <input autoFocus type="search" placeholder="Search helper flows" aria-label="Search helper flows" value={q}
          role="combobox" aria-expanded aria-controls="hf-options" aria-activedescendant={flat[active] ? `hf-opt-${flat[active].id}` : undefined}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => Math.min(a + 1, Math.max(flat.length - 1, 0))) }
            else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => Math.max(a - 1, 0)) }
            else if (e.key === 'Enter') { e.preventDefault(); if (flat[active]) pick(flat[active]) }
          }} />
        <div className="hf-list" id="hf-options" role="listbox" aria-label="Helper flows" ref={listRef}>
          {groups.map((g) => (
            <div key={g.folder} role="group" aria-label={g.folder || 'No folder'}>
              <div className="hf-folder">{g.folder || 'No folder'}</div>
              {g.flows.map((h) => {
                const i = flat.indexOf(h)
                return (
                  <div key={h.id} id={`hf-opt-${h.id}`} role="option" aria-selected={i === active} data-index={i}
                    className={`hf-opt ${i === active ? 'active' : ''} ${h.id === card.flow ? 'current' : ''}`}
                    onMouseEnter={() => setActive(i)} onClick={() => pick(h)}>
                    <span>{h.name}</span>
                    <span className="muted small">{h.inputs.length ? h.inputs.map((x) => x.key).join(', ') : 'no inputs'}</span>
                  </div>
                )
              })}
            </div>
          ))}
          {flat.length === 0 && <div className="muted hf-empty">{q ? `No helper flow matches “${q}”.` : 'No helper flows yet.'}</div>}
        </div>
        <div className="actions">
          <button data-testid="helper-new" onClick={() => setCreating(true)}>+ New helper flow…</button>
          <span className="grow" />
          <button onClick={onClose}>Cancel</button>
        </div>
      </div>
    </Modal>
  )
}

function NewHelperDialog({ card, spec, role, flow, item, onClose, onBack }: {
  card: Card; spec?: SpecDoc; role: HelperRole; flow: Flow; item?: ReturnType<typeof itemType>; onClose: () => void; onBack: () => void
}) {
  const draft = useMemo(() => draftInputs(role, card, spec, item), [role, card, spec, item])
  const [name, setName] = useState(`${flow.name} – ${card.title || spec?.title || 'helper'}`)
  const [folder, setFolder] = useState(flow.folder ?? '')
  // each row keeps its item mapping, so renaming "item" to "user" still maps the item
  const [rowsIn, setRows] = useState<DraftInput[]>(() => draftRows(draft))
  const inputs: Field[] = rowsIn.map((r) => r.field)
  const [err, setErr] = useState('')
  const [busy, setBusy] = useState(false)
  const create = async () => {
    setBusy(true)
    setErr('')
    try {
      const f = await call<Flow>('CreateHelperFlow', name, folder, inputs)
      await refreshHelpers()
      const h: HelperFlow = { id: f.id, name: f.name, folder: f.folder ?? '', trigger: f.trigger.type, inputs: f.trigger.outputs ?? [], returns: [] }
      const mapping = draftMapping(rowsIn)
      designer.edit((fl) => replaceCard(fl, card.id, (c) => chooseHelper(c, spec, role, h, mapping)))
      designer.setNotice(`Created helper flow ${f.name}`)
      onClose()
    } catch (e) {
      setErr((e as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Modal title="New helper flow" onClose={onClose}>
      <form className="hf-new nodrag nopan nowheel" onSubmit={(e) => { e.preventDefault(); void create() }}>
        <label className="form-row"><span>Name</span><input autoFocus aria-label="Helper flow name" value={name} onChange={(e) => setName(e.target.value)} /></label>
        <label className="form-row"><span>Folder</span><input aria-label="Helper flow folder" value={folder} onChange={(e) => setFolder(e.target.value)} /></label>
        <div className="form-row"><span>Inputs</span>
          <div className="hf-inputs">
            {rowsIn.map(({ field: x, map: m }, i) => (
              <div key={i} className="hf-input">
                <input aria-label={`Input ${i + 1} name`} value={x.key} onChange={(e) => setRows(rowsIn.map((y, j) => (j === i ? { ...y, field: { ...y.field, key: e.target.value } } : y)))} />
                <span className="ftype">{typeLabel(normType(x.type))}</span>
                {m && <span className="muted small">← {m.path ? `item › ${m.path}` : 'item'}</span>}
                <button type="button" className="icon tiny" aria-label={`Remove input ${x.key}`} onClick={() => setRows(rowsIn.filter((_, j) => j !== i))}>×</button>
              </div>
            ))}
            <button type="button" className="link small" onClick={() => setRows([...rowsIn, { field: { key: '', type: 'string' } }])}>+ input</button>
          </div>
        </div>
        <p className="muted small">The new flow starts with a Helper Flow card declaring these inputs{Object.keys(draft.mapping).length ? '; the card maps them from each item' : ''}.</p>
        {err && <div className="problem" role="alert">{err}</div>}
        <div className="actions">
          <button type="button" onClick={onBack}>← Back</button>
          <span className="grow" />
          <button type="button" onClick={onClose}>Cancel</button>
          <button className="primary" type="submit" disabled={busy || !name.trim()}>Create</button>
        </div>
      </form>
    </Modal>
  )
}
