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
import { addTriggerOutput, api, card, dropAt, finish, fit, lastRun, newFlow, openPage, openRunInHistory, reportFailure, rightOf, runWith, save, setup, step, typeIn, wire } from './lib.mjs'

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

  const addInput = async (title, name) => {
    const c = card(page, title)
    await c.getByLabel('New input name').click()
    await page.keyboard.type(name)
    await page.keyboard.press('Enter')
    await c.getByTestId(`input-${name}`).waitFor()
  }

  step('create a flow with a login input')
  await page.goto(server.url)
  await newFlow(page, 'E2E Okta provisioning')
  await addTriggerOutput(page, 'login')

  step('Read User by the login; Search Applications for GitHub')
  await dropAt(page, 'okta.readUser', 'Read User', await rightOf(page, 'Manual Run'), 60)
  await card(page, 'Read User').waitFor()
  await card(page, 'Read User').getByLabel('Connection').selectOption({ label: conn.name })
  await wire(page, 'Manual Run', 'login', 'Read User', 'ID or Login')
  await dropAt(page, 'okta.searchApplications', 'Search Applications', await rightOf(page, 'Read User'), 60)
  await card(page, 'Search Applications').waitFor()
  await card(page, 'Search Applications').getByLabel('Connection').selectOption({ label: conn.name })
  await typeIn(page, card(page, 'Search Applications'), 'Query', 'GitHub')

  step(`${ASSIGN}: the app and the user wired, Username typed, profile property userName added`)
  await dropAt(page, 'okta.assignUserToApplicationForSSOAndProvisioning', 'SSO and Provisioning', await rightOf(page, 'Search Applications'), 60)
  const as = card(page, ASSIGN)
  await as.waitFor()
  await as.getByLabel('Connection').selectOption({ label: conn.name })
  await wire(page, 'Search Applications', 'ID', ASSIGN, 'applicationID')
  await wire(page, 'Read User', 'ID', ASSIGN, 'User/id')
  await typeIn(page, as, 'Username', 'carol.gh')
  await addInput(ASSIGN, 'userName')
  await typeIn(page, as, 'userName', 'carol-okafor-gh')
  await shot('01-assign-card')

  step("Concatenate the factors URL; Okta Devices' Custom API Action GETs it")
  await dropAt(page, 'text.concat', 'Concatenate', await rightOf(page, ASSIGN), 60)
  const cc = card(page, 'Concatenate')
  await cc.waitFor()
  await typeIn(page, cc, 'string1', '/api/v1/users/')
  await wire(page, 'Read User', 'ID', 'Concatenate', 'string2')
  await addInput('Concatenate', 'text 3')
  await typeIn(page, cc, 'text 3', '/factors')
  await dropAt(page, 'oktadevices.customApiAction', 'Okta Devices', await rightOf(page, 'Concatenate'), 60)
  await fit(page) // the whole flow in view, standing still before the drag
  const ca = card(page, 'Custom API Action')
  await ca.waitFor()
  await ca.getByLabel('Connection').selectOption({ label: conn.name })
  await wire(page, 'Concatenate', 'output', 'Custom API Action', 'Relative URL')
  await save(page)
  await shot('02-flow-built')

  step('run with carol.okafor@example.com: success; History shows the assignment and the factors')
  let bar = await runWith(page, { login: 'carol.okafor@example.com' })
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
  const ex = await lastRun(server, 'E2E Okta provisioning')
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
  await typeIn(page, card(page, ASSIGN), 'department', 'Sales')
  await save(page)
  bar = await runWith(page, { login: 'carol.okafor@example.com' })
  assert.match(await bar.textContent(), /failed/)
  assert.match(await bar.textContent(), /department/, 'the run bar names the field')
  assert.match(await card(page, ASSIGN).getByTestId('card-status').textContent(), /failed/)
  assert.match(await card(page, ASSIGN).textContent(), /not an attribute of application .*user profile \(it has: userName\)/, 'the card says why')
  await shot('05-wrong-property')
  const bad = JSON.stringify(await lastRun(server, 'E2E Okta provisioning'))
  assert.match(bad, /department/, 'the failed run names the field')

  step('remove the property with its × button: the run passes again')
  await card(page, ASSIGN).getByRole('button', { name: 'Remove input department' }).click()
  await card(page, ASSIGN).getByTestId('input-department').waitFor({ state: 'detached' })
  await save(page)
  bar = await runWith(page, { login: 'carol.okafor@example.com' })
  assert.match(await bar.textContent(), /success/, `run after the fix: ${await bar.textContent()}`)
  await shot('06-fixed')
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
