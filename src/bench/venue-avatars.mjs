// `npm run bench:avatars`: the client's frame cost of remote visitors. Builds the app, serves it
// with `vite preview` (which embeds the venue server), opens the hub in VR through the emulator
// in headless Chromium (SwiftShader), then lets 0, 1, 10 and 30 real network visitors (colyseus.js
// bots in this Node process, each sending a head-and-hands pose at 20 Hz, standing in front of
// the viewer) join the same room. For each count it waits a full metrics window (600 frames) and
// prints the frame cost p50/p95 and the input phase p95 (where remote poses are picked up and
// interpolated). The governor is off so nothing is hidden. Compare counts, not absolutes: there
// is no GPU here. Options: --counts 0,1,10,30 --port 4263.
import { chromium } from '@playwright/test'
import { Client } from 'colyseus.js'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, preview } from 'vite'
import { CHROMIUM_ARGS, resolveChromium } from '../tools/browser.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const args = process.argv.slice(2)
const argValue = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback
}
const COUNTS = argValue('--counts', '0,1,10,30').split(',').map(Number)
const PORT = Number(argValue('--port', '4263'))
const WINDOW = 600
const log = (...p) => console.log('[avatars]', ...p)

await build({ root: resolve(root, 'src'), configFile: resolve(root, 'vite.config.ts'), logLevel: 'warn' })
const server = await preview({ configFile: resolve(root, 'vite.config.ts'), preview: { port: PORT, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' })
const base = `http://127.0.0.1:${PORT}`
const browser = await chromium.launch({ executablePath: resolveChromium(), args: [...CHROMIUM_ARGS, '--disable-frame-rate-limit', '--disable-gpu-vsync'] })
const bots = []
let timer = null
const results = []
try {
  const context = await browser.newContext({ viewport: { width: 320, height: 180 } })
  const page = await context.newPage()
  await page.goto(`${base}/?lang=en&governor=off&name=viewer`)
  await page.waitForFunction(() => window.lingjing?.snapshot().loading.phase === 'ready', null, { timeout: 120_000 })
  await page.getByRole('button', { name: 'Enter VR' }).click()
  await page.waitForFunction(() => window.lingjing.snapshot().xr.presenting && window.lingjing.snapshot().venue?.state === 'online', null, { timeout: 60_000 })
  let tick = 0
  timer = setInterval(() => {
    tick++
    bots.forEach((room, i) => {
      // In a ring 2–4 m in front of the viewer, heads bobbing and hands waving: every pose changes.
      const a = (i / Math.max(1, bots.length)) * Math.PI - Math.PI
      const r = 2 + (i % 3)
      const x = Math.cos(a) * r
      const z = Math.sin(a) * r
      const t = tick / 20 + i
      const y = 1.6 + Math.sin(t) * 0.05
      const mm = (v) => Math.round(v * 1000)
      room.send('pose', [mm(x), mm(y), mm(z), 0, 0, 0, 32767, mm(x - 0.3), mm(1.1 + Math.sin(t * 3) * 0.2), mm(z), 0, 0, 0, 32767, mm(x + 0.3), mm(1.1 + Math.cos(t * 3) * 0.2), mm(z), 0, 0, 0, 32767])
    })
  }, 50)
  for (const count of COUNTS) {
    while (bots.length < count) bots.push(await new Client(`${base}/venue`).joinOrCreate('venue', { name: `bot ${bots.length}` }))
    while (bots.length > count) await bots.pop().leave(true)
    await page.waitForFunction((n) => window.lingjing.snapshot().venue.peers.filter((p) => p.lastUpdateMs >= 0).length === n, count, { timeout: 60_000 })
    const start = await page.evaluate(() => window.lingjing.snapshot().frame.frames)
    await page.waitForFunction((t) => window.lingjing.snapshot().frame.frames >= t, start + WINDOW, { timeout: 600_000, polling: 500 })
    const f = await page.evaluate(() => window.lingjing.snapshot().frame)
    const row = { remoteVisitors: count, p50Ms: +f.p50Ms.toFixed(2), p95Ms: +f.p95Ms.toFixed(2), meanMs: +f.meanMs.toFixed(2), inputPhaseP95Ms: +f.phaseP95Ms.input.toFixed(3), renderPhaseP95Ms: +f.phaseP95Ms.render.toFixed(2) }
    results.push(row)
    log(JSON.stringify(row))
  }
  await context.close()
} finally {
  if (timer) clearInterval(timer)
  for (const b of bots) await b.leave(true).catch(() => {})
  await browser.close()
  await new Promise((r) => server.httpServer.close(r))
}
console.table(results)
process.exit(0)
