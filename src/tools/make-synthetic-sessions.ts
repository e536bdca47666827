/**
 * Makes the shipped synthetic sessions under xr-sessions/ by *recording them in the emulator*: a
 * Playwright page enters VR in IWER, presses the app's own Record button (the `R` key), drives the
 * emulated headset and controllers by script, stops, and downloads the take through the app's own
 * Save button. The file is therefore exactly what the real recorder writes; only `meta.synthetic`
 * and `meta.description` are set afterwards to say it was scripted.
 *
 * Run (regenerates xr-sessions/hub/portal-to-tianhe.json and its .meta.json):
 *   npm run make-sessions -- -g "hub/portal-to-tianhe"
 * The e2e suite records the same take (src/e2e/session-takes.ts) and only checks it.
 */
import type { Page } from '@playwright/test'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { BODY_JOINT_STRIDE, bodyJointIndex, createInputSnapshot } from '../core/input/input-snapshot'
import { createRecordingBuilder, type Recording } from '../core/replay/recording-format'
import { fillSyntheticSnapshot } from '../core/replay/synthetic-session'

/** What a shipped session's `.meta.json` says (the e2e suite checks `expected` after replay). */
export interface ShippedSessionMeta {
  /** The recording file next to this metadata file. */
  recording: string
  /** Device profile the recording was made with. */
  device: string
  /** Experience the replay starts in. */
  experience: string
  /** True: scripted, not a capture of a person. */
  synthetic: boolean
  /** What happens in the session, for humans. */
  description: string
  /** How to regenerate it. */
  generator: string
  /** Mode the outcome is checked in. */
  replayMode: 'deterministic'
  /** Machine-checkable outcome: `snapshot` must match `window.lingjing.snapshot()` after the replay ends. */
  expected: { snapshot: Record<string, unknown> }
}

/** The hub session: look around, then click the Tianhe portal with the right trigger. */
export const PORTAL_TO_TIANHE = {
  name: 'hub/portal-to-tianhe',
  description:
    'Scripted in the IWER emulator (Meta Quest 3): standing on the hub deck, look left and right across the portals, raise the right controller toward the Tianhe portal (straight ahead), pull and release the trigger; the visitor walks through into the Tianhe core module. Recording was started by pointing the right controller at the in-world wrist button and clicking it (that button is hidden during replays, so the click changes nothing there), and stopped with the R key.',
  expected: { snapshot: { experience: 'tianhe' } },
} as const

/** Advances the page by `count` frames of the app's frame loop. */
async function frames(page: Page, count: number): Promise<void> {
  await page.evaluate(async (n) => {
    const start = window.lingjing!.snapshot().frame.frames
    while (window.lingjing!.snapshot().frame.frames < start + n) await new Promise((resolve) => requestAnimationFrame(resolve))
  }, count)
}

/**
 * Drives the emulated headset and controllers through the portal session. Expects the hub in an
 * immersive session, recording. Every pose is set once per app frame so the recording is smooth.
 */
export async function drivePortalToTianhe(page: Page): Promise<void> {
  await placeEmulator(page)
  await frames(page, 3)
  await lookAroundAndAim(page)
  await frames(page, 4)
  await clickRightTrigger(page)
}

/** Takes programmatic control: head at 1.6 m looking ahead, hands low in front. */
export async function placeEmulator(page: Page): Promise<void> {
  await page.evaluate(() => {
    const device = window.lingjing!.emulator!
    device.controlMode = 'programmatic'
    device.position.set(0, 1.6, 0)
    device.quaternion.set(0, 0, 0, 1)
    device.controllers.left!.position.set(-0.2, 1.1, -0.3)
    device.controllers.right!.position.set(0.2, 1.1, -0.3)
    device.controllers.right!.quaternion.set(0, 0, 0, 1)
  })
}

async function lookAroundAndAim(page: Page): Promise<void> {
  // Look around: yaw left to the livestream portal, right to the mascot portal, back to the middle.
  await page.evaluate(async () => {
    const device = window.lingjing!.emulator!
    const nextFrame = () => {
      const start = window.lingjing!.snapshot().frame.frames
      return new Promise<void>((resolve) => {
        const tick = () => (window.lingjing!.snapshot().frame.frames > start ? resolve() : requestAnimationFrame(tick))
        requestAnimationFrame(tick)
      })
    }
    const steps = 36
    for (let i = 0; i <= steps; i++) {
      const yaw = 0.55 * Math.sin((i / steps) * Math.PI * 2)
      const pitch = -0.05 * Math.sin((i / steps) * Math.PI)
      // Yaw about y, then a little pitch about x (quaternion product, written out).
      const cy = Math.cos(yaw / 2), sy = Math.sin(yaw / 2), cx = Math.cos(pitch / 2), sx = Math.sin(pitch / 2)
      device.quaternion.set(cy * sx, sy * cx, -sy * sx, cy * cx)
      device.controllers.left!.position.set(-0.2 + 0.02 * Math.sin(i / 5), 1.1, -0.3)
      await nextFrame()
    }
    // Raise the right controller toward the Tianhe portal (straight ahead, 4.2 m, ring at 1.45 m).
    for (let i = 1; i <= 10; i++) {
      const k = i / 10
      device.controllers.right!.position.set(0.2 - 0.1 * k, 1.1 + 0.35 * k, -0.3)
      await nextFrame()
    }
  })
}

/**
 * Pulls and releases the right trigger: pressed for exactly one app frame, so the release lands
 * within pointer-events' 300 ms click window even when a loaded machine renders 4 frames a second.
 */
export async function clickRightTrigger(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const right = window.lingjing!.emulator!.controllers.right!
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve))
    right.updateButtonValue('trigger', 1)
    // IWER applies the value at the next frame start; release once the app has seen that frame.
    const pressedAt = window.lingjing!.snapshot().frame.frames
    while (window.lingjing!.snapshot().frame.frames < pressedAt + 1) await nextFrame()
    right.updateButtonValue('trigger', 0)
  })
}

/** The command that (re)makes the shipped sessions (src/e2e/make-sessions); `-- -g NAME` for one. */
export const SESSIONS_GENERATOR = 'npm run make-sessions'

/** Marks an emulator recording as a scripted (synthetic) session with a description. */
export function markSynthetic(recording: Recording, description: string): Recording {
  return { ...recording, meta: { ...recording.meta, synthetic: true, description } }
}

/** Writes `xr-sessions/NAME.json` and `xr-sessions/NAME.meta.json` under `root`; `generator` is the command that made it. */
export function writeShippedSession(root: string, name: string, recording: Recording, expected: ShippedSessionMeta['expected'], generator = `${SESSIONS_GENERATOR} -- -g "${name}"`): void {
  const file = join(root, 'xr-sessions', `${name}.json`)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, JSON.stringify(recording) + '\n')
  const meta: ShippedSessionMeta = {
    recording: `${name.split('/').pop()}.json`,
    device: recording.meta.device,
    experience: recording.meta.experience,
    synthetic: recording.meta.synthetic,
    description: recording.meta.description,
    generator,
    replayMode: 'deterministic',
    expected,
  }
  writeFileSync(join(root, 'xr-sessions', `${name}.meta.json`), JSON.stringify(meta, null, 2) + '\n')
}

/**
 * The body-tracked livestream session (issue 17): no emulator can record a body yet (IWER has no
 * body tracking), so this one is *generated* frame by frame in Node from the synthetic body
 * (src/core/replay/synthetic-body.ts) through the recorder's own builder, and is version 2.
 */
export const LIVESTREAM_HOST_BODY = {
  name: 'livestream/host-body-walk-squat',
  description:
    'Generated (not recorded in the emulator: IWER cannot emulate body tracking): the host on the livestream stage, in VR with body tracking, both controllers held at the wrists. For 2 s the host walks in place (one stride per second, each knee bending in turn), then squats down and stands up again over 2 s (knees to about 100°). Frame times are exactly 1/72 s apart. Every frame carries the 23 recorded body joints (format version 2); the knee angles are those of src/core/replay/synthetic-body.ts.',
  expected: {
    snapshot: {
      experience: 'livestream',
      xr: { presenting: true, mode: 'immersive-vr' },
      avatar: { loaded: true, source: 'default', tracking: true, legs: { driver: 'body' } },
    },
  },
  frames: 288,
  seed: 1717,
} as const

/**
 * Builds {@link LIVESTREAM_HOST_BODY}: head and body from the synthetic squat-walk body, the two
 * controllers at the tracked wrists (no buttons), recorded with the app's builder. Deterministic.
 */
export function makeHostBodySession(): Recording {
  const s = LIVESTREAM_HOST_BODY
  const builder = createRecordingBuilder({
    device: 'IWER Meta Quest 3',
    appVersion: '0.1.0',
    experience: 'livestream',
    seed: s.seed,
    synthetic: true,
    description: s.description,
    recordedAt: '2026-12-06T12:00:00.000Z',
    frameRate: 72,
    mode: 'immersive-vr',
  })
  const snap = createInputSnapshot()
  const options = { frames: s.frames, inputs: 'none', body: 'squat-walk' } as const
  for (let f = 0; f < s.frames; f++) {
    fillSyntheticSnapshot(snap, f, options)
    snap.timeMs = (f * 1000) / 72
    for (let i = 0; i < 2; i++) {
      const source = snap.sources[i]
      const wrist = bodyJointIndex(i === 0 ? 'left-hand-wrist' : 'right-hand-wrist') * BODY_JOINT_STRIDE
      source.connected = true
      source.kind = 'controller'
      source.handedness = i === 0 ? 'left' : 'right'
      source.hasGamepad = true
      source.jointsValid = false
      // The grip a few centimetres in front of the wrist, controller upright, pointing forward (-Z).
      source.grip.position[0] = snap.body[wrist]
      source.grip.position[1] = snap.body[wrist + 1]
      source.grip.position[2] = snap.body[wrist + 2] - 0.05
      source.grip.orientation.set([0, 0, 0, 1])
      source.targetRay.position.set(source.grip.position)
      source.targetRay.orientation.set([0, 0, 0, 1])
    }
    builder.appendFrame(snap)
  }
  return builder.build()
}
