// End-to-end test of issue 10 point 8 (Okta connector action cards) through
// the browser UI against `flowbench serve` and its sandbox tenant, as an Okta
// Workflows admin builds it with the pointer and keyboard:
//   provision — Manual Run (login) → Read User → Search Applications (GitHub)
//               → Assign User to Application for SSO and Provisioning (app and
//               user wired, Username typed, profile property userName added)
//               → Concatenate (/api/v1/users/ + ID + /factors) → Okta Devices'
//               Custom API Action (GET the user's factors). The run succeeds;
//               History shows the assignment (scope USER, the profile's
//               userName) and 200 with the user's email factor.
//   reload    — Back to the designer and a reload keep the wiring and the
//               added profile property.
//   wrong     — a profile property the application does not define
//               (department) fails the run on the assign card, naming the
//               field and the app's attributes; removing it runs again.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/oa/flowbench node e2e/okta-actions.spec.mjs
import assert from 'node:assert/strict'
import { api, card, drag, finish, openPage, openRunInHistory, reportFailure, setup, step } from './lib.mjs'

const ASSIGN = 'Assign User to Application for SSO and Provisioning'
const { shots, server, browser } = await setup('okta-actions')
let failed = false
let page
try {
  const o = await openPage(browser, shots, { width: 2200, height: 1100 })
  page = o.page
  const { con, shot } = o
  const conn = (await api(server, 'ListConnections')).find((c) => c.kind === 'okta')
  assert.ok(conn, 'a ready Okta sandbox connection')

  // dropAt drags a palette card onto the canvas at (dx, dy) from the canvas's corner.
  const dropAt = async (specId, search, dx, dy) => {
    await page.getByLabel('Search cards').fill(search)
    await drag(page, page.getByTestId(`palette-${specId}`), page.locator('.canvas'), { dx, dy })
    await page.getByLabel('Search cards').fill('')
  }
  const right = async (title) => {
    const b = await card(page, title).boundingBox()
    const cv = await page.locator('.canvas').boundingBox()
    return b.x + b.width + 50 - cv.x
  }
  const typeIn = async (c, key, text) => {
    const box = c.getByTestId(`input-${key}`).locator('input, textarea').first()
    await box.click()
    await page.keyboard.press('Control+a')
    await page.keyboard.type(text)
    await box.press('Tab')
  }
  const wire = async (from, out, to, input) => {
    const more = card(page, from).getByTestId('more-outputs')
    if (await more.count() && (await more.getAttribute('aria-expanded')) === 'false') await more.click()
    await drag(page, card(page, from).getByTestId(`out-${out}`), card(page, to).getByTestId(`input-${input}`))
    await card(page, to).getByTestId(`input-${input}`).getByTestId('binding-pill').waitFor()
  }
  const addInput = async (title, name) => {
    const c = card(page, title)
    await c.getByLabel('New input name').click()
    await page.keyboard.type(name)
    await page.keyboard.press('Enter')
    await c.getByTestId(`input-${name}`).waitFor()
  }
  const save = async () => {
    await page.keyboard.press('Control+s')
    await page.getByTestId('dirty').filter({ hasText: 'Saved' }).waitFor()
  }
  const run = async (login) => {
    // clear the last run's bar first, so the one waited for is this run's
    const clear = page.getByTestId('runbar').getByRole('button', { name: 'Clear run results' })
    if (await clear.count()) {
      await clear.click()
      await page.getByTestId('runbar').waitFor({ state: 'detached' })
    }
    await page.getByTestId('run').click()
    const panel = page.getByRole('complementary', { name: 'Run with test input' })
    await panel.waitFor()
    const box = panel.getByLabel('login', { exact: true })
    await box.click()
    await page.keyboard.press('Control+a')
    await page.keyboard.type(login)
    await panel.getByTestId('run-now').click()
    const bar = page.getByTestId('runbar')
    await bar.filter({ hasText: /success|failed/ }).waitFor()
    return bar
  }
  const lastRun = async () => {
    const f = (await api(server, 'ListFlows')).find((x) => x.name === 'E2E Okta provisioning')
    const runs = await api(server, 'ListExecutions', { flow: f.id })
    const list = Array.isArray(runs) ? runs : runs.executions || runs.items || []
    return api(server, 'GetExecution', list[0].id)
  }

  step('create a flow with a login input')
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  await page.getByRole('button', { name: '+ New flow' }).click()
  await page.getByLabel('Name', { exact: true }).fill('E2E Okta provisioning')
  await page.getByLabel('Folder', { exact: true }).fill('E2E')
  await page.getByRole('button', { name: 'Create' }).click()
  await card(page, 'Manual Run').waitFor()
  await card(page, 'Manual Run').getByLabel('New output name').fill('login')
  await card(page, 'Manual Run').locator('.addfield').getByRole('button', { name: 'Add' }).click()
  await card(page, 'Manual Run').getByTestId('out-login').waitFor()

  step('Read User by the login; Search Applications for GitHub')
  await dropAt('okta.readUser', 'Read User', await right('Manual Run'), 60)
  await card(page, 'Read User').waitFor()
  await card(page, 'Read User').getByLabel('Connection').selectOption({ label: conn.name })
  await wire('Manual Run', 'login', 'Read User', 'ID or Login')
  await dropAt('okta.searchApplications', 'Search Applications', await right('Read User'), 60)
  await card(page, 'Search Applications').waitFor()
  await card(page, 'Search Applications').getByLabel('Connection').selectOption({ label: conn.name })
  await typeIn(card(page, 'Search Applications'), 'Query', 'GitHub')

  step(`${ASSIGN}: the app and the user wired, Username typed, profile property userName added`)
  await dropAt('okta.assignUserToApplicationForSSOAndProvisioning', 'SSO and Provisioning', await right('Search Applications'), 60)
  const as = card(page, ASSIGN)
  await as.waitFor()
  await as.getByLabel('Connection').selectOption({ label: conn.name })
  await wire('Search Applications', 'ID', ASSIGN, 'applicationID')
  await wire('Read User', 'ID', ASSIGN, 'User/id')
  await typeIn(as, 'Username', 'carol.gh')
  await addInput(ASSIGN, 'userName')
  await typeIn(as, 'userName', 'carol-okafor-gh')
  await shot('01-assign-card')

  step("Concatenate the factors URL; Okta Devices' Custom API Action GETs it")
  await dropAt('text.concat', 'Concatenate', await right(ASSIGN), 60)
  const cc = card(page, 'Concatenate')
  await cc.waitFor()
  await typeIn(cc, 'string1', '/api/v1/users/')
  await wire('Read User', 'ID', 'Concatenate', 'string2')
  await addInput('Concatenate', 'text 3')
  await typeIn(cc, 'text 3', '/factors')
  await dropAt('oktadevices.customApiAction', 'Okta Devices', await right('Concatenate'), 60)
  await page.getByRole('button', { name: 'Fit', exact: true }).click() // the whole flow in view
  const ca = card(page, 'Custom API Action')
  await ca.waitFor()
  await ca.getByLabel('Connection').selectOption({ label: conn.name })
  await wire('Concatenate', 'output', 'Custom API Action', 'Relative URL')
  await save()
  await shot('02-flow-built')

  step('run with carol.okafor@example.com: success; History shows the assignment and the factors')
  let bar = await run('carol.okafor@example.com')
  await shot('03-ran')
  assert.match(await bar.textContent(), /success/, `run: ${await bar.textContent()}`)
  await openRunInHistory(page)
  const status = card(page, 'Custom API Action').getByTestId('output-Status Code').getByTestId('recorded-output')
  await status.waitFor()
  assert.equal((await status.textContent()).trim(), '200')
  await card(page, ASSIGN).getByTestId('more-outputs').click() // "11 more outputs"
  const scope = card(page, ASSIGN).getByTestId('output-Scope').getByTestId('recorded-output')
  await scope.waitFor()
  assert.equal((await scope.textContent()).trim(), '"USER"')
  await shot('04-history')
  const ex = await lastRun()
  const rec = JSON.stringify(ex)
  assert.match(rec, /"factorType":"email"/, 'history records the user\'s email factor')
  assert.match(rec, /carol-okafor-gh/, 'history records the app profile\'s userName')
  assert.match(rec, /"status":"success"/)

  step('Back to the designer and reload: the card keeps its wiring and the added profile property')
  await page.goBack()
  await card(page, ASSIGN).waitFor()
  await page.reload()
  await card(page, ASSIGN).waitFor()
  assert.match(await card(page, ASSIGN).getByTestId('input-applicationID').getByTestId('binding-pill').textContent(), /Search Applications/)
  assert.match(await card(page, ASSIGN).getByTestId('input-User/id').getByTestId('binding-pill').textContent(), /Read User/)
  assert.equal(await card(page, ASSIGN).getByTestId('input-userName').locator('input, textarea').first().inputValue(), 'carol-okafor-gh')

  step('wrong value: a profile property GitHub does not define fails on the card, naming it')
  await addInput(ASSIGN, 'department')
  await typeIn(card(page, ASSIGN), 'department', 'Sales')
  await save()
  bar = await run('carol.okafor@example.com')
  assert.match(await bar.textContent(), /failed/)
  assert.match(await bar.textContent(), /department/, 'the run bar names the field')
  assert.match(await card(page, ASSIGN).getByTestId('card-status').textContent(), /failed/)
  assert.match(await card(page, ASSIGN).textContent(), /not an attribute of application .*user profile \(it has: userName\)/, 'the card says why')
  await shot('05-wrong-property')
  const bad = JSON.stringify(await lastRun())
  assert.match(bad, /department/, 'the failed run names the field')

  step('remove the property with its × button: the run passes again')
  await card(page, ASSIGN).getByRole('button', { name: 'Remove input department' }).click()
  await card(page, ASSIGN).getByTestId('input-department').waitFor({ state: 'detached' })
  await save()
  bar = await run('carol.okafor@example.com')
  assert.match(await bar.textContent(), /success/, `run after the fix: ${await bar.textContent()}`)
  await shot('06-fixed')
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
