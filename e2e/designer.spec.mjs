// End-to-end test of the browser UI against `flowbench serve`: build a flow
// from the palette, wire with the mouse, save, run, read history, add and
// break an Okta connection. Run from the repository root:
//   node e2e/designer.spec.mjs
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { api, drag, launch, shotsDir, startServer, step, stopServer, tempDir, watchConsole } from './lib.mjs'

const SANDBOX_TOKEN = '00SandboxFlowbenchDefaultApiToken0000000000'
const shots = shotsDir('designer')
console.log(`screenshots: ${shots}`)
const server = await startServer(tempDir('flowbench-data-'))
const browser = await launch()
let failed = false
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  const con = watchConsole(page)
  const shot = (n) => page.screenshot({ path: join(shots, `${n}.png`) })
  const card = (title) => page.locator(`.react-flow__node [data-testid="card-${title}"]`).first()
  // cards with many outputs show the used ones only, the rest behind "N more outputs"
  const allOutputs = async (c) => {
    const more = c.getByTestId('more-outputs')
    if (await more.count() && (await more.getAttribute('aria-expanded')) === 'false') await more.click()
  }

  step('home')
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  assert.ok(!page.url().includes('token='), 'token removed from the address bar')
  await shot('01-home')

  step('create a flow')
  await page.getByRole('button', { name: '+ New flow' }).click()
  await page.getByLabel('Name', { exact: true }).fill('E2E member flag')
  await page.getByLabel('Folder', { exact: true }).fill('E2E')
  await page.getByRole('button', { name: 'Create' }).click()
  await page.locator('.react-flow__node').first().waitFor()

  // the trigger: Okta's User Added to Group when the connector has it, else Manual Run with a login input
  const cards = await api(server, 'Cards')
  const oktaTrigger = cards.find((c) => c.kind === 'trigger' && /added to group/i.test(c.title))
  let triggerTitle = 'Manual Run'
  if (oktaTrigger) {
    step(`trigger: drag ${oktaTrigger.title} onto the trigger card`)
    await page.getByLabel('Search cards').fill(oktaTrigger.title)
    await drag(page, page.getByTestId(`palette-${oktaTrigger.id}`), card('Manual Run'))
    await page.getByLabel('Search cards').fill('')
    triggerTitle = oktaTrigger.title
    await card(triggerTitle).waitFor()
  } else {
    step('trigger: Manual Run with a userLogin input')
    await card('Manual Run').getByLabel('New output name').fill('userLogin')
    await card('Manual Run').locator('.addfield').getByRole('button', { name: 'Add' }).click()
  }

  step('drag Read User and Update User from the palette onto the canvas')
  // search each card by name so its palette entry is on screen (the palette is long)
  await page.getByLabel('Search cards').fill('Read User')
  const canvas = page.locator('.canvas')
  const trig = await card(triggerTitle).boundingBox()
  await drag(page, page.getByTestId('palette-okta.readUser'), canvas, { dx: trig.x + trig.width + 60 - (await canvas.boundingBox()).x, dy: 200 })
  await card('Read User').waitFor()
  const rb = await card('Read User').boundingBox()
  const cb = await canvas.boundingBox()
  await page.getByLabel('Search cards').fill('Update User')
  await drag(page, page.getByTestId('palette-okta.updateUser'), { x: rb.x + rb.width + 50, y: cb.y + 200, width: 0, height: 0 })
  await card('Update User').waitFor()
  await page.getByLabel('Search cards').fill('')
  const order = await page.locator('.react-flow__node').evaluateAll((ns) => ns.map((n) => n.querySelector('.card-title')?.textContent))
  assert.deepEqual(order, [triggerTitle, 'Read User', 'Update User'])

  step('choose the sandbox connection')
  await card('Read User').getByLabel('Connection').selectOption({ label: 'Sandbox tenant' })
  await card('Update User').getByLabel('Connection').selectOption({ label: 'Sandbox tenant' })

  step('wire the user id with the mouse')
  if (oktaTrigger) {
    const user = oktaTrigger.outputs.find((o) => /user/i.test(o.key))
    await allOutputs(card(triggerTitle))
    const userNode = card(triggerTitle).getByTestId(`output-${user.key}`)
    await userNode.getByRole('button', { name: `Expand ${user.label || user.key}` }).click()
    const idPill = card(triggerTitle).locator(`[data-testid^="out-${user.key}."]`).filter({ hasText: /^ID$/ }).first()
    await drag(page, idPill, card('Read User').getByTestId('input-ID or Login'))
  } else {
    await drag(page, card(triggerTitle).getByTestId('out-userLogin'), card('Read User').getByTestId('input-ID or Login'))
  }
  await card('Read User').getByTestId('input-ID or Login').getByTestId('binding-pill').waitFor()
  await allOutputs(card('Read User'))
  await drag(page, card('Read User').getByTestId('out-ID'), card('Update User').getByTestId('input-ID'))
  const pill = card('Update User').getByTestId('input-ID').getByTestId('binding-pill')
  await pill.waitFor()
  assert.match(await pill.textContent(), /Read User.*ID/)
  await shot('02-wired')

  step('set isMemberOfGroup = true on Update User')
  await card('Update User').getByLabel('New input name').fill('isMemberOfGroup')
  await card('Update User').getByLabel('New input type').selectOption('boolean')
  await card('Update User').locator('.addfield').first().getByRole('button', { name: 'Add' }).click()
  await card('Update User').getByTestId('input-isMemberOfGroup').locator('select').selectOption('true')

  step('undo / redo keep the flow model')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+z')
  assert.equal(await card('Update User').getByTestId('input-isMemberOfGroup').locator('select').inputValue(), '')
  await page.keyboard.press('Control+Shift+z')
  assert.equal(await card('Update User').getByTestId('input-isMemberOfGroup').locator('select').inputValue(), 'true')

  step('save with Ctrl+S')
  assert.match(await page.getByTestId('dirty').textContent(), /Unsaved/)
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: 'Saved' }).waitFor()
  await shot('03-saved')

  step('run with the sample input')
  await page.getByTestId('run').click()
  const panel = page.getByRole('complementary', { name: 'Run with test input' })
  await panel.waitFor()
  if (!oktaTrigger) await panel.getByLabel('userLogin').fill('alice.nguyen@example.com')
  else await page.waitForTimeout(300) // SampleInput prefill
  await panel.getByTestId('run-now').click()
  const bar = page.getByTestId('runbar')
  await bar.waitFor()
  await shot('04-ran')
  assert.match(await bar.textContent(), /success/, `run status: ${await bar.textContent()}`)
  for (const t of [triggerTitle, 'Read User', 'Update User']) {
    assert.match(await card(t).getByTestId('card-status').textContent(), /success/, `${t} succeeded`)
  }

  step('switch the flow on: the trigger listens; then off')
  const tc = card(triggerTitle)
  if (oktaTrigger) {
    // poll the sandbox's System Log through the connection (an event hook needs Okta to reach us)
    await tc.getByLabel('Connection').selectOption({ label: 'Sandbox tenant' })
    await tc.getByTestId('input-delivery').locator('select').selectOption({ label: 'Poll the System Log through the connection' })
  }
  const sw = page.getByRole('switch', { name: 'Flow on' })
  assert.equal(await sw.isChecked(), false)
  await sw.click() // unsaved changes are saved first
  await page.waitForFunction(() => document.querySelector('[role="switch"][aria-label="Flow on"]')?.checked === true)
  await page.getByTestId('dirty').filter({ hasText: 'Saved' }).waitFor()
  const want = oktaTrigger ? 'Listening' : 'On'
  await tc.getByTestId('trigger-state').filter({ hasText: new RegExp(`^${want}$`) }).waitFor()
  await page.getByTestId('flow-state').filter({ hasText: want }).waitFor()
  if (oktaTrigger) {
    const ts = await tc.getByTestId('trigger-status').textContent()
    assert.match(ts, /System Log polling/, ts)
    assert.match(ts, /group\.user_membership\.add/, ts)
  }
  await shot('04b-on')
  await sw.click()
  await tc.getByTestId('trigger-state').filter({ hasText: /^Off$/ }).waitFor()
  assert.equal(await sw.isChecked(), false)
  assert.equal((await api(server, 'TriggerStatus', (await api(server, 'ListFlows')).find((f) => f.name === 'E2E member flag').id)).listening, false)

  step('open the execution in history')
  await bar.getByRole('button', { name: 'open in history' }).click()
  await page.locator('h1.flow-name').waitFor()
  const rec = card('Update User').getByTestId('input-isMemberOfGroup').getByTestId('recorded-input')
  await rec.waitFor()
  assert.equal(await rec.textContent(), 'true')
  await shot('05-execution')
  await page.getByRole('link', { name: 'History' }).click()
  await page.getByTestId('execution-row').first().waitFor()
  await page.getByLabel('Status filter').selectOption('failed')
  await page.getByText('No runs yet.').waitFor()
  await page.getByLabel('Status filter').selectOption('success')
  await page.getByTestId('execution-row').first().waitFor()
  await shot('06-history')

  step('add an Okta connection to the sandbox and test it')
  const info = await api(server, 'Info')
  assert.ok(info.sandboxUrl, 'sandbox URL')
  await page.getByRole('link', { name: 'Connections' }).click()
  await page.getByRole('button', { name: '+ Okta' }).click()
  const form = page.locator('form.conn-form')
  await form.getByLabel('Name', { exact: true }).fill('E2E sandbox')
  await form.getByLabel('Okta domain').fill(info.sandboxUrl)
  await form.getByLabel('API token').fill(SANDBOX_TOKEN)
  await form.getByTestId('save-connection').click()
  const conn = page.getByTestId('connection-E2E sandbox')
  const report = conn.getByTestId('test-report')
  await report.waitFor()
  assert.match(await report.textContent(), /Connection works/, await report.textContent())
  await shot('07-connection-ok')

  step('break the token: the failing step is explained')
  await conn.getByRole('button', { name: 'Edit' }).click()
  assert.equal(await form.getByLabel('API token').inputValue(), '', 'secret never shown again')
  await form.getByLabel('API token').fill('00NotTheRightToken')
  await form.getByTestId('save-connection').click()
  await conn.getByTestId('test-report').filter({ hasText: 'failed' }).waitFor()
  const bad = conn.locator('[data-testid="test-step"].first')
  assert.ok(await bad.count(), 'a failing step')
  const badText = await bad.textContent()
  assert.match(badText, /401|token|auth/i, badText)
  console.log(`  failing step: ${badText.replace(/\s+/g, ' ').trim()}`)
  await shot('08-connection-broken')

  step('dark theme follows the OS')
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.evaluate(() => { location.hash = '/' })
  await page.getByRole('link', { name: 'E2E member flag' }).click()
  await card('Update User').waitFor()
  const bg = await page.locator('.card').first().evaluate((e) => getComputedStyle(e).backgroundColor)
  assert.notEqual(bg, 'rgb(255, 255, 255)', 'dark card background')
  await shot('09-designer-dark')

  con.check()
  console.log('PASS designer.spec')
} catch (e) {
  failed = true
  console.error('FAIL designer.spec:', e)
  const pages = browser.contexts().flatMap((c) => c.pages())
  if (pages[0]) await pages[0].screenshot({ path: join(shots, 'failure.png') }).catch(() => undefined)
  console.error(server.log().slice(-3000))
} finally {
  await browser.close()
  await stopServer(server)
}
process.exit(failed ? 1 : 0)
