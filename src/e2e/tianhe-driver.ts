import { type Page } from '@playwright/test'
import { expect } from './fixtures'
import { readFileSync } from 'node:fs'
import { Quaternion, Vector3 } from 'three'
import type { Recording } from '../core/replay/recording-format'
import type { TaskSnapshot } from '../core/tianhe'
import type { TianheSnapshot } from '../experiences/tianhe/tianhe-experience'
import { TIANHE_LAYOUT } from '../core/tianhe/module-layout'
import { validateRecording } from '../core/replay/validate-recording'
import { enterXR, openExperience, saveScreenshot, snapshot } from './lingjing-page'
import { holdPose } from './xr-input'

/**
 * Drives the Tianhe experience in VR through the IWER emulator the way a visitor would: the
 * controllers are placed and aimed in tracking space, and the trigger and grip are pressed. Targets
 * come from `window.lingjing.snapshot().tianhe` (fixture hit boxes, items and tablet buttons in
 * tracking space), so a driver points at what the app shows rather than calling into it. Used by
 * tianhe.spec.ts and by the session generator (src/e2e/make-sessions), which records each task.
 */

/** A point or direction, [x, y, z] in metres. */
export type Vec = [number, number, number]
/** Which controller. */
export type Side = 'left' | 'right'

/** `snapshot().tianhe`, as the Tianhe experience types it. */
export type TianheSection = TianheSnapshot

/** One row of `snapshot().tasks`, as the procedure engine types it. */
export type TaskRow = TaskSnapshot

/** Where the visitor's head is held in tracking space. */
export const HEAD: Vec = [0, 1.6, 0]

/** Reads the Tianhe section of the snapshot. */
export async function th(page: Page): Promise<TianheSection> {
  return (await snapshot(page)).tianhe!
}

/** Reads the task list of the snapshot. */
export async function tasks(page: Page): Promise<TaskRow[]> {
  return (await snapshot(page)).tasks!
}

/** Waits for `n` app frames, in the page (works at any frame rate). */
export async function frames(page: Page, n: number): Promise<void> {
  await page.evaluate(async (count) => {
    const start = window.lingjing!.snapshot().frame.frames
    while (window.lingjing!.snapshot().frame.frames < start + count) await new Promise((r) => setTimeout(r, 30))
  }, n)
}

/** Orientation whose −Z (the controller's ray) points from `from` to `to`. */
export function aimQuaternion(from: Vec, to: Vec): [number, number, number, number] {
  const dir = new Vector3(...to).sub(new Vector3(...from)).normalize()
  const q = new Quaternion().setFromUnitVectors(new Vector3(0, 0, -1), dir)
  return [q.x, q.y, q.z, q.w]
}

/** Puts a controller at `from` (tracking space) with its ray toward `to`. */
export async function aim(page: Page, side: Side, from: Vec, to: Vec): Promise<void> {
  const q = aimQuaternion(from, to)
  await page.evaluate(
    ([s, p, r]) => {
      const c = window.lingjing!.emulator!.controllers[s as 'left' | 'right']!
      c.position.set(p[0], p[1], p[2])
      c.quaternion.set(r[0], r[1], r[2], r[3])
    },
    [side, from, q] as const,
  )
  await frames(page, 2)
}

/** Sets a controller button to `value` and lets two app frames see it. */
export async function button(page: Page, side: Side, id: 'trigger' | 'squeeze' | 'thumbstick' | 'x-button', value: number): Promise<void> {
  await page.evaluate(([s, b, v]) => window.lingjing!.emulator!.controllers[s as 'left' | 'right']!.updateButtonValue(b as string, v as number), [side, id, value] as const)
  await frames(page, 2)
}

/** Trigger pull: press, two frames, release. */
export async function pull(page: Page, side: Side): Promise<void> {
  await button(page, side, 'trigger', 1)
  await button(page, side, 'trigger', 0)
}

/**
 * Moves a controller from `from` by `delta` over `steps` app frames (one step per frame, ray kept
 * pointing along −z); with `release`, the grip opens in the same frame as the last step (a throw),
 * the hand going to `tuck` if given.
 */
export async function sweep(page: Page, side: Side, from: Vec, delta: Vec, steps: number, release: boolean, tuck: Vec | null = null): Promise<void> {
  await page.evaluate(
    ([s, p, d, n, rel, t]) =>
      new Promise<void>((resolve) => {
        const c = window.lingjing!.emulator!.controllers[s as 'left' | 'right']!
        let k = 0
        // One step per animation frame: the emulator runs one XR frame per browser frame and
        // applies a pose at the start of the next, so the app sees exactly one step a frame.
        const tick = () => {
          k++
          c.position.set(p[0] + (d[0] * k) / n, p[1] + (d[1] * k) / n, p[2] + (d[2] * k) / n)
          if (rel && k === n) {
            c.updateButtonValue('squeeze', 0)
            // Letting go, the hand comes off the wall (a hand left on it would brake the drift).
            if (t) c.position.set(t[0], t[1], t[2])
          }
          if (k < n) requestAnimationFrame(tick)
          else requestAnimationFrame(() => resolve())
        }
        requestAnimationFrame(tick)
      }),
    [side, from, delta, steps, release, tuck] as const,
  )
  await frames(page, 1)
}

/** `a + k·b`. */
export function add(a: Vec, b: Vec, k = 1): Vec {
  return [a[0] + b[0] * k, a[1] + b[1] * k, a[2] + b[2] * k]
}

/** The point `distance` from `from` toward `to`. */
export function towards(from: Vec, to: Vec, distance: number): Vec {
  const d = new Vector3(...to).sub(new Vector3(...from)).normalize().multiplyScalar(distance)
  return [from[0] + d.x, from[1] + d.y, from[2] + d.z]
}

/** Shows or hides the crew tablet (X button on the left controller). */
export async function showTablet(page: Page, open: boolean): Promise<void> {
  if ((await th(page)).tablet.open === open) return
  await button(page, 'left', 'x-button', 1)
  await button(page, 'left', 'x-button', 0)
  expect((await th(page)).tablet.open).toBe(open)
}

/** Taps a tablet button with the left controller (from 20 cm in front of it). */
export async function tapTablet(page: Page, id: string): Promise<void> {
  await showTablet(page, true)
  const at = (await th(page)).tablet.buttons[id]
  expect(at, `tablet button ${id}`).toBeTruthy()
  await aim(page, 'left', towards(at, HEAD, 0.2), at)
  await pull(page, 'left')
  await frames(page, 3)
}

/** Shows a tablet page (and waits for it to be drawn). */
export async function tabletPage(page: Page, name: 'tasks' | 'procedure' | 'comfort'): Promise<void> {
  const t = await th(page)
  if (t.tablet.page !== name || !Object.keys(t.tablet.buttons).some((b) => b.startsWith(name === 'tasks' ? 'task:' : name === 'procedure' ? 'hint' : 'vignette'))) {
    await tapTablet(page, `tab-${name}`)
    await expect.poll(async () => Object.keys((await th(page)).tablet.buttons).some((b) => b.startsWith(name === 'tasks' ? 'task:' : name === 'procedure' ? 'hint' : 'vignette'))).toBe(true)
  }
}

/** Waits until the autopilot glide has ended. */
export async function glideEnds(page: Page): Promise<void> {
  await expect.poll(async () => (await th(page)).autopilot.active, { timeout: 240_000, intervals: [500] }).toBe(false)
}

/** Points the right controller at a fixture from 30 cm out along its normal. */
export async function aimAtFixture(page: Page, side: Side, id: string): Promise<void> {
  const f = (await th(page)).fixtures[id]
  expect(f, `fixture ${id}`).toBeTruthy()
  await aim(page, side, add(f.center, f.normal, 0.3), f.center)
}

/** Opens /tianhe in English, enters VR and holds the head and hands at rest. */
export async function enterTianhe(page: Page, query = ''): Promise<void> {
  await openExperience(page, `/tianhe?lang=en${query}`)
  await enterXR(page, 'VR')
  await holdPose(page, { head: [0, 1.6, 0], left: [-0.3, 1.1, -0.3], right: [0.3, 1.1, -0.3] })
  await frames(page, 5)
}

/** Nearest handrail point to a module-space point, in module space. */
export function nearestRail(p: Vector3): Vector3 {
  let best = new Vector3()
  let bestD = Infinity
  for (const rail of TIANHE_LAYOUT.handrails) {
    const a = new Vector3(...rail.start)
    const b = new Vector3(...rail.end)
    const ab = b.clone().sub(a)
    const t = Math.max(0, Math.min(1, p.clone().sub(a).dot(ab) / ab.lengthSq()))
    const c = a.addScaledVector(ab, t)
    const d = c.distanceTo(p)
    if (d < bestD) {
      bestD = d
      best = c
    }
  }
  return best
}

/** Module space → tracking space with the snapshot's rig pose. */
export function toTracking(t: TianheSection, p: Vector3): Vec {
  const q = new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), -t.origin.yaw)
  const v = p.clone().sub(new Vector3(t.origin.x, t.origin.y, t.origin.z)).applyQuaternion(q)
  return [v.x, v.y, v.z]
}

/** Grips the handrail nearest to `offset` (module axes) from the head with the right hand; returns the grip point. */
export async function gripRailNear(page: Page, offset: Vec): Promise<Vec> {
  const t = await th(page)
  const rail = nearestRail(new Vector3(t.head[0] + offset[0], t.head[1] + offset[1], t.head[2] + offset[2]))
  const grip = toTracking(t, rail)
  await aim(page, 'right', grip, add(grip, [0, 0, -1]))
  await button(page, 'right', 'squeeze', 1)
  expect((await th(page)).hands.right.holding).toBe('rail')
  return grip
}

/** The value a 'read' step wants, read off the gauge the way the visitor would (the console page). */
export function gaugeValue(t: TianheSection, step: string): number | string {
  const ls = t.world.lifeSupport
  const values: Record<string, number> = {
    'read-pressure': ls.pressureKPa,
    'read-o2': ls.ppO2KPa,
    'read-co2': ls.ppCO2KPa,
    'read-temperature': ls.temperatureC,
    'verify-dp': ls.filterDpKPa,
  }
  if (step === 'explain') return 'no-buoyancy'
  return values[step]
}

/** Euclidean distance. */
export function distance(a: Vec, b: Vec): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])
}

/** Glides to the current step's target with the tablet's "Guide me there" when it is out of reach. */
export async function goToTarget(page: Page): Promise<void> {
  const t = await th(page)
  const target = t.procedure.target
  if (!target) return
  const f = t.fixtures[target]
  if (f && distance(f.center, HEAD) < 1.25) return
  await tabletPage(page, 'procedure')
  await tapTablet(page, 'guide')
  await expect.poll(async () => (await th(page)).autopilot.active || distance((await th(page)).fixtures[target].center, HEAD) < 1.25).toBe(true)
  console.log(`  guide → ${target}: ${JSON.stringify((await th(page)).autopilot)}`)
  await glideEnds(page)
  const end = await th(page)
  console.log(`  arrived: head ${end.head.join(', ')}; hands ${JSON.stringify(end.hands)}`)
}

/** Parks the left controller low and out of the way (the recorder's wrist menu floats above it). */
export async function parkLeft(page: Page): Promise<void> {
  await aim(page, 'left', [-0.35, 0.75, 0.05], [-0.35, 0.75, -1])
}

/**
 * Does the active task's steps with the controllers until it is done: trigger for presses and
 * switches, grip for taking things (held while gliding to where they go) and letting go to place
 * them, the tablet's answer buttons for readings, the workstation sticks for the arm.
 */
export async function runTask(page: Page, taskId: string): Promise<void> {
  await tabletPage(page, 'tasks')
  await tapTablet(page, `task:${taskId}`)
  await expect.poll(async () => (await th(page)).procedure.task).toBe(taskId)
  let guard = 0
  while (guard++ < 60) {
    const row = (await tasks(page)).find((r) => r.id === taskId)!
    if (row.state !== 'active') break
    const t = await th(page)
    const step = t.procedure.step!
    const expects = t.procedure.expects!
    const actionsBefore = t.actionCount
    console.log(`[${taskId}] ${step}: ${expects.type} ${expects.fixture}${expects.item ? ` ${expects.item}` : ''} (head ${t.head.join(', ')}, zone ${t.zone})`)
    // Timed steps complete on their own: watch the ball, run, (the arm is driven below).
    if (step === 'observe' || step === 'run') {
      await expect.poll(async () => (await th(page)).procedure.step, { timeout: 400_000, intervals: [1000] }).not.toBe(step)
      continue
    }
    if (step === 'drive-to-target') {
      await driveArm(page)
      continue
    }
    if (t.procedure.choices.length > 0) {
      // Read the gauge (once it has settled), then press the matching answer on the tablet.
      await expect.poll(async () => (await th(page)).procedure.ready, { timeout: 120_000 }).toBe(true)
      await tabletPage(page, 'procedure')
      const now = await th(page)
      const want = gaugeValue(now, step)
      const index = now.procedure.choices.findIndex((c) => (typeof c === 'number' ? Math.abs(c - (want as number)) < 1e-6 : c === want))
      expect(index, `${step}: ${want} among ${now.procedure.choices}`).toBeGreaterThanOrEqual(0)
      await tapTablet(page, `choice:${index}`)
      await expect.poll(async () => (await th(page)).procedure.step).not.toBe(step)
      continue
    }
    await goToTarget(page)
    if ((await th(page)).hands.left.holding === 'none') await parkLeft(page)
    const here = await th(page)
    if (expects.type === 'grab') {
      const side: Side = expects.fixture === 'arm-joystick-left' ? 'left' : 'right'
      const item = expects.item
      if (item && here.items[item] && expects.fixture === 'hatch-tianzhou') {
        // Reach into the cargo ship toward that bag.
        const at = here.items[item].at
        if (step === 'unload-bag-01') await saveScreenshot(page, 'tianhe-tianzhou-hatch')
        await aim(page, side, towards(at, HEAD, 0.4), at)
      } else {
        await aimAtFixture(page, side, expects.fixture)
      }
      await button(page, side, 'squeeze', 1)
      // Harness: hands free again once it is on (the straps hold it); sticks and items stay held.
      if (expects.fixture === 'treadmill-harness') await button(page, side, 'squeeze', 0)
    } else if (expects.type === 'place') {
      expect((await th(page)).hands.right.item).toBe(expects.item)
      await aimAtFixture(page, 'right', expects.fixture)
      await button(page, 'right', 'squeeze', 0)
    } else {
      // The tablet floats low in front; put it away so it is not between the ray and the target.
      await showTablet(page, false)
      await aimAtFixture(page, 'right', expects.fixture)
      await pull(page, 'right')
    }
    await frames(page, 3)
    const after = await th(page)
    // The gesture reached the app (an action was judged) and was not a mistake.
    if (!(after.actionCount > actionsBefore || after.procedure.step !== step)) {
      await saveScreenshot(page, `tianhe-fail-${step}`)
      console.log(JSON.stringify({ lastPick: after.lastPick, hands: after.hands, head: after.head, target: after.fixtures[expects.fixture] }))
    }
    expect(after.actionCount > actionsBefore || after.procedure.step !== step, `${step}: no action reached the task`).toBe(true)
    const last = after.actions[after.actions.length - 1]
    expect(last?.code, `${step}: ${JSON.stringify(last)}`).toBeUndefined()
  }
  await expect.poll(async () => (await tasks(page)).find((r) => r.id === taskId)?.state).toBe('done')
}

/** Holds both workstation sticks and pushes the translation stick toward the target until the tip is there. */
export async function driveArm(page: Page): Promise<void> {
  // Deflections are offsets from where the hand closed round the stick (the controller's pose then).
  const anchor = await page.evaluate(() => {
    const p = window.lingjing!.emulator!.controllers.left!.position
    return [p.x, p.y, p.z] as Vec
  })
  for (let i = 0; i < 400; i++) {
    const t = await th(page)
    if (t.procedure.step !== 'drive-to-target') break
    const d = new Vector3(...t.arm.target).sub(new Vector3(...t.arm.tip))
    const gain = Math.min(1, d.length() / 0.5) * 0.08
    // Module → tracking: undo the rig's yaw.
    d.normalize().multiplyScalar(gain).applyAxisAngle(new Vector3(0, 1, 0), -t.origin.yaw)
    const at = add(anchor, [d.x, d.y, d.z])
    await page.evaluate(([p]) => window.lingjing!.emulator!.controllers.left!.position.set(p[0], p[1], p[2]), [at] as const)
    await frames(page, 3)
  }
  // Let go of both sticks (the arm holds still), ready for the brake.
  await button(page, 'left', 'squeeze', 0)
  await button(page, 'right', 'squeeze', 0)
}

/** The shipped task sessions: what each one does (for `meta.description`). */
export const TASK_SESSIONS: { id: string; does: string }[] = [
  { id: 'morning-check', does: 'glides to the main console with the tablet\'s "Guide me there", wakes it (trigger), reads pressure, ppO2, ppCO2 and temperature off the console and enters each on the tablet, then acknowledges the caution & warning alarm' },
  { id: 'cargo-transfer', does: 'glides through the aft passage to the Tianzhou hatch, opens it, and for each of the four bags reaches into the cargo ship, takes the bag (grip), glides to the stowage slot on the stowage list and lets go there' },
  { id: 'filter-replacement', does: 'glides to the life-support panel, opens it, takes out the old cartridge and stows it in the waste slot, fetches the new cartridge from stowage S-08, installs and locks it, closes the panel and confirms the pressure drop on the tablet' },
  { id: 'robotic-arm', does: 'glides to the robotic-arm workstation, powers the arm, switches to Cartesian mode, releases the brake, holds both joysticks and drives the tip to the target seen on the camera view, lets go and sets the brake' },
  { id: 'tiangong-classroom', does: 'glides to the water-ball station, makes the water ball, places the ping-pong ball in it, watches it stay put (no buoyancy) and answers why on the tablet' },
  { id: 'treadmill-exercise', does: 'sets the 15 s demo workout on the tablet, glides to the treadmill, puts on the harness, starts the belt, runs the 15 s and stops it' },
]

/** Saves the finished take through the app's own Save button; returns the validated file. */
export async function saveTake(page: Page): Promise<Recording> {
  const card = page.locator('.take[data-origin="finished"]').last()
  await expect(card).toContainText('Recording finished')
  const download = page.waitForEvent('download')
  await card.getByRole('button', { name: 'Save (download)' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^lingjing-tianhe-.*\.json$/)
  const checked = validateRecording(readFileSync(await file.path(), 'utf8'))
  if (!checked.ok) throw new Error(`the saved take is invalid: ${checked.error.message.en}`)
  return checked.recording
}
