import { Quaternion, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { POSE_LENGTH } from './pose'
import { FOREARM_M, SHOULDER_DROP_M, SHOULDER_HALF_WIDTH_M, UPPER_ARM_M, createRemoteArm, solveRemoteArm } from './remote-arms'

/** A pose with the head at `head` turned by `yaw` (radians about +Y) and both grips given. */
function pose(head: number[], yaw: number, left: number[] | null, right: number[] | null): Float32Array {
  const p = new Float32Array(POSE_LENGTH)
  const q = new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), yaw)
  p.set([...head, q.x, q.y, q.z, q.w], 0)
  if (left) p.set([...left, 0, 0, 0, 1], 7)
  if (right) p.set([...right, 0, 0, 0, 1], 14)
  return p
}

describe('remote visitors’ arms', () => {
  it('shoulders sit below the head, either side; elbows keep the bone lengths and hang down and out', () => {
    const p = pose([0, 1.6, 0], 0, [-0.25, 1.1, -0.3], [0.25, 1.1, -0.3])
    const left = createRemoteArm()
    const right = createRemoteArm()
    expect(solveRemoteArm(p, 0, left)).toBe(true)
    expect(solveRemoteArm(p, 1, right)).toBe(true)
    expect(left.shoulder.toArray().map((v) => +v.toFixed(3))).toEqual([-SHOULDER_HALF_WIDTH_M, +(1.6 - SHOULDER_DROP_M).toFixed(3), 0])
    expect(right.shoulder.x).toBeCloseTo(SHOULDER_HALF_WIDTH_M)
    for (const arm of [left, right]) {
      expect(arm.elbow.distanceTo(arm.shoulder)).toBeCloseTo(UPPER_ARM_M, 5)
      expect(arm.elbow.distanceTo(arm.hand)).toBeCloseTo(FOREARM_M, 5)
      // Below the line from shoulder to hand, and behind the hand.
      expect(arm.elbow.y).toBeLessThan((arm.shoulder.y + arm.hand.y) / 2)
      expect(arm.elbow.z).toBeGreaterThan(arm.hand.z)
    }
    expect(left.elbow.x).toBeLessThan(left.shoulder.x + 0.05)
    expect(right.elbow.x).toBeGreaterThan(right.shoulder.x - 0.05)
  })

  it('the shoulders turn with the head’s yaw, not its pitch', () => {
    const turned = createRemoteArm()
    solveRemoteArm(pose([0, 1.6, 0], Math.PI / 2, null, [0, 1.1, -0.4]), 1, turned)
    // Facing −X after a quarter turn left: the right shoulder is toward −Z.
    expect(turned.shoulder.z).toBeCloseTo(-SHOULDER_HALF_WIDTH_M)
    expect(turned.shoulder.x).toBeCloseTo(0)
    const nodding = pose([0, 1.6, 0], 0, null, [0.25, 1.1, -0.3])
    const nod = new Quaternion().setFromAxisAngle(new Vector3(1, 0, 0), -0.6)
    nodding.set([nod.x, nod.y, nod.z, nod.w], 3)
    const arm = createRemoteArm()
    solveRemoteArm(nodding, 1, arm)
    expect(arm.shoulder.x).toBeCloseTo(SHOULDER_HALF_WIDTH_M)
    expect(arm.shoulder.z).toBeCloseTo(0)
  })

  it('a hand out of reach gets a straight arm that the forearm stretches to; an untracked hand is not solved', () => {
    const arm = createRemoteArm()
    expect(solveRemoteArm(pose([0, 1.6, 0], 0, null, [1.5, 1.34, 0]), 1, arm)).toBe(true)
    expect(arm.elbow.y).toBeCloseTo(1.6 - SHOULDER_DROP_M)
    expect(arm.elbow.x).toBeCloseTo(SHOULDER_HALF_WIDTH_M + UPPER_ARM_M)
    expect(arm.hand.x).toBeCloseTo(1.5)
    const before = arm.elbow.clone()
    expect(solveRemoteArm(pose([0, 1.6, 0], 0, null, null), 1, arm)).toBe(false)
    expect(arm.elbow).toEqual(before)
  })

  it('reads the pose at an offset in a buffer of many', () => {
    const one = pose([1, 1.7, 2], 0.3, [0.8, 1.2, 1.7], [1.2, 1.2, 1.7])
    const many = new Float32Array(POSE_LENGTH * 3)
    many.set(one, POSE_LENGTH * 2)
    const a = createRemoteArm()
    const b = createRemoteArm()
    solveRemoteArm(one, 0, a)
    expect(solveRemoteArm(many, 0, b, POSE_LENGTH * 2)).toBe(true)
    expect(b.elbow.toArray()).toEqual(a.elbow.toArray())
    expect(b.shoulder.toArray()).toEqual(a.shoulder.toArray())
  })
})
