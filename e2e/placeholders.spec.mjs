// End-to-end test of an imported template whose connections were not bound in
// the import report, against `flowbench serve`: the designer names each
// placeholder as the file did ("… — not bound", not its id), the problem on
// the card says what to do, and choosing a connection on one card sets it on
// every card of that app on the same placeholder, as one edit (Ctrl+Z takes it
// back); cards of another app keep theirs. Run from the repository root:
//   node e2e/placeholders.spec.mjs
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { api, CORPUS, finish, openPage, reportFailure, save, setup, step } from './lib.mjs'

const { shots, server, browser } = await setup('placeholders')
let failed = false
let page
try {
  const p = await openPage(browser, shots, { width: 1440, height: 900 })
  page = p.page
  const { con, shot } = p
  step('import a template with Okta, Office 365 Mail and Box placeholders; its report is closed unbound')
  const data = readFileSync(join(CORPUS, 'reassign_files_while_deprovisioning_with_box', 'workflow.flopack'), 'utf8')
  const rep = await api(server, 'ImportText', 'workflow.flopack', data)
  const okta = rep.connections.find((c) => c.kind === 'okta')
  const box = rep.connections.find((c) => c.kind === 'box')
  assert.ok(okta && box, JSON.stringify(rep.connections))
  const flows = await api(server, 'ListFlows')
  const flow = flows.find((f) => f.name === 'Okta Box User - Deprovision Flow')
  const onPlaceholder = (f, id) => JSON.stringify(f).split(`"connection":"${id}"`).length - 1
  const before = await api(server, 'GetFlow', flow.id)
  const oktaCards = onPlaceholder(before, okta.id)
  const boxCards = onPlaceholder(before, box.id)
  assert.ok(oktaCards > 1 && boxCards > 0, `${oktaCards} Okta and ${boxCards} Box cards on placeholders`)

  step('the trigger names the placeholder as the file did, and says what to do')
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows', exact: true }).waitFor()
  await page.getByRole('link', { name: flow.name }).first().click()
  const trig = page.locator('.react-flow__node .card.trigger')
  await trig.waitFor()
  const conn = trig.getByLabel('Connection')
  assert.equal(await conn.locator('option:checked').textContent(), `${okta.name} — not bound`)
  await page.locator('.card .problem', { hasText: `connection "${okta.name}" of the imported file is not bound to a connection here` }).first().waitFor()
  assert.equal(await page.locator('.card .problem', { hasText: okta.id }).count(), 0, 'no problem shows the placeholder id')
  await shot('01-not-bound')

  step(`Sandbox tenant chosen on the trigger: the ${oktaCards} Okta cards on that placeholder take it; Box cards keep theirs`)
  await conn.selectOption({ label: 'Sandbox tenant' })
  await page.getByText(`Sandbox tenant is now the connection of the ${oktaCards} cards that used “${okta.name}”`).waitFor()
  await shot('02-bound-all')
  await save(page)
  const after = await api(server, 'GetFlow', flow.id)
  assert.equal(onPlaceholder(after, okta.id), 0, 'no Okta card left on the placeholder')
  assert.equal(onPlaceholder(after, 'sandbox'), oktaCards)
  assert.equal(onPlaceholder(after, box.id), boxCards, 'Box cards keep their placeholder')

  step('Ctrl+Z takes the whole choice back in one step')
  await page.locator('.canvas').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+z')
  await conn.locator('option:checked').filter({ hasText: `${okta.name} — not bound` }).waitFor({ state: 'attached' })
  await save(page)
  assert.equal(onPlaceholder(await api(server, 'GetFlow', flow.id), okta.id), oktaCards)
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
