// End-to-end: an Okta Identity Governance template nobody tuned for,
// "Enable a grace period for Identity Governance Access Certification",
// against `flowbench serve` and its sandbox tenant (issue 10). Scenarios:
//   sample   — import the template through the file picker, bind its Okta
//              placeholder to the sandbox in the import dialog, open its
//              event flow: the Run panel's sample is the tenant's newest
//              access certification decision (Review Item = a review the
//              sandbox has, Debug Data = its campaign); Run: the Custom API
//              Action reads the review (GET /governance/api/v1/reviews/{id}),
//              its decision is REVOKE, and the flow stops where Okta's would:
//              "Grace period not enabled for this campaign." (the template's
//              Configuration table comes empty); History shows the values.
//   wrong id — the Review Item's ID typed over with the keyboard: the run
//              fails on the Custom API Action with Okta's 404 for a review
//              the tenant does not have.
// Run from the repository root:
//   FLOWBENCH_BIN=/tmp/sb2/flowbench node e2e/okta-iga.spec.mjs
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { api, bindPlaceholder, finish, importFile, openPage, openRunInHistory, reportFailure, runNow, setup, step } from './lib.mjs'

const CORPUS = process.env.FLOWBENCH_CORPUS || '/work/shared/corpus/okta-workflows-templates'
const TEMPLATE = join(CORPUS, 'enable_a_grace_period_for_identity_governance_acce/workflow.flopack')
const FLOW = '1. Event Access Certification Decision'

const { shots, server, browser } = await setup('okta-iga')
let failed = false
let page
try {
  const opened = await openPage(browser, shots, { width: 1600, height: 950 })
  page = opened.page
  const { con, shot } = opened

  step('sample: import the template through the file picker and bind its Okta placeholder')
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Flows' }).waitFor()
  await importFile(page, TEMPLATE)
  await bindPlaceholder(page, 'Sandbox tenant')
  await shot('01-imported')
  await page.locator('dialog[open]').getByRole('button', { name: 'Close' }).click()

  step('sample: the event flow\'s Run panel names the tenant\'s newest review decision')
  await page.getByRole('link', { name: FLOW }).click()
  await page.locator('.react-flow__node').first().waitFor()
  await page.getByTestId('run').click()
  const panel = page.getByRole('complementary', { name: 'Run with test input' })
  await panel.waitFor()
  // the sample is fetched after the panel opens: wait until the field holds it
  await page.waitForFunction(() => {
    const el = [...document.querySelectorAll('textarea, input')].find((e) => e.getAttribute('aria-label') === 'Review Item')
    return !!el && el.value.trim().startsWith('{')
  }, null, { timeout: 10000 })
  const item = JSON.parse(await panel.getByLabel('Review Item').inputValue())
  assert.match(item.ID, /^icr/, JSON.stringify(item))
  const debug = JSON.parse(await panel.getByLabel('Debug Context').inputValue())
  assert.equal(debug['Debug Data'].campaignItemId, item.ID, JSON.stringify(debug))
  assert.equal(debug['Debug Data'].campaignTemplateName, 'Semi-Annual', JSON.stringify(debug))
  await shot('02-sample')

  step('sample: Run — the review is read, REVOKE, and the flow stops at the grace-period check')
  await panel.getByTestId('run-now').click()
  const bar = page.getByTestId('runbar')
  await bar.filter({ hasText: /success|failed/ }).waitFor()
  assert.match(await bar.textContent(), /success/, await bar.textContent())
  await shot('03-ran')
  await openRunInHistory(page)
  await shot('04-history')
  const flows = await api(server, 'ListFlows')
  const flow = flows.find((f) => f.name === FLOW)
  const [last] = await api(server, 'ListExecutions', { flow: flow.id, limit: 1 })
  const ex = await api(server, 'GetExecution', last.id)
  assert.equal(ex.status, 'success', JSON.stringify(ex.error))
  const read = ex.cards.find((c) => c.title === 'Custom API Action')
  assert.equal(read.inputs['Relative URL'], `/governance/api/v1/reviews/${item.ID}`)
  assert.equal(read.outputs['Status Code'], 200)
  assert.equal(read.outputs.Body.decision, 'REVOKE', JSON.stringify(read.outputs.Body))
  assert.equal(read.outputs.Body.principalProfile.login, 'alice.nguyen@example.com')
  const checks = ex.cards.filter((c) => c.type === 'flow.continueIf')
  assert.equal(checks[0].inputs['left-operand'], 'REVOKE', JSON.stringify(checks[0]))
  assert.equal(checks[1].inputs.message, 'Grace period not enabled for this campaign.', JSON.stringify(checks[1]))
  assert.ok(ex.cards.some((c) => c.type === 'tables.createRow' && c.status === 'skipped'), 'no grace-period row without a configured campaign')

  step('wrong id: a Review Item the tenant does not have fails on the Custom API Action with Okta\'s 404')
  await page.getByRole('link', { name: 'Flows' }).click()
  await page.getByRole('link', { name: FLOW }).click()
  await page.locator('.react-flow__node').first().waitFor()
  await page.getByTestId('run').click()
  await panel.waitFor()
  const box = panel.getByLabel('Review Item')
  await box.click()
  await page.keyboard.press('Control+a')
  await page.keyboard.type(JSON.stringify({ ...item, ID: 'icrnotthere000000000' }))
  await panel.getByTestId('run-now').click()
  await bar.filter({ hasText: /success|failed/ }).waitFor()
  assert.match(await bar.textContent(), /failed/, await bar.textContent())
  await shot('05-wrong-id')
  const [bad] = await api(server, 'ListExecutions', { flow: flow.id, limit: 1 })
  const bx = await api(server, 'GetExecution', bad.id)
  const failedCard = bx.cards.find((c) => c.status === 'failed')
  assert.equal(failedCard.title, 'Custom API Action')
  assert.match(JSON.stringify(bx.error), /icrnotthere000000000 \(Review\)/, JSON.stringify(bx.error))
  con.check()
  console.log('okta-iga e2e: ok')
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
