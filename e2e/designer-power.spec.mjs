// End-to-end test of a card's error handling as a daily Okta Workflows admin
// uses it, against `flowbench serve` and its sandbox tenant: the card menu's
// "Error handling…" (retries, wait, then stop / continue / run a helper flow),
// wrong values named on their field, the policy shown on the card, kept by a
// save and a reload, undone with Ctrl+Z, and a run of a failing Read User
// (unknown login) whose History says what the error handling did. Then an
// If/ElseIf built by hand: its clauses drawn on their lanes (value a wired
// from the trigger, comparison, value b), "+ Else if", cards dropped into the
// lanes, a clause moved up, a clause with cards removed and brought back with
// Ctrl+Z, save, reload, and a run whose History shows the chosen lane ran.
// Last, the big imported template "2a. SAML Create App": its If/ElseIf shows
// the imported clauses, and Find in flow (Ctrl+F) shows the head of that
// card, wider than the canvas.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/ra/flowbench node e2e/designer-power.spec.mjs
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { addTriggerOutput, api, card, CORPUS, drag, dropAt, dropRight, finish, importFile, lastRun, newFlow, openPage, openRunInHistory, reportFailure, rightOf, runWith, save, setup, step, typeIn, wire } from './lib.mjs'

const { shots, server, browser } = await setup('designer-power')
let failed = false
let page
try {
  const o = await openPage(browser, shots, { width: 1600, height: 1000 })
  page = o.page
  const { con, shot } = o
  const conn = (await api(server, 'ListConnections')).find((c) => c.kind === 'okta')
  assert.ok(conn, 'a ready Okta sandbox connection')

  step('a flow: Manual Run (login) → Read User (sandbox) → Concatenate')
  await page.goto(server.url)
  await newFlow(page, 'E2E error handling')
  await addTriggerOutput(page, 'login')
  await dropAt(page, 'okta.readUser', 'Read User', await rightOf(page, 'Manual Run'), 60)
  await card(page, 'Read User').waitFor()
  await card(page, 'Read User').getByLabel('Connection').selectOption({ label: conn.name })
  await wire(page, 'Manual Run', 'login', 'Read User', 'ID or Login')
  await dropAt(page, 'text.concat', 'Concatenate', await rightOf(page, 'Read User'), 60)
  await card(page, 'Concatenate').waitFor()
  await typeIn(page, card(page, 'Concatenate'), 'string1', 'went on after ')
  await wire(page, 'Manual Run', 'login', 'Concatenate', 'string2')
  await save(page)

  step('without error handling an unknown login fails the run at Read User')
  let bar = await runWith(page, { login: 'nobody@example.com' })
  assert.match(await bar.textContent(), /failed/)
  assert.equal(await card(page, 'Read User').getByTestId('onerror-outcome').count(), 0, 'no error handling, nothing to explain')

  step('card menu → Error handling…: wrong values are named on their field')
  await card(page, 'Read User').getByRole('button', { name: 'Menu of Read User' }).click()
  await page.getByRole('menuitem', { name: 'Error handling…' }).click()
  const dlg = page.getByRole('dialog', { name: 'Error handling — Read User' })
  await dlg.waitFor()
  await dlg.getByLabel('Retries').fill('-1')
  await dlg.getByTestId('onerror-error-retries').filter({ hasText: 'not a number of retries' }).waitFor()
  assert.ok(await dlg.getByRole('button', { name: 'Save' }).isDisabled(), 'Save waits for a good value')
  await dlg.getByLabel('Retries').fill('2')
  await dlg.getByLabel('Wait between tries').fill('50')
  await dlg.getByTestId('onerror-error-delay').filter({ hasText: 'needs a unit: 50s' }).waitFor()
  await dlg.getByLabel('Wait between tries').fill('50ms')
  await dlg.getByLabel('Run a helper flow with the error, then continue').check()
  await dlg.getByRole('button', { name: 'Save' }).click()
  await dlg.getByTestId('onerror-error-flow').filter({ hasText: 'Choose the helper flow' }).waitFor()
  await dlg.getByLabel('Continue the flow — the card’s outputs are empty').check()
  await shot('01-error-handling-dialog')
  await dlg.getByRole('button', { name: 'Save' }).click()
  await dlg.waitFor({ state: 'detached' })
  const badge = card(page, 'Read User').getByTestId('onerror-badge')
  assert.equal((await badge.textContent()).trim(), '↻ On error: retry 2× every 50ms, then continue')

  step('Ctrl+Z takes the policy back, Ctrl+Shift+Z brings it again; save and reload keep it')
  await page.locator('.canvas').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+z')
  await badge.waitFor({ state: 'detached' })
  await page.keyboard.press('Control+Shift+z')
  await badge.waitFor()
  await save(page)
  await page.reload()
  await card(page, 'Read User').getByTestId('onerror-badge').filter({ hasText: 'retry 2× every 50ms, then continue' }).waitFor()
  const stored = await api(server, 'GetFlow', (await api(server, 'ListFlows')).find((f) => f.name === 'E2E error handling').id)
  const rd = stored.cards.find((c) => c.type === 'okta.readUser')
  assert.deepEqual(rd.onError, { action: 'continue', retries: 2, delay: '50ms' })

  step('the run goes on past the failing Read User; the card says what its error handling did')
  bar = await runWith(page, { login: 'nobody@example.com' })
  assert.match(await bar.textContent(), /success/)
  const outcome = card(page, 'Read User').getByTestId('onerror-outcome')
  await outcome.waitFor()
  assert.match(await outcome.textContent(), /^Tried 3 times\. The card failed; its error handling continued the flow, with the card's outputs empty\./)
  assert.equal(await outcome.locator('li').count(), 2, 'two retries listed')
  assert.match(await outcome.locator('li').first().textContent(), /^try 2 after 50 ms — try 1 failed: .*404/)
  await shot('02-run-continued')
  const ex = await lastRun(server, 'E2E error handling')
  assert.equal(ex.status, 'success')
  assert.equal(ex.cards.find((c) => c.type === 'okta.readUser').status, 'failed, continued')
  assert.equal(ex.cards.find((c) => c.type === 'text.concat').outputs.output, 'went on after nobody@example.com')

  step('History shows the same on the recorded run, the badge read-only')
  await openRunInHistory(page)
  await card(page, 'Read User').getByTestId('onerror-outcome').filter({ hasText: 'Tried 3 times.' }).waitFor()
  assert.ok(await card(page, 'Read User').getByTestId('onerror-badge').isDisabled())
  await shot('03-history')

  step('Back to the designer; Stop the flow with one retry: the run fails after 2 tries')
  await page.goBack()
  await card(page, 'Read User').getByTestId('onerror-badge').click()
  await dlg.waitFor()
  await dlg.getByLabel('Retries').fill('1')
  await dlg.getByLabel('Wait between tries').fill('')
  await dlg.getByLabel('Stop the flow — the run fails at this card').check()
  await dlg.getByLabel('Retries').press('Enter')
  await dlg.waitFor({ state: 'detached' })
  await card(page, 'Read User').getByTestId('onerror-badge').filter({ hasText: 'retry 1×, then stop' }).waitFor()
  bar = await runWith(page, { login: 'nobody@example.com' })
  assert.match(await bar.textContent(), /failed/)
  await card(page, 'Read User').getByTestId('onerror-outcome').filter({ hasText: 'Tried 2 times. It failed every time, so the flow stopped.' }).waitFor()

  step('If/ElseIf: a new one shows its clause (If … ) and its Else lane')
  await save(page)
  await page.getByRole('link', { name: 'Flows' }).click()
  await newFlow(page, 'E2E clauses')
  await addTriggerOutput(page, 'tier')
  await dropRight(page, 'flow.ifElseIf', 'If/ElseIf', 'Manual Run')
  const ie = card(page, 'If/ElseIf')
  await ie.getByTestId('clause-if').waitFor()
  await ie.getByTestId('clause-else').waitFor()

  step('clause 1: value a wired from tier, == "gold"; + Else if: tier == "silver"')
  await wire(page, 'Manual Run', 'tier', 'If/ElseIf', 'if/left-operand')
  await ie.getByLabel('If value b').fill('gold')
  await ie.getByLabel('If value b').press('Enter')
  await ie.getByRole('button', { name: '+ Else if' }).click()
  await ie.getByTestId('clause-clause2').waitFor()
  await wire(page, 'Manual Run', 'tier', 'If/ElseIf', 'clause2/left-operand')
  await ie.getByLabel('Else if 2 value b').fill('silver')
  await ie.getByLabel('Else if 2 value b').press('Tab')

  step('cards dropped into the gold and silver lanes, each taking tier')
  const dropInto = async (spec, search, lane) => {
    await page.getByLabel('Search cards').fill(search)
    await drag(page, page.getByTestId(`palette-${spec}`), ie.getByTestId(`lane-${lane}`).locator('.lane-end'))
    await page.getByLabel('Search cards').fill('')
  }
  await dropInto('text.upper', 'To Upper Case', 'if')
  await ie.getByTestId('lane-if').getByTestId('card-To Upper Case').waitFor()
  await dropInto('text.lower', 'To Lower Case', 'clause2')
  await ie.getByTestId('lane-clause2').getByTestId('card-To Lower Case').waitFor()
  await wire(page, 'Manual Run', 'tier', 'To Upper Case', 'string')
  await wire(page, 'Manual Run', 'tier', 'To Lower Case', 'string')

  step('the silver clause moved up is tested first (If), gold becomes Else if')
  await ie.getByRole('button', { name: 'Move clause 2 up' }).click()
  await ie.getByTestId('clause-clause2').getByText('If', { exact: true }).waitFor()
  await ie.getByTestId('clause-if').getByText('Else if', { exact: true }).waitFor()
  await shot('04-clauses')

  step('removing a clause with cards asks first; Ctrl+Z brings it back with its card')
  await ie.getByRole('button', { name: 'Remove clause 2' }).click()
  const ask = page.getByRole('dialog', { name: 'Remove clause 2?' })
  await ask.getByText('Its lane holds 1 card').waitFor()
  await ask.getByRole('button', { name: 'Remove' }).click()
  await ie.getByTestId('lane-if').waitFor({ state: 'detached' })
  await page.locator('.canvas').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+z')
  await ie.getByTestId('lane-if').getByTestId('card-To Upper Case').waitFor()
  await save(page)
  await page.reload()
  await card(page, 'If/ElseIf').getByTestId('input-clause2/right-operand').locator('input').waitFor()
  assert.equal(await card(page, 'If/ElseIf').getByLabel('If value b').inputValue(), 'silver')
  const cf = await api(server, 'GetFlow', (await api(server, 'ListFlows')).find((f) => f.name === 'E2E clauses').id)
  assert.deepEqual(cf.cards[0].branches.map((b) => `${b.name}:${(b.cards ?? []).map((c) => c.type).join(',')}`), ['clause2:text.lower', 'if:text.upper', 'else:'])

  step('a run with tier silver goes down the silver lane; History shows it')
  bar = await runWith(page, { tier: 'silver' })
  assert.match(await bar.textContent(), /success/)
  const cx = await lastRun(server, 'E2E clauses')
  const rec = (t) => cx.cards.find((c) => c.type === t)
  assert.equal(rec('text.lower').status, 'success')
  assert.equal(rec('text.lower').outputs.output, 'silver')
  assert.equal(rec('text.lower').branch, 'clause2')
  assert.notEqual(rec('text.upper')?.status, 'success')
  await openRunInHistory(page)
  await card(page, 'To Lower Case').getByTestId('card-status').filter({ hasText: 'success' }).waitFor()
  await shot('05-clauses-history')

  step('import the SSO template; open "2a. SAML Create App" (87 cards)')
  await page.getByRole('link', { name: 'Flows' }).click()
  await importFile(page, join(CORPUS, 'automate_sso_application_creation/workflow.flopack'))
  await page.keyboard.press('Escape')
  await page.getByRole('link', { name: '2a. SAML Create App' }).first().click()
  await page.locator('.react-flow__node').first().waitFor()

  step('Ctrl+F If/ElseIf, Enter: the card wider than the canvas shows its head and its clauses')
  await page.keyboard.press('Control+f')
  await page.keyboard.type('If/ElseIf')
  await page.keyboard.press('Enter')
  const big = card(page, 'If/ElseIf')
  const head = big.locator('.card-head').first()
  const canvasBox = await page.locator('.canvas').boundingBox()
  await page.waitForFunction(([sel, l, r]) => {
    const b = document.querySelector(sel)?.getBoundingClientRect()
    return !!b && b.left >= l && b.left + 200 <= r && b.top >= 0
  }, [`.card[data-card="${await big.getAttribute('data-card')}"] > .card-head`, canvasBox.x, canvasBox.x + canvasBox.width])
  assert.ok((await big.boundingBox()).width > canvasBox.width, 'the If/ElseIf is wider than the canvas')
  assert.ok(await head.isVisible())
  const heads = await big.locator('.clause-head').allInnerTexts()
  assert.equal(heads.length, 3, 'If, Else if, Else')
  assert.match(heads[0], /^IF/)
  assert.equal(await big.getByLabel('If value b').inputValue(), 'Yes')
  assert.match(heads[2], /^ELSE/)
  await shot('06-find-wide-card')
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
