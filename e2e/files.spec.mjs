// Okta's File functions (issue 10 point 7) used as a person would: drag
// Download and Info from the palette, type the URL of a file this spec serves
// on loopback (a binary "PDF" named by Content-Disposition), wire Download's
// File Content into Info, run, and read History: the file value (name, type,
// size), Info's outputs, never the file's bytes. A wrong URL first fails the
// run with an error naming the card and the field.
// Run from the repository root: node e2e/files.spec.mjs
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { api, card, drag, dropRight, finish, newFlow, openPage, openRunInHistory, recordedOutput, reportFailure, runNow, setup, step } from './lib.mjs'

// binary content: a PDF header, NUL bytes and high bytes
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\nSECRET-BYTES\n'), Buffer.from([0, 1, 2, 0xff, 0xfe]), Buffer.alloc(2000, 0x7f)])
const files = createServer((req, res) => {
  if (req.url === '/reports/latest') {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Disposition': 'attachment; filename="Q3 report.pdf"' })
    res.end(pdf)
    return
  }
  res.writeHead(404, { 'Content-Type': 'text/plain' })
  res.end('no such file')
})
await new Promise((r) => files.listen(0, '127.0.0.1', r))
const fileURL = `http://127.0.0.1:${files.address().port}/reports/latest`

const { shots, server, browser } = await setup('files')
let failed = false
let page
try {
  const o = await openPage(browser, shots, { width: 1440, height: 900 })
  page = o.page
  const { con, shot } = o

  step('create a flow; drag File › Download and File › Info from the palette')
  await page.goto(server.url)
  await newFlow(page, 'E2E files')
  await dropRight(page, 'file.download', 'Download', 'Manual Run')
  await card(page, 'Download').waitFor()
  await dropRight(page, 'file.info', 'Info', 'Download')
  await card(page, 'Info').waitFor()
  await shot('01-cards')

  step('type a URL that is not http(s); wire Download › File Content → Info › File Content; save')
  const dl = card(page, 'Download')
  const urlInput = dl.getByTestId('input-URL').locator('input')
  await urlInput.click()
  await page.keyboard.type('ftp://127.0.0.1/report.pdf')
  await urlInput.press('Tab')
  const info = card(page, 'Info')
  await drag(page, dl.getByTestId('out-File Content'), info.getByTestId('input-File Content'))
  await info.getByTestId('input-File Content').getByTestId('binding-pill').waitFor()
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await shot('02-wired')

  step('reload: the saved wiring is still there')
  await page.reload()
  await card(page, 'Info').getByTestId('input-File Content').getByTestId('binding-pill').waitFor()

  step('run: the wrong URL fails, naming the card and the field')
  const { panel, bar } = await runNow(page)
  const failedText = await bar.textContent()
  assert.match(failedText, /failed/, `run status: ${failedText}`)
  assert.match(failedText, /in Download › URL/, 'the error names the card and the field')
  assert.match(failedText, /not an http:\/\/ or https:\/\/ URL/)
  // the failed card is the Download card, with the error on it
  await dl.getByText('failed', { exact: false }).first().waitFor()
  assert.match(await dl.textContent(), /Error in URL: "ftp:\/\/127\.0\.0\.1\/report\.pdf" is not an http/)
  await shot('03-wrong-url')

  step('type the loopback URL with the keyboard, save, run again')
  await urlInput.click()
  await urlInput.press('Control+a')
  await page.keyboard.type(fileURL)
  await urlInput.press('Tab')
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('Control+s')
  await page.getByTestId('dirty').filter({ hasText: /^Saved$/ }).waitFor()
  await page.getByTestId('run').click()
  await panel.waitFor()
  await panel.getByTestId('run-now').click()
  await bar.filter({ hasText: /success/ }).waitFor({ timeout: 20000 }).catch(async () => {
    throw new Error(`second run: ${await bar.textContent()}`)
  })
  await shot('04-ran')

  step('Test Info on its own: the form holds the file value of the run; the test reads the stored file')
  const ic = card(page, 'Info')
  await ic.getByRole('button', { name: 'Test Info' }).click()
  const tp = ic.getByRole('dialog', { name: 'Test Info' })
  await tp.waitFor()
  const testIn = tp.getByTestId('test-input-File Content').locator('input, textarea').first()
  assert.match(await testIn.inputValue(), /Q3 report\.pdf \(application\/pdf, 2027 bytes\) fbfile:[0-9a-f]{32}/)
  await tp.getByRole('button', { name: 'Run test' }).click()
  const testOut = tp.getByTestId('test-output-Filename')
  await testOut.waitFor()
  assert.match(await testOut.textContent(), /Q3 report\.pdf/)
  await shot('04b-test-info')
  await testIn.press('Escape')
  await tp.waitFor({ state: 'detached' })

  step('History: the file value (name, type, size) and Info, never the bytes')
  await openRunInHistory(page)
  const value = recordedOutput(card(page, 'Download'), 'File Content')
  await value.waitFor()
  const v = (await value.textContent()).trim()
  assert.match(v, /^"?Q3 report\.pdf \(application\/pdf, 2027 bytes\) fbfile:/, `file value: ${v}`)
  assert.match(await recordedOutput(card(page, 'Download'), 'Filename').textContent(), /Q3 report\.pdf/)
  assert.match(await recordedOutput(card(page, 'Download'), 'Size').textContent(), /2027/)
  const ih = card(page, 'Info')
  assert.match(await recordedOutput(ih, 'Filename').textContent(), /Q3 report\.pdf/)
  assert.match(await recordedOutput(ih, 'Extension').textContent(), /pdf/)
  assert.match(await recordedOutput(ih, 'Size').textContent(), /2027/)
  assert.match(await recordedOutput(ih, 'Content Type').textContent(), /application\/pdf/)
  assert.match(await recordedOutput(ih, 'Created').textContent(), /\d{4}-\d{2}-\d{2}T/)
  const body = await page.locator('body').textContent()
  assert.ok(!body.includes('SECRET-BYTES') && !body.includes('%PDF'), 'History shows no file bytes')
  await shot('05-history')

  step('the execution record (what History stores) holds no bytes either')
  const id = decodeURIComponent(new URL(page.url()).hash.split('/').pop() ?? '')
  const rec = await api(server, 'GetExecution', id)
  const recText = JSON.stringify(rec)
  assert.ok(recText.includes('fbfile:'), `record has the file value (id ${id}): ${recText.slice(0, 300)}`)
  assert.ok(!recText.includes('SECRET-BYTES'), 'record holds no file bytes')
  con.check()
  console.log('files: PASS')
} catch (e) {
  failed = true
  await reportFailure(e, server, shots, page)
}
files.close()
await finish(failed, browser, server)
