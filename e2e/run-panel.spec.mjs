// End-to-end: the Run panel's test input, typed in the form and as JSON,
// against the sandbox tenant. A wrong login fails at Read User with Okta's
// E0000007; the JSON typed under "Edit as JSON" is what the form shows when
// it is switched off (it used to be dropped), and the run uses it; JSON that
// is not an object, or not JSON, is refused in words naming the test input;
// History finds the failed run by its error code, and its row names the
// failed card. A card's big recorded output (a list of 2,000 items) opens
// whole from History.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/u2/flowbench node e2e/run-panel.spec.mjs
import assert from 'node:assert/strict'
import { api, card, finish, openPage, openRunInHistory, recordedOutput, reportFailure, runNow, setup, step } from './lib.mjs'

const { shots, server, browser } = await setup('run-panel')
let failed = false
let page

try {
  const opened = await openPage(browser, shots, { width: 1400, height: 850 })
  page = opened.page
  const { con, shot } = opened
  await api(server, 'SaveFlow', {
    format: 'flowbench.flow/v1', id: 'readlogin', name: 'Read by login', settings: { history: true },
    trigger: { id: 'trigger', type: 'flow.manual', title: 'Manual Run', outputs: [{ key: 'login', type: 'string' }] },
    cards: [{ id: 'ru', type: 'okta.readUser', title: 'Read User', connection: 'sandbox',
      inputs: [{ key: 'ID or Login', group: 'User', from: { card: 'trigger', path: ['login'] } }] }],
  })

  step('a typed login that is not in the tenant: the run fails at Read User with E0000007')
  await page.goto(server.url)
  await page.getByRole('link', { name: 'Read by login' }).click()
  await page.getByTestId('run').click()
  const panel = page.getByRole('complementary', { name: 'Run with test input' })
  const login = panel.getByLabel('login', { exact: true })
  await login.click()
  await page.keyboard.press('Control+a')
  await page.keyboard.type('nobody@example.com')
  await panel.getByTestId('run-now').click()
  const bar = page.getByTestId('runbar')
  await bar.filter({ hasText: 'failed' }).filter({ hasText: 'E0000007' }).waitFor()
  await card(page, 'Read User').getByTestId('card-status').filter({ hasText: 'failed' }).waitFor()
  await shot('01-failed')

  step('Edit as JSON shows the form’s input; JSON typed there is what the form shows after')
  const asJSON = panel.getByLabel('Edit as JSON')
  await asJSON.click()
  const box = panel.getByLabel('Test input JSON')
  assert.deepEqual(JSON.parse(await box.inputValue()), { login: 'nobody@example.com' })
  await box.click()
  await page.keyboard.press('Control+a')
  await page.keyboard.type('{"login": "alice.nguyen@example.com"}')
  await asJSON.click()
  assert.equal(await login.inputValue(), 'alice.nguyen@example.com', 'the form shows the JSON typed')
  await bar.getByRole('button', { name: 'Clear run results' }).click()
  await panel.getByTestId('run-now').click()
  await bar.filter({ hasText: 'success' }).waitFor()
  await shot('02-success')

  step('JSON that is not an object, or not JSON, is refused naming the test input')
  await asJSON.click()
  await box.click()
  await page.keyboard.press('Control+a')
  await page.keyboard.type('["alice.nguyen@example.com"]')
  await panel.getByTestId('run-now').click()
  await panel.getByRole('alert').filter({ hasText: 'Test input JSON: must be an object of the trigger’s outputs'.replace('’', "'") }).waitFor()
  await box.click()
  await page.keyboard.press('Control+a')
  await page.keyboard.type('{"login": ')
  await asJSON.click()
  await panel.getByRole('alert').filter({ hasText: /^Test input JSON: not valid JSON \(.*\) — fix it to go back to the form$/ }).waitFor()
  assert.ok(await asJSON.isChecked(), 'still editing the JSON')
  await shot('03-bad-json')

  step('History finds the failed run by its error code')
  await page.getByRole('link', { name: 'History' }).click()
  await page.getByLabel('Search history').click()
  await page.keyboard.type('E0000007')
  const rows = page.getByTestId('execution-row')
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="execution-row"]').length === 1)
  assert.match(await rows.first().innerText(), /failed[\s\S]*Read User: Not found: Resource not found: nobody@example\.com/)
  await rows.first().click()
  await card(page, 'Read User').getByTestId('card-status').filter({ hasText: 'failed' }).waitFor()
  await shot('04-found')

  step('a card returning a big list: its recorded output opens whole from History')
  const logins = Array.from({ length: 2000 }, (_, i) => `user${i}@example.com`)
  await api(server, 'SaveFlow', {
    format: 'flowbench.flow/v1', id: 'biglist', name: 'Big list', settings: { history: true },
    trigger: { id: 'trigger', type: 'flow.manual', title: 'Manual Run' },
    cards: [{ id: 'split', type: 'text.split', title: 'Split', inputs: [{ key: 'string', value: logins.join(',') }, { key: 'delimiter', value: ',' }] }],
  })
  await page.getByRole('link', { name: 'Flows' }).click()
  await page.getByRole('link', { name: 'Big list' }).click()
  await runNow(page)
  await openRunInHistory(page)
  const out = recordedOutput(card(page, 'Split'), 'output')
  assert.match(await out.textContent(), /^\["user0@example\.com","user1@example\.com",.*…$/)
  await out.focus()
  await page.keyboard.press('Enter')
  const whole = page.getByRole('dialog', { name: 'Recorded value — Split › result list' })
  await whole.waitFor()
  assert.equal(await whole.getByTestId('whole-value-size').textContent(), `a list of 2,000 items, ${JSON.stringify(logins, null, 2).length.toLocaleString('en-US')} characters`)
  assert.deepEqual(JSON.parse(await whole.getByLabel('Whole value').inputValue()), logins)
  await shot('05-whole-value')
  await whole.getByRole('button', { name: 'Close' }).click()
  await whole.waitFor({ state: 'detached' })
  // the run's own view is its place in history: no link to itself
  assert.equal(await page.getByTestId('runbar').getByRole('button', { name: 'open in history' }).count(), 0)

  step('Save history off: the run bar says the run is not kept instead of linking to a run History lacks')
  await page.getByRole('button', { name: 'Edit flow' }).click()
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  await page.getByLabel('Save history (every card\'s inputs and outputs)').uncheck()
  await page.keyboard.press('Escape')
  await runNow(page)
  const notKept = page.getByTestId('runbar').getByTestId('run-not-kept')
  await notKept.waitFor()
  assert.equal(await notKept.textContent(), 'not kept: history is off for this flow')
  assert.equal(await page.getByTestId('runbar').getByRole('button', { name: 'open in history' }).count(), 0)
  await shot('06-not-kept')
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
