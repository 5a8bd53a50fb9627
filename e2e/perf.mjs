// Figures for the designer (measured, not asserted): cold start of the
// server to an interactive canvas, opening a 200-card flow, frames per
// second while panning and while dragging a card, idle memory of the server
// process. Run: node e2e/perf.mjs (E2E_PERF=1 scripts/e2e.sh runs it too).
import { readFileSync } from 'node:fs'
import { api, launch, startServer, stopServer, tempDir } from './lib.mjs'

const N = Number(process.env.PERF_CARDS || 200)
const tStart = Date.now()
const server = await startServer(tempDir('flowbench-perf-'))
const browser = await launch()
const rss = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  // cold start: process start → designer of a small flow interactive
  const small = await api(server, 'CreateFlow', 'Perf small', 'Perf')
  await page.goto(`${server.url}#/flow/${small.id}`)
  await page.locator('.react-flow__node .card').first().waitFor()
  await waitLog(server, 'rendered designer')
  const cold = Date.now() - tStart

  // a 200-card flow: function cards chained by bindings
  const specs = await api(server, 'Cards')
  const fn = specs.find((s) => s.id === 'text.concat') ?? specs.find((s) => s.kind === 'function' && s.inputs.length >= 2 && s.outputs.length >= 1)
  const flow = await api(server, 'CreateFlow', `Perf ${N} cards`, 'Perf')
  flow.cards = []
  for (let i = 0; i < N; i++) {
    const inputs = fn.inputs.slice(0, 3).map((f, j) => (j === 0 && i > 0
      ? { key: f.key, from: { card: `c${i - 1}`, path: [fn.outputs[0].key] } }
      : { key: f.key, value: `v${i}` }))
    flow.cards.push({ id: `c${i}`, type: fn.id, title: `${fn.title} ${i + 1}`, inputs })
  }
  await api(server, 'SaveFlow', flow)
  const before = server.log().split('rendered designer').length
  const t0 = Date.now()
  await page.evaluate((id) => { location.hash = `/flow/${id}` }, flow.id)
  await page.locator('.react-flow__node [data-testid="card-' + fn.title + ' 1"]').waitFor()
  await waitLog(server, 'rendered designer', before)
  const open = Date.now() - t0
  const nodes = await page.locator('.react-flow__node').count()

  const fps = async (fnMove) => {
    await page.evaluate(() => {
      window.__frames = []
      const tick = (t) => { window.__frames.push(t); if (window.__frames.length < 100000 && !window.__stop) requestAnimationFrame(tick) }
      window.__stop = false
      requestAnimationFrame(tick)
    })
    await fnMove()
    return page.evaluate(() => {
      window.__stop = true
      const f = window.__frames
      const dts = f.slice(1).map((t, i) => t - f[i]).sort((a, b) => a - b)
      const secs = (f.at(-1) - f[0]) / 1000
      return { fps: (f.length - 1) / secs, p95FrameMs: dts[Math.floor(dts.length * 0.95)] }
    })
  }
  const pane = await page.locator('.react-flow__pane').boundingBox()
  const pan = await fps(async () => {
    // grab empty canvas below the cards, left of the minimap
    const x0 = pane.x + pane.width * 0.7, y0 = pane.y + pane.height - 40
    await page.mouse.move(x0, y0)
    await page.mouse.down()
    for (let i = 0; i < 120; i++) await page.mouse.move(x0 - i * 6, y0 - (i % 20))
    await page.mouse.up()
  })
  await page.waitForTimeout(300)
  const head = await page.locator('.react-flow__node .card:not(.trigger) > .card-head').nth(1).boundingBox()
  const dragCard = await fps(async () => {
    await page.mouse.move(head.x + 20, head.y + head.height / 2)
    await page.mouse.down()
    for (let i = 0; i < 120; i++) await page.mouse.move(head.x + 20 + i * 3, head.y + head.height / 2 + (i % 10))
    await page.mouse.up()
  })
  await page.waitForTimeout(3000)
  const mem = rss(server.proc.pid)
  const heap = await page.evaluate(() => (performance.memory ? performance.memory.usedJSHeapSize / 1048576 : null))
  const r = (x) => Math.round(x * 10) / 10
  console.log(JSON.stringify({
    coldStartToInteractiveMs: cold, serveStartMs: server.startMs, cards: N, openFlowMs: open, renderedNodes: nodes,
    panFps: r(pan.fps), panP95FrameMs: r(pan.p95FrameMs), dragCardFps: r(dragCard.fps), dragCardP95FrameMs: r(dragCard.p95FrameMs),
    serverIdleRssMiB: r(mem), pageJsHeapMiB: heap && r(heap),
  }, null, 2))
} finally {
  await browser.close()
  await stopServer(server)
}

async function waitLog(s, what, after = 0) {
  for (let i = 0; i < 300; i++) {
    if (s.log().split(what).length > Math.max(after, 1)) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`no "${what}" line`)
}
