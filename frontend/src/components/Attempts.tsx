import { useEffect, useState } from 'react'
import { attemptsApi, type AttemptSummary, type ResumePlan } from '../api/attempts'
import type { Execution, ExecutionSummary } from '../api/types'
import { attemptLabel, changeText } from '../model/attempts'
import { go } from '../router'
import { statusClass } from './CardView'
import { Modal } from './Dialog'
import { SaveAsTest } from './FlowTests'
import { EnvBadge } from './Environments'
import './attempts.css'

/** AttemptBadge: a history row's link to the execution it resumed or re-ran. */
export function AttemptBadge({ row }: { row: ExecutionSummary }) {
  const r = row as AttemptSummary
  if (!r.attemptOf) return null
  return (
    <span className="badge attempt-badge" data-testid="attempt-badge" title={`${attemptLabel(r.attemptKind)} execution ${r.attemptOf}`}>
      {r.attemptKind === 'rerun' ? 're-run' : 'resumed'} ·{' '}
      <a href={`#/execution/${r.attemptOf}`} onClick={(e) => e.stopPropagation()}>attempt of {r.attemptOf.slice(-6)}</a>
    </span>
  )
}

/** TemporalLink: where a run made on a Temporal cluster ran (temporal://HOST:PORT/NAMESPACE/WORKFLOW/RUN). */
export function TemporalLink({ link }: { link?: string }) {
  if (!link) return null
  const parts = link.replace(/^temporal:\/\//, '').split('/')
  const [host, ns, wf, run] = parts
  return (
    <span className="badge" data-testid="temporal-link" title={`Ran on the Temporal cluster ${host}, namespace ${ns}: workflow ${wf}, run ${run}`}>
      Temporal workflow <code className="selectable">{wf ?? link}</code>{ns ? <span className="muted small"> · {ns} @ {host}</span> : null}
    </span>
  )
}

/** AttemptsBar (execution view): every linked attempt, and Resume / Re-run. */
export function AttemptsBar({ exec }: { exec: Execution }) {
  const [rows, setRows] = useState<AttemptSummary[]>([])
  const [plan, setPlan] = useState<ResumePlan | null>(null)
  const [asking, setAsking] = useState<'' | 'resume' | 'rerun'>('')
  const [busy, setBusy] = useState(false)
  const [err, setErr] = useState('')
  useEffect(() => {
    attemptsApi.list(exec.id).then(setRows).catch(() => setRows([]))
    if (!exec.parent) attemptsApi.plan(exec.id).then(setPlan).catch((e) => setErr((e as Error).message))
  }, [exec.id, exec.parent])
  if (exec.parent) return null
  const reusedIds = (exec as Execution & { reused?: string[] }).reused ?? []
  const reused = reusedIds.map((id) => exec.cards.find((c) => c.id === id)?.title || id)
  // a re-run or resume binds its connections in the environment this run used
  const ranIn = (exec as Execution & { environment?: string }).environment
  const envNote = ranIn ? <> It runs in <strong data-testid="retry-env">{ranIn}</strong>, as this run did.</> : null
  const canResume = plan && (exec.status === 'failed' || exec.status === 'timeout' || exec.status === 'canceled')
  const act = (kind: 'resume' | 'rerun') => {
    setBusy(true)
    setErr('')
    ;(kind === 'resume' ? attemptsApi.resume(exec.id) : attemptsApi.rerun(exec.id))
      .then((ex) => { setAsking(''); go(`/execution/${ex.id}`) })
      .catch((e) => setErr((e as Error).message))
      .finally(() => setBusy(false))
  }
  return (
    <div className="attempts-bar" data-testid="attempts">
      <EnvBadge row={exec as unknown as { environment?: string; tenants?: string[] }} />
      <TemporalLink link={(exec as Execution & { link?: string }).link} />
      {rows.length > 1 && (
        <span className="attempt-chain" aria-label="Attempts">
          Attempts:
          {rows.map((r, i) => (
            <span key={r.id} className={`attempt ${r.id === exec.id ? 'current' : ''}`} data-testid="attempt">
              {i > 0 && <span className="muted"> → </span>}
              {r.id === exec.id ? <strong>#{i + 1}</strong> : <a href={`#/execution/${r.id}`}>#{i + 1}</a>}{' '}
              <span className={`badge ${statusClass(r.status)}`}>{r.status}</span>
              {r.attemptKind && <span className="muted small"> {r.attemptKind === 'rerun' ? 're-run' : 'resumed'}</span>}
            </span>
          ))}
        </span>
      )}
      {reused.length > 0 && (
        <span className="muted small" data-testid="reused" title="These cards did not run again: their outputs are the recorded ones of the attempt this one resumed">
          reused: {reused.join(', ')}
        </span>
      )}
      <span className="grow" />
      <SaveAsTest exec={exec} />
      {canResume && (
        <button data-testid="resume-failed" onClick={() => { setAsking('resume'); attemptsApi.plan(exec.id).then(setPlan).catch((e) => setErr((e as Error).message)) }}
          title="Run again from the failed card: the cards before it are not run again, their recorded outputs are reused">
          ↻ Resume from {plan?.fromTitle ?? 'the failed card'}
        </button>
      )}
      <button data-testid="rerun" onClick={() => setAsking('rerun')} title="Run the whole flow again with the same input">⟳ Re-run</button>
      {err && !asking && <span className="problem small" role="alert">{err}</span>}
      {asking === 'resume' && plan && (
        <Modal title={`Resume from ${plan.fromTitle ?? 'the failed card'}`} onClose={() => setAsking('')}>
          <p>
            The cards before it are not run again: {plan.reused.length} card{plan.reused.length === 1 ? '' : 's'}
            {plan.items > 0 ? ` and ${plan.items} For Each item${plan.items === 1 ? '' : 's'}` : ''}{plan.reused.length + plan.items === 1 ? ' reuses its' : ' reuse their'} recorded outputs,
            with the run's original input. The rest runs with the flow and connections as they are now.{envNote}
          </p>
          {plan.changed.length > 0 && (
            <div data-testid="resume-changed">
              <p><strong>Changed since the run</strong> (version {plan.ranRevision} → {plan.revision}):</p>
              <ul>{plan.changed.map((c) => <li key={c.id}><strong>{c.title}</strong>: {changeText(c)}</li>)}</ul>
            </div>
          )}
          {plan.versionNote && <p className="muted small">{plan.versionNote}</p>}
          {plan.problems.length > 0 && (
            <div className="problem" role="alert" data-testid="resume-problems">
              <p>This run cannot be resumed:</p>
              <ul>{plan.problems.map((p) => <li key={p}>{p}</li>)}</ul>
            </div>
          )}
          {err && <div className="problem" role="alert">{err}</div>}
          <div className="actions">
            <button onClick={() => setAsking('')}>Cancel</button>
            {plan.problems.length > 0 && plan.canRerun && <button onClick={() => setAsking('rerun')}>Re-run instead</button>}
            <button className="primary" disabled={!plan.canResume || busy} data-testid="confirm-resume" onClick={() => act('resume')}>{busy ? 'Resuming…' : 'Resume'}</button>
          </div>
        </Modal>
      )}
      {asking === 'rerun' && (
        <Modal title="Re-run this execution" onClose={() => setAsking('')}>
          <p>The whole flow runs again from its trigger, with this run's input and the flow and connections as they are now. Every card runs again, also those that changed something outside.{envNote}</p>
          {err && <div className="problem" role="alert">{err}</div>}
          <div className="actions">
            <button onClick={() => setAsking('')}>Cancel</button>
            <button className="primary" disabled={busy} data-testid="confirm-rerun" onClick={() => act('rerun')}>{busy ? 'Running…' : 'Re-run'}</button>
          </div>
        </Modal>
      )}
    </div>
  )
}
