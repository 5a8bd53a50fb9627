// End-to-end: an event flow subscribes its webhook at the vendor when it is
// switched on, and removes the subscription when it is switched off
// (engine/trigger/subscribe.go, kit Webhook.Subscribe, Microsoft Graph).
// In the designer, with the pointer and keyboard: "Office 365 Admin: User
// Created → Read User" on the sandbox connection; switching it on shows
// "Subscribed at Microsoft Graph until …" on the trigger card and the fake
// Graph tenant holds one subscription with the flow's URL; a user created in
// the tenant starts a run that History shows; switching off removes the
// subscription at Graph and from the card.
// Then a GitHub "Member Invited to Organization" flow switched on without an
// Organization says why it is not subscribed; typing the Organization and
// saving creates the webhook (shown after a reload); off removes it.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/wh/flowbench node e2e/webhook-subscribe.spec.mjs
import assert from 'node:assert/strict'
import { api, card, dropRight, dropTrigger, finish, historyRow, newFlow, openPage, recordedOutput, reportFailure, save, setup, step, wire } from './lib.mjs'

const { shots, server, browser } = await setup('webhook-subscribe')
let failed = false
let page
try {
  const o = await openPage(browser, shots, { width: 1440, height: 900 })
  page = o.page
  const { con, shot } = o

  const conns = await api(server, 'ListConnections')
  const admin = conns.find((c) => c.id === 'sandbox-office365admin')
  assert.ok(admin, `a ready Office 365 Admin connection (have ${conns.map((c) => c.id).join(', ')})`)
  const base = admin.config.baseUrl.replace(/\/v1\.0$/, '')
  const token = async () => {
    const r = await fetch(admin.config.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: admin.config.clientId, client_secret: 'FakeGraphSecret~flowbench.local.0000',
        scope: 'https://graph.microsoft.com/.default' }) })
    assert.equal(r.status, 200, await r.clone().text())
    return (await r.json()).access_token
  }
  const graph = async (method, path, body) => {
    const r = await fetch(`${base}/v1.0${path}`, { method, headers: { Authorization: `Bearer ${await token()}`, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined })
    return { status: r.status, body: r.status === 204 ? null : await r.json() }
  }
  const flowSubs = async (flowId) => {
    const { status, body } = await graph('GET', '/subscriptions')
    assert.equal(status, 200)
    return body.value.filter((s) => s.notificationUrl.endsWith(`/webhooks/office365admin/${flowId}`))
  }

  step('build "User Created → Read User" in the designer')
  await page.goto(server.url)
  await newFlow(page, 'E2E subscribed new user')
  const flowId = decodeURIComponent(page.url().split('/flow/')[1] ?? '')
  assert.ok(flowId, `flow id in ${page.url()}`)
  const trig = await dropTrigger(page, 'office365admin.event.userCreated', 'User Created', 'User Created')
  await trig.getByLabel('Connection').selectOption({ label: admin.name })
  await dropRight(page, 'office365admin.readUser', 'Read User', 'User Created')
  const read = card(page, 'Read User')
  await read.waitFor()
  await read.getByLabel('Connection').selectOption({ label: admin.name })
  await wire(page, 'User Created', 'User ID', 'Read User', 'ID or Email')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await save(page)
  assert.equal((await flowSubs(flowId)).length, 0, 'no subscription while the flow is off')
  await shot('01-built-off')

  step('switch it on: the card says it is subscribed at Microsoft Graph; Graph has the subscription')
  await page.getByRole('switch', { name: 'Flow on' }).click()
  await trig.getByTestId('trigger-state').filter({ hasText: /^Listening$/ }).waitFor()
  const subLine = trig.getByTestId('trigger-subscription')
  await subLine.filter({ hasText: /Subscribed at Microsoft Graph until/ }).waitFor()
  const subText = await subLine.textContent()
  assert.match(subText, /users: created/, subText)
  const subs = await flowSubs(flowId)
  assert.equal(subs.length, 1, JSON.stringify(subs))
  assert.equal(subs[0].resource, 'users')
  assert.equal(subs[0].changeType, 'created')
  assert.ok(subText.includes(subs[0].id), `the card names subscription ${subs[0].id}: ${subText}`)
  assert.equal(await trig.getByTestId('hook-url').textContent(), subs[0].notificationUrl, 'the card shows the URL Graph calls')
  assert.ok(!(await trig.textContent()).includes(subs[0].clientState), 'the clientState is not shown')
  await subLine.scrollIntoViewIfNeeded()
  await shot('02-subscribed')

  step('a user created in the fake tenant starts the flow: History shows it')
  const cr = await graph('POST', '/users', { accountEnabled: true, displayName: 'Sofia Subscribed', mailNickname: 'sofia.sub',
    userPrincipalName: 'sofia.sub@example.com', passwordProfile: { password: 'Temp#98765', forceChangePasswordNextSignIn: true } })
  assert.equal(cr.status, 201, JSON.stringify(cr.body))
  const row = await historyRow(page, 'E2E subscribed new user')
  assert.match(await row.textContent(), /success/, await row.textContent())
  await row.click()
  await page.locator('h1.flow-name').waitFor()
  const rec = card(page, 'Read User')
  await rec.waitFor()
  const more = rec.getByTestId('more-outputs')
  if (await more.count() && (await more.getAttribute('aria-expanded')) === 'false') await more.click()
  const nm = recordedOutput(rec, 'displayName')
  await nm.waitFor()
  assert.match(await nm.textContent(), /Sofia Subscribed/)
  await shot('03-history-run')

  step('switch it off: Graph has no subscription, the card none')
  await page.evaluate(() => { location.hash = '/' })
  await page.getByRole('link', { name: 'E2E subscribed new user' }).click()
  const trig2 = card(page, 'User Created')
  await trig2.getByTestId('trigger-subscription').waitFor()
  await page.getByRole('switch', { name: 'Flow on' }).click()
  await trig2.getByTestId('trigger-state').filter({ hasText: /^Off$/ }).waitFor()
  await trig2.getByTestId('trigger-subscription').waitFor({ state: 'detached' })
  assert.equal((await flowSubs(flowId)).length, 0, 'the subscription is removed at Graph')
  await shot('04-off')

  step('a user created now starts nothing')
  const cr2 = await graph('POST', '/users', { accountEnabled: true, displayName: 'Otto Offline', mailNickname: 'otto.off',
    userPrincipalName: 'otto.off@example.com', passwordProfile: { password: 'Temp#98765', forceChangePasswordNextSignIn: true } })
  assert.equal(cr2.status, 201)
  const runs = await api(server, 'ListExecutions', { flow: flowId })
  const list = Array.isArray(runs) ? runs : (runs.items ?? runs.executions ?? [])
  assert.equal(list.length, 1, `one run only: ${JSON.stringify(list).slice(0, 300)}`)

  step('GitHub: switched on without an Organization, the card says why it is not subscribed')
  const gh = conns.find((c) => c.id === 'sandbox-github')
  assert.ok(gh, 'a ready GitHub connection')
  await page.evaluate(() => { location.hash = '/' })
  await newFlow(page, 'E2E GitHub invitees')
  const ghFlow = decodeURIComponent(page.url().split('/flow/')[1] ?? '')
  const gt = await dropTrigger(page, 'github.event.memberInvitedToOrganization', 'Member Invited', 'Member Invited to Organization')
  await gt.getByLabel('Connection').selectOption({ label: gh.name })
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await page.getByRole('switch', { name: 'Flow on' }).click()
  const ghLine = gt.getByTestId('trigger-subscription')
  await ghLine.filter({ hasText: /Not subscribed at GitHub: choose the Organization/ }).waitFor()
  await ghLine.scrollIntoViewIfNeeded()
  await shot('05-github-no-org')

  step('type the Organization and save: the webhook is created at GitHub; a reload still shows it')
  const orgIn = gt.getByTestId('input-org').locator('input')
  await orgIn.click()
  await page.keyboard.type('flowbench')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await ghLine.filter({ hasText: /^Subscribed at GitHub/ }).waitFor({ timeout: 15000 })
  assert.match(await ghLine.textContent(), /organization flowbench: organization/)
  await page.reload()
  const gt2 = card(page, 'Member Invited to Organization')
  await gt2.getByTestId('trigger-subscription').filter({ hasText: /^Subscribed at GitHub/ }).waitFor()
  await gt2.getByTestId('trigger-subscription').scrollIntoViewIfNeeded()
  await shot('06-github-subscribed')

  step('switch it off: the card has no subscription')
  await page.getByRole('switch', { name: 'Flow on' }).click()
  await gt2.getByTestId('trigger-state').filter({ hasText: /^Off$/ }).waitFor()
  await gt2.getByTestId('trigger-subscription').waitFor({ state: 'detached' })
  assert.ok(ghFlow)
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
