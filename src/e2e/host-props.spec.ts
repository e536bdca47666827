import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { enterXR, openExperience, snapshot, useSceneViewport, waitFrames } from './lingjing-page'
import { holdPose, pressAndRelease, type Vec3 } from './xr-input'

// Issue 17, props: the host takes a studio prop in hand (the panel on a flat screen, a squeeze in
// VR) and it follows the avatar's hand bone. Positions are the host's tracking space (the snapshot's).

const avatar = async (page: Page) => (await snapshot(page)).avatar!
const prop = async (page: Page, id: string) => (await avatar(page)).props.find((p) => p.id === id)!
const distance = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])
/** How far a prop's grip point is from the avatar's right hand bone. */
async function fromRightHand(page: Page, id: string): Promise<number> {
  const a = await avatar(page)
  return distance(a.props.find((p) => p.id === id)!.position!, a.hands!.right)
}

test('the panel puts the card in the right hand; in VR a squeeze takes the microphone from its stand and it follows the hand', async ({ page }) => {
  await useSceneViewport(page)
  await openExperience(page, '/livestream?lang=en')
  await expect.poll(async () => (await avatar(page)).loaded, { timeout: 30_000 }).toBe(true)
  expect((await avatar(page)).props.map((p) => [p.id, p.heldBy])).toEqual([
    ['microphone', null],
    ['card', null],
    ['model', null],
  ])

  // Flat screen: the panel's button puts the card in the right hand; "none" puts it back. The small
  // viewport starts the panel folded, and open it runs past the bottom edge: the buttons get their click directly.
  const controls = page.getByTestId('livestream-controls')
  await controls.getByRole('button', { name: 'Studio controls' }).click()
  const list = page.getByTestId('prop-list')
  await list.locator('[data-prop="card"]').dispatchEvent('click')
  await expect.poll(async () => (await prop(page, 'card')).heldBy).toBe('right')
  await expect.poll(() => fromRightHand(page, 'card')).toBeLessThan(0.05)
  await list.locator('[data-prop="none"]').dispatchEvent('click')
  await expect.poll(async () => (await prop(page, 'card')).heldBy).toBeNull()

  // VR: the right controller to the microphone on its stand, a squeeze, then away: it follows the hand.
  await enterXR(page, 'VR')
  const rest = (await prop(page, 'microphone')).position!
  await holdPose(page, { head: [0, 1.6, 0], left: [-0.3, 1.0, -0.2], right: rest, controllersForward: true })
  await waitFrames(page, 5)
  await pressAndRelease(page, 'right', 0, 'squeeze')
  await expect.poll(async () => (await prop(page, 'microphone')).heldBy).toBe('right')
  await holdPose(page, { head: [0, 1.6, 0], right: [0.25, 1.3, -0.35] })
  await waitFrames(page, 10)
  await expect.poll(() => fromRightHand(page, 'microphone'), { timeout: 10_000 }).toBeLessThan(0.05)
  expect(distance((await prop(page, 'microphone')).position!, rest)).toBeGreaterThan(0.2)
  expect((await snapshot(page)).errors).toEqual([])
})
