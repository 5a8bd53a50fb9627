// Versions panel (issue 16 point 2): lists the saved versions of the flow,
// compares any two on the canvas (the Go diff, engine/diff.go), restores
// any one as a new save. Unsaved edits are saved or discarded first.
import { useCallback, useEffect, useState } from 'react'
import { posText, versionsApi, type CardChange, type FieldChange, type FlowVersion } from '../api/versions'
import { api } from '../api/client'
import { designer, useDesigner } from '../store/designer'
import { cardDiffClass, fieldChange, useCardDiff, useVersionDiff, versionDiff } from '../store/versionDiff'
import { allCards } from '../model/tree'
import { cardTitle } from '../model/problems'
import './versions.css'

interface Props {
  flowId: string
  /** save the designer's edits (false: not saved) */
  onSave: () => Promise<boolean>
  onClose: () => void
}

type Pending = { what: 'compare' } | { what: 'restore'; rev: number }

export function VersionsPanel({ flowId, onSave, onClose }: Props) {
  const [versions, setVersions] = useState<FlowVersion[] | null>(null)
  const [a, setA] = useState(0)
  const [b, setB] = useState(0)
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const [pending, setPending] = useState<Pending | null>(null)
  const shown = useVersionDiff()
  const dirty = useDesigner((s) => s.flow !== null && !s.readOnly && JSON.stringify(s.flow) !== s.saved)
  const revision = useDesigner((s) => s.flow?.revision ?? 0)

  const refresh = useCallback(async () => {
    try {
      const vs = await versionsApi.list(flowId)
      setVersions(vs)
      // default: the previous version against the newest
      setB((cur) => (cur && vs.some((v) => v.revision === cur) ? cur : vs[0]?.revision ?? 0))
      setA((cur) => (cur && vs.some((v) => v.revision === cur) ? cur : vs[1]?.revision ?? vs[0]?.revision ?? 0))
    } catch (e) {
      setError((e as Error).message)
    }
  }, [flowId])
  useEffect(() => { void refresh() }, [refresh, revision])

  const backToEditing = useCallback(async () => {
    if (!versionDiff.get()) return
    versionDiff.clear()
    try {
      designer.load(await api.getFlow(flowId))
    } catch (e) {
      setError((e as Error).message)
    }
  }, [flowId])

  // leaving the panel (or the flow) ends the comparison
  useEffect(() => () => {
    if (versionDiff.get()) {
      versionDiff.clear()
      void api.getFlow(flowId).then((f) => { if (designer.getState().flow?.id === flowId) designer.load(f) }).catch(() => undefined)
    }
  }, [flowId])

  const compare = async () => {
    setError('')
    setBusy(true)
    try {
      const [lo, hi] = a <= b ? [a, b] : [b, a]
      const d = await versionsApi.diff(flowId, lo, hi)
      designer.load(d.merged, { readOnly: true })
      versionDiff.show(flowId, d)
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  const restore = async (rev: number) => {
    setError('')
    setBusy(true)
    try {
      if (versionDiff.get()) {
        // leave the read-only comparison for the stored flow: the restore replaces it (and Ctrl+Z brings it back)
        versionDiff.clear()
        designer.load(await api.getFlow(flowId))
      }
      const base = designer.getState().flow?.revision ?? 0
      const r = await versionsApi.restore(flowId, rev, base)
      designer.restored(r.flow, r.problems ?? [])
      designer.setNotice(`Restored version ${rev} as version ${r.flow.revision}`)
      await refresh()
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  /** guard runs an action, asking first when the flow has unsaved edits. */
  const guard = (p: Pending) => {
    if (designer.getState().readOnly || !designer.dirty()) return void run(p)
    setPending(p)
  }
  const run = (p: Pending) => (p.what === 'compare' ? compare() : restore(p.rev))
  const answer = async (choice: 'save' | 'discard' | 'cancel') => {
    const p = pending
    setPending(null)
    if (!p || choice === 'cancel') return
    if (choice === 'save') {
      if (!(await onSave())) return
    } else {
      designer.discard()
    }
    await run(p)
  }

  const d = shown?.flowId === flowId ? shown.diff : null
  return (
    <aside className="side-panel versions-panel" aria-label="Versions">
      <header>
        <h2>Versions</h2>
        <button className="icon" aria-label="Close versions" onClick={onClose}>×</button>
      </header>
      {error && <div className="problem" role="alert">{error}</div>}
      {pending && (
        <div className="versions-guard" role="alertdialog" aria-label="Unsaved changes">
          <p>This flow has unsaved changes. Save them first{pending.what === 'restore' ? ' (they stay in the version list)' : ''}, or discard them?</p>
          <div className="row">
            <button className="primary" onClick={() => void answer('save')}>Save and continue</button>
            <button onClick={() => void answer('discard')}>Discard</button>
            <button onClick={() => void answer('cancel')}>Cancel</button>
          </div>
        </div>
      )}
      {d ? (
        <DiffSummary a={d.a} b={d.b} diff={d.diff} onBack={() => void backToEditing()} />
      ) : (
        <p className="muted">Every save is a version. Pick two to compare on the canvas, or restore one.</p>
      )}
      {versions === null ? (
        <p className="muted">Loading…</p>
      ) : versions.length === 0 ? (
        <p className="muted">No versions yet: save the flow to make one.</p>
      ) : (
        <>
          <table className="versions-table">
            <thead>
              <tr><th title="older side">A</th><th title="newer side">B</th><th>Version</th><th>Saved</th><th /></tr>
            </thead>
            <tbody>
              {versions.map((v, i) => (
                <tr key={v.revision} data-testid={`version-${v.revision}`} className={v.revision === a || v.revision === b ? 'picked' : ''}>
                  <td><input type="radio" name="ver-a" aria-label={`Compare from version ${v.revision}`} checked={a === v.revision} onChange={() => setA(v.revision)} /></td>
                  <td><input type="radio" name="ver-b" aria-label={`Compare to version ${v.revision}`} checked={b === v.revision} onChange={() => setB(v.revision)} /></td>
                  <td>
                    <strong>{v.revision}</strong>{i === 0 && <span className="tag">current</span>}
                    <div className="muted small">{v.cards} card{v.cards === 1 ? '' : 's'}{v.restoredFrom ? ` · restored from ${v.restoredFrom}` : ''}</div>
                  </td>
                  <td className="small">{new Date(v.saved).toLocaleString()}</td>
                  <td>{i > 0 && <button className="small" disabled={busy} aria-label={`Restore version ${v.revision}`} onClick={() => guard({ what: 'restore', rev: v.revision })}>Restore</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            <button className="primary" disabled={busy || !a || !b || a === b} onClick={() => guard({ what: 'compare' })}>Compare on canvas</button>
            {a === b && <span className="muted small">pick two different versions</span>}
            {dirty && <span className="muted small">unsaved edits are not a version yet</span>}
          </div>
        </>
      )}
    </aside>
  )
}

function DiffSummary({ a, b, diff, onBack }: { a: number; b: number; diff: import('../api/versions').FlowDiff; onBack: () => void }) {
  return (
    <div className="diff-summary" data-testid="diff-summary" role="status">
      <div className="row">
        <strong>Version {a} → version {b}</strong>
        <span className="grow" />
        <button onClick={onBack}>Back to editing</button>
      </div>
      {diff.same ? (
        <p>No changes.</p>
      ) : (
        <>
          <p className="diff-counts">
            <span className="d-added">{diff.added} added</span> · <span className="d-removed">{diff.removed} removed</span> ·{' '}
            <span className="d-moved">{diff.moved} moved</span> · <span className="d-changed">{diff.changed} changed</span>
          </p>
          {diff.flow?.map((f, i) => <div key={i} className="small">flow {f.key}: {changeText(f)}</div>)}
          <ul className="diff-list">
            {diff.cards.map((c) => (
              <li key={c.id} className={cardDiffClass(c)}>
                <button className="link" onClick={() => focusCard(c.id)}>{c.title}</button> {cardChangeText(c)}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}

function focusCard(id: string) {
  const el = document.querySelector<HTMLElement>(`.card[data-card="${CSS.escape(id)}"]`)
  el?.scrollIntoView({ block: 'nearest', inline: 'nearest' })
  el?.focus({ preventScroll: true })
}

/** shownTitle names a card of the flow on the canvas (the comparison shows both versions' cards). */
function shownTitle(id: string): string | undefined {
  const flow = designer.getState().flow
  const c = flow ? allCards(flow).find((x) => x.id === id) : undefined
  return c ? cardTitle(c, designer.specs) : undefined
}

/** cardChangeText says what happened to a card, as the CLI does. */
export function cardChangeText(c: CardChange, titleOf: (id: string) => string | undefined = shownTitle): string {
  if (c.added) return `added at ${posText(c.to, titleOf)}`
  if (c.removed) return `removed from ${posText(c.from, titleOf)}`
  const parts: string[] = []
  if (c.moved) parts.push(`moved ${posText(c.from, titleOf)} → ${posText(c.to, titleOf)}`)
  if (c.fields?.length) parts.push(`${c.fields.length} change${c.fields.length === 1 ? '' : 's'}`)
  return parts.join(', ')
}

function changeText(f: FieldChange): string {
  if (f.change === 'added') return `+ ${f.new ?? ''}`
  if (f.change === 'removed') return `− ${f.old ?? ''}`
  return `${f.old || '(none)'} → ${f.new || '(none)'}`
}

/** CardDiffBadge marks a card in the comparison (in its head). */
export function CardDiffBadge({ cardId }: { cardId: string }) {
  const c = useCardDiff(cardId)
  if (!c) return null
  const label = c.added ? 'added' : c.removed ? 'removed' : [c.moved ? 'moved' : '', c.fields?.length ? 'changed' : ''].filter(Boolean).join(' · ')
  return <span className={`diff-badge ${cardDiffClass(c)}`} data-testid="diff-badge" title={cardChangeText(c)}>{label}</span>
}

/** CardDiffNotes lists a card's changes that are not an input drawn on it
 * (title, connection, outputs, removed inputs, where it moved from). */
export function CardDiffNotes({ cardId, shownKeys }: { cardId: string; shownKeys: string[] }) {
  const c = useCardDiff(cardId)
  if (!c || c.added || c.removed) return null
  const rest = (c.fields ?? []).filter((f) => !((f.kind === 'input' || f.kind === 'binding') && shownKeys.includes(f.key)))
  if (!c.moved && rest.length === 0) return null
  return (
    <div className="diff-notes" data-testid="diff-notes">
      {c.moved && <div>moved from {posText(c.from, shownTitle)} to {posText(c.to, shownTitle)}</div>}
      {rest.map((f, i) => <div key={i}><span className="dk">{f.kind === 'card' ? f.key : `${f.kind} ${f.key}`}</span>: {changeText(f)}</div>)}
    </div>
  )
}

/** FieldDiffNote shows under an input what it was in the older version. */
export function FieldDiffNote({ cardId, fieldKey, group }: { cardId: string; fieldKey: string; group?: string }) {
  const c = useCardDiff(cardId)
  const f = fieldChange(c, fieldKey, group)
  if (!f) return null
  return (
    <div className={`field-diff ${f.kind}`} data-testid="field-diff">
      {f.kind === 'binding' ? 'binding ' : ''}{f.change === 'added' ? 'was: (none)' : `was: ${f.old || '(none)'}`}
    </div>
  )
}

/** useFieldDiffClass is an input's class in the comparison. */
export function useFieldDiffClass(cardId: string, fieldKey: string, group?: string): string {
  const c = useCardDiff(cardId)
  return fieldChange(c, fieldKey, group) ? 'diff-field' : ''
}
