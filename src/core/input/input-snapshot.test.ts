import { describe, expect, it } from 'vitest'
import { createRng } from '../time/rng'
import {
  AXIS_COUNT,
  BODY_JOINT_COUNT,
  BODY_JOINT_STRIDE,
  BUTTON_COUNT,
  HAND_JOINT_COUNT,
  JOINT_STRIDE,
  XR_BODY_JOINTS,
  XR_HAND_JOINTS,
  copyInputSnapshot,
  createInputSnapshot,
  fillInputSnapshotFromXRFrame,
  quaternionFromMatrix,
} from './input-snapshot'

type Quat = [number, number, number, number]

/** Column-major rigid matrix from a quaternion and translation (as WebXR's transform.matrix). */
function matrixFrom(q: Quat, t: [number, number, number]): Float32Array {
  const [x, y, z, w] = q
  return new Float32Array([
    1 - 2 * (y * y + z * z), 2 * (x * y + z * w), 2 * (x * z - y * w), 0,
    2 * (x * y - z * w), 1 - 2 * (x * x + z * z), 2 * (y * z + x * w), 0,
    2 * (x * z + y * w), 2 * (y * z - x * w), 1 - 2 * (x * x + y * y), 0,
    t[0], t[1], t[2], 1,
  ])
}

function randomQuat(rng: ReturnType<typeof createRng>): Quat {
  const q: Quat = [rng.range(-1, 1), rng.range(-1, 1), rng.range(-1, 1), rng.range(-1, 1)]
  const len = Math.hypot(...q)
  return q.map((v) => v / len) as Quat
}

function fakePose(q: Quat, t: [number, number, number], radius?: number) {
  return {
    transform: {
      position: { x: t[0], y: t[1], z: t[2], w: 1 },
      orientation: { x: q[0], y: q[1], z: q[2], w: q[3] },
      matrix: matrixFrom(q, t),
    },
    emulatedPosition: false,
    radius,
  }
}

describe('input snapshot', () => {
  it('lists the 25 WebXR joints in spec order', () => {
    expect(XR_HAND_JOINTS.length).toBe(25)
    expect(XR_HAND_JOINTS[0]).toBe('wrist')
    expect(XR_HAND_JOINTS[4]).toBe('thumb-tip')
    expect(XR_HAND_JOINTS[24]).toBe('pinky-finger-tip')
  })

  it('creates preallocated slots with identity poses and copies in place', () => {
    const a = createInputSnapshot()
    expect(a.sources.map((s) => s.handedness)).toEqual(['left', 'right'])
    expect(Array.from(a.head.orientation)).toEqual([0, 0, 0, 1])
    expect(a.sources[0].joints.length).toBe(HAND_JOINT_COUNT * JOINT_STRIDE)
    expect(a.sources[0].joints[6]).toBe(1)
    expect(a.sources[1].buttons.length).toBe(BUTTON_COUNT)
    expect(a.sources[1].axes.length).toBe(AXIS_COUNT)
    a.head.position[1] = 1.6
    a.sources[1].connected = true
    a.sources[1].kind = 'hand'
    a.sources[1].joints[7] = 0.01
    a.mode = 'immersive-vr'
    const b = createInputSnapshot()
    const joints = b.sources[1].joints
    copyInputSnapshot(b, a)
    expect(b.sources[1].joints).toBe(joints) // same buffers, mutated in place
    expect(b.head.position[1]).toBeCloseTo(1.6)
    expect(b.sources[1].kind).toBe('hand')
    expect(b.sources[1].joints[7]).toBeCloseTo(0.01)
    expect(b.mode).toBe('immersive-vr')
  })

  it('quaternionFromMatrix recovers rotations on every branch', () => {
    const rng = createRng(3)
    const out = new Float32Array(4)
    const cases: Quat[] = [[0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [Math.SQRT1_2, 0, 0, Math.SQRT1_2]]
    for (let i = 0; i < 50; i++) cases.push(randomQuat(rng))
    for (const q of cases) {
      quaternionFromMatrix(matrixFrom(q, [1, 2, 3]), 0, out, 0)
      const dot = Math.abs(q[0] * out[0] + q[1] * out[1] + q[2] * out[2] + q[3] * out[3])
      expect(dot).toBeCloseTo(1, 5)
    }
  })
})

describe('fillInputSnapshotFromXRFrame', () => {
  const rng = createRng(9)
  const headQ = randomQuat(rng)
  const rayQ = randomQuat(rng)
  const jointQs = XR_HAND_JOINTS.map(() => randomQuat(rng))

  function makeFrame(batch: boolean) {
    const refSpace = { kind: 'local-floor' }
    const spaces = {
      rayR: { id: 'rayR' },
      gripR: { id: 'gripR' },
      rayL: { id: 'rayL' },
    }
    const hand = new Map(XR_HAND_JOINTS.map((name, j) => [name, { id: `joint${j}`, jointName: name }]))
    const poses: Record<string, ReturnType<typeof fakePose>> = {
      rayR: fakePose(rayQ, [0.3, 1.2, -0.4]),
      gripR: fakePose([0, 0, 0, 1], [0.31, 1.19, -0.38]),
      rayL: fakePose([0, 0, 0, 1], [-0.3, 1.1, -0.3]),
    }
    XR_HAND_JOINTS.forEach((_, j) => (poses[`joint${j}`] = fakePose(jointQs[j], [-0.2 - j * 0.001, 1 + j * 0.01, -0.3], 0.005 + j * 0.0001)))
    const session = {
      frameRate: 90,
      inputSources: [
        {
          handedness: 'right',
          targetRayMode: 'tracked-pointer',
          targetRaySpace: spaces.rayR,
          gripSpace: spaces.gripR,
          profiles: [],
          gamepad: {
            buttons: [{ value: 0.75, pressed: true, touched: true }, { value: 0, pressed: false, touched: true }, null, { value: 1, pressed: true, touched: true }],
            axes: [0, 0, 0.25, -0.5],
          },
        },
        { handedness: 'left', targetRayMode: 'tracked-pointer', targetRaySpace: spaces.rayL, profiles: [], hand },
      ],
    }
    const frame: Record<string, unknown> = {
      session,
      predictedDisplayTime: 4321.5,
      getViewerPose: () => fakePose(headQ, [0.01, 1.62, 0.02]),
      getPose: (space: { id: string }, base: unknown) => (base === refSpace ? poses[space.id] : undefined),
    }
    if (batch) {
      frame.fillPoses = (list: { id: string }[], _base: unknown, out: Float32Array) => {
        list.forEach((s, i) => out.set(poses[s.id].transform.matrix, i * 16))
        return true
      }
      frame.fillJointRadii = (list: { id: string }[], out: Float32Array) => {
        list.forEach((s, i) => (out[i] = poses[s.id].radius ?? 0))
        return true
      }
    } else {
      frame.getJointPose = (space: { id: string }) => poses[space.id]
    }
    return { frame: frame as unknown as XRFrame, refSpace: refSpace as unknown as XRReferenceSpace }
  }

  for (const batch of [true, false]) {
    it(`fills head, controller and hand (${batch ? 'fillPoses batch' : 'getJointPose'} path)`, () => {
      const snap = createInputSnapshot()
      snap.mode = 'immersive-vr'
      const { frame, refSpace } = makeFrame(batch)
      expect(fillInputSnapshotFromXRFrame(snap, frame, refSpace)).toBe(true)
      expect(snap.frame).toBe(1)
      expect(snap.timeMs).toBe(4321.5)
      expect(snap.frameRate).toBe(90)
      expect(snap.mode).toBe('immersive-vr')
      expect(snap.head.position[1]).toBeCloseTo(1.62, 6)
      expect(snap.head.orientation[3]).toBeCloseTo(headQ[3], 6)

      const right = snap.sources[1]
      expect(right).toMatchObject({ connected: true, kind: 'controller', handedness: 'right', hasGamepad: true, jointsValid: false })
      expect(right.targetRay.position[0]).toBeCloseTo(0.3, 6)
      expect(right.grip.position[2]).toBeCloseTo(-0.38, 6)
      expect(Array.from(right.buttons)).toEqual([0.75, 0, 0, 1, 0, 0, 0])
      expect(Array.from(right.pressed)).toEqual([1, 0, 0, 1, 0, 0, 0])
      expect(Array.from(right.touched)).toEqual([1, 1, 0, 1, 0, 0, 0])
      expect(Array.from(right.axes)).toEqual([0, 0, 0.25, -0.5])

      const left = snap.sources[0]
      expect(left).toMatchObject({ connected: true, kind: 'hand', handedness: 'left', hasGamepad: false, jointsValid: true })
      // No grip space: grip mirrors the target ray.
      expect(left.grip.position[0]).toBeCloseTo(-0.3, 6)
      for (let j = 0; j < HAND_JOINT_COUNT; j++) {
        const o = j * JOINT_STRIDE
        expect(left.joints[o + 1]).toBeCloseTo(1 + j * 0.01, 5)
        const q = jointQs[j]
        const dot = Math.abs(q[0] * left.joints[o + 3] + q[1] * left.joints[o + 4] + q[2] * left.joints[o + 5] + q[3] * left.joints[o + 6])
        expect(dot).toBeCloseTo(1, 5)
        expect(left.joints[o + 7]).toBeCloseTo(0.005 + j * 0.0001, 6)
      }
    })
  }

  for (const batch of [true, false]) {
    it(`fills the body from XRFrame.body (${batch ? 'fillPoses batch' : 'getPose'} path), and marks it absent without one`, () => {
      const snap = createInputSnapshot()
      const { frame, refSpace } = makeFrame(batch)
      // Without XRFrame.body (every browser but Quest Browser with 'body-tracking' granted): nothing.
      fillInputSnapshotFromXRFrame(snap, frame, refSpace)
      expect(snap.bodyValid).toBe(false)
      const rng = createRng(9)
      const bodyQs = XR_BODY_JOINTS.map(() => randomQuat(rng))
      const poses = frame as unknown as { getPose: (s: { id: string }, b: unknown) => unknown }
      const basePose = poses.getPose
      const bodyPoses = new Map(XR_BODY_JOINTS.map((name, j) => [`body:${name}`, fakePose(bodyQs[j], [0.1 * j, 1 - 0.04 * j, -0.01 * j])]))
      poses.getPose = (space, base) => bodyPoses.get(space.id) ?? basePose(space, base)
      const asFrame = frame as unknown as Record<string, unknown>
      if (batch) {
        const handFill = asFrame.fillPoses as (l: { id: string }[], b: unknown, o: Float32Array) => boolean
        asFrame.fillPoses = (list: { id: string }[], base: unknown, out: Float32Array) => {
          if (!list[0].id.startsWith('body:')) return handFill(list, base, out)
          list.forEach((sp, i) => out.set(bodyPoses.get(sp.id)!.transform.matrix, i * 16))
          return true
        }
      }
      const spaces = new Map(XR_BODY_JOINTS.map((name) => [name, { id: `body:${name}` }]))
      asFrame.body = { get: (name: string) => spaces.get(name as never) }
      fillInputSnapshotFromXRFrame(snap, frame, refSpace)
      expect(snap.bodyValid).toBe(true)
      for (let j = 0; j < BODY_JOINT_COUNT; j++) {
        const o = j * BODY_JOINT_STRIDE
        expect(snap.body[o]).toBeCloseTo(0.1 * j, 5)
        expect(snap.body[o + 1]).toBeCloseTo(1 - 0.04 * j, 5)
        const q = bodyQs[j]
        const dot = Math.abs(q[0] * snap.body[o + 3] + q[1] * snap.body[o + 4] + q[2] * snap.body[o + 5] + q[3] * snap.body[o + 6])
        expect(dot).toBeCloseTo(1, 5)
      }
      // A copy carries the body; a body that loses a joint is not valid.
      const copy = createInputSnapshot()
      copyInputSnapshot(copy, snap)
      expect(copy.bodyValid).toBe(true)
      expect(Array.from(copy.body)).toEqual(Array.from(snap.body))
      asFrame.body = { get: (name: string) => (name === 'left-foot-ball' ? undefined : spaces.get(name as never)) }
      fillInputSnapshotFromXRFrame(snap, frame, refSpace)
      expect(snap.bodyValid).toBe(false)
    })
  }

  it('marks a slot disconnected when its source goes away', () => {
    const snap = createInputSnapshot()
    const { frame, refSpace } = makeFrame(true)
    fillInputSnapshotFromXRFrame(snap, frame, refSpace)
    ;(frame.session as unknown as { inputSources: unknown[] }).inputSources = []
    fillInputSnapshotFromXRFrame(snap, frame, refSpace, 5000)
    expect(snap.timeMs).toBe(5000)
    expect(snap.sources[0].connected).toBe(false)
    expect(snap.sources[1]).toMatchObject({ connected: false, kind: 'none', handedness: 'right' })
  })
})
