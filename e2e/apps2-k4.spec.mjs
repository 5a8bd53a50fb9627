// End-to-end: Salesforce, Jira, GitHub and ServiceNow against their local
// fakes (ready connections "sandbox-salesforce", "sandbox-jira",
// "sandbox-github", "sandbox-servicenow"), and secret outputs. The
// Connections page tests the four (settings → token → identity). A flow
// built with the pointer and keyboard finds Alice in Salesforce, generates
// a temporary password with Random — its output marked secret with the
// lock — and opens a ServiceNow incident whose description is that
// password. History shows the Salesforce user id and the incident number,
// and •••••• where the password went.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/k4/flowbench node e2e/apps2-k4.spec.mjs
import assert from 'node:assert/strict'
import { api, card, drag, dropRight, finish, fit, newFlow, openPage, openRunInHistory, recordedOutput, reportFailure, runNow, setup, step } from './lib.mjs'

const { shots, server, browser } = await setup('apps2-k4')
let failed = false
let page
try {
  const o = await openPage(browser, shots, { width: 1440, height: 900 })
  page = o.page
  const { con, shot } = o

  const conns = await api(server, 'ListConnections')
  const by = (kind) => conns.find((c) => c.kind === kind)
  const sf = by('salesforce'), sn = by('servicenow')
  assert.ok(sf && sn && by('jira') && by('github'), `ready connections (have ${conns.map((c) => c.id).join(', ')})`)

  step('Connections: test the Salesforce, Jira, GitHub and ServiceNow sandbox connections')
  await page.goto(server.url)
  await page.getByRole('link', { name: 'Connections' }).click()
  for (const kind of ['salesforce', 'jira', 'github', 'servicenow']) {
    const c = by(kind)
    const row = page.getByTestId(`connection-${c.name}`)
    await row.getByTestId('test-connection').click()
    const report = row.getByTestId('test-report')
    await report.waitFor()
    const text = await report.textContent()
    assert.match(text, /Connection works/, text)
    console.log(`  ${c.name}: ${text.replace(/\s+/g, ' ').trim().slice(0, 160)}`)
  }
  await shot('01-connections')

  step('create a flow')
  await page.evaluate(() => { location.hash = '/' })
  await newFlow(page, 'E2E temp password incident')

  step('Salesforce Search Users by username')
  await dropRight(page, 'salesforce.searchUsers', 'Search Users', 'Manual Run')
  const search = card(page, 'Search Users')
  await search.waitFor()
  await search.getByLabel('Connection').selectOption({ label: sf.name })
  const kw = search.getByTestId('input-keyword').locator('input')
  await kw.click()
  await page.keyboard.type('alice.nguyen@example.com.sandbox')

  step('Random: a temporary password, its output kept out of history with the lock')
  await dropRight(page, 'text.random', 'Random', 'Search Users')
  const rnd = card(page, 'Random')
  await rnd.waitFor()
  const lock = rnd.getByTestId('output-output').getByRole('button', { name: /out of history/ })
  await lock.click()
  await rnd.getByTestId('output-output').getByRole('button', { name: /Record output .* in history/ }).waitFor()

  step('ServiceNow Create Incident: the password wired into the description')
  await dropRight(page, 'servicenow.createIncident', 'Create Incident', 'Random')
  const inc = card(page, 'Create Incident')
  await inc.waitFor()
  await inc.getByLabel('Connection').selectOption({ label: sn.name })
  const short = inc.getByTestId('input-Short description').locator('input')
  await short.click()
  await page.keyboard.type('Temporary password for Alice')
  await fit(page) // drag once the target stands still
  const target = inc.getByTestId('input-Description')
  await drag(page, rnd.getByTestId('out-output'), inc.getByTestId('input-Description'))
  await inc.getByTestId('input-Description').getByTestId('binding-pill').waitFor()
  await shot('02-built')

  step('save with Ctrl+S and run')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  const { bar } = await runNow(page)
  assert.match(await bar.textContent(), /success/, await bar.textContent())
  await shot('03-ran')

  step('History: the user id and the incident number; •••••• for the password')
  await openRunInHistory(page)
  const recSearch = card(page, 'Search Users')
  const recRnd = card(page, 'Random')
  const recInc = card(page, 'Create Incident')
  await recInc.waitFor()
  const uid = recordedOutput(recSearch, 'User ID')
  await uid.waitFor()
  assert.match(await uid.textContent(), /^"?005\w{15}"?$/)
  const num = recordedOutput(recInc, 'Incident Number')
  await num.waitFor()
  assert.match(await num.textContent(), /INC\d+/)
  const pw = recordedOutput(recRnd, 'output')
  await pw.waitFor()
  assert.match((await pw.textContent()).trim(), /^"?••••••"?$/)
  const desc = recInc.getByTestId('input-Description').getByTestId('recorded-input')
  await desc.waitFor()
  assert.match((await desc.textContent()).trim(), /^"?••••••"?$/)
  await recRnd.getByTestId('secret-mark').waitFor()
  await shot('04-history')

  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
