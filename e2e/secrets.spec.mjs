// End-to-end: a secret travels through a helper flow and reaches nothing a
// person sees later. A flow generates a password and calls a helper that
// composes a line with it and Returns it. In the designer the admin marks
// the password output secret with its padlock (pointer), saves, runs: the
// recorded card outputs and the helper's Return on the Call Flow card show
// ••••••;
// History's record of the run and of the helper run show ••••••, and
// searching History for the password finds no run (it is not an indexed
// word), while searching for "password" finds them.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/sec/flowbench node e2e/secrets.spec.mjs
import assert from 'node:assert/strict'
import { api, card, finish, openPage, openRunInHistory, recordedOutput, reportFailure, runNow, setup, step } from './lib.mjs'

const { shots, server, browser } = await setup('secrets')
const pw = 'Gen-pw-e2e-' + Math.random().toString(36).slice(2, 12)
let failed = false
let page
try {
  await api(server, 'ImportText', 'helper.flow.json', JSON.stringify({
    format: 'flowbench.flow/v1', id: 'pw-helper', name: 'Password line', settings: { history: true },
    trigger: { id: 'trigger', type: 'flow.helper', outputs: [{ key: 'pw', type: 'string' }] },
    cards: [
      { id: 'line', type: 'text.concat', title: 'Line', inputs: [{ key: 'string1', value: 'password: ' }, { key: 'string2', from: { card: 'trigger', path: ['pw'] } }] },
      { id: 'ret', type: 'flow.return', title: 'Return line', inputs: [{ key: 'line', from: { card: 'line', path: ['output'] } }] },
    ],
  }))
  await api(server, 'ImportText', 'parent.flow.json', JSON.stringify({
    format: 'flowbench.flow/v1', id: 'pw-parent', name: 'Generate password', settings: { history: true },
    trigger: { id: 'trigger', type: 'flow.manual' },
    cards: [
      { id: 'gen', type: 'text.concat', title: 'Generate', inputs: [{ key: 'string1', value: pw }] },
      { id: 'call', type: 'flow.call', title: 'Call helper', flow: 'pw-helper', inputs: [{ key: 'pw', from: { card: 'gen', path: ['output'] } }], outputs: [{ key: 'line', type: 'string' }] },
      { id: 'ret', type: 'flow.return', title: 'Return', inputs: [{ key: 'line', from: { card: 'call', path: ['line'] } }] },
    ],
  }))
  const opened = await openPage(browser, shots, { width: 1600, height: 950 })
  page = opened.page
  const { con, shot } = opened

  step('open the flow from the flow list and mark the password output secret with its padlock')
  await page.goto(server.url)
  await page.getByRole('link', { name: 'Generate password' }).click()
  const gen = card(page, 'Generate')
  await gen.waitFor()
  await gen.getByRole('button', { name: /^Keep output .* out of history$/ }).click()
  await gen.getByRole('button', { name: /^Record output .* in history$/ }).waitFor()
  await page.locator('.toolbar').getByRole('button', { name: 'Save', exact: true }).click()
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await shot('1-marked-secret')

  step('run: the cards show •••••• where the password was, the helper\'s Return too')
  const { bar } = await runNow(page)
  assert.match(await bar.textContent(), /success/)
  const line = recordedOutput(card(page, 'Call helper'), 'line')
  await line.waitFor()
  assert.equal((await line.textContent()).trim().replace(/^"|"$/g, ''), 'password: ••••••')
  assert.match(await recordedOutput(gen, 'output').textContent(), /••••••/)
  // (the Generate card's own input is the flow's text, typed by its author: it stays on the canvas)
  const recorded = async () => (await page.getByTestId('recorded-output').allTextContents()).join('\n')
  assert.match(await recorded(), /••••••/)
  assert.ok(!(await recorded()).includes(pw), 'a recorded value shows the password')
  await shot('2-run')

  step('History: the run and its helper run show ••••••')
  await openRunInHistory(page)
  const hl = recordedOutput(card(page, 'Call helper'), 'line')
  await hl.waitFor()
  assert.match(await hl.textContent(), /password: ••••••/)
  assert.ok(!(await recorded()).includes(pw), 'the history record shows the password')
  await shot('3-history-record')

  step('History search: the password is no word of any run; "password" is')
  await page.getByRole('link', { name: 'History' }).first().click()
  const search = page.getByLabel('Search history')
  await search.waitFor()
  await page.getByTestId('execution-row').first().waitFor()
  await search.click()
  await page.keyboard.type(pw)
  await page.getByText('No run matches.').waitFor()
  assert.equal((await api(server, 'ListExecutions', { text: pw })).length, 0, 'the index finds the password')
  assert.ok((await api(server, 'ListExecutions', { text: 'password' })).length >= 2)
  await shot('4-search-password')
  await search.fill('')
  await search.click()
  await page.keyboard.type('password')
  await page.getByTestId('execution-row').nth(1).waitFor()
  assert.ok(!(await page.content()).includes(pw))
  await shot('5-search-word')
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
