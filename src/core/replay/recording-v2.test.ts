import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BODY_JOINT_COUNT, BODY_JOINT_STRIDE, XR_BODY_JOINTS, createInputSnapshot } from '../input/input-snapshot'
import {
  BODY_SEGMENT_LENGTH,
  FRAME_BODY,
  FRAME_LENGTH,
  FRAME_LENGTH_WITH_BODY,
  RECORDING_VERSION,
  RECORDING_VERSION_1,
  applyEncodedFrame,
  assembleRecording,
  createFrameState,
  createRecordingBuilder,
  isKeyframe,
  migrateRecording,
  readFrameState,
  type RecordingV1,
} from './recording-format'
import type { ReplayErrorCode } from './replay-error'
import { createReplayPlayer, interpolateInputSnapshot } from './replay-player'
import { createStateHasher, hashInputSnapshot } from './state-hash'
import { createSyntheticBodyPose, fillSyntheticBody } from './synthetic-body'
import { createSyntheticRecording, syntheticBodyMotion } from './synthetic-session'
import { validateRecording } from './validate-recording'

// Every shipped session (all version 1 when the format moved to version 2).
const SESSIONS_DIR = new URL('../../../xr-sessions/', import.meta.url).pathname
function shippedSessions(dir = SESSIONS_DIR): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory() && entry.name !== 'schema') out.push(...shippedSessions(path))
    else if (entry.name.endsWith('.json') && !entry.name.endsWith('.meta.json')) out.push(path)
  }
  return out.sort()
}

/** Hash of every frame a deterministic player hands out. */
function replayHashes(recording: unknown): string[] {
  const player = createReplayPlayer(recording, { mode: 'deterministic' })
  const snap = createInputSnapshot()
  const hashes: string[] = []
  while (!player.ended) {
    player.advance(snap)
    hashes.push(hashInputSnapshot(createStateHasher(), snap).hex())
  }
  return hashes
}

describe('recording format version 2: body joints', () => {
  it('writes version 2 with the joint names, and a frame without a body is exactly the version 1 frame', () => {
    const rec = createSyntheticRecording({ frames: 30, inputs: 'mixed' })
    expect(rec.version).toBe(RECORDING_VERSION)
    expect(rec.meta.bodyJoints).toEqual([...XR_BODY_JOINTS])
    for (const frame of rec.frames) expect(frame.length).toBe(FRAME_LENGTH)
  })

  it('round-trips a tracked body within the quantisation (1 mm, 1e-4) and keeps it off frames without one', () => {
    const rec = createSyntheticRecording({ frames: 150, inputs: 'controllers', body: 'squat-walk', keyframeInterval: 40 })
    const checked = validateRecording(JSON.stringify(rec))
    expect(checked.ok).toBe(true)
    for (const frame of rec.frames) {
      expect(frame.length).toBe(FRAME_LENGTH_WITH_BODY)
      expect((frame[FRAME_BODY] as number[]).length).toBe(BODY_SEGMENT_LENGTH)
    }
    // Decode and compare every joint with the generator's pose of the same frame.
    const expected = new Float32Array(BODY_JOINT_COUNT * BODY_JOINT_STRIDE)
    const pose = createSyntheticBodyPose()
    const player = createReplayPlayer(rec, { mode: 'deterministic' })
    const snap = createInputSnapshot()
    let worst = 0
    let worstQ = 0
    while (!player.ended) {
      player.advance(snap)
      expect(snap.bodyValid).toBe(true)
      const motion = syntheticBodyMotion('squat-walk', snap.frame / 72, 150 / 72 / 2)
      fillSyntheticBody(expected, pose, 0, 0, motion.squat, motion.stride)
      for (let j = 0; j < BODY_JOINT_COUNT; j++) {
        const o = j * BODY_JOINT_STRIDE
        for (let k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(snap.body[o + k] - expected[o + k]))
        // q and -q are the same rotation.
        let dot = 0
        for (let k = 3; k < 7; k++) dot += snap.body[o + k] * expected[o + k]
        worstQ = Math.max(worstQ, 1 - Math.abs(dot))
      }
    }
    expect(worst).toBeLessThanOrEqual(0.0005 + 1e-6)
    expect(worstQ).toBeLessThan(1e-6)

    // A take where the body drops out half way: the frames after have no body, and decode so.
    const builder = createRecordingBuilder({ device: 'synthetic', appVersion: '0', experience: 'livestream', seed: 1, recordedAt: '2025-01-01T00:00:00Z', frameRate: 72, mode: 'immersive-vr' })
    const live = createInputSnapshot()
    for (let f = 0; f < 10; f++) {
      live.timeMs = f * 14
      live.bodyValid = f < 5
      if (live.bodyValid) fillSyntheticBody(live.body, pose, 0, 0, f / 10, NaN)
      builder.appendFrame(live)
    }
    const dropped = builder.build()
    expect(dropped.frames.map((fr) => fr.length)).toEqual([13, 13, 13, 13, 13, 12, 12, 12, 12, 12])
    const state = createFrameState()
    const out = createInputSnapshot()
    dropped.frames.forEach((fr, i) => {
      applyEncodedFrame(fr, state, isKeyframe(i, dropped.meta.keyframeInterval))
      readFrameState(state, i, out)
      expect(out.bodyValid, `frame ${i}`).toBe(i < 5)
    })
    expect(validateRecording(dropped).ok).toBe(true)
  })

  it("the builder's size stays exact with body frames, so recorder and player keep one limit", () => {
    for (const inputs of ['controllers', 'hands'] as const) {
      const builder = createRecordingBuilder({ device: 'synthetic', appVersion: '0', experience: 'livestream', seed: 1, recordedAt: '2025-01-01T00:00:00Z', frameRate: 72, mode: 'immersive-vr' })
      const rec = createSyntheticRecording({ frames: 200, inputs, body: 'walk' })
      const player = createReplayPlayer(rec, { mode: 'deterministic' })
      const snap = createInputSnapshot()
      while (!player.ended) {
        player.advance(snap)
        builder.appendFrame(snap)
      }
      expect(builder.jsonBytes).toBe(JSON.stringify(builder.build()).length)
    }
  })

  it('a version 1 recording validates, migrates and replays the same frames (every shipped session)', () => {
    // Every session shipped before version 2 (the body session is version 2 and checked elsewhere).
    const files = shippedSessions().filter((file) => (JSON.parse(readFileSync(file, 'utf8')) as { version: number }).version === RECORDING_VERSION_1)
    expect(files.length).toBeGreaterThanOrEqual(10)
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      const v1 = JSON.parse(text) as RecordingV1
      const checked = validateRecording(text)
      if (!checked.ok) throw new Error(`${file}: ${checked.error.message.en}`)
      expect(checked.recording.version).toBe(RECORDING_VERSION)
      const migrated = migrateRecording(v1)
      expect(migrated).toEqual(checked.recording)
      expect(migrated.meta.bodyJoints).toEqual([...XR_BODY_JOINTS])
      expect(migrated.frames).toBe(v1.frames)
      // The same frames: decoded straight from the version 1 file with the frame codec…
      const state = createFrameState()
      const snap = createInputSnapshot()
      const direct: string[] = []
      v1.frames.forEach((frame, i) => {
        applyEncodedFrame(frame, state, isKeyframe(i, v1.meta.keyframeInterval))
        readFrameState(state, i, snap)
        expect(snap.bodyValid).toBe(false)
        direct.push(hashInputSnapshot(createStateHasher(), snap).hex())
      })
      // …and through the player after migration, frame for frame.
      expect(replayHashes(text), file).toEqual(direct)
      // The migrated file is a valid version 2 file in its own right.
      expect(validateRecording(JSON.stringify(migrated)).ok, file).toBe(true)
    }
  })

  it('realtime replay interpolates the body between two frames that both have one', () => {
    const a = createInputSnapshot()
    const b = createInputSnapshot()
    const out = createInputSnapshot()
    const pose = createSyntheticBodyPose()
    fillSyntheticBody(a.body, pose, 0, 0, 0, NaN)
    fillSyntheticBody(b.body, pose, 0.2, 0, 0, NaN)
    a.bodyValid = b.bodyValid = true
    interpolateInputSnapshot(a, b, 0.25, out)
    expect(out.bodyValid).toBe(true)
    expect(out.body[0]).toBeCloseTo(0.05, 6)
    // Without a body on the far side, the near frame's body (or none) is held, not blended.
    b.bodyValid = false
    interpolateInputSnapshot(a, b, 0.5, out)
    expect(out.body[0]).toBeCloseTo(0, 6)
  })

  it('crash-recovery chunks an older app left (version 1) still assemble into a valid take', () => {
    const builder = createRecordingBuilder({ device: 'synthetic', appVersion: '0', experience: 'hub', seed: 1, recordedAt: '2025-01-01T00:00:00Z', frameRate: 72, mode: 'immersive-vr' }, { chunkSize: 10 })
    const rec = createSyntheticRecording({ frames: 25, inputs: 'controllers' })
    const player = createReplayPlayer(rec, { mode: 'deterministic' })
    const snap = createInputSnapshot()
    while (!player.ended) {
      player.advance(snap)
      builder.appendFrame(snap)
    }
    const chunks = []
    for (let c = builder.chunk(true); c; c = builder.chunk(true)) {
      // As an older app stored them: version 1, no bodyJoints in the meta.
      const { bodyJoints: _dropped, ...meta } = c.meta
      void _dropped
      chunks.push({ ...c, version: RECORDING_VERSION_1 as typeof RECORDING_VERSION_1, meta: meta as typeof c.meta })
    }
    expect(chunks.length).toBe(3)
    const assembled = assembleRecording(chunks)
    expect(assembled.version).toBe(RECORDING_VERSION)
    expect(assembled.meta.bodyJoints).toEqual([...XR_BODY_JOINTS])
    expect(validateRecording(assembled).ok).toBe(true)
    expect(assembled.frames.length).toBe(25)
  })

  it('version 1 stays strict: a body in a version 1 file is refused', () => {
    const v1 = JSON.parse(JSON.stringify(createSyntheticRecording({ frames: 5, inputs: 'none', body: 'squat' })))
    v1.version = 1
    delete v1.meta.bodyJoints
    const result = validateRecording(v1)
    expect(result.ok || result.error).toMatchObject({ code: 'bad-frame', path: 'frames[0]' })
    expect(result.ok || result.error.message.en).toMatch(/version 1 frames have exactly 12/)
  })
})

// Hostile body parts, in the style of validate-hostile.test.ts: each refused with its own code,
// a bilingual message and the path of the offending value.
describe('validateRecording: hostile body parts', () => {
  const base = createSyntheticRecording({ frames: 30, inputs: 'controllers', body: 'squat', keyframeInterval: 10 })
  const baseText = JSON.stringify(base)
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const broken = (mutate: (r: any) => void) => {
    const copy = JSON.parse(baseText)
    mutate(copy)
    return copy
  }
  const expectRefused = (input: unknown, code: ReplayErrorCode, path: string | RegExp, en?: RegExp) => {
    const result = validateRecording(input)
    if (result.ok) throw new Error(`expected ${code}, but it was accepted`)
    expect(result.error.code).toBe(code)
    if (typeof path === 'string') expect(result.error.path).toBe(path)
    else expect(result.error.path ?? '').toMatch(path)
    expect(result.error.message.zh.length).toBeGreaterThan(5)
    if (en) expect(result.error.message.en).toMatch(en)
    return result.error
  }

  it('accepts the base', () => expect(validateRecording(baseText).ok).toBe(true))

  it('refuses a body of the wrong shape', () => {
    expectRefused(broken((r) => (r.frames[3][12] = 0)), 'bad-frame', 'frames[3][12]', /must be an array of 161/)
    expectRefused(broken((r) => r.frames[3][12].pop()), 'bad-frame', 'frames[3][12]', /160 entries/)
    expectRefused(broken((r) => r.frames[3][12].push(0)), 'bad-frame', 'frames[3][12]')
    expectRefused(broken((r) => r.frames[3].push([0])), 'bad-frame', 'frames[3]', /12, or 13 with a tracked body/)
    expectRefused(broken((r) => (r.frames[3][12] = { hips: [0, 0, 0] })), 'bad-frame', 'frames[3][12]')
  })

  it('refuses non-numbers, fractions and huge values, naming the joint', () => {
    const e = expectRefused(broken((r) => (r.frames[4][12][7 * 16 + 1] = 'x')), 'bad-frame', `frames[4][12][${7 * 16 + 1}]`)
    expect(e.message.en).toMatch(/left-lower-leg\) position y/)
    expect(e.message.zh).toMatch(/left-lower-leg/)
    expectRefused(broken((r) => (r.frames[4][12][0] = 1.5)), 'bad-number', 'frames[4][12][0]', /hips\) position x/)
    expectRefused(broken((r) => (r.frames[4][12][2] = null)), 'bad-frame', 'frames[4][12][2]')
    expectRefused(broken((r) => (r.frames[4][12][1] = 1e12)), 'bad-number', 'frames[4][12][1]')
    // Parsed objects can carry what JSON cannot: NaN and Infinity.
    expectRefused(broken((r) => (r.frames[4][12][3] = NaN)), 'bad-number', 'frames[4][12][3]')
    expectRefused(broken((r) => (r.frames[4][12][4] = Infinity)), 'bad-number', 'frames[4][12][4]')
    // A delta that carries a position past 1 km.
    expectRefused(broken((r) => (r.frames[4][12][7 * 22] = 2_000_000)), 'bad-number', `frames[4][12][${7 * 22}]`, /right-foot-ball\) position x \(mm\) decodes to 2000090/)
  })

  it('refuses a body quaternion off unit length after decoding', () => {
    const e = expectRefused(broken((r) => (r.frames[0][12][7 * 6 + 6] += 3000)), 'bad-quaternion', `frames[0][12][${7 * 6 + 3}]`)
    expect(e.message.en).toMatch(/body joint 6 \(head\)/)
    // A zero quaternion, built up by deltas over a delta frame.
    expectRefused(
      broken((r) => {
        for (let k = 3; k < 7; k++) r.frames[2][12][7 * 20 + k] = -(r.frames[0][12][7 * 20 + k] + r.frames[1][12][7 * 20 + k])
      }),
      'bad-quaternion',
      /^frames\[2\]\[12\]\[143\]$/,
    )
  })

  it('refuses missing, miscounted, renamed or reordered joint names', () => {
    expectRefused(broken((r) => delete r.meta.bodyJoints), 'missing-field', 'meta.bodyJoints')
    expectRefused(broken((r) => (r.meta.bodyJoints = 'hips')), 'bad-field', 'meta.bodyJoints')
    expectRefused(broken((r) => r.meta.bodyJoints.pop()), 'bad-field', 'meta.bodyJoints', /lists 22 joints/)
    const renamed = expectRefused(broken((r) => (r.meta.bodyJoints[16] = 'left-knee')), 'bad-field', 'meta.bodyJoints[16]')
    expect(renamed.message.en).toMatch(/"left-lower-leg"/)
    expectRefused(
      broken((r) => {
        const j = r.meta.bodyJoints
        ;[j[15], j[19]] = [j[19], j[15]]
      }),
      'bad-field',
      'meta.bodyJoints[15]',
    )
  })
})
