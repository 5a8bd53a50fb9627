// End-to-end: History shows new runs without a reload. An API Endpoint
// flow is switched on; with the History page open, an outside caller
// invokes it: the run appears by itself (the page refreshes every 5 s while
// in view), and the Refresh button shows the next one at once. Back to the
// flow's own History and forward keeps the list.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/lead/flowbench node e2e/history-live.spec.mjs
import assert from 'node:assert/strict'
import { api, finish, openPage, reportFailure, setup, step } from './lib.mjs'

const { shots, server, browser } = await setup('history-live')
let failed = false
let page

try {
  const opened = await openPage(browser, shots, { width: 1400, height: 800 })
  page = opened.page
  const { con, shot } = opened
  await api(server, 'SaveFlow', {
    format: 'flowbench.flow/v1', id: 'live', name: 'Live endpoint', settings: { history: true },
    trigger: { id: 'trigger', type: 'api.endpoint', inputs: [{ key: 'security_level', value: 'open' }], outputs: [{ key: 'n', group: 'body', type: 'number' }] },
    cards: [{ id: 'r', type: 'flow.return', inputs: [{ key: 'n', from: { card: 'trigger', path: ['n'] } }] }],
  })
  await api(server, 'SetFlowEnabled', 'live', true)
  const st = await api(server, 'TriggerStatus', 'live')
  const invoke = async (n) => {
    const r = await fetch(new URL(st.endpoint, server.base), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ n }) })
    assert.equal(r.status, 200, `invoke ${n}`)
  }

  step('History open, no runs yet')
  await page.goto(server.url)
  await page.getByRole('link', { name: 'History' }).or(page.getByRole('button', { name: 'History' })).first().click()
  await page.getByText('No runs yet.').waitFor()

  step('an outside call: the run appears without a reload')
  await invoke(1)
  const rows = page.getByTestId('execution-row')
  await rows.first().waitFor({ timeout: 9000 })
  assert.equal(await rows.count(), 1)
  assert.match(await rows.first().innerText(), /success/)
  await shot('01-appeared')

  step('Refresh shows the next run at once')
  await invoke(2)
  await page.getByRole('button', { name: 'Refresh history' }).click()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="execution-row"]').length === 2, null, { timeout: 3000 })
  await shot('02-refreshed')

  step('the run opens; Back returns to the list with both runs')
  await rows.first().click()
  await page.locator('.react-flow__node').first().waitFor()
  await page.goBack()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="execution-row"]').length === 2, null, { timeout: 5000 })
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
