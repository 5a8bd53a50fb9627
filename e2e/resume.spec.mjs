// End-to-end test of issue 16 point 1 (resume and re-run) against
// `flowbench serve`, with real pointer and keyboard: a copy of the sandbox
// connection with a wrong token; a flow Manual Run(login) → Concatenate →
// Read User through that connection; the run fails at Read User; the
// connection is fixed in the Connections page; the failed execution is
// resumed from Read User (Concatenate's recorded output reused) and
// succeeds; history shows both attempts linked, and the resume reads the
// user. Run from the repository root:  node e2e/resume.spec.mjs
import assert from 'node:assert/strict'
import { api, card, drag, dropRight, finish, openPage, reportFailure, setup, step } from './lib.mjs'

const SANDBOX_TOKEN = '00SandboxFlowbenchDefaultApiToken0000000000'
const LOGIN = 'sandbox.admin@example.com'
const { shots, server, browser } = await setup('resume', { dataPrefix: 'flowbench-resume-' })
let failed = false
let page

try {
  const p = await openPage(browser, shots, { width: 1500, height: 950 })
  page = p.page
  const { con, shot } = p
  const info = await api(server, 'Info')

  step('a copy of the sandbox connection with a wrong token')
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  await page.getByRole('link', { name: 'Connections' }).click()
  await page.getByRole('button', { name: '+ Okta', exact: true }).click()
  const form = page.locator('form.conn-form')
  await form.getByLabel('Name', { exact: true }).fill('Broken copy')
  await form.getByLabel('Okta domain').fill(info.sandboxUrl)
  await form.getByLabel('API token').fill('00NotTheRightToken')
  await form.getByTestId('save-connection').click()
  const conn = page.getByTestId('connection-Broken copy')
  await conn.getByTestId('test-report').filter({ hasText: 'failed' }).waitFor()

  step('a flow: Manual Run (login) → Concatenate("Hello ", login) → Read User(login) on the broken connection')
  await page.getByRole('link', { name: 'Flows' }).click()
  await page.getByRole('button', { name: '+ New flow' }).click()
  await page.getByLabel('Name', { exact: true }).fill('E2E resume')
  await page.getByRole('button', { name: 'Create' }).click()
  await card(page, 'Manual Run').waitFor()
  await card(page, 'Manual Run').getByLabel('New output name').fill('login')
  await page.keyboard.press('Enter')
  await card(page, 'Manual Run').getByTestId('out-login').waitFor()
  await dropRight(page, 'text.concat', 'Concatenate', 'Manual Run')
  const concat = card(page, 'Concatenate')
  await concat.waitFor()
  const s1 = concat.getByTestId('input-string1').locator('input, textarea').first()
  await s1.click()
  await page.keyboard.type('Hello ')
  await page.keyboard.press('Tab')
  await drag(page, card(page, 'Manual Run').getByTestId('out-login'), concat.getByTestId('input-string2'))
  await concat.getByTestId('input-string2').getByTestId('binding-pill').waitFor()
  await dropRight(page, 'okta.readUser', 'Read User', 'Concatenate')
  const read = card(page, 'Read User')
  await read.waitFor()
  await read.getByLabel('Connection').selectOption({ label: 'Broken copy' })
  await drag(page, card(page, 'Manual Run').getByTestId('out-login'), read.getByTestId('input-ID or Login'))
  await read.getByTestId('input-ID or Login').getByTestId('binding-pill').waitFor()
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()

  step('run it: Concatenate succeeds, Read User fails (401)')
  await page.getByTestId('run').click()
  const panel = page.getByRole('complementary', { name: 'Run with test input' })
  await panel.waitFor()
  const loginBox = panel.locator('label.form-row', { hasText: 'login' }).locator('input, textarea').first()
  await loginBox.click()
  await page.keyboard.press('Control+a')
  await page.keyboard.type(LOGIN)
  await panel.getByTestId('run-now').click()
  const bar = page.getByTestId('runbar')
  await bar.filter({ hasText: /success|failed/ }).waitFor()
  assert.match(await bar.textContent(), /failed/, await bar.textContent())
  assert.match(await bar.textContent(), /401|token|Invalid/i, 'the failure names the token')
  await shot('01-failed-run')

  step('the failed execution offers Resume from Read User')
  await bar.getByRole('button', { name: 'open in history' }).click()
  await page.locator('h1.flow-name').waitFor()
  const firstUrl = page.url()
  const resumeBtn = page.getByTestId('resume-failed')
  await resumeBtn.filter({ hasText: 'Read User' }).waitFor()
  await shot('02-failed-execution')

  step('fix the connection in the Connections page')
  await page.getByRole('link', { name: 'Connections' }).click()
  await conn.getByRole('button', { name: 'Edit' }).click()
  await form.getByLabel('API token').fill(SANDBOX_TOKEN)
  await form.getByTestId('save-connection').click()
  await conn.getByTestId('test-report').filter({ hasText: 'Connection works' }).waitFor()

  step('back to the failed execution (History), Resume from Read User')
  await page.getByRole('link', { name: 'History' }).click()
  const rows = page.getByTestId('execution-row')
  await rows.filter({ hasText: 'failed' }).first().click()
  await page.locator('h1.flow-name').waitFor()
  assert.equal(page.url(), firstUrl, 'the failed execution')
  await page.getByTestId('resume-failed').click()
  const dlg = page.getByRole('dialog', { name: /Resume from Read User/ })
  await dlg.waitFor()
  assert.match(await dlg.textContent(), /1 card reuse/, await dlg.textContent())
  await shot('03-resume-dialog')
  await dlg.getByTestId('confirm-resume').click()

  step('the resumed attempt succeeds; the chain shows both attempts')
  await page.waitForURL((u) => u.toString() !== firstUrl)
  const bar2 = page.getByTestId('runbar')
  await bar2.filter({ hasText: 'success' }).waitFor()
  const chain = page.getByTestId('attempt')
  await chain.nth(1).waitFor()
  assert.equal(await chain.count(), 2)
  assert.match(await chain.nth(0).textContent(), /#1\s*failed/)
  assert.match(await chain.nth(1).textContent(), /#2\s*success\s*resumed/)
  assert.equal(await page.getByTestId('reused').textContent(), 'reused: Concatenate')
  const recorded = await card(page, 'Read User').textContent()
  assert.ok(recorded.includes(LOGIN), 'Read User read the user: ' + recorded.slice(0, 300))
  await shot('04-resumed-execution')

  step('history lists both, the resume linked to the failed run')
  await page.getByRole('link', { name: 'History' }).click()
  await rows.nth(1).waitFor()
  assert.equal(await rows.count(), 2)
  const newest = rows.first()
  assert.match(await newest.textContent(), /success/)
  const badge = newest.getByTestId('attempt-badge')
  assert.match(await badge.textContent(), /resumed · attempt of/)
  assert.match(await rows.nth(1).textContent(), /failed/)
  await shot('05-history-linked')
  // the badge leads to the failed run
  await badge.getByRole('link').click()
  await page.waitForURL((u) => u.toString() === firstUrl)
  await page.getByTestId('attempt').nth(1).waitFor()

  step('the record of the resume: Concatenate reused, linked to the first attempt')
  const runs = await api(server, 'ListExecutions', { limit: 5 })
  const ex = await api(server, 'GetExecution', runs[0].id)
  assert.equal(ex.attemptOf, runs[1].id)
  assert.deepEqual(ex.reused, [ex.cards.find((c) => c.title === 'Concatenate' || c.type === 'text.concat').id])
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
