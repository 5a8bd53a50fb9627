// End-to-end test of issue 16 point 4 (flow tests) against `flowbench
// serve`, with real pointer and keyboard: a flow Manual Run(login) → Read
// User on the sandbox tenant runs; in History its run is saved as a test
// ("Save as test"), the test and the flow are downloaded, and `flowbench
// test` runs them without the network (passes; a changed recorded response
// fails it, exit 1, JUnit written). The designer and the flow list show the
// test status; unwiring Read User's login breaks the test and the badge
// says so. Run from the repository root:  node e2e/flowtests.spec.mjs
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BIN, api, card, drag, dropRight, finish, openPage, reportFailure, setup, step } from './lib.mjs'

const LOGIN = 'sandbox.admin@example.com'
const { shots, server, browser } = await setup('flowtests', { dataPrefix: 'flowbench-flowtests-' })
let failed = false
let page

try {
  const p = await openPage(browser, shots, { width: 1500, height: 950 }, { allowFailed: ['SaveExecutionAsTest'] })
  page = p.page
  const { con, shot } = p
  const dir = mkdtempSync(join(tmpdir(), 'flowbench-flowtests-files-'))

  step('a flow: Manual Run (login) → Read User(login) on the sandbox tenant; run it')
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  await page.getByRole('button', { name: '+ New flow' }).click()
  await page.getByLabel('Name', { exact: true }).fill('E2E tested')
  await page.getByRole('button', { name: 'Create' }).click()
  await card(page, 'Manual Run').waitFor()
  await card(page, 'Manual Run').getByLabel('New output name').fill('login')
  await page.keyboard.press('Enter')
  await card(page, 'Manual Run').getByTestId('out-login').waitFor()
  await dropRight(page, 'okta.readUser', 'Read User', 'Manual Run')
  const read = card(page, 'Read User')
  await read.waitFor()
  await read.getByLabel('Connection').selectOption({ label: 'Sandbox tenant' })
  await drag(page, card(page, 'Manual Run').getByTestId('out-login'), read.getByTestId('input-ID or Login'))
  await read.getByTestId('input-ID or Login').getByTestId('binding-pill').waitFor()
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await page.getByTestId('run').click()
  const panel = page.getByRole('complementary', { name: 'Run with test input' })
  await panel.waitFor()
  const loginBox = panel.locator('label.form-row', { hasText: 'login' }).locator('input, textarea').first()
  await loginBox.click()
  await page.keyboard.press('Control+a')
  await page.keyboard.type(LOGIN)
  await panel.getByTestId('run-now').click()
  await page.getByTestId('runbar').filter({ hasText: 'success' }).waitFor()
  assert.equal(await page.getByTestId('flow-tests').count(), 0, 'no tests yet: no badge')

  step('History: open the run, Save as test')
  await page.getByRole('link', { name: 'History' }).click()
  await page.getByTestId('execution-row').first().click()
  await page.locator('h1.flow-name').waitFor()
  await page.getByTestId('save-as-test').click()
  const dlg = page.getByRole('dialog', { name: 'Save this run as a test' })
  await dlg.getByLabel('Test name').fill('reads the admin')
  await dlg.getByRole('button', { name: 'Save test' }).click()
  const saved = page.getByTestId('saved-test')
  await saved.filter({ hasText: '✓ 1 test passes' }).waitFor()
  await shot('01-saved-as-test')
  await page.getByTestId('save-as-test').click()
  await dlg.getByLabel('Test name').fill('reads the admin')
  await dlg.getByRole('button', { name: 'Save test' }).click()
  await page.getByRole('alert').filter({ hasText: 'already has a test named "reads the admin"' }).waitFor()
  assert.equal((await api(server, 'RunFlowTests', (await api(server, 'ListFlows')).find((f) => f.name === 'E2E tested').id)).total, 1, 'the first test is kept')

  step('download the test and the flow')
  let dl = page.waitForEvent('download')
  await saved.getByTestId('download-test').click()
  const testFile = join(dir, (await dl).suggestedFilename())
  await (await dl).saveAs(testFile)
  assert.equal(testFile, join(dir, 'E2E tested.test.json'))
  dl = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export' }).click()
  await (await dl).saveAs(join(dir, (await dl).suggestedFilename()))
  const fixture = JSON.parse(readFileSync(testFile, 'utf8'))
  assert.equal(fixture.format, 'flowbench-test/1')
  const call = fixture.cases[0].calls[0]
  assert.equal(call.method, 'GET')
  assert.match(call.url, /\/api\/v1\/users\//)
  assert.equal(call.json.profile.login, LOGIN)
  assert.ok(!JSON.stringify(fixture).includes('00SandboxFlowbenchDefaultApiToken'), 'no token in the fixture')

  step('flowbench test DIR passes with no network; a changed response fails it (exit 1, JUnit)')
  let r = spawnSync(BIN, ['test', dir, '-v'], { encoding: 'utf8' })
  console.log(r.stdout.trim().split('\n').map((l) => '    ' + l).join('\n'))
  assert.equal(r.status, 0, r.stdout + r.stderr)
  assert.match(r.stdout, /✓ .*E2E tested\.test\.json › reads the admin/)

  step('in a Git repository of `flowbench export` files (named by flow id) the downloaded test finds its flow')
  const repo = mkdtempSync(join(tmpdir(), 'flowbench-flowtests-repo-'))
  const flowId = (await api(server, 'ListFlows')).find((f) => f.name === 'E2E tested').id
  writeFileSync(join(repo, `${flowId}.flow.json`), await api(server, 'ExportFlow', flowId)) // what `flowbench export --all -o` writes
  writeFileSync(join(repo, 'E2E tested.test.json'), readFileSync(testFile))
  r = spawnSync(BIN, ['test', repo], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stdout + r.stderr)
  assert.match(r.stdout, /1 passed, 0 failed/)
  assert.equal(r.stderr, '', 'no log lines repeat the results')
  call.json.profile.login = 'someone.else@example.com'
  writeFileSync(testFile, JSON.stringify(fixture, null, 2))
  const junit = join(dir, 'junit.xml')
  r = spawnSync(BIN, ['test', dir, '--junit', junit], { encoding: 'utf8' })
  console.log(r.stdout.trim().split('\n').map((l) => '    ' + l).join('\n'))
  assert.equal(r.status, 1, r.stdout + r.stderr)
  assert.match(r.stdout, /Read User.*login: got "someone.else@example.com", want "sandbox.admin@example.com"/)
  assert.match(readFileSync(junit, 'utf8'), /<testsuites tests="1" failures="1"/)

  step('the designer shows the flow passing its test')
  await page.getByRole('button', { name: 'Edit flow' }).click()
  const badge = page.getByTestId('flow-tests')
  await badge.filter({ hasText: '✓ 1 test passes' }).waitFor()
  await badge.click()
  await page.getByRole('dialog', { name: 'Flow tests' }).getByTestId('flow-test').filter({ hasText: 'reads the admin' }).waitFor()
  await shot('02-designer-tests-pass')
  await badge.click()

  step('unwire Read User from the login and type another: the test fails and the badge says so')
  await card(page, 'Read User').getByRole('button', { name: 'Unwire ID or Login' }).click()
  const box = card(page, 'Read User').getByTestId('input-ID or Login').locator('input, textarea').first()
  await box.click()
  await page.keyboard.type('nobody@example.com')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await badge.filter({ hasText: '✗ 1 of 1 test failing' }).waitFor()
  await badge.click()
  const item = page.getByRole('dialog', { name: 'Flow tests' }).getByTestId('flow-test')
  assert.match(await item.textContent(), /unrecorded outside call: card \w+ "Read User": GET \/api\/v1\/users\/nobody@example.com/)
  assert.match(await item.textContent(), /recorded call not made: card \w+ "Read User": GET /)
  await shot('03-designer-tests-fail')

  step('the flow list shows the failing test')
  await page.getByRole('link', { name: 'Flows' }).click()
  const row = page.getByTestId('flow-E2E tested')
  await row.getByTestId('test-badge').filter({ hasText: '✗ 1 of 1 test failing' }).waitFor()
  await shot('04-flow-list')
  const st = await api(server, 'TestStatuses')
  assert.equal(Object.values(st)[0].failed, 1)

  step('delete the test from the designer: it asks first (Cancel keeps it)')
  await row.getByRole('link', { name: 'E2E tested' }).click()
  await badge.click()
  const tests = page.getByRole('dialog', { name: 'Flow tests' })
  await tests.getByRole('button', { name: 'Delete test reads the admin' }).click()
  const ask = page.getByRole('dialog', { name: 'Delete this test?' })
  await ask.getByRole('button', { name: 'Cancel' }).click()
  assert.equal((await api(server, 'ExportFlowTests', flowId)).includes('reads the admin'), true, 'Cancel keeps the test')
  await tests.getByRole('button', { name: 'Delete test reads the admin' }).click()
  await ask.getByRole('button', { name: 'Delete test' }).click()
  await badge.waitFor({ state: 'detached' })
  assert.equal(Object.values(await api(server, 'TestStatuses'))[0].total, 0)
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
