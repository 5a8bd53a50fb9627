// End-to-end tests of issue 11, points 3, 10 and 11, against `flowbench serve`
// with real pointer and keyboard:
//   A "no edit is lost": the Save / Discard / Cancel guard on nav links,
//     browser Back, the toolbar buttons; reload (browser prompt, draft kept,
//     session cookie keeps us signed in), a crashed tab (draft restored);
//     ends in a run whose history shows the values.
//   B "imported on means listening": a flow file imported switched on answers
//     on its endpoint at once; one that cannot start shows Off.
//   C "sandbox keeps its address": a connection made from the sandbox URL and
//     token shown in the form works after a restart; a flow through it runs.
// Run from the repository root:  node e2e/edits.spec.mjs
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { addTriggerOutput, api, card, drag, dropRight, launch, shotsDir, startServer, step, stopServer, tempDir, watchConsole } from './lib.mjs'

const shots = shotsDir('edits')
console.log(`screenshots: ${shots}`)
const browser = await launch()
const servers = []
let failed = false

const mainNav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true })
const guard = (page) => page.getByTestId('leave-guard')
const flowHash = (page) => new URL(page.url()).hash

async function newFlow(page, name) {
  await page.getByRole('button', { name: '+ New flow' }).click()
  await page.getByLabel('Name', { exact: true }).fill(name)
  await page.getByLabel('Folder', { exact: true }).fill('E2E edits')
  await page.getByRole('button', { name: 'Create' }).click()
  await card(page, 'Manual Run').waitFor()
}

async function runWith(page, values) {
  await page.getByTestId('run').click()
  const panel = page.getByRole('complementary', { name: 'Run with test input' })
  await panel.waitFor()
  for (const [k, v] of Object.entries(values)) {
    const box = panel.getByLabel(k, { exact: true })
    // the panel prefills a sample input once it arrives: type after it, or it overwrites the typing
    await box.and(page.locator('[value]:not([value=""])')).waitFor()
    await box.fill(v)
  }
  await panel.getByTestId('run-now').click()
  const bar = page.getByTestId('runbar')
  await bar.waitFor()
  assert.match(await bar.textContent(), /success/, `run status: ${await bar.textContent()}`)
  return bar
}

try {
  // ---------------------------------------------------------------- A
  step('A: no edit is lost')
  const server = await startServer(tempDir('flowbench-edits-'))
  servers.push(server)
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  let page = await ctx.newPage()
  let con = watchConsole(page)
  const shot = (n) => page.screenshot({ path: join(shots, `${n}.png`) })

  step('the token URL sets an HttpOnly, SameSite=Strict session cookie')
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  const port = new URL(server.base).port
  const cookie = (await ctx.cookies(server.base)).find((c) => c.name === `flowbench_session_${port}`)
  assert.ok(cookie, `session cookie: ${JSON.stringify(await ctx.cookies(server.base))}`)
  assert.equal(cookie.httpOnly, true)
  assert.equal(cookie.sameSite, 'Strict')
  assert.equal(cookie.path, '/')
  assert.equal(await page.evaluate(() => document.cookie), '', 'scripts cannot read it')

  step('build a flow: Manual Run (first) → To Upper Case')
  await newFlow(page, 'E2E edits')
  const flowPath = flowHash(page)
  assert.match(flowPath, /^#\/flow\//)
  await addTriggerOutput(page, 'first')
  await dropRight(page, 'text.upper', 'To Upper Case', 'Manual Run')
  await card(page, 'To Upper Case').waitFor()
  await drag(page, card(page, 'Manual Run').getByTestId('out-first'), card(page, 'To Upper Case').getByTestId('input-string'))
  await card(page, 'To Upper Case').getByTestId('input-string').getByTestId('binding-pill').waitFor()
  assert.match(await page.getByTestId('dirty').textContent(), /Unsaved/)

  step('nav link History while unsaved: Save / Discard / Cancel; Cancel stays')
  await mainNav(page, 'History').click()
  await guard(page).waitFor()
  await shot('A1-guard-nav-link')
  assert.match(await guard(page).textContent(), /“E2E edits” has changes that are not saved/)
  for (const b of ['Cancel', 'Discard changes', 'Save']) assert.equal(await guard(page).getByRole('button', { name: b, exact: true }).count(), 1, b)
  await guard(page).getByRole('button', { name: 'Cancel' }).click()
  await guard(page).waitFor({ state: 'detached' })
  assert.equal(flowHash(page), flowPath)
  assert.match(await page.getByTestId('dirty').textContent(), /Unsaved/)
  await card(page, 'To Upper Case').getByTestId('input-string').getByTestId('binding-pill').waitFor()

  step('browser Back while unsaved: the dialog again; Escape cancels')
  await page.goBack()
  await guard(page).waitFor()
  assert.equal(flowHash(page), flowPath, 'the address went back to the flow')
  await page.keyboard.press('Escape')
  await guard(page).waitFor({ state: 'detached' })
  assert.equal(await card(page, 'To Upper Case').count(), 1)

  step('reload: the browser asks first; the draft survives; the cookie keeps the session')
  let prompted = ''
  page.once('dialog', (d) => { prompted = d.type(); void d.accept() })
  await page.reload()
  assert.equal(prompted, 'beforeunload', 'the browser asked before reloading')
  assert.ok(!page.url().includes('token='), 'no token in the address')
  const banner = page.getByTestId('draft-banner')
  await banner.waitFor()
  assert.equal(await card(page, 'To Upper Case').count(), 0, 'the saved flow opens first')
  assert.match(await banner.textContent(), /Unsaved changes from/)
  await shot('A2-draft-after-reload')
  await banner.getByRole('button', { name: 'Restore changes' }).click()
  await card(page, 'To Upper Case').getByTestId('input-string').getByTestId('binding-pill').waitFor()
  assert.match(await page.getByTestId('dirty').textContent(), /Unsaved/)
  con.check()

  step('a crashed tab (closed without any prompt): a new tab restores the draft')
  await page.close({ runBeforeUnload: false })
  page = await ctx.newPage()
  con = watchConsole(page)
  await page.goto(server.base) // no token: the cookie signs in
  const mark = page.getByTestId('flow-E2E edits').getByTestId('draft-mark')
  await mark.waitFor() // the list says which flow has unsaved changes kept
  await shot('A2b-home-draft-mark')
  await page.getByRole('link', { name: 'E2E edits' }).click()
  assert.equal(flowHash(page), flowPath)
  await page.getByTestId('draft-banner').getByRole('button', { name: 'Restore changes' }).click()
  await card(page, 'To Upper Case').getByTestId('input-string').getByTestId('binding-pill').waitFor()

  step('Flows link → Save: stored, then home')
  await mainNav(page, 'Flows').click()
  await guard(page).getByRole('button', { name: 'Save', exact: true }).click()
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  assert.equal(await page.getByTestId('flow-E2E edits').getByTestId('draft-mark').count(), 0, 'saved: no draft left')
  const stored = (await api(server, 'ListFlows')).find((f) => f.name === 'E2E edits')
  assert.equal(stored.cards, 1, 'the saved flow has the To Upper Case card')

  step('reopen: saved, no draft offered; rename, toolbar History → Discard')
  await page.getByRole('link', { name: 'E2E edits' }).click()
  await card(page, 'To Upper Case').waitFor()
  assert.equal(await page.getByTestId('draft-banner').count(), 0)
  assert.match(await page.getByTestId('dirty').textContent(), /Saved/)
  const nameBox = page.getByLabel('Flow name')
  await nameBox.click()
  await nameBox.press('End')
  await page.keyboard.type(' (oops)')
  await page.locator('.toolbar').getByRole('button', { name: 'History', exact: true }).click()
  await guard(page).getByRole('button', { name: 'Discard changes' }).click()
  await page.getByRole('heading', { name: /History/ }).first().waitFor()
  assert.match(new URL(page.url()).hash, /^#\/history\//)
  assert.equal((await api(server, 'GetFlow', stored.id)).name, 'E2E edits')

  step('Back to the flow (nothing unsaved: no dialog); run it')
  await page.goBack()
  await card(page, 'To Upper Case').waitFor()
  assert.equal(await guard(page).count(), 0)
  assert.equal(await page.getByLabel('Flow name').inputValue(), 'E2E edits')
  assert.equal(await page.getByTestId('draft-banner').count(), 0, 'the discarded draft is gone')
  const bar = await runWith(page, { first: 'ada lovelace' })
  await shot('A3-ran')
  await bar.getByRole('button', { name: 'open in history' }).click()
  const rin = card(page, 'To Upper Case').getByTestId('input-string').getByTestId('recorded-input')
  await rin.waitFor()
  assert.equal(await rin.textContent(), '"ada lovelace"') // history shows JSON values
  const rout = card(page, 'To Upper Case').getByTestId('output-output').getByTestId('recorded-output')
  assert.equal(await rout.textContent(), '"ADA LOVELACE"')
  await shot('A4-history')
  con.check()
  await ctx.close()

  // ---------------------------------------------------------------- B
  step('B: a flow imported switched on listens at once')
  const ctxB = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  page = await ctxB.newPage()
  con = watchConsole(page)
  const shotB = (n) => page.screenshot({ path: join(shots, `${n}.png`) })
  const endpointFlow = (id, name, extra = []) => ({
    format: 'flowbench.flow/v1', id, name, enabled: true, settings: { history: true },
    trigger: { id: 'trigger', type: 'api.endpoint', title: 'API Endpoint', inputs: extra, outputs: [{ key: 'n', group: 'body', type: 'number' }] },
    cards: [{ id: 'r', type: 'flow.return', title: 'Return', inputs: [{ key: 'got', from: { card: 'trigger', path: ['n'] } }] }],
  })
  const file = join(tempDir('flowbench-edits-import-'), 'endpoints.folder.json')
  writeFileSync(file, JSON.stringify({
    format: 'flowbench.folder/v1', name: 'E2E imported',
    flows: [endpointFlow('e2e-imported-on', 'E2E imported on'), endpointFlow('e2e-imported-bad', 'E2E imported bad', [{ key: 'rateLimit', value: '-1' }])],
  }))
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  await page.locator('input[type=file][aria-label="Import file"]').setInputFiles(file)
  const report = page.getByRole('dialog', { name: 'Import report' })
  await report.getByTestId('import-report').waitFor()
  const kept = report.getByTestId('import-switched-off')
  assert.equal(await kept.count(), 1, 'one flow kept off')
  assert.match(await kept.textContent(), /Kept off — its trigger cannot start: .*API Endpoint › Rate limit \(requests\/s\)/, await kept.textContent())
  await shotB('B0-import-report')
  await report.getByRole('button', { name: 'Close' }).click()
  const onSwitch = page.getByRole('switch', { name: 'Turn E2E imported on off' })
  await onSwitch.waitFor()
  assert.equal(await onSwitch.isChecked(), true, 'listed On')
  const badSwitch = page.getByRole('switch', { name: 'Turn E2E imported bad on' })
  assert.equal(await badSwitch.isChecked(), false, 'the flow that cannot listen is listed Off')
  await shotB('B1-imported-list')

  step('its endpoint answers without toggling: URL and token from the trigger card')
  await page.getByRole('link', { name: 'E2E imported on' }).click()
  const tc = card(page, 'API Endpoint')
  await tc.getByTestId('endpoint-url').waitFor()
  const url = await tc.getByTestId('endpoint-url').textContent()
  await tc.getByRole('button', { name: /^Show / }).click()
  const secret = await tc.getByTestId('trigger-secret').textContent()
  assert.match(url, /\/api\/flows\/e2e-imported-on\/invoke$/)
  await shotB('B2-imported-listening')
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'x-api-client-token': secret }, body: '{"n": 42}' })
  assert.equal(res.status, 200, await res.clone().text())
  assert.deepEqual(await res.json(), { got: 42 })

  step('history shows the endpoint run with its values')
  await mainNav(page, 'History').click()
  const row = page.getByTestId('execution-row').filter({ hasText: 'E2E imported on' }).first()
  await row.waitFor()
  await row.click()
  const got = card(page, 'Return').getByTestId('input-got').getByTestId('recorded-input')
  await got.waitFor()
  assert.equal(await got.textContent(), '42')
  await shotB('B3-endpoint-history')
  con.check()
  await ctxB.close()

  // ---------------------------------------------------------------- C
  step('C: the sandbox keeps its address across restarts')
  const data = tempDir('flowbench-edits-sandbox-')
  let s1 = await startServer(data)
  servers.push(s1)
  const ctxC = await browser.newContext({ viewport: { width: 1440, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] })
  page = await ctxC.newPage()
  con = watchConsole(page)
  const shotC = (n) => page.screenshot({ path: join(shots, `${n}.png`) })
  await page.goto(s1.url)
  await mainNav(page, 'Connections').click()
  await page.getByRole('button', { name: '+ Okta', exact: true }).click()
  const form = page.locator('form.conn-form')
  const hint = form.getByTestId('sandbox-hint')
  await hint.waitFor()
  const sandboxUrl = await hint.getByTestId('sandbox-url').textContent()
  const sandboxToken = await hint.getByTestId('sandbox-token').textContent()
  assert.match(sandboxUrl, /^http:\/\/127\.0\.0\.1:\d+$/)
  assert.ok(sandboxToken.length > 20)
  await hint.getByRole('button', { name: 'Copy sandbox URL' }).click()
  await hint.getByRole('button', { name: 'Copy sandbox URL' }).filter({ hasText: 'Copied' }).waitFor()
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), sandboxUrl, 'the URL is on the clipboard')
  await shotC('C1-connection-form-sandbox')
  await form.getByLabel('Name', { exact: true }).fill('My sandbox')
  await hint.getByRole('button', { name: 'Use the sandbox' }).click()
  assert.equal(await form.getByLabel('Okta domain').inputValue(), sandboxUrl)
  assert.equal(await form.getByLabel('API token').inputValue(), sandboxToken)
  await form.getByTestId('save-connection').click()
  const conn = page.getByTestId('connection-My sandbox')
  await conn.getByTestId('test-report').filter({ hasText: 'Connection works' }).waitFor()

  step('a flow reads a user through that connection; saved')
  await mainNav(page, 'Flows').click()
  await newFlow(page, 'E2E sandbox read')
  await addTriggerOutput(page, 'login')
  await dropRight(page, 'okta.readUser', 'Read User', 'Manual Run')
  await card(page, 'Read User').waitFor()
  await card(page, 'Read User').getByLabel('Connection').selectOption({ label: 'My sandbox' })
  await drag(page, card(page, 'Manual Run').getByTestId('out-login'), card(page, 'Read User').getByTestId('input-ID or Login'))
  await card(page, 'Read User').getByTestId('input-ID or Login').getByTestId('binding-pill').waitFor()
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  con.check()

  step('restart the app on the same data folder')
  await page.goto('about:blank') // no page of the old server left polling it
  await stopServer(s1)
  const s2 = await startServer(data)
  servers.push(s2)
  await page.goto(s2.url)
  await mainNav(page, 'Connections').click()
  await page.getByRole('button', { name: '+ Okta', exact: true }).click()
  await form.getByTestId('sandbox-hint').waitFor()
  assert.equal(await form.getByTestId('sandbox-url').textContent(), sandboxUrl, 'same sandbox address')
  assert.equal(await form.getByTestId('sandbox-token').textContent(), sandboxToken, 'same token')
  await form.getByRole('button', { name: 'Cancel' }).click()
  assert.equal(await page.getByTestId('sandbox-notice').count(), 0, 'no address change to report')
  await conn.getByTestId('test-connection').click()
  await conn.getByTestId('test-report').filter({ hasText: 'Connection works' }).waitFor()
  await shotC('C2-after-restart')

  step('the flow runs through it after the restart; history shows the user')
  await mainNav(page, 'Flows').click()
  await page.getByRole('link', { name: 'E2E sandbox read' }).click()
  await card(page, 'Read User').waitFor()
  const barC = await runWith(page, { login: 'alice.nguyen@example.com' })
  await barC.getByRole('button', { name: 'open in history' }).click()
  const rl = card(page, 'Read User').getByTestId('input-ID or Login').getByTestId('recorded-input')
  await rl.waitFor()
  assert.equal(await rl.textContent(), '"alice.nguyen@example.com"')
  assert.match(await card(page, 'Read User').getByTestId('card-status').textContent(), /success/)
  await shotC('C3-run-after-restart')
  con.check()

  step('another program takes the sandbox port: it moves, says so, and the connection moves with it')
  await page.goto('about:blank') // no page of the old server left polling it
  await stopServer(s2)
  const blocker = createServer(() => undefined)
  await new Promise((res, rej) => blocker.once('error', rej).listen(Number(new URL(sandboxUrl).port), '127.0.0.1', res))
  const s3 = await startServer(data)
  servers.push(s3)
  blocker.close()
  await page.goto(s3.url)
  await mainNav(page, 'Connections').click()
  const notice = page.getByTestId('sandbox-notice')
  await notice.waitFor()
  assert.match(await notice.textContent(), new RegExp(`${sandboxUrl.replace(/[.]/g, '\\.')} was taken.*My sandbox`), await notice.textContent())
  const movedUrl = await conn.locator('code').textContent()
  assert.notEqual(movedUrl, sandboxUrl)
  await conn.getByTestId('test-connection').click()
  await conn.getByTestId('test-report').filter({ hasText: 'Connection works' }).waitFor()
  await shotC('C4-sandbox-moved')
  await mainNav(page, 'Flows').click()
  await page.getByRole('link', { name: 'E2E sandbox read' }).click()
  await card(page, 'Read User').waitFor()
  const barM = await runWith(page, { login: 'bob.martinez@example.com' })
  await barM.getByRole('button', { name: 'open in history' }).click()
  const rb = card(page, 'Read User').getByTestId('input-ID or Login').getByTestId('recorded-input')
  await rb.waitFor()
  assert.equal(await rb.textContent(), '"bob.martinez@example.com"')
  assert.match(await card(page, 'Read User').getByTestId('card-status').textContent(), /success/)
  await shotC('C5-run-after-move')
  con.check()
  await ctxC.close()
} catch (e) {
  failed = true
  console.error(e)
} finally {
  await browser.close()
  for (const s of servers) await stopServer(s)
}
if (failed) process.exit(1)
console.log('edits e2e: ok')
