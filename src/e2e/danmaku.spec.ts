import { expect, test, type Page } from '@playwright/test'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { openExperience, saveScreenshot, snapshot, trackPageErrors } from './lingjing-page'

/** `snapshot().broadcast.danmaku` (src/scene/broadcast/danmaku-station.ts). */
interface DanmakuSection {
  state: string
  url: string | null
  error: string | null
  onAir: boolean
  shown: number
  active: number
  pending: number
  received: number
  dropped: { rate: number; malformed: number; queue: number }
  truncated: number
  lanes: number
  rasterised: number
  drawn: number
  overlayMs: number
  overlayMeanMs: number
  overlayFrames: number
  recent: string[]
}

async function danmaku(page: Page): Promise<DanmakuSection> {
  return ((await snapshot(page)).broadcast as { danmaku: DanmakuSection }).danmaku
}

/** A feed owned by the test: a real WebSocket server on an ephemeral loopback port. */
async function startFeed() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  const port = (wss.address() as AddressInfo).port
  let client: WebSocket | null = null
  const connected = new Promise<WebSocket>((resolve) =>
    wss.on('connection', (ws) => {
      client = ws
      resolve(ws)
    }),
  )
  return {
    url: `ws://127.0.0.1:${port}/room`,
    connected,
    send(...frames: string[]) {
      if (!client) throw new Error('no client connected to the test feed')
      for (const f of frames) client.send(f)
    },
    async close() {
      for (const c of wss.clients) c.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    },
  }
}

const json = (text: string, extra: Record<string, string> = {}) => JSON.stringify({ text, ...extra })
/** Saturated green never occurs in the studio: a danmaku in it is easy to count on the monitor. */
const GREEN = '#00ff00'

/**
 * Pure-green pixels on the programme monitor, read from a screenshot of the page with the DOM
 * overlays hidden (the panel lists the same comments in the same colour) and the desktop view on
 * the monitor.
 */
async function greenOnMonitor(page: Page, name: string): Promise<number> {
  // Everything but the canvas hidden (a visible child of a hidden parent still shows).
  const style = await page.addStyleTag({ content: 'body * { visibility: hidden !important; } canvas { visibility: visible !important; }' })
  const png = await saveScreenshot(page, name)
  await style.evaluate((el) => (el as Element).remove())
  return page.evaluate(async (base64) => {
    const image = new Image()
    image.src = `data:image/png;base64,${base64}`
    await image.decode()
    const canvas = document.createElement('canvas')
    canvas.width = image.width
    canvas.height = image.height
    const ctx = canvas.getContext('2d')!
    ctx.drawImage(image, 0, 0)
    const data = ctx.getImageData(0, 0, image.width, image.height).data
    let n = 0
    for (let i = 0; i < data.length; i += 4) if (data[i + 1] > 170 && data[i] < 110 && data[i + 2] < 110) n++
    return n
  }, png.toString('base64'))
}

/** Waits for `count` more programme frames (the overlay is drawn inside them). */
async function programmeFrames(page: Page, count: number) {
  const start = ((await snapshot(page)).broadcast as { programme: { rendered: number } }).programme.rendered
  await expect
    .poll(async () => ((await snapshot(page)).broadcast as { programme: { rendered: number } }).programme.rendered - start, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(count)
}

test('comments from a WebSocket feed scroll across the programme output, and only while on air', async ({ page }) => {
  const errors = trackPageErrors(page)
  const feed = await startFeed()
  try {
    await openExperience(page, `/livestream?lang=en&danmaku=${encodeURIComponent(feed.url)}`)
    await feed.connected
    await expect.poll(async () => (await danmaku(page)).state, { timeout: 30_000 }).toBe('open')
    const panel = page.getByTestId('danmaku-panel')
    await expect(panel.getByTestId('danmaku-state')).toHaveText('Connected')
    await page.getByRole('button', { name: 'Switch view' }).click()

    // Off air first: the same comments are received and laid out, but not drawn.
    await panel.getByRole('checkbox', { name: 'Danmaku on air' }).uncheck()
    const comments = ['主播好！来自海淀的问候', 'Hello from Berlin!', '天和核心舱什么时候开讲？', 'The studio looks amazing', '灵境 = VR', 'WebXR 太酷了']
    feed.send(...comments.map((t, i) => json(t, { author: `viewer ${i}`, color: GREEN })))
    await expect.poll(async () => (await danmaku(page)).shown, { timeout: 30_000 }).toBe(comments.length)
    await expect.poll(async () => (await danmaku(page)).active).toBe(comments.length)
    // Let them scroll into the picture (7 s to cross it), then read the monitor.
    await page.waitForTimeout(2500)
    await programmeFrames(page, 3)
    const off = await greenOnMonitor(page, 'danmaku-off-air')
    expect((await danmaku(page)).rasterised).toBe(0)

    await panel.getByRole('checkbox', { name: 'Danmaku on air' }).check()
    await programmeFrames(page, 3)
    const on = await greenOnMonitor(page, 'danmaku-on-air')
    const d = await danmaku(page)
    console.log(`green pixels on the monitor: off air ${off}, on air ${on}; ${JSON.stringify(d)}`)
    expect(off).toBeLessThan(50)
    expect(on).toBeGreaterThan(off + 400)
    // Each on-screen message was rasterised once, and all of them are drawn.
    expect(d.rasterised).toBe(comments.length)
    expect(d.drawn).toBeGreaterThan(0)
    await expect(page.getByTestId('danmaku-recent')).toContainText('The studio looks amazing')
    await expect(page.getByTestId('danmaku-recent')).toContainText('WebXR 太酷了')

    // Normal white comments too, for the picture.
    feed.send(json('前方高能 🚀', { author: 'a' }), json('First time watching an XR stream', { author: 'b' }), json('机位切换好丝滑', { author: 'c', color: '#ffd54f' }))
    await page.waitForTimeout(1500)
    await programmeFrames(page, 2)
    await saveScreenshot(page, 'danmaku-monitor')
    expect((await snapshot(page)).errors).toEqual([])
    expect(errors).toEqual([])
  } finally {
    await feed.close()
  }
})

test('markup stays text, a flood is dropped by the rate limit, a long line is cut, bad frames are counted', async ({ page }) => {
  const errors = trackPageErrors(page)
  const feed = await startFeed()
  try {
    await openExperience(page, `/livestream?lang=en&danmaku=${encodeURIComponent(feed.url)}`)
    await feed.connected
    await expect.poll(async () => (await danmaku(page)).state, { timeout: 30_000 }).toBe('open')

    // (b) HTML and script payloads: shown as the characters they are, nothing parsed or run.
    const img = '<img src=x onerror="window.__pwned=1">'
    const script = '<script>window.__pwned=2</script>'
    feed.send(json(img, { author: '<b>mallory</b>' }), script, json('<svg onload=window.__pwned=3>'))
    await expect.poll(async () => (await danmaku(page)).shown, { timeout: 30_000 }).toBe(3)
    const recent = page.getByTestId('danmaku-recent')
    await expect(recent).toContainText(img)
    await expect(recent).toContainText(script)
    await expect(recent).toContainText('<b>mallory</b>:')
    const dom = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      img: document.querySelectorAll('img[src="x"]').length,
      svg: document.querySelectorAll('svg[onload]').length,
      bold: document.querySelectorAll('[data-testid="danmaku-recent"] b').length,
      scripts: [...document.scripts].filter((s) => s.textContent?.includes('__pwned')).length,
    }))
    expect(dom).toEqual({ pwned: undefined, img: 0, svg: 0, bold: 0, scripts: 0 })

    // (d) An over-long message is cut to 40 graphemes with an ellipsis.
    const long = '这是一条非常非常长的弹幕'.repeat(10) // 120 characters
    feed.send(json(long, { author: 'long' }))
    await expect.poll(async () => (await danmaku(page)).truncated, { timeout: 30_000 }).toBe(1)
    const cut = (await danmaku(page)).recent.at(-1)!
    expect([...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(cut)]).toHaveLength(40)
    expect(cut).toBe(`${long.slice(0, 39)}…`)

    // Malformed frames are counted, never thrown.
    feed.send('{"text": ', '{"text": 42}', '{"author":"x"}', '\u0000\u202e\n')
    await expect.poll(async () => (await danmaku(page)).dropped.malformed, { timeout: 30_000 }).toBe(4)

    // (c) A flood of 200 in one burst, after the bucket has refilled: most are dropped and counted.
    await page.waitForTimeout(2500)
    const before = await danmaku(page)
    const framesBefore = (await snapshot(page)).frame.frames
    feed.send(...Array.from({ length: 200 }, (_, i) => `flood ${i}`))
    await expect.poll(async () => (await danmaku(page)).received - before.received, { timeout: 30_000 }).toBe(200)
    const after = await danmaku(page)
    const accepted = 200 - (after.dropped.rate - before.dropped.rate)
    console.log(`flood: ${accepted} of 200 accepted, ${after.dropped.rate - before.dropped.rate} dropped by rate, ${after.dropped.queue} by queue; ${JSON.stringify(after)}`)
    expect(after.dropped.rate - before.dropped.rate).toBeGreaterThanOrEqual(180)
    expect(accepted).toBeGreaterThanOrEqual(8)
    expect(after.pending + after.active).toBeLessThanOrEqual(16 + 64)
    // The frame loop kept going, and so did the programme.
    await programmeFrames(page, 3)
    expect((await snapshot(page)).frame.frames).toBeGreaterThan(framesBefore + 10)
    await expect.poll(async () => (await danmaku(page)).shown - before.shown, { timeout: 30_000 }).toBe(accepted - (after.dropped.queue - before.dropped.queue))
    expect((await snapshot(page)).errors).toEqual([])
    expect(errors).toEqual([])
  } finally {
    await feed.close()
  }
})

test('the demo feed of the preview server delivers comments; a feed that never answers is reported', async ({ page }) => {
  await openExperience(page, '/livestream?lang=en&danmaku=demo')
  await expect.poll(async () => (await danmaku(page)).state, { timeout: 30_000 }).toBe('open')
  const start = await danmaku(page)
  expect(start.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/danmaku\/demo$/)
  await expect.poll(async () => (await danmaku(page)).shown, { timeout: 30_000 }).toBeGreaterThanOrEqual(3)
  const d = await danmaku(page)
  expect(d.dropped.malformed).toBe(0)
  expect(d.recent.length).toBeGreaterThan(0)

  // A static host has no demo server: the panel says so, and the error list too.
  const panel = page.getByTestId('danmaku-panel')
  await panel.getByRole('button', { name: 'Disconnect' }).click()
  await expect(panel.getByTestId('danmaku-state')).toHaveText('Off')
  await panel.getByRole('textbox', { name: 'Feed address' }).fill('ws://127.0.0.1:9/nobody')
  await panel.getByRole('button', { name: 'Connect' }).click()
  await expect.poll(async () => (await danmaku(page)).state, { timeout: 60_000 }).toBe('error')
  await expect(panel.getByTestId('danmaku-error')).toContainText('No server answered at this address')
  expect((await snapshot(page)).errors.some((e) => e.startsWith('danmaku-feed-unreachable'))).toBe(true)

  // A bad address never reaches the socket.
  await panel.getByRole('textbox', { name: 'Feed address' }).fill('javascript:alert(1)')
  await panel.getByRole('button', { name: 'Connect' }).click()
  await expect(panel.getByRole('alert').filter({ hasText: 'Not a valid address' })).toBeVisible()
  await saveScreenshot(page, 'danmaku-panel-errors')
})

test('overlay cost per programme frame, with and without danmaku on air (figures, not asserted)', async ({ page }) => {
  const feed = await startFeed()
  try {
    await openExperience(page, `/livestream?lang=en&danmaku=${encodeURIComponent(feed.url)}`)
    await feed.connected
    await expect.poll(async () => (await danmaku(page)).state, { timeout: 30_000 }).toBe('open')
    // Keep the lanes busy: about three a second, as in a lively room.
    let i = 0
    const timer = setInterval(() => feed.send(json(`${i % 2 ? '弹幕测试' : 'danmaku load'} #${i++} ${'·'.repeat(i % 12)}`, { author: `v${i % 9}` })), 330)
    const checkbox = page.getByTestId('danmaku-panel').getByRole('checkbox', { name: 'Danmaku on air' })
    try {
      await expect.poll(async () => (await danmaku(page)).active, { timeout: 60_000 }).toBeGreaterThanOrEqual(12)
      /** lastRenderMs of the next `n` programme frames, read in the page as each one lands. */
      const sample = (n: number) =>
        page.evaluate(
          (count) =>
            new Promise<number[]>((resolve) => {
              const out: number[] = []
              let last = -1
              const tick = () => {
                const p = (window.lingjing!.snapshot().broadcast as { programme: { rendered: number; lastRenderMs: number } }).programme
                if (last >= 0 && p.rendered !== last) out.push(p.lastRenderMs)
                last = p.rendered
                if (out.length >= count) resolve(out)
                else requestAnimationFrame(tick)
              }
              tick()
            }),
          n,
        )
      const arms: Record<'on' | 'off', number[]> = { on: [], off: [] }
      for (let round = 0; round < 3; round++) {
        for (const arm of ['off', 'on'] as const) {
          if (arm === 'on') await checkbox.check()
          else await checkbox.uncheck()
          arms[arm].push(...(await sample(40)))
        }
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
      const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]
      const d = await danmaku(page)
      console.log(
        `programme lastRenderMs over ${arms.on.length} frames per arm: on air median ${median(arms.on).toFixed(2)} p90 ${p90(arms.on).toFixed(2)}; off air median ${median(arms.off).toFixed(2)} p90 ${p90(arms.off).toFixed(2)}; overlay alone mean ${d.overlayMeanMs} ms over ${d.overlayFrames} frames (active ${d.active}, drawn ${d.drawn}, rasterised ${d.rasterised})`,
      )
      expect(arms.on.length).toBe(120)
      expect(d.overlayFrames).toBeGreaterThan(100)
    } finally {
      clearInterval(timer)
    }
  } finally {
    await feed.close()
  }
})
