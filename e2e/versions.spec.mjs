// End-to-end test of issue 16 point 2 (flow versions) against `flowbench
// serve`, with real pointer and keyboard: build and save a flow a few times,
// open Versions, compare two on the canvas (the changed and added cards and
// the changed input highlighted, the old value shown), restore an older
// version over unsaved edits (the guard asks), compare again (the removed
// card drawn where it was), run it, and history shows the restored
// behaviour. Run from the repository root:  node e2e/versions.spec.mjs
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { api, drag, launch, shotsDir, startServer, step, stopServer, tempDir, watchConsole } from './lib.mjs'

const shots = shotsDir('versions')
console.log(`screenshots: ${shots}`)
const server = await startServer(tempDir('flowbench-versions-'))
const browser = await launch()
let failed = false

const card = (page, title) => page.locator(`.react-flow__node [data-testid="card-${title}"]`).first()

async function dropRight(page, specId, search, of) {
  await page.getByLabel('Search cards').fill(search)
  const b = await card(page, of).boundingBox()
  const cv = await page.locator('.canvas').boundingBox()
  await drag(page, page.getByTestId(`palette-${specId}`), { x: b.x + b.width + 60, y: cv.y + 200, width: 0, height: 0 })
  await page.getByLabel('Search cards').fill('')
}

/** typeInto replaces an input's text with the keyboard (and checks it took:
 * the editor commits as one types, so a keystroke racing a re-render is typed again). */
async function typeInto(page, box, text) {
  for (let i = 0; i < 3; i++) {
    await box.click()
    await page.keyboard.press('Control+a')
    await page.keyboard.type(text, { delay: 20 })
    await page.keyboard.press('Tab')
    const got = await box.inputValue()
    if (got === text) return
    console.log(`  (typed ${JSON.stringify(text)}, the field shows ${JSON.stringify(got)}: typing again)`)
  }
  throw new Error(`typing ${JSON.stringify(text)} left ${JSON.stringify(await box.inputValue())}`)
}

async function save(page) {
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
}

const hasClass = async (loc, cls) => (await loc.getAttribute('class')).split(/\s+/).includes(cls)

try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } })
  const con = watchConsole(page)
  const shot = (n) => page.screenshot({ path: join(shots, `${n}.png`) })

  step('a flow: Manual Run (name) → Concatenate("Hello-", name); saved (version 2)')
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  await page.getByRole('button', { name: '+ New flow' }).click()
  await page.getByLabel('Name', { exact: true }).fill('E2E versions')
  await page.getByLabel('Folder', { exact: true }).fill('E2E')
  await page.getByRole('button', { name: 'Create' }).click()
  await card(page, 'Manual Run').waitFor()
  await card(page, 'Manual Run').getByLabel('New output name').fill('name')
  await page.keyboard.press('Enter')
  await card(page, 'Manual Run').getByTestId('out-name').waitFor()
  await dropRight(page, 'text.concat', 'Concatenate', 'Manual Run')
  const concat = card(page, 'Concatenate')
  await concat.waitFor()
  const s1 = concat.getByTestId('input-string1')
  await typeInto(page, s1.locator('input, textarea').first(), 'Hello-')
  await drag(page, card(page, 'Manual Run').getByTestId('out-name'), concat.getByTestId('input-string2'))
  await concat.getByTestId('input-string2').getByTestId('binding-pill').waitFor()
  await save(page)

  step('edit: "Hi-", and To Upper Case after it; saved (version 3)')
  await typeInto(page, s1.locator('input, textarea').first(), 'Hi-')
  await dropRight(page, 'text.upper', 'To Upper Case', 'Concatenate')
  const upper = card(page, 'To Upper Case')
  await upper.waitFor()
  await drag(page, concat.getByTestId('out-output'), upper.getByTestId('input-string'))
  await upper.getByTestId('input-string').getByTestId('binding-pill').waitFor()
  await save(page)

  step('Versions lists 3, 2, 1; compare 2 → 3 on the canvas')
  await page.getByRole('button', { name: 'Versions', exact: true }).click()
  const panel = page.getByRole('complementary', { name: 'Versions' })
  await panel.getByTestId('version-3').waitFor()
  const rows = await panel.locator('[data-testid^="version-"]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-testid')))
  assert.deepEqual(rows, ['version-3', 'version-2', 'version-1'])
  await panel.getByLabel('Compare from version 2').click()
  await panel.getByLabel('Compare to version 3').click()
  await panel.getByRole('button', { name: 'Compare on canvas' }).click()
  const summary = panel.getByTestId('diff-summary')
  await summary.waitFor()
  assert.match(await summary.textContent(), /Version 2 → version 3/)
  assert.match(await summary.textContent(), /1 added · 0 removed · 0 moved · 1 changed/)
  await upper.getByTestId('diff-badge').waitFor()
  assert.equal(await upper.getByTestId('diff-badge').textContent(), 'added')
  assert.ok(await hasClass(upper, 'diff-added'), 'To Upper Case is marked added')
  assert.equal(await concat.getByTestId('diff-badge').textContent(), 'changed')
  assert.ok(await hasClass(concat, 'diff-changed'), 'Concatenate is marked changed')
  assert.ok(await hasClass(s1, 'diff-field'), 'its text 1 input is highlighted')
  assert.equal(await s1.getByTestId('field-diff').textContent(), 'was: "Hello-"')
  assert.ok(!(await hasClass(concat.getByTestId('input-string2'), 'diff-field')), 'the unchanged binding is not highlighted')
  assert.equal(await card(page, 'Manual Run').getByTestId('diff-badge').count(), 0, 'the unchanged trigger is not marked')
  assert.equal(await page.getByTestId('dirty').count(), 0, 'the comparison is read-only (no save state)')
  await shot('01-compare-2-3')

  step('reload while comparing: back to editing the stored flow')
  await page.reload()
  await card(page, 'To Upper Case').waitFor()
  assert.equal(await page.getByTestId('diff-badge').count(), 0)
  assert.match(await page.getByTestId('dirty').textContent(), /Saved/)

  step('move To Upper Case left with its menu; saved (version 4); compare 3 → 4: Concatenate moved')
  await upper.getByRole('button', { name: 'Menu of To Upper Case' }).click()
  await page.getByRole('menuitem', { name: 'Move left' }).click()
  const order = await page.locator('.react-flow__node').evaluateAll((ns) => ns.map((n) => n.querySelector('.card-title')?.textContent))
  assert.deepEqual(order, ['Manual Run', 'To Upper Case', 'Concatenate'])
  await save(page)
  await page.getByRole('button', { name: 'Versions', exact: true }).click()
  await panel.getByTestId('version-4').waitFor()
  await panel.getByLabel('Compare from version 3').click()
  await panel.getByLabel('Compare to version 4').click()
  await panel.getByRole('button', { name: 'Compare on canvas' }).click()
  await summary.waitFor()
  assert.match(await summary.textContent(), /0 added · 0 removed · 1 moved · 0 changed/)
  await concat.getByTestId('diff-badge').waitFor()
  assert.equal(await concat.getByTestId('diff-badge').textContent(), 'moved')
  assert.ok(await hasClass(concat, 'diff-moved'), 'Concatenate is marked moved')
  assert.equal(await concat.getByTestId('diff-notes').textContent(), 'moved from #1 to #2')
  assert.equal(await upper.getByTestId('diff-badge').count(), 0, 'the card it passed is not marked')
  await shot('01b-compare-3-4-moved')
  await panel.getByRole('button', { name: 'Back to editing' }).click()
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await page.getByRole('button', { name: 'Close versions' }).click()

  step('an unsaved edit, then Restore version 2: the guard asks; Discard')
  await typeInto(page, s1.locator('input, textarea').first(), 'Unsaved-')
  assert.match(await page.getByTestId('dirty').textContent(), /Unsaved/)
  await page.getByRole('button', { name: 'Versions', exact: true }).click()
  await panel.getByTestId('version-4').waitFor()
  await panel.getByRole('button', { name: 'Restore version 2' }).click()
  const guard = panel.getByRole('alertdialog', { name: 'Unsaved changes' })
  await guard.waitFor()
  await shot('02-restore-guard')
  await guard.getByRole('button', { name: 'Cancel' }).click()
  assert.equal(await guard.count(), 0)
  assert.match(await page.getByTestId('dirty').textContent(), /Unsaved/, 'Cancel keeps the edit')
  await panel.getByRole('button', { name: 'Restore version 2' }).click()
  await guard.getByRole('button', { name: 'Discard' }).click()
  await page.getByRole('status').filter({ hasText: 'Restored version 2 as version 5' }).waitFor()
  await panel.getByTestId('version-5').waitFor()
  assert.match(await panel.getByTestId('version-5').textContent(), /restored from 2/)
  assert.equal(await card(page, 'To Upper Case').count(), 0, 'the restored version has no To Upper Case')
  assert.equal(await s1.locator('input, textarea').first().inputValue(), 'Hello-')
  assert.match(await page.getByTestId('dirty').textContent(), /Saved/, 'a restore is a save')

  step('Ctrl+Z takes the restore back (an unsaved edit of version 5); Ctrl+Shift+Z brings it again')
  await page.keyboard.press('Control+z')
  await upper.waitFor()
  assert.equal(await s1.locator('input, textarea').first().inputValue(), 'Hi-', 'version 4 as it was')
  assert.match(await page.getByTestId('dirty').textContent(), /Unsaved/)
  await page.keyboard.press('Control+Shift+z')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  assert.equal(await card(page, 'To Upper Case').count(), 0)
  assert.equal(await s1.locator('input, textarea').first().inputValue(), 'Hello-')

  step('compare 4 → 5: To Upper Case drawn as removed, text 1 changed back')
  await panel.getByLabel('Compare from version 4').click()
  await panel.getByLabel('Compare to version 5').click()
  await panel.getByRole('button', { name: 'Compare on canvas' }).click()
  await summary.waitFor()
  assert.match(await summary.textContent(), /0 added · 1 removed · 0 moved · 1 changed/)
  await upper.waitFor()
  assert.ok(await hasClass(upper, 'diff-removed'), 'To Upper Case is drawn, marked removed')
  assert.equal(await upper.getByTestId('diff-badge').textContent(), 'removed')
  assert.equal(await s1.getByTestId('field-diff').textContent(), 'was: "Hi-"')
  await shot('03-compare-4-5')
  await panel.getByRole('button', { name: 'Back to editing' }).click()
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  assert.equal(await card(page, 'To Upper Case').count(), 0)
  assert.equal(await page.getByTestId('diff-badge').count(), 0)

  step('run the restored flow with name=Ann: Hello-Ann (not HI-ANN)')
  await page.getByRole('button', { name: 'Close versions' }).click()
  await page.getByTestId('run').click()
  const runPanel = page.getByRole('complementary', { name: 'Run with test input' })
  await runPanel.waitFor()
  const box = runPanel.getByLabel('name', { exact: true })
  await box.and(page.locator('[value]:not([value=""])')).waitFor()
  await box.fill('Ann')
  await runPanel.getByTestId('run-now').click()
  const bar = page.getByTestId('runbar')
  await bar.waitFor()
  assert.match(await bar.textContent(), /success/, `run status: ${await bar.textContent()}`)

  step('history shows the restored behaviour')
  await bar.getByRole('button', { name: 'open in history' }).click()
  await page.locator('h1.flow-name').waitFor()
  const rin = card(page, 'Concatenate').getByTestId('input-string1').getByTestId('recorded-input')
  await rin.waitFor()
  assert.equal(await rin.textContent(), '"Hello-"')
  assert.match(await card(page, 'Concatenate').getByTestId('output-output').textContent(), /Hello-Ann/)
  assert.equal(await card(page, 'To Upper Case').count(), 0)
  assert.equal(await page.getByRole('button', { name: 'Versions', exact: true }).count(), 0, 'no Versions in an execution view')
  await shot('04-history-run')
  const flows = await api(server, 'ListFlows')
  const id = flows.find((f) => f.name === 'E2E versions').id
  const execs = await api(server, 'ListExecutions', { flow: id })
  const list = execs.items ?? execs
  assert.equal(list.length, 1)
  assert.equal(list[0].status, 'success')

  step('back to the flow: an unsaved edit, Compare asks; Save and continue saves version 6, then compares')
  await page.getByRole('button', { name: 'Edit flow' }).click()
  // the execution view already shows the cards: wait for the editable flow (its Saved mark) before typing,
  // or the edit lands in the read-only view that the editable load then replaces
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await card(page, 'Concatenate').waitFor()
  await typeInto(page, s1.locator('input, textarea').first(), 'Hey-')
  await page.getByRole('button', { name: 'Versions', exact: true }).click()
  await panel.getByTestId('version-5').waitFor()
  await panel.getByLabel('Compare from version 5').click()
  await panel.getByLabel('Compare to version 5').click()
  assert.ok(await panel.getByRole('button', { name: 'Compare on canvas' }).isDisabled(), 'one version against itself: nothing to compare')
  await panel.getByLabel('Compare from version 2').click()
  await panel.getByRole('button', { name: 'Compare on canvas' }).click()
  await guard.getByRole('button', { name: 'Save and continue' }).click()
  await summary.waitFor()
  await panel.getByTestId('version-6').waitFor()
  assert.match(await summary.textContent(), /Version 2 → version 5/)
  assert.match(await summary.textContent(), /No changes/, 'version 5 restored version 2')
  await panel.getByRole('button', { name: 'Back to editing' }).click()
  // Back to editing reads the stored flow again: the editable flow is there once its Saved mark shows
  // (the read-only comparison has none)
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  assert.equal(await s1.locator('input, textarea').first().inputValue(), 'Hey-')
  const saved6 = await api(server, 'GetFlowVersion', id, 6)
  assert.equal(saved6.cards.find((c) => c.title === 'Concatenate').inputs.find((i) => i.key === 'string1').value, 'Hey-')
  con.check()
  console.log('versions e2e: ok')
} catch (e) {
  failed = true
  console.error(e)
} finally {
  await browser.close()
  await stopServer(server)
}
process.exit(failed ? 1 : 0)
