// @ts-check
// The danmaku overlay as the benchmark's workload (`npm run bench`, section "danmaku"): the
// livestream room with a lively feed (about three comments a second from a real WebSocket server
// on 127.0.0.1), the programme's render time per frame with danmaku on air against off air,
// interleaved in one page so machine noise lands on both arms alike. The governor is off so both
// arms render the programme at the same level (720p at 30 fps).
import { WebSocketServer } from 'ws'
import { percentile } from './frame-stats.mjs'

/**
 * @typedef {{ samplesPerArm: number, onMedianMs: number, onP90Ms: number, offMedianMs: number, offP90Ms: number, ratio: number, overlayMeanMs: number, overlayFrames: number, active: number }} DanmakuOverlayResult
 */

/** A feed of comments: a WebSocket server on an ephemeral loopback port, sending to whoever connects. */
async function startFeed() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise((resolve) => wss.once('listening', () => resolve(undefined)))
  const address = /** @type {import('node:net').AddressInfo} */ (wss.address())
  let sent = 0
  const timer = setInterval(() => {
    const text = `${sent % 2 ? '弹幕测试' : 'danmaku load'} #${sent} ${'·'.repeat(sent % 12)}`
    for (const c of wss.clients) c.send(JSON.stringify({ text, author: `v${sent % 9}` }))
    sent++
  }, 330)
  return {
    url: `ws://127.0.0.1:${address.port}/room`,
    async close() {
      clearInterval(timer)
      for (const c of wss.clients) c.terminate()
      await new Promise((resolve) => wss.close(() => resolve(undefined)))
    },
  }
}

/**
 * Opens the room, connects the feed through the page's danmaku panel (as a host would), waits for
 * busy lanes, then samples `frames` programme frames per arm per round.
 * @param {{ browser: import('@playwright/test').Browser, base: string, frames: number, rounds: number, log: (...parts: unknown[]) => void }} options
 * @returns {Promise<DanmakuOverlayResult>}
 */
export async function runDanmakuOverlay({ browser, base, frames, rounds, log }) {
  const feed = await startFeed()
  // Wide enough that the page panels are unfolded (they fold below 900×520).
  const context = await browser.newContext({ viewport: { width: 960, height: 540 } })
  const page = await context.newPage()
  try {
    await page.goto(`${base}/livestream?lang=en&governor=off`)
    await page.waitForFunction(() => /** @type {any} */ (window.lingjing?.snapshot())?.loading.phase === 'ready', null, { timeout: 300_000 })
    const panel = page.getByTestId('danmaku-panel')
    await panel.getByRole('textbox', { name: 'Feed address' }).fill(feed.url)
    await panel.getByRole('button', { name: 'Connect' }).click()
    /** @returns {Promise<any>} */
    const danmaku = () => page.evaluate(() => /** @type {any} */ (window.lingjing?.snapshot().broadcast).danmaku)
    const until = async (/** @type {(d: any) => boolean} */ ok, /** @type {string} */ what) => {
      let last = null
      for (const end = Date.now() + 180_000; Date.now() < end; await page.waitForTimeout(250)) if (ok((last = await danmaku()))) return
      const brief = { ...(last ?? {}) }
      delete brief.lanes
      throw new Error(`danmaku bench: timed out waiting for ${what}; last: ${JSON.stringify(brief)}`)
    }
    await until((d) => d.state === 'open', 'the feed to open')
    const onAir = panel.getByRole('checkbox', { name: 'Danmaku on air' })
    // The ungoverned 720p programme keeps this page's main thread busy: skip actionability waits.
    const setOnAir = (/** @type {boolean} */ on) => onAir.setChecked(on, { force: true, timeout: 120_000 })
    await setOnAir(true)
    await until((d) => d.active >= 12, 'twelve comments on screen')
    /** lastRenderMs of the next `n` programme frames, read in the page as each one lands. */
    const sample = (/** @type {number} */ n) =>
      page.evaluate(
        (count) =>
          new Promise((resolve) => {
            /** @type {number[]} */
            const out = []
            let last = -1
            const tick = () => {
              const p = /** @type {any} */ (window.lingjing?.snapshot().broadcast).programme
              if (last >= 0 && p.rendered !== last) out.push(p.lastRenderMs)
              last = p.rendered
              if (out.length >= count) resolve(out)
              else requestAnimationFrame(tick)
            }
            tick()
          }),
        n,
      )
    /** @type {{ on: number[], off: number[] }} */
    const arms = { on: [], off: [] }
    for (let round = 0; round < rounds; round++) {
      for (const arm of round % 2 ? /** @type {const} */ (['on', 'off']) : /** @type {const} */ (['off', 'on'])) {
        await setOnAir(arm === 'on')
        arms[arm].push(.../** @type {number[]} */ (await sample(frames)))
      }
      log(`danmaku: round ${round + 1}/${rounds}`)
    }
    const d = await danmaku()
    const onMedianMs = percentile(arms.on, 50)
    const offMedianMs = percentile(arms.off, 50)
    return {
      samplesPerArm: arms.on.length,
      onMedianMs,
      onP90Ms: percentile(arms.on, 90),
      offMedianMs,
      offP90Ms: percentile(arms.off, 90),
      ratio: onMedianMs / offMedianMs,
      overlayMeanMs: d.overlayMeanMs,
      overlayFrames: d.overlayFrames,
      active: d.active,
    }
  } finally {
    // The page goes first: once the feed is gone the app reconnects, and the browser logs each try.
    await context.close()
    await feed.close()
  }
}

/** @param {DanmakuOverlayResult} r */
export function reportDanmakuOverlay(r) {
  console.log('\ndanmaku overlay: programme render time per frame (lastRenderMs), on air against off air, interleaved in one page:')
  console.table({
    'on air': { 'median ms': r.onMedianMs.toFixed(2), 'p90 ms': r.onP90Ms.toFixed(2), frames: r.samplesPerArm },
    'off air': { 'median ms': r.offMedianMs.toFixed(2), 'p90 ms': r.offP90Ms.toFixed(2), frames: r.samplesPerArm },
  })
  console.log(`  on/off median ratio ${r.ratio.toFixed(2)}×; overlay pass alone ${r.overlayMeanMs} ms mean over ${r.overlayFrames} frames (${r.active} comments on screen at the end)`)
}
