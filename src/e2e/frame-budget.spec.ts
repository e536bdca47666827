import { expect, test } from './fixtures'
import { enterXR, openExperience, saveScreenshot, snapshot, useSceneViewport, waitFrames } from './lingjing-page'

test('the frame snapshot reports the budget of the session and the loop measurements', async ({ page }) => {
  await useSceneViewport(page)
  await openExperience(page, '/?lang=en&governor=on')
  await enterXR(page, 'VR')
  await waitFrames(page, 30)
  const frame = (await snapshot(page)).frame
  expect(frame.budgetMs).toBeCloseTo(1000 / 72, 5)
  expect(frame.refreshHz).toBe(72)
  for (const key of ['frames', 'overBudget', 'p50Ms', 'p95Ms', 'p99Ms', 'longestMissRun', 'quality'] as const) {
    expect(typeof frame[key], key).toBe('number')
  }
  expect(frame.frames).toBeGreaterThanOrEqual(30)
  expect(frame.p50Ms).toBeGreaterThan(0)
  expect(frame.p99Ms).toBeGreaterThanOrEqual(frame.p50Ms!)
  // The hub registers its levers; in a session foveation joins them.
  const ids = frame.governor!.scalers.map((s) => s.id)
  expect(ids).toEqual(expect.arrayContaining(['dust', 'traffic', 'foveation']))
  // The frame order is published in one place.
  expect(frame.order![0]).toMatch(/^input/)
})

test('?governor=off keeps measuring but never changes quality', async ({ page }) => {
  await useSceneViewport(page)
  await openExperience(page, '/?lang=en&governor=off')
  await waitFrames(page, 20)
  const frame = (await snapshot(page)).frame
  expect(frame.governor!.enabled).toBe(false)
  expect(frame.governor!.reason.en).toMatch(/disabled/)
  expect(frame.quality).toBe(1)
})

test('the HUD opens with ?hud=1, toggles with H on the desktop and with the left thumbstick in VR', async ({ page }) => {
  await openExperience(page, '/?lang=en&governor=on&hud=1')
  const hud = page.getByRole('img', { name: 'Frame budget HUD' })
  await expect(hud).toBeVisible()
  await waitFrames(page, 10)
  await saveScreenshot(page, 'hud-desktop')
  await page.keyboard.press('h')
  await expect(hud).toHaveCount(0)
  await page.keyboard.press('h')
  await expect(hud).toBeVisible()

  await enterXR(page, 'VR')
  await waitFrames(page, 15)
  await saveScreenshot(page, 'hud-vr')
  expect((await snapshot(page)).hud).toBe(true)
  await page.evaluate(async () => {
    const left = window.lingjing!.emulator!.controllers.left!
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve))
    left.updateButtonValue('thumbstick', 1)
    const at = window.lingjing!.snapshot().frame.frames
    while (window.lingjing!.snapshot().frame.frames < at + 2) await nextFrame()
    left.updateButtonValue('thumbstick', 0)
  })
  await expect.poll(async () => (await snapshot(page)).hud).toBe(false)
})
