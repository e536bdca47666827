import { type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { allowPageErrors, expect, test } from './fixtures'
import { CHROMIUM_ARGS, resolveChromium } from '../tools/browser.mjs'
import { aim, holdPose, pressAndRelease } from './xr-input'
import { acceptLinkRequests, enterXR, halfContrast, openExperience, saveScreenshot, snapshot, useSceneViewport, waitFrames } from './lingjing-page'

type Side = 'left' | 'right'
type Finger = 'thumb' | 'index' | 'middle' | 'ring' | 'little'

/** The `avatar` section of the snapshot (see livestream/use-host-diagnostics.ts). */
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
  calibrated: boolean
  mic: string
  grips: { left: number[] | null; right: number[] | null }
  fingers: { bends: Record<Side, Record<Finger, number>>; pinchGap: Record<Side, number> } | null
  inputKinds: Record<Side, string>
  programme: { width: number; height: number; framesRendered: number }
}

// Chromium's fake capture devices (a microphone that beeps), and its fake UI answering the
// permission prompt: no test here depends on a real device. (Per file: the browser is per worker.)
test.use({
  launchOptions: { executablePath: resolveChromium(), args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] },
})

async function avatar(page: Page): Promise<AvatarSection> {
  return (await snapshot(page)).avatar!
}

const distance = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])

test('the default host loads, blends expressions from the keyboard and feeds the programme monitor', async ({ page }) => {
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
})

test('in VR the avatar hands follow the emulated controllers', async ({ page }) => {
  // Poses, not DOM panels: the scene viewport renders each VR frame in about 0.7× the time.
  await useSceneViewport(page)
  // No replay API exists on window.lingjing yet, so this drives the IWER emulator directly.
  await openExperience(page, '/livestream?lang=en')
  await enterXR(page, 'VR')
  await holdPose(page, { head: [0, 1.6, 0], left: [-0.3, 1.2, -0.3], right: [0.3, 1.2, -0.3], controllersForward: true })
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
})

test('with tracked hands the host\'s fingers follow the hand joints: point, open, pinch', async ({ page }) => {
  // Poses, not DOM panels: the scene viewport renders each VR frame in about 0.7× the time.
  await useSceneViewport(page)
  await openExperience(page, '/livestream?lang=en')
  await expect.poll(async () => (await avatar(page)).loaded, { timeout: 30_000 }).toBe(true)
  await enterXR(page, 'VR')
  // IWER's tracked hands instead of controllers; both hands held in front, palms facing in.
  await page.evaluate(() => {
    const device = window.lingjing!.emulator!
    device.controlMode = 'programmatic'
    device.primaryInputMode = 'hand'
    device.position.set(0, 1.6, 0)
    device.quaternion.set(0, 0, 0, 1)
    for (const side of ['left', 'right'] as const) {
      const hand = device.hands[side]!
      hand.poseId = 'default'
      hand.updatePinchValue(0)
      hand.quaternion.set(0, 0, 0, 1)
    }
    device.hands.left!.position.set(-0.25, 1.2, -0.35)
    device.hands.right!.position.set(0.25, 1.3, -0.35)
  })
  await expect.poll(async () => (await avatar(page)).inputKinds, { timeout: 30_000 }).toEqual({ left: 'hand', right: 'hand' })
  await expect.poll(async () => (await avatar(page)).tracking).toBe(true)
  await waitFrames(page, 10)
  const open = await avatar(page)

  const setRight = (poseId: string, pinch: number) =>
    page.evaluate(
      ({ poseId, pinch }) => {
        const hand = window.lingjing!.emulator!.hands.right!
        hand.poseId = poseId
        hand.updatePinchValue(pinch)
      },
      { poseId, pinch },
    )
  await setRight('point', 0)
  await waitFrames(page, 10)
  const point = await avatar(page)
  await saveScreenshot(page, 'livestream-host-pointing')

  await setRight('default', 1)
  await waitFrames(page, 10)
  const pinch = await avatar(page)

  const o = open.fingers!
  const p = point.fingers!
  const q = pinch.fingers!
  console.log(JSON.stringify({ open: o, point: p, pinch: q }))

  // Pointing: the right index stays (about) as straight as in the open hand while the middle,
  // ring and little fingers curl well past it and past their own open pose.
  expect(p.bends.right.index).toBeLessThan(o.bends.right.index + 0.15)
  for (const finger of ['middle', 'ring', 'little'] as const) {
    expect(p.bends.right[finger] - o.bends.right[finger], finger).toBeGreaterThan(0.6)
    expect(p.bends.right[finger] - p.bends.right.index, finger).toBeGreaterThan(0.8)
  }
  // Pinching: thumb and index tips meet, from several centimetres apart in the open hand.
  expect(o.pinchGap.right).toBeGreaterThan(0.035)
  expect(q.pinchGap.right).toBeLessThan(0.025)
  expect(q.pinchGap.right).toBeLessThan(o.pinchGap.right / 3)
  // The left hand, kept open, is untouched by the right hand's poses.
  for (const finger of ['thumb', 'index', 'middle', 'ring', 'little'] as const) {
    expect(Math.abs(p.bends.left[finger] - o.bends.left[finger]), finger).toBeLessThan(0.02)
    expect(Math.abs(q.bends.left[finger] - o.bends.left[finger]), finger).toBeLessThan(0.02)
  }

  // The wrists still follow the tracked hands.
  expect(pinch.tracking).toBe(true)
  expect(open.hands!.left[0]).toBeLessThan(open.hands!.right[0])
  const before = pinch.hands!.right
  await page.evaluate(() => window.lingjing!.emulator!.hands.right!.position.set(0.35, 1.42, -0.25))
  await waitFrames(page, 10)
  const moved = (await avatar(page)).hands!.right
  // Hand moved by (0.1, 0.12, 0.1) with the same orientation: the wrist bone moves with it, within 2 cm.
  expect(distance(moved.map((v, i) => v - before[i]), [0.1, 0.12, 0.1])).toBeLessThan(0.02)
  expect((await snapshot(page)).errors).toEqual([])
})

test('a broken ?avatar= file shows a specific error and the default host stays', async ({ page }) => {
  allowPageErrors('a broken avatar file is loaded on purpose')
  await page.route((url) => url.pathname === '/test-avatars/broken.vrm', (route) =>
    route.fulfill({ status: 200, contentType: 'model/gltf-binary', body: Buffer.from('this is not a glTF binary at all, just text') }),
  )
  await openExperience(page, '/livestream?lang=en&avatar=/test-avatars/broken.vrm')
  await acceptLinkRequests(page, 'avatar')
  const alert = page.locator('[role="alert"][data-kind="avatar-invalid"]')
  await expect(alert).toBeVisible()
  await expect(alert).toContainText('This avatar cannot be used')
  // The validator's own reason is shown, not a generic failure.
  await expect(alert).toContainText('This is not a VRM file')
  const a = await avatar(page)
  expect(a).toMatchObject({ loaded: true, source: 'default', vrmVersion: '1.0' })
})

/**
 * Where to hold the right controller to click a button of the in-world studio controls, in
 * tracking space: the panel group (livestream-experience.tsx: world (-0.8, 1.25 + STAGE_TOP, 0.65),
 * turned 2.29 rad; the button `up` metres above its centre) seen through the XR origin, which is
 * turned half round on the stage; from half a metre in front of the button along its normal.
 */
function studioButton(up: number): { from: [number, number, number]; dir: [number, number, number] } {
  const centre = [0.8, 1.25 + up, -0.65]
  const normal = [-Math.sin(2.29), 0, -Math.cos(2.29)]
  return {
    from: centre.map((c, i) => c + 0.5 * normal[i]) as [number, number, number],
    dir: normal.map((n) => -n) as [number, number, number],
  }
}
/** The "T-pose calibration" and "Hide/Show the mirror" buttons (studio-controls.tsx). */
const CALIBRATE_PANEL = studioButton(0.1)
const MIRROR_TOGGLE = studioButton(-0.13)

/** Writes the VRM 0.x variant of the default host with the repo's own generator (not shipped). */
function makeVrm0(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lingjing-vrm0-'))
  const file = join(dir, 'lingjing-host-vrm0.vrm')
  execFileSync(process.execPath, ['src/tools/make-default-avatar.mjs', '--vrm0', file], { stdio: 'ignore' })
  return file
}

/** Head straight, controllers held in the tracking space (emulator origin), identity rotations. */
async function pose(page: Page, left: [number, number, number], right: [number, number, number]) {
  await holdPose(page, { head: [0, 1.6, 0], left, right, controllersForward: true })
}

test('the file picker loads a VRM 0.x host that the controllers then drive', async ({ page }) => {
  await openExperience(page, '/livestream?lang=en')
  await expect.poll(async () => (await avatar(page)).source, { timeout: 30_000 }).toBe('default')
  const controls = page.getByTestId('livestream-controls')
  await controls.getByLabel('Load a VRM file (or drop it here)').setInputFiles(makeVrm0())
  await expect.poll(async () => (await avatar(page)).source, { timeout: 30_000 }).toBe('file')
  const loaded = await avatar(page)
  expect(loaded).toMatchObject({ loaded: true, vrmVersion: '0.x' })
  expect(loaded.name).toContain('0.x')
  await expect(controls).toContainText('Lingjing Host 0.x')
  await waitFrames(page, 10)
  await saveScreenshot(page, 'livestream-vrm0')

  // The 0.x model (authored facing -Z) is turned like a 1.0 one: in VR its left hand is on the
  // wearer's left and each wrist sits at its controller.
  await enterXR(page, 'VR')
  await pose(page, [-0.3, 1.2, -0.3], [0.3, 1.2, -0.3])
  await waitFrames(page, 20)
  await expect.poll(async () => (await avatar(page)).tracking).toBe(true)
  const driven = await avatar(page)
  expect(driven.vrmVersion).toBe('0.x')
  expect(distance(driven.hands!.left, driven.grips.left!)).toBeLessThan(0.1)
  expect(distance(driven.hands!.right, driven.grips.right!)).toBeLessThan(0.1)
  expect(driven.hands!.left[0]).toBeLessThan(driven.hands!.right[0])
  expect((await snapshot(page)).errors).toEqual([])
})

test('a VRM dropped on the page replaces the host', async ({ page }) => {
  await openExperience(page, '/livestream?lang=en')
  await expect.poll(async () => (await avatar(page)).source, { timeout: 30_000 }).toBe('default')
  // A real drag-and-drop of a file: DataTransfer with the file's bytes, dragover then drop.
  const bytes = readFileSync('assets/avatars/lingjing-host.vrm').toString('base64')
  await page.evaluate(async (base64) => {
    const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
    const transfer = new DataTransfer()
    transfer.items.add(new File([data], 'my-host.vrm', { type: 'model/gltf-binary' }))
    const target = document.querySelector('canvas') ?? document.body
    const over = new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true })
    target.dispatchEvent(over)
    if (!over.defaultPrevented) throw new Error('the page does not accept dropped files')
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }))
  }, bytes)
  await expect.poll(async () => (await avatar(page)).source, { timeout: 30_000 }).toBe('file')
  expect(await avatar(page)).toMatchObject({ loaded: true, vrmVersion: '1.0' })
})

test('T-pose calibration counts down, measures the wearer and is remembered on this device', async ({ page }) => {
  await openExperience(page, '/livestream?lang=en')
  expect((await snapshot(page)).avatar).toMatchObject({ calibrated: false })
  const controls = page.getByTestId('livestream-controls')
  // Outside VR the button explains what it needs instead of failing silently.
  await controls.getByRole('button', { name: /T-pose calibration/ }).click()
  await expect(controls).toContainText('Enter VR first')

  await enterXR(page, 'VR')
  // In VR: point the right controller at the in-world "T-pose calibration" panel and click it.
  await pose(page, [-0.3, 1.2, -0.3], [0.3, 1.2, -0.3])
  await aim(page, 'right', CALIBRATE_PANEL.from, CALIBRATE_PANEL.dir)
  await waitFrames(page, 5)
  await pressAndRelease(page, 'right', 400)
  await expect(controls).toContainText(/Arms out to the sides… [1-3]/)
  // Then, during the countdown, eyes at 1.6 m and arms straight out at shoulder height.
  await pose(page, [-0.75, 1.4, 0.02], [0.75, 1.4, 0.02])
  await expect.poll(async () => (await avatar(page)).calibrated, { timeout: 60_000 }).toBe(true)
  await expect(controls).toContainText(/Calibrated: about 1[6-8]\d cm tall/)
  await waitFrames(page, 10)
  await expect(controls.getByRole('button', { name: /T-pose calibration/ })).toContainText('(calibrated)')
  await saveScreenshot(page, 'livestream-calibrated')

  // Remembered per device: a reload starts calibrated.
  await openExperience(page, '/livestream?lang=en')
  await expect.poll(async () => (await avatar(page)).loaded, { timeout: 30_000 }).toBe(true)
  expect(await avatar(page)).toMatchObject({ calibrated: true })
})

test('a refused microphone explains itself and everything else keeps working', async ({ page }) => {
  allowPageErrors('the microphone is refused on purpose')
  // What Chromium does when the user (or a site setting) refuses the microphone.
  await page.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'))
  })
  await openExperience(page, '/livestream?lang=en')
  await expect.poll(async () => (await avatar(page)).loaded, { timeout: 30_000 }).toBe(true)
  const controls = page.getByTestId('livestream-controls')
  await controls.getByRole('button', { name: 'Mic on' }).click()
  const alert = page.locator('[role="alert"][data-kind="microphone-denied"]')
  await expect(alert).toBeVisible()
  await expect(alert).toContainText('The microphone is not available')
  await expect(alert).toContainText('everything else keeps working')
  await expect(alert).toContainText('NotAllowedError')
  await expect(controls.getByRole('button', { name: 'Mic refused (retry)' })).toBeVisible()
  expect(await avatar(page)).toMatchObject({ mic: 'denied' })

  // The rest goes on: the programme keeps rendering, expressions still blend, the lips stay shut.
  const frames = (await avatar(page)).programme.framesRendered
  await expect.poll(async () => (await avatar(page)).programme.framesRendered, { timeout: 30_000 }).toBeGreaterThan(frames + 3)
  await page.keyboard.press('1')
  await expect.poll(async () => (await avatar(page)).expressionWeights?.happy ?? 0, { timeout: 10_000 }).toBeGreaterThan(0.95)
  const visemes = (await avatar(page)).visemeWeights!
  expect(Math.max(...Object.values(visemes))).toBe(0)
  await saveScreenshot(page, 'livestream-mic-denied')
})

test.describe('with a (fake) microphone', () => {
  test.use({ permissions: ['microphone'] })

  test('the microphone drives the visemes', async ({ page }) => {
    await openExperience(page, '/livestream?lang=en')
    await expect.poll(async () => (await avatar(page)).loaded, { timeout: 30_000 }).toBe(true)
    // Silent before the mic is on.
    await waitFrames(page, 10)
    expect(Math.max(...Object.values((await avatar(page)).visemeWeights!))).toBe(0)
    await page.getByTestId('livestream-controls').getByRole('button', { name: 'Mic on' }).click()
    await expect.poll(async () => (await avatar(page)).mic, { timeout: 30_000 }).toBe('on')
    await expect(page.getByTestId('livestream-controls').getByRole('button', { name: 'Mic is on' })).toBeVisible()
    // The beeps open the mouth (some viseme weight well above zero) at some frame.
    await expect
      .poll(async () => Math.max(...Object.values((await avatar(page)).visemeWeights!)), { timeout: 30_000, intervals: [50] })
      .toBeGreaterThan(0.2)
    await saveScreenshot(page, 'livestream-mic-on')
    expect((await snapshot(page)).errors).toEqual([])
  })
})

test('the host can show a virtual mirror: a governed reflection, off the programme, with the face in it', async ({ page }) => {
  await openExperience(page, '/livestream?lang=en')
  await expect.poll(async () => (await avatar(page)).loaded, { timeout: 30_000 }).toBe(true)
  const levers = async () => (await snapshot(page)).frame.governor!.scalers.map((s) => s.id)
  // Off by default: nothing rendered for it, no lever.
  expect((await snapshot(page)).studioMirror).toBeUndefined()
  expect(await levers()).not.toContain('studio-mirror')

  const controls = page.getByTestId('livestream-controls')
  await controls.getByRole('button', { name: 'Show the mirror' }).click()
  await expect.poll(async () => (await snapshot(page)).studioMirror?.framesRendered ?? 0, { timeout: 30_000 }).toBeGreaterThan(3)
  expect(await levers()).toContain('studio-mirror')
  expect((await snapshot(page)).studioMirror).toMatchObject({ on: true, size: 768 })
  // Over the host's shoulder toward the monitor: the mirror stands to its right.
  await controls.getByRole('button', { name: /Switch view/ }).click()
  await waitFrames(page, 8)
  await saveScreenshot(page, 'livestream-mirror')

  // In VR the host turns toward it (front-right, about 30°) and sees themself.
  await enterXR(page, 'VR')
  // Tracking space is turned half round on the stage: world front-right (-X, +Z) is tracking (+X, -Z).
  const yaw = -0.52
  await holdPose(page, { head: [0, 1.6, 0], headRotation: [0, Math.sin(yaw / 2), 0, Math.cos(yaw / 2)], left: [-0.25, 1.15, -0.25], right: [0.3, 1.45, -0.35] })
  const before = (await snapshot(page)).studioMirror!.framesRendered
  await expect.poll(async () => (await snapshot(page)).studioMirror!.framesRendered, { timeout: 30_000 }).toBeGreaterThan(before + 5)
  expect((await snapshot(page)).studioMirror!.behind).toBe(0)
  await waitFrames(page, 10)
  await saveScreenshot(page, 'livestream-mirror-vr')

  // Hidden again from the in-world panel: the lever and its section go away with it.
  await aim(page, 'right', MIRROR_TOGGLE.from, MIRROR_TOGGLE.dir)
  await waitFrames(page, 5)
  await pressAndRelease(page, 'right', 400)
  await expect.poll(async () => (await snapshot(page)).studioMirror, { timeout: 30_000 }).toBeUndefined()
  await expect(controls.getByRole('button', { name: 'Show the mirror' })).toBeAttached()
  expect(await levers()).not.toContain('studio-mirror')
  expect((await snapshot(page)).errors).toEqual([])
})
