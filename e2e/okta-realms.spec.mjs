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
import { addTriggerOutput, api, card, dropAt, finish, lastRun, newFlow, openPage, openRunInHistory, reportFailure, rightOf, runWith, save, setup, step, typeIn, wire } from './lib.mjs'

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

  step('create a flow with a realm input; Create Realm named by it')
  await page.goto(server.url)
  await newFlow(page, FLOW)
  await addTriggerOutput(page, 'realm')
  await dropAt(page, 'oktarealms.createRealm', 'Create Realm', await rightOf(page, 'Manual Run', 40), 40)
  const cr = card(page, 'Create Realm')
  await cr.waitFor()
  await cr.getByLabel('Connection').selectOption({ label: conn.name })
  await wire(page, 'Manual Run', 'realm', 'Create Realm', 'name')

  step(`${CRU}: Option In Group, Group ID picked from the org's groups, profile typed, realm wired`)
  await dropAt(page, 'oktarealms.createRealmUser', CRU, await rightOf(page, 'Create Realm', 40), 40)
  const cu = card(page, CRU)
  await cu.waitFor()
  await cu.getByLabel('Connection').selectOption({ label: conn.name })
  assert.equal(await cu.getByTestId('input-Group ID').count(), 0, 'Group ID shows only for the In Group option')
  await chooseIn(cu, 'option', 'In Group')
  await cu.getByTestId('input-Group ID').waitFor()
  await cu.getByTestId('input-Group ID').locator('select option', { hasText: 'Engineering' }).waitFor({ state: 'attached' })
  await chooseIn(cu, 'Group ID', 'Engineering')
  await typeIn(page, cu, 'login', 'rhea.partner@example.com')
  await typeIn(page, cu, 'firstName', 'Rhea')
  await typeIn(page, cu, 'lastName', 'Partner')
  await typeIn(page, cu, 'email', 'rhea.partner@example.com')
  await wire(page, 'Create Realm', 'ID', CRU, 'realmId')
  await shot('01-create-realm-user')

  step('Update Realm renames it')
  await dropAt(page, 'oktarealms.updateRealm', 'Update Realm', await rightOf(page, CRU, 40), 40)
  const ur = card(page, 'Update Realm')
  await ur.waitFor()
  await ur.getByLabel('Connection').selectOption({ label: conn.name })
  await wire(page, 'Create Realm', 'ID', 'Update Realm', 'id')
  await typeIn(page, ur, 'name', 'Partners EMEA')
  await save(page)
  await shot('02-flow-built')

  step('run with realm "Suppliers": success; History shows the user in the new realm and the new name')
  let bar = await runWith(page, { realm: 'Suppliers' })
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
  const ex = await lastRun(server, FLOW)
  const text = JSON.stringify(ex)
  assert.match(text, /"Partners EMEA"/, 'the realm was renamed')
  assert.match(text, new RegExp(`"Group ID":"${eng}"`), 'the user was created in Engineering (the id picked by name)')
  assert.equal(ex.status, 'success')
  await shot('03-history')

  step('wrong value: a Username that is not an email fails on the card with Okta\'s validation error')
  await page.goBack()
  await card(page, CRU).waitFor()
  await typeIn(page, card(page, CRU), 'login', 'rhea')
  await save(page)
  bar = await runWith(page, { realm: 'Vendors' })
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
