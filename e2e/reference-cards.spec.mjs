// Cards of Okta's function reference added for issue 10 point 7, used as a
// person would: build a flow from the palette (Encrypt, then Decrypt), test
// Encrypt on its own with Okta's documented example, save, run with a typed
// message and read the decrypted text back in history. Run from the
// repository root: node e2e/reference-cards.spec.mjs
import assert from 'node:assert/strict'
import { addTriggerOutput, card, drag, dropRight, finish, newFlow, openPage, openRunInHistory, recordedOutput, reportFailure, setup, step } from './lib.mjs'

const { shots, server, browser } = await setup('reference-cards')
let failed = false
let page
try {
  const o = await openPage(browser, shots, { width: 1440, height: 900 })
  page = o.page
  const { con, shot } = o

  step('create a flow with a message input')
  await page.goto(server.url)
  await newFlow(page, 'E2E secrets')
  await addTriggerOutput(page, 'message')

  step('drag Encrypt and Decrypt from the palette')
  await dropRight(page, 'crypto.encrypt', 'Encrypt', 'Manual Run')
  await card(page, 'Encrypt').waitFor()
  await dropRight(page, 'crypto.decrypt', 'Decrypt', 'Encrypt')
  await card(page, 'Decrypt').waitFor()
  await shot('01-cards')

  step("test Encrypt on its own with Okta's example: aes-256-cbc, \"my secret key\"")
  const enc = card(page, 'Encrypt')
  await enc.getByRole('button', { name: 'Test Encrypt' }).click()
  const tp = enc.getByRole('dialog', { name: 'Test Encrypt' })
  await tp.waitFor()
  await tp.getByTestId('test-input-key').locator('input').fill('my secret key')
  await tp.getByTestId('test-input-data').locator('input').fill('My secret message!')
  await tp.getByRole('button', { name: 'Run test' }).click()
  const outBox = tp.getByTestId('test-output-output')
  await outBox.waitFor()
  assert.match(await outBox.textContent(), /hrDDPCtB0Cijc8EFAHhABiYEKdYBgt\+e63RGV288SOI=/)
  await shot('02-test-encrypt')
  await tp.getByTestId('test-input-data').locator('input').press('Escape')
  await tp.waitFor({ state: 'detached' })

  step('wire: message → Encrypt data → Decrypt data; the same key typed on both cards')
  await drag(page, card(page, 'Manual Run').getByTestId('out-message'), enc.getByTestId('input-data'))
  await enc.getByTestId('input-data').getByTestId('binding-pill').waitFor()
  await enc.getByTestId('input-key').locator('input').fill('correct horse')
  const dec = card(page, 'Decrypt')
  await drag(page, enc.getByTestId('out-output'), dec.getByTestId('input-data'))
  await dec.getByTestId('input-data').getByTestId('binding-pill').waitFor()
  await dec.getByTestId('input-key').locator('input').fill('correct horse')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await shot('03-saved')

  step('run with a typed message')
  await page.getByTestId('run').click()
  const panel = page.getByRole('complementary', { name: 'Run with test input' })
  await panel.waitFor()
  await panel.getByLabel('message').fill('Grüße from Flowbench')
  await panel.getByTestId('run-now').click()
  const bar = page.getByTestId('runbar')
  await bar.filter({ hasText: /success|failed/ }).waitFor()
  assert.match(await bar.textContent(), /success/, `run status: ${await bar.textContent()}`)
  await shot('04-ran')

  step('history shows the cipher text and the message decrypted again')
  await openRunInHistory(page)
  const cipher = recordedOutput(card(page, 'Encrypt'), 'output')
  await cipher.waitFor()
  const ct = (await cipher.textContent()).trim()
  assert.match(ct, /^"?[A-Za-z0-9+/]+=*"?$/, `cipher text is Base64: ${ct}`)
  assert.ok(!ct.includes('Flowbench'), 'the message is not in the clear')
  const plain = recordedOutput(card(page, 'Decrypt'), 'output')
  await plain.waitFor()
  assert.match(await plain.textContent(), /Grüße from Flowbench/)
  await shot('05-history')
  con.check()
  console.log('reference-cards: PASS')
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
await finish(failed, browser, server)
