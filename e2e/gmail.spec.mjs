// End-to-end: "Gmail: new message → Okta: Read User" built in the designer
// with the pointer and keyboard against the local Google fake (ready
// connection "sandbox-google") and the Okta sandbox. A message delivered
// into the admin's fake mailbox starts the flow through the polled trigger;
// history shows the Okta user the sender is. Run from the repository root:
//   FLOWBENCH_BIN=/tmp/k2/flowbench node e2e/gmail.spec.mjs
import assert from 'node:assert/strict'
import { api, card, drag, finish, newFlow, openPage, recordedOutput, reportFailure, setup, step } from './lib.mjs'

const { shots, server, browser } = await setup('gmail')
let failed = false
let page
try {
  const o = await openPage(browser, shots, { width: 1440, height: 900 })
  page = o.page
  const { con, shot } = o

  const conns = await api(server, 'ListConnections')
  const google = conns.find((c) => c.kind === 'google')
  assert.ok(google, `a ready Google connection (have ${conns.map((c) => c.id).join(', ')})`)
  const okta = conns.find((c) => c.kind === 'okta')
  const fakeBase = google.config.baseUrl
  const admin = google.config.subject

  const fakeCtl = async (path, body) => {
    const r = await fetch(`${fakeBase}/_fake/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    assert.equal(r.status, 200, await r.text())
  }

  step('Connections: the Google Workspace sandbox connection tests fine')
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  await page.getByRole('link', { name: 'Connections' }).click()
  const gconn = page.getByTestId(`connection-${google.name}`)
  await gconn.getByTestId('test-connection').click()
  const report = gconn.getByTestId('test-report')
  await report.filter({ hasText: 'Connection works' }).waitFor()
  assert.deepEqual(await gconn.locator('.step-name').allTextContents(), ['settings', 'token', 'identity', 'scopes'])
  await shot('00-connection-ok')

  step('the service account key is deleted in Google Cloud: the token rung says so and what to do')
  await fakeCtl('service-account/key', { deleted: true })
  await gconn.getByTestId('test-connection').click()
  await report.filter({ hasText: 'Connection test failed' }).waitFor()
  const bad = gconn.locator('[data-testid="test-step"].first')
  assert.match(await bad.textContent(), /token.*Invalid JWT Signature.*new JSON key/s, await bad.textContent())
  await shot('00b-connection-key-deleted')
  await fakeCtl('service-account/key', { deleted: false })
  await gconn.getByTestId('test-connection').click()
  await report.filter({ hasText: 'Connection works' }).waitFor()

  step('create a flow')
  await page.getByRole('link', { name: 'Flows' }).click()
  await newFlow(page, 'E2E Gmail sender lookup')

  step('trigger: drag Gmail New Message Received onto the trigger card')
  await page.getByLabel('Search cards').fill('New Message Received')
  await drag(page, page.getByTestId('palette-gmail.newMessage'), card(page, 'Manual Run'))
  await page.getByLabel('Search cards').fill('')
  const trig = card(page, 'New Message Received')
  await trig.waitFor()
  await trig.getByLabel('Connection').selectOption({ label: google.name })
  const every = trig.getByTestId('input-pollInterval').locator('input')
  await every.click()
  await page.keyboard.type('1s')

  step('drag Okta Read User next to it and pick the sandbox tenant')
  await page.getByLabel('Search cards').fill('Read User')
  const tb = await trig.boundingBox()
  const cv = await page.locator('.canvas').boundingBox()
  await drag(page, page.getByTestId('palette-okta.readUser'), { x: tb.x + tb.width + 60, y: cv.y + 200, width: 0, height: 0 })
  await page.getByLabel('Search cards').fill('')
  const read = card(page, 'Read User')
  await read.waitFor()
  await read.getByLabel('Connection').selectOption({ label: okta.name })

  step('wire the sender address into Read User with the mouse')
  const more = trig.getByTestId('more-outputs')
  if (await more.count() && (await more.getAttribute('aria-expanded')) === 'false') await more.click()
  await drag(page, trig.getByTestId('out-From Address'), read.getByTestId('input-ID or Login'))
  const pill = read.getByTestId('input-ID or Login').getByTestId('binding-pill')
  await pill.waitFor()
  assert.match(await pill.textContent(), /From Address/)
  await shot('01-built')

  step('save with Ctrl+S and switch the flow on')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await page.getByRole('switch', { name: 'Flow on' }).click()
  await trig.getByTestId('trigger-state').filter({ hasText: /^Listening$/ }).waitFor()
  const flow = (await api(server, 'ListFlows')).find((f) => f.name === 'E2E Gmail sender lookup')
  // the first poll marks where the mailbox is; mail after it is news
  for (let i = 0; i < 100 && !(await api(server, 'TriggerStatus', flow.id)).lastPoll; i++) await page.waitForTimeout(100)
  assert.ok((await api(server, 'TriggerStatus', flow.id)).lastPoll, 'the trigger polled the mailbox')
  await shot('02-listening')

  step('deliver a message from alice into the admin mailbox of the Google fake')
  await fakeCtl('gmail/deliver', { to: admin, from: 'Alice Nguyen <alice.nguyen@example.com>', subject: 'Locked out', body: 'Please help' })

  step('the flow runs: History lists it, its record shows the Okta user read')
  await page.getByRole('link', { name: 'History' }).click()
  const row = page.getByTestId('execution-row').filter({ hasText: 'E2E Gmail sender lookup' }).first()
  // the list shows the runs there were when it opened: come back to it until the run is there
  for (let i = 0; i < 60 && !(await row.count()); i++) {
    await page.waitForTimeout(250)
    await page.getByRole('link', { name: 'Flows' }).click()
    await page.getByRole('heading', { name: 'Flows' }).waitFor()
    await page.getByRole('link', { name: 'History' }).click()
    await page.getByTestId('execution-row').first().waitFor({ timeout: 2000 }).catch(() => undefined)
  }
  await row.waitFor()
  assert.match(await row.textContent(), /success/, await row.textContent())
  await row.click()
  await page.locator('h1.flow-name').waitFor()
  const recTrig = card(page, 'New Message Received')
  await recTrig.waitFor()
  const recRead = card(page, 'Read User')
  const recIn = recRead.getByTestId('input-ID or Login').getByTestId('recorded-input')
  await recIn.waitFor()
  assert.equal(JSON.parse(await recIn.textContent()), 'alice.nguyen@example.com')
  const moreOut = recRead.getByTestId('more-outputs')
  if (await moreOut.count() && (await moreOut.getAttribute('aria-expanded')) === 'false') await moreOut.click()
  const status = recordedOutput(recRead, 'Status')
  await status.waitFor()
  assert.match(await status.textContent(), /ACTIVE/)
  // the profile attributes the run returned beyond the declared outputs
  await recRead.getByRole('button', { name: /other fields returned in this run/ }).click()
  await recRead.getByText('"Alice"', { exact: true }).first().waitFor()
  await shot('03-history')

  step('switch the flow off')
  await page.evaluate(() => { location.hash = '/' })
  await page.getByRole('link', { name: 'E2E Gmail sender lookup' }).click()
  await page.getByRole('switch', { name: 'Flow on' }).click()
  await card(page, 'New Message Received').getByTestId('trigger-state').filter({ hasText: /^Off$/ }).waitFor()
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
