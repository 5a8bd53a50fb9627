// End-to-end: the designer with app cards, as a daily Okta Workflows user.
// A flow built with the pointer and keyboard reads a Jamf Pro computer by
// serial number (Read By shows only the chosen option's input), makes a new
// Jamf Pro connection from the card's connection menu ("New connection…",
// selected on the card once saved), wires the computer's ID (export key
// id_2DXUWK) into Read User: the pill names it "Read Computer › ID", not by
// its key. The run succeeds; History shows the recorded values and the same
// pill, also after a reload.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/f1/flowbench node e2e/designer-apps.spec.mjs
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { ROOT, api, bindPlaceholder, card, drag, dropRight, finish, importFile, newFlow, openPage, openRunInHistory, recordedOutput, reportFailure, runNow, setup, step } from './lib.mjs'

const CORPUS = process.env.FLOWBENCH_CORPUS_DIR || join(ROOT, '..', 'shared', 'corpus', 'okta-workflows-templates')
const SANDBOX_TOKEN = '00SandboxFlowbenchDefaultApiToken0000000000'
const { shots, server, browser } = await setup('designer-apps')
let failed = false
let page
try {
  const o = await openPage(browser, shots, { width: 1440, height: 900 })
  page = o.page
  const { con, shot } = o
  const sandbox = (await api(server, 'ListConnections')).find((c) => c.kind === 'jamf')
  assert.ok(sandbox, 'a ready Jamf Pro connection')

  step('create a flow')
  await page.goto(server.url)
  await newFlow(page, 'E2E designer apps')

  step('Jamf Pro Read Computer: Read By shows only the chosen option\'s input')
  await dropRight(page, 'jamf.readComputer', 'Read Computer', 'Manual Run')
  const rc = card(page, 'Read Computer')
  await rc.waitFor()
  const inputs = () => rc.locator('[data-testid^="input-"]').evaluateAll((es) => es.map((e) => e.dataset.testid))
  assert.deepEqual(await inputs(), ['input-read_by_QFVJTI', 'input-ID'], 'Read By ID (the default) asks for the ID only')
  await rc.getByTestId('input-read_by_QFVJTI').locator('select').selectOption({ label: 'Serial Number' })
  await rc.getByTestId('input-Serial Number').waitFor()
  assert.deepEqual(await inputs(), ['input-read_by_QFVJTI', 'input-Serial Number'], 'Read By Serial Number asks for the serial number only')
  await rc.getByTestId('input-Serial Number').locator('input').click()
  await page.keyboard.type('C02FB00001')
  await shot('01-read-by-serial')

  step('connection menu: New connection… opens the Jamf Pro form; the saved connection is the card\'s')
  await rc.getByLabel('Connection').selectOption({ label: 'New connection…' })
  const form = page.getByRole('dialog').locator('form.conn-form')
  await form.waitFor()
  assert.match(await form.locator('h2').textContent(), /New Jamf Pro connection/)
  const typeInto = async (loc, text) => { await loc.click(); await page.keyboard.press('Control+a'); await page.keyboard.type(text) }
  await typeInto(form.getByLabel('Name', { exact: true }), 'IT Jamf Pro')
  await typeInto(form.getByLabel('Jamf Pro server'), 'acme.jamfcloud.com')
  await typeInto(form.getByLabel('Username', { exact: true }), 'flowbench-api')
  await typeInto(form.locator('input[type="password"]').first(), 'jamf-sandbox-password')
  await shot('02-new-connection-form')
  await form.getByRole('button', { name: 'Save' }).click()
  await form.waitFor({ state: 'detached' })
  const made = (await api(server, 'ListConnections')).find((c) => c.name === 'IT Jamf Pro')
  assert.ok(made && made.kind === 'jamf', 'the new Jamf Pro connection is stored')
  assert.equal(await rc.getByLabel('Connection').inputValue(), made.id, 'the new connection is selected on the card')
  // the card's "needs a connection" problem goes once the flow is checked again with the new connection
  await rc.getByTestId('card-problem').filter({ hasText: /connection/ }).waitFor({ state: 'detached' })
  await shot('03-new-connection-selected')
  // the run reaches the local fake through the sandbox connection
  await rc.getByLabel('Connection').selectOption({ label: sandbox.name })

  step('Read User by ID: wire Read Computer\'s ID (key id_2DXUWK); the pill says "ID"')
  await dropRight(page, 'jamf.readUser', 'Read User', 'Read Computer')
  const ru = card(page, 'Read User')
  await ru.waitFor()
  await ru.getByLabel('Connection').selectOption({ label: sandbox.name })
  const more = rc.getByTestId('more-outputs')
  if (await more.count() && (await more.getAttribute('aria-expanded')) === 'false') await more.click()
  await drag(page, rc.getByTestId('out-id_2DXUWK'), ru.getByTestId('input-ID'))
  const pill = ru.getByTestId('input-ID').getByTestId('binding-pill')
  await pill.waitFor()
  assert.equal((await pill.locator('.pill-card').textContent()).trim(), 'Read Computer')
  assert.equal((await pill.locator('.pill-field').textContent()).trim(), 'ID', 'the pill names the output by its label')
  assert.match(await pill.getAttribute('title'), /id_2DXUWK/, 'the key stays in the tooltip')
  await shot('04-built')

  step('a wrong value: a serial number Jamf Pro does not have fails on Read Computer, naming it')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  const serialIn = rc.getByTestId('input-Serial Number').locator('input')
  await typeInto(serialIn, 'NOPE999')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  const bad = await runNow(page)
  assert.match(await bad.bar.textContent(), /failed/)
  const err = card(page, 'Read Computer').getByTestId('card-error')
  await err.waitFor()
  assert.match(await err.textContent(), /NOPE999/, await err.textContent())
  await shot('05-wrong-serial')

  step('the right serial number: save with Ctrl+S and run')
  await typeInto(card(page, 'Read Computer').getByTestId('input-Serial Number').locator('input'), 'C02FB00001')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  // the bar still shows the failed run until this one ends: wait for this run's success
  const { bar } = await runNow(page)
  await bar.filter({ hasText: /success/ }).waitFor()
  await shot('06-ran')

  step('History: the computer and its user; the pill names the ID; reload keeps it')
  await openRunInHistory(page)
  const checkHistory = async () => {
    const hr = card(page, 'Read User')
    await hr.waitFor()
    const hp = hr.getByTestId('input-ID').getByTestId('binding-pill')
    await hp.waitFor()
    assert.equal((await hp.locator('.pill-field').textContent()).trim(), 'ID')
    const recIn = hr.getByTestId('input-ID').getByTestId('recorded-input')
    assert.equal((await recIn.textContent()).trim(), '1')
    const hc = card(page, 'Read Computer')
    const m = hc.getByTestId('more-outputs')
    if (await m.count() && (await m.getAttribute('aria-expanded')) === 'false') await m.click()
    const id = recordedOutput(hc, 'id_2DXUWK')
    await id.waitFor()
    assert.equal((await id.textContent()).trim(), '1')
  }
  await checkHistory()
  await shot('07-history')
  await page.reload()
  await checkHistory()
  step('Back returns to the flow')
  await page.goBack()
  await card(page, 'Read Computer').waitFor()
  await shot('08-back')

  step('an enum profile attribute (Region: enum with oneOf titles) is a dropdown on Update User')
  const info = await api(server, 'Info')
  const add = await fetch(`${info.sandboxUrl}/api/v1/meta/schemas/user/default`, {
    method: 'POST', headers: { Authorization: `SSWS ${SANDBOX_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ definitions: { custom: { properties: { region: { title: 'Region', type: 'string', enum: ['EMEA', 'AMER'],
      oneOf: [{ const: 'EMEA', title: 'Europe' }, { const: 'AMER', title: 'Americas' }] } } } } }),
  })
  assert.equal(add.status, 200, await add.text())
  await page.evaluate(() => { location.hash = '/' })
  await newFlow(page, 'E2E enum profile')
  await dropRight(page, 'okta.updateUser', 'Update User', 'Manual Run')
  const upd = card(page, 'Update User')
  await upd.waitFor()
  await upd.getByLabel('Connection').selectOption({ label: 'Sandbox tenant' })
  await typeInto(upd.getByTestId('input-ID').locator('input'), 'alice.nguyen@example.com')
  await upd.getByTestId('profile-fields').getByRole('button', { name: /Profile attributes to set/ }).click()
  await upd.getByRole('button', { name: 'Add profile attribute region' }).click()
  const region = upd.getByTestId('input-region').locator('select')
  await region.waitFor()
  const opts = await region.locator('option').evaluateAll((os) => os.map((o) => o.textContent))
  assert.ok(opts.includes('Europe') && opts.includes('Americas'), `Region offers the schema's values: ${opts}`)
  await region.focus()
  await region.selectOption({ label: 'Americas' })
  await shot('09-enum-dropdown')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  const r2 = await runNow(page)
  await r2.bar.filter({ hasText: /success/ }).waitFor()
  await openRunInHistory(page)
  const recRegion = card(page, 'Update User').getByTestId('input-region').getByTestId('recorded-input')
  await recRegion.waitFor()
  assert.equal((await recRegion.textContent()).trim(), '"AMER"')
  await shot('10-enum-history')

  step('Connections: test the Slack and Office 365 Mail sandbox connections')
  await page.getByRole('link', { name: 'Connections' }).click()
  const all = await api(server, 'ListConnections')
  for (const kind of ['slack', 'office365mail']) {
    const c = all.find((x) => x.kind === kind)
    assert.ok(c, `a ready ${kind} connection`)
    const row = page.getByTestId(`connection-${c.name}`)
    await row.getByTestId('test-connection').click()
    const report = row.getByTestId('test-report')
    await report.waitFor()
    assert.match(await report.textContent(), /Connection works/, await report.textContent())
  }
  await shot('11-connections-tested')

  step('import the Slack template "Intro to Lists and Helper Flows", bind its Okta and Slack placeholders in the dialog')
  await page.getByRole('link', { name: 'Flows' }).click()
  await page.getByRole('heading', { name: 'Flows', exact: true }).waitFor()
  await importFile(page, `${CORPUS}/intro_to_lists_and_helper_flows/workflow.flopack`)
  for (const [ph, conn] of [['demo slack', 'Sandbox Slack workspace'], ['aclarke preview', 'Sandbox tenant']]) await bindPlaceholder(page, conn, ph)
  await shot('12-slack-import-bound')
  await page.locator('dialog[open]').getByRole('button', { name: 'Close' }).click()

  step('the template\'s Slack channel is its author\'s: the run fails naming Slack\'s answer; channel "general" fixes it')
  await page.getByRole('link', { name: '[Slack] Send Slack Message', exact: true }).click()
  const send = card(page, 'Send Message to Channel')
  await send.waitFor()
  const s1 = await runNow(page)
  await s1.bar.filter({ hasText: /failed/ }).waitFor()
  const sendErr = send.getByTestId('card-error')
  await sendErr.waitFor()
  assert.match(await sendErr.textContent(), /channel_not_found/, await sendErr.textContent())
  await typeInto(send.getByTestId('input-channel').locator('input'), 'general')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  const s2 = await runNow(page)
  await s2.bar.filter({ hasText: /success/ }).waitFor()
  await openRunInHistory(page)
  const recChan = card(page, 'Send Message to Channel').getByTestId('input-channel').getByTestId('recorded-input')
  await recChan.waitFor()
  assert.equal((await recChan.textContent()).trim(), '"general"')
  await shot('13-slack-history')
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
