// End-to-end test of canceling a run in progress, as Okta's "Cancel a flow
// execution", against `flowbench serve`: a flow run from the designer waits
// an hour at a Wait For card; History lists it as running (also under the
// "running" filter); Cancel asks first ("No, keep running" keeps it), then
// "Yes, cancel" stops it: History shows it canceled at the Wait For card, and
// its record shows the card after it not run. A second run is opened from
// History while it runs and canceled from its own view. Run from the
// repository root:
//   node e2e/cancel.spec.mjs
import assert from 'node:assert/strict'
import { api, card, finish, openPage, reportFailure, setup, step } from './lib.mjs'

const { shots, server, browser } = await setup('cancel')
let failed = false
let page
try {
  const p = await openPage(browser, shots, { width: 1400, height: 900 }, { allowFailed: ['RunFlow'] })
  page = p.page
  const { con, shot } = p
  await api(server, 'SaveFlow', {
    format: 'flowbench.flow/v1', id: 'slow', name: 'Slow deprovision', settings: { history: true },
    trigger: { id: 'trigger', type: 'flow.manual' },
    cards: [
      { id: 'wait', type: 'flow.waitFor', title: 'Wait an hour', inputs: [{ key: 'delay', value: 1 }, { key: 'unit', value: 'hour' }] },
      { id: 'after', type: 'text.upper', title: 'After the wait', inputs: [{ key: 'string', value: 'x' }] },
    ],
  })

  step('run the flow from the designer; it waits at Wait an hour')
  await page.goto(server.url)
  await page.getByRole('link', { name: 'Slow deprovision' }).click()
  await card(page, 'Wait an hour').waitFor()
  await page.getByTestId('run').click()
  const panel = page.getByRole('complementary', { name: 'Run with test input' })
  await panel.getByTestId('run-now').click()

  step('History lists it as running, first; the running filter finds it')
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History', exact: true }).click()
  const row = page.getByTestId('execution-row').filter({ hasText: 'Slow deprovision' }).first()
  await row.getByText('running', { exact: true }).waitFor()
  assert.match(await row.textContent(), /in progress/)
  await page.getByLabel('Status filter').selectOption('running')
  await page.getByTestId('execution-row').filter({ hasText: 'running' }).first().waitFor()
  assert.equal(await page.getByTestId('execution-row').count(), 1)
  await shot('01-running')

  step('Cancel asks first; "No, keep running" keeps it running')
  await row.getByTestId('cancel-execution').click()
  const dialog = page.getByRole('dialog', { name: 'Cancel execution' })
  await dialog.waitFor()
  assert.match(await dialog.textContent(), /stops before its next card.*Cards that already ran are not undone/)
  await shot('02-confirm')
  await dialog.getByRole('button', { name: 'No, keep running' }).click()
  await dialog.waitFor({ state: 'detached' })
  assert.equal((await api(server, 'ListExecutions', { status: 'running' })).length, 1, 'still running')

  step('"Yes, cancel": the run ends canceled at Wait an hour')
  await row.getByTestId('cancel-execution').click()
  await dialog.getByRole('button', { name: 'Yes, cancel' }).click()
  await page.getByLabel('Status filter').selectOption('')
  const done = page.getByTestId('execution-row').filter({ hasText: 'Slow deprovision' }).first()
  await done.getByText('canceled', { exact: true }).waitFor()
  assert.match(await done.textContent(), /Wait an hour: canceled by the user while this card ran/)
  await shot('03-canceled')

  step('its record: Wait an hour canceled, After the wait not run')
  await done.click()
  await card(page, 'After the wait').waitFor()
  assert.match(await card(page, 'Wait an hour').getByTestId('card-status').textContent(), /failed|canceled/)
  assert.match(await card(page, 'After the wait').getByTestId('card-status').textContent(), /not run/)
  await shot('04-record')

  step('a second run, opened from History while it runs: its view says running and cancels it too')
  api(server, 'RunFlow', 'slow', {}).catch(() => undefined) // an outside start; it ends canceled
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History', exact: true }).click()
  await page.getByTestId('execution-row').filter({ hasText: 'running' }).first().click()
  const bar = page.getByTestId('runbar')
  await bar.filter({ hasText: 'running' }).waitFor()
  assert.match(await bar.textContent(), /in progress/)
  assert.doesNotMatch(await bar.textContent(), /-\d+ ms/, 'no negative duration')
  assert.equal(await page.getByTestId('rerun').count(), 0, 'no Re-run while it runs')
  await shot('05-running-view')
  await bar.getByTestId('cancel-execution').click()
  await page.getByRole('dialog', { name: 'Cancel execution' }).getByRole('button', { name: 'Yes, cancel' }).click()
  await page.getByTestId('runbar').filter({ hasText: 'canceled' }).waitFor()
  await card(page, 'After the wait').getByTestId('card-status').filter({ hasText: 'not run' }).waitFor()
  con.check()
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
