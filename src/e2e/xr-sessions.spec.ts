import { type Page } from '@playwright/test'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInputSnapshot } from '../core/input/input-snapshot'
import type { DiagnosticsSnapshot } from '../core/diagnostics/diagnostics'
import type { Recording } from '../core/replay/recording-format'
import { createReplayPlayer } from '../core/replay/replay-player'
import { createSyntheticRecording } from '../core/replay/synthetic-session'
import { validateRecording } from '../core/replay/validate-recording'
import { PORTAL_TO_TIANHE, type ShippedSessionMeta } from '../tools/make-synthetic-sessions'
import { allowPageErrors, expect, test } from './fixtures'
import { enterXR, openExperience, REPLAY_VIEWPORT, replayPath, SCENE_VIEWPORT, saveScreenshot, snapshot, waitFrames } from './lingjing-page'
import { downloadTake, recorderSection, takePortalToTianhe } from './session-takes'

const ROOT = process.cwd()

// The recorder bar and the replay timeline: below 1150 px wide the bar drops into the page flow,
// where the emulator's full-page canvas covers it. The shipped-session replays use REPLAY_VIEWPORT.
test.use({ viewport: { width: 1280, height: 720 } })

/** Viewport of the shipped-session replays (see there); LINGJING_REPLAY_VIEWPORT=WxH overrides it to compare. */
const SHIPPED_REPLAY_VIEWPORT = process.env.LINGJING_REPLAY_VIEWPORT ? parseViewport(process.env.LINGJING_REPLAY_VIEWPORT) : REPLAY_VIEWPORT

function parseViewport(text: string): { width: number; height: number } {
  const [width, height] = text.split('x').map(Number)
  return { width, height }
}

interface ReplaySection {
  name: string | null
  status: string
  mode?: string
  phase?: string
  frame?: number
  frameCount?: number
  ended?: boolean
  stateHash?: string
  inputHash?: string
  code?: string
  message?: string
}

async function replaySection(page: Page): Promise<ReplaySection> {
  return (await snapshot(page)).replay
}

/** Serves `text` at /xr-sessions/NAME.json for this page only. */
async function serveRecording(page: Page, name: string, text: string): Promise<void> {
  await page.route(`**/xr-sessions/${name}.json`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: text }))
}

/**
 * Drawing sets a replay's pace on the software rasteriser, and these checks read state: replays here
 * draw one recorded frame in FAST_FORWARD. One session is also replayed drawing every frame, to the
 * same end state (the TWICE test below). Measured on a two-core runner (cargo-transfer at 480×270):
 * 91 ms a frame drawing 1 in 8, 73 ms drawing 1 in 16; 59 ms at 320×180.
 */
const FAST_FORWARD = 16

/** Opens a deterministic replay (drawing one frame in `drawEvery`) and waits until its last frame was handed out. */
async function replayToEnd(page: Page, name: string, timeout = 120_000, drawEvery = FAST_FORWARD): Promise<{ replay: ReplaySection; snap: Awaited<ReturnType<typeof snapshot>> }> {
  await page.goto(replayPath(name, drawEvery))
  await page.waitForFunction(() => window.lingjing?.snapshot().replay, null, { timeout: 60_000 })
  await expect.poll(async () => (await replaySection(page)).ended, { timeout }).toBe(true)
  // After the end the clock stands still: the hash must not move any more.
  await waitFrames(page, 10)
  const snap = await snapshot(page)
  return { replay: snap.replay, snap }
}

test('a session recorded in the emulator replays in fresh pages with the same end state hash', async ({ page, context }) => {
  test.setTimeout(300_000)
  // Driven frame by frame, so its time is the software rasteriser's (the Save button is pressed directly).
  await page.setViewportSize(SCENE_VIEWPORT)
  const { recording, inputHash } = await takePortalToTianhe(page)
  const text = JSON.stringify(recording)
  const runs: ReplaySection[] = []
  for (let run = 0; run < 2; run++) {
    // A page of the test's context: the fixture watches it for errors too.
    const fresh = await context.newPage()
    await fresh.setViewportSize(REPLAY_VIEWPORT)
    await serveRecording(fresh, 'e2e/emulator-take', text)
    // Two fast-forwards that draw different frames (every 16th, every 3rd) must end in the same state.
    const { replay, snap } = await replayToEnd(fresh, 'e2e/emulator-take', 120_000, run === 0 ? FAST_FORWARD : 3)
    expect(replay).toMatchObject({ name: 'e2e/emulator-take', mode: 'deterministic', frame: recording.frames.length - 1, frameCount: recording.frames.length, ended: true })
    // Exactly the recorded frames were handed out, and the replay reproduces the outcome.
    expect(replay.inputHash).toBe(inputHash)
    expect(snap.experience).toBe('tianhe')
    expect((await replaySection(fresh)).stateHash).toBe(replay.stateHash)
    runs.push(replay)
    await fresh.close()
  }
  expect(runs[1].stateHash).toBe(runs[0].stateHash)
  expect(runs[0].stateHash).toMatch(/^[0-9a-f]{8}$/)

})

/** Every `*.meta.json` under xr-sessions/, found on disk so a new session is tested without edits here. */
function shippedSessions(): { name: string; meta: ShippedSessionMeta }[] {
  const dir = join(ROOT, 'xr-sessions')
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.meta.json'))
    .sort()
    .map((file) => ({ name: file.replace(/\\/g, '/').replace(/\.meta\.json$/, ''), meta: JSON.parse(readFileSync(join(dir, file), 'utf8')) as ShippedSessionMeta }))
}

/**
 * The shortest shipped Tianhe session replays a second time in a fresh page, drawing every frame
 * this time: the same frames, clock and starting state must leave the same module, to the last
 * digit, whether 1 frame in 16 was drawn or all of them (the Tianhe state is the richest).
 */
const TWICE = shippedSessions()
  .filter(({ name }) => name.startsWith('tianhe/'))
  .map(({ name }) => ({ name, frames: (JSON.parse(readFileSync(join(ROOT, 'xr-sessions', `${name}.json`), 'utf8')) as Recording).frames.length }))
  .sort((a, b) => a.frames - b.frames)[0]?.name

/** What a Tianhe replay leaves behind: its hash, the task list and the module's physical state. */
function tianheEnd(snap: DiagnosticsSnapshot): unknown {
  const t = snap.tianhe!
  return { hash: snap.replay.stateHash, tasks: snap.tasks, tianhe: { origin: t.origin, head: t.head, world: t.world, arm: t.arm, items: t.items } }
}

// One test per shipped session (a failure names the session); each replays in a fresh page. The
// checks read state, not pixels: a small viewport lets the software rasteriser, which sets the pace
// of a deterministic replay (one recorded frame per rendered frame), go several times faster.
test.describe('shipped sessions', () => {
  test.use({ viewport: SHIPPED_REPLAY_VIEWPORT })
  for (const { name, meta } of shippedSessions()) {
    const twice = name === TWICE
    test(`shipped session ${name} is valid, replays${twice ? ' twice to the same end state' : ''}, and its expected outcome holds`, async ({ page, context }) => {
      const text = readFileSync(join(ROOT, 'xr-sessions', `${name}.json`), 'utf8')
      const checked = validateRecording(text)
      expect(checked.ok, name).toBe(true)
      if (!checked.ok) return
      expect(checked.recording.meta).toMatchObject({ synthetic: meta.synthetic, experience: meta.experience, device: meta.device })
      // A replay hands out one recorded frame per app frame: allow a minute to load and enter VR plus
      // up to 1 s per frame (a loaded two-core runner renders a few frames a second).
      const budget = 60_000 + 1_000 * checked.recording.frames.length
      test.setTimeout((twice ? 2 : 1) * budget + 30_000)
      const started = Date.now()
      const { replay, snap } = await replayToEnd(page, name, budget)
      console.log(`${name}: ${checked.recording.frames.length} frames replayed in ${((Date.now() - started) / 1000).toFixed(1)} s`)
      expect(replay, name).toMatchObject({ name, ended: true, frameCount: checked.recording.frames.length })
      expect(snap, name).toMatchObject(meta.expected.snapshot)
      expect(snap.frame.drawsSkipped, 'the replay was fast-forwarded').toBeGreaterThan(checked.recording.frames.length / 2)
      if (twice) {
        const again = await replayToEnd(await context.newPage(), name, budget, 1)
        expect(again.snap.frame.drawsSkipped).toBe(0)
        expect(again.snap, name).toMatchObject(meta.expected.snapshot)
        expect(tianheEnd(again.snap)).toEqual(tianheEnd(snap))
      }
    })
  }
})

test('xr-sessions/ ships sessions, each with its metadata', () => {
  expect(shippedSessions().length).toBeGreaterThan(0)
})

test('broken recordings are refused with a specific visible message, and the app keeps running', async ({ page }) => {
  test.setTimeout(240_000)
  const good = readFileSync(join(ROOT, 'xr-sessions', `${PORTAL_TO_TIANHE.name}.json`), 'utf8')
  const parsed = JSON.parse(good) as Recording
  const badQuaternion = structuredClone(parsed)
  ;(badQuaternion.frames[0] as number[])[9] = 30_000 // head qw of a keyframe: |q| ≈ 3
  const broken: Record<string, string> = {
    'not-json': '{ "format": "lingjing-xr-session", oops }',
    truncated: good.slice(0, Math.floor(good.length / 2)),
    'unknown-version': JSON.stringify({ ...parsed, version: 3 }),
    'bad-quaternion': JSON.stringify(badQuaternion),
  }
  for (const [code, text] of Object.entries(broken)) {
    const expected = validateRecording(text)
    expect(expected.ok).toBe(false)
    if (expected.ok) continue
    expect(expected.error.code).toBe(code)
    await serveRecording(page, `e2e/broken-${code}`, text)
    await openExperience(page, `/?lang=en&replay=e2e/broken-${code}`)
    const alert = page.getByRole('alert').filter({ hasText: 'This recording cannot be replayed' })
    await expect(alert).toBeVisible()
    await expect(alert).toContainText(expected.error.message.en)
    await expect(page.locator('.replay-panel .replay-error')).toContainText(expected.error.message.en)
    expect(await replaySection(page)).toMatchObject({ status: 'error', code })
    // Still running: frames go on and the experience is there.
    await waitFrames(page, 5)
    expect((await snapshot(page)).experience).toBe('hub')
  }
  await saveScreenshot(page, 'xr-sessions-broken')

  // A missing file says so (the static host answers with HTML or 404).
  await openExperience(page, '/?lang=zh&replay=e2e/does-not-exist')
  await expect(page.locator('.replay-panel .replay-error')).toContainText('找不到录制')
  expect(await replaySection(page)).toMatchObject({ status: 'error', code: 'not-found' })

  // An uploaded file goes through the same check; the Chinese message is shown in Chinese.
  await page.getByRole('button', { name: '关闭' }).click()
  await page.getByRole('button', { name: /回放录制文件/ }).click()
  await page.locator('.replay-panel input[type="file"]').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(broken['unknown-version']) })
  const zh = validateRecording(broken['unknown-version'])
  await expect(page.locator('.replay-panel .replay-error')).toContainText(zh.ok ? '' : zh.error.message.zh)
  expect(await replaySection(page)).toMatchObject({ name: 'broken', status: 'error', code: 'unknown-version' })
  await waitFrames(page, 5)
})

test('a take interrupted by a reload or a closed page is offered again and saves a valid recording', async ({ page, context }) => {
  allowPageErrors('the recording page is reloaded and closed mid-take on purpose')
  test.setTimeout(300_000)
  const record = async (p: Page) => {
    await openExperience(p, '/?lang=en')
    await enterXR(p, 'VR')
    await waitFrames(p, 5)
    await p.keyboard.press('r')
    await expect.poll(async () => (await recorderSection(p)).recording).toBe(true)
    // Chunks reach IndexedDB at least once a second while recording.
    await expect.poll(async () => (await recorderSection(p)).persistedFrames, { timeout: 30_000 }).toBeGreaterThan(20)
    return (await recorderSection(p)).persistedFrames
  }

  // Reload mid-recording: the take comes back; discarding removes it for good.
  await record(page)
  await page.reload()
  await openExperience(page, '/?lang=en')
  const recovered = page.locator('.take[data-origin="recovered"]')
  await expect(recovered).toHaveCount(1)
  await expect(recovered).toContainText('A recording from an earlier visit was recovered')
  await saveScreenshot(page, 'xr-sessions-recovered')
  await recovered.getByRole('button', { name: 'Discard' }).click()
  await expect(page.locator('.take')).toHaveCount(0)

  // Close the page mid-recording (no stop, no unload handshake): a new page offers it; save works.
  const persisted = await record(page)
  await page.close()
  const next = await context.newPage()
  await openExperience(next, '/?lang=en')
  const card = next.locator('.take[data-origin="recovered"]')
  await expect(card).toHaveCount(1)
  const recording = await downloadTake(next, card)
  expect(recording.frames.length).toBeGreaterThanOrEqual(persisted)
  expect(recording.meta).toMatchObject({ experience: 'hub', synthetic: false })
  await expect(card).toContainText('Saved')
  // Saved means gone from storage: the next visit offers nothing.
  await next.reload()
  await openExperience(next, '/?lang=en')
  await waitFrames(next, 10)
  await expect(next.locator('.take')).toHaveCount(0)
})

test('the realtime timeline plays, pauses, steps, seeks and changes speed', async ({ page }) => {
  test.setTimeout(180_000)
  await openExperience(page, `/?lang=en&replay=${PORTAL_TO_TIANHE.name}`)
  const panel = page.locator('.replay-panel')
  await expect(panel).toBeVisible()
  await expect.poll(async () => (await replaySection(page)).phase, { timeout: 60_000 }).toBe('playing')
  await expect.poll(async () => (await replaySection(page)).frame ?? 0).toBeGreaterThan(5)
  await panel.getByRole('button', { name: 'Pause', exact: true }).click()
  const paused = (await replaySection(page)).frame!
  await waitFrames(page, 10)
  expect((await replaySection(page)).frame).toBe(paused)
  await panel.getByRole('button', { name: 'Step forward one frame' }).click()
  await expect.poll(async () => (await replaySection(page)).frame).toBe(paused + 1)
  await panel.getByRole('button', { name: 'Step back one frame' }).click()
  await panel.getByRole('button', { name: 'Step back one frame' }).click()
  await expect.poll(async () => (await replaySection(page)).frame).toBe(paused - 1)
  await panel.getByRole('slider', { name: 'Seek' }).fill('20')
  await expect.poll(async () => (await replaySection(page)).frame).toBe(20)
  await panel.getByRole('combobox').selectOption('2')
  await expect(panel).toContainText('Frame 21/')
  await saveScreenshot(page, 'xr-sessions-timeline')
  await panel.getByRole('button', { name: 'Play', exact: true }).click()
  await expect.poll(async () => (await replaySection(page)).frame ?? 0).toBeGreaterThan(25)
  await panel.getByRole('button', { name: 'End replay' }).click()
  await expect.poll(async () => (await replaySection(page)).status).toBe('none')
  // The same recording uploaded through the timeline's file picker plays too.
  await page.getByRole('button', { name: /Replay a recording/ }).click()
  const shipped = join(ROOT, 'xr-sessions', `${PORTAL_TO_TIANHE.name}.json`)
  await page.locator('.replay-panel input[type="file"]').setInputFiles(shipped)
  await expect.poll(async () => (await replaySection(page)).status).toBe('active')
  const frameCount = (JSON.parse(readFileSync(shipped, 'utf8')) as Recording).frames.length
  expect(await replaySection(page)).toMatchObject({ name: 'portal-to-tianhe', mode: 'realtime', frameCount })
  await expect(panel).toContainText('portal-to-tianhe')
})

test('tracked hands in a recording drive the emulator hands with the recorded joints', async ({ page }) => {
  test.setTimeout(180_000)
  // Controllers for 12 frames, then two tracked hands (25 joints each).
  await page.setViewportSize(REPLAY_VIEWPORT)
  const recording = createSyntheticRecording({ frames: 24, inputs: 'mixed', seed: 5 })
  await serveRecording(page, 'e2e/hands', JSON.stringify(recording))
  await replayToEnd(page, 'e2e/hands')
  const last = createInputSnapshot()
  createReplayPlayer(recording, { mode: 'deterministic' }).readFrame(recording.frames.length - 1, last)
  const right = last.sources[1]
  expect(right.kind).toBe('hand')
  // Where IWER puts the right index-finger tip: its joint space is parented to the target ray.
  const placed = await page.evaluate(() => {
    const hand = window.lingjing!.emulator!.hands.right!
    const joint = hand.inputSource.hand!.get('index-finger-tip' as never) as unknown as Record<symbol, { offsetMatrix: Float32Array }>
    const key = Object.getOwnPropertySymbols(joint).find((s) => s.description === '@iwer/xr-space')!
    const m = joint[key].offsetMatrix
    const p = hand.position
    const q = hand.quaternion
    return {
      mode: window.lingjing!.emulator!.primaryInputMode,
      connected: hand.connected,
      ray: [p.x, p.y, p.z, q.x, q.y, q.z, q.w],
      offset: [m[12], m[13], m[14]],
    }
  })
  expect(placed.mode).toBe('hand')
  expect(placed.connected).toBe(true)
  const [px, py, pz, qx, qy, qz, qw] = placed.ray
  expect([px, py, pz]).toEqual([...right.targetRay.position].map((v) => expect.closeTo(v, 5)))
  // World tip = ray position + ray rotation applied to the joint's offset.
  const [vx, vy, vz] = placed.offset
  const tx = 2 * (qy * vz - qz * vy), ty = 2 * (qz * vx - qx * vz), tz = 2 * (qx * vy - qy * vx)
  const world = [px + vx + qw * tx + (qy * tz - qz * ty), py + vy + qw * ty + (qz * tx - qx * tz), pz + vz + qw * tz + (qx * ty - qy * tx)]
  const tip = 9 * 8 // index-finger-tip is joint 9
  for (let i = 0; i < 3; i++) expect(world[i]).toBeCloseTo(right.joints[tip + i], 3)
})
