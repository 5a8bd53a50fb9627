// End-to-end: the part-2 apps against their local fakes (ready connections
// "sandbox-jamf", "sandbox-auth0", … "sandbox-awsidc"). The Connections
// page tests each one (settings → token → identity). A flow built with the pointer
// and keyboard reads a Jamf Pro user by username and sends a DeviceLock
// MDM command with a passcode to the Mac assigned to them (the ID wired from
// Read User); History shows the user read and the command's HTTP 201.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/k5/flowbench node e2e/apps2.spec.mjs
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { ROOT, api, card, drag, dropRight, finish, newFlow, openPage, openRunInHistory, recordedOutput, reportFailure, runNow, setup, step } from './lib.mjs'

// the template corpus lives in shared/ beside the repository
const CORPUS = process.env.FLOWBENCH_CORPUS_DIR || join(ROOT, '..', 'shared', 'corpus', 'okta-workflows-templates')
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
  await newFlow(page, 'E2E Jamf lock Mac')

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
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
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

  step('a username Jamf Pro does not know: the run fails on Read User with Jamf\'s answer')
  await page.getByRole('button', { name: 'Edit flow' }).click()
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  const user2 = card(page, 'Read User').getByTestId('input-Username').locator('input')
  await user2.click()
  await page.keyboard.press('Control+a')
  await page.keyboard.type('nobody@example.com')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  const bad = await runNow(page)
  assert.match(await bad.bar.textContent(), /failed/)
  // the failed card is Read User: it shows Jamf's answer; the command never ran
  const err = card(page, 'Read User').getByTestId('card-error')
  await err.waitFor()
  const errText = await err.textContent()
  assert.match(errText, /Jamf Pro has no user with username "nobody@example.com"/, errText)
  assert.match(errText, /HTTP 404/, errText)
  console.log(`  error: ${errText.replace(/\s+/g, ' ').trim()}`)
  await shot('04b-unknown-user')

  step('import the Jamf "restart mobile devices weekly" template: no unsupported card')
  await page.evaluate(() => { location.hash = '/' })
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  const [fc] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import…' }).click()])
  await fc.setFiles(`${CORPUS}/restart_specific_apple_mobile_devices_on_a_weekly_/workflow.flopack`)
  await page.getByTestId('import-report').waitFor()
  const counts = await page.getByTestId('import-counts').textContent()
  assert.match(counts, /cards: \d+ mapped, 0 unsupported/, counts)
  step('bind its Jamf Pro placeholder to the sandbox connection in the dialog')
  const bind = page.getByTestId('bind-connections').locator('li').filter({ hasText: 'Jamf Pro Vincent1' })
  await bind.getByRole('combobox').selectOption({ label: jamf.name })
  await bind.getByRole('button', { name: 'Bind' }).click()
  await bind.getByRole('status').waitFor()
  await shot('05-import-bound')
  await page.locator('dialog[open]').getByRole('button', { name: 'Close' }).click()

  step('run the main flow: the group is read and each iPad gets RestartDevice')
  await page.getByRole('link', { name: 'Restart Mobile Devices Weekly' }).click()
  await card(page, 'Read Mobile Device Group').waitFor()
  const ran = await runNow(page)
  assert.match(await ran.bar.textContent(), /success/, await ran.bar.textContent())
  await openRunInHistory(page)
  const grp = card(page, 'Read Mobile Device Group')
  await grp.waitFor()
  const name = recordedOutput(grp, 'name_H5P4IK')
  await name.waitFor()
  assert.match(await name.textContent(), /Meeting Room iPads/)
  const devs = recordedOutput(grp, 'mobile_devices_C5UIBX')
  assert.match(await devs.textContent(), /Meeting Room iPad 1/)
  await shot('06-template-run')
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
