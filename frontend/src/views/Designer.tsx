import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { ReactFlowProvider, useReactFlow } from '@xyflow/react'
import { api } from '../api/client'
import type { Connection, Execution, ExecutionSummary, SpecDoc, TriggerState } from '../api/types'
import { Canvas } from '../components/Canvas'
import { ErrorBox, statusClass } from '../components/CardView'
import { EnvCtx, flowIndex, TriggerCtx, type DesignerEnv } from '../components/context'
import { download, TextModal } from '../components/Dialog'
import { Palette } from '../components/Palette'
import { BackToCaller } from '../components/HelperFlowPicker'
import { RunPanel } from '../components/RunPanel'
import { insertIndex, layoutRow } from '../model/layout'
import { STATUS_POLL_MS, summarize } from '../model/trigger'
import { designer, useDesigner } from '../store/designer'
import { branchDrop, setDropHandler, type DragPayload, type DropTarget } from '../store/drag'
import { moveIndex } from '../model/tree'
import { loadConnections, loadSpecs, loadTables } from '../store/data'
import { go } from '../router'
import { DesignerTools } from '../components/DesignerTools'
import { ProblemsButton, ProblemsPanel } from '../components/ProblemsPanel'
import { view } from '../store/view'
import { DeleteGuard, requestDelete } from '../components/CardExtras'
import { ErrorHandlingDialog } from '../components/ErrorHandling'
import { requestTrigger, TriggerGuard } from '../components/TriggerGuard'
import { FlowEnvSelect } from '../components/Environments'
import { TestsButton } from '../components/FlowTests'
import { AttemptsBar } from '../components/Attempts'
import { CancelRunButton, cancelable } from '../components/CancelRun'
import { canvasInsertIndex } from '../components/Canvas'
import { setSaver } from '../store/guard'
import { DraftBanner } from '../components/DraftBanner'
import { reportConflict, SaveConflictGuard } from '../components/SaveConflict'
import { isConflictError } from '../model/conflict'
import { VersionsPanel } from '../components/VersionsPanel'
import { usePanelEscape } from '../components/PanelEscape'
import { ownsUndo } from '../model/keys'
import { flowFromRecord } from '../model/deletedflow'
import { OutputGuard } from '../components/OutputGuard'
import { errorPlace } from '../model/errorplace'
import { TimeoutField } from '../components/TimeoutField'

interface Props {
  flowId?: string
  executionId?: string
  onRendered?: () => void
}

/** Designer edits one flow (flowId) or shows one execution read-only (executionId). */
export function Designer(props: Props) {
  return (
    <ReactFlowProvider>
      <DesignerInner {...props} />
    </ReactFlowProvider>
  )
}

function DesignerInner({ flowId, executionId, onRendered }: Props) {
  const [specs, setSpecs] = useState<SpecDoc[]>([])
  const [env, setEnv] = useState<DesignerEnv | null>(null)
  const [error, setError] = useState('')
  const [exec, setExec] = useState<Execution | null>(null)
  const [panel, setPanel] = useState<'' | 'run' | 'settings' | 'problems' | 'versions'>('')
  usePanelEscape(panel, () => setPanel(''))
  const [shown, setShown] = useState<{ name: string; text: string } | null>(null)
  const [switching, setSwitching] = useState(false)
  const flow = useDesigner((s) => s.flow)
  const readOnly = useDesigner((s) => s.readOnly)
  const dirty = useDesigner((s) => s.flow !== null && JSON.stringify(s.flow) !== s.saved)
  const notice = useDesigner((s) => s.notice)
  const run = useDesigner((s) => s.run)
  const canUndo = useDesigner((s) => s.past.length > 0)
  const canRedo = useDesigner((s) => s.future.length > 0)
  const loadedId = useDesigner((s) => s.flow?.id ?? '')
  const enabled = useDesigner((s) => !!s.flow?.enabled)
  const enableError = useDesigner((s) => s.enableError)
  const trig = useDesigner((s) => s.trigger)
  const rf = useReactFlow()

  useEffect(() => {
    let live = true
    setEnv(null)
    ;(async () => {
      try {
        const [sp, conns, tables] = await Promise.all([loadSpecs(), loadConnections().catch(() => [] as Connection[]), loadTables(true)])
        designer.specs = sp.index
        let ex: Execution | null = null
        let f
        if (executionId) {
          ex = await api.getExecution(executionId)
          const run = ex
          // a deleted flow's runs stay in History: they show from their record
          f = await api.getFlow(ex.flow).catch((e: Error) => { if (/not found/.test(e.message)) return flowFromRecord(run); throw e })
        } else {
          f = await api.getFlow(flowId!)
        }
        if (!live) return
        designer.load(f, { readOnly: !!ex, run: ex })
        setExec(ex)
        setSpecs(sp.list)
        // names of the import placeholders its cards still use (a name only: the flow opens without it)
        const refs = await api.flowPlaceholders(f).catch(() => [])
        if (!live) return
        setEnv({ specs: sp.index, connections: conns, tables, openExecution: (id) => go(`/execution/${id}`),
          placeholders: new Map(refs.map((r) => [r.id, r])),
          addConnection: (c) => setEnv((e) => e && { ...e, connections: [...e.connections.filter((x) => x.id !== c.id), c] }) })
      } catch (e) {
        if (live) setError((e as Error).message)
      }
    })()
    return () => { live = false }
  }, [flowId, executionId])

  // live validation (debounced); only the answer for the latest version
  // shows (a slow answer about an older version never overwrites it)
  const validation = useRef(0)
  useEffect(() => {
    if (!flow || readOnly) return
    const t = setTimeout(() => {
      const n = ++validation.current
      api.validateFlow(flow).then((ps) => { if (n === validation.current) designer.setProblems(ps) }).catch(() => undefined)
    }, 350)
    return () => clearTimeout(t)
  }, [flow, readOnly])

  useEffect(() => {
    if (!notice) return
    const t = setTimeout(() => designer.setNotice(''), 3500)
    return () => clearTimeout(t)
  }, [notice])

  const refreshStatus = useCallback(async () => {
    const st = designer.getState()
    if (!st.flow || st.readOnly) return
    try {
      const ts = await api.triggerStatus(st.flow.id)
      designer.setTriggerState(ts)
      // switched elsewhere (home, another window) or turned off by the runtime
      if (ts.flow === designer.getState().flow?.id) designer.setEnabled(!!ts.enabled)
    } catch {
      // an older app without TriggerStatus, or the flow is gone: no status block
    }
  }, [])

  /** setEnabled switches the stored flow on or off; a failure (bad cron…) keeps it off. */
  const setEnabled = useCallback(async (on: boolean): Promise<boolean> => {
    const f = designer.getState().flow
    if (!f || designer.getState().readOnly) return false
    setSwitching(true)
    try {
      await api.setFlowEnabled(f.id, on)
      designer.setEnabled(on)
      designer.setEnableError('')
      return true
    } catch (e) {
      const msg = (e as Error).message
      if (on) designer.setEnabled(false)
      designer.setEnableError(msg)
      designer.setNotice(`Could not switch ${on ? 'on' : 'off'}: ${msg}`)
      return false
    } finally {
      setSwitching(false)
      void refreshStatus()
    }
  }, [refreshStatus])

  const save = useCallback(async (): Promise<boolean> => {
    const f = designer.getState().flow
    if (!f || designer.getState().readOnly) return false
    try {
      const r = await api.saveFlow(f)
      designer.markSaved(r.flow ?? f, r.problems ?? [])
      designer.setNotice(r.problems?.length ? `Saved with ${r.problems.length} problem(s)` : 'Saved')
    } catch (e) {
      if (isConflictError(e)) {
        void reportConflict(f) // both versions, and the choice, in a dialog
        return false
      }
      designer.setNotice(`Save failed: ${(e as Error).message}`)
      return false
    }
    // the runtime picks up saved edits of a flow that is on by itself (ResyncEvery)
    void refreshStatus()
    return true
  }, [refreshStatus])

  // trigger status: when the designer opens, after save/switch (enabled changes), every 5 s while on
  useEffect(() => {
    if (!loadedId || readOnly) return
    void refreshStatus()
    if (!enabled) return
    const t = setInterval(() => { if (!document.hidden) void refreshStatus() }, STATUS_POLL_MS)
    return () => clearInterval(t)
  }, [loadedId, readOnly, enabled, refreshStatus])

  const addAtEnd = useCallback((s: SpecDoc, byKey?: boolean) => {
    const st = designer.getState()
    if (!st.flow) return
    if (s.kind === 'trigger') return requestTrigger(s)
    const loc = st.selected ? flowIndex(st.flow).get(st.selected) : undefined
    const id = loc && loc.index >= 0 ? designer.addCard(s, loc.slot, loc.index + 1) : designer.addCard(s, {}, (st.flow.cards ?? []).length)
    // from the keyboard the new card takes the focus (its first input), as a
    // click on it would; from the pointer it is scrolled into view
    if (byKey) view.jump(id, s.inputs?.[0]?.key)
    else view.reveal(id)
  }, [])

  // drops from the pointer drag manager
  useEffect(() => {
    setDropHandler((p: DragPayload, t: DropTarget | null, x: number, y: number) => {
      const st = designer.getState()
      if (!st.flow || st.readOnly) return
      if (p.kind === 'output') {
        if (t?.kind === 'input') designer.wire({ card: p.card, path: p.path }, { card: t.data.card!, key: t.data.key! })
        else designer.setNotice('Drop the field onto an input of a card to its right')
        return
      }
      const el = document.elementFromPoint(x, y) as HTMLElement | null
      const inBranch = branchDrop(st.flow, el, x)
      const onCanvas = () => {
        const pos = rf.screenToFlowPosition({ x, y })
        return canvasInsertIndex(pos.x, pos.y) ?? insertIndex(layoutRow(st.flow!), st.flow!.trigger.id, pos.x)
      }
      if (p.kind === 'card') {
        // a card from a branch: into another place in a branch, or out onto the top-level row
        const into = inBranch?.slot.parent
        if (into && (into === p.id || flowIndex(st.flow).get(into)?.ancestors.includes(p.id))) designer.setNotice(`${p.title} cannot go into its own branches`)
        else if (inBranch) designer.move(p.id, inBranch.slot, moveIndex(st.flow, p.id, inBranch.slot, inBranch.index))
        else if (el?.closest('.canvas')) designer.move(p.id, {}, onCanvas())
        else designer.setNotice(`Drop ${p.title} on the canvas or into a branch to move it`)
        return
      }
      if (p.spec.kind === 'trigger') {
        if (t) requestTrigger(p.spec)
        else designer.setNotice(`Drop ${p.spec.title} on the canvas to make it the trigger`)
        return
      }
      if (inBranch) {
        designer.addCard(p.spec, inBranch.slot, inBranch.index)
        return
      }
      if (el?.closest('.canvas')) {
        designer.addCard(p.spec, {}, onCanvas())
        return
      }
      designer.setNotice(`Drop ${p.spec.title} on the canvas — or click it to add it after the selected card`)
    })
    return () => setDropHandler(null)
  }, [rf])

  // keyboard: Ctrl+S, undo/redo, copy/paste, delete
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const tgt = e.target as HTMLElement
      const typing = tgt.closest('input, textarea, select, [contenteditable]') !== null
      const mod = e.ctrlKey || e.metaKey
      const k = e.key.toLowerCase()
      if (mod && k === 's') {
        e.preventDefault()
        void save()
      } else if (mod && k === 'z' && !e.shiftKey && !ownsUndo(tgt)) {
        e.preventDefault()
        designer.undo()
      } else if (mod && (k === 'y' || (k === 'z' && e.shiftKey)) && !ownsUndo(tgt)) {
        e.preventDefault()
        designer.redo()
      } else if (typing) {
        return
      } else if (mod && k === 'c') {
        designer.copy()
      } else if (mod && k === 'v') {
        designer.paste()
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && designer.getState().selected) {
        e.preventDefault()
        requestDelete(designer.getState().selected!)
      } else if (e.key === 'Escape') {
        designer.select(null)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [save])

  // leaving with unsaved changes (links, Back, reload, window close) asks Save / Discard / Cancel (store/guard.ts)
  useEffect(() => (readOnly ? undefined : setSaver(save)), [save, readOnly])

  const rendered = useRef(false)
  const onReady = useCallback(() => {
    if (!rendered.current) {
      rendered.current = true
      onRendered?.()
    }
  }, [onRendered])

  const triggerActions = useMemo(() => ({ refresh: refreshStatus }), [refreshStatus])

  if (error) return <div className="page"><div className="problem" role="alert">{error}</div><button onClick={() => go('/')}>Back to flows</button></div>
  if (!env || !flow) return <div className="page muted">Loading…</div>

  const leave = (to: string) => go(to) // the leave guard asks when there are unsaved changes

  return (
    <EnvCtx.Provider value={env}>
      <div className="designer">
        <div className="toolbar" role="toolbar" aria-label="Flow">
          <button onClick={() => leave('/')} aria-label="Back to flows">←</button>
          {readOnly ? (
            <h1 className="flow-name">{flow.name}</h1>
          ) : (
            <input className="flow-name" aria-label="Flow name" placeholder="Name this flow" aria-invalid={!flow.name.trim() || undefined} size={Math.min(60, Math.max(20, flow.name.length + 2))} value={flow.name} onChange={(e) => designer.patchFlow({ name: e.target.value }, 'name')} />
          )}
          {!readOnly && <span className={`dirty ${dirty ? 'on' : ''}`} data-testid="dirty" title={dirty ? 'Unsaved changes' : 'Saved'}>{dirty ? '● Unsaved' : 'Saved'}</span>}
          {!readOnly && <ProblemsButton open={panel === 'problems'} onToggle={() => setPanel(panel === 'problems' ? '' : 'problems')} />}
          <span className="grow" />
          {!readOnly && (
            <FlowSwitch on={enabled} busy={switching} error={enableError} status={trig}
              onChange={(on) => void (on && designer.dirty() ? save().then((ok) => ok && setEnabled(true)) : setEnabled(on))} />
          )}
          {!readOnly && (
            <>
              <button onClick={() => designer.undo()} disabled={!canUndo} title="Undo (Ctrl+Z)" aria-label="Undo">↶</button>
              <button onClick={() => designer.redo()} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">↷</button>
            </>
          )}
          <DesignerTools />
          {!readOnly && <button onClick={() => setPanel(panel === 'settings' ? '' : 'settings')}>Settings</button>}
          {!readOnly && <FlowEnvSelect flowId={flow.id} />}
          {!exec && <TestsButton flowId={flow.id} flowName={flow.name} revision={flow.revision} />}
          {!exec && <button onClick={() => setPanel(panel === 'versions' ? '' : 'versions')} aria-pressed={panel === 'versions'}>Versions</button>}
          <button onClick={() => leave(`/history/${flow.id}`)}>History</button>
          <button onClick={async () => download(`${flow.name}.flow.json`, await api.exportFlow(flow.id), (name, text) => setShown({ name, text }))}>Export</button>
          {!readOnly && <button onClick={save} disabled={!dirty} title="Save (Ctrl+S)">Save</button>}
          {!readOnly && <button className="primary" onClick={() => setPanel('run')} data-testid="run">▶ Run</button>}
          {readOnly && exec && <button className="primary" onClick={() => go(`/flow/${exec.flow}`)}>Edit flow</button>}
        </div>
        <BackToCaller flowId={flow.id} />
        {!readOnly && <DraftBanner />}
        {run && <RunBar run={run} onClear={readOnly ? undefined : () => designer.setRun(null)} />}
        {readOnly && exec && exec.status !== 'running' && <AttemptsBar exec={exec} />}
        <div className="designer-body">
          {!readOnly && <Palette specs={specs} onAdd={addAtEnd} />}
          <TriggerCtx.Provider value={triggerActions}>
            <Canvas onReady={onReady} />
          </TriggerCtx.Provider>
          {panel === 'run' && !readOnly && <RunPanel flow={flow} onClose={() => setPanel('')} onRan={() => undefined} />}
          {panel === 'settings' && !readOnly && <SettingsPanel onClose={() => setPanel('')} />}
          {panel === 'problems' && !readOnly && <ProblemsPanel onClose={() => setPanel('')} />}
          {panel === 'versions' && !exec && <VersionsPanel flowId={flow.id} onSave={save} onClose={() => setPanel('')} />}
        </div>
        {notice && <div className="toast" role="status">{notice}</div>}
        {shown && <TextModal name={shown.name} text={shown.text} onClose={() => setShown(null)} />}
        <DeleteGuard />
        <ErrorHandlingDialog />
        <OutputGuard />
        <TriggerGuard />
        <SaveConflictGuard />
      </div>
    </EnvCtx.Provider>
  )
}

/** FlowSwitch is the toolbar's on/off switch with the trigger's state next to it. */
function FlowSwitch({ on, busy, error, status, onChange }: {
  on: boolean; busy: boolean; error: string; status: TriggerState | null; onChange: (on: boolean) => void
}) {
  const sum = summarize(status, on)
  const tip = error ? `Could not switch on: ${error}` : sum.detail ? `${sum.label}: ${sum.detail}` : sum.label
  return (
    <span className="flow-switch" data-testid="flow-switch" title={tip}>
      <label className="switch">
        <input type="checkbox" role="switch" checked={on} disabled={busy} aria-label="Flow on"
          onChange={(e) => onChange(e.target.checked)} />
        <span />
      </label>
      <span className={`tstate t-${error && !on ? 'bad' : sum.tone}`} data-testid="flow-state">
        {error && !on ? 'Off · error' : on ? sum.label : 'Off'}
      </span>
    </span>
  )
}

function RunBar({ run, onClear }: { run: Execution; onClear?: () => void }) {
  // a run in progress has no end yet (its record holds the zero time)
  const inProgress = run.status === 'running'
  const ms = inProgress ? NaN : new Date(run.ended).getTime() - new Date(run.started).getTime()
  return (
    <div className={`runbar ${statusClass(run.status)}`} data-testid="runbar" role="status">
      <strong>{run.status}</strong>
      <span>{new Date(run.started).toLocaleString()}</span>
      <span>{isFinite(ms) && ms >= 0 ? `${ms} ms` : inProgress ? 'in progress' : ''}</span>
      <span>trigger: {run.trigger ?? 'manual'}</span>
      {run.parent && <button className="link" onClick={() => go(`/execution/${run.parent}`)}>parent run</button>}
      {run.error && <ErrorBox err={run.error} where={errorPlace(run.error, designer.getState().flow, designer.specs, true)} />}
      <span className="grow" />
      {/* the execution view is this run's place in history; a flow that saves no history keeps no run to open */}
      {!designer.getState().readOnly && (designer.getState().flow?.settings?.history
        ? <button className="link" onClick={() => go(`/execution/${run.id}`)}>open in history</button>
        : <span className="muted" data-testid="run-not-kept" title="Turn on Save history in the flow's Settings to keep its runs">not kept: history is off for this flow</span>)}
      {designer.getState().readOnly && cancelable(run.status) && (
        <CancelRunButton row={{ id: run.id, flow: run.flow, flowName: run.flowName, status: run.status, started: run.started } as ExecutionSummary}
          onCanceled={() => setTimeout(() => location.reload(), 700) /* the run ends once its card in flight returns */} />
      )}
      {onClear && <button className="icon" aria-label="Clear run results" onClick={onClear}>×</button>}
    </div>
  )
}

function SettingsPanel({ onClose }: { onClose: () => void }) {
  const flow = useDesigner((s) => s.flow)!
  const s = flow.settings ?? { history: false }
  const set = (patch: Partial<typeof s>) => designer.patchFlow({ settings: { ...s, ...patch } })
  const num = (v: string) => (v === '' ? undefined : Math.max(0, Math.floor(Number(v)) || 0))
  return (
    <aside className="side-panel" aria-label="Flow settings">
      <header><h2>Settings</h2><button className="icon" aria-label="Close settings" onClick={onClose}>×</button></header>
      <label className="check"><input type="checkbox" checked={!!s.history} onChange={(e) => set({ history: e.target.checked })} /> Save history (every card's inputs and outputs)</label>
      <label className="form-row"><span>Keep the last N runs (0 = all)</span><input type="number" min={0} value={s.keepLast ?? 0} onChange={(e) => set({ keepLast: num(e.target.value) })} /></label>
      <label className="form-row"><span>Keep runs for N days (0 = forever)</span><input type="number" min={0} value={s.keepDays ?? 0} onChange={(e) => set({ keepDays: num(e.target.value) })} /></label>
      <TimeoutField value={s.timeout && s.timeout !== '0s' ? s.timeout : ''} onChange={(timeout) => set({ timeout })} />
      <label className="form-row"><span>Concurrency (For Each / Map)</span><input type="number" min={1} value={s.concurrency ?? 1} onChange={(e) => set({ concurrency: num(e.target.value) })} /></label>
      <label className="form-row"><span>Description</span><textarea rows={3} value={flow.description ?? ''} onChange={(e) => designer.patchFlow({ description: e.target.value || undefined }, 'desc')} /></label>
      <p className="muted">Save the flow to keep these settings.</p>
    </aside>
  )
}
