import { describe, expect, it } from 'vitest'
import { createInputSnapshot, HAND_JOINT_COUNT, JOINT_STRIDE, type Pose, type XRInputSnapshot } from '../input/input-snapshot'
import {
  assembleRecording,
  computeFrameTimes,
  createFrameCursor,
  createFrameState,
  createRecordingBuilder,
  decodeFrame,
  encodeFrame,
  readFrameState,
  type RecordingChunk,
  type RecordingMetaInput,
} from './recording-format'
import { ReplayError } from './replay-error'
import { createSyntheticRecording, fillSyntheticSnapshot, type SyntheticSessionOptions } from './synthetic-session'
import { validateRecording } from './validate-recording'

const META: RecordingMetaInput = {
  device: 'test-device',
  appVersion: '0.1.0',
  experience: 'tianhe',
  seed: 1234,
  recordedAt: '2025-03-01T10:00:00Z',
  frameRate: 72,
  mode: 'immersive-vr',
}

/** Rotation distance tolerant of q ≡ -q. */
function quatClose(a: Float32Array, b: Float32Array, ao = 0, bo = 0): number {
  const dot = Math.abs(a[ao] * b[bo] + a[ao + 1] * b[bo + 1] + a[ao + 2] * b[bo + 2] + a[ao + 3] * b[bo + 3])
  return 1 - Math.min(1, dot)
}

function expectPoseClose(actual: Pose, expected: Pose): void {
  for (let i = 0; i < 3; i++) expect(Math.abs(actual.position[i] - expected.position[i])).toBeLessThanOrEqual(0.0005 + 1e-6)
  expect(quatClose(actual.orientation, expected.orientation)).toBeLessThan(1e-6)
  const o = actual.orientation
  expect(Math.hypot(o[0], o[1], o[2], o[3])).toBeCloseTo(1, 6)
}

function expectSnapshotClose(actual: XRInputSnapshot, expected: XRInputSnapshot): void {
  expect(actual.mode).toBe(expected.mode)
  expect(actual.frameRate).toBeCloseTo(expected.frameRate, 2)
  expectPoseClose(actual.head, expected.head)
  for (let s = 0; s < 2; s++) {
    const a = actual.sources[s]
    const e = expected.sources[s]
    expect(a.connected).toBe(e.connected)
    if (!e.connected) continue
    expect(a.kind).toBe(e.kind)
    expect(a.handedness).toBe(e.handedness)
    expect(a.jointsValid).toBe(e.jointsValid)
    expect(a.hasGamepad).toBe(e.hasGamepad)
    expectPoseClose(a.targetRay, e.targetRay)
    expectPoseClose(a.grip, e.grip)
    if (e.jointsValid) {
      for (let j = 0; j < HAND_JOINT_COUNT; j++) {
        const o = j * JOINT_STRIDE
        for (let i = 0; i < 3; i++) expect(Math.abs(a.joints[o + i] - e.joints[o + i])).toBeLessThanOrEqual(0.0005 + 1e-6)
        expect(quatClose(a.joints, e.joints, o + 3, o + 3)).toBeLessThan(1e-6)
        expect(Math.abs(a.joints[o + 7] - e.joints[o + 7])).toBeLessThanOrEqual(0.00005 + 1e-7)
      }
    }
    if (e.hasGamepad) {
      for (let b = 0; b < 7; b++) {
        expect(Math.abs(a.buttons[b] - e.buttons[b])).toBeLessThanOrEqual(0.5 / 255 + 1e-6)
        expect(a.pressed[b]).toBe(e.pressed[b])
        expect(a.touched[b]).toBe(e.touched[b])
      }
      for (let i = 0; i < 4; i++) expect(Math.abs(a.axes[i] - e.axes[i])).toBeLessThanOrEqual(0.0005 + 1e-6)
    }
  }
}

describe('encodeFrame / decodeFrame', () => {
  for (const inputs of ['controllers', 'hands', 'mixed', 'none'] as const) {
    it(`round-trips ${inputs} frames within quantisation tolerance, across keyframes`, () => {
      const options: SyntheticSessionOptions = { frames: 40, inputs }
      const encState = createFrameState()
      const decState = createFrameState()
      const src = createInputSnapshot()
      const out = createInputSnapshot()
      for (let f = 0; f < options.frames; f++) {
        fillSyntheticSnapshot(src, f, options)
        src.timeMs = f * 13.889
        const keyframe = f % 10 === 0
        const encoded = encodeFrame(src, encState, keyframe)
        const json = JSON.parse(JSON.stringify(encoded))
        decodeFrame(json, decState, keyframe, f, out)
        expect(out.frame).toBe(f)
        expect(Math.abs(out.timeMs - src.timeMs)).toBeLessThanOrEqual(0.05 + 1e-9)
        expectSnapshotClose(out, src)
      }
    })
  }

  it('stores small deltas between keyframes and absolute values at keyframes', () => {
    const state = createFrameState()
    const snap = createInputSnapshot()
    fillSyntheticSnapshot(snap, 0, { frames: 2, inputs: 'controllers' })
    const key = encodeFrame(snap, state, true, 0)
    expect(key[4]).toBe(1600) // head y in mm, absolute
    const same = encodeFrame(snap, state, false, 13.9)
    expect(same[0]).toBe(139)
    expect(same.slice(1, 10)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0])
    expect((same[10] as number[]).slice(1).every((v) => v === 0)).toBe(true)
  })

  it('never writes a value the validator would reject (NaN, zero quaternion, out of range)', () => {
    const builder = createRecordingBuilder(META)
    const snap = createInputSnapshot()
    snap.mode = 'immersive-vr'
    snap.head.position[0] = NaN
    snap.head.position[1] = 5000 // 5 km
    snap.head.orientation.fill(0)
    snap.sources[0].connected = true
    snap.sources[0].kind = 'controller'
    snap.sources[0].hasGamepad = true
    snap.sources[0].buttons[0] = 3
    snap.sources[0].axes[0] = -7
    snap.sources[0].grip.orientation[0] = NaN
    builder.appendFrame(snap)
    snap.timeMs = -50 // clock went backwards
    builder.appendFrame(snap)
    const result = validateRecording(JSON.stringify(builder.build()))
    expect(result.ok).toBe(true)
  })
})

describe('createFrameCursor / computeFrameTimes', () => {
  it('decodes any frame the same way regardless of access order', () => {
    const rec = createSyntheticRecording({ frames: 200, inputs: 'mixed', keyframeInterval: 30 })
    const sequential: string[] = []
    const cursor = createFrameCursor(rec)
    for (let f = 0; f < rec.frames.length; f++) {
      cursor.moveTo(f)
      sequential.push(cursor.state.join(','))
    }
    const random = createFrameCursor(rec)
    for (const f of [150, 3, 199, 0, 31, 30, 29, 120, 121, 60]) {
      random.moveTo(f)
      expect(random.state.join(',')).toBe(sequential[f])
    }
    const times = computeFrameTimes(rec)
    const snap = createInputSnapshot()
    for (const f of [0, 57, 199]) {
      cursor.moveTo(f)
      readFrameState(cursor.state, f, snap)
      expect(snap.timeMs).toBe(times[f])
    }
    expect(times[0]).toBe(0)
  })
})

describe('createRecordingBuilder', () => {
  function record(frames: number, chunkSize: number, onFrame?: (b: ReturnType<typeof createRecordingBuilder>, f: number) => void) {
    const builder = createRecordingBuilder({ ...META, keyframeInterval: 16 }, { chunkSize })
    const snap = createInputSnapshot()
    const chunks: RecordingChunk[] = []
    for (let f = 0; f < frames; f++) {
      fillSyntheticSnapshot(snap, f, { frames, inputs: 'mixed' })
      snap.timeMs = 5000 + f * 11.1
      builder.appendFrame(snap)
      onFrame?.(builder, f)
      for (let c = builder.chunk(); c; c = builder.chunk()) chunks.push(JSON.parse(JSON.stringify(c)))
    }
    builder.appendEvent('marker', { end: true })
    for (let c = builder.chunk(true); c; c = builder.chunk(true)) chunks.push(JSON.parse(JSON.stringify(c)))
    // An event after the final flush still gets persisted, as an events-only chunk.
    builder.appendEvent('marker', { after: true })
    for (let c = builder.chunk(true); c; c = builder.chunk(true)) chunks.push(JSON.parse(JSON.stringify(c)))
    return { builder, chunks }
  }

  it('chunks then assemble equals a direct build (events included)', () => {
    const { builder, chunks } = record(230, 50, (b, f) => {
      if (f % 37 === 0) b.appendEvent('expression', { id: 'smile', f })
      if (f === 100) b.appendEvent('camera-cut', { to: 'wide' })
    })
    expect(chunks.length).toBe(6) // 4 full + 30-frame tail + events-only flush
    expect(chunks.map((c) => c.firstFrame)).toEqual([0, 50, 100, 150, 200, 230])
    expect(chunks[5].frames).toEqual([])
    const direct = builder.build()
    expect(assembleRecording(chunks)).toEqual(direct)
    expect(assembleRecording(chunks.slice().reverse())).toEqual(direct)
    expect(validateRecording(JSON.stringify(direct)).ok).toBe(true)
    expect(direct.events.at(-1)).toEqual({ frame: 229, t: direct.events.at(-1)?.t, type: 'marker', data: { after: true } })
    expect(direct.frames.length).toBe(230)
  })

  it('recovers the gap-free prefix after a crash and ignores duplicate saves', () => {
    const { chunks } = record(200, 40)
    const lost = [chunks[0], chunks[1], chunks[1], chunks[3], chunks[4]] // chunk 2 never made it
    const recovered = assembleRecording(lost)
    expect(recovered.frames.length).toBe(80)
    expect(validateRecording(recovered).ok).toBe(true)
    expect(() => assembleRecording([])).toThrow(ReplayError)
    expect(() => assembleRecording(chunks.slice(1))).toThrow(/frame 0/)
  })

  it('attaches events to the last appended frame with its time', () => {
    const builder = createRecordingBuilder(META)
    const early = builder.appendEvent('task-step', { step: 0 })
    expect(early).toEqual({ frame: 0, t: 0, type: 'task-step', data: { step: 0 } })
    const snap = createInputSnapshot()
    snap.timeMs = 100
    builder.appendFrame(snap)
    snap.timeMs = 125.04
    builder.appendFrame(snap)
    const data = { nested: [1, 2] }
    const e = builder.appendEvent('expression', data)
    data.nested.push(3) // later mutation must not rewrite history
    expect(e).toEqual({ frame: 1, t: 25, type: 'expression', data: { nested: [1, 2] } })
    expect(builder.durationMs).toBe(25)
  })

  it('measures compactness (bytes per frame) for controllers and hands', () => {
    const sizes: Record<string, number> = {}
    for (const inputs of ['controllers', 'hands'] as const) {
      const rec = createSyntheticRecording({ frames: 720, inputs, keyframeInterval: 72 })
      const framesBytes = JSON.stringify(rec.frames).length
      sizes[inputs] = framesBytes / rec.frames.length
      const keyframe = JSON.stringify(rec.frames[72]).length + 1
      const delta = JSON.stringify(rec.frames[73]).length + 1
      console.info(`[recording size] ${inputs}: avg ${sizes[inputs].toFixed(0)} B/frame (keyframe ${keyframe} B, delta ${delta} B)`)
    }
    // Budgets that keep 20 MB ≈ 10+ minutes of controllers and several minutes of hands at 72 Hz.
    expect(sizes.controllers).toBeLessThan(200)
    expect(sizes.hands).toBeLessThan(1200)
  })
})
