// End-to-end test of the Connections page and of connection placeholders
// through import and export, as a daily Okta Workflows admin uses them, with
// the pointer and the keyboard against `flowbench serve`:
// - a new Okta connection shows and requires only the chosen authentication's
//   fields (API token; Client ID and Client secret for OAuth 2.0);
// - a wrong domain is saved but its test fails on the settings step, naming
//   the domain, with the fix;
// - the sandbox connection works; editing it never shows the token back, and
//   a rename keeps the stored token;
// - a teammate's exported flow whose Read User card names a connection this
//   machine lacks is imported through Import…: the report lists it to bind
//   (kind Okta), it is bound to the renamed connection, the flow runs with the
//   Run panel and History shows the user read;
// - Export writes the flow without any secret; deleting the connection the
//   flow uses (the confirmation names the flow) leaves the card saying the
//   connection does not exist, and the
//   Run panel names it as no such connection (not "nothing outside is touched");
// - the Realms template, whose Okta cards name no connection, gets one row
//   "Okta cards with no connection" in the import report; bound to the
//   sandbox, its flow runs and exports the realm users.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/x/flowbench node e2e/connections.spec.mjs
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { api, bindPlaceholder, card, finish, importFile, lastRun, openRunInHistory, recordedOutput, reportFailure, runNow, runWith, setup, step, tempDir, watchConsole } from './lib.mjs'

const LOGIN = 'carol.okafor@example.com'
const REALMS = join(process.env.FLOWBENCH_CORPUS || '/work/shared/corpus/okta-workflows-templates', 'generate_reports_for_okta_realms/workflow.flopack')
const SANDBOX_TOKEN = '00SandboxFlowbenchDefaultApiToken0000000000'
// a flow exported on another machine: its Read User card uses that machine's "acme-prod"
const FLOW = join(tempDir('flowbench-conn-'), 'read-user.flow.json')
writeFileSync(FLOW, JSON.stringify({
  format: 'flowbench.flow/v1', id: 'e2e-read-user', name: 'E2E read user', folder: 'E2E', settings: { history: true },
  trigger: { id: 'trigger', type: 'flow.manual', title: 'Manual Run', outputs: [{ key: 'login', type: 'string' }] },
  cards: [{ id: 'read', type: 'okta.readUser', title: 'Read User', connection: 'acme-prod',
    inputs: [{ key: 'ID or Login', group: 'User', from: { card: 'trigger', path: ['login'] } }] }],
}, null, 2))

const { shots, server, browser } = await setup('connections')
let failed = false
let page
try {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })
  page = await ctx.newPage()
  const con = watchConsole(page)
  const shot = (n) => page.screenshot({ path: join(shots, `${n}.png`) })
  const form = page.locator('form.conn-form')
  const conn = (name) => page.getByTestId(`connection-${name}`)

  step('+ Okta: only the chosen authentication\'s fields show, and they are required')
  await page.goto(server.url)
  await page.getByRole('link', { name: 'Connections' }).click()
  await page.getByRole('button', { name: '+ Okta', exact: true }).click()
  await form.getByLabel('Name').fill('Acme prod')
  await form.getByLabel('Okta domain').fill('acme.okta.com')
  assert.equal(await form.getByLabel('Client ID').count(), 0, 'no Client ID with an API token')
  await form.getByTestId('save-connection').click()
  await form.getByRole('alert').filter({ hasText: 'Required: API token' }).waitFor()
  await form.getByLabel('Authentication').selectOption({ label: 'OAuth 2.0 client secret' })
  assert.equal(await form.locator('#sec-apiToken').count(), 0, 'no API token field with OAuth 2.0')
  assert.equal(await form.getByRole('alert').count(), 0, 'the message about the API token went with its field')
  await form.getByLabel('Client ID').fill('0oa1clientid')
  await form.getByTestId('save-connection').click()
  await form.getByRole('alert').filter({ hasText: 'Required: Client secret' }).waitFor()
  await shot('01-required-by-method')
  await form.getByRole('button', { name: 'Cancel' }).click()
  assert.equal(await conn('Acme prod').count(), 0, 'nothing saved')

  step('a wrong domain: saved, its test fails on the settings step naming the domain')
  await page.getByRole('button', { name: '+ Okta', exact: true }).click()
  await form.getByLabel('Name').fill('Typo tenant')
  await form.getByLabel('Okta domain').fill('acme okta com')
  await form.locator('#sec-apiToken').click()
  await page.keyboard.type('00notatoken')
  await form.getByTestId('save-connection').click()
  const bad = conn('Typo tenant').getByTestId('test-report')
  await bad.filter({ hasText: 'Connection test failed' }).waitFor()
  const first = bad.locator('li.first')
  assert.match(await first.textContent(), /settings.*"https:\/\/acme okta com" is not a domain name.*Enter your Okta org domain/)
  // the list is sorted by name: the saved connection's result is brought into view, not left below the fold
  const box = await first.boundingBox()
  assert.ok(box.y >= 0 && box.y + box.height <= 900, `the failed step is in view: ${JSON.stringify(box)}`)
  await shot('02-wrong-domain')

  step('the sandbox connection works; Edit never shows the token; a rename keeps it')
  await page.getByRole('button', { name: '+ Okta', exact: true }).click()
  await form.getByLabel('Name').fill('Team tenant')
  await form.getByRole('button', { name: 'Use the sandbox' }).click()
  await form.getByTestId('save-connection').click()
  await conn('Team tenant').getByTestId('test-report').filter({ hasText: 'Connection works' }).waitFor()
  await conn('Team tenant').getByRole('button', { name: 'Edit' }).click()
  const token = form.locator('#sec-apiToken')
  assert.equal(await token.inputValue(), '', 'the token is not shown back')
  assert.equal(await token.getAttribute('placeholder'), 'stored — leave empty to keep')
  const values = await form.locator('input, textarea').evaluateAll((els) => els.map((e) => e.value))
  assert.ok(!values.some((v) => v.includes(SANDBOX_TOKEN)), 'no input holds the token')
  await form.getByLabel('Name').click()
  await page.keyboard.press('Control+a')
  await page.keyboard.type('Team tenant (renamed)')
  await form.getByTestId('save-connection').click()
  await conn('Team tenant (renamed)').getByTestId('test-report').filter({ hasText: 'Connection works' }).waitFor()
  await shot('03-renamed-works')

  step('Edit, switch to OAuth 2.0: its client secret was never stored, so it is required')
  await conn('Team tenant (renamed)').getByRole('button', { name: 'Edit' }).click()
  await form.getByLabel('Authentication').selectOption({ label: 'OAuth 2.0 client secret' })
  await form.getByLabel('Client ID').fill('0oa1clientid')
  assert.equal(await form.locator('#sec-clientSecret').getAttribute('placeholder'), '', 'no "stored" hint for a secret never stored')
  await form.getByTestId('save-connection').click()
  await form.getByRole('alert').filter({ hasText: 'Required: Client secret' }).waitFor()
  await form.getByRole('button', { name: 'Cancel' }).click()

  step('import a teammate\'s flow: the connection it names is listed to bind, as Okta')
  await page.getByRole('link', { name: 'Flows' }).click()
  await importFile(page, FLOW)
  const row = page.getByTestId('bind-connections').locator('li').filter({ hasText: 'acme-prod' })
  assert.equal(await row.locator('.bind-name').textContent(), 'acme-prod — okta')
  await shot('04-import-bind')
  await bindPlaceholder(page, 'Team tenant (renamed)', 'acme-prod')
  await page.locator('dialog[open]').getByRole('button', { name: 'Close' }).click()

  step('the imported flow runs on the bound connection; History shows the user')
  await page.getByRole('link', { name: 'E2E read user' }).click()
  await card(page, 'Read User').waitFor()
  assert.equal(await card(page, 'Read User').getByLabel('Connection').locator('option:checked').textContent(), 'Team tenant (renamed)')
  const bar = await runWith(page, { login: LOGIN })
  assert.match(await bar.textContent(), /success/, await bar.textContent())
  await openRunInHistory(page)
  await card(page, 'Read User').getByTestId('more-outputs').click()
  assert.equal(await recordedOutput(card(page, 'Read User'), 'Status').textContent(), '"ACTIVE"')
  await shot('05-history')
  const ex = await lastRun(server, 'E2E read user')
  assert.equal(ex.status, 'success')
  assert.equal(ex.cards.find((c) => c.title === 'Read User').outputs.login, LOGIN, 'the user read is the one asked for')

  step('Export: the file carries no secret')
  await page.goBack()
  await card(page, 'Read User').waitFor()
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()])
  const text = readFileSync(await dl.path(), 'utf8')
  assert.equal(JSON.parse(text).id, 'e2e-read-user')
  assert.ok(!text.includes(SANDBOX_TOKEN) && !text.includes('00notatoken'), 'no token in the export')

  step('delete the connection the flow uses: the card says it does not exist')
  await page.getByRole('link', { name: 'Connections' }).click()
  await conn('Team tenant (renamed)').getByRole('button', { name: 'Delete' }).click()
  assert.match(await page.locator('dialog[open]').textContent(), /1 flow uses it: E2E read user\. Their cards will need another connection\./)
  await shot('06a-delete-names-flows')
  await page.locator('dialog[open]').getByRole('button', { name: 'Delete' }).click()
  await conn('Team tenant (renamed)').waitFor({ state: 'detached' })
  await page.getByRole('link', { name: 'Flows' }).click()
  await page.getByRole('link', { name: 'E2E read user' }).click()
  await card(page, 'Read User').getByTestId('card-problem').filter({ hasText: /connection "team-tenant" does not exist/ }).waitFor()
  await page.getByTestId('run').click()
  await page.getByTestId('run-targets').filter({ hasText: 'Runs in dev: team-tenant: no such connection (bind it, or choose one on its cards)' }).waitFor()
  await shot('06-deleted-connection')

  step('the Realms template\'s Okta cards name no connection: one row binds them all; the flow runs')
  await page.getByRole('link', { name: 'Flows' }).click()
  await importFile(page, REALMS)
  await bindPlaceholder(page, 'Sandbox tenant', 'Okta cards with no connection')
  assert.match(await page.getByTestId('bind-connections').getByRole('status').textContent(), /bound [1-9]\d* cards?/)
  await shot('07-realms-bound')
  await page.locator('dialog[open]').getByRole('button', { name: 'Close' }).click()
  await page.getByRole('link', { name: '1.0 Get all Realms' }).click()
  await page.locator('.react-flow__node').first().waitFor()
  const { bar: realmsBar } = await runNow(page)
  assert.match(await realmsBar.textContent(), /success/, await realmsBar.textContent())
  const realms = await lastRun(server, '1.0 Get all Realms')
  const csv = realms.cards.filter((c) => c.title === 'Export to CSV').map((c) => c.outputs?.['File Content'] ?? '')
  assert.ok(csv.some((t) => /Realm ID/.test(t) && t.split('\n').length > 1), `realm users exported: ${JSON.stringify(csv).slice(0, 300)}`)
  const list = await api(server, 'ListConnections')
  assert.ok(list.every((c) => Object.values(c.secrets ?? {}).every((v) => v === '********')), 'listed secrets are masked')
  con.check()
  console.log('connections e2e: ok')
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
