import { describe, expect, it } from 'vitest'
import { createFrameBudget } from '../frame/budget'
import { createFrameLoop } from '../frame/frame-loop'
import { createInputSnapshot } from '../input/input-snapshot'
import { createManualClock } from '../time/clock'
import { createRng } from '../time/rng'
import { createReplayDriver, type ReplayGate } from './replay-driver'
import { createReplayPlayer } from './replay-player'
import { createSyntheticRecording } from './synthetic-session'

const recording = createSyntheticRecording({ frames: 240, inputs: 'controllers', seed: 9, eventEvery: 60 })

/**
 * Runs the real frame loop under a deterministic replay the way the app does: the driver picks the
 * timestamp, the input phase hands out the frame, a simulation system integrates input with the
 * seeded RNG. `gateAt(appFrame)` scripts loading, session and experience changes.
 */
function runApp(gateAt: (appFrame: number, loadedAt: number | null) => ReplayGate, maxFrames = 2000) {
  const player = createReplayPlayer(recording, { mode: 'deterministic' })
  const driver = createReplayDriver({ player, settleFrames: 5 })
  const loop = createFrameLoop({ clock: createManualClock(0), budget: createFrameBudget(72) })
  const input = createInputSnapshot()
  const rng = createRng(player.seed)
  const sim = { x: 0, spawned: 0, steps: 0 }
  const events: number[] = []
  driver.onEvent((e) => events.push(e.frame))
  loop.register({ name: 'replay', phase: 'input', update: () => void driver.fillInput(input) })
  loop.register({
    name: 'toy-sim',
    phase: 'simulation',
    update: (ctx) => {
      sim.steps++
      sim.x += input.sources[1].targetRay.position[0] * ctx.deltaMs
      if (rng.next() < input.sources[1].buttons[0]) sim.spawned++
    },
  })
  const timestamps: number[] = []
  let appFrames = 0
  while (!driver.ended && appFrames < maxFrames) {
    const t = driver.beginFrame(appFrames * 7.3 /* wall time: irrelevant */, gateAt(appFrames, null))
    timestamps.push(t)
    loop.frame(t)
    appFrames++
  }
  const hash = driver.stateHash((h) => h.number(sim.x).number(sim.spawned).number(loop.ctx.simTimeMs).number(rng.getState()))
  return { driver, sim, timestamps, appFrames, hash, events, simTimeMs: loop.ctx.simTimeMs }
}

const ready: ReplayGate = { presenting: true, experience: 'hub', ready: true }

describe('replay driver, deterministic', () => {
  it('hands out one recorded frame per app frame with the recorded time as the loop timestamp', () => {
    const run = runApp(() => ready)
    expect(run.appFrames).toBe(240)
    const player = createReplayPlayer(recording, { mode: 'deterministic' })
    expect(run.timestamps).toEqual(Array.from({ length: 240 }, (_, i) => player.frameTimeMs(i)))
    expect(run.events).toEqual([0, 60, 120, 180])
    expect(run.driver.phase).toBe('ended')
    expect(run.sim.steps).toBe(Math.floor(player.durationMs / (1000 / 90)))
  })

  it('ends in the same state however long it waits or holds for loading and sessions', () => {
    const straight = runApp(() => ready)
    // Waits 40 frames for the session, loads a new experience mid-way (holding until it is ready),
    // and loses the session for a while: the recorded timeline must be unaffected.
    const bumpy = runApp((f) => {
      if (f < 40) return { presenting: false, experience: 'hub', ready: true }
      if (f >= 100 && f < 103) return { presenting: true, experience: 'tianhe', ready: false }
      if (f >= 103 && f < 130) return { presenting: true, experience: 'tianhe', ready: f > 120 }
      if (f >= 103) return { presenting: f < 200 || f > 230, experience: 'tianhe', ready: true }
      return ready
    })
    expect(bumpy.appFrames).toBeGreaterThan(straight.appFrames + 60)
    expect(bumpy.driver.heldFrames).toBeGreaterThan(40)
    expect(bumpy.hash).toBe(straight.hash)
    expect(bumpy.driver.inputHash).toBe(straight.driver.inputHash)
    expect(bumpy.simTimeMs).toBe(straight.simTimeMs)
    // Held frames repeat the timestamp, so the loop sees zero delta and does not simulate.
    const distinct = bumpy.timestamps.filter((t, i) => i === 0 || t !== bumpy.timestamps[i - 1])
    expect(distinct).toEqual(straight.timestamps.filter((t, i) => i === 0 || t !== straight.timestamps[i - 1]))
  })

  it('different input or app events give a different hash', () => {
    const base = runApp(() => ready)
    const player = createReplayPlayer(createSyntheticRecording({ frames: 240, inputs: 'controllers', seed: 10, eventEvery: 60 }), { mode: 'deterministic' })
    const other = createReplayDriver({ player })
    const snap = createInputSnapshot()
    while (!other.ended) {
      other.beginFrame(0, ready)
      other.fillInput(snap)
    }
    expect(other.inputHash).not.toBe(base.driver.inputHash)
    const withEvent = createReplayDriver({ player: createReplayPlayer(recording, { mode: 'deterministic' }) })
    while (!withEvent.ended) {
      withEvent.beginFrame(0, ready)
      withEvent.fillInput(snap)
      if (withEvent.frame === 100) withEvent.noteAppEvent('experience', { id: 'tianhe' })
    }
    expect(withEvent.inputHash).toBe(base.driver.inputHash)
    expect(withEvent.stateHash()).not.toBe(base.driver.stateHash())
  })

  it('waits for the recorded experience, and after a change resumes only once the new one has loaded', () => {
    const driver = createReplayDriver({ player: createReplayPlayer(recording, { mode: 'deterministic' }), settleFrames: 5, timeBaseMs: 1000 })
    const snap = createInputSnapshot()
    for (let i = 0; i < 10; i++) {
      expect(driver.beginFrame(i, { presenting: true, experience: 'tianhe', ready: true })).toBe(1000)
      expect(driver.fillInput(snap)).toBe(false)
    }
    expect(driver.phase).toBe('waiting')
    // The view shows the recording's first frame while waiting.
    expect(snap.frame).toBe(0)
    expect(snap.sources[1].connected).toBe(true)
    driver.beginFrame(0, ready) // experience changed to hub: that is a change → settle
    expect(driver.fillInput(snap)).toBe(false)
    for (let i = 0; i < 4; i++) driver.beginFrame(0, ready)
    expect(driver.phase).toBe('waiting')
    driver.beginFrame(0, ready)
    expect(driver.phase).toBe('playing')
    expect(driver.fillInput(snap)).toBe(true)
    expect(driver.frame).toBe(0)
    // A change whose load is visible resumes as soon as it is ready (before settleFrames).
    driver.beginFrame(0, { presenting: true, experience: 'mascot', ready: false })
    driver.beginFrame(0, { presenting: true, experience: 'mascot', ready: false })
    expect(driver.phase).toBe('holding')
    driver.beginFrame(0, { presenting: true, experience: 'mascot', ready: true })
    expect(driver.phase).toBe('playing')
  })
})

describe('replay driver, realtime', () => {
  it('moves by wall time, pauses while the gate is closed and fires each passed event once', () => {
    const player = createReplayPlayer(recording, { mode: 'realtime' })
    const driver = createReplayDriver({ player })
    const snap = createInputSnapshot()
    const events: number[] = []
    driver.onEvent((e) => events.push(e.frame))
    let wall = 0
    const frame = (gate: ReplayGate, dt = 20) => {
      wall += dt
      expect(driver.beginFrame(wall, gate)).toBe(wall)
      driver.fillInput(snap)
    }
    frame({ presenting: false, experience: 'hub', ready: true })
    expect(driver.phase).toBe('waiting')
    frame(ready)
    expect(player.playing).toBe(true)
    for (let i = 0; i < 50; i++) frame(ready) // 1 s
    expect(player.positionMs).toBeCloseTo(1000, 0)
    const at = player.positionMs
    for (let i = 0; i < 10; i++) frame({ ...ready, presenting: false })
    expect(player.positionMs).toBe(at)
    expect(driver.phase).toBe('holding')
    // A frame after a long stall (hidden tab) moves at most maxStepMs.
    frame(ready, 5000)
    expect(player.positionMs - at).toBeLessThanOrEqual(250)
    expect(events).toEqual([0, 60])
    driver.seek(200) // jumping over frames 120 and 180 fires neither
    frame(ready)
    expect(events).toEqual([0, 60])
    driver.seek(0)
    frame(ready)
    for (let i = 0; i < 300; i++) frame(ready)
    expect(driver.ended).toBe(true)
    expect(events).toEqual([0, 60, 60, 120, 180])
    expect(driver.stateHash()).toBe('')
  })
})
