// End-to-end: one of the Okta connector's event cards added for the whole
// reference, API Token Revoked. In the designer, with the pointer and the
// keyboard: the card goes onto the trigger, it polls the sandbox tenant's
// System Log, a Compose card is wired to the token's name and the actor's
// email; the Run panel's sample names the tenant's own token; the flow is
// turned on, an admin revokes the token through Okta's API
// (DELETE /api/v1/api-tokens/{id}), and History shows the run the
// system.api_token.revoke event started, with the event's values.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/oe/flowbench node e2e/okta-events.spec.mjs
import assert from 'node:assert/strict'
import { api, drag, finish, openPage, recordedOutput, reportFailure, runNow, setup, step } from './lib.mjs'

const SANDBOX_TOKEN = '00SandboxFlowbenchDefaultApiToken0000000000'
const { shots, server, browser } = await setup('okta-events')
let failed = false
let page

try {
  // turning on a flow whose trigger is misconfigured answers 400 with the message (shown on the card)
  const opened = await openPage(browser, shots, { width: 1600, height: 950 }, { allowFailed: ['SetFlowEnabled'] })
  page = opened.page
  const { con, shot } = opened
  const card = (title) => page.locator(`.react-flow__node [data-testid="card-${title}"]`).first()
  const canvas = page.locator('.canvas')
  const info = await api(server, 'Info')
  assert.ok(info.sandboxUrl, 'sandbox URL')
  const sandbox = (method, path) => fetch(info.sandboxUrl + path, { method, headers: { Authorization: `SSWS ${SANDBOX_TOKEN}`, Accept: 'application/json' } })

  step('a new flow; API Token Revoked from the palette onto the trigger')
  await page.goto(server.url)
  await page.getByRole('button', { name: '+ New flow' }).click()
  await page.getByLabel('Name', { exact: true }).fill('E2E token revoked')
  await page.getByRole('button', { name: 'Create' }).click()
  await card('Manual Run').waitFor()
  await page.getByLabel('Search cards').fill('API Token')
  const item = page.getByTestId('palette-okta.event.apiTokenRevoked')
  await item.waitFor()
  assert.ok(await page.getByTestId('palette-okta.event.apiTokenCreated').isVisible(), 'API Token Created is in the palette too')
  await drag(page, item, card('Manual Run'))
  await page.getByLabel('Search cards').fill('')
  const trig = card('API Token Revoked')
  await trig.waitFor()

  step('the trigger polls the sandbox tenant every 2 s')
  await trig.getByLabel('Connection').selectOption({ label: 'Sandbox tenant' })
  await trig.getByTestId('input-delivery').locator('select').selectOption({ label: 'Poll the System Log through the connection' })
  const every = trig.getByTestId('input-pollInterval').locator('input, textarea').first()
  await every.click()
  await page.keyboard.type('2s')
  await page.keyboard.press('Tab')

  step('Compose to the right, two inputs typed with the keyboard')
  await page.getByLabel('Search cards').fill('Compose')
  const tb = await trig.boundingBox()
  const cb = await canvas.boundingBox()
  await drag(page, page.getByTestId('palette-text.compose'), { x: Math.min(tb.x + tb.width + 80, cb.x + cb.width - 60), y: cb.y + 160, width: 0, height: 0 })
  await page.getByLabel('Search cards').fill('')
  const compose = card('Compose')
  await compose.waitFor()
  for (const name of ['token', 'by']) {
    const box = compose.locator('.addfield').filter({ has: page.getByLabel('New input name') })
    await box.getByLabel('New input name').click()
    await page.keyboard.type(name)
    await page.keyboard.press('Enter')
    await compose.getByTestId(`input-${name}`).waitFor()
  }
  const tmpl = compose.getByTestId('input-_text_').locator('input, textarea').first()
  await tmpl.click()
  await page.keyboard.type('Revoked {{{token}}} by {{{by}}}')
  await page.keyboard.press('Tab')

  step('wire API Token › Display Name and Actor › Alternate ID with the mouse')
  const more = trig.getByTestId('more-outputs')
  if (await more.count() && (await more.getAttribute('aria-expanded')) === 'false') await more.click()
  const wire = async (obj, field, input) => {
    const node = trig.getByTestId(`output-${obj}`)
    const expand = node.getByRole('button', { name: `Expand ${obj}` })
    if (await expand.count()) await expand.click()
    const pill = trig.locator(`[data-testid^="out-${obj}."]`).filter({ hasText: new RegExp(`^${field}$`) }).first()
    await drag(page, pill, compose.getByTestId(`input-${input}`))
    await compose.getByTestId(`input-${input}`).getByTestId('binding-pill').waitFor()
  }
  await wire('API Token', 'Display Name', 'token')
  await wire('Actor', 'Alternate ID', 'by')
  assert.match(await compose.getByTestId('input-token').getByTestId('binding-pill').textContent(), /API Token.*Display Name/)
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  assert.equal(await page.getByTestId('card-problem').count(), 0, 'no problems on the cards')
  await shot('01-flow')

  step('Run with the sample: it names the tenant’s own token')
  const tokens = await (await sandbox('GET', '/api/v1/api-tokens')).json()
  const legacy = tokens.find((t) => t.name === 'Legacy SCIM integration')
  assert.ok(legacy, `seeded token in ${JSON.stringify(tokens)}`)
  const { bar } = await runNow(page)
  assert.match(await bar.textContent(), /success/, await bar.textContent())
  await shot('02-sample-run')
  assert.match(await compose.getByTestId('card-status').textContent(), /success/)
  assert.equal(await recordedOutput(compose, 'output').textContent(), '"Revoked Legacy SCIM integration by sandbox.admin@example.com"')

  step('turn the flow on: the trigger polls for system.api_token.revoke')
  await page.getByRole('switch', { name: 'Flow on' }).click()
  await trig.getByTestId('trigger-state').filter({ hasText: /^Listening$/ }).waitFor()
  const status = await trig.getByTestId('trigger-status').textContent()
  assert.match(status, /System Log polling/, status)
  assert.match(status, /system\.api_token\.revoke/, status)
  await shot('03-listening')

  step('an admin revokes the token through Okta’s API')
  const r = await sandbox('DELETE', `/api/v1/api-tokens/${legacy.id}`)
  assert.equal(r.status, 204, await r.text())
  assert.equal((await sandbox('GET', `/api/v1/api-tokens/${legacy.id}`)).status, 404, 'revoked')

  step('History shows the run the event started, with the event’s values')
  await page.getByRole('link', { name: 'History' }).click()
  // History shows what was there when it opened: reload (as a user would) until the event's run is listed
  const eventRow = page.getByTestId('execution-row').filter({ hasText: 'E2E token revoked' }).filter({ hasText: 'event' })
  for (let i = 0; i < 30 && !(await eventRow.count()); i++) {
    await page.waitForTimeout(1000)
    await page.reload()
    await page.getByRole('heading', { name: 'History' }).waitFor()
  }
  await eventRow.first().filter({ hasText: 'success' }).waitFor()
  assert.equal(await page.getByTestId('execution-row').count(), 2, 'the sample run and the event run')
  await shot('04-history')
  await eventRow.first().click()
  await page.locator('h1.flow-name').waitFor()
  await compose.getByTestId('card-status').filter({ hasText: 'success' }).waitFor()
  assert.equal(await recordedOutput(compose, 'output').textContent(), '"Revoked Legacy SCIM integration by sandbox.admin@example.com"')
  await trig.getByTestId('more-outputs').click() // the outputs no card uses
  assert.equal(await recordedOutput(trig, 'Event Type').textContent(), '"system.api_token.revoke"')
  assert.match(await recordedOutput(trig, 'API Token').textContent(), /"Display Name":"Legacy SCIM integration","ID":"00T/)
  await shot('05-event-run')

  step('reload keeps the run; the flow turned off stops listening')
  await page.reload()
  await compose.getByTestId('card-status').filter({ hasText: 'success' }).waitFor()
  await page.evaluate(() => { location.hash = '/' })
  await page.getByRole('link', { name: 'E2E token revoked' }).click()
  await trig.waitFor()
  await page.getByRole('switch', { name: 'Flow on' }).click()
  await trig.getByTestId('trigger-state').filter({ hasText: /^Off$/ }).waitFor()

  step('User Assigned to Application: Use App Instance ID? decides which app options show')
  await page.evaluate(() => { location.hash = '/' })
  await page.getByRole('button', { name: '+ New flow' }).click()
  await page.getByLabel('Name', { exact: true }).fill('E2E app assigned')
  await page.getByRole('button', { name: 'Create' }).click()
  await card('Manual Run').waitFor()
  await page.getByLabel('Search cards').fill('User Assigned to Application')
  await drag(page, page.getByTestId('palette-okta.event.userAddedToApplicationMembership'), card('Manual Run'))
  await page.getByLabel('Search cards').fill('')
  const assigned = card('User Assigned to Application')
  await assigned.waitFor()
  await assigned.getByLabel('Connection').selectOption({ label: 'Sandbox tenant' })
  await assigned.getByTestId('input-instance').waitFor()
  assert.equal(await assigned.getByTestId('input-appId').count(), 0, 'App Instance ID hidden while Use App Instance ID? is No')
  const apps = await (await sandbox('GET', '/api/v1/apps?limit=1')).json()
  const instance = assigned.getByTestId('input-instance').locator('select')
  await instance.locator('option', { hasText: apps[0].label }).first().waitFor({ state: 'attached' })
  await instance.selectOption({ label: apps[0].label })
  assert.equal(await instance.inputValue(), apps[0].id, 'the instance id is kept, its label shown')
  await shot('06-instance-picked')
  await assigned.getByTestId('input-useId').locator('select').selectOption('Yes')
  const appId = assigned.getByTestId('input-appId').locator('input, textarea').first()
  await appId.waitFor()
  assert.equal(await assigned.getByTestId('input-instance').count(), 0, 'Application Instance hidden with Yes')

  step('Yes with App Instance ID empty: switching on is refused, naming the field (not every app watched)')
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await page.getByRole('switch', { name: 'Flow on' }).click()
  await page.getByText(/App Instance ID is empty while Use App Instance ID\? is Yes/).first().waitFor()
  assert.equal(await page.getByRole('switch', { name: 'Flow on' }).isChecked(), false, 'the flow stays off')
  await shot('06b-app-instance-id-empty')
  await appId.click()
  await page.keyboard.type(apps[0].id)
  await page.keyboard.press('Tab')

  step('a wrong poll interval is refused when the flow is turned on, naming the field')
  await assigned.getByTestId('input-delivery').locator('select').selectOption({ label: 'Poll the System Log through the connection' })
  const every2 = assigned.getByTestId('input-pollInterval').locator('input, textarea').first()
  assert.equal(await assigned.getByTestId('input-authHeader').count(), 0, 'the hook-only Authorization header is not asked for while polling')
  await every2.click()
  await page.keyboard.type('soon')
  await page.keyboard.press('Tab')
  // shown on the field while editing, before any attempt to switch on (it said "No problems")
  await assigned.getByTestId('input-pollInterval').getByTestId('field-problem').filter({ hasText: '"soon" is not a duration' }).waitFor()
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await page.getByRole('switch', { name: 'Flow on' }).click()
  await page.getByText(/pollInterval|Poll every/).filter({ hasText: /soon/ }).first().waitFor()
  await shot('07-app-instance-id-and-bad-interval')
  con.check()
  console.log('okta-events e2e: ok')
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
