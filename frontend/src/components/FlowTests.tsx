import { useEffect, useState } from 'react'
import { flowTestsApi, type FlowTestsReport, type TestStatus } from '../api/flowtests'
import type { Execution } from '../api/types'
import { testBadge, testFileName } from '../model/flowtests'
import { Confirm, download, Prompt, TextModal } from './Dialog'
import './attempts.css'

/** useTestStatuses: every flow's last test result (the flow list's badges). */
export function useTestStatuses(): Record<string, TestStatus> {
  const [s, setS] = useState<Record<string, TestStatus>>({})
  useEffect(() => { flowTestsApi.statuses().then(setS).catch(() => setS({})) }, [])
  return s
}

/** FlowTestBadge: a flow's test status in the flow list. */
export function FlowTestBadge({ status }: { status?: TestStatus }) {
  const b = testBadge(status?.total ?? 0, status?.failed ?? 0)
  if (!b.text) return null
  return <span className={`badge test-badge ${b.tone === 'bad' ? 'st-failed' : 'st-success'}`} data-testid="test-badge"
    title={status?.failing?.length ? `Failing: ${status.failing.join(', ')}` : 'Flow tests (Save as test in History)'}>{b.text}</span>
}

/** TestsButton (designer toolbar): runs the flow's tests when the flow opens and after each save; a panel lists them. */
export function TestsButton({ flowId, flowName, revision }: { flowId: string; flowName: string; revision?: number }) {
  const [rep, setRep] = useState<FlowTestsReport | null>(null)
  const [open, setOpen] = useState(false)
  const [err, setErr] = useState('')
  const [shown, setShown] = useState<{ name: string; text: string } | null>(null)
  const [deleting, setDeleting] = useState('')
  const run = () => flowTestsApi.run(flowId).then((r) => { setRep(r); setErr('') }).catch((e) => setErr((e as Error).message))
  useEffect(() => { void run() }, [flowId, revision]) // eslint-disable-line react-hooks/exhaustive-deps
  if (!rep || rep.total === 0) return null
  const b = testBadge(rep.total, rep.failed)
  return (
    <span className="tests-button">
      <button className={`badge test-badge ${b.tone === 'bad' ? 'st-failed' : 'st-success'}`} data-testid="flow-tests" aria-expanded={open} onClick={() => setOpen(!open)}>{b.text}</button>
      {open && (
        <div className="tests-pop" role="dialog" aria-label="Flow tests">
          <header><strong>Flow tests</strong> <span className="muted small">replayed without the network</span></header>
          <ul>
            {rep.results.map((r) => (
              <li key={r.case} data-testid="flow-test">
                <span className={r.passed ? 'ok' : 'bad'}>{r.passed ? '✓' : '✗'}</span> {r.case}
                {!r.passed && <ul className="failures">{(r.failures ?? []).map((f) => <li key={f}>{f}</li>)}</ul>}
                <button className="link danger small" aria-label={`Delete test ${r.case}`} onClick={() => setDeleting(r.case)}>Delete</button>
              </li>
            ))}
          </ul>
          {err && <div className="problem" role="alert">{err}</div>}
          <div className="actions">
            <button onClick={() => void run()}>Run again</button>
            <button data-testid="download-tests" onClick={async () => download(testFileName(flowName), await flowTestsApi.exportFile(flowId), (name, text) => setShown({ name, text }))}>Download tests</button>
          </div>
          <p className="muted small">Run them in CI beside the flow's export (and its helper flows'): <code>flowbench test DIR</code></p>
        </div>
      )}
      {shown && <TextModal name={shown.name} text={shown.text} onClose={() => setShown(null)} />}
      {deleting && (
        <Confirm title="Delete this test?" action="Delete test"
          message={`"${deleting}" and the responses it recorded are deleted; a run saved again records what the tenant answers now.`}
          onNo={() => setDeleting('')}
          onYes={() => { const name = deleting; setDeleting(''); flowTestsApi.remove(flowId, name).then(run).catch((e) => setErr((e as Error).message)) }} />
      )}
    </span>
  )
}

/** SaveAsTest (execution view): turn this run into a test of its flow. */
export function SaveAsTest({ exec }: { exec: Execution }) {
  const [asking, setAsking] = useState(false)
  const [rep, setRep] = useState<FlowTestsReport | null>(null)
  const [err, setErr] = useState('')
  const [shown, setShown] = useState<{ name: string; text: string } | null>(null)
  if (exec.parent || exec.status === 'running' || exec.status === 'interrupted') return null
  const name = exec.flowName ?? exec.flow
  return (
    <>
      <button data-testid="save-as-test" onClick={() => { setAsking(true); setErr('') }}
        title="Record this run's input, the responses of its outside calls and what each card did as a test of the flow">Save as test</button>
      {rep && (
        <span className="muted small" role="status" data-testid="saved-test">
          Saved: {testBadge(rep.total, rep.failed).text}{' '}
          <button className="link" data-testid="download-test" onClick={async () => download(testFileName(name), await flowTestsApi.exportFile(exec.flow), (n, t) => setShown({ name: n, text: t }))}>Download test</button>
        </span>
      )}
      {err && <span className="problem small" role="alert">{err}</span>}
      {asking && (
        <Prompt title="Save this run as a test" label="Test name" initial={`${exec.status} run ${new Date(exec.started).toLocaleString()}`} action="Save test"
          onCancel={() => setAsking(false)}
          onOk={(v) => { setAsking(false); flowTestsApi.saveAsTest(exec.id, v).then(setRep).catch((e) => setErr((e as Error).message)) }} />
      )}
      {shown && <TextModal name={shown.name} text={shown.text} onClose={() => setShown(null)} />}
    </>
  )
}
