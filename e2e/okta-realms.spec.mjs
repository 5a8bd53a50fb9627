// End-to-end test of the Okta Realms connector cards (issue 10 point 8)
// through the browser UI against `flowbench serve` and its sandbox tenant,
// built with the pointer and keyboard:
//   realm    — Manual Run (realm) → Create Realm (name wired) → Create Realm
//              User (Option "In Group", the Group ID picked from the org's
//              groups, the profile typed, the realm wired) → Update Realm
//              (renamed). The run succeeds; History shows the new user in
//              the new realm and the realm's new name.
//   wrong    — a Username that is not an email fails the run on Create Realm
//              User with Okta's validation error naming login.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/oa2/flowbench node e2e/okta-realms.spec.mjs
import assert from 'node:assert/strict'
import { api, card, drag, finish, openPage, openRunInHistory, reportFailure, setup, step } from './lib.mjs'

const FLOW = 'E2E Okta realms'
const CRU = 'Create Realm User'
const { shots, server, browser } = await setup('okta-realms')
let failed = false
let page
try {
  const o = await openPage(browser, shots, { width: 2200, height: 1200 })
  page = o.page
  const { con, shot } = o
  const conn = (await api(server, 'ListConnections')).find((c) => c.kind === 'okta')
  assert.ok(conn, 'a ready Okta sandbox connection')
  const groups = await api(server, 'FieldChoices', conn.id, 'okta.groups', false)
  const eng = groups.choices.find((c) => c.label === 'Engineering')?.value
  assert.ok(eng, `the sandbox's groups: ${JSON.stringify(groups.choices)}`)

  const dropAt = async (specId, search, dx, dy) => {
    await page.getByLabel('Search cards').fill(search)
    await drag(page, page.getByTestId(`palette-${specId}`), page.locator('.canvas'), { dx, dy })
    await page.getByLabel('Search cards').fill('')
  }
  const right = async (title) => {
    const b = await card(page, title).boundingBox()
    const cv = await page.locator('.canvas').boundingBox()
    return b.x + b.width + 40 - cv.x
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
    // the real mouse: press on the output, start the drag, then aim at the
    // input where it is while dragging (droppable inputs get a frame)
    const src = await card(page, from).getByTestId(`out-${out}`).boundingBox()
    await page.mouse.move(src.x + src.width / 2, src.y + src.height / 2)
    await page.mouse.down()
    await page.mouse.move(src.x + src.width / 2 + 8, src.y + src.height / 2 + 4, { steps: 2 })
    const dst = await card(page, to).getByTestId(`input-${input}`).boundingBox()
    await page.mouse.move(dst.x + dst.width / 2, dst.y + dst.height / 2, { steps: 12 })
    const at = await card(page, to).getByTestId(`input-${input}`).boundingBox() // where it is now, under the pointer
    await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2, { steps: 3 })
    await page.mouse.up()
    await card(page, to).getByTestId(`input-${input}`).getByTestId('binding-pill').waitFor()
  }
  const chooseIn = async (c, key, label) => {
    const sel = c.getByTestId(`input-${key}`).locator('select')
    await sel.click()
    await page.keyboard.type(label)
    await page.keyboard.press('Enter')
    await page.waitForFunction(([k, l]) => {
      const s = document.querySelector(`.react-flow__node [data-testid="card-Create Realm User"] [data-testid="input-${k}"] select`)
      return s && s.options[s.selectedIndex]?.text.startsWith(l)
    }, [key, label])
  }
  const save = async () => {
    await page.keyboard.press('Control+s')
    await page.getByTestId('dirty').filter({ hasText: 'Saved' }).waitFor()
  }
  const run = async (realm) => {
    const clear = page.getByTestId('runbar').getByRole('button', { name: 'Clear run results' })
    if (await clear.count()) {
      await clear.click()
      await page.getByTestId('runbar').waitFor({ state: 'detached' })
    }
    await page.getByTestId('run').click()
    const panel = page.getByRole('complementary', { name: 'Run with test input' })
    await panel.waitFor()
    const box = panel.getByLabel('realm', { exact: true })
    await box.click()
    await page.keyboard.press('Control+a')
    await page.keyboard.type(realm)
    await panel.getByTestId('run-now').click()
    const bar = page.getByTestId('runbar')
    await bar.filter({ hasText: /success|failed/ }).waitFor()
    return bar
  }
  const lastRun = async () => {
    const f = (await api(server, 'ListFlows')).find((x) => x.name === FLOW)
    const runs = await api(server, 'ListExecutions', { flow: f.id })
    const list = Array.isArray(runs) ? runs : runs.executions || runs.items || []
    return api(server, 'GetExecution', list[0].id)
  }

  step('create a flow with a realm input; Create Realm named by it')
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  await page.getByRole('button', { name: '+ New flow' }).click()
  await page.getByLabel('Name', { exact: true }).fill(FLOW)
  await page.getByLabel('Folder', { exact: true }).fill('E2E')
  await page.getByRole('button', { name: 'Create' }).click()
  await card(page, 'Manual Run').waitFor()
  await card(page, 'Manual Run').getByLabel('New output name').fill('realm')
  await card(page, 'Manual Run').locator('.addfield').getByRole('button', { name: 'Add' }).click()
  await card(page, 'Manual Run').getByTestId('out-realm').waitFor()
  await dropAt('oktarealms.createRealm', 'Create Realm', await right('Manual Run'), 40)
  const cr = card(page, 'Create Realm')
  await cr.waitFor()
  await cr.getByLabel('Connection').selectOption({ label: conn.name })
  await wire('Manual Run', 'realm', 'Create Realm', 'name')

  step(`${CRU}: Option In Group, Group ID picked from the org's groups, profile typed, realm wired`)
  await dropAt('oktarealms.createRealmUser', CRU, await right('Create Realm'), 40)
  const cu = card(page, CRU)
  await cu.waitFor()
  await cu.getByLabel('Connection').selectOption({ label: conn.name })
  assert.equal(await cu.getByTestId('input-Group ID').count(), 0, 'Group ID shows only for the In Group option')
  await chooseIn(cu, 'option', 'In Group')
  await cu.getByTestId('input-Group ID').waitFor()
  await cu.getByTestId('input-Group ID').locator('select option', { hasText: 'Engineering' }).waitFor({ state: 'attached' })
  await chooseIn(cu, 'Group ID', 'Engineering')
  await typeIn(cu, 'login', 'rhea.partner@example.com')
  await typeIn(cu, 'firstName', 'Rhea')
  await typeIn(cu, 'lastName', 'Partner')
  await typeIn(cu, 'email', 'rhea.partner@example.com')
  await wire('Create Realm', 'ID', CRU, 'realmId')
  await shot('01-create-realm-user')

  step('Update Realm renames it')
  await dropAt('oktarealms.updateRealm', 'Update Realm', await right(CRU), 40)
  const ur = card(page, 'Update Realm')
  await ur.waitFor()
  await ur.getByLabel('Connection').selectOption({ label: conn.name })
  await wire('Create Realm', 'ID', 'Update Realm', 'id')
  await typeIn(ur, 'name', 'Partners EMEA')
  await save()
  await shot('02-flow-built')

  step('run with realm "Suppliers": success; History shows the user in the new realm and the new name')
  let bar = await run('Suppliers')
  assert.match(await bar.textContent(), /success/, `run: ${await bar.textContent()}`)
  await openRunInHistory(page)
  const createdId = card(page, 'Create Realm').getByTestId('output-ID').getByTestId('recorded-output')
  await createdId.waitFor()
  const rid = JSON.parse(await createdId.textContent())
  assert.match(rid, /^guo/, 'Create Realm recorded the new realm id')
  await card(page, CRU).getByTestId('more-outputs').click()
  const realmOut = card(page, CRU).getByTestId('output-Realm ID').getByTestId('recorded-output')
  await realmOut.waitFor()
  assert.equal(JSON.parse(await realmOut.textContent()), rid, 'the user is in the created realm')
  const ex = await lastRun()
  const text = JSON.stringify(ex)
  assert.match(text, /"Partners EMEA"/, 'the realm was renamed')
  assert.match(text, new RegExp(`"Group ID":"${eng}"`), 'the user was created in Engineering (the id picked by name)')
  assert.equal(ex.status, 'success')
  await shot('03-history')

  step('wrong value: a Username that is not an email fails on the card with Okta\'s validation error')
  await page.goBack()
  await card(page, CRU).waitFor()
  await typeIn(card(page, CRU), 'login', 'rhea')
  await save()
  bar = await run('Vendors')
  assert.match(await bar.textContent(), /failed/)
  assert.match(await card(page, CRU).getByTestId('card-status').textContent(), /failed/)
  assert.match(await card(page, CRU).textContent(), /login: Username must be in the form of an email address/)
  await shot('04-wrong-login')
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
