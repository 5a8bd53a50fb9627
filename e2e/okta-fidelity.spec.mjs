// End-to-end test of issue 10 points 6–8 through the browser UI against
// `flowbench serve` and its sandbox tenant. Scenarios:
//   formula  — a Formula card with factorial, pow, pi and a # comment, fed by
//              the trigger; a run shows 32 in history; a bad value (a negative
//              factorial) fails on the card naming the formula.
//   roles    — Custom API Action on the sandbox's /users/me/roles and
//              /users/me/factors (endpoints the sandbox lacked): the run
//              succeeds and history records 200 and the admin's SUPER_ADMIN role.
//   palette  — the new reference cards (Collapse, Find Custom, XML Parse,
//              Object Map) and the Okta product cards (Okta Devices events,
//              Okta Realms, Okta Privileged Access) are in the palette.
// Run from the repository root:  node e2e/okta-fidelity.spec.mjs
import assert from 'node:assert/strict'
import { api, drag, openPage, setup, step, stopServer } from './lib.mjs'

const { shots, server, browser } = await setup('okta-fidelity')
let failed = false
try {
  const { page, con, shot } = await openPage(browser, shots, { width: 1440, height: 900 })
  const card = (title) => page.locator(`.react-flow__node [data-testid="card-${title}"]`).first()
  const newFlow = async (name) => {
    await page.evaluate(() => { location.hash = '/' })
    await page.getByRole('button', { name: '+ New flow' }).click()
    await page.getByLabel('Name', { exact: true }).fill(name)
    await page.getByLabel('Folder', { exact: true }).fill('E2E fidelity')
    await page.getByRole('button', { name: 'Create' }).click()
    await card('Manual Run').waitFor()
  }
  const dropRightOf = async (paletteId, search, leftTitle) => {
    await page.getByLabel('Search cards').fill(search)
    const lb = await card(leftTitle).boundingBox()
    const cv = await page.locator('.canvas').boundingBox()
    await drag(page, page.getByTestId(`palette-${paletteId}`), page.locator('.canvas'), { dx: lb.x + lb.width + 60 - cv.x, dy: 140 })
    await page.getByLabel('Search cards').fill('')
  }
  const runWith = async (fill) => {
    await page.getByTestId('run').click()
    const panel = page.getByRole('complementary', { name: 'Run with test input' })
    await panel.waitFor()
    await fill(panel)
    await panel.getByTestId('run-now').click()
    const bar = page.getByTestId('runbar')
    await bar.filter({ hasText: /success|failed/ }).waitFor()
    return bar
  }

  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows' }).waitFor()

  // --- formula ---
  step('formula: Manual Run with a number input n')
  await newFlow('E2E formula')
  await card('Manual Run').getByLabel('New output name').fill('n')
  await card('Manual Run').getByLabel('New output type').selectOption('number')
  await card('Manual Run').locator('.addfield').getByRole('button', { name: 'Add' }).click()
  await card('Manual Run').getByTestId('out-n').waitFor()

  step('formula: drag Formula from the palette, add input n and wire it')
  await dropRightOf('number.formula', 'Formula', 'Manual Run')
  const f = card('Formula')
  await f.waitFor()
  await f.getByLabel('New input name').fill('n')
  await f.getByLabel('New input type').selectOption('number')
  await f.locator('.addfield').first().getByRole('button', { name: 'Add' }).click()
  await drag(page, card('Manual Run').getByTestId('out-n'), f.getByTestId('input-n'))
  await f.getByTestId('input-n').getByTestId('binding-pill').waitFor()

  step('formula: type n! + pow(2, 3) # a comment')
  const formula = f.getByTestId('input-_text_').locator('input, textarea').first()
  await formula.click()
  await formula.pressSequentially('n! + pow(2, 3) # factorial plus eight')
  await formula.press('Tab')
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await shot('01-formula-card')

  step('formula: run with n = 4; history shows 32')
  let bar = await runWith(async (p) => { await p.getByLabel('n', { exact: true }).fill('4') })
  await shot('02-formula-ran')
  assert.match(await bar.textContent(), /success/, `run: ${await bar.textContent()}`)
  await bar.getByRole('button', { name: 'open in history' }).click()
  await page.locator('h1.flow-name').waitFor()
  const rec = card('Formula').getByTestId('recorded-output').first()
  await rec.waitFor()
  assert.equal((await rec.textContent()).trim(), '32')
  await shot('03-formula-history')

  step('formula: a wrong value (a negative factorial) fails on the card and names the formula')
  await page.goBack()
  await card('Formula').waitFor()
  const formula2 = card('Formula').getByTestId('input-_text_').locator('input, textarea').first()
  await formula2.fill('(n - 5)! # -1 has no factorial')
  await formula2.press('Tab')
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  bar = await runWith(async (p) => { await p.getByLabel('n', { exact: true }).fill('4') })
  assert.match(await bar.textContent(), /failed/)
  assert.match(await bar.textContent(), /Error in Formula › formula: .*whole number/, 'the run bar names the card and the formula input as the canvas shows them')
  assert.match(await card('Formula').getByTestId('card-status').textContent(), /failed/)
  assert.match(await card('Formula').textContent(), /factorial \(!\) needs a whole number/, 'the card shows why')
  const runs = await api(server, 'ListExecutions', { flow: (await api(server, 'ListFlows')).find((x) => x.name === 'E2E formula').id })
  const list = Array.isArray(runs) ? runs : runs.executions || runs.items || []
  const failedRun = list.find((r) => r.status === 'failed')
  assert.ok(failedRun, `a failed run in history: ${JSON.stringify(runs).slice(0, 300)}`)
  const ex = await api(server, 'GetExecution', failedRun.id)
  assert.match(JSON.stringify(ex), /whole number/, 'the error says a factorial needs a whole number')
  assert.match(JSON.stringify(ex), /_text_/, 'the error names the formula input')
  await shot('04-formula-error')

  // --- roles and factors ---
  step('roles: Custom API Action on /api/v1/users/me/roles through the sandbox connection')
  await newFlow('E2E roles')
  await dropRightOf('okta.customApiAction', 'Custom API Action', 'Manual Run')
  const c = card('Custom API Action')
  await c.waitFor()
  await c.getByLabel('Connection').selectOption({ label: 'Sandbox tenant' })
  const rel = c.getByTestId('input-Relative URL').locator('input, textarea').first()
  await rel.click()
  await rel.pressSequentially('/api/v1/users/me/roles')
  await rel.press('Tab')
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  bar = await runWith(async () => {})
  assert.match(await bar.textContent(), /success/, `run: ${await bar.textContent()}`)
  await bar.getByRole('button', { name: 'open in history' }).click()
  await page.locator('h1.flow-name').waitFor()
  const status = card('Custom API Action').getByTestId('output-Status Code').getByTestId('recorded-output')
  await status.waitFor()
  assert.equal((await status.textContent()).trim(), '200')
  await shot('05-roles-history')
  const flows = await api(server, 'ListFlows')
  const rruns = await api(server, 'ListExecutions', { flow: flows.find((x) => x.name === 'E2E roles').id })
  const rlist = Array.isArray(rruns) ? rruns : rruns.executions || rruns.items || []
  const rex = await api(server, 'GetExecution', rlist[0].id)
  assert.match(JSON.stringify(rex), /"type":"SUPER_ADMIN"/, 'history records the admin role')

  step('roles: switch the same card to /users/me/factors; the email factor comes back')
  await page.goBack()
  await card('Custom API Action').waitFor()
  const rel2 = card('Custom API Action').getByTestId('input-Relative URL').locator('input, textarea').first()
  await rel2.fill('/api/v1/users/me/factors')
  await rel2.press('Tab')
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  bar = await runWith(async () => {})
  assert.match(await bar.textContent(), /success/)
  const fruns = await api(server, 'ListExecutions', { flow: flows.find((x) => x.name === 'E2E roles').id })
  const flist = Array.isArray(fruns) ? fruns : fruns.executions || fruns.items || []
  const fex = await api(server, 'GetExecution', flist[0].id)
  assert.match(JSON.stringify(fex), /"factorType":"email"/, 'history records the email factor')

  // --- palette ---
  step('palette: the new reference and Okta product cards can be found by name')
  for (const [search, id] of [['Collapse', 'list.collapse'], ['Find Custom', 'list.findCustom'], ['Parse', 'xml.parse'], ['Map', 'object.map'],
    ['MFA Factor', 'okta.event.userMFAFactorActivated'], ['Realm', 'oktarealms.listRealmUsers'], ['Custom API Action', 'oktaprivilegedaccess.customApiAction']]) {
    await page.getByLabel('Search cards').fill(search)
    await page.getByTestId(`palette-${id}`).waitFor()
  }
  await page.getByLabel('Search cards').fill('Realm')
  await shot('06-palette-realms')
  await page.getByLabel('Search cards').fill('')
  con.check()
} catch (e) {
  failed = true
  console.error(e)
} finally {
  await browser.close()
  await stopServer(server)
}
if (failed) process.exit(1)
console.log('okta-fidelity: all scenarios passed')
