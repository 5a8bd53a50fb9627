// End-to-end test of Okta's application pickers (issue 10 point 8) through
// the browser UI against `flowbench serve` and its sandbox tenant, as an Okta
// Workflows admin builds it with the pointer and keyboard:
//   pick     — Manual Run (login) → Read User → Assign User to Application for
//              SSO and Provisioning: the Application option is a dropdown of
//              the org's applications (by label); picking Salesforce with the
//              keyboard hides the ID input (as Okta's card does); the user is
//              wired; the run succeeds and History shows the assignment to
//              Salesforce's id.
//   reload   — Back and a reload keep the chosen app, shown by its label.
//   wrong    — "Other application ID…" and a typed id the org lacks: the card
//              keeps it, marked "not one of the org's applications"; the run
//              fails on the assign card (E0000007); picking Zoom from the list
//              runs again.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/oa2/flowbench node e2e/okta-pickers.spec.mjs
import assert from 'node:assert/strict'
import { addTriggerOutput, api, card, dropAt, finish, lastRun, newFlow, openPage, openRunInHistory, reportFailure, rightOf, runWith, save, setup, step, wire } from './lib.mjs'

const ASSIGN = 'Assign User to Application for SSO and Provisioning'
const FLOW = 'E2E Okta app picker'
const { shots, server, browser } = await setup('okta-pickers')
let failed = false
let page
try {
  const o = await openPage(browser, shots, { width: 2000, height: 1100 })
  page = o.page
  const { con, shot } = o
  const conn = (await api(server, 'ListConnections')).find((c) => c.kind === 'okta')
  assert.ok(conn, 'a ready Okta sandbox connection')
  const apps = await api(server, 'FieldChoices', conn.id, 'okta.apps', false)
  const idOf = (label) => apps.choices.find((c) => c.label === label)?.value
  assert.ok(idOf('Salesforce') && idOf('Zoom'), `the sandbox's apps: ${JSON.stringify(apps.choices)}`)

  const appSelect = () => card(page, ASSIGN).getByTestId('input-application').locator('select')
  // pick chooses an entry of the Application dropdown with the pointer and keyboard:
  // a click focuses it, the entry's first letters and Enter choose it
  const pick = async (label) => {
    const sel = appSelect()
    await sel.click()
    await page.keyboard.type(label)
    await page.keyboard.press('Enter')
    await page.waitForFunction(([l]) => {
      const s = document.querySelector('.react-flow__node [data-testid="card-Assign User to Application for SSO and Provisioning"] [data-testid="input-application"] select')
      return s && s.options[s.selectedIndex]?.text === l
    }, [label])
  }
  const chosenLabel = async () => appSelect().evaluate((s) => s.options[s.selectedIndex]?.text)

  step('create a flow with a login input; Read User by it')
  await page.goto(server.url)
  await newFlow(page, FLOW)
  await addTriggerOutput(page, 'login')
  await dropAt(page, 'okta.readUser', 'Read User', await rightOf(page, 'Manual Run'), 60)
  await card(page, 'Read User').waitFor()
  await card(page, 'Read User').getByLabel('Connection').selectOption({ label: conn.name })
  await wire(page, 'Manual Run', 'login', 'Read User', 'ID or Login')

  step(`${ASSIGN}: the Application dropdown lists the org's applications`)
  await dropAt(page, 'okta.assignUserToApplicationForSSOAndProvisioning', 'SSO and Provisioning', await rightOf(page, 'Read User'), 60)
  const as = card(page, ASSIGN)
  await as.waitFor()
  // before a connection: the dropdown says where its list comes from
  assert.match(await as.getByTestId('input-application').textContent(), /choose a connection to list its applications/)
  await as.getByLabel('Connection').selectOption({ label: conn.name })
  await appSelect().locator('option', { hasText: 'Salesforce' }).waitFor({ state: 'attached' })
  const options = await appSelect().locator('option').allTextContents()
  assert.deepEqual(options, ['—', '-- Enter Application ID --', ...apps.choices.map((c) => c.label), 'Other application ID…'])
  assert.ok(!options.includes('Workday'), 'an inactive app is not offered')
  assert.equal(await as.getByTestId('input-applicationID').count(), 1, 'the ID input shows while no app is chosen')
  await shot('01-dropdown-listed')

  step('pick Salesforce with the keyboard: the ID input goes away; wire the user')
  await pick('Salesforce')
  assert.equal(await appSelect().inputValue(), idOf('Salesforce'), 'the value kept is the app id')
  await as.getByTestId('input-applicationID').waitFor({ state: 'detached' })
  await wire(page, 'Read User', 'ID', ASSIGN, 'User/id')
  await save(page)
  await shot('02-salesforce-picked')

  step('run with carol.okafor@example.com: success; History shows the assignment to Salesforce')
  let bar = await runWith(page, { login: 'carol.okafor@example.com' })
  assert.match(await bar.textContent(), /success/, `run: ${await bar.textContent()}`)
  await openRunInHistory(page)
  await card(page, ASSIGN).getByTestId('more-outputs').click()
  const scope = card(page, ASSIGN).getByTestId('output-Scope').getByTestId('recorded-output')
  await scope.waitFor()
  assert.equal((await scope.textContent()).trim(), '"USER"')
  const recIn = card(page, ASSIGN).getByTestId('input-application').getByTestId('recorded-input')
  assert.match(await recIn.textContent(), new RegExp(idOf('Salesforce')), 'History shows the chosen app id as the input')
  await shot('03-history')
  let ex = await lastRun(server, FLOW)
  assert.equal(ex.status, 'success')
  assert.match(JSON.stringify(ex), new RegExp(`/api/v1/apps/${idOf('Salesforce')}/users`), 'the assignment went to Salesforce')

  step('Back and reload: the card still shows Salesforce')
  await page.goBack()
  await card(page, ASSIGN).waitFor()
  await page.reload()
  await card(page, ASSIGN).waitFor()
  await appSelect().locator('option', { hasText: 'Zoom' }).waitFor({ state: 'attached' })
  assert.equal(await chosenLabel(), 'Salesforce')
  assert.equal(await card(page, ASSIGN).getByTestId('input-applicationID').count(), 0)

  step('wrong value: Other application ID… and an id the org lacks stays, marked; the run fails on the card')
  await appSelect().click()
  await page.keyboard.type('Other application')
  await page.keyboard.press('Enter')
  const idBox = card(page, ASSIGN).getByTestId('input-application').locator('input')
  await idBox.waitFor()
  assert.equal(await idBox.inputValue(), idOf('Salesforce'), 'the ID box starts from the chosen id')
  await idBox.click()
  await page.keyboard.press('Control+a')
  await page.keyboard.type('0oa0000notinthisorg1')
  await idBox.press('Tab')
  await card(page, ASSIGN).getByRole('button', { name: 'List the applications' }).click()
  const marker = card(page, ASSIGN).getByTestId('choice-missing')
  await marker.waitFor()
  assert.match(await marker.textContent(), /0oa0000notinthisorg1 is not one of the org's applications/)
  assert.match(await chosenLabel(), /⚠ 0oa0000notinthisorg1/)
  await save(page)
  await shot('04-missing-marked')
  bar = await runWith(page, { login: 'carol.okafor@example.com' })
  assert.match(await bar.textContent(), /failed/)
  assert.match(await card(page, ASSIGN).getByTestId('card-status').textContent(), /failed/)
  assert.match(await card(page, ASSIGN).textContent(), /E0000007|Not found/)
  await shot('05-wrong-app-failed')

  step('pick Zoom from the list: the marker goes, the run succeeds')
  await pick('Zoom')
  await marker.waitFor({ state: 'detached' })
  await save(page)
  bar = await runWith(page, { login: 'carol.okafor@example.com' })
  assert.match(await bar.textContent(), /success/, `run after the fix: ${await bar.textContent()}`)
  ex = await lastRun(server, FLOW)
  assert.match(JSON.stringify(ex), new RegExp(`/api/v1/apps/${idOf('Zoom')}/users`), 'the assignment went to Zoom')
  await shot('06-zoom')
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
