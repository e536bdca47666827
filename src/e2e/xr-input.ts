import type { Page } from '@playwright/test'

/**
 * Driving the emulator's inputs like a person would: point a controller (or a phone's screen
 * touch) somewhere, press and release its trigger. Shared by the specs that click in-world UI.
 */

/** A point or direction in the XR origin's tracking space (metres). */
export type Vec3 = [number, number, number]

/**
 * Points an emulated input (controller or phone touch) along `dir` from `from`: a quaternion
 * turning -z onto dir. Switches the emulator to programmatic control.
 */
export async function aim(page: Page, which: 'left' | 'right' | 'none', from: Vec3, dir: Vec3): Promise<void> {
  await page.evaluate(
    ({ which, from, dir }) => {
      const device = window.lingjing!.emulator!
      device.controlMode = 'programmatic'
      const input = device.controllers[which]!
      const len = Math.hypot(...dir)
      const d = dir.map((v) => v / len)
      // q = normalize([cross(-z, d), 1 + dot(-z, d)])
      const cx = d[1]
      const cy = -d[0]
      const w = 1 - d[2]
      const qn = Math.hypot(cx, cy, 0, w) || 1
      input.position.set(from[0], from[1], from[2])
      input.quaternion.set(cx / qn, cy / qn, 0, w / qn)
    },
    { which, from, dir },
  )
}

/**
 * Press → two app frames (and at least `holdMs` of wall time) → release: a click for pointer
 * events, a select for the session (the trigger; `button` 'squeeze' for a squeeze). A screen
 * touch ('none') exists only while the finger is down.
 */
export async function pressAndRelease(page: Page, which: 'left' | 'right' | 'none', holdMs = 0, button: 'trigger' | 'squeeze' = 'trigger'): Promise<void> {
  await page.evaluate(
    async ({ which, holdMs, button }) => {
      const input = window.lingjing!.emulator!.controllers[which]!
      const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve))
      const waitAppFrames = async (n: number) => {
        const start = window.lingjing!.snapshot().frame.frames
        while (window.lingjing!.snapshot().frame.frames < start + n) await nextFrame()
      }
      if (which === 'none') {
        // The app mounts its pointer for a new touch first.
        input.connected = true
        await waitAppFrames(10)
      }
      input.updateButtonValue(button, 1)
      const pressedAt = performance.now()
      await waitAppFrames(2)
      while (performance.now() - pressedAt < holdMs) await nextFrame()
      input.updateButtonValue(button, 0)
      await waitAppFrames(3)
      if (which === 'none') input.connected = false
    },
    { which, holdMs, button },
  )
}

/** Where {@link holdPose} puts the emulated headset and controllers (tracking space). */
export interface EmulatorPose {
  /** Headset position. */
  head: Vec3
  /** Headset orientation as a quaternion [x, y, z, w]; level and facing -z when left out. */
  headRotation?: [number, number, number, number]
  /** Controller positions; a controller left out stays where it is. */
  left?: Vec3
  right?: Vec3
  /** Also turn the given controllers to face -z (level), rather than leave their orientation. */
  controllersForward?: boolean
}

/**
 * Takes the emulator over (programmatic control) and holds the headset, and the controllers
 * given, at a pose: the set-up of every spec that needs the wearer somewhere in particular.
 */
export async function holdPose(page: Page, pose: EmulatorPose): Promise<void> {
  await page.evaluate((pose) => {
    const device = window.lingjing!.emulator!
    device.controlMode = 'programmatic'
    device.position.set(...pose.head)
    device.quaternion.set(...(pose.headRotation ?? [0, 0, 0, 1]))
    for (const side of ['left', 'right'] as const) {
      const at = pose[side]
      if (!at) continue
      const controller = device.controllers[side]!
      controller.position.set(...at)
      if (pose.controllersForward) controller.quaternion.set(0, 0, 0, 1)
    }
  }, pose)
}
