import { test } from './fixtures'
import { SCENE_VIEWPORT } from './lingjing-page'
import { takeLivestreamHostWave, takeMascotPhonePlaceWave, takeMascotPlaceWave } from './session-takes'

/**
 * Records a livestream and two mascot takes with the app's own recorder in the emulator and checks
 * each on the way and once saved (see session-takes.ts). Writing them as the shipped sessions is
 * the generator's job (`npm run make-sessions`); replaying the shipped files and checking their
 * expected outcome is xr-sessions.spec.ts's.
 */

// The take card's Save button sits in the recorder bar, which the emulator's canvas covers below
// 1150 px wide (see xr-sessions.spec.ts); session-takes.ts presses it directly.
test.use({ viewport: { width: 1280, height: 720 } })

test('record livestream/host-wave-expressions: wave, reach out, A/B/X/Y expressions', async ({ page }) => {
  test.setTimeout(400_000)
  // Driven frame by frame, so its time is the software rasteriser's: record at the scene viewport.
  await page.setViewportSize(SCENE_VIEWPORT)
  await takeLivestreamHostWave(page)
})

test('record mascot/place-and-wave: AR on the Quest profile, place Xiaoguan on the floor, tap it to wave', async ({ page }) => {
  test.setTimeout(400_000)
  await takeMascotPlaceWave(page)
})

test('record mascot/phone-place-and-wave: the emulated phone, tap to place Xiaoguan, tap it to wave', async ({ page }) => {
  test.setTimeout(400_000)
  await takeMascotPhonePlaceWave(page)
})
