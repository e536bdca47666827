import { afterEach, describe, expect, it, vi } from 'vitest'
// IWER is only used here, as the reference implementation we must stay compatible with.
import { ActionPlayer, ActionRecorder, XRReferenceSpace } from 'iwer'
import { P_SPACE } from 'iwer/lib/private.js'
import { createRng } from '../time/rng'
import { HAND_JOINT_COUNT, JOINT_STRIDE, XR_HAND_JOINTS, createInputSnapshot, type XRInputSnapshot } from '../input/input-snapshot'
import { createFrameCursor, readFrameState, type Recording } from './recording-format'
import { fromIwerRecording, toIwerRecording, type IwerRecording } from './iwer-recording'
import { ReplayError } from './replay-error'
import { createSyntheticRecording } from './synthetic-session'
import { validateRecording } from './validate-recording'

type Quat = [number, number, number, number]
type Vec3 = [number, number, number]

const META = { device: 'IWER meta-quest-3', appVersion: '0.1.0', experience: 'hub' as const, seed: 9, recordedAt: '2025-03-01T10:00:00Z' }

function decodeAll(rec: Recording): XRInputSnapshot[] {
  const cursor = createFrameCursor(rec)
  return rec.frames.map((_, f) => {
    const s = createInputSnapshot()
    cursor.moveTo(f)
    readFrameState(cursor.state, f, s)
    return s
  })
}

function quatDot(a: ArrayLike<number>, b: ArrayLike<number>, ao = 0, bo = 0): number {
  return Math.abs(a[ao] * b[bo] + a[ao + 1] * b[bo + 1] + a[ao + 2] * b[bo + 2] + a[ao + 3] * b[bo + 3])
}

function mul(a: Quat, b: Quat): Quat {
  return [
    a[3] * b[0] + a[0] * b[3] + a[1] * b[2] - a[2] * b[1],
    a[3] * b[1] - a[0] * b[2] + a[1] * b[3] + a[2] * b[0],
    a[3] * b[2] + a[0] * b[1] - a[1] * b[0] + a[2] * b[3],
    a[3] * b[3] - a[0] * b[0] - a[1] * b[1] - a[2] * b[2],
  ]
}

function rotate(q: Quat, v: Vec3): Vec3 {
  const r = mul(mul(q, [v[0], v[1], v[2], 0]), [-q[0], -q[1], -q[2], q[3]])
  return [r[0], r[1], r[2]]
}

function matrix(q: Quat, t: Vec3): Float32Array {
  const [x, y, z, w] = q
  return new Float32Array([
    1 - 2 * (y * y + z * z), 2 * (x * y + z * w), 2 * (x * z - y * w), 0,
    2 * (x * y - z * w), 1 - 2 * (x * x + z * z), 2 * (y * z + x * w), 0,
    2 * (x * z + y * w), 2 * (y * z - x * w), 1 - 2 * (x * x + y * y), 0,
    t[0], t[1], t[2], 1,
  ])
}

function normalize(q: Quat): Quat {
  const l = Math.hypot(...q)
  return q.map((v) => v / l) as Quat
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('toIwerRecording', () => {
  it("produces JSON IWER's own ActionPlayer accepts and plays with the same poses", () => {
    const rec = createSyntheticRecording({ frames: 120, inputs: 'mixed' })
    const iwer = JSON.parse(JSON.stringify(toIwerRecording(rec))) as IwerRecording
    // Controllers left/right + hands left/right = 4 IWER input sources.
    expect(iwer.schema.map(([, s]) => `${s.handedness}:${s.hasHand ? 'hand' : 'controller'}`)).toEqual([
      'left:controller',
      'right:controller',
      'left:hand',
      'right:hand',
    ])
    const player = new ActionPlayer(new XRReferenceSpace('local-floor' as never, undefined as never), iwer as never, 0.063)
    const expected = decodeAll(rec)
    for (let f = 1; f < expected.length; f++) {
      player.stepFrames(1)
      expect(player.inputSources.length).toBe(2)
      const m = (player.viewerSpace as unknown as Record<symbol, { offsetMatrix: Float32Array }>)[P_SPACE].offsetMatrix
      expect(m[12]).toBeCloseTo(expected[f].head.position[0], 3)
      expect(m[13]).toBeCloseTo(expected[f].head.position[1], 3)
      // IWER activates sources from the *next* frame's inputs, so on the one frame where a
      // controller becomes a hand it already shows the hand (at the next frame's pose).
      if (f + 1 < expected.length && expected[f + 1].sources[1].kind !== expected[f].sources[1].kind) continue
      const right = player.inputSources.find((s) => s.handedness === 'right') as XRInputSource
      const rm = (right.targetRaySpace as unknown as Record<symbol, { offsetMatrix: Float32Array }>)[P_SPACE].offsetMatrix
      expect(rm[13]).toBeCloseTo(expected[f].sources[1].targetRay.position[1], 3)
      expect(right.hand !== undefined && right.hand !== null).toBe(expected[f].sources[1].kind === 'hand')
    }
  })

  it('round-trips Lingjing → IWER → Lingjing within IWER precision', () => {
    const rec = createSyntheticRecording({ frames: 100, inputs: 'mixed' })
    const back = fromIwerRecording(toIwerRecording(rec), { ...META, frameRate: 72, mode: 'immersive-vr' })
    expect(validateRecording(back).ok).toBe(true)
    const a = decodeAll(rec)
    const b = decodeAll(back)
    expect(b.length).toBe(a.length)
    for (let f = 0; f < a.length; f++) {
      expect(b[f].timeMs).toBeCloseTo(a[f].timeMs, 1)
      expect(quatDot(a[f].head.orientation, b[f].head.orientation)).toBeGreaterThan(1 - 1e-6)
      for (let s = 0; s < 2; s++) {
        const sa = a[f].sources[s]
        const sb = b[f].sources[s]
        expect(sb.kind).toBe(sa.kind)
        expect(sb.hasGamepad).toBe(sa.hasGamepad)
        for (let i = 0; i < 3; i++) expect(Math.abs(sb.grip.position[i] - sa.grip.position[i])).toBeLessThan(0.0011)
        if (sa.hasGamepad) {
          expect(Array.from(sb.pressed)).toEqual(Array.from(sa.pressed))
          for (let i = 0; i < 7; i++) expect(sb.buttons[i]).toBeCloseTo(sa.buttons[i], 2)
          for (let i = 0; i < 4; i++) expect(sb.axes[i]).toBeCloseTo(sa.axes[i], 2)
        }
        if (sa.jointsValid) {
          expect(sb.jointsValid).toBe(true)
          for (let j = 0; j < HAND_JOINT_COUNT; j++) {
            const o = j * JOINT_STRIDE
            for (let i = 0; i < 3; i++) expect(Math.abs(sb.joints[o + i] - sa.joints[o + i])).toBeLessThan(0.0012)
            expect(quatDot(sa.joints, sb.joints, o + 3, o + 3)).toBeGreaterThan(1 - 1e-5)
            expect(Math.abs(sb.joints[o + 7] - sa.joints[o + 7])).toBeLessThan(0.0001)
          }
        }
      }
    }
  })

  it('refuses invalid recordings with a typed error', () => {
    expect(() => toIwerRecording({ format: 'nope' })).toThrow(ReplayError)
  })
})

describe('fromIwerRecording', () => {
  it("imports a recording made by IWER's own ActionRecorder (controllers and a hand)", () => {
    const rng = createRng(11)
    const refSpace = { name: 'ref' }
    const rayL = { name: 'rayL' }
    const gripL = { name: 'gripL' }
    const rayR = { name: 'rayR' }
    const hand = new Map(XR_HAND_JOINTS.map((n) => [n, { jointName: n }]))
    let time = 1000
    vi.spyOn(performance, 'now').mockImplementation(() => time)

    const truth: { head: Vec3; rayR: Quat; rayRPos: Vec3; joints: { p: Vec3; q: Quat }[]; trigger: number }[] = []
    const frames: unknown[] = []
    const session = {
      inputSources: [
        {
          handedness: 'left',
          targetRayMode: 'tracked-pointer',
          profiles: ['oculus-touch-v3'],
          targetRaySpace: rayL,
          gripSpace: gripL,
          gamepad: { mapping: 'xr-standard', buttons: [{ pressed: true, touched: true, value: 0 }, { pressed: false, touched: false, value: 0 }, null], axes: [0, 0, 0.5, -0.25] },
        },
        { handedness: 'right', targetRayMode: 'tracked-pointer', profiles: ['generic-hand'], targetRaySpace: rayR, hand },
      ],
    }
    const recorder = new ActionRecorder(session as never, refSpace as never)
    for (let f = 0; f < 20; f++) {
      time += 1000 / 90
      const head: Vec3 = [0.01 * f, 1.6, 0]
      const rRayQ = normalize([rng.range(-1, 1), rng.range(-1, 1), rng.range(-1, 1), 2])
      const rRayP: Vec3 = [0.2, 1.1 + f * 0.002, -0.3]
      const local = XR_HAND_JOINTS.map((_, j) => ({ p: [0.001 * j, 0.01 * j, -0.005 * j] as Vec3, q: normalize([0.1 * j, 0.02, 0, 1]) }))
      const trigger = f / 19
      session.inputSources[0].gamepad!.buttons[0]!.value = trigger
      const world = local.map(({ p, q }) => {
        const r = rotate(rRayQ, p)
        return { p: [r[0] + rRayP[0], r[1] + rRayP[1], r[2] + rRayP[2]] as Vec3, q: mul(rRayQ, q) }
      })
      truth.push({ head, rayR: rRayQ, rayRPos: rRayP, joints: world, trigger })
      const poses = new Map<unknown, Float32Array>([
        [rayL, matrix([0, 0, 0, 1], [-0.2, 1.1, -0.3])],
        [gripL, matrix([0, 0, 0, 1], [-0.2, 1.05, -0.28])],
        [rayR, matrix(rRayQ, rRayP)],
      ])
      const frame = {
        getViewerPose: () => ({ transform: { matrix: matrix([0, 0, 0, 1], head) } }),
        getPose: (space: unknown) => ({ transform: { matrix: poses.get(space) } }),
        // IWER asks for joints relative to the target ray.
        fillPoses: (_spaces: unknown[], base: unknown, out: Float32Array) => {
          expect(base).toBe(rayR)
          local.forEach(({ p, q }, j) => out.set(matrix(q, p), j * 16))
          return true
        },
        fillJointRadii: (_spaces: unknown[], out: Float32Array) => {
          out.fill(0.008)
          return true
        },
      }
      recorder.recordFrame(frame as never)
      frames.push(frame)
    }
    const json = recorder.toJSON()
    const rec = fromIwerRecording(json, META)
    expect(validateRecording(JSON.stringify(rec)).ok).toBe(true)
    expect(rec.meta.frameRate).toBe(90)
    expect(rec.meta.mode).toBe('immersive-vr')
    const snaps = decodeAll(rec)
    expect(snaps[0].timeMs).toBe(0)
    expect(snaps[19].timeMs).toBeCloseTo((19 * 1000) / 90, 0)
    for (let f = 0; f < 20; f++) {
      const s = snaps[f]
      expect(s.head.position[0]).toBeCloseTo(truth[f].head[0], 3)
      const left = s.sources[0]
      expect(left).toMatchObject({ connected: true, kind: 'controller', hasGamepad: true })
      expect(left.buttons[0]).toBeCloseTo(truth[f].trigger, 2)
      expect(left.pressed[0]).toBe(1)
      expect(left.axes[2]).toBeCloseTo(0.5, 3)
      expect(left.grip.position[1]).toBeCloseTo(1.05, 3)
      const right = s.sources[1]
      expect(right).toMatchObject({ connected: true, kind: 'hand', jointsValid: true, hasGamepad: false })
      for (let j = 0; j < HAND_JOINT_COUNT; j++) {
        const o = j * JOINT_STRIDE
        // IWER rounds to 1e-3 before we quantise to 1 mm, so allow ~2 mm and ~0.2°.
        for (let i = 0; i < 3; i++) expect(Math.abs(right.joints[o + i] - truth[f].joints[j].p[i])).toBeLessThan(0.0025)
        expect(quatDot(right.joints, truth[f].joints[j].q, o + 3, 0)).toBeGreaterThan(1 - 5e-6)
        expect(right.joints[o + 7]).toBeCloseTo(0.008, 4)
      }
    }
  })

  it('rejects malformed IWER data with typed errors', () => {
    expect(() => fromIwerRecording('not json', META)).toThrow(ReplayError)
    expect(() => fromIwerRecording({ frames: [] }, META)).toThrow(expect.objectContaining({ code: 'missing-field' }))
    expect(() => fromIwerRecording({ schema: [], frames: [] }, META)).toThrow(expect.objectContaining({ code: 'empty' }))
    expect(() => fromIwerRecording({ schema: [], frames: [[0, 1]] }, META)).toThrow(expect.objectContaining({ code: 'bad-frame' }))
    expect(() => fromIwerRecording({ schema: [], frames: [[0, 0, 0, 0, 0, 0, 0, 1, [5, 0, 0, 0, 0, 0, 0, 1]]] }, META)).toThrow(/unknown source 5/)
  })
})
