// End-to-end test of moving cards into, between and out of If/Else branches
// with a real pointer, against `flowbench serve`: a card already on the row
// dragged into a branch (not only new cards from the palette), a card in a
// branch dragged to the other branch and back out onto the row, a branch card
// renamed by double-click (the head that drags it keeps its clicks), a drop
// off the canvas, undo and redo, save and reload.
// Run from the repository root:  node e2e/branches.spec.mjs
import assert from 'node:assert/strict'
import { api, card, drag, dropRight, finish, fit, newFlow, openPage, reportFailure, save, setup, step } from './lib.mjs'

const { shots, server, browser } = await setup('branches')
let failed = false
let page
try {
  const p = await openPage(browser, shots, { width: 1440, height: 900 })
  page = p.page
  const { con, shot } = p
  await page.goto(server.url)
  await newFlow(page, 'Branch moves')

  step('If/Else, then To Upper Case and To Lower Case on the row after it')
  await dropRight(page, 'flow.if', 'If/Else', 'Manual Run')
  await card(page, 'If/Else').waitFor()
  await dropRight(page, 'text.upper', 'To Upper Case', 'If/Else')
  await card(page, 'To Upper Case').waitFor()
  // a click on a palette card adds it after the selected card (To Upper Case, just added)
  await page.getByLabel('Search cards').fill('To Lower Case')
  await page.getByTestId('palette-text.lower').click()
  await page.getByLabel('Search cards').fill('')
  await card(page, 'To Lower Case').waitFor()
  await fit(page)
  const stored = async () => {
    const f = (await api(server, 'ListFlows')).find((x) => x.name === 'Branch moves')
    return api(server, 'GetFlow', f.id)
  }
  // the flow's shape as titles: the row, each branch in brackets
  const shape = (f) => {
    const title = (c) => c.title || { 'flow.if': 'If/Else', 'text.upper': 'To Upper Case', 'text.lower': 'To Lower Case' }[c.type] || c.type
    const walk = (cards) => (cards ?? []).map((c) => title(c) + (c.branches ? '{' + c.branches.map((b) => `${b.name}:[${walk(b.cards).join(',')}]`).join(' ') + '}' : ''))
    return walk(f.cards).join(' → ')
  }
  const ifCard = card(page, 'If/Else')
  const lane = (name) => ifCard.getByTestId(`lane-${name}`)
  const nested = (title) => page.locator(`.card.nested[data-testid="card-${title}"]`)

  step('drag To Upper Case from the row into the true branch')
  const upperRow = card(page, 'To Upper Case')
  await drag(page, upperRow.locator('.card-head'), lane('true'))
  await nested('To Upper Case').waitFor()
  assert.equal(await page.locator('.react-flow__node [data-testid="card-To Upper Case"]:not(.nested)').count(), 0, 'it left the row')
  await shot('01-row-card-into-true')

  step('drag To Lower Case from the row into the false branch')
  await fit(page)
  await drag(page, card(page, 'To Lower Case').locator('.card-head'), lane('false'))
  await nested('To Lower Case').waitFor()
  await save(page)
  assert.equal(shape(await stored()), 'If/Else{true:[To Upper Case] false:[To Lower Case]}')

  step('drag To Upper Case by its head from true into false, before To Lower Case')
  const lower = await nested('To Lower Case').boundingBox()
  await drag(page, nested('To Upper Case').locator('.card-head'), { x: lower.x + 10, y: lower.y + 30, width: 0, height: 0 })
  await page.locator('[data-testid="lane-false"] [data-testid="card-To Upper Case"]').waitFor()
  await save(page)
  assert.equal(shape(await stored()), 'If/Else{true:[] false:[To Upper Case,To Lower Case]}')
  await shot('02-between-branches')

  step('within one branch: To Upper Case dropped on the right half of To Lower Case goes after it')
  const lower2 = await nested('To Lower Case').boundingBox()
  await drag(page, nested('To Upper Case').locator('.card-head'), { x: lower2.x + lower2.width - 20, y: lower2.y + 30, width: 0, height: 0 })
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="lane-false"] .card.nested')].map((e) => e.dataset.testid).join() === 'card-To Lower Case,card-To Upper Case')

  step('Ctrl+Z takes the move back; Ctrl+Shift+Z does it again')
  await page.locator('.canvas').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+z')
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="lane-false"] .card.nested')].map((e) => e.dataset.testid).join() === 'card-To Upper Case,card-To Lower Case')
  await page.keyboard.press('Control+Shift+z')
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="lane-false"] .card.nested')].map((e) => e.dataset.testid).join() === 'card-To Lower Case,card-To Upper Case')

  step('a double-click on a branch card title still renames it (its head drags it)')
  await nested('To Lower Case').locator('.card-title').dblclick()
  const titleBox = nested('To Lower Case').getByLabel('Card title')
  await titleBox.fill('Lower name')
  await titleBox.press('Enter')
  await nested('Lower name').waitFor()

  step('drag Lower name out of the branch onto the row after If/Else')
  const ifBox = await ifCard.boundingBox()
  const cv = await page.locator('.canvas').boundingBox()
  await drag(page, nested('Lower name').locator('.card-head'), { x: Math.min(ifBox.x + ifBox.width + 80, cv.x + cv.width - 20), y: ifBox.y + 40, width: 0, height: 0 })
  await page.locator('.react-flow__node [data-testid="card-Lower name"]:not(.nested)').waitFor()
  await save(page)
  assert.equal(shape(await stored()), 'If/Else{true:[] false:[To Upper Case]} → Lower name')
  await shot('03-out-onto-row')

  step('a branch card dropped off the canvas (on the palette) stays where it was, with a notice')
  await drag(page, nested('To Upper Case').locator('.card-head'), page.getByLabel('Search cards'))
  await page.getByText('Drop To Upper Case on the canvas or into a branch to move it').waitFor()
  assert.equal(shape(await stored()), 'If/Else{true:[] false:[To Upper Case]} → Lower name')

  step('reload: the moved cards are where they were saved')
  await page.reload()
  await page.locator('[data-testid="lane-false"] [data-testid="card-To Upper Case"]').waitFor()
  await page.locator('.react-flow__node [data-testid="card-Lower name"]:not(.nested)').waitFor()
  assert.equal(await page.getByTestId('dirty').textContent(), 'Saved', 'nothing unsaved after reload')
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
