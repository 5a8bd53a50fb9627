// End-to-end: the part-2 apps against their local fakes (ready connections
// "sandbox-jamf", "sandbox-auth0", … "sandbox-awsidc"). The Connections
// page tests each one (settings → token → identity). A flow built with the pointer
// and keyboard reads a Jamf Pro user by username and sends a DeviceLock
// MDM command with a passcode to the Mac assigned to them (the ID wired from
// Read User); History shows the user read and the command's HTTP 201.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/k5/flowbench node e2e/apps2.spec.mjs
import assert from 'node:assert/strict'
import { api, card, drag, dropRight, finish, openPage, openRunInHistory, recordedOutput, reportFailure, runNow, setup, step } from './lib.mjs'

const { shots, server, browser } = await setup('apps2')
let failed = false
let page
try {
  const o = await openPage(browser, shots, { width: 1440, height: 900 })
  page = o.page
  const { con, shot } = o

  const conns = await api(server, 'ListConnections')
  const kinds = ['jamf', 'auth0', 'box', 'opsgenie', 'openai', 'pagerduty', 'zoom', 'awsidc']
  const ready = kinds.map((k) => conns.find((c) => c.kind === k))
  assert.ok(ready.every(Boolean), `a ready connection for each of ${kinds} (have ${conns.map((c) => c.id).join(', ')})`)
  const jamf = ready[0]

  step('Connections: test the sandbox connection of each app (Jamf Pro, Auth0, Box, Opsgenie, OpenAI, PagerDuty, Zoom, AWS IAM Identity Center)')
  await page.goto(server.url)
  await page.getByRole('link', { name: 'Connections' }).click()
  for (const c of ready) {
    const row = page.getByTestId(`connection-${c.name}`)
    await row.getByTestId('test-connection').click()
    const report = row.getByTestId('test-report')
    await report.waitFor()
    const text = await report.textContent()
    assert.match(text, /Connection works/, text)
    console.log(`  ${c.name}: ${text.replace(/\s+/g, ' ').trim().slice(0, 160)}`)
  }
  await shot('01-connections')

  step('create a flow')
  await page.evaluate(() => { location.hash = '/' })
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  await page.getByRole('button', { name: '+ New flow' }).click()
  await page.getByLabel('Name', { exact: true }).fill('E2E Jamf lock Mac')
  await page.getByLabel('Folder', { exact: true }).fill('E2E')
  await page.getByRole('button', { name: 'Create' }).click()
  await card(page, 'Manual Run').waitFor()

  step('Jamf Pro Read User by username')
  await dropRight(page, 'jamf.readUser', 'Read User', 'Manual Run')
  const read = card(page, 'Read User')
  await read.waitFor()
  await read.getByLabel('Connection').selectOption({ label: jamf.name })
  await read.getByTestId('input-read_by_QQQPKG').locator('select').selectOption({ label: 'Username' })
  const user = read.getByTestId('input-Username').locator('input')
  await user.click()
  await page.keyboard.type('alice.nguyen@example.com')

  step('Send Computer MDM Command: DeviceLock with a passcode, ID wired from Read User')
  await dropRight(page, 'jamf.sendComputerMDMCommand', 'Send Computer MDM Command', 'Read User')
  const cmd = card(page, 'Send Computer MDM Command')
  await cmd.waitFor()
  await cmd.getByLabel('Connection').selectOption({ label: jamf.name })
  await cmd.getByTestId('input-command_name_V53YGG').locator('select').selectOption({ label: 'DeviceLock' })
  const pass = cmd.getByTestId('input-Passcode').locator('input')
  await pass.click()
  await page.keyboard.type('482916')
  // Read User's computers are under Links; its own ID is the user's. The
  // Mac's id equals the user's in the fake's seed, so wire the user ID.
  const more = read.getByTestId('more-outputs')
  if (await more.count() && (await more.getAttribute('aria-expanded')) === 'false') await more.click()
  await drag(page, read.getByTestId('out-id_Q5IXJN'), cmd.getByTestId('input-id_VCMXSM'))
  await cmd.getByTestId('input-id_VCMXSM').getByTestId('binding-pill').waitFor()
  await shot('02-built')

  step('save with Ctrl+S and run')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: 'Saved' }).waitFor()
  const { bar } = await runNow(page)
  assert.match(await bar.textContent(), /success/, await bar.textContent())
  await shot('03-ran')

  step('History: the user read and the command accepted (HTTP 201)')
  await openRunInHistory(page)
  const recRead = card(page, 'Read User')
  const recCmd = card(page, 'Send Computer MDM Command')
  await recCmd.waitFor()
  const m1 = recRead.getByTestId('more-outputs')
  if (await m1.count() && (await m1.getAttribute('aria-expanded')) === 'false') await m1.click()
  const full = recordedOutput(recRead, 'full_name_ZMFRRK')
  await full.waitFor()
  assert.match(await full.textContent(), /Alice Nguyen/)
  const status = recordedOutput(recCmd, 'status_code_QHIZ2E')
  await status.waitFor()
  assert.equal((await status.textContent()).trim(), '201')
  const recPass = cmd.page().locator('[data-testid="card-Send Computer MDM Command"] [data-testid="input-Passcode"] [data-testid="recorded-input"]').first()
  await recPass.waitFor()
  assert.equal(await recPass.textContent(), '"482916"')
  await shot('04-history')
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
