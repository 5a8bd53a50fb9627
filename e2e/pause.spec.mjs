// End-to-end: Okta's Pause card. An API Endpoint → Pause → Compose flow is
// built in the designer with the pointer and keyboard; an outside caller
// invokes it and gets the Pause card's inputs with the execution id; History
// shows the run paused at the card with its resume URL; the caller resumes
// it with JSON values, which fill the Pause outputs and flow into Compose;
// History then shows the completed run with those values. A second resume is
// refused. A second run pauses, serve restarts on the same data folder, and
// the run is resumed from its History view (Resume here…). A run resumed by
// its URL while its History view is open: Resume here… says so and shows it.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/p1/flowbench node e2e/pause.spec.mjs
import assert from 'node:assert/strict'
import { drag, dropTrigger, finish, launch, newFlow, openPage, recordedOutput, reportFailure, shotsDir, startServer, step, stopServer, tempDir } from './lib.mjs'

const shots = shotsDir('pause')
console.log(`screenshots: ${shots}`)
const dataDir = tempDir('flowbench-data-')
let server = await startServer(dataDir)
const browser = await launch()
let failed = false
let page

try {
  const opened = await openPage(browser, shots, { width: 1600, height: 950 }, { allowFailed: ['ResumePaused'] }) // the bad value the test sends on purpose
  page = opened.page
  const { con, shot } = opened
  const card = (title) => page.locator(`.react-flow__node [data-testid="card-${title}"]`).first()
  const canvas = page.locator('.canvas')
  const dropRightOf = async (paletteId, search, of) => {
    await page.getByLabel('Search cards').fill(search)
    const b = await card(of).boundingBox()
    const cb = await canvas.boundingBox()
    await drag(page, page.getByTestId(`palette-${paletteId}`), { x: Math.min(b.x + b.width + 60, cb.x + cb.width - 40), y: cb.y + 160, width: 0, height: 0 })
    await page.getByLabel('Search cards').fill('')
  }
  /** addField types a new input/output name with the keyboard and presses Enter. */
  const addField = async (c, side, name, type) => {
    const box = card(c).locator('.addfield').filter({ has: page.getByLabel(`New ${side} name`) })
    await box.getByLabel(`New ${side} type`).selectOption(type)
    await box.getByLabel(`New ${side} name`).click()
    await page.keyboard.type(name)
    await page.keyboard.press('Enter')
    await card(c).getByTestId(`${side}-${name}`).waitFor()
  }

  step('a flow with an API Endpoint trigger and a body field "name"')
  await page.goto(server.url)
  await newFlow(page, 'E2E pause', null)
  const ep = await dropTrigger(page, 'api.endpoint', 'API Endpoint', 'API Endpoint')
  await ep.getByLabel('New output group').selectOption({ label: 'Body' })
  await ep.getByLabel('New output name').click()
  await page.keyboard.type('name')
  await page.keyboard.press('Enter')
  await ep.getByTestId('output-name').waitFor()

  step('Pause from the palette (Flow control): an input for the caller, outputs for the resume')
  await page.getByLabel('Search cards').fill('Pause')
  const item = page.getByTestId('palette-flow.pause')
  await item.waitFor()
  assert.ok(await page.getByTestId('palette-flow.pauseRaw').isVisible(), 'Pause Raw is in the palette too')
  await page.getByLabel('Search cards').fill('')
  await dropRightOf('flow.pause', 'Pause', 'API Endpoint')
  const pause = card('Pause')
  await pause.waitFor()
  await addField('Pause', 'input', 'ask', 'string')
  await drag(page, ep.getByTestId('out-name'), pause.getByTestId('input-ask'))
  await pause.getByTestId('input-ask').getByTestId('binding-pill').waitFor()
  await addField('Pause', 'output', 'approved', 'boolean')
  await addField('Pause', 'output', 'by', 'string')
  assert.match(await pause.getByTestId('resume-url').textContent(), /^POST http:\/\/127\.0\.0\.1:\d+\/api\/flows\/[^/]+\/resume\/\{executionId\}$/)

  step('Compose after the Pause, wired to its outputs')
  await dropRightOf('text.compose', 'Compose', 'Pause')
  const compose = card('Compose')
  await compose.waitFor()
  await addField('Compose', 'input', 'approved', 'string')
  await addField('Compose', 'input', 'by', 'string')
  const tmpl = compose.getByTestId('input-_text_').locator('input, textarea').first()
  await tmpl.click()
  await page.keyboard.type('Approved: {{{approved}}} by {{{by}}}')
  await page.keyboard.press('Tab')
  for (const k of ['approved', 'by']) {
    await drag(page, pause.getByTestId(`out-${k}`), compose.getByTestId(`input-${k}`))
    await compose.getByTestId(`input-${k}`).getByTestId('binding-pill').waitFor()
  }
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  assert.equal(await page.getByTestId('card-problem').count(), 0, 'no problems on the cards')

  step('switch the flow on: the Pause card shows the flow’s resume URL')
  await page.getByRole('switch', { name: 'Flow on' }).click()
  await ep.getByTestId('trigger-state').filter({ hasText: /^Listening$/ }).waitFor()
  const invokeURL = (await ep.getByTestId('endpoint-url').textContent()).trim()
  await ep.getByRole('button', { name: 'Show client token' }).click()
  const token = (await ep.getByTestId('trigger-secret').textContent()).trim()
  const pattern = invokeURL.replace(/\/invoke$/, '/resume/{executionId}')
  await pause.getByTestId('resume-url').filter({ hasText: pattern }).waitFor()
  assert.equal((await ep.getByTestId('endpoint-resume-url').textContent()).trim(), pattern, 'the API Endpoint card lists the Resume URL, as Okta’s settings do')
  assert.match(await pause.getByTestId('pause-info').textContent(), /x-api-client-token/)
  await shot('01-pause-flow')

  step('invoke: the caller gets the Pause inputs and the execution id')
  const headers = { 'Content-Type': 'application/json', 'x-api-client-token': token }
  let r = await fetch(invokeURL, { method: 'POST', headers, body: '{"name":"Ada"}' })
  const paused = await r.text()
  assert.equal(r.status, 200, paused)
  assert.deepEqual(JSON.parse(paused), { ask: 'Ada' })
  const execId = r.headers.get('x-okta-execution-id')
  assert.match(execId ?? '', /^[0-9a-f]{32}$/)

  step('History lists the run as paused; its view marks the Pause card with the run’s resume URL')
  await page.getByRole('link', { name: 'History' }).click()
  const row = page.getByTestId('execution-row').first()
  await row.filter({ hasText: 'paused' }).waitFor()
  await page.getByLabel('Status filter').selectOption('paused')
  await page.getByTestId('execution-row').filter({ hasText: 'E2E pause' }).filter({ hasText: 'waiting at its Pause card' }).waitFor()
  await shot('02-history-paused')
  await page.getByTestId('execution-row').first().click()
  await page.locator('h1.flow-name').waitFor()
  await pause.getByTestId('card-status').filter({ hasText: 'paused' }).waitFor()
  assert.equal((await pause.getByTestId('resume-url').textContent()).trim(), `POST ${invokeURL.replace(/\/invoke$/, '/resume/' + execId)}`)
  assert.match(await compose.getByTestId('card-status').textContent(), /not run/)
  await pause.getByTestId('pause-info').filter({ hasText: 'Same security as invoke (x-api-client-token)' }).waitFor()
  assert.doesNotMatch(await pause.getByTestId('pause-info').textContent(), /Turn the flow on/)
  await shot('03-run-paused')
  step('reload keeps the paused run’s view')
  await page.reload()
  await pause.getByTestId('card-status').filter({ hasText: 'paused' }).waitFor()

  step('resume with JSON values: the run continues after the Pause card')
  const resumeURL = invokeURL.replace(/\/invoke$/, `/resume/${execId}`)
  r = await fetch(resumeURL, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"approved":true,"by":"Bob"}' })
  assert.equal(r.status, 401, 'the resume URL has the invoke URL’s security')
  r = await fetch(resumeURL, { method: 'POST', headers, body: '{"approved":"yes please","by":"Bob"}' })
  assert.equal(r.status, 400, await r.text())
  r = await fetch(resumeURL, { method: 'POST', headers, body: '{"approved":true,"by":"Bob"}' })
  assert.equal(r.status, 200, await r.text())
  r = await fetch(resumeURL, { method: 'POST', headers, body: '{"approved":false,"by":"Eve"}' })
  assert.equal(r.status, 409, 'a second resume is refused')
  assert.match((await r.json()).error, /is not paused/)

  step('History shows the completed run with the resumed values')
  await page.getByRole('link', { name: 'History' }).click()
  await page.getByLabel('Status filter').selectOption('')
  const done = page.getByTestId('execution-row').first()
  await done.filter({ hasText: 'success' }).waitFor()
  assert.equal(await page.getByTestId('execution-row').count(), 1, 'one run, resumed in place')
  await done.click()
  await page.locator('h1.flow-name').waitFor()
  await compose.getByTestId('card-status').filter({ hasText: 'success' }).waitFor()
  assert.equal(await recordedOutput(compose, 'output').textContent(), '"Approved: true by Bob"')
  assert.equal(await recordedOutput(pause, 'by').textContent(), '"Bob"')
  assert.equal(await recordedOutput(pause, 'approved').textContent(), 'true')
  assert.equal(await pause.getByTestId('card-status').textContent(), '✓ success')
  await shot('04-run-resumed')

  step('a second call pauses; serve restarts (same data folder, new port)')
  r = await fetch(invokeURL, { method: 'POST', headers, body: '{"name":"Grace"}' })
  assert.equal(r.status, 200)
  const second = r.headers.get('x-okta-execution-id')
  await page.goto('about:blank')
  await stopServer(server)
  server = await startServer(dataDir)
  const invoke2 = invokeURL.replace(/^http:\/\/[^/]+/, server.base)

  step('after the restart the run is still paused and is resumed from its History view with values typed as JSON')
  await page.goto(server.url)
  await page.getByRole('link', { name: 'History' }).click()
  await page.getByTestId('execution-row').filter({ hasText: 'paused' }).first().click()
  await page.locator('h1.flow-name').waitFor()
  await pause.getByTestId('card-status').filter({ hasText: 'paused' }).waitFor()
  assert.equal((await pause.getByTestId('resume-url').textContent()).trim(), `POST ${invoke2.replace(/\/invoke$/, '/resume/' + second)}`)
  await pause.getByText('Resume here…').click()
  const box = pause.getByLabel('Resume values (JSON)')
  assert.deepEqual(JSON.parse(await box.inputValue()), { approved: false, by: '' }, 'prefilled with the Pause outputs')
  await box.click()
  await page.keyboard.press('Control+a')
  await page.keyboard.type('{"approved": "maybe"}')
  await pause.getByTestId('resume-paused').click()
  await pause.getByRole('alert').filter({ hasText: 'output "approved" (boolean)' }).waitFor()
  await box.click()
  await page.keyboard.press('Control+a')
  await page.keyboard.type('{"approved": true, "by": "Grace herself"}')
  await pause.getByTestId('resume-paused').click()
  await compose.getByTestId('card-status').filter({ hasText: 'success' }).waitFor()
  assert.equal(await recordedOutput(compose, 'output').textContent(), '"Approved: true by Grace herself"')
  await page.getByTestId('runbar').filter({ hasText: 'success' }).waitFor()
  await shot('05-resumed-from-history')
  r = await fetch(invoke2.replace(/\/invoke$/, `/resume/${second}`), { method: 'POST', headers, body: '{}' })
  assert.equal(r.status, 409, 'resumed from History: the URL refuses a second resume')

  step('a run resumed by its URL while its History view is open: Resume here… (empty body) says so and shows the run as it is now')
  r = await fetch(invoke2, { method: 'POST', headers, body: '{"name":"Hopper"}' })
  const third = r.headers.get('x-okta-execution-id')
  await page.getByRole('link', { name: 'History' }).click()
  await page.getByTestId('execution-row').filter({ hasText: 'paused' }).first().click()
  await pause.getByTestId('card-status').filter({ hasText: 'paused' }).waitFor()
  r = await fetch(invoke2.replace(/\/invoke$/, `/resume/${third}`), { method: 'POST', headers, body: '{"approved":true,"by":"Hopper"}' })
  assert.equal(r.status, 200)
  await pause.getByText('Resume here…').click()
  await box.click()
  await page.keyboard.press('Control+a')
  await page.keyboard.press('Delete')
  await pause.getByTestId('resume-paused').click()
  await page.getByRole('status').filter({ hasText: 'Not resumed: this run was resumed meanwhile and is success' }).waitFor()
  await compose.getByTestId('card-status').filter({ hasText: 'success' }).waitFor()
  assert.equal(await recordedOutput(compose, 'output').textContent(), '"Approved: true by Hopper"')
  con.check()
  console.log('pause e2e: ok')
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
