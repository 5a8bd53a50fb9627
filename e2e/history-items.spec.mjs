// End-to-end: a For Each over 60 items whose helper refuses item 17. The
// run fails; its History view lists the For Each card's child runs with
// their status — the failed item first, with its error — and one click
// opens that item's run at its failed card.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/u2/flowbench node e2e/history-items.spec.mjs
import assert from 'node:assert/strict'
import { api, card, finish, openPage, openRunInHistory, reportFailure, runNow, setup, step } from './lib.mjs'

const { shots, server, browser } = await setup('history-items')
let failed = false
let page

try {
  const opened = await openPage(browser, shots, { width: 1400, height: 900 })
  page = opened.page
  const { con, shot } = opened
  await api(server, 'SaveFlow', {
    format: 'flowbench.flow/v1', id: 'item', name: 'Handle item', settings: { history: true },
    trigger: { id: 'trigger', type: 'flow.helper', outputs: [{ key: 'n', type: 'number' }] },
    cards: [{ id: 'chk', type: 'flow.returnErrorIf', title: 'Refuse 17', inputs: [
      { key: 'left-operand', from: { card: 'trigger', path: ['n'] } }, { key: 'operator', value: '==' },
      { key: 'right-operand', value: 17 }, { key: 'message', value: 'item 17 is bad' }] }],
  })
  await api(server, 'SaveFlow', {
    format: 'flowbench.flow/v1', id: 'each', name: 'Handle all', settings: { history: true },
    trigger: { id: 'trigger', type: 'flow.manual', title: 'Manual Run' },
    cards: [{ id: 'fe', type: 'list.forEach', title: 'For Each', flow: 'item', inputs: [
      { key: 'list', value: Array.from({ length: 60 }, (_, i) => i) }, { key: 'n', type: 'number', item: { path: '' } }] }],
  })

  step('run: the For Each fails at item 17')
  await page.goto(server.url)
  await page.getByRole('link', { name: 'Handle all' }).click()
  const { bar } = await runNow(page)
  assert.match(await bar.textContent(), /failed[\s\S]*item 17/)

  step('History: the child runs say which failed and why, first')
  await openRunInHistory(page)
  const kids = card(page, 'For Each').getByTestId('child-runs')
  await kids.waitFor()
  const text = await kids.textContent()
  const m = text.match(/^Child runs \((\d+)\): (\d+) success, 1 failed/)
  assert.ok(m, text)
  assert.equal(Number(m[2]), 17, 'items 0-16 succeeded')
  const first = kids.getByTestId('child-run').first()
  assert.match(await first.textContent(), /^failed …[0-9a-f]{6} item 17 is bad$/)
  await shot('01-child-runs')

  step('one click opens the failed item’s run at its failed card')
  await first.click()
  await page.locator('h1.flow-name').filter({ hasText: 'Handle item' }).waitFor()
  await card(page, 'Refuse 17').getByTestId('card-status').filter({ hasText: 'failed' }).waitFor()
  await page.goBack()
  await kids.waitFor()
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
