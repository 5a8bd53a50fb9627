// Big flows are workable (issue 11, point 7): import the largest official
// template through the Import button, open its largest flow, Fit shows the
// whole flow readable (wrapped lines, cards collapsed to their header),
// collapse and expand one card and all, the Problems panel names every
// problem's card and jumps to it, and search within the flow jumps to a card.
// Prints the open time. Run from the repository root:
//   FLOWBENCH_BIN=/tmp/h5/flowbench node e2e/bigflow.spec.mjs
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { api, finish, fit, openPage, setup, step } from './lib.mjs'

const CORPUS = resolve('../shared/corpus/okta-workflows-templates')
const TEMPLATE = process.env.BIG_TEMPLATE || 'automate_sso_application_creation'
const file = join(CORPUS, TEMPLATE, 'workflow.flopack')
if (!existsSync(file)) {
  console.error(`${file} not found: this spec needs the template corpus`)
  process.exit(1)
}
const { shots, server, browser } = await setup('bigflow')
let failed = false
try {
  const { page, con, shot } = await openPage(browser, shots, { width: 1440, height: 900 })
  const zoom = () => page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a)
  const canvasBox = () => page.locator('.canvas').boundingBox()
  const inView = async (loc) => {
    const a = await loc.boundingBox()
    const c = await canvasBox()
    return !!a && a.x >= c.x - 2 && a.x + Math.min(a.width, 120) <= c.x + c.width + 2 && a.y >= c.y - 2 && a.y + 20 <= c.y + c.height + 2
  }

  step(`import ${TEMPLATE} with the Import button`)
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Import…' }).click()
  await (await chooser).setFiles(file)
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()

  // the largest flow of the pack (by cards, nested ones included)
  const flows = await api(server, 'ListFlows')
  let big = null
  for (const s of flows) {
    const f = await api(server, 'GetFlow', s.id)
    let n = 0
    const walk = (cs) => { for (const c of cs ?? []) { n++; for (const b of c.branches ?? []) walk(b.cards) } }
    walk(f.cards)
    if (!big || n > big.n) big = { id: s.id, name: s.name, n, top: (f.cards ?? []).filter((c) => !c.hidden).length }
  }
  console.log(`  largest flow: “${big.name}”, ${big.n} cards (${big.top} drawn at top level)`)

  step('open it from the home page and time it')
  const before = server.log().split('rendered designer').length
  const t0 = Date.now()
  await page.locator(`[data-testid="flow-${big.name}"] a.flow-link`).click()
  await page.locator('.react-flow__node .card').first().waitFor()
  for (let i = 0; i < 400 && server.log().split('rendered designer').length <= before; i++) await page.waitForTimeout(25)
  const openMs = Date.now() - t0
  console.log(`  open time: ${openMs} ms (click → designer rendered)`)
  await shot('01-opened')

  step('Fit shows the whole flow, readable')
  await fit(page)
  const z = await zoom()
  const nodes = page.locator('.react-flow__node')
  const count = await nodes.count()
  assert.equal(count, big.top + 1, 'every top-level card and the trigger are drawn after Fit')
  const c = await canvasBox()
  const outside = await nodes.evaluateAll((ns, c) => ns.filter((n) => {
    const r = n.getBoundingClientRect()
    return r.left < c.x - 2 || r.right > c.x + c.width + 2 || r.top < c.y - 2 || r.bottom > c.y + c.height + 2
  }).length, c)
  console.log(`  after Fit: zoom ${z.toFixed(2)}, ${count} cards, ${outside} outside the canvas`)
  assert.equal(outside, 0, 'Fit shows every card')
  assert.ok(z >= 0.5, `readable zoom after Fit (got ${z})`)
  const titleSize = await page.locator('.react-flow__node .card-title').first().evaluate((el) => el.getBoundingClientRect().height)
  console.log(`  card title height on screen: ${titleSize.toFixed(1)} px`)
  await shot('02-fit')

  step('expand one card, then all, then collapse all again')
  const second = page.locator('.react-flow__node .card').nth(1)
  const title = await second.locator('.card-title').textContent()
  await second.getByRole('button', { name: `Expand ${title}` }).click()
  await second.locator('.sect').first().waitFor()
  await second.getByRole('button', { name: `Collapse ${title}` }).click()
  await second.locator('.sect').first().waitFor({ state: 'detached' })
  await page.getByTestId('collapse-all').filter({ hasText: 'Expand all' }).click()
  await page.locator('.react-flow__node .card .sect').first().waitFor()
  await shot('03-expanded')
  await page.getByTestId('collapse-all').filter({ hasText: 'Collapse all' }).click()
  await page.waitForFunction(() => !document.querySelector('.react-flow__node .card .sect'))
  await fit(page)

  step('Problems panel: every problem with its card title, a click jumps to the card')
  const shown = await page.getByTestId('problems-button').count()
  if (shown) {
    await page.getByTestId('problems-button').click()
    const items = page.getByTestId('problem-item')
    await items.first().waitFor()
    const n = await items.count()
    const all = await items.allTextContents()
    console.log(`  ${n} problem(s); first: ${all[0].replace(/\s+/g, ' ').slice(0, 140)}`)
    await shot('04-problems')
    const target = items.filter({ hasNot: page.locator(':disabled') }).last()
    const label = (await target.locator('.pi-card').textContent()).split(' › ')[0]
    await target.click()
    // the selected card is the one the problem names (titles repeat: several “Custom API Action” cards)
    const card = page.locator(`.card.selected[data-testid="card-${label}"]`)
    await card.waitFor()
    assert.ok(await inView(card), `the problem's card “${label}” is on screen`)
    await shot('05-problem-jump')
    await page.getByRole('button', { name: 'Close problems' }).click()
  } else {
    console.log('  the flow validates without problems')
  }

  step('search within the flow jumps to a far card')
  await fit(page)
  const lastTitle = await page.locator('.react-flow__node .card-title').last().textContent()
  await page.getByLabel('Find in flow').fill(lastTitle)
  await page.getByLabel('Find in flow').press('Enter')
  const target = page.locator(`.card.selected[data-testid="card-${lastTitle}"]`)
  await target.waitFor()
  assert.ok(await inView(target), 'the found card is on screen')
  await shot('06-search')

  step('back to one row (as in Okta): the row stays navigable from the keyboard (zoom, End, arrows, Home)')
  await page.getByRole('button', { name: 'One row' }).click()
  await page.locator('.canvas').click({ position: { x: 30, y: 30 } })
  await page.keyboard.press('0')
  assert.equal(await zoom(), 1)
  const shownMark = () => page.locator('.canvas').evaluate((el) => el.dataset.shown ?? '')
  const x = () => page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).e)
  let mark0 = await shownMark()
  await page.keyboard.press('End')
  await page.waitForFunction((b) => (document.querySelector('.canvas')?.dataset.shown ?? '') !== b, mark0)
  const lastCard = page.locator('.react-flow__node').last()
  assert.ok(await inView(lastCard.locator('.card-head')), 'End shows the last card of the row')
  await shot('07-end-of-row')
  const x0 = await x()
  await page.keyboard.press('ArrowLeft')
  assert.ok((await x()) > x0, 'ArrowLeft pans towards the start')
  mark0 = await shownMark()
  await page.keyboard.press('Home')
  await page.waitForFunction((b) => (document.querySelector('.canvas')?.dataset.shown ?? '') !== b, mark0)
  assert.ok(await inView(page.locator('.react-flow__node .card.trigger .card-head').first()), 'Home shows the trigger')
  con.check()
  console.log(`bigflow e2e: ok (open ${openMs} ms, Fit zoom ${z.toFixed(2)})`)
} catch (e) {
  failed = true
  console.error(e)
  console.error(server.log().slice(-2000))
}
await finish(failed, browser, server)
