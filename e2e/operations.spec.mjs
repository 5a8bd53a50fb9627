// Operating `flowbench serve` as an admin would: JSON logs, Prometheus
// metrics. A person runs the Getting-started flow from the designer (real
// clicks) and opens it in history; then /metrics shows the run in the
// execution, card and outside-call histograms, and the server's JSON log has
// the run's lines with its execution id and flow id. Run from the repository
// root: node e2e/operations.spec.mjs
import assert from 'node:assert/strict'
import { api, finish, openPage, setup, step } from './lib.mjs'

const FLOW = 'okta-is-member-of-group'
const { shots, server, browser } = await setup('operations', { env: { FLOWBENCH_LOG_FORMAT: 'json' } })
let failed = false
try {
  const { page, con, shot } = await openPage(browser, shots, { width: 1440, height: 900 })
  const metrics = async () => (await fetch(`${server.base}/metrics`)).text()
  const series = (text, s) => {
    const line = text.split('\n').find((l) => l.startsWith(s + ' '))
    return line === undefined ? undefined : Number(line.slice(s.length + 1))
  }

  step('before any run: the histograms have no series for the flow, the runtime collectors are there')
  let m = await metrics()
  assert.equal(series(m, `flowbench_execution_duration_seconds_count{flow="${FLOW}",status="success"}`), undefined)
  for (const name of ['go_goroutines', 'process_resident_memory_bytes', 'flowbench_queue_depth']) {
    assert.ok(series(m, name) !== undefined, `${name} in /metrics`)
  }

  step('open the Getting started flow and run it with the sample event')
  await page.goto(server.url)
  await page.getByRole('link', { name: 'Okta: mark user isMemberOfGroup' }).click()
  await page.locator('.react-flow__node').first().waitFor()
  await page.getByTestId('run').click()
  const panel = page.getByRole('complementary', { name: 'Run with test input' })
  await panel.waitFor()
  await page.waitForTimeout(300) // SampleInput prefill
  await panel.getByTestId('run-now').click()
  const bar = page.getByTestId('runbar')
  await bar.filter({ hasText: /success/ }).waitFor()
  await shot('01-ran')

  step('open the run in history')
  await bar.getByRole('button', { name: 'open in history' }).click()
  await page.locator('h1.flow-name').waitFor()
  await shot('02-execution')
  const [ex] = await api(server, 'ListExecutions', { flow: FLOW, limit: 1 })
  assert.equal(ex.status, 'success')

  step('/metrics: one successful run of the flow in the histograms, with its buckets')
  m = await metrics()
  assert.equal(series(m, `flowbench_execution_duration_seconds_count{flow="${FLOW}",status="success"}`), 1)
  assert.equal(series(m, `flowbench_execution_duration_seconds_bucket{flow="${FLOW}",status="success",le="+Inf"}`), 1)
  assert.equal(series(m, `flowbench_execution_duration_seconds_bucket{flow="${FLOW}",status="success",le="60"}`), 1)
  for (const type of ['okta.readUser', 'okta.updateUser']) {
    assert.equal(series(m, `flowbench_card_duration_seconds_count{card_type="${type}",status="success"}`), 1, type)
  }
  assert.ok(series(m, 'flowbench_outside_call_duration_seconds_count{connector="okta",status="200"}') >= 2, 'outside calls to Okta')
  assert.equal(series(m, `flowbench_executions_total{flow="${FLOW}",flow_name="Okta: mark user isMemberOfGroup",status="success",trigger="manual"}`), 1)

  step("the server's JSON log: the run's line carries its execution id and flow id")
  const lines = server.log().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l))
  const fin = lines.find((l) => l.msg === 'execution finished' && l.execution_id === ex.id)
  assert.ok(fin, `no "execution finished" line for ${ex.id} in:\n${server.log()}`)
  assert.equal(fin.flow_id, FLOW)
  assert.equal(fin.level, 'INFO')
  assert.equal(fin.status, 'success')
  con.check()
  console.log('operations: PASS')
} catch (e) {
  failed = true
  console.error(e)
}
await finish(failed, browser, server)
