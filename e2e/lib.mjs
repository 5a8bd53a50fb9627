// Shared helpers of the browser tests: start `flowbench serve`, launch
// Debian's Chromium through playwright-core, fail on console errors.
import { spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(resolve('frontend/package.json'))
export const { chromium } = require('playwright-core')

export const ROOT = resolve('.')
/** the official Okta Workflows templates (../shared/corpus). */
export const CORPUS = process.env.FLOWBENCH_CORPUS_DIR || join(ROOT, '..', 'shared', 'corpus', 'okta-workflows-templates')
export const BIN = process.env.FLOWBENCH_BIN || join(ROOT, 'build/bin/flowbench')

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function shotsDir(name) {
  const dir = process.env.E2E_SHOTS || join(tempDir('flowbench-e2e-'), name)
  mkdirSync(dir, { recursive: true })
  return dir
}

/** startServer runs `flowbench serve` on a free port and resolves with {url, base, token, proc}. */
export function startServer(dataDir, extraEnv = {}) {
  return new Promise((res, rej) => {
    const t0 = Date.now()
    const proc = spawn(BIN, ['serve', '--data', dataDir, '--addr', '127.0.0.1:0'], {
      env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    const timer = setTimeout(() => rej(new Error(`serve did not print its URL in 30 s:\n${out}`)), 30000)
    const onData = (d) => {
      out += d
      const m = out.match(/Flowbench serving on (http:\/\/\S+?)\/\?token=(\S+)/)
      if (m) {
        clearTimeout(timer)
        resolve_({ url: `${m[1]}/?token=${m[2]}`, base: m[1], token: m[2], proc, startMs: Date.now() - t0, log: () => out })
      }
    }
    const resolve_ = (v) => { proc.stdout.off('data', onData); proc.stdout.on('data', (d) => { out += d }); res(v) }
    proc.stdout.on('data', onData)
    proc.stderr.on('data', (d) => { out += d })
    proc.on('exit', (code) => { clearTimeout(timer); rej(new Error(`serve exited ${code}:\n${out}`)) })
  })
}

export async function stopServer(s) {
  if (!s?.proc || s.proc.exitCode !== null) return
  s.proc.removeAllListeners('exit')
  const done = new Promise((r) => s.proc.once('exit', r))
  s.proc.kill('SIGTERM')
  const t = setTimeout(() => s.proc.kill('SIGKILL'), 8000)
  await done
  clearTimeout(t)
}

export async function api(s, method, ...args) {
  const r = await fetch(`${s.base}/api/${method}`, {
    method: 'POST', headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(args),
  })
  const body = await r.json()
  if (!r.ok) throw new Error(`${method}: ${body.error}`)
  return body
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  })
}

/** watchConsole collects console errors and page errors; check() throws if any.
 * allowFailed lists API methods whose non-2xx answers are expected (the
 * browser itself logs "Failed to load resource" for them, e.g. TestCard
 * answering 400 for a bad input the test provokes on purpose). */
export function watchConsole(page, { allowFailed = [] } = {}) {
  const errors = []
  const allowed = (m) => /^Failed to load resource/.test(m.text()) && allowFailed.some((a) => (m.location()?.url ?? '').endsWith(`/api/${a}`))
  page.on('console', (m) => { if (m.type() === 'error' && !allowed(m)) errors.push(`${m.text()} ${m.location()?.url ?? ''}`.trim()) })
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  return { errors, check() { if (errors.length) throw new Error(`console errors:\n${errors.join('\n')}`) } }
}

/** drag moves the real mouse from one element's centre to another's. */
export async function drag(page, from, to, opts = {}) {
  const a = await from.boundingBox()
  const b = to.boundingBox ? await to.boundingBox() : to
  if (!a || !b) throw new Error('drag: element not visible')
  const ax = a.x + a.width / 2, ay = a.y + a.height / 2
  const bx = b.x + (opts.dx ?? b.width / 2), by = b.y + (opts.dy ?? b.height / 2)
  await page.mouse.move(ax, ay)
  await page.mouse.down()
  await page.mouse.move(ax + 8, ay + 4, { steps: 2 })
  await page.mouse.move(bx, by, { steps: 12 })
  await page.mouse.up()
}

export function step(msg) {
  console.log(`• ${msg}`)
}

/** card finds a card on the canvas by its title. */
export const card = (page, title) => page.locator(`.react-flow__node [data-testid="card-${title}"]`).first()

/** dropRight drags a palette card onto the canvas to the right of a card. */
export async function dropRight(page, specId, search, of) {
  await page.getByLabel('Search cards').fill(search)
  const b = await card(page, of).boundingBox()
  const cv = await page.locator('.canvas').boundingBox()
  await drag(page, page.getByTestId(`palette-${specId}`), { x: b.x + b.width + 60, y: cv.y + 200, width: 0, height: 0 })
  await page.getByLabel('Search cards').fill('')
}

/** addTriggerOutput adds an output to the Manual Run trigger with the keyboard and pointer. */
export async function addTriggerOutput(page, name) {
  await card(page, 'Manual Run').getByLabel('New output name').fill(name)
  await card(page, 'Manual Run').locator('.addfield').getByRole('button', { name: 'Add' }).click()
  await card(page, 'Manual Run').getByTestId(`out-${name}`).waitFor()
}

/** finish closes the browser, stops the servers and exits 1 if the test failed. */
export async function finish(failed, browser, ...servers) {
  await browser.close()
  for (const s of servers) await stopServer(s)
  process.exit(failed ? 1 : 0)
}

/** reportFailure prints a failed test's error, saves a screenshot of the page (if any) and prints the end of the server's log. */
export async function reportFailure(e, server, shots, page) {
  console.error(e)
  await page?.screenshot({ path: join(shots, 'failure.png') }).catch(() => undefined)
  console.error(server.log().slice(-3000))
}

/** setup starts `flowbench serve` on a fresh data folder and Chromium for the spec
 * called name, and prints where its screenshots go. */
export async function setup(name, { dataPrefix = 'flowbench-data-', env } = {}) {
  const shots = shotsDir(name)
  console.log(`screenshots: ${shots}`)
  const server = await startServer(tempDir(dataPrefix), env)
  const browser = await launch()
  return { shots, server, browser }
}

/** openPage opens a page of the given size that fails the test on console
 * errors (con.check()) and saves screenshots by name (shot(name)). */
export async function openPage(browser, shots, viewport, consoleOpts) {
  const page = await browser.newPage({ viewport })
  const con = watchConsole(page, consoleOpts)
  const shot = (n) => page.screenshot({ path: join(shots, `${n}.png`) })
  return { page, con, shot }
}

/** runNow runs the open flow with the Run panel's input and waits for the run's status in the run bar. */
export async function runNow(page) {
  await page.getByTestId('run').click()
  const panel = page.getByRole('complementary', { name: 'Run with test input' })
  await panel.waitFor()
  await panel.getByTestId('run-now').click()
  const bar = page.getByTestId('runbar')
  await bar.filter({ hasText: /success|failed/ }).waitFor()
  return { panel, bar }
}

/** openRunInHistory follows the run bar's link to the run's record and waits for its canvas. */
export async function openRunInHistory(page) {
  await page.getByTestId('runbar').getByRole('button', { name: 'open in history' }).click()
  await page.locator('h1.flow-name').waitFor()
  await page.locator('.react-flow__node').first().waitFor()
}

/** recordedOutput is the value history recorded for a card's output (shown after the output's line). */
export const recordedOutput = (card, key) => card.getByTestId(`out-${key}`)
  .locator('xpath=ancestor::div[contains(@class,"field-line")]/following-sibling::div[@data-testid="recorded-output"][1]')

/** newFlow creates a flow from the Flows list with the pointer and keyboard
 * (+ New flow, its name and folder — none when null —, Create) and waits for
 * its Manual Run card. */
export async function newFlow(page, name, folder = 'E2E') {
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  await page.getByRole('button', { name: '+ New flow' }).click()
  await page.getByLabel('Name', { exact: true }).fill(name)
  if (folder !== null) await page.getByLabel('Folder', { exact: true }).fill(folder)
  await page.getByRole('button', { name: 'Create' }).click()
  await card(page, 'Manual Run').waitFor()
}

/** dropTrigger drags a trigger card from the palette onto the Manual Run
 * card (the flow's trigger becomes it) and returns the new card, titled title. */
export async function dropTrigger(page, specId, search, title) {
  await page.getByLabel('Search cards').fill(search)
  await drag(page, page.getByTestId(`palette-${specId}`), card(page, 'Manual Run'))
  const c = card(page, title)
  await c.waitFor()
  await page.getByLabel('Search cards').fill('')
  return c
}

/** dropAt drags a palette card onto the canvas at (dx, dy) from the canvas's corner. */
export async function dropAt(page, specId, search, dx, dy) {
  await page.getByLabel('Search cards').fill(search)
  await drag(page, page.getByTestId(`palette-${specId}`), page.locator('.canvas'), { dx, dy })
  await page.getByLabel('Search cards').fill('')
}

/** fit clicks Fit and waits until the canvas marks it finished (data-fitted
 * changes): Fit lays the flow out, then fits once the nodes stopped moving,
 * so a drag started right after the click can miss a moving card. */
export async function fit(page) {
  const before = await page.locator('.canvas').evaluate((el) => el.dataset.fitted ?? '')
  await page.getByTestId('fit').click()
  await page.waitForFunction((b) => (document.querySelector('.canvas')?.dataset.fitted ?? '') !== b, before)
}

/** rightOf is the canvas x (for dropAt) gap pixels right of a card. */
export async function rightOf(page, title, gap = 50) {
  const b = await card(page, title).boundingBox()
  const cv = await page.locator('.canvas').boundingBox()
  return b.x + b.width + gap - cv.x
}

/** typeIn replaces the text of a card's input with the keyboard (select all, type, Tab). */
export async function typeIn(page, c, key, text) {
  const box = c.getByTestId(`input-${key}`).locator('input, textarea').first()
  await box.click()
  await page.keyboard.press('Control+a')
  await page.keyboard.type(text)
  await box.press('Tab')
}

/** wire drags a card's output onto another card's input with the real mouse
 * (opening the card's hidden outputs first) and waits for the binding. */
export async function wire(page, from, out, to, input) {
  const more = card(page, from).getByTestId('more-outputs')
  if (await more.count() && (await more.getAttribute('aria-expanded')) === 'false') await more.click()
  // press on the output, start the drag, then aim at the input where it is
  // while dragging (droppable inputs get a frame)
  const src = await card(page, from).getByTestId(`out-${out}`).boundingBox()
  await page.mouse.move(src.x + src.width / 2, src.y + src.height / 2)
  await page.mouse.down()
  await page.mouse.move(src.x + src.width / 2 + 8, src.y + src.height / 2 + 4, { steps: 2 })
  const dst = await card(page, to).getByTestId(`input-${input}`).boundingBox()
  await page.mouse.move(dst.x + dst.width / 2, dst.y + dst.height / 2, { steps: 12 })
  const at = await card(page, to).getByTestId(`input-${input}`).boundingBox() // where it is now, under the pointer
  await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2, { steps: 3 })
  await page.mouse.up()
  await card(page, to).getByTestId(`input-${input}`).getByTestId('binding-pill').waitFor()
}

/** save saves the open flow with Ctrl+S and waits for "Saved" (exactly: a
 * string hasText is a case-insensitive substring, which "● Unsaved" matches). */
export async function save(page) {
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
}

/** runWith runs the open flow with test input typed into the Run panel
 * (inputs: {name: text}); the last run's bar is cleared first so the bar
 * waited for is this run's. It returns the run bar showing the status. */
export async function runWith(page, inputs) {
  const clear = page.getByTestId('runbar').getByRole('button', { name: 'Clear run results' })
  if (await clear.count()) {
    await clear.click()
    await page.getByTestId('runbar').waitFor({ state: 'detached' })
  }
  await page.getByTestId('run').click()
  const panel = page.getByRole('complementary', { name: 'Run with test input' })
  await panel.waitFor()
  for (const [name, text] of Object.entries(inputs)) {
    await panel.getByLabel(name, { exact: true }).click()
    await page.keyboard.press('Control+a')
    await page.keyboard.type(text)
  }
  await panel.getByTestId('run-now').click()
  const bar = page.getByTestId('runbar')
  await bar.filter({ hasText: /success|failed/ }).waitFor()
  return bar
}

/** lastRun is the newest execution record of the flow called name (through the API). */
export async function lastRun(server, name) {
  const f = (await api(server, 'ListFlows')).find((x) => x.name === name)
  const runs = await api(server, 'ListExecutions', { flow: f.id })
  const list = Array.isArray(runs) ? runs : runs.executions || runs.items || []
  return api(server, 'GetExecution', list[0].id)
}

/** historyRow opens History and waits for a run of the flow called name
 * (started by an event: it may take a moment), reloading the list until it
 * shows one; it returns that row. */
export async function historyRow(page, name) {
  await page.getByRole('link', { name: 'History' }).click()
  const row = page.getByTestId('execution-row').filter({ hasText: name }).first()
  for (let i = 0; i < 60 && !(await row.count()); i++) {
    await page.waitForTimeout(250)
    await page.getByRole('link', { name: 'History' }).click()
  }
  await row.waitFor()
  return row
}

/** importFile imports a flow file through the Flows list's Import… file
 * picker and waits for the import report. */
export async function importFile(page, file) {
  const [fc] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import…' }).click()])
  await fc.setFiles(file)
  await page.getByTestId('import-report').waitFor()
}

/** bindPlaceholder binds a connection placeholder of the import report (the
 * row naming placeholder, or the first row without one) to the connection
 * labelled conn, and waits for the row to say it is bound. */
export async function bindPlaceholder(page, conn, placeholder) {
  const rows = page.getByTestId('bind-connections').locator('li')
  const row = placeholder ? rows.filter({ hasText: placeholder }) : rows.first()
  await row.getByRole('combobox').selectOption({ label: conn })
  await row.getByRole('button', { name: 'Bind' }).click()
  await row.getByRole('status').waitFor()
}
