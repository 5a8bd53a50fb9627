// End-to-end: "User Added to Group → Read User → Slack: Send Message to
// Channel" built in the designer with the pointer and keyboard, run against
// the Okta sandbox and the local Slack fake (ready connection
// "sandbox-slack"); history shows the values and the fake's channel has the
// message (conversations.history). Also: the Slack connection form shows
// only the chosen auth method's fields, and the connection test passes on
// the fake and explains a revoked token. Run from the repository root:
//   FLOWBENCH_BIN=/tmp/k1/flowbench node e2e/slack.spec.mjs
import assert from 'node:assert/strict'
import { api, card, drag, dropRight, finish, openPage, openRunInHistory, recordedOutput, reportFailure, runNow, setup, step } from './lib.mjs'

// the fake workspace's well-known bot token and a revoked one (connectors/slack/fake)
const BOT = 'xoxb-000000000001-flowbench-sandbox-bot'
const REVOKED = 'xoxb-000000000003-flowbench-revoked'
const CHANNEL = 'C0FBITOPS01' // #it-ops

const { shots, server, browser } = await setup('slack')
let failed = false
let page
try {
  const o = await openPage(browser, shots, { width: 1440, height: 900 })
  page = o.page
  const { con, shot } = o
  const allOutputs = async (c) => {
    const more = c.getByTestId('more-outputs')
    if (await more.count() && (await more.getAttribute('aria-expanded')) === 'false') await more.click()
  }

  const conns = await api(server, 'ListConnections')
  const slack = conns.find((c) => c.id === 'sandbox-slack')
  assert.ok(slack, `a ready Slack connection (have ${conns.map((c) => c.id).join(', ')})`)
  const fakeBase = slack.config.baseUrl

  step('connection form: the Slack kind shows only the chosen auth method\'s fields')
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  await page.getByRole('link', { name: 'Connections' }).click()
  await page.getByRole('heading', { name: 'Connections' }).waitFor()
  await page.getByRole('button', { name: '+ Slack', exact: true }).click()
  const form = page.getByRole('form', { name: 'New Slack connection' })
  await form.waitFor()
  const auth = form.getByLabel('Authentication')
  assert.equal(await auth.locator('option:checked').textContent(), 'Bot token (xoxb-…)')
  await form.getByLabel('Bot User OAuth Token').waitFor()
  assert.equal(await form.getByLabel('Client ID').count(), 0, 'no OAuth fields for a bot token')
  await form.getByLabel('Signing secret').waitFor() // for every method (events)
  await auth.selectOption({ label: 'OAuth 2.0 (install the Slack app)' })
  await form.getByLabel('Client ID').waitFor()
  await form.getByLabel('Redirect port').waitFor()
  assert.equal(await form.getByLabel('Bot User OAuth Token').count(), 0, 'the token field goes with its method')
  await shot('01-form-oauth')
  await auth.selectOption({ label: 'Bot token (xoxb-…)' })
  await form.getByRole('button', { name: 'Cancel' }).click()

  step('connection test: the ready connection passes the ladder')
  const ready = page.getByTestId(`connection-${slack.name}`)
  await ready.getByTestId('test-connection').click()
  const rep = ready.getByTestId('test-report')
  await rep.waitFor()
  assert.match(await rep.textContent(), /Connection works/, await rep.textContent())
  assert.match(await rep.textContent(), /authenticated as flowbench in workspace Flowbench Sandbox/)
  assert.match(await rep.textContent(), /scopes/)

  step('create a flow')
  await page.getByRole('link', { name: 'Flows' }).click()
  await page.getByRole('button', { name: '+ New flow' }).click()
  await page.getByLabel('Name', { exact: true }).fill('E2E Slack welcome')
  await page.getByLabel('Folder', { exact: true }).fill('E2E')
  await page.getByRole('button', { name: 'Create' }).click()
  await card(page, 'Manual Run').waitFor()

  step('trigger: drag Okta User Added to Group onto the trigger card')
  await page.getByLabel('Search cards').fill('User Added to Group')
  await drag(page, page.getByTestId('palette-okta.event.userAddedToGroupMembership'), card(page, 'Manual Run'))
  await page.getByLabel('Search cards').fill('')
  const trig = card(page, 'User Added to Group')
  await trig.waitFor()

  step('Read User next to it, on the sandbox tenant, wired to the event\'s user id')
  await dropRight(page, 'okta.readUser', 'Read User', 'User Added to Group')
  const read = card(page, 'Read User')
  await read.waitFor()
  await read.getByLabel('Connection').selectOption({ label: 'Sandbox tenant' })
  await allOutputs(trig)
  await trig.getByTestId('output-Okta User').getByRole('button', { name: /Expand Okta User/ }).click()
  const idPill = trig.locator('[data-testid^="out-Okta User."]').filter({ hasText: /^ID$/ }).first()
  await drag(page, idPill, read.getByTestId('input-ID or Login'))
  await read.getByTestId('input-ID or Login').getByTestId('binding-pill').waitFor()

  step('Slack Send Message to Channel after it, on the fake workspace')
  await dropRight(page, 'slack.sendMessageToChannel2', 'Send Message to Channel', 'Read User')
  const post = card(page, 'Send Message to Channel')
  await post.waitFor()
  await post.getByLabel('Connection').selectOption({ label: slack.name })
  await post.getByTestId('input-channel').locator('input').click()
  await page.keyboard.type(CHANNEL)
  await post.getByTestId('input-Name').locator('input').click()
  await page.keyboard.type('Okta Workflows')
  // Read User gives the profile attributes the person names: add displayName with the keyboard
  await read.getByLabel('New output name').click()
  await page.keyboard.type('displayName')
  await read.getByLabel('New output name').press('Enter')
  await read.getByTestId('out-displayName').waitFor()
  await drag(page, read.getByTestId('out-displayName'), post.getByTestId('input-Text'))
  const pill = post.getByTestId('input-Text').getByTestId('binding-pill')
  await pill.waitFor()
  assert.match(await pill.textContent(), /displayName/)
  await shot('03-built')

  step('save with Ctrl+S and run with the sample event')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: 'Saved' }).waitFor()
  const { bar } = await runNow(page)
  assert.match(await bar.textContent(), /success/, `run status: ${await bar.textContent()}`)
  for (const t of ['User Added to Group', 'Read User', 'Send Message to Channel']) {
    assert.match(await card(page, t).getByTestId('card-status').textContent(), /success/, `${t} succeeded`)
  }
  await shot('04-ran')

  step('history shows the values: the user read and the message timestamp')
  await openRunInHistory(page)
  const recPost = card(page, 'Send Message to Channel')
  await recPost.waitFor()
  const text = recPost.getByTestId('input-Text').getByTestId('recorded-input')
  await text.waitFor()
  assert.equal(JSON.parse(await text.textContent()), 'Alice Nguyen')
  const chan = recPost.getByTestId('input-channel').getByTestId('recorded-input')
  assert.equal(JSON.parse(await chan.textContent()), CHANNEL)
  await allOutputs(recPost)
  const ts = recordedOutput(recPost, 'Timestamp')
  await ts.waitFor()
  const tsText = JSON.parse(await ts.textContent())
  assert.match(tsText, /^\d{10}\.\d{6}$/, tsText)
  await shot('05-history')

  step('the fake workspace has the message (conversations.history)')
  const r = await fetch(`${fakeBase}/api/conversations.history?channel=${CHANNEL}&limit=1`, { headers: { Authorization: `Bearer ${BOT}` } })
  const h = await r.json()
  assert.equal(h.ok, true, JSON.stringify(h))
  assert.equal(h.messages[0].text, 'Alice Nguyen')
  assert.equal(h.messages[0].username, 'Okta Workflows')
  assert.equal(h.messages[0].ts, tsText)

  step('a revoked token is explained: edit the connection, paste a revoked token, save and test')
  await page.getByRole('link', { name: 'Connections' }).click()
  const conn = page.getByTestId(`connection-${slack.name}`)
  await conn.getByRole('button', { name: 'Edit' }).click()
  const edit = page.getByRole('form', { name: 'Edit Slack connection' })
  await edit.getByLabel('Bot User OAuth Token').click()
  await page.keyboard.type(REVOKED)
  await edit.getByTestId('save-connection').click()
  const badRep = conn.getByTestId('test-report')
  await badRep.filter({ hasText: 'token_revoked' }).waitFor()
  const badText = await badRep.textContent()
  assert.match(badText, /Connection test failed/, badText)
  assert.match(badText, /token revoked: reconnect/, badText)
  assert.ok(!badText.includes(REVOKED), 'the token is not shown')
  await badRep.scrollIntoViewIfNeeded()
  await shot('06-revoked')

  step('OAuth 2.0: a new connection installs the fake Slack app through Authorize')
  await page.getByRole('button', { name: '+ Slack', exact: true }).click()
  const nf = page.getByRole('form', { name: 'New Slack connection' })
  await nf.getByLabel('Name').fill('Slack via OAuth')
  await nf.getByLabel('Authentication').selectOption({ label: 'OAuth 2.0 (install the Slack app)' })
  await nf.getByLabel('API address').click()
  await page.keyboard.type(fakeBase)
  await nf.getByLabel('Client ID').click()
  await page.keyboard.type('0000000001.flowbench')
  await nf.getByLabel('Client secret').click()
  await page.keyboard.type('flowbench-sandbox-client-secret')
  await nf.getByTestId('save-connection').click()
  const oc = page.getByTestId('connection-Slack via OAuth')
  await oc.getByTestId('test-report').filter({ hasText: 'Press Authorize' }).waitFor()
  await oc.getByTestId('authorize-connection').click()
  const link = oc.getByTestId('authorize-link').getByRole('link', { name: 'the sign-in page' })
  await link.waitFor()
  await shot('07-authorize')
  const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()])
  await tab.getByText('authorized. You can close this tab.').waitFor()
  await tab.close()
  let works = false
  for (let i = 0; i < 40 && !works; i++) {
    await oc.getByTestId('test-connection').click()
    await oc.getByTestId('test-report').waitFor()
    works = /Connection works/.test(await oc.getByTestId('test-report').textContent())
    if (!works) await page.waitForTimeout(250)
  }
  assert.ok(works, await oc.getByTestId('test-report').textContent())
  await oc.scrollIntoViewIfNeeded()
  await shot('08-oauth-works')
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
