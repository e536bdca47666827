import { describe, expect, it } from 'vitest'
import { createManualClock } from '../time/clock'
import { createRng } from '../time/rng'
import { createInputSnapshot, type XRInputSnapshot } from '../input/input-snapshot'
import { createRecordingBuilder, type Recording, type RecordingEvent } from './recording-format'
import { ReplayError } from './replay-error'
import { createReplayPlayer, slerpQuaternion } from './replay-player'
import { createStateHasher, hashInputSnapshot } from './state-hash'
import { createSyntheticRecording } from './synthetic-session'

/** A toy app loop: clock and RNG driven by the player, state integrated from input. */
function runDeterministicApp(recording: unknown): { hash: string; frames: number; clockMs: number; events: string[] } {
  const player = createReplayPlayer(recording, { mode: 'deterministic' })
  const clock = createManualClock(0)
  const rng = createRng(player.seed)
  const snap = createInputSnapshot()
  const events: string[] = []
  let energy = 0
  let spawned = 0
  let frames = 0
  while (!player.ended) {
    const dt = player.advance(snap)
    clock.advance(dt)
    frames++
    player.eventsAt(snap.frame, (e) => events.push(`${e.frame}:${e.type}`))
    const right = snap.sources[1]
    // Input-dependent, time-dependent and RNG-dependent state: any divergence shows in the hash.
    energy += (right.connected ? right.targetRay.position[0] + right.buttons[0] : 0) * dt + snap.head.orientation[1]
    if (rng.next() < 0.1 + 0.1 * (right.pressed[0] ?? 0)) spawned++
  }
  const hasher = createStateHasher().number(energy).number(spawned).number(clock.now()).number(rng.getState())
  hashInputSnapshot(hasher, snap)
  return { hash: hasher.hex(), frames, clockMs: clock.now(), events }
}

describe('deterministic player', () => {
  const recording = createSyntheticRecording({ frames: 300, inputs: 'mixed', seed: 77, eventEvery: 50 })

  it('two runs over the same recording end in the same state hash', () => {
    const a = runDeterministicApp(recording)
    const b = runDeterministicApp(JSON.parse(JSON.stringify(recording)))
    const c = runDeterministicApp(JSON.stringify(recording))
    expect(a.frames).toBe(300)
    expect(b.hash).toBe(a.hash)
    expect(c.hash).toBe(a.hash)
    expect(a.events).toEqual(['0:task-step', '50:task-step', '100:task-step', '150:task-step', '200:task-step', '250:task-step'])
    const player = createReplayPlayer(recording, { mode: 'deterministic' })
    expect(a.clockMs).toBeCloseTo(player.durationMs, 6)
    // A different session (other seed and motion) must not collide.
    const other = runDeterministicApp(createSyntheticRecording({ frames: 300, inputs: 'mixed', seed: 78 }))
    expect(other.hash).not.toBe(a.hash)
  })

  it('advances exactly one recorded frame per call and returns recorded deltas', () => {
    const player = createReplayPlayer(recording, { mode: 'deterministic' })
    const snap = createInputSnapshot()
    expect(player.currentFrame).toBe(-1)
    expect(player.seed).toBe(77)
    expect(player.advance(snap)).toBe(0)
    expect(snap.frame).toBe(0)
    const d1 = player.advance(snap)
    expect(snap.frame).toBe(1)
    expect(d1).toBeCloseTo(player.frameTimeMs(1) - player.frameTimeMs(0), 9)
    expect(d1).toBeGreaterThan(13)
    player.seek(298)
    player.advance(snap)
    expect(snap.frame).toBe(298)
    expect(player.ended).toBe(false)
    player.advance(snap)
    expect(player.ended).toBe(true)
    expect(player.advance(snap)).toBe(0) // stays on the last frame
    expect(snap.frame).toBe(299)
    player.reset()
    expect(player.currentFrame).toBe(-1)
    expect(() => player.update(16, snap)).toThrow(ReplayError)
    expect(() => player.play()).toThrow(/not available in deterministic mode/)
  })

  it('refuses bad options with typed errors', () => {
    expect(() => createReplayPlayer(recording, { mode: 'fast' as never })).toThrow(ReplayError)
    expect(() => createReplayPlayer(recording, { mode: 'realtime', speed: 0 })).toThrow(ReplayError)
    expect(() => createReplayPlayer('{"format":', { mode: 'realtime' })).toThrow(expect.objectContaining({ code: 'truncated' }))
  })
})

/** Three frames 100 ms apart: head slides 1 m per frame and turns 90° about y per frame. */
function simpleRecording(): Recording {
  const builder = createRecordingBuilder({
    device: 'test',
    appVersion: '0.1.0',
    experience: 'mascot',
    seed: 5,
    recordedAt: '2025-03-01T10:00:00Z',
    frameRate: 10,
    mode: 'immersive-ar',
  })
  const snap = createInputSnapshot()
  snap.mode = 'immersive-ar'
  snap.frameRate = 10
  for (let f = 0; f < 3; f++) {
    snap.timeMs = 500 + f * 100
    snap.head.position[0] = f
    const angle = (f * Math.PI) / 2
    snap.head.orientation.set([0, Math.sin(angle / 2), 0, Math.cos(angle / 2)])
    const right = snap.sources[1]
    right.connected = true
    right.handedness = 'right'
    right.kind = f < 2 ? 'controller' : 'hand'
    right.hasGamepad = f < 2
    right.buttons[0] = f === 0 ? 0 : 1
    right.pressed[0] = f === 0 ? 0 : 1
    right.axes[3] = f === 0 ? -1 : 1
    right.targetRay.position[1] = f
    builder.appendFrame(snap)
    builder.appendEvent(f === 1 ? 'camera-cut' : 'task-step', { f })
  }
  return builder.build()
}

function yaw(snap: XRInputSnapshot): number {
  return 2 * Math.atan2(snap.head.orientation[1], snap.head.orientation[3])
}

describe('realtime player', () => {
  it('interpolates positions (lerp), rotations (slerp) and analog values between frames', () => {
    const player = createReplayPlayer(simpleRecording(), { mode: 'realtime' })
    const snap = createInputSnapshot()
    expect(player.durationMs).toBe(200)
    player.update(0, snap)
    expect(snap.head.position[0]).toBe(0)
    player.play()
    player.update(50, snap)
    expect(snap.timeMs).toBe(50)
    expect(snap.frame).toBe(0)
    expect(snap.mode).toBe('immersive-ar')
    expect(snap.head.position[0]).toBeCloseTo(0.5, 5)
    expect(yaw(snap)).toBeCloseTo(Math.PI / 4, 3)
    const right = snap.sources[1]
    expect(right.buttons[0]).toBeCloseTo(0.5, 5)
    expect(right.pressed[0]).toBe(0) // discrete state from the frame at/before the playhead
    expect(right.axes[3]).toBeCloseTo(0, 5)
    expect(right.targetRay.position[1]).toBeCloseTo(0.5, 5)
    // Controller → hand switch between frames 1 and 2: snaps to frame 1 instead of morphing.
    player.update(100, snap)
    expect(snap.frame).toBe(1)
    expect(snap.head.position[0]).toBeCloseTo(1.5, 5)
    expect(snap.sources[1].kind).toBe('controller')
    expect(snap.sources[1].targetRay.position[1]).toBeCloseTo(1, 5)
    player.update(1000, snap)
    expect(player.ended).toBe(true)
    expect(player.playing).toBe(false)
    expect(snap.frame).toBe(2)
    expect(snap.sources[1].kind).toBe('hand')
    expect(snap.head.position[0]).toBeCloseTo(2, 5)
  })

  it('pause, step, seek, speed and loop', () => {
    const player = createReplayPlayer(simpleRecording(), { mode: 'realtime' })
    const snap = createInputSnapshot()
    player.play()
    player.setSpeed(2)
    player.update(25, snap)
    expect(player.positionMs).toBe(50)
    player.pause()
    player.update(1000, snap)
    expect(player.positionMs).toBe(50)
    player.step(1)
    expect(player.currentFrame).toBe(1)
    player.update(0, snap)
    expect(snap.head.position[0]).toBeCloseTo(1, 5)
    player.step(-5)
    expect(player.currentFrame).toBe(0)
    player.seek(150, 'ms')
    player.update(0, snap)
    expect(snap.head.position[0]).toBeCloseTo(1.5, 5)
    player.seek(2)
    player.update(0, snap)
    expect(snap.head.position[0]).toBeCloseTo(2, 5)
    expect(player.ended).toBe(true)
    player.play() // at the end: restarts
    player.update(0, snap)
    expect(snap.head.position[0]).toBe(0)
    expect(() => player.setSpeed(-1)).toThrow(ReplayError)
    expect(() => player.seek(NaN)).toThrow(ReplayError)
    expect(() => player.advance(snap)).toThrow(expect.objectContaining({ code: 'wrong-mode' }))

    const looping = createReplayPlayer(simpleRecording(), { mode: 'realtime', loop: true })
    looping.play()
    looping.update(250, snap)
    expect(looping.positionMs).toBe(50)
    expect(looping.playing).toBe(true)
    expect(snap.head.position[0]).toBeCloseTo(0.5, 5)
  })

  it('fires events by frame and over skipped ranges', () => {
    const player = createReplayPlayer(simpleRecording(), { mode: 'realtime' })
    const seen: RecordingEvent[] = []
    expect(player.eventsAt(1, (e) => seen.push(e))).toBe(1)
    expect(seen[0]).toMatchObject({ frame: 1, type: 'camera-cut', data: { f: 1 }, t: 100 })
    expect(player.eventsBetween(-1, 2, (e) => seen.push(e))).toBe(3)
    expect(player.eventsBetween(0, 0, () => undefined)).toBe(0)
    expect(player.eventsAt(7, () => undefined)).toBe(0)
  })

  it('plays a long hand recording smoothly at odd speeds without drifting off the timeline', () => {
    const rec = createSyntheticRecording({ frames: 500, inputs: 'hands', keyframeInterval: 40 })
    const player = createReplayPlayer(rec, { mode: 'realtime', speed: 1.37 })
    const snap = createInputSnapshot()
    const exact = createInputSnapshot()
    player.play()
    let lastFrame = 0
    while (player.playing) {
      player.update(11.1, snap)
      expect(snap.frame).toBeGreaterThanOrEqual(lastFrame)
      lastFrame = snap.frame
      // Interpolated poses stay between (or on) the two neighbouring recorded poses.
      const o = snap.head.orientation
      expect(Math.hypot(o[0], o[1], o[2], o[3])).toBeCloseTo(1, 5)
      expect(snap.sources[0].jointsValid).toBe(true)
    }
    expect(lastFrame).toBe(499)
    player.readFrame(499, exact)
    expect(Array.from(snap.head.position)).toEqual(Array.from(exact.head.position))
  })
})

describe('slerpQuaternion', () => {
  it('takes the short way and keeps unit length', () => {
    const a = new Float32Array([0, 0, 0, 1])
    const b = new Float32Array([0, 0, 0, -1]) // same rotation, opposite sign
    const out = new Float32Array(4)
    slerpQuaternion(a, 0, b, 0, 0.5, out, 0)
    expect(Math.abs(out[3])).toBeCloseTo(1, 6)
    const c = new Float32Array([0, Math.SQRT1_2, 0, Math.SQRT1_2]) // 90° about y
    slerpQuaternion(a, 0, c, 0, 0.5, out, 0)
    expect(2 * Math.atan2(out[1], out[3])).toBeCloseTo(Math.PI / 4, 5)
  })
})
