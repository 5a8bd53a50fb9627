// End-to-end: Microsoft 365 cards built in the designer with the pointer and
// keyboard against the local Microsoft Graph fake (ready connections
// "sandbox-office365admin", "sandbox-office365mail", "sandbox-microsoftteams").
//  1. "Manual Run (Login) → Okta: Read User → Office 365 Admin: Assign
//     License to User" (the Okta user's email is the Microsoft 365 user):
//     run with test input; history shows the Okta user and the license
//     assigned; a wrong SKU fails with Graph's message.
//  2. "Office 365 Admin: User Created → Read User": the flow is switched on,
//     a user created in the fake tenant (through Graph, with the app's
//     client credentials) sends a change notification that starts it;
//     history shows the new user.
//  3. Connections: the sandbox Office 365 Admin connection's test ladder
//     (settings → token → GET /organization → permissions) passes.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/k3/flowbench node e2e/m365.spec.mjs
import assert from 'node:assert/strict'
import { addTriggerOutput, api, card, drag, dropRight, dropTrigger, finish, historyRow, newFlow, openPage, openRunInHistory, recordedOutput, reportFailure, runNow, save, setup, step, wire } from './lib.mjs'

const E3 = '6fd2c87f-b296-42f0-b197-1e91e994b900' // ENTERPRISEPACK in the fake tenant

const { shots, server, browser } = await setup('m365')
let failed = false
let page
try {
  const o = await openPage(browser, shots, { width: 1440, height: 900 })
  page = o.page
  const { con, shot } = o

  const conns = await api(server, 'ListConnections')
  const admin = conns.find((c) => c.id === 'sandbox-office365admin')
  const okta = conns.find((c) => c.kind === 'okta')
  assert.ok(admin, `a ready Office 365 Admin connection (have ${conns.map((c) => c.id).join(', ')})`)
  assert.ok(conns.find((c) => c.id === 'sandbox-office365mail'), 'a ready Office 365 Mail connection')

  const openOutputs = async (c) => {
    const more = c.getByTestId('more-outputs')
    if (await more.count() && (await more.getAttribute('aria-expanded')) === 'false') await more.click()
  }

  step('create a flow')
  await page.goto(server.url)
  await newFlow(page, 'E2E M365 license')
  await addTriggerOutput(page, 'Login')

  step('drag Okta Read User and Office 365 Admin Assign License to User onto the canvas')
  const cv = await page.locator('.canvas').boundingBox()
  const tb = await card(page, 'Manual Run').boundingBox()
  await page.getByLabel('Search cards').fill('Read User')
  await drag(page, page.getByTestId('palette-okta.readUser'), { x: tb.x + tb.width + 60, y: cv.y + 160, width: 0, height: 0 })
  const read = card(page, 'Read User')
  await read.waitFor()
  const rb = await read.boundingBox()
  await page.getByLabel('Search cards').fill('Assign License')
  await drag(page, page.getByTestId('palette-office365admin.assignLicenseToUser'), { x: rb.x + rb.width + 60, y: cv.y + 160, width: 0, height: 0 })
  await page.getByLabel('Search cards').fill('')
  const assign = card(page, 'Assign License to User')
  await assign.waitFor()

  step('pick the Okta sandbox on Read User and the Microsoft 365 sandbox tenant on Assign License')
  await read.getByLabel('Connection').selectOption({ label: okta.name })
  await assign.getByLabel('Connection').selectOption({ label: admin.name })

  step('Read User gets an "email" output; wire Login → ID or Login and email → Assign License\'s user, with the mouse')
  // the Okta card reads the tenant's profile schema once its connection is
  // chosen and grows: let it settle before measuring drag positions
  await page.waitForLoadState('networkidle')
  await read.getByLabel('New output name').fill('email')
  await read.locator('.addfield').getByRole('button', { name: 'Add' }).click()
  await read.getByTestId('out-email').waitFor()
  await page.waitForLoadState('networkidle')
  await drag(page, card(page, 'Manual Run').getByTestId('out-Login'), read.getByTestId('input-ID or Login'))
  await read.getByTestId('input-ID or Login').getByTestId('binding-pill').waitFor()
  await drag(page, read.getByTestId('out-email'), assign.getByTestId('input-id'))
  const pill = assign.getByTestId('input-id').getByTestId('binding-pill')
  await pill.waitFor()
  assert.match(await pill.textContent(), /Read User.*email/)

  step('type the E3 SKU id into SKU ID')
  const sku = assign.getByTestId('input-skuId').locator('input')
  await sku.click()
  await page.keyboard.type(E3)
  await shot('01-built')

  step('save with Ctrl+S')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()

  step('run with Login = bob.martinez@example.com')
  await page.getByTestId('run').click()
  const panel = page.getByRole('complementary', { name: 'Run with test input' })
  await panel.waitFor()
  await panel.getByLabel('Login').fill('bob.martinez@example.com')
  await panel.getByTestId('run-now').click()
  const bar = page.getByTestId('runbar')
  await bar.filter({ hasText: /success|failed/ }).waitFor()
  await shot('02-ran')
  assert.match(await bar.textContent(), /success/, await bar.textContent())

  step('history shows the Okta user read and the Microsoft 365 license assigned to the same person')
  await openRunInHistory(page)
  const recRead = card(page, 'Read User')
  await recRead.waitFor()
  const mail = recordedOutput(recRead, 'email')
  await mail.waitFor()
  assert.match(await mail.textContent(), /bob\.martinez@example\.com/)
  const recAssign = card(page, 'Assign License to User')
  await openOutputs(recAssign)
  const lic = recordedOutput(recAssign, 'assignedLicenses')
  await lic.waitFor()
  assert.match(await lic.textContent(), new RegExp(E3))
  const name = recordedOutput(recAssign, 'displayName')
  assert.match(await name.textContent(), /Bob Martinez/)
  await shot('03-history')

  step('a wrong SKU: the run fails with Graph\'s message on the card')
  await page.evaluate(() => { location.hash = '/' })
  await page.getByRole('link', { name: 'E2E M365 license' }).click()
  const sku2 = card(page, 'Assign License to User').getByTestId('input-skuId').locator('input')
  await sku2.click()
  await page.keyboard.press('Control+a')
  await page.keyboard.type('00000000-0000-0000-0000-000000000000')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  const { bar: bar2 } = await runNow(page)
  await bar2.filter({ hasText: /failed/ }).waitFor()
  await shot('04-wrong-sku')
  assert.match(await page.locator('body').textContent(), /does not correspond to a valid company License/)

  step('flow 2: User Created (Office 365 Admin) → Read User')
  await page.evaluate(() => { location.hash = '/' })
  await newFlow(page, 'E2E M365 new user')
  const trig = await dropTrigger(page, 'office365admin.event.userCreated', 'User Created', 'User Created')
  await trig.getByLabel('Connection').selectOption({ label: admin.name })
  await dropRight(page, 'office365admin.readUser', 'Read User', 'User Created')
  const read2 = card(page, 'Read User')
  await read2.waitFor()
  await read2.getByLabel('Connection').selectOption({ label: admin.name })
  await wire(page, 'User Created', 'User ID', 'Read User', 'ID or Email')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await save(page)
  await page.getByRole('switch', { name: 'Flow on' }).click()
  await trig.getByTestId('trigger-state').filter({ hasText: /^Listening$/ }).waitFor()
  await shot('05-listening')

  step('create a user in the fake tenant through Graph (client credentials)')
  const base = admin.config.baseUrl.replace(/\/v1\.0$/, '')
  const tokRes = await fetch(admin.config.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: admin.config.clientId, client_secret: 'FakeGraphSecret~flowbench.local.0000',
      scope: 'https://graph.microsoft.com/.default' }) })
  assert.equal(tokRes.status, 200, await tokRes.clone().text())
  const { access_token: tok } = await tokRes.json()
  const cr = await fetch(`${base}/v1.0/users`, { method: 'POST', headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ accountEnabled: true, displayName: 'Nadia Novak', mailNickname: 'nadia.novak', userPrincipalName: 'nadia.novak@example.com',
      passwordProfile: { password: 'Temp#98765', forceChangePasswordNextSignIn: true } }) })
  assert.equal(cr.status, 201, await cr.text())

  step('the notification starts the flow: History shows the new user')
  const row = await historyRow(page, 'E2E M365 new user')
  assert.match(await row.textContent(), /success/, await row.textContent())
  await row.click()
  await page.locator('h1.flow-name').waitFor()
  const rec2 = card(page, 'Read User')
  await rec2.waitFor()
  await openOutputs(rec2)
  const nm = recordedOutput(rec2, 'displayName')
  await nm.waitFor()
  assert.match(await nm.textContent(), /Nadia Novak/)
  await shot('06-history-new-user')

  step('switch the flow off')
  await page.evaluate(() => { location.hash = '/' })
  await page.getByRole('link', { name: 'E2E M365 new user' }).click()
  await page.getByRole('switch', { name: 'Flow on' }).click()
  await card(page, 'User Created').getByTestId('trigger-state').filter({ hasText: /^Off$/ }).waitFor()

  step('Connections: the sandbox Office 365 Admin connection passes its test ladder')
  await page.getByRole('link', { name: 'Connections' }).click()
  const row2 = page.getByTestId(`connection-${admin.name}`)
  await row2.getByTestId('test-connection').click()
  const rep = row2.getByTestId('test-report')
  await rep.filter({ hasText: /Connection works|failed/ }).waitFor()
  const repText = (await rep.textContent()).replace(/\s+/g, ' ')
  assert.match(repText, /Connection works/, repText)
  assert.match(repText, /tenant Flowbench Sandbox/, repText)
  assert.match(repText, /application permissions the cards use are granted/, repText)
  await row2.scrollIntoViewIfNeeded()
  await shot('07-connection-test')
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
