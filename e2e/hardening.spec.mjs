// End-to-end tests of issue 15 (points 9 and 11) against `flowbench serve`,
// with real pointer and keyboard:
//   A "two tabs, one flow": tab B saves a change, tab A's later save is a
//     conflict shown with both versions; A takes theirs, edits again, saves,
//     runs; history shows the values. Nothing is overwritten silently.
//   B "the browser cannot be used against serve": every page carries a
//     strict Content-Security-Policy (and the UI runs under it without a
//     console error); a cross-origin text/plain POST from another page
//     creates nothing.
// Run from the repository root:  node e2e/hardening.spec.mjs
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { addTriggerOutput, api, card, drag, dropRight, finish, launch, shotsDir, startServer, step, tempDir, watchConsole } from './lib.mjs'

const shots = shotsDir('hardening')
console.log(`screenshots: ${shots}`)
const browser = await launch()
const server = await startServer(tempDir('flowbench-hardening-'))
let failed = false

async function save(page) {
  await page.keyboard.press('Control+s')
}

try {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  const a = await ctx.newPage()
  const conA = watchConsole(a, { allowFailed: ['SaveFlow', 'GetFlow'] }) // conflicting saves answer 409, the deleted flow 404, on purpose
  const shot = (p, n) => p.screenshot({ path: join(shots, `${n}.png`) })

  step('B: the page is served with a strict Content-Security-Policy')
  const res = await a.goto(server.url)
  const csp = res.headers()['content-security-policy'] ?? ''
  assert.match(csp, /default-src 'self'/, csp)
  assert.match(csp, /script-src 'self'/, csp)
  assert.match(csp, /frame-ancestors 'none'/, csp)
  await a.getByRole('heading', { name: 'Flows' }).waitFor()

  step('A: tab A builds Manual Run (first) → To Upper Case and saves')
  await a.getByRole('button', { name: '+ New flow' }).click()
  await a.getByLabel('Name', { exact: true }).fill('E2E two tabs')
  await a.getByLabel('Folder', { exact: true }).fill('E2E hardening')
  await a.getByRole('button', { name: 'Create' }).click()
  await card(a, 'Manual Run').waitFor()
  await addTriggerOutput(a, 'first')
  await dropRight(a, 'text.upper', 'To Upper Case', 'Manual Run')
  await card(a, 'To Upper Case').waitFor()
  await drag(a, card(a, 'Manual Run').getByTestId('out-first'), card(a, 'To Upper Case').getByTestId('input-string'))
  await card(a, 'To Upper Case').getByTestId('input-string').getByTestId('binding-pill').waitFor()
  await save(a)
  await a.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  const flowURL = a.url()

  step('A: tab B opens the same flow, adds To Lower Case, saves')
  const b = await ctx.newPage()
  const conB = watchConsole(b)
  await b.goto(flowURL)
  await card(b, 'To Upper Case').waitFor()
  await dropRight(b, 'text.lower', 'To Lower Case', 'To Upper Case')
  await card(b, 'To Lower Case').waitFor()
  await save(b)
  await b.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await shot(b, 'A1-tab-b-saved')

  step('A: tab A (still showing the old version) adds an output and saves: a conflict with both versions')
  await a.bringToFront()
  await addTriggerOutput(a, 'last')
  await save(a)
  const dlg = a.getByTestId('save-conflict')
  await dlg.waitFor()
  const text = await dlg.textContent()
  assert.match(text, /saved in another tab or window after you opened it/, text)
  assert.match(text, /Card “To Lower Case”.*—.*added/s, text)
  assert.match(text, /Trigger/, text)
  await dlg.getByText('Both versions in full').click()
  await shot(a, 'A2-conflict-dialog')
  assert.match(await a.getByTestId('dirty').textContent(), /Unsaved/, 'nothing saved yet')
  let stored = await api(server, 'GetFlow', new URL(flowURL).hash.split('/').pop())
  assert.ok(JSON.stringify(stored.cards).includes('text.lower'), "B's change is still stored")

  step('A: take their version; the canvas shows To Lower Case; edit again, save, run')
  await dlg.getByRole('button', { name: 'Take their version' }).click()
  await dlg.waitFor({ state: 'detached' })
  await card(a, 'To Lower Case').waitFor()
  await a.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await drag(a, card(a, 'Manual Run').getByTestId('out-first'), card(a, 'To Lower Case').getByTestId('input-string'))
  await card(a, 'To Lower Case').getByTestId('input-string').getByTestId('binding-pill').waitFor()
  await save(a)
  await a.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  const flowId = new URL(flowURL).hash.split('/').pop()

  step('A: B saves again; A keeps its version over B\'s, knowingly')
  await b.reload()
  await card(b, 'To Lower Case').waitFor()
  await addTriggerOutput(b, 'middle')
  await save(b)
  await b.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await a.bringToFront()
  await addTriggerOutput(a, 'nick')
  await save(a)
  await dlg.waitFor()
  assert.match(await dlg.textContent(), /Trigger/)
  await dlg.getByRole('button', { name: 'Keep my version' }).click()
  await dlg.waitFor({ state: 'detached' })
  await a.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  stored = await api(server, 'GetFlow', flowId)
  const outs = stored.trigger.outputs.map((o) => o.key)
  assert.ok(outs.includes('nick') && !outs.includes('middle'), `kept A's version: ${outs}`)

  step('A: the flow is deleted elsewhere (another client); A\'s save says so and restores it on request')
  await api(server, 'DeleteFlow', flowId)
  await addTriggerOutput(a, 'extra')
  await save(a)
  await dlg.waitFor()
  assert.match(await dlg.textContent(), /was deleted in another tab or window/)
  await shot(a, 'A2b-deleted-elsewhere')
  await dlg.getByRole('button', { name: 'Restore with my version' }).click()
  await dlg.waitFor({ state: 'detached' })
  await a.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  stored = await api(server, 'GetFlow', flowId)
  assert.ok(stored.trigger.outputs.some((o) => o.key === 'extra'), 'restored with A\'s version')

  await a.getByTestId('run').click()
  const panel = a.getByRole('complementary', { name: 'Run with test input' })
  await panel.waitFor()
  await panel.getByLabel('first').fill('Ada Lovelace')
  await panel.getByTestId('run-now').click()
  const bar = a.getByTestId('runbar')
  await bar.waitFor()
  assert.match(await bar.textContent(), /success/, await bar.textContent())
  await bar.getByRole('button', { name: 'open in history' }).click()
  await a.locator('h1.flow-name').waitFor()
  const hist = await a.locator('.canvas').textContent()
  assert.match(hist, /ADA LOVELACE/, 'history shows To Upper Case output')
  assert.match(hist, /ada lovelace/, 'history shows To Lower Case output')
  await shot(a, 'A3-history')

  step('B: a cross-origin text/plain POST from another page creates nothing')
  const evil = await ctx.newPage()
  const before = (await api(server, 'ListFlows')).length
  await evil.goto('data:text/html,<title>elsewhere</title>')
  const status = await evil.evaluate(async ([base, token]) => {
    try {
      const r = await fetch(`${base}/api/CreateFlow?token=${token}`, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: '["pwned",""]' })
      return r.type
    } catch (e) {
      return String(e)
    }
  }, [server.base, server.token])
  const after = (await api(server, 'ListFlows')).length
  assert.equal(after, before, `cross-origin POST (${status}) created a flow`)

  conA.check()
  conB.check()
  console.log('hardening e2e: OK')
} catch (e) {
  failed = true
  console.error(e)
}
await finish(failed, browser, server)
