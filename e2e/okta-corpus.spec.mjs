// End-to-end test of issue 10 points 1–5 and 9 through the browser UI
// against `flowbench serve` and its sandbox tenant, on an official template
// nobody tuned for. Scenarios:
//   streaming — import "identify inactive Okta users", bind its Okta
//               placeholder to the sandbox in the import dialog, run its
//               scheduled flow from the Run panel: List Users with Search
//               streams every active user to the helper flow, whose
//               Subtract takes State.timeWindowDays (30) from the card's own
//               Streaming input (it used to be dropped: "expected number,
//               got null"); history shows the run and the helper runs.
//   sample    — the helper flow's Run panel is prefilled; the run's trigger
//               record carries the context fields (execution_id,
//               execution_time).
// Run from the repository root:  node e2e/okta-corpus.spec.mjs
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { api, bindPlaceholder, finish, importFile, openRunInHistory, reportFailure, runNow, setup, step, watchConsole } from './lib.mjs'

const CORPUS = process.env.FLOWBENCH_CORPUS || '/work/shared/corpus/okta-workflows-templates'
const TEMPLATE = join(CORPUS, 'identify_inactive_okta_users/workflow.flopack')

const { shots, server, browser } = await setup('okta-corpus')
let failed = false
let page
try {
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  const con = watchConsole(page)
  const shot = (n) => page.screenshot({ path: join(shots, `${n}.png`) })

  step('streaming: import the template through the file picker and bind its Okta placeholder')
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  await importFile(page, TEMPLATE)
  await bindPlaceholder(page, 'Sandbox tenant')
  await shot('01-imported')
  await page.locator('dialog[open]').getByRole('button', { name: 'Close' }).click()

  step('streaming: run the scheduled flow from the Run panel')
  await page.getByRole('link', { name: '[scheduled] identify inactive Okta users' }).click()
  await page.locator('.react-flow__node').first().waitFor()
  const { panel, bar } = await runNow(page)
  await shot('02-ran')
  assert.match(await bar.textContent(), /success/, `run status: ${await bar.textContent()}`)

  step('streaming: history shows the run; every helper run got State.timeWindowDays')
  await openRunInHistory(page)
  await shot('03-history')
  const flows = await api(server, 'ListFlows')
  const sched = flows.find((f) => f.name === '[scheduled] identify inactive Okta users')
  const helper = flows.find((f) => f.name === 'Check Last Login date and add to table')
  const [last] = await api(server, 'ListExecutions', { flow: sched.id })
  const ex = await api(server, 'GetExecution', last.id)
  assert.equal(ex.status, 'success')
  const list = ex.cards.find((c) => c.title === 'List Users with Search')
  assert.ok(list.outputs['Records Streamed'] > 0, JSON.stringify(list.outputs))
  const runs = await api(server, 'ListExecutions', { flow: helper.id })
  assert.equal(runs.length, list.outputs['Records Streamed'], 'one helper run per streamed user')
  for (const r of runs.slice(0, 3)) {
    const hx = await api(server, 'GetExecution', r.id)
    assert.equal(hx.status === 'failed', false, `helper run ${r.id}: ${JSON.stringify(hx.error)}`)
    const trig = hx.cards[0]
    assert.equal(trig.outputs.State.timeWindowDays, 30, JSON.stringify(trig.outputs.State)) // the card's Streaming input
    assert.equal(trig.outputs.context.parent.execution_id, ex.id, 'the helper run knows its caller')
    const sub = hx.cards.find((c) => c.title === 'Subtract')
    if (sub) assert.equal(sub.inputs.scale, 30, JSON.stringify(sub.inputs))
  }

  step('sample: the helper flow runs on its own with the Run panel\'s sample; its context has execution_time')
  await page.getByRole('link', { name: 'Flows' }).click()
  await page.getByRole('link', { name: 'Check Last Login date and add to table' }).click()
  await page.locator('.react-flow__node').first().waitFor()
  await page.getByTestId('run').click()
  await panel.waitFor()
  await shot('04-helper-sample')
  // the sample's Record names a real sandbox user (point 9)
  const record = JSON.parse(await panel.getByLabel('Record').inputValue())
  assert.equal(record.Login, 'alice.nguyen@example.com', JSON.stringify(record))
  assert.match(record.ID, /^00u/, JSON.stringify(record))
  await panel.getByTestId('run-now').click()
  await bar.filter({ hasText: /success|failed|halted|stopped/ }).waitFor()
  await shot('05-helper-ran')
  const [own] = await api(server, 'ListExecutions', { flow: helper.id, limit: 1 })
  const hx = await api(server, 'GetExecution', own.id)
  const ctx = hx.cards[0].outputs.context
  assert.ok(ctx.execution_id && /^\d{4}-\d\d-\d\dT/.test(ctx.execution_time), JSON.stringify(ctx))
  con.check()
  console.log('okta-corpus e2e: ok')
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
