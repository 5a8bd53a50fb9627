// End-to-end: an API Endpoint flow built in the browser (outputs added under
// body, query and headers with the pointer and keyboard), called over HTTP
// as an outside system would, under each security level: client token,
// HMAC signature, OAuth 2.0 with access tokens of the sandbox Okta org, and
// none. Ends with the run's values in history. Run from the repository root:
//   FLOWBENCH_BIN=/tmp/h3/flowbench node e2e/endpoint.spec.mjs
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { api, drag, dropTrigger, finish, newFlow, openPage, setup, step } from './lib.mjs'

const CALLER_ID = '0oaflowbenchcaller00'
const CALLER_SECRET = 'sandbox-caller-secret-do-not-use-in-production'
const { shots, server, browser } = await setup('endpoint')
let failed = false

/** invoke calls the flow's URL as an outside caller. */
async function invoke(url, { headers = {}, body = '{"name":"Ada","age":"36"}', query = '?lang=fr' } = {}) {
  const r = await fetch(url + query, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'req-42', ...headers }, body })
  return { status: r.status, text: await r.text(), www: r.headers.get('www-authenticate') ?? '' }
}

/** accessToken gets a token from the sandbox org's authorization server (client credentials). */
async function accessToken(org, scope) {
  const r = await fetch(`${org}/oauth2/v1/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Basic ' + Buffer.from(`${CALLER_ID}:${CALLER_SECRET}`).toString('base64') },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  })
  const b = await r.json()
  assert.equal(r.status, 200, JSON.stringify(b))
  return b.access_token
}

try {
  const { page, con, shot } = await openPage(browser, shots, { width: 1500, height: 950 })
  const card = (title) => page.locator(`.react-flow__node [data-testid="card-${title}"]`).first()

  step('create a flow with an API Endpoint trigger')
  await page.goto(server.url)
  await newFlow(page, 'E2E endpoint', null)
  const ep = await dropTrigger(page, 'api.endpoint', 'API Endpoint', 'API Endpoint')

  step('add typed outputs under Body, Query and Headers with the keyboard')
  const addOut = async (group, name, type) => {
    await ep.getByLabel('New output group').selectOption({ label: group })
    const input = ep.getByLabel('New output name')
    await input.click()
    await page.keyboard.type(name)
    await ep.getByLabel('New output type').selectOption(type)
    await page.keyboard.press('Enter')
  }
  await addOut('Body', 'name', 'string')
  await addOut('Body', 'age', 'number')
  await addOut('Query', 'lang', 'string')
  await addOut('Headers', 'X-Request-Id', 'string')
  for (const k of ['name', 'age', 'lang', 'x-request-id']) await ep.getByTestId(`output-${k}`).waitFor()
  assert.equal(await ep.getByTestId('output-x-request-id').getByTestId('output-group').textContent(), 'headers', 'header names are lower-case, tagged with their group')
  assert.equal(await ep.getByTestId('output-lang').getByTestId('output-group').textContent(), 'query')
  assert.equal(await ep.getByTestId('input-scope').count(), 0, 'OAuth settings hidden under client token security')
  step('a second "name" under Query gets its own key; a duplicate is refused')
  await addOut('Query', 'name', 'string')
  await ep.getByTestId('output-query/name').waitFor()
  await addOut('Body', 'age', 'number')
  assert.match(await ep.getByTestId('endpoint-add-output').getByRole('alert').textContent(), /body already has a field “age”/)
  await ep.getByRole('button', { name: 'Remove output name' }).last().click() // the query one
  assert.equal(await ep.getByTestId('output-query/name').count(), 0)

  step('a Return card answers with the values, wired with the mouse')
  await page.getByLabel('Search cards').fill('Return')
  const canvas = page.locator('.canvas')
  const eb = await ep.boundingBox()
  const cb = await canvas.boundingBox()
  await drag(page, page.getByTestId('palette-flow.return'), canvas, { dx: eb.x + eb.width + 80 - cb.x, dy: 160 })
  await page.getByLabel('Search cards').fill('')
  const ret = card('Return')
  await ret.waitFor()
  for (const k of ['hello', 'age', 'lang', 'request']) {
    await ret.getByLabel('New input name').fill(k)
    await ret.getByLabel('New input type').selectOption(k === 'age' ? 'number' : 'string')
    await ret.locator('.addfield').first().getByRole('button', { name: 'Add' }).click()
    await ret.getByTestId(`input-${k}`).waitFor()
  }
  await drag(page, ep.getByTestId('out-name'), ret.getByTestId('input-hello'))
  await drag(page, ep.getByTestId('out-age'), ret.getByTestId('input-age'))
  await drag(page, ep.getByTestId('out-lang'), ret.getByTestId('input-lang'))
  await drag(page, ep.getByTestId('out-x-request-id'), ret.getByTestId('input-request'))
  for (const k of ['hello', 'age', 'lang', 'request']) await ret.getByTestId(`input-${k}`).getByTestId('binding-pill').waitFor()
  await shot('01-endpoint-outputs')

  step('save and switch on: client token (the default)')
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await page.getByRole('switch', { name: 'Flow on' }).click()
  await ep.getByTestId('trigger-state').filter({ hasText: /^Listening$/ }).waitFor()
  const url = (await ep.getByTestId('endpoint-url').textContent()).trim()
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/api\/flows\/[^/]+\/invoke$/, url)
  await ep.getByRole('button', { name: 'Show client token' }).click()
  const token = (await ep.getByTestId('trigger-secret').textContent()).trim()
  assert.ok(token.length > 20 && !token.includes('•'), token)
  let r = await invoke(url, { headers: { 'x-api-client-token': token } })
  assert.equal(r.status, 200, r.text)
  assert.deepEqual(JSON.parse(r.text), { hello: 'Ada', age: 36, lang: 'fr', request: 'req-42' })
  r = await invoke(url, { headers: { 'x-api-client-token': 'wrong' } })
  assert.equal(r.status, 401, r.text)
  r = await invoke(url, { headers: { 'x-api-client-token': token }, body: '{"name":"Ada","age":"old"}' })
  assert.equal(r.status, 400, r.text)
  assert.match(JSON.parse(r.text).error, /^API Endpoint card, body field "age" \(number\): "old" is not a number$/)
  step('a form body fills the same outputs')
  r = await invoke(url, { headers: { 'x-api-client-token': token, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'name=Grace&age=41' })
  assert.equal(r.status, 200, r.text)
  assert.deepEqual(JSON.parse(r.text), { hello: 'Grace', age: 41, lang: 'fr', request: 'req-42' })
  await shot('02-client-token')

  const security = ep.getByTestId('input-security_level').locator('select')
  // the card's "Try it with curl" snippet, run as a caller would run it
  const runTry = async (what) => {
    const box = ep.getByTestId('endpoint-try')
    await box.locator('summary').click()
    const snippet = await ep.getByTestId('endpoint-try-snippet').textContent()
    if (what.startsWith('OAuth')) await shot('04b-try-oauth')
    await box.locator('summary').click()
    const out = execFileSync('bash', ['-c', snippet], { encoding: 'utf8', timeout: 20000 })
    let got
    try { got = JSON.parse(out) } catch { throw new Error(`${what}: curl printed ${out}`) }
    assert.deepEqual(got, { hello: 'text', age: 1, lang: 'text', request: 'text' }, `${what}: ${out}`)
  }
  await runTry('client token')
  const resave = async () => {
    await page.keyboard.press('Control+s')
    await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  }

  step('HMAC signature')
  await security.selectOption({ label: 'HMAC signature' })
  await resave()
  await ep.getByTestId('endpoint-security').and(page.locator('[data-security="hmac"]')).waitFor()
  await ep.getByRole('button', { name: 'Show signing secret' }).click()
  const signing = (await ep.getByTestId('trigger-secret').textContent()).trim()
  const body = '{"name":"Hedy","age":"53"}'
  const sig = 'sha256=' + createHmac('sha256', signing).update(body).digest('hex')
  r = await invoke(url, { headers: { 'x-flowbench-signature': sig }, body })
  assert.equal(r.status, 200, r.text)
  assert.equal(JSON.parse(r.text).hello, 'Hedy')
  r = await invoke(url, { headers: { 'x-flowbench-signature': sig }, body: '{"name":"Eve","age":"53"}' })
  assert.equal(r.status, 401, r.text)
  r = await invoke(url, { headers: { 'x-api-client-token': signing }, body })
  assert.equal(r.status, 401, 'the client token is not a signature')
  await runTry('HMAC')
  await shot('03-hmac')

  step('OAuth 2.0: choose the Okta org; tokens of its authorization server are verified')
  await security.selectOption({ label: 'OAuth 2.0 (Okta org)' })
  const orgSel = ep.getByLabel('Okta connection for OAuth 2.0')
  await orgSel.waitFor()
  step('OAuth 2.0 without an org: the card says what is missing')
  await resave()
  const noOrg = ep.getByTestId('trigger-status').filter({ hasText: /needs an Okta connection/ })
  await noOrg.waitFor()
  assert.match(await noOrg.textContent(), /Not listening/)
  await shot('04a-oauth-no-org')
  await orgSel.selectOption({ label: 'Sandbox tenant' })
  await resave()
  await ep.getByTestId('trigger-state').filter({ hasText: /^Listening$/ }).waitFor()
  await ep.getByTestId('endpoint-oauth').waitFor()
  await ep.getByTestId('input-scope').waitFor()
  assert.match(await ep.getByTestId('endpoint-oauth').textContent(), /okta\.workflows\.invoke\.manage/)
  const org = (await api(server, 'Info')).sandboxUrl
  const at = await accessToken(org, 'okta.workflows.invoke.manage')
  r = await invoke(url, { headers: { Authorization: `Bearer ${at}` }, body: '{"name":"Katherine","age":101}' })
  assert.equal(r.status, 200, r.text)
  assert.deepEqual(JSON.parse(r.text), { hello: 'Katherine', age: 101, lang: 'fr', request: 'req-42' })
  r = await invoke(url)
  assert.equal(r.status, 401, r.text)
  assert.match(r.www, /^Bearer /)
  r = await invoke(url, { headers: { Authorization: `Bearer ${await accessToken(org, 'okta.users.read')}` } })
  assert.equal(r.status, 403, r.text)
  assert.match(r.www, /insufficient_scope/)
  r = await invoke(url, { headers: { Authorization: `Bearer ${at.slice(0, -6)}AAAAAA` } })
  assert.equal(r.status, 401, r.text)
  await runTry('OAuth 2.0 with the sandbox client')
  await shot('04-oauth')

  step('None: anyone may call')
  await security.selectOption({ label: 'None (public)' })
  await resave()
  await ep.getByTestId('endpoint-security').and(page.locator('[data-security="open"]')).waitFor()
  r = await invoke(url, { body: '{"name":"Margaret","age":"33"}' })
  assert.equal(r.status, 200, r.text)
  await ep.getByTestId('trigger-status').filter({ hasText: /Last call\s*(just now|now|\d+ s ago)/ }).waitFor()

  step('reload: outputs, groups and security are kept')
  await page.reload()
  await ep.getByTestId('output-x-request-id').waitFor()
  assert.equal(await ep.getByTestId('input-security_level').locator('select').evaluate((el) => el.selectedOptions[0]?.textContent), 'None (public)')

  step('history shows the last call, card by card')
  await page.getByRole('link', { name: 'History' }).click()
  const row = page.getByTestId('execution-row').first()
  await row.waitFor()
  assert.match(await row.textContent(), /E2E endpoint/)
  assert.match(await row.textContent(), /success/)
  await row.click()
  await page.locator('h1.flow-name').waitFor()
  const recOut = (k) => card('API Endpoint').getByTestId(`output-${k}`).getByTestId('recorded-output')
  await recOut('name').waitFor()
  assert.equal(await recOut('name').textContent(), '"Margaret"')
  assert.equal(await recOut('age').textContent(), '33')
  assert.equal(await recOut('lang').textContent(), '"fr"')
  assert.equal(await recOut('x-request-id').textContent(), '"req-42"')
  assert.equal(await card('Return').getByTestId('input-age').getByTestId('recorded-input').textContent(), '33')
  await shot('05-history')
  con.check()
  console.log('endpoint e2e: ok')
} catch (e) {
  failed = true
  console.error(e)
}
await finish(failed, browser, server)
