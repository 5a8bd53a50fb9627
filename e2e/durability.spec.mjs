// Durable runs: a manual For Each over 300 items that POSTs each item to an
// outside server is killed (SIGKILL) mid-run; after a restart History shows
// it interrupted, with disk use and retention, and Resume finishes it after
// the last completed item: every item applied, repeats only where the
// history says so.
// Run from the repository root:  FLOWBENCH_BIN=... node e2e/durability.spec.mjs
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { BIN, api, launch, shotsDir, startServer, step, stopServer, tempDir, watchConsole } from './lib.mjs'

const ITEMS = 300
const shots = shotsDir('durability')
const data = tempDir('flowbench-durable-')
let n = 0
const shot = async (page, name) => page.screenshot({ path: join(shots, `${String(++n).padStart(2, '0')}-${name}.png`) })

// the outside system: counts each item's POSTs, 20 ms a request
const applied = new Map()
const sink = createServer((req, res) => {
  let body = ''
  req.on('data', (d) => { body += d })
  req.on('end', () => {
    let key = body
    try { const v = JSON.parse(body); key = typeof v === 'string' ? v : v?.key ?? body } catch { /* plain text */ }
    applied.set(key, (applied.get(key) ?? 0) + 1)
    setTimeout(() => { res.setHeader('Content-Type', 'application/json'); res.end('{"ok":true}') }, 20)
  })
})
await new Promise((r) => sink.listen(0, '127.0.0.1', r))
const sinkURL = `http://127.0.0.1:${sink.address().port}/apply`
const total = () => [...applied.values()].reduce((a, b) => a + b, 0)

step('set up: an HTTP connection, a helper that POSTs an item, a manual flow with For Each over 300 items')
const cli = (...args) => execFileSync(BIN, ['--data', data, ...args], { encoding: 'utf8' })
cli('connection', 'add', 'http', 'local', 'authType=none')
const helper = {
  format: 'flowbench.flow/v1', id: 'e2e-item', name: 'E2E apply item', settings: { history: true },
  trigger: { id: 'trigger', type: 'flow.helper', outputs: [{ key: 'n', type: 'number' }] },
  cards: [
    { id: 'key', type: 'text.concat', title: 'Key', inputs: [{ key: 'string1', value: 'item-' }, { key: 'string2', from: { card: 'trigger', path: ['n'] } }] },
    { id: 'post', type: 'http.post', title: 'Apply', connection: 'local', inputs: [
      { key: 'URL', value: sinkURL }, { key: 'Body', from: { card: 'key', path: ['output'] } }] },
  ],
}
const parent = {
  format: 'flowbench.flow/v1', id: 'e2e-each', name: 'E2E apply all', settings: { history: true, concurrency: 4 },
  trigger: { id: 'trigger', type: 'flow.manual', title: 'Manual Run' },
  cards: [{ id: 'each', type: 'list.forEach', title: 'For Each', flow: 'e2e-item', inputs: [
    { key: 'list', value: Array.from({ length: ITEMS }, (_, i) => i) }, { key: 'concurrency', value: 4 },
    { key: 'n', type: 'number', item: { path: '' } }] }],
}
writeFileSync(join(data, 'helper.flow.json'), JSON.stringify(helper))
writeFileSync(join(data, 'parent.flow.json'), JSON.stringify(parent))
cli('import', join(data, 'helper.flow.json'))
cli('import', join(data, 'parent.flow.json'))

const browser = await launch()
let server = await startServer(data)
try {
  step('run the flow from the designer, and kill the server mid-run')
  let page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  await page.getByRole('link', { name: 'E2E apply all' }).click()
  await page.getByTestId('run').click()
  const panel = page.getByRole('complementary', { name: 'Run with test input' })
  await panel.waitFor()
  await panel.getByTestId('run-now').click()
  for (let i = 0; i < 600 && total() < 60; i++) await new Promise((r) => setTimeout(r, 20))
  assert.ok(total() >= 60 && total() < ITEMS, `killed after ${total()} items`)
  server.proc.removeAllListeners('exit')
  server.proc.kill('SIGKILL')
  await new Promise((r) => server.proc.once('exit', r))
  const atKill = total()
  step(`killed with ${atKill} of ${ITEMS} items applied`)
  await page.close()

  step('restart: History shows the run interrupted, with disk use and retention')
  server = await startServer(data)
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  const con = watchConsole(page)
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  await page.getByTestId('flow-E2E apply all').getByRole('button', { name: 'History' }).click()
  const row = page.getByTestId('execution-row').first()
  await row.getByText('interrupted', { exact: true }).waitFor()
  const usage = page.getByTestId('history-usage')
  await usage.waitFor()
  assert.match(await usage.textContent(), /executions, .* of history.*kept 30 days, at most 1\.00 GB/, await usage.textContent())
  assert.match(await row.textContent(), /interrupted: the process ended while this run was in progress \(\d+ cards done, \d+ helper items done\)/, await row.textContent())
  // it ran at least until its last item started (it showed 0 ms)
  const dur = (await row.locator('td').nth(2).textContent()).trim()
  assert.match(dur, /^≥ (\d+ ms|\d+\.\d s)$/, dur)
  assert.notEqual(dur, '≥ 0 ms')
  await shot(page, 'interrupted')

  step('the status filter finds it; Resume finishes it after the last completed item')
  await page.getByLabel('Status filter').selectOption('interrupted')
  await page.getByTestId('execution-row').first().getByTestId('resume-execution').waitFor()
  await page.getByLabel('Status filter').selectOption('')
  await row.getByTestId('resume-execution').click()
  await row.getByText('success', { exact: true }).waitFor({ timeout: 60000 })
  await row.getByText('resumed', { exact: true }).waitFor()
  await shot(page, 'resumed')

  step('every item applied; repeats only where history says so')
  const runs = await api(server, 'ListExecutions', { flow: 'e2e-each', limit: 10 })
  assert.equal(runs.length, 1, 'one run of the flow, not a second one')
  const kids = await api(server, 'ListExecutions', { parent: runs[0].id, limit: 1000 })
  const flagged = kids.reduce((a, k) => a + (k.repeats?.length ?? 0), 0)
  let dups = 0
  for (let i = 0; i < ITEMS; i++) {
    const c = applied.get(`item-${i}`) ?? 0
    assert.ok(c >= 1, `item ${i} never applied`)
    dups += c - 1
  }
  assert.equal(kids.length, ITEMS, 'one helper run per item')
  assert.ok(kids.every((k) => k.status === 'success'), 'every item run succeeded')
  assert.ok(dups <= flagged && dups <= 4, `${dups} items applied twice; history flags ${flagged}`)
  step(`${total()} POSTs for ${ITEMS} items: ${dups} repeated (${flagged} flagged in history)`)

  step('open the run: the For Each card lists 300 item runs')
  await row.click()
  await page.locator('h1.flow-name').filter({ hasText: 'E2E apply all' }).waitFor()
  await page.locator('.children button').first().waitFor()
  await shot(page, 'execution')
  con.check()
  console.log(`ok — screenshots in ${shots}`)
} finally {
  await stopServer(server)
  await browser.close()
  sink.close()
}
