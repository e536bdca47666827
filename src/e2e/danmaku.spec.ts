import { type Page } from '@playwright/test'
import { mkdirSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import type { DanmakuSnapshot } from '../runtime/broadcast/danmaku-station'
import { allowPageErrors, expect, test } from './fixtures'
import { acceptLinkRequests, openExperience, saveScreenshot, SCREENSHOT_DIR, snapshot } from './lingjing-page'

/** `snapshot().broadcast.danmaku`, as the app types it. */
type DanmakuSection = DanmakuSnapshot

async function levers(page: Page): Promise<string[]> {
  return (await snapshot(page)).frame.governor!.scalers.map((s) => s.id)
}

async function danmaku(page: Page): Promise<DanmakuSection> {
  return (await snapshot(page)).broadcast!.danmaku
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
 * Reads the programme output (the output target: what the monitor, the recorder and the live
 * encoder get) and, in the same task, the danmaku section, so the counters describe exactly the
 * programme frame whose pixels were read. Returns the pure-green pixels per 1280×720 (the governor
 * may render the programme smaller on a loaded machine) and the rows they are in.
 */
async function probeProgramme(page: Page, image = false): Promise<{ d: DanmakuSection; green: number; top: number; bottom: number; height: number; png?: string }> {
  return page.evaluate(async (withImage) => {
    const d = window.lingjing!.snapshot().broadcast!.danmaku
    const { width, height, data } = await window.lingjing!.readProgramme!()
    let png: string | undefined
    if (withImage) {
      const canvas = document.createElement('canvas')
      canvas.width = width
      canvas.height = height
      canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(data), width, height), 0, 0)
      png = canvas.toDataURL('image/png').split(',')[1]
    }
    let count = 0
    let top = height
    let bottom = -1
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4
        if (data[i + 1] > 170 && data[i] < 110 && data[i + 2] < 110) {
          count++
          top = Math.min(top, y)
          bottom = Math.max(bottom, y)
        }
      }
    }
    return { d, green: Math.round((count * 1280 * 720) / (width * height)), top, bottom, height, png }
  }, image)
}

/** Saves a probe's picture of the programme output (what a recording holds) under test-results/screenshots. */
function saveProgrammeImage(probe: { png?: string }, name: string): void {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  writeFileSync(`${SCREENSHOT_DIR}/${name}.png`, Buffer.from(probe.png!, 'base64'))
}

/** Waits for `count` more programme frames (the overlay is drawn inside them). */
async function programmeFrames(page: Page, count: number) {
  const start = (await snapshot(page)).broadcast!.programme.rendered
  await expect
    .poll(async () => (await snapshot(page)).broadcast!.programme.rendered - start, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(count)
}

test('comments from a WebSocket feed scroll across the programme output, and only while on air', async ({ page }) => {
  const feed = await startFeed()
  try {
    await openExperience(page, `/livestream?lang=en&governor=off&danmaku=${encodeURIComponent(feed.url)}`)
    await acceptLinkRequests(page, 'danmaku')
    await feed.connected
    await expect.poll(async () => (await danmaku(page)).state, { timeout: 30_000 }).toBe('open')
    const panel = page.getByTestId('danmaku-panel')
    await expect(panel.getByTestId('danmaku-state')).toHaveText('Connected')
    // With a feed connected, rasterising is a governed lever.
    expect(await levers(page)).toContain('danmaku-raster')
    await page.getByRole('button', { name: 'Switch view' }).click()
    const onAir = panel.getByRole('checkbox', { name: 'Danmaku on air' })
    const zh = ['主播好！来自海淀的问候', '天和核心舱什么时候开讲？', 'WebXR 太酷了']
    const en = ['Hello from Berlin!', 'The studio looks amazing', 'First time at the forum']
    const batch = (tag: string) => [...zh, ...en].map((t, i) => json(`${t} ${tag}`, { author: `viewer ${tag}${i}`, color: GREEN }))

    // Off air: the comments are received and laid out, but not drawn (nor rasterised).
    await onAir.uncheck()
    feed.send(...batch('A'))
    await expect.poll(async () => (await danmaku(page)).shown, { timeout: 30_000 }).toBe(6)
    // A programme frame in which several of them are inside the picture (they cross it in 7 s).
    let off: Awaited<ReturnType<typeof probeProgramme>> | null = null
    await expect
      .poll(async () => (off = await probeProgramme(page)).d.inside, { timeout: 60_000, intervals: [100] })
      .toBeGreaterThanOrEqual(3)
    expect(off!.green).toBe(0)
    expect(off!.d.rasterised).toBe(0)

    // On air: the next comments are in the picture.
    await onAir.check()
    feed.send(...batch('B'))
    await expect.poll(async () => (await danmaku(page)).shown, { timeout: 30_000 }).toBe(12)
    let on: Awaited<ReturnType<typeof probeProgramme>> | null = null
    await expect
      .poll(async () => (on = await probeProgramme(page, true)).d.inside, { timeout: 60_000, intervals: [100] })
      .toBeGreaterThanOrEqual(3)
    const d = on!.d
    saveProgrammeImage(on!, 'danmaku-programme-green')
    console.log(`green pixels per 720p frame in the programme output: off air ${JSON.stringify({ ...off!, d: undefined })} with ${off!.d.inside} wholly in the picture; on air ${JSON.stringify({ ...on!, d: undefined, png: undefined })}; ${JSON.stringify(d)}`)
    // Three or more lines of pure green text wholly in the picture (a 4 px black outline around each glyph).
    expect(on!.d.drawn).toBeGreaterThanOrEqual(3)
    expect(on!.green).toBeGreaterThan(1500)
    // In the lanes: the upper half of the picture, the host's face stays clear.
    expect(on!.bottom).toBeLessThan(on!.height / 2)
    // Each message rasterised once: at most the twelve sent, and only those drawn since.
    expect(d.rasterised).toBeGreaterThanOrEqual(d.drawn)
    expect(d.rasterised).toBeLessThanOrEqual(12)
    await expect(page.getByTestId('danmaku-recent')).toContainText('First time at the forum B')

    // Normal white comments too, for the picture.
    feed.send(json('前方高能 🚀', { author: 'a' }), json('First time watching an XR stream', { author: 'b' }), json('机位切换好丝滑', { author: 'c', color: '#ffd54f' }), json('Hello from Berlin! 👋', { author: 'd' }))
    await expect.poll(async () => (await danmaku(page)).rasterised, { timeout: 60_000 }).toBeGreaterThanOrEqual(d.rasterised + 4)
    // For the picture only (not asserted): let them move well into it.
    await page.waitForTimeout(2000)
    let white: Awaited<ReturnType<typeof probeProgramme>> | null = null
    await expect.poll(async () => (white = await probeProgramme(page, true)).d.inside, { timeout: 60_000, intervals: [200] }).toBeGreaterThanOrEqual(3)
    saveProgrammeImage(white!, 'danmaku-programme-output')
    await saveScreenshot(page, 'danmaku-monitor')
    expect((await snapshot(page)).errors).toEqual([])
  } finally {
    // The page goes first: once the feed is gone the app reconnects, and the browser logs each try.
    await page.close()
    await feed.close()
  }
})

test('markup stays text, a flood is dropped by the rate limit, a long line is cut, bad frames are counted', async ({ page }) => {
  const feed = await startFeed()
  try {
    await openExperience(page, `/livestream?lang=en&danmaku=${encodeURIComponent(feed.url)}`)
    await acceptLinkRequests(page, 'danmaku')
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
    expect((await snapshot(page)).frame.frames).toBeGreaterThan(framesBefore)
    await expect.poll(async () => (await danmaku(page)).shown - before.shown, { timeout: 30_000 }).toBe(accepted - (after.dropped.queue - before.dropped.queue))
    expect((await snapshot(page)).errors).toEqual([])
  } finally {
    // The page goes first: once the feed is gone the app reconnects, and the browser logs each try.
    await page.close()
    await feed.close()
  }
})

test('the demo feed of the preview server delivers comments; a feed that never answers is reported', async ({ page }) => {
  allowPageErrors('a feed that never answers is configured on purpose')
  await openExperience(page, '/livestream?lang=en&danmaku=demo')
  await acceptLinkRequests(page, 'danmaku')
  await expect.poll(async () => (await danmaku(page)).state, { timeout: 30_000 }).toBe('open')
  const start = await danmaku(page)
  expect(start.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/danmaku\/demo$/)
  await expect.poll(async () => (await danmaku(page)).shown, { timeout: 30_000 }).toBeGreaterThanOrEqual(3)
  const d = await danmaku(page)
  expect(d.dropped.malformed).toBe(0)
  expect(d.recent.length).toBeGreaterThan(0)

  // A static host has no demo server: the panel says so, and the error list too.
  const panel = page.getByTestId('danmaku-panel')
  expect(await levers(page)).toContain('danmaku-raster')
  await panel.getByRole('button', { name: 'Disconnect' }).click()
  await expect(panel.getByTestId('danmaku-state')).toHaveText('Off')
  await expect.poll(() => levers(page)).not.toContain('danmaku-raster')
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

const motion = async (page: Page) => (await snapshot(page)).avatar!.motion

test('a viewer\'s !wave through the feed makes the host wave; the same viewer again within 20 s does not, another viewer does', async ({ page }) => {
  const feed = await startFeed()
  try {
    await openExperience(page, `/livestream?lang=en&danmaku=${encodeURIComponent(feed.url)}`)
    await acceptLinkRequests(page, 'danmaku')
    await feed.connected
    await expect.poll(async () => (await danmaku(page)).state, { timeout: 30_000 }).toBe('open')
    await expect.poll(async () => (await motion(page))?.emotes, { timeout: 30_000 }).toContain('wave')

    // Not allowed yet: a viewer's command is refused. Then the host allows !wave in the panel (the
    // panel runs past the bottom edge of the viewport: the checkbox gets its click directly).
    feed.send(json('!wave', { author: 'early' }))
    await expect.poll(async () => (await motion(page))?.commands.refused, { timeout: 30_000 }).toBe(1)
    await page.getByTestId('livestream-controls').getByLabel('!wave').dispatchEvent('click')
    await expect.poll(async () => (await motion(page))?.allowed).toEqual(['wave'])

    const played = (await motion(page))!.played
    feed.send(json('!wave', { author: 'viewer-1' }))
    await expect.poll(async () => (await motion(page))?.emote, { timeout: 30_000 }).toBe('wave')
    const accepted = Date.now()
    expect((await motion(page))!.played).toBe(played + 1)
    await expect.poll(async () => (await motion(page))?.emote, { timeout: 20_000 }).toBeNull()

    // Past the 4 s overall cooldown, inside viewer-1's 20 s: their 挥手 arrives and is refused.
    await page.waitForTimeout(Math.max(0, 5000 - (Date.now() - accepted)))
    feed.send(json('！挥手', { author: 'viewer-1' }))
    await expect.poll(async () => (await motion(page))?.commands.refused, { timeout: 30_000 }).toBe(2)
    expect(await motion(page)).toMatchObject({ emote: null, played: played + 1, commands: { accepted: 1 } })
    // The refusal was viewer-1's cooldown: another viewer's !wave is taken at once.
    feed.send(json('!wave', { author: 'viewer-2' }))
    await expect.poll(async () => (await motion(page))?.commands.accepted, { timeout: 30_000 }).toBe(2)
    expect((await motion(page))!.played).toBe(played + 2)
    // Nothing went wrong on the way.
    expect((await snapshot(page)).errors).toEqual([])
  } finally {
    await page.close()
    await feed.close()
  }
})
