// End-to-end test of issue 16 point 3 (environments) against `flowbench
// serve`, with real pointer and keyboard: the sandbox connection gets a
// prod binding (the same tenant reached as localhost: another domain); a
// flow Manual Run(login) → Read User runs in dev (the Run panel names the
// dev tenant); the top bar switches to prod, the Run panel names the prod
// tenant and the run asks for confirmation; history shows both runs with
// their environment and tenant; the flow's own environment is flow state
// and its export names no environment. Run from the repository root:
// node e2e/environments.spec.mjs
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { api, card, drag, dropRight, finish, openPage, reportFailure, setup, step } from './lib.mjs'

const SANDBOX_TOKEN = '00SandboxFlowbenchDefaultApiToken0000000000'
const LOGIN = 'sandbox.admin@example.com'
const { shots, server, browser } = await setup('environments', { dataPrefix: 'flowbench-envs-' })
let failed = false
let page

try {
  const p = await openPage(browser, shots, { width: 1500, height: 950 })
  page = p.page
  const { con, shot } = p
  const info = await api(server, 'Info')
  const devTenant = info.sandboxUrl.replace(/^https?:\/\//, '')
  const prodUrl = info.sandboxUrl.replace('127.0.0.1', 'localhost')
  const prodTenant = prodUrl.replace(/^https?:\/\//, '')

  step('bind prod on the sandbox connection: another domain, its own token')
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  assert.equal(await page.getByTestId('env-switch').inputValue(), 'dev', 'dev is active at first')
  await page.getByRole('link', { name: 'Connections' }).click()
  const conn = page.getByTestId('connection-Sandbox tenant')
  await conn.getByRole('button', { name: 'Edit' }).click()
  const form = page.locator('form.conn-form')
  await form.getByLabel('Bind prod').check()
  await form.getByLabel('prod Okta domain').fill(prodUrl)
  await form.getByLabel('prod API token').fill(SANDBOX_TOKEN)
  await shot('01-prod-binding')
  await form.getByTestId('save-connection').click()
  await conn.getByTestId('test-report').filter({ hasText: 'Connection works' }).waitFor()

  step('a flow: Manual Run (login) → Read User(login) on the sandbox connection')
  await page.getByRole('link', { name: 'Flows' }).click()
  await page.getByRole('button', { name: '+ New flow' }).click()
  await page.getByLabel('Name', { exact: true }).fill('E2E envs')
  await page.getByRole('button', { name: 'Create' }).click()
  await card(page, 'Manual Run').waitFor()
  await card(page, 'Manual Run').getByLabel('New output name').fill('login')
  await page.keyboard.press('Enter')
  await card(page, 'Manual Run').getByTestId('out-login').waitFor()
  await dropRight(page, 'okta.readUser', 'Read User', 'Manual Run')
  const read = card(page, 'Read User')
  await read.waitFor()
  await read.getByLabel('Connection').selectOption({ label: 'Sandbox tenant' })
  await drag(page, card(page, 'Manual Run').getByTestId('out-login'), read.getByTestId('input-ID or Login'))
  await read.getByTestId('input-ID or Login').getByTestId('binding-pill').waitFor()
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()

  const panel = page.getByRole('complementary', { name: 'Run with test input' })
  const openRun = async () => {
    await page.getByTestId('run').click()
    await panel.waitFor()
    const loginBox = panel.locator('label.form-row', { hasText: 'login' }).locator('input, textarea').first()
    await loginBox.click()
    await page.keyboard.press('Control+a')
    await page.keyboard.type(LOGIN)
  }

  step('run in dev: the Run panel names the dev tenant; no confirmation')
  await openRun()
  await panel.getByTestId('run-targets').filter({ hasText: `Runs in dev: ${devTenant} (Sandbox tenant)` }).waitFor()
  await panel.getByTestId('run-now').click()
  await page.getByTestId('runbar').filter({ hasText: 'success' }).waitFor()
  await panel.getByRole('button', { name: 'Close run panel' }).click()

  step('switch the top bar to prod: the Run panel names the prod tenant and the run asks first')
  await page.getByTestId('env-switch').selectOption('prod')
  await openRun()
  await panel.getByTestId('run-targets').filter({ hasText: `Runs in prod: ${prodTenant} (Sandbox tenant)` }).waitFor()
  await shot('02-run-panel-prod')
  await panel.getByTestId('run-now').click()
  const ask = page.getByRole('dialog', { name: 'Run against prod?' })
  await ask.waitFor()
  assert.match(await ask.getByTestId('prod-tenants').textContent(), new RegExp(prodTenant.replace(/[.:]/g, '\\$&')))
  await shot('03-prod-confirm')
  await ask.getByRole('button', { name: 'Cancel' }).click()
  assert.equal((await api(server, 'ListExecutions', { limit: 10 })).length, 1, 'Cancel runs nothing')
  await panel.getByTestId('run-now').click()
  await ask.getByTestId('confirm-prod-run').click()
  await page.getByTestId('runbar').filter({ hasText: 'success' }).nth(0).waitFor()
  for (let i = 0; i < 50 && (await api(server, 'ListExecutions', { limit: 10 })).length < 2; i++) await page.waitForTimeout(100)

  step('history shows each run with its environment and tenant')
  await page.getByRole('link', { name: 'History' }).click()
  const rows = page.getByTestId('execution-row')
  await rows.nth(1).waitFor()
  assert.equal(await rows.count(), 2)
  assert.equal(await rows.nth(0).getByTestId('env-badge').textContent(), `prod · ${prodTenant}`)
  assert.equal(await rows.nth(1).getByTestId('env-badge').textContent(), `dev · ${devTenant}`)
  await shot('04-history-envs')
  await rows.nth(0).click()
  await page.locator('h1.flow-name').waitFor()
  await page.getByTestId('attempts').getByTestId('env-badge').filter({ hasText: `prod · ${prodTenant}` }).waitFor()
  const recorded = await card(page, 'Read User').textContent()
  assert.ok(recorded.includes(LOGIN), 'the prod run read the user')

  step("the flow's own environment is flow state: the export names none")
  await page.getByRole('button', { name: 'Edit flow' }).click()
  const flowEnv = page.getByLabel('Flow environment')
  await flowEnv.selectOption('staging')
  const unbound = page.getByTestId('flow-env-unbound')
  await unbound.filter({ hasText: 'no staging binding' }).waitFor()
  assert.match(await unbound.getAttribute('title'), /^Sandbox tenant has no staging binding: in staging this flow reaches .* \(Sandbox tenant: no staging binding, its dev settings\)/)
  await shot('04b-flow-env-unbound')
  await flowEnv.selectOption('prod')
  await unbound.waitFor({ state: 'detached' })
  await page.reload()
  await page.getByLabel('Flow environment').waitFor()
  assert.equal(await page.getByLabel('Flow environment').inputValue(), 'prod', 'kept across a reload')
  assert.equal(await page.getByTestId('dirty').textContent(), 'Saved', 'choosing it does not edit the flow')
  const dl = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export' }).click()
  const text = readFileSync(await (await dl).path(), 'utf8')
  assert.ok(text.includes('okta.readUser'), 'the export')
  assert.ok(!/prod|staging|environment|localhost/.test(text), 'the export names no environment')

  step('another window switches to staging: this window (showing prod) asks before its next run, naming staging')
  const other = await browser.newPage()
  await other.goto(server.url)
  await other.getByTestId('env-switch').selectOption('staging')
  await other.getByRole('heading', { name: 'Flows' }).waitFor()
  for (let i = 0; i < 50 && (await api(server, 'Environments')).active !== 'staging'; i++) await page.waitForTimeout(100)
  await other.close()
  assert.equal(await page.getByTestId('env-switch').inputValue(), 'prod', 'this window still shows prod')
  await openRun()
  await panel.getByTestId('run-now').click()
  const switched = page.getByRole('dialog', { name: 'The environment is now staging' })
  await switched.waitFor()
  assert.match(await switched.getByTestId('env-switched').textContent(), new RegExp(`from prod to staging\\. .*${devTenant.replace(/[.:]/g, '\\$&')} \\(Sandbox tenant: no staging binding, its dev settings\\)`))
  assert.equal(await page.getByTestId('env-switch').inputValue(), 'staging', 'the top bar follows')
  await shot('05-env-switched-elsewhere')
  await switched.getByRole('button', { name: 'Run in staging' }).click()
  for (let i = 0; i < 50 && (await api(server, 'ListExecutions', { limit: 10 })).length < 3; i++) await page.waitForTimeout(100)
  const newest = (await api(server, 'ListExecutions', { limit: 10 }))[0]
  assert.equal(newest.environment, 'staging', 'the run went where the dialog said')

  step('History: Re-run the prod run while staging is active: it runs in prod again, as the dialog says')
  await page.getByRole('link', { name: 'History' }).click()
  await rows.filter({ has: page.getByTestId('env-badge').filter({ hasText: /^prod/ }) }).first().click()
  await page.getByTestId('attempts').getByTestId('env-badge').filter({ hasText: `prod · ${prodTenant}` }).waitFor()
  await page.getByTestId('rerun').click()
  const rerun = page.getByRole('dialog', { name: 'Re-run this execution' })
  assert.equal(await rerun.getByTestId('retry-env').textContent(), 'prod')
  await rerun.getByTestId('confirm-rerun').click()
  for (let i = 0; i < 50 && (await api(server, 'ListExecutions', { limit: 10 })).length < 4; i++) await page.waitForTimeout(100)
  const rerunRow = (await api(server, 'ListExecutions', { limit: 10 }))[0]
  assert.equal(rerunRow.environment, 'prod', 'the re-run used the prod binding')
  assert.equal(rerunRow.tenant, prodTenant)

  step('the flow list: switched on, the flow says which environment its triggers run it in')
  await page.getByRole('link', { name: 'Flows' }).click()
  const flowRow = page.getByTestId('flow-E2E envs')
  await flowRow.getByRole('switch').click()
  await flowRow.getByTestId('flow-env-badge').filter({ hasText: 'runs in prod' }).waitFor()
  await shot('06-flow-list-env')
  await flowRow.getByRole('switch').click()
  await flowRow.getByTestId('flow-env-badge').waitFor({ state: 'detached' })
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
