import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { api } from '../api/client'
import type { FlowSummary, ImportReport, TriggerState } from '../api/types'
import { Confirm, download, Prompt, TextModal } from '../components/Dialog'
import { ImportDialog } from '../components/ImportReport'
import { statusClass } from '../components/CardView'
import { ago } from '../format'
import { homeBadge } from '../model/trigger'
import { go } from '../router'
import { forgetTables } from '../store/data'
import { hasDraft } from '../store/drafts'
import { useCallers } from '../components/HelperFlowPicker'
import { FlowTestBadge, useTestStatuses } from '../components/FlowTests'
import { FlowEnvBadge } from '../components/Environments'

type Dialog =
  | { kind: 'new' }
  | { kind: 'rename'; flow: FlowSummary }
  | { kind: 'delete'; flow: FlowSummary }
  | { kind: 'import'; report: ImportReport }
  | { kind: 'text'; name: string; text: string }
  | null

interface Last { id?: string; status?: string; started?: string }

function lastRun(f: FlowSummary): Last | undefined {
  return (f.lastRun as Last | undefined) ?? undefined
}

export function Home({ onRendered }: { onRendered?: () => void }) {
  const [flows, setFlows] = useState<FlowSummary[] | null>(null)
  const [q, setQ] = useState('')
  const [err, setErr] = useState('')
  const [dialog, setDialog] = useState<Dialog>(null)
  const callers = useCallers(dialog?.kind === 'delete' ? dialog.flow.id : '')
  const fileRef = useRef<HTMLInputElement>(null)

  const reload = useCallback(() => api.listFlows().then(setFlows).catch((e) => setErr((e as Error).message)), [])
  const tests = useTestStatuses()
  useEffect(() => { void reload() }, [reload])
  const states = useTriggerStates(flows)
  const rendered = useRef(false)
  useEffect(() => {
    if (flows && !rendered.current) {
      rendered.current = true
      requestAnimationFrame(() => onRendered?.())
    }
  }, [flows, onRendered])

  const groups = useMemo(() => {
    const needle = q.trim().toLowerCase()
    const m = new Map<string, FlowSummary[]>()
    for (const f of flows ?? []) {
      if (needle && !`${f.name} ${f.folder ?? ''} ${f.description ?? ''}`.toLowerCase().includes(needle)) continue
      const k = f.folder || 'Unfiled'
      m.set(k, [...(m.get(k) ?? []), f])
    }
    return [...m.entries()].sort(([a], [b]) => (a === 'Getting started' ? -1 : b === 'Getting started' ? 1 : a.localeCompare(b)))
  }, [flows, q])

  const act = async (fn: () => Promise<unknown>) => {
    setErr('')
    try {
      await fn()
    } catch (e) {
      setErr((e as Error).message)
    }
    await reload()
  }

  const onImport = async (file: File) => {
    const text = await file.text()
    await act(async () => {
      const report = await api.importText(file.name, text)
      forgetTables() // an import may bring tables
      setDialog({ kind: 'import', report })
    })
  }

  const showText = (name: string, text: string) => setDialog({ kind: 'text', name, text })

  return (
    <div className="page home">
      <div className="page-head">
        <h1>Flows</h1>
        <input type="search" className="search" placeholder="Search flows…" aria-label="Search flows" value={q} onChange={(e) => setQ(e.target.value)} />
        <span className="grow" />
        <button onClick={() => fileRef.current?.click()}>Import…</button>
        <input ref={fileRef} type="file" hidden accept=".json,.flow,.folder,.flopack" aria-label="Import file"
          onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void onImport(f) }} />
        <button className="primary" onClick={() => setDialog({ kind: 'new' })}>+ New flow</button>
      </div>
      {err && <div className="problem" role="alert">{err}</div>}
      {!flows && <p className="muted">Loading…</p>}
      {flows && !groups.length && <p className="muted">{q ? `No flow matches “${q}”.` : 'No flows yet: create one or import a file.'}</p>}
      {groups.map(([folder, list]) => (
        <section key={folder} className="folder" aria-label={`Folder ${folder}`}>
          <div className="folder-head">
            <h2>
              <svg className="folder-icon" width="16" height="14" viewBox="0 0 16 14" aria-hidden="true">
                <path d="M1 2.5A1.5 1.5 0 0 1 2.5 1h3.6l1.6 1.8h5.8A1.5 1.5 0 0 1 15 4.3v7.2a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 1 11.5z" fill="currentColor" opacity="0.55" />
              </svg>{' '}
              {folder}
            </h2>
            <span className="muted">{list.length} flow{list.length > 1 ? 's' : ''}</span>
            <span className="grow" />
            {folder !== 'Unfiled' && (
              <button className="link" onClick={() => act(async () => download(`${folder}.folder.json`, await api.exportFolder(folder), showText))}>Export folder</button>
            )}
          </div>
          <table className="flows">
            <thead><tr><th>Name</th><th>On</th><th>Last run</th><th><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {list.map((f) => {
                const lr = lastRun(f)
                return (
                  <tr key={f.id} data-testid={`flow-${f.name}`}>
                    <td>
                      <a href={`#/flow/${encodeURIComponent(f.id)}`} className="flow-link">{f.name}</a>
                      <FlowTestBadge status={tests[f.id]} />
                      {hasDraft(f.id) && <span className="badge st-warn draft-mark" data-testid="draft-mark" title="Unsaved changes are kept for this flow: open it to restore or discard them">unsaved changes</span>}
                      {f.description ? <div className="muted small">{String(f.description)}</div> : null}
                    </td>
                    <td>
                      <label className="switch" title={f.enabled ? 'On' : 'Off'}>
                        <input type="checkbox" role="switch" checked={!!f.enabled} aria-label={`Turn ${f.name} ${f.enabled ? 'off' : 'on'}`}
                          onChange={(e) => act(() => api.setFlowEnabled(f.id, e.target.checked))} />
                        <span />
                      </label>
                      <TriggerBadge s={f.enabled ? states.get(f.id) : undefined} />
                      <FlowEnvBadge flowId={f.id} enabled={!!f.enabled} />
                    </td>
                    <td>
                      {lr?.status ? (
                        <a href={lr.id ? `#/execution/${lr.id}` : `#/history/${f.id}`} className={`badge ${statusClass(lr.status)}`}>{lr.status}</a>
                      ) : <span className="muted">never</span>}
                      {lr?.started && <span className="muted small"> {ago(lr.started)}</span>}
                    </td>
                    <td className="row-actions">
                      <button className="link" onClick={() => go(`/history/${f.id}`)}>History</button>
                      <button className="link" onClick={() => setDialog({ kind: 'rename', flow: f })}>Rename</button>
                      <button className="link" onClick={() => act(() => api.duplicateFlow(f.id))}>Duplicate</button>
                      <button className="link" onClick={() => act(async () => download(`${f.name}.flow.json`, await api.exportFlow(f.id), showText))}>Export</button>
                      <button className="link danger" onClick={() => setDialog({ kind: 'delete', flow: f })}>Delete</button>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </section>
      ))}
      {dialog?.kind === 'new' && (
        <Prompt title="New flow" label="Name" extra={{ label: 'Folder', initial: groups[0]?.[0] && groups[0][0] !== 'Unfiled' ? groups[0][0] : '' }} action="Create"
          onCancel={() => setDialog(null)}
          onOk={(name, folder) => act(async () => { const f = await api.createFlow(name, folder); setDialog(null); go(`/flow/${f.id}`) })} />
      )}
      {dialog?.kind === 'rename' && (
        <Prompt title="Rename flow" label="Name" initial={dialog.flow.name} action="Rename" onCancel={() => setDialog(null)}
          onOk={(name) => act(async () => { await api.renameFlow(dialog.flow.id, name); setDialog(null) })} />
      )}
      {dialog?.kind === 'delete' && (
        <Confirm title="Delete flow" message={`Delete “${dialog.flow.name}”? ${callers.length ? `It is the helper flow of ${callers.join(', ')}; their cards will show a missing helper. ` : ''}Its history goes too. This cannot be undone.`}
          onNo={() => setDialog(null)} onYes={() => act(async () => { await api.deleteFlow(dialog.flow.id); setDialog(null) })} />
      )}
      {dialog?.kind === 'import' && (
        <ImportDialog report={dialog.report} flowName={(id) => flows?.find((f) => f.id === id)?.name ?? id} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'text' && <TextModal name={dialog.name} text={dialog.text} onClose={() => setDialog(null)} />}
    </div>
  )
}

const HOME_POLL_MS = 15000

/** useTriggerStates fetches TriggerStatus of the flows that are on (only
 * those), again when the list changes and every 15 s while the page shows. */
function useTriggerStates(flows: FlowSummary[] | null): Map<string, TriggerState> {
  const [states, setStates] = useState<Map<string, TriggerState>>(() => new Map())
  const ids = useMemo(() => (flows ?? []).filter((f) => f.enabled).map((f) => f.id).join('\n'), [flows])
  useEffect(() => {
    const list = ids ? ids.split('\n') : []
    if (!list.length) {
      setStates(new Map())
      return
    }
    let live = true
    const load = async () => {
      if (document.hidden) return
      const got = await Promise.all(list.map((id) => api.triggerStatus(id).catch(() => null)))
      if (!live) return
      const m = new Map<string, TriggerState>()
      got.forEach((s, i) => { if (s) m.set(list[i], s) })
      setStates(m)
    }
    void load()
    const t = setInterval(() => void load(), HOME_POLL_MS)
    return () => { live = false; clearInterval(t) }
  }, [flows, ids])
  return states
}

function TriggerBadge({ s }: { s?: TriggerState }) {
  const b = homeBadge(s)
  if (!b) return null
  return <span className={`tbadge t-${b.tone}`} title={b.title} data-testid="trigger-badge">{b.text}</span>
}
