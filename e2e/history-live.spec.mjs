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
  const opened = await openPage(browser, shots, { width: 1400, height: 800 }, { allowFailed: ['GetFlow'] }) // the deleted flow's run asks for its flow first
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

  step('filters and search live in the address: Back from a run and reload keep them')
  await api(server, 'SaveFlow', {
    format: 'flowbench.flow/v1', id: 'other', name: 'Other flow', settings: { history: true },
    trigger: { id: 'trigger', type: 'flow.manual', outputs: [{ key: 'who', type: 'string' }] },
    cards: [{ id: 'boom', type: 'flow.returnError', title: 'Refuse', inputs: [{ key: 'message', from: { card: 'trigger', path: ['who'] } }] }],
  })
  await api(server, 'RunFlow', 'other', { who: 'grace@example.com' })
  await api(server, 'RunFlow', 'other', { who: 'ada@example.com' })
  await page.getByRole('button', { name: 'Refresh history' }).click()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="execution-row"]').length === 4)
  await page.getByLabel('Status filter').selectOption('failed')
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="execution-row"]').length === 2)
  await page.getByLabel('Search history').click()
  await page.keyboard.type('grace@example.com')
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="execution-row"]').length === 1)
  assert.match(page.url(), /#\/history\?status=failed&q=grace%40example\.com$/, page.url())
  await shot('03-filtered')
  await rows.first().click()
  await page.locator('h1.flow-name').filter({ hasText: 'Other flow' }).waitFor()
  await page.goBack()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="execution-row"]').length === 1)
  assert.equal(await page.getByLabel('Status filter').inputValue(), 'failed')
  assert.equal(await page.getByLabel('Search history').inputValue(), 'grace@example.com')
  assert.match(await rows.first().innerText(), /grace@example\.com/)
  await page.reload()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="execution-row"]').length === 1)
  assert.equal(await page.getByLabel('Status filter').inputValue(), 'failed')
  assert.equal(await page.getByLabel('Search history').inputValue(), 'grace@example.com')

  step('the flow filter narrows to one flow and keeps the status; the History link clears them all')
  await page.getByLabel('Search history').fill('')
  await page.getByLabel('Status filter').selectOption('')
  await page.getByLabel('Flow filter').selectOption({ label: 'Live endpoint' })
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="execution-row"]').length === 2)
  assert.match(page.url(), /#\/history\/live$/, page.url())
  await page.getByLabel('Status filter').selectOption('failed')
  await page.getByText('No run matches.').waitFor()
  await page.getByLabel('Flow filter').selectOption({ label: 'Other flow' })
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="execution-row"]').length === 2)
  assert.match(page.url(), /#\/history\/other\?status=failed$/, page.url())
  await page.goBack()
  await page.getByText('No run matches.').waitFor()
  assert.equal(await page.getByLabel('Flow filter').inputValue(), 'live')
  await page.getByRole('link', { name: 'History' }).click()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="execution-row"]').length === 4)
  assert.equal(await page.getByLabel('Status filter').inputValue(), '')
  assert.equal(await page.getByLabel('Flow filter').inputValue(), '')

  step('more runs than a page: Show older runs reaches the first one')
  for (let i = 3; i <= 201; i++) await api(server, 'RunFlow', 'other', { who: `user${i}@example.com` })
  await page.getByLabel('Flow filter').selectOption({ label: 'Other flow' })
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="execution-row"]').length === 200)
  await page.getByTestId('history-more').click()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="execution-row"]').length === 201)
  assert.equal(await page.getByTestId('history-more').count(), 0, 'no older runs to show')

  step('a deleted flow takes its history with it, as the Delete dialog says')
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flows' }).click()
  await page.getByTestId('flow-Other flow').getByRole('button', { name: 'Delete' }).click()
  const del = page.getByRole('dialog', { name: 'Delete flow' })
  await del.getByText('Its history goes too.', { exact: false }).waitFor()
  await del.getByRole('button', { name: 'Delete' }).click()
  await page.getByTestId('flow-Other flow').waitFor({ state: 'detached' })
  await page.getByRole('link', { name: 'History' }).click()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="execution-row"]').length === 2)
  assert.equal(await rows.filter({ hasText: 'Other flow' }).count(), 0)

  step('a run that ends after its flow was deleted still opens, from its record')
  await api(server, 'SaveFlow', {
    format: 'flowbench.flow/v1', id: 'slow', name: 'Slow flow', settings: { history: true },
    trigger: { id: 'trigger', type: 'flow.manual' },
    cards: [{ id: 'wait', type: 'flow.waitFor', title: 'Wait a second', inputs: [{ key: 'delay', value: 1 }, { key: 'unit', value: 'second' }] }],
  })
  const running = api(server, 'RunFlow', 'slow', {})
  await api(server, 'DeleteFlow', 'slow')
  assert.equal((await running).status, 'success')
  await page.getByRole('button', { name: 'Refresh history' }).click()
  await rows.filter({ hasText: 'Slow flow' }).click()
  await page.locator('h1.flow-name').filter({ hasText: 'Slow flow (deleted)' }).waitFor()
  await page.locator('.react-flow__node [data-testid="card-Wait a second"]').getByTestId('card-status').filter({ hasText: 'success' }).waitFor()
  await shot('04-deleted-flow-run')
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
