import { Quaternion, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { HAND_JOINT_COUNT, JOINT_STRIDE } from '../input/input-snapshot'
import {
  createFingerCurls,
  createHandBoneRotations,
  defaultThumbRest,
  solveCurlRotations,
  solveHandJointCurls,
  solveHandJointRotations,
  updateControllerFingerCurls,
} from './finger-curls'
import type { Side } from './humanoid'

const DT = 1 / 72
const deg = (d: number) => (d * Math.PI) / 180

describe('controller finger curls', () => {
  function settle(buttons: number[], touched: number[], seconds = 1) {
    const curls = createFingerCurls()
    for (let t = 0; t < seconds; t += DT) updateControllerFingerCurls(curls, buttons, touched, DT)
    return curls
  }

  it('maps an idle controller to a pointing index, relaxed grip and raised thumb', () => {
    const c = settle([0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0])
    expect(c.index).toBeCloseTo(0, 3)
    expect(c.middle).toBeCloseTo(0.15, 3)
    expect(c.thumb).toBeCloseTo(0.1, 3)
  })

  it('curls the index with the trigger and the other three with the squeeze', () => {
    const c = settle([1, 1, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0, 0])
    expect(c.index).toBeCloseTo(1, 3)
    expect(c.middle).toBeCloseTo(1, 3)
    expect(c.ring).toBeCloseTo(1, 3)
    expect(c.little).toBeCloseTo(1, 3)
    const touchOnly = settle([0, 0.5, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0])
    expect(touchOnly.index).toBeCloseTo(0.3, 3)
    expect(touchOnly.ring).toBeCloseTo(0.15 + 0.85 * 0.5, 3)
  })

  it('lowers the thumb on touch and fully on a press, and rests it on the thumbrest', () => {
    expect(settle([0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0]).thumb).toBeCloseTo(0.7, 3)
    expect(settle([0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 1, 0, 0]).thumb).toBeCloseTo(1, 3)
    expect(settle([0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 1]).thumb).toBeCloseTo(0.5, 3)
  })

  it('smooths over time, frame-rate independently', () => {
    const a = createFingerCurls()
    updateControllerFingerCurls(a, [1, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0], DT)
    expect(a.index).toBeGreaterThan(0.1)
    expect(a.index).toBeLessThan(0.5)
    const b = createFingerCurls()
    updateControllerFingerCurls(b, [1, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0], DT / 2)
    updateControllerFingerCurls(b, [1, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0], DT / 2)
    expect(b.index).toBeCloseTo(a.index, 9)
  })
})

/** Builds 25 WebXR joints for a hand whose fingers bend by the given angles (degrees). */
function syntheticHand(
  side: Side,
  finger: readonly [number, number, number],
  thumb: readonly [number, number, number],
  wristPos = new Vector3(),
  wristRot = new Quaternion(),
): Float32Array {
  const joints = new Float32Array(HAND_JOINT_COUNT * JOINT_STRIDE)
  const s = side === 'left' ? 1 : -1 // +X points toward the thumb on a left hand
  const write = (j: number, p: Vector3, q: Quaternion) => {
    const wp = p.clone().applyQuaternion(wristRot).add(wristPos)
    const wq = wristRot.clone().multiply(q)
    joints.set([wp.x, wp.y, wp.z, wq.x, wq.y, wq.z, wq.w, 0.01], j * JOINT_STRIDE)
  }
  const bend = (a: number) => new Quaternion().setFromAxisAngle(new Vector3(1, 0, 0), -deg(a))
  const chain = (first: number, base: Vector3, frame: Quaternion, lengths: number[], angles: number[]) => {
    const p = base.clone()
    const q = frame.clone()
    for (let k = 0; k < lengths.length + 1; k++) {
      if (k > 0 && k <= angles.length) q.multiply(bend(angles[k - 1]))
      write(first + k, p, q)
      if (k < lengths.length) p.add(new Vector3(0, 0, -lengths[k]).applyQuaternion(q))
    }
  }
  write(0, new Vector3(), new Quaternion())
  const thumbFrame = defaultThumbRest(side, new Quaternion()).multiply(bend(thumb[0]))
  chain(1, new Vector3(0.02 * s, -0.01, -0.01), thumbFrame, [0.045, 0.032, 0.028], [thumb[1], thumb[2]])
  const xs = [0.022, 0, -0.02, -0.038]
  const meta = [0.065, 0.062, 0.058, 0.052]
  for (let f = 0; f < 4; f++) {
    chain(5 + f * 5, new Vector3(xs[f] * s, 0, -0.01), new Quaternion(), [meta[f], 0.04, 0.025, 0.02], [...finger])
  }
  return joints
}

const OPEN: [number, number, number] = [0, 0, 0]
const FIST: [number, number, number] = [85, 100, 65]
const THUMB_FIST: [number, number, number] = [20, 45, 65]

describe('hand-joint finger curls', () => {
  const pose = {
    pos: new Vector3(0.3, 1.2, -0.4),
    rot: new Quaternion().setFromAxisAngle(new Vector3(0.3, 1, -0.5).normalize(), 2.1),
  }

  for (const side of ['left', 'right'] as const) {
    it(`reads ~0 for an open ${side} hand and ~1 for a fist, wherever the hand is`, () => {
      const open = solveHandJointCurls(syntheticHand(side, OPEN, OPEN, pose.pos, pose.rot), createFingerCurls())
      for (const v of Object.values(open)) expect(v).toBeLessThan(0.02)
      const fist = solveHandJointCurls(syntheticHand(side, FIST, THUMB_FIST, pose.pos, pose.rot), createFingerCurls())
      for (const v of Object.values(fist)) expect(v).toBeGreaterThan(0.97)
      const half = solveHandJointCurls(
        syntheticHand(side, [42.5, 50, 32.5], [10, 22.5, 32.5], pose.pos, pose.rot),
        createFingerCurls(),
      )
      for (const v of Object.values(half)) expect(v).toBeCloseTo(0.5, 2)
    })

    it(`gives identity bone rotations for an open ${side} hand and curl-consistent ones for a fist`, () => {
      const rotations = createHandBoneRotations()
      solveHandJointRotations(syntheticHand(side, OPEN, OPEN, pose.pos, pose.rot), side, rotations)
      for (const q of rotations) expect(q.angleTo(new Quaternion())).toBeLessThan(deg(0.5))

      solveHandJointRotations(syntheticHand(side, FIST, THUMB_FIST, pose.pos, pose.rot), side, rotations)
      const fromCurls = solveCurlRotations(
        { thumb: 1, index: 1, middle: 1, ring: 1, little: 1 },
        side,
        createHandBoneRotations(),
      )
      for (let i = 3; i < 15; i++) expect(rotations[i].angleTo(fromCurls[i])).toBeLessThan(deg(0.5))
      expect(rotations[0].angleTo(new Quaternion())).toBeCloseTo(deg(20), 3)
      expect(rotations[1].angleTo(new Quaternion())).toBeCloseTo(deg(45), 3)
      expect(rotations[2].angleTo(new Quaternion())).toBeCloseTo(deg(65), 3)
      // Fingers fold toward the palm (-Y) in avatar axes: left fingers point +X, right -X.
      const tip = new Vector3(side === 'left' ? 1 : -1, 0, 0).applyQuaternion(rotations[3])
      expect(tip.y).toBeLessThan(-0.9)
    })
  }

  it('folds the thumb under the palm in controller mode', () => {
    const rotations = solveCurlRotations(
      { thumb: 1, index: 0, middle: 0, ring: 0, little: 0 },
      'left',
      createHandBoneRotations(),
    )
    const thumbDir = new Vector3(1, 0, 1).normalize().applyQuaternion(rotations[2])
    expect(thumbDir.y).toBeLessThan(-0.5)
    expect(rotations[3].angleTo(new Quaternion())).toBeLessThan(1e-9)
  })
})
