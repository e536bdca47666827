/**
 * Scripts for the shipped livestream and mascot sessions under xr-sessions/. Like
 * make-synthetic-sessions.ts, they are *recorded in the emulator* by the app's own recorder: a
 * Playwright page enters the immersive session, starts recording with the `R` key, drives IWER by
 * script one app frame at a time, stops with `R`, and saves the take through the app's Save button.
 * Only `meta.synthetic` and `meta.description` are set afterwards.
 *
 * Regenerate (writes the .json and .meta.json files):
 *   npm run make-sessions -- -g "livestream/|mascot/"
 * The e2e suite records the same takes (src/e2e/session-takes.ts) and only checks them.
 */
import type { Page } from '@playwright/test'
import type { ShippedSessionMeta } from './make-synthetic-sessions'

/** How the sessions of this module are regenerated (goes into each `.meta.json`). */
export const EXPERIENCE_SESSIONS_GENERATOR = 'npm run make-sessions'

/** A shipped session made by this module. */
export interface ExperienceSession {
  name: string
  description: string
  expected: ShippedSessionMeta['expected']
}

/** The livestream host: wave, reach out with both hands, then A, B, X, Y (happy → surprised → sad → relaxed). */
export const LIVESTREAM_HOST_WAVE: ExperienceSession = {
  name: 'livestream/host-wave-expressions',
  description:
    'Scripted in the IWER emulator (Meta Quest 3) at /livestream, in VR: the host stands on the stage with both controllers low at the sides, raises the right controller and waves (three swings, turning the wrist), lowers it, reaches out with both hands toward the audience and back, then presses the face buttons A (happy), B (surprised), X (sad) and Y (relaxed), one frame each, a few frames apart. Recording was started and stopped with the R key.',
  expected: {
    snapshot: {
      experience: 'livestream',
      xr: { presenting: true, mode: 'immersive-vr' },
      avatar: { loaded: true, source: 'default', vrmVersion: '1.0', tracking: true, expression: 'relaxed' },
    },
  },
}

/** Xiaoguan in passthrough AR on the Quest profile: aim at the floor, place, then tap it to wave. */
export const MASCOT_PLACE_WAVE: ExperienceSession = {
  name: 'mascot/place-and-wave',
  description:
    "Scripted in the IWER emulator (Meta Quest 3) at /mascot, in immersive-ar over IWER's synthetic room (office_small): the visitor aims the right controller at the floor ahead until the hit-test reticle shows, pulls the trigger (Xiaoguan flies out and lands on the floor plane, waving on arrival), waits until it hovers, then points the controller at Xiaoguan and clicks it, so it waves again. Recording was started with the R key and stopped (by the R shortcut) two frames after the wave began, so the replay ends mid-wave.",
  expected: {
    snapshot: {
      experience: 'mascot',
      xr: { presenting: true, mode: 'immersive-ar' },
      mascot: { placed: true, landed: true, animation: 'wave', ui: 'in-world' },
    },
  },
}

/** Takes programmatic control of the emulator and sets the starting pose (head at 1.6 m, hands low). */
export async function placeHost(page: Page): Promise<void> {
  await page.evaluate(() => {
    const device = window.lingjing!.emulator!
    device.controlMode = 'programmatic'
    device.position.set(0, 1.6, 0)
    device.quaternion.set(0, 0, 0, 1)
    device.controllers.left!.position.set(-0.25, 1.0, -0.1)
    device.controllers.left!.quaternion.set(0, 0, 0, 1)
    device.controllers.right!.position.set(0.25, 1.0, -0.1)
    device.controllers.right!.quaternion.set(0, 0, 0, 1)
  })
}

/** Starts or stops the recorder with its keyboard shortcut (`R`), dispatched in the page. */
export async function toggleRecordingKey(page: Page): Promise<void> {
  await page.evaluate(() => window.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyR', key: 'r' })))
}

/**
 * Drives the livestream host: every pose is set once per app frame, so the recording is smooth at
 * any frame rate. Expects /livestream in VR, recording, after {@link placeHost}.
 */
export async function driveLivestreamHost(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const device = window.lingjing!.emulator!
    const left = device.controllers.left!
    const right = device.controllers.right!
    const frames = () => window.lingjing!.snapshot().frame.frames
    const nextFrame = async () => {
      const start = frames()
      while (frames() <= start) await new Promise((resolve) => requestAnimationFrame(resolve))
    }
    const lerp = (a: number, b: number, k: number) => a + (b - a) * k
    const ease = (k: number) => k * k * (3 - 2 * k)
    // Roll about the controller's forward axis (z), as a wrist turns while waving.
    const roll = (c: typeof left, angle: number) => c.quaternion.set(0, 0, Math.sin(angle / 2), Math.cos(angle / 2))
    const move = async (c: typeof left, from: number[], to: number[], n: number, head?: (k: number) => void) => {
      for (let i = 1; i <= n; i++) {
        const k = ease(i / n)
        c.position.set(lerp(from[0], to[0], k), lerp(from[1], to[1], k), lerp(from[2], to[2], k))
        head?.(k)
        await nextFrame()
      }
    }
    for (let i = 0; i < 4; i++) await nextFrame()

    // Wave: raise the right hand beside the head, three swings with the wrist turning, lower it.
    const raised = [0.32, 1.62, -0.18]
    await move(right, [0.25, 1.0, -0.1], raised, 12)
    const swings = 36
    for (let i = 1; i <= swings; i++) {
      const phase = (i / 12) * Math.PI * 2
      right.position.set(raised[0] + 0.1 * Math.sin(phase), raised[1] + 0.02 * Math.cos(phase * 2), raised[2])
      roll(right, -0.45 * Math.sin(phase))
      // The head turns a little toward the waving hand.
      const yaw = -0.12 * Math.sin((i / swings) * Math.PI)
      device.quaternion.set(0, Math.sin(yaw / 2), 0, Math.cos(yaw / 2))
      await nextFrame()
    }
    roll(right, 0)
    device.quaternion.set(0, 0, 0, 1)
    await move(right, raised, [0.25, 1.0, -0.1], 10)

    // Reach out with both hands toward the audience, hold, and come back.
    const reachL = [-0.22, 1.35, -0.5]
    const reachR = [0.22, 1.35, -0.5]
    for (let i = 1; i <= 16; i++) {
      const k = ease(i / 16)
      left.position.set(lerp(-0.25, reachL[0], k), lerp(1.0, reachL[1], k), lerp(-0.1, reachL[2], k))
      right.position.set(lerp(0.25, reachR[0], k), lerp(1.0, reachR[1], k), lerp(-0.1, reachR[2], k))
      await nextFrame()
    }
    for (let i = 0; i < 6; i++) await nextFrame()
    for (let i = 1; i <= 14; i++) {
      const k = ease(i / 14)
      left.position.set(lerp(reachL[0], -0.25, k), lerp(reachL[1], 1.1, k), lerp(reachL[2], -0.25, k))
      right.position.set(lerp(reachR[0], 0.25, k), lerp(reachR[1], 1.1, k), lerp(reachR[2], -0.25, k))
      await nextFrame()
    }

    // Face buttons, each pressed for one app frame: A happy, B surprised (right), X sad, Y relaxed (left).
    const press = async (c: typeof left, id: string) => {
      c.updateButtonValue(id, 1)
      await nextFrame()
      c.updateButtonValue(id, 0)
      for (let i = 0; i < 6; i++) await nextFrame()
    }
    await press(right, 'a-button')
    await press(right, 'b-button')
    await press(left, 'x-button')
    await press(left, 'y-button')
    for (let i = 0; i < 4; i++) await nextFrame()
  })
}

/** Head and controllers for the mascot session: standing, right controller aimed at the floor ahead. */
export async function placeMascotVisitor(page: Page): Promise<void> {
  await page.evaluate(() => {
    const device = window.lingjing!.emulator!
    device.controlMode = 'programmatic'
    device.position.set(0, 1.6, 0)
    // Looking a little down, toward where Xiaoguan will land.
    device.quaternion.set(Math.sin(-0.2), 0, 0, Math.cos(-0.2))
    device.controllers.left!.position.set(-0.2, 1.1, -0.3)
    device.controllers.left!.quaternion.set(0, 0, 0, 1)
    device.controllers.right!.position.set(0.15, 1.2, -0.2)
    device.controllers.right!.quaternion.set(0, 0, 0, 1)
  })
}

/**
 * Sweeps the right controller's ray down to the floor, waits for the reticle, pulls the trigger for
 * one frame, and waits until Xiaoguan has landed and settled into hovering. Returns its position.
 */
export async function placeXiaoguan(page: Page): Promise<[number, number, number]> {
  return page.evaluate(async () => {
    const device = window.lingjing!.emulator!
    const right = device.controllers.right!
    const snap = () => window.lingjing!.snapshot()
    const mascot = () => snap().mascot!
    const nextFrame = async () => {
      const start = snap().frame.frames
      while (snap().frame.frames <= start) await new Promise((resolve) => requestAnimationFrame(resolve))
    }
    // Pitch the ray from level to 53° down (toward a point about 0.9 m ahead on the floor).
    for (let i = 1; i <= 12; i++) {
      const pitch = -0.93 * (i / 12)
      right.quaternion.set(Math.sin(pitch / 2), 0, 0, Math.cos(pitch / 2))
      await nextFrame()
    }
    for (let i = 0; i < 120 && !mascot().reticle; i++) await nextFrame()
    if (!mascot().reticle) throw new Error('no hit-test reticle on the floor')
    for (let i = 0; i < 3; i++) await nextFrame()
    right.updateButtonValue('trigger', 1)
    await nextFrame()
    right.updateButtonValue('trigger', 0)
    for (let i = 0; i < 400 && !(mascot().landed && mascot().animation === 'hover-idle'); i++) await nextFrame()
    const m = mascot()
    if (!m.landed || !m.position) throw new Error('Xiaoguan did not land')
    return m.position
  })
}

/**
 * Points the right controller at Xiaoguan from 45 cm in front of it and clicks (one frame pressed),
 * then stops recording two frames after the wave began. Returns false when the click did not make it
 * wave (a loaded machine can exceed pointer-events' click window; the caller may try again).
 */
export async function tapXiaoguanAndStop(page: Page, at: [number, number, number]): Promise<boolean> {
  return page.evaluate(async ([x, y, z]) => {
    const device = window.lingjing!.emulator!
    const right = device.controllers.right!
    const snap = () => window.lingjing!.snapshot()
    const animation = () => snap().mascot?.animation
    const nextFrame = async () => {
      const start = snap().frame.frames
      while (snap().frame.frames <= start) await new Promise((resolve) => requestAnimationFrame(resolve))
    }
    // From a point toward the visitor (at +z of Xiaoguan, 25 cm above its feet), aim at its body.
    const target = [x, y + 0.12, z]
    const from = [x + 0.05, y + 0.3, z + 0.45]
    const d = [target[0] - from[0], target[1] - from[1], target[2] - from[2]]
    const len = Math.hypot(d[0], d[1], d[2])
    const bx = d[0] / len, by = d[1] / len, bz = d[2] / len
    // Rotation taking -z onto b: q = (a × b, 1 + a·b) with a = (0, 0, -1), normalised.
    const qx = by, qy = -bx, qw = 1 - bz
    const n = Math.hypot(qx, qy, qw)
    for (let i = 1; i <= 8; i++) {
      const k = i / 8
      right.position.set(0.15 + (from[0] - 0.15) * k, 1.2 + (from[1] - 1.2) * k, -0.2 + (from[2] + 0.2) * k)
      await nextFrame()
    }
    right.quaternion.set(qx / n, qy / n, 0, qw / n)
    for (let i = 0; i < 4; i++) await nextFrame()
    right.updateButtonValue('trigger', 1)
    await nextFrame()
    right.updateButtonValue('trigger', 0)
    for (let i = 0; i < 8 && animation() !== 'wave'; i++) await nextFrame()
    if (animation() !== 'wave') return false
    await nextFrame()
    await nextFrame()
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyR', key: 'r' }))
    return true
  }, at)
}

/** Xiaoguan on the emulated phone (`?emulate=phone`): tap the floor to place, tap Xiaoguan to wave. */
export const MASCOT_PHONE_PLACE_WAVE: ExperienceSession = {
  name: 'mascot/phone-place-and-wave',
  description:
    "Scripted in the IWER emulator with Lingjing's handheld AR phone profile (?emulate=phone) at /mascot, in immersive-ar over IWER's synthetic room (office_small): the visitor holds the phone at 1.4 m tilted toward the floor until the reticle shows, taps the screen (a screen touch, handedness none, that exists only while the finger is down): Xiaoguan flies out and lands on the floor, waving on arrival. Once it hovers, a tap on Xiaoguan makes it wave again. Recording was started with the R key and stopped (by the R shortcut) two frames after that wave began. A replay picks the phone profile from meta.device by itself.",
  expected: {
    snapshot: {
      experience: 'mascot',
      xr: { presenting: true, mode: 'immersive-ar', device: 'Android phone (handheld AR)' },
      mascot: { placed: true, landed: true, animation: 'wave', ui: 'dom-overlay' },
    },
  },
}

/** Holds the emulated phone at 1.4 m, tilted 0.75 rad down toward the floor ahead. */
export async function holdPhone(page: Page): Promise<void> {
  await page.evaluate(() => {
    const device = window.lingjing!.emulator!
    device.controlMode = 'programmatic'
    device.position.set(0, 1.4, 0)
    device.quaternion.set(Math.sin(-0.375), 0, 0, Math.cos(-0.375))
  })
}

/**
 * One screen tap toward `target` (a point in the room), as Chrome reports it: the touch source
 * appears, stays 10 frames (the app mounts its pointer for it), is pressed for one frame and
 * released; `untilWave` then waits for Xiaoguan's wave. The touch disappears two frames later; with
 * `stopAfter` the recorder is stopped (R) right after. Returns whether Xiaoguan waved (or true
 * without `untilWave`).
 */
export async function tapScreen(page: Page, target: [number, number, number], options: { untilWave: boolean; stopAfter: boolean }): Promise<boolean> {
  return page.evaluate(
    async ({ target, options }) => {
      const device = window.lingjing!.emulator!
      const touch = device.controllers.none!
      const snap = () => window.lingjing!.snapshot()
      const animation = () => snap().mascot?.animation
      const nextFrame = async () => {
        const start = snap().frame.frames
        while (snap().frame.frames <= start) await new Promise((resolve) => requestAnimationFrame(resolve))
      }
      const from = [device.position.x, device.position.y, device.position.z]
      const d = [target[0] - from[0], target[1] - from[1], target[2] - from[2]]
      const len = Math.hypot(d[0], d[1], d[2])
      const bx = d[0] / len, by = d[1] / len, bz = d[2] / len
      // Rotation taking -z onto the tap direction: q = (a × b, 1 + a·b) with a = (0, 0, -1).
      const qx = by, qy = -bx, qw = 1 - bz
      const n = Math.hypot(qx, qy, qw)
      touch.position.set(from[0], from[1], from[2])
      touch.quaternion.set(qx / n, qy / n, 0, qw / n)
      touch.connected = true
      for (let i = 0; i < 10; i++) await nextFrame()
      touch.updateButtonValue('trigger', 1)
      await nextFrame()
      touch.updateButtonValue('trigger', 0)
      let waved = !options.untilWave
      for (let i = 0; i < 8 && !waved; i++) {
        await nextFrame()
        waved = animation() === 'wave'
      }
      await nextFrame()
      touch.connected = false
      await nextFrame()
      if (options.stopAfter && waved) window.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyR', key: 'r' }))
      return waved
    },
    { target, options },
  )
}

/** Waits (frame by frame) until Xiaoguan has landed and hovers; returns where it is. */
export async function waitForHover(page: Page): Promise<[number, number, number]> {
  return page.evaluate(async () => {
    const m = () => window.lingjing!.snapshot().mascot!
    for (let i = 0; i < 400 && !(m().landed && m().animation === 'hover-idle'); i++) await new Promise((resolve) => requestAnimationFrame(resolve))
    const landed = m()
    if (!landed.landed || !landed.position) throw new Error('Xiaoguan did not land')
    return landed.position
  })
}
