import { expect, test, type Page } from '@playwright/test'
import { enterXR, halfContrast, openExperience, saveScreenshot, snapshot, trackPageErrors, waitFrames } from './lingjing-page'

/** The `avatar` section of the snapshot (see livestream-experience.tsx). */
interface AvatarSection {
  loaded: boolean
  name: string
  vrmVersion: '0.x' | '1.0'
  source: 'default' | 'url' | 'file'
  expression: string
  expressionWeights: Record<string, number> | null
  visemeWeights: Record<string, number> | null
  tracking: boolean
  hands: { left: number[]; right: number[] } | null
  grips: { left: number[] | null; right: number[] | null }
  programme: { width: number; height: number; framesRendered: number }
}

async function avatar(page: Page): Promise<AvatarSection> {
  return (await snapshot(page)).avatar as AvatarSection
}

const distance = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])

test('the default host loads, blends expressions from the keyboard and feeds the programme monitor', async ({ page }) => {
  const errors = trackPageErrors(page)
  await openExperience(page, '/livestream?lang=en')
  await expect.poll(async () => (await avatar(page)).loaded, { timeout: 30_000 }).toBe(true)
  const a = await avatar(page)
  expect(a).toMatchObject({ vrmVersion: '1.0', source: 'default' })
  expect(a.name).toContain('Lingjing')
  // The virtual camera renders into its target after the main render.
  await expect.poll(async () => (await avatar(page)).programme.framesRendered, { timeout: 30_000 }).toBeGreaterThan(3)

  await page.keyboard.press('1')
  await expect.poll(async () => (await avatar(page)).expression).toBe('happy')
  // A smooth blend: it reaches the full preset over a few frames, not instantly on the key press.
  await expect.poll(async () => (await avatar(page)).expressionWeights?.happy ?? 0, { timeout: 10_000 }).toBeGreaterThan(0.95)
  await saveScreenshot(page, 'livestream-studio')
  await page.keyboard.press('5')
  await expect.poll(async () => (await avatar(page)).expression).toBe('surprised')
  await expect.poll(async () => (await avatar(page)).expressionWeights?.happy ?? 1, { timeout: 10_000 }).toBeLessThan(0.05)

  // Over the host's shoulder: the monitor shows the programme (the host from the front).
  await page.getByRole('button', { name: /Switch view/ }).click()
  await waitFrames(page, 8)
  const png = await saveScreenshot(page, 'livestream-monitor')
  const contrast = await halfContrast(page, png)
  expect(contrast.left).toBeGreaterThan(4)
  expect(contrast.right).toBeGreaterThan(4)
  expect((await snapshot(page)).errors).toEqual([])
  expect(errors).toEqual([])
})

test('in VR the avatar hands follow the emulated controllers', async ({ page }) => {
  // No replay API exists on window.lingjing yet, so this drives the IWER emulator directly.
  const errors = trackPageErrors(page)
  await openExperience(page, '/livestream?lang=en')
  await enterXR(page, 'VR')
  await page.evaluate(() => {
    const device = window.lingjing!.emulator!
    device.controlMode = 'programmatic'
    device.position.set(0, 1.6, 0)
    device.quaternion.set(0, 0, 0, 1)
    device.controllers.left!.position.set(-0.3, 1.2, -0.3)
    device.controllers.left!.quaternion.set(0, 0, 0, 1)
    device.controllers.right!.position.set(0.3, 1.2, -0.3)
    device.controllers.right!.quaternion.set(0, 0, 0, 1)
  })
  await waitFrames(page, 20)
  await expect.poll(async () => (await avatar(page)).tracking).toBe(true)
  const before = await avatar(page)
  expect(before.grips.left).not.toBeNull()
  expect(before.grips.right).not.toBeNull()
  // The wrist sits a few centimetres from the grip (inside the fist), on the correct side.
  expect(distance(before.hands!.left, before.grips.left!)).toBeLessThan(0.1)
  expect(distance(before.hands!.right, before.grips.right!)).toBeLessThan(0.1)
  expect(before.hands!.left[0]).toBeLessThan(before.hands!.right[0])

  await page.evaluate(() => {
    const device = window.lingjing!.emulator!
    device.controllers.right!.position.set(0.42, 1.38, -0.22)
    device.controllers.left!.position.set(-0.2, 1.05, -0.38)
  })
  await waitFrames(page, 20)
  const after = await avatar(page)
  for (const side of ['left', 'right'] as const) {
    const gripMove = after.grips[side]!.map((v, i) => v - before.grips[side]![i])
    const handMove = after.hands![side].map((v, i) => v - before.hands![side][i])
    expect(Math.hypot(...gripMove)).toBeGreaterThan(0.1)
    // Same translation for the hand bone as for the controller (no rotation changed), within 2 cm.
    expect(distance(handMove, gripMove), side).toBeLessThan(0.02)
  }
  await saveScreenshot(page, 'livestream-host-vr')
  expect(errors).toEqual([])
})

test('a broken ?avatar= file shows a specific error and the default host stays', async ({ page }) => {
  await page.route((url) => url.pathname === '/test-avatars/broken.vrm', (route) =>
    route.fulfill({ status: 200, contentType: 'model/gltf-binary', body: Buffer.from('this is not a glTF binary at all, just text') }),
  )
  await openExperience(page, '/livestream?lang=en&avatar=/test-avatars/broken.vrm')
  const alert = page.locator('[role="alert"][data-kind="avatar-invalid"]')
  await expect(alert).toBeVisible()
  await expect(alert).toContainText('This avatar cannot be used')
  // The validator's own reason is shown, not a generic failure.
  await expect(alert).toContainText('This is not a VRM file')
  const a = await avatar(page)
  expect(a).toMatchObject({ loaded: true, source: 'default', vrmVersion: '1.0' })
})
