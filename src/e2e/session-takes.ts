import { type Locator, type Page } from '@playwright/test'
import { expect } from './fixtures'
import { readFileSync } from 'node:fs'
import type { Recording } from '../core/replay/recording-format'
import type { RecorderSnapshot } from '../runtime/replay/xr-sessions-types'
import { validateRecording } from '../core/replay/validate-recording'
import {
  LIVESTREAM_HOST_WAVE,
  driveLivestreamHost,
  holdPhone,
  placeHost,
  placeMascotVisitor,
  placeXiaoguan,
  tapScreen,
  tapXiaoguanAndStop,
  toggleRecordingKey,
  waitForHover,
} from '../tools/make-experience-sessions'
import { clickRightTrigger, drivePortalToTianhe, placeEmulator } from '../tools/make-synthetic-sessions'
import { enterXR, openExperience, saveScreenshot, snapshot, waitFrames } from './lingjing-page'

/**
 * Takes recorded live with the app's own recorder in the emulator, each driven by script (see
 * src/tools/make-synthetic-sessions.ts and make-experience-sessions.ts) and checked on the way.
 * The e2e specs use them to test recording; the session generator (src/e2e/make-sessions) uses
 * the same takes to write the shipped files under xr-sessions/.
 */

/** `snapshot().recorder`, as the xr-sessions service types it. */
export type RecorderSection = RecorderSnapshot

/** Reads the recorder section of the snapshot. */
export async function recorderSection(page: Page): Promise<RecorderSection> {
  return (await snapshot(page)).recorder
}

/** Points the right controller at the in-world record button (from 35 cm to its right) and clicks. */
export async function clickInWorldRecordButton(page: Page): Promise<void> {
  const menu = (await snapshot(page)).recorderMenu!
  expect(menu.visible).toBe(true)
  await page.evaluate(([x, y, z]) => {
    const right = window.lingjing!.emulator!.controllers.right!
    const px = x + 0.35
    right.position.set(px, y, z)
    // Rotate the ray (-z) onto the direction to the button: q = (a × b, 1 + a·b), normalised.
    const dx = x - px, dy = 0, dz = 0
    const len = Math.hypot(dx, dy, dz)
    const bx = dx / len, by = dy / len, bz = dz / len
    const qx = by, qy = -bx, qw = 1 - bz
    const n = Math.hypot(qx, qy, qw)
    right.quaternion.set(qx / n, qy / n, 0, qw / n)
  }, menu.position!)
  await waitFrames(page, 5)
  await clickRightTrigger(page)
}

/** Saves a take through its card's Save button; checks and returns the downloaded file. */
export async function downloadTake(page: Page, card = page.locator('.take').last()): Promise<Recording> {
  const download = page.waitForEvent('download')
  // Below 1150 px the recorder bar sits in the page flow under the emulator's full-page canvas:
  // press the button itself, so takes can be recorded at a small, fast viewport.
  await card.getByRole('button', { name: 'Save (download)' }).dispatchEvent('click')
  const file = await download
  const text = readFileSync(await file.path(), 'utf8')
  const result = validateRecording(text)
  if (!result.ok) throw new Error(`downloaded take is invalid: ${result.error.message.en}`)
  expect(file.suggestedFilename()).toMatch(/^lingjing-hub-.*\.json$/)
  return result.recording
}

async function recorder(page: Page): Promise<{ recording: boolean; lastTake: { frames: number } | null }> {
  return (await snapshot(page)).recorder
}

/** Saves the finished take through the card's Save button and returns the validated file. */
export async function saveTake(page: Page, experience: string): Promise<Recording> {
  const card: Locator = page.locator('.take[data-origin="finished"]').last()
  await expect(card)
    .toContainText('Recording finished')
    .catch(async (error: unknown) => {
      // Say what the recorder was doing, so a failure on a loaded CI machine can be read from the log.
      const state = await snapshot(page)
      throw new Error(`${String(error)}\nrecorder: ${JSON.stringify(state.recorder)}\nerrors: ${JSON.stringify(state.errors)}`)
    })
  const download = page.waitForEvent('download')
  // The recorder bar may sit under the emulator's canvas (see downloadTake).
  await card.getByRole('button', { name: 'Save (download)' }).dispatchEvent('click')
  const file = await download
  expect(file.suggestedFilename()).toMatch(new RegExp(`^lingjing-${experience}-.*\\.json$`))
  const result = validateRecording(readFileSync(await file.path(), 'utf8'))
  if (!result.ok) throw new Error(`the saved take is invalid: ${result.error.message.en}`)
  return result.recording
}

/**
 * The hub take: starts recording from the in-world wrist button, walks through the Tianhe portal
 * (see drivePortalToTianhe), stops with R and saves through the take card. Returns the file and
 * the recorder's hash of the recorded input.
 */
export async function takePortalToTianhe(page: Page): Promise<{ recording: Recording; inputHash: string }> {
  await openExperience(page, '/?lang=en')
  await enterXR(page, 'VR')
  await placeEmulator(page)
  await waitFrames(page, 5)
  // Start from the in-world menu: point the right controller at the wrist button and pull the trigger.
  // A live click must release within 300 ms of wall time; a runner loaded below ~4 fps can miss
  // it, so a click that did not start recording is tried again (the button toggles, so we check).
  for (let attempt = 0; attempt < 3 && !(await recorderSection(page)).recording; attempt++) {
    await clickInWorldRecordButton(page)
    await expect
      .poll(async () => (await recorderSection(page)).recording, { timeout: 10_000 })
      .toBe(true)
      .catch(() => undefined)
  }
  expect((await recorderSection(page)).recording).toBe(true)
  await expect(page.locator('.rec-indicator')).toBeVisible()
  await saveScreenshot(page, 'xr-sessions-recording-hub')
  await drivePortalToTianhe(page)
  // Same wall-clock caveat for the portal click; a missed click replays as missed too (the replay
  // stamps events with recorded time), so a retry keeps the recording consistent.
  for (let attempt = 0; attempt < 2 && (await snapshot(page)).experience !== 'tianhe'; attempt++) {
    await expect
      .poll(async () => (await snapshot(page)).experience, { timeout: 10_000 })
      .toBe('tianhe')
      .catch(() => clickRightTrigger(page))
  }
  await expect.poll(async () => (await snapshot(page)).experience, { timeout: 30_000 }).toBe('tianhe')
  await waitFrames(page, 20)
  // In-world: the wrist button and the REC badge; in the DOM: the indicator.
  await saveScreenshot(page, 'xr-sessions-recording')
  // Stop with the desktop shortcut.
  await page.keyboard.press('r')
  await expect.poll(async () => (await recorderSection(page)).recording).toBe(false)
  const card = page.locator('.take[data-origin="finished"]')
  await expect(card).toContainText('Recording finished')
  const recorder = await recorderSection(page)
  expect(recorder.storage).toBe('indexeddb')
  const recording = await downloadTake(page, card)
  expect(recording.meta).toMatchObject({ experience: 'hub', mode: 'immersive-vr', synthetic: false, device: 'IWER Meta Quest 3', appVersion: '0.1.0' })
  expect(recording.frames.length).toBe(recorder.lastTake!.frames)
  expect(recording.frames.length).toBeGreaterThan(60)
  // The navigation is an app event on the same timeline.
  expect(recording.events.map((e) => [e.type, e.data])).toContainEqual(['experience', { id: 'tianhe' }])
  return { recording, inputHash: recorder.lastTake!.inputHash }
}

/** Record livestream/host-wave-expressions: wave, reach out, A/B/X/Y expressions: records the take and checks it; returns the saved file. */
export async function takeLivestreamHostWave(page: Page): Promise<Recording> {
  await openExperience(page, '/livestream?lang=en')
  await enterXR(page, 'VR')
  await placeHost(page)
  await waitFrames(page, 10)
  await expect.poll(async () => (await snapshot(page)).avatar?.tracking).toBe(true)
  await toggleRecordingKey(page)
  await expect.poll(async () => (await recorder(page)).recording).toBe(true)
  await driveLivestreamHost(page)
  await saveScreenshot(page, 'record-livestream-host')
  await toggleRecordingKey(page)
  await expect.poll(async () => (await recorder(page)).recording).toBe(false)
  // The live run ended where the metadata says the replay must end.
  expect(await snapshot(page)).toMatchObject(LIVESTREAM_HOST_WAVE.expected.snapshot)

  const recording = await saveTake(page, 'livestream')
  expect(recording.meta).toMatchObject({ experience: 'livestream', mode: 'immersive-vr', device: 'IWER Meta Quest 3', synthetic: false })
  expect(recording.frames.length).toBe((await recorder(page)).lastTake!.frames)
  expect(recording.frames.length).toBeGreaterThan(120)
  // The four presses are app events on the timeline, in order, from the controllers.
  const presses = recording.events.filter((e) => e.type === 'expression').map((e) => e.data)
  expect(presses).toEqual(['happy', 'surprised', 'sad', 'relaxed'].map((preset) => ({ preset, source: 'controller' })))
  return recording
}

/** Record mascot/place-and-wave: AR on the Quest profile, place Xiaoguan on the floor, tap it to wave: records the take and checks it; returns the saved file. */
export async function takeMascotPlaceWave(page: Page): Promise<Recording> {
  await openExperience(page, '/mascot?lang=en')
  await enterXR(page, 'AR')
  await placeMascotVisitor(page)
  await waitFrames(page, 10)
  await toggleRecordingKey(page)
  await expect.poll(async () => (await recorder(page)).recording).toBe(true)
  let at = await placeXiaoguan(page)
  // A click must release within pointer-events' 300 ms window; on a loaded machine a one-frame
  // press can miss it, and the missed tap then re-places Xiaoguan. Both replay the same way (the
  // replay stamps events with recorded time), so trying again keeps the take consistent.
  let waved = false
  for (let attempt = 0; attempt < 3 && !waved; attempt++) {
    waved = await tapXiaoguanAndStop(page, at)
    if (!waved) at = await waitForHover(page)
  }
  expect(waved).toBe(true)
  await expect.poll(async () => (await recorder(page)).recording).toBe(false)
  // The wave was seen when recording stopped (tapXiaoguanAndStop); the live clock runs on after
  // that, so only the lasting part of the outcome is checked here. The replay ends mid-wave.
  const live = await snapshot(page)
  expect(live).toMatchObject({ experience: 'mascot', xr: { presenting: true, mode: 'immersive-ar' }, mascot: { placed: true, landed: true, ui: 'in-world' } })
  const surface = live.mascot!.surface!
  expect(surface.normalY).toBeGreaterThan(0.9)
  await saveScreenshot(page, 'record-mascot-ar')

  const recording = await saveTake(page, 'mascot')
  expect(recording.meta).toMatchObject({ experience: 'mascot', mode: 'immersive-ar', device: 'IWER Meta Quest 3', synthetic: false })
  expect(recording.frames.length).toBeGreaterThan(30)
  return recording
}

/** Record mascot/phone-place-and-wave: the emulated phone, tap to place Xiaoguan, tap it to wave: records the take and checks it; returns the saved file. */
export async function takeMascotPhonePlaceWave(page: Page): Promise<Recording> {
  await openExperience(page, '/mascot?emulate=phone&lang=en')
  expect((await snapshot(page)).xr).toMatchObject({ emulated: true, device: 'Android phone (handheld AR)' })
  await enterXR(page, 'AR')
  await holdPhone(page)
  await waitFrames(page, 10)
  await expect.poll(async () => (await snapshot(page)).mascot, { timeout: 30_000 }).toMatchObject({ reticle: true, ui: 'dom-overlay' })
  await toggleRecordingKey(page)
  await expect.poll(async () => (await recorder(page)).recording).toBe(true)
  // Tap the middle of the screen (the reticle follows the screen centre): along the view direction.
  const ahead: [number, number, number] = [0, 1.4 - Math.sin(0.75), -Math.cos(0.75)]
  await tapScreen(page, ahead, { untilWave: false, stopAfter: false })
  let at = await waitForHover(page)
  // Same click-window caveat as on the Quest; a missed tap on Xiaoguan re-places it.
  let waved = false
  for (let attempt = 0; attempt < 3 && !waved; attempt++) {
    waved = await tapScreen(page, [at[0], at[1] + 0.18, at[2]], { untilWave: true, stopAfter: true })
    if (!waved) at = await waitForHover(page)
  }
  expect(waved).toBe(true)
  await expect.poll(async () => (await recorder(page)).recording).toBe(false)
  expect(await snapshot(page)).toMatchObject({ experience: 'mascot', xr: { mode: 'immersive-ar', device: 'Android phone (handheld AR)' }, mascot: { placed: true, landed: true, ui: 'dom-overlay' } })
  await saveScreenshot(page, 'record-mascot-phone')

  const recording = await saveTake(page, 'mascot')
  expect(recording.meta).toMatchObject({ experience: 'mascot', mode: 'immersive-ar', device: 'IWER Android phone (handheld AR)', synthetic: false })
  return recording
}
