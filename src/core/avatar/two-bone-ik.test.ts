import { Group, Object3D, Quaternion, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { createRng } from '../time/rng'
import { normalizedHingeAxis } from './humanoid'
import {
  DEFAULT_MAX_FLEXION,
  applyTwoBoneIK,
  createTwoBoneChain,
  createTwoBoneIKResult,
  createTwoBonePositions,
  solveTwoBoneIK,
  solveTwoBonePositions,
} from './two-bone-ik'

const MM = 1e-3
const rng = createRng(1234)
const randomIn = (min: number, max: number) => rng.range(min, max)

function flexionOf(root: Vector3, mid: Vector3, end: Vector3): number {
  const a = new Vector3().subVectors(mid, root)
  const b = new Vector3().subVectors(end, mid)
  return a.angleTo(b)
}

/** Component of (point - root) perpendicular to the root→target line. */
function perpendicular(point: Vector3, root: Vector3, target: Vector3): Vector3 {
  const u = new Vector3().subVectors(target, root).normalize()
  const v = new Vector3().subVectors(point, root)
  return v.addScaledVector(u, -v.dot(u))
}

describe('solveTwoBonePositions', () => {
  const root = new Vector3(0.1, 1.4, 0)
  const out = createTwoBonePositions()

  it('reaches reachable targets within 1 mm, keeps bone lengths and bends toward the pole', () => {
    for (let i = 0; i < 200; i++) {
      const l1 = randomIn(0.2, 0.35)
      const l2 = randomIn(0.2, 0.35)
      const dir = new Vector3(randomIn(-1, 1), randomIn(-1, 1), randomIn(-1, 1)).normalize()
      const dist = randomIn(0.45, 0.98) * (l1 + l2)
      const target = root.clone().addScaledVector(dir, dist)
      const pole = new Vector3(randomIn(-2, 2), randomIn(-1, 3), randomIn(-2, 2))
      solveTwoBonePositions(root, l1, l2, target, pole, out)
      expect(out.end.distanceTo(target)).toBeLessThan(MM)
      expect(out.mid.distanceTo(root)).toBeCloseTo(l1, 6)
      expect(out.mid.distanceTo(out.end)).toBeCloseTo(l2, 6)
      expect(out.reachClamped || out.foldClamped).toBe(false)
      const toPole = perpendicular(pole, root, target)
      if (toPole.length() > 1e-3) expect(perpendicular(out.mid, root, target).dot(toPole)).toBeGreaterThan(0)
    }
  })

  it('points a straight limb at an out-of-reach target', () => {
    const target = new Vector3(2, 1.4, 0.5)
    solveTwoBonePositions(root, 0.3, 0.25, target, new Vector3(0, 0, -1), out)
    expect(out.reachClamped).toBe(true)
    expect(out.flexion).toBeCloseTo(0, 6)
    const dir = target.clone().sub(root).normalize()
    expect(out.end.distanceTo(root.clone().addScaledVector(dir, 0.55))).toBeLessThan(1e-6)
    expect(perpendicular(out.mid, root, target).length()).toBeLessThan(1e-6)
  })

  it('never flexes past the limit or backwards, stopping short of targets that are too close', () => {
    for (let i = 0; i < 200; i++) {
      const target = root.clone().add(new Vector3(randomIn(-0.8, 0.8), randomIn(-0.8, 0.8), randomIn(-0.8, 0.8)))
      solveTwoBonePositions(root, 0.28, 0.26, target, new Vector3(0, 0, 3), out)
      const f = flexionOf(root, out.mid, out.end)
      expect(f).toBeGreaterThanOrEqual(-1e-9)
      expect(f).toBeLessThanOrEqual(DEFAULT_MAX_FLEXION + 1e-6)
      expect(out.flexion).toBeCloseTo(f, 5)
    }
    const close = root.clone().add(new Vector3(0.02, 0, 0))
    solveTwoBonePositions(root, 0.28, 0.26, close, new Vector3(0, -1, 0), out)
    expect(out.foldClamped).toBe(true)
    expect(out.flexion).toBeCloseTo(DEFAULT_MAX_FLEXION, 5)
    const custom = (90 * Math.PI) / 180
    solveTwoBonePositions(root, 0.28, 0.26, close, new Vector3(0, -1, 0), out, custom)
    expect(flexionOf(root, out.mid, out.end)).toBeCloseTo(custom, 5)
  })
})

describe('solveTwoBoneIK (plain data)', () => {
  it('turns normalized arm bones as a hinge about the elbow axis, within limits', () => {
    const hinge = normalizedHingeAxis('leftArm', new Vector3())
    const chain = createTwoBoneChain()
    const out = createTwoBoneIKResult()
    for (let i = 0; i < 100; i++) {
      // Fresh T-pose every time (identity rotations): the hinge axis must still give a clean hinge.
      chain.rootPosition.set(0.17, 1.38, 0)
      chain.midPosition.set(0.43, 1.38, 0)
      chain.endPosition.set(0.67, 1.38, 0)
      chain.upperRotation.identity()
      chain.lowerRotation.identity()
      chain.endRotation.identity()
      const target = new Vector3(randomIn(-0.2, 0.7), randomIn(0.9, 1.9), randomIn(-0.3, 0.6))
      const pole = new Vector3(0.8, 0.6, -0.4)
      const targetRot = new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), randomIn(-1, 1))
      solveTwoBoneIK(chain, target, targetRot, pole, out, { hingeAxis: hinge })

      // The rotations reproduce the solved joint positions from the rest offsets.
      const mid = new Vector3(0.26, 0, 0).applyQuaternion(out.upperRotation).add(chain.rootPosition)
      const end = new Vector3(0.24, 0, 0).applyQuaternion(out.lowerRotation).add(mid)
      expect(mid.distanceTo(out.mid)).toBeLessThan(1e-5)
      expect(end.distanceTo(out.end)).toBeLessThan(1e-5)
      if (!out.reachClamped && !out.foldClamped) expect(end.distanceTo(target)).toBeLessThan(MM)
      expect(out.endRotation.angleTo(targetRot)).toBeLessThan(1e-6)

      // Elbow local rotation = pure rotation about the hinge by the flexion (0..150°, never negative).
      const local = out.upperRotation.clone().invert().multiply(out.lowerRotation)
      const expected = new Quaternion().setFromAxisAngle(hinge, out.flexion)
      expect(local.angleTo(expected)).toBeLessThan(1e-4)
      expect(out.flexion).toBeLessThanOrEqual(DEFAULT_MAX_FLEXION + 1e-9)
    }
  })

  it('is stateless with a hinge axis: solving from last frame or from rest gives the same pose', () => {
    const hinge = normalizedHingeAxis('rightArm', new Vector3())
    const chain = createTwoBoneChain()
    const first = createTwoBoneIKResult()
    const second = createTwoBoneIKResult()
    const rest = () => {
      chain.rootPosition.set(-0.17, 1.38, 0)
      chain.midPosition.set(-0.43, 1.38, 0)
      chain.endPosition.set(-0.67, 1.38, 0)
      chain.upperRotation.identity()
      chain.lowerRotation.identity()
      chain.endRotation.identity()
    }
    rest()
    const target = new Vector3(-0.3, 1.1, 0.35)
    const pole = new Vector3(-0.9, 0.7, -0.3)
    solveTwoBoneIK(chain, target, null, pole, first, { hingeAxis: hinge })
    chain.midPosition.copy(first.mid)
    chain.endPosition.copy(first.end)
    chain.upperRotation.copy(first.upperRotation)
    chain.lowerRotation.copy(first.lowerRotation)
    chain.endRotation.copy(first.endRotation)
    solveTwoBoneIK(chain, target, null, pole, second, { hingeAxis: hinge })
    expect(second.upperRotation.angleTo(first.upperRotation)).toBeLessThan(1e-5)
    expect(second.lowerRotation.angleTo(first.lowerRotation)).toBeLessThan(1e-5)
  })

  it('hands part of the wrist twist to the forearm when asked', () => {
    const hinge = normalizedHingeAxis('leftArm', new Vector3())
    const chain = createTwoBoneChain()
    chain.rootPosition.set(0, 0, 0)
    chain.midPosition.set(0.3, 0, 0)
    chain.endPosition.set(0.55, 0, 0)
    const out = createTwoBoneIKResult()
    const twist = new Quaternion().setFromAxisAngle(new Vector3(1, 0, 0), 1.2)
    solveTwoBoneIK(chain, new Vector3(0.7, 0, 0), twist, new Vector3(0, 0, -1), out, {
      hingeAxis: hinge,
      lowerTwist: 0.5,
    })
    const lowerTwistAngle = out.lowerRotation.angleTo(out.upperRotation)
    expect(lowerTwistAngle).toBeCloseTo(0.6, 3)
    expect(out.endRotation.angleTo(twist)).toBeLessThan(1e-6)
  })
})

describe('applyTwoBoneIK (three.js bones)', () => {
  function buildArm() {
    const stage = new Group()
    stage.position.set(1, -0.5, 2)
    stage.rotation.set(0.3, 1.1, -0.2)
    stage.scale.setScalar(1.3)
    const torso = new Object3D()
    torso.position.set(0, 1.2, 0)
    torso.quaternion.setFromAxisAngle(new Vector3(0, 0, 1), 0.4)
    stage.add(torso)
    const upper = new Object3D()
    upper.position.set(0.15, 0.2, 0)
    upper.quaternion.setFromAxisAngle(new Vector3(1, 1, 0).normalize(), 0.7) // arbitrary rest frame
    torso.add(upper)
    const lower = new Object3D()
    lower.position.set(0.05, 0.27, 0.02)
    lower.quaternion.setFromAxisAngle(new Vector3(0, 0, 1), -0.3)
    upper.add(lower)
    const hand = new Object3D()
    hand.position.set(0, 0.25, 0.01)
    lower.add(hand)
    stage.updateWorldMatrix(true, true)
    return { stage, upper, lower, hand }
  }
  const worldPos = (o: Object3D) => new Vector3().setFromMatrixPosition(o.matrixWorld)

  it('reaches world targets within 1 mm under an arbitrary parent transform and takes the target rotation', () => {
    const { upper, lower, hand } = buildArm()
    const shoulder = worldPos(upper)
    const reach = shoulder.distanceTo(worldPos(lower)) + worldPos(lower).distanceTo(worldPos(hand))
    for (let i = 0; i < 50; i++) {
      const dir = new Vector3(randomIn(-1, 1), randomIn(-1, 1), randomIn(-1, 1)).normalize()
      const target = shoulder.clone().addScaledVector(dir, randomIn(0.5, 0.95) * reach)
      const pole = shoulder.clone().add(new Vector3(randomIn(-1, 1), -1, randomIn(-1, 1)))
      const rot = new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), randomIn(-3, 3))
      const res = applyTwoBoneIK(upper, lower, hand, target, rot, pole)
      hand.updateWorldMatrix(true, false)
      expect(worldPos(hand).distanceTo(target)).toBeLessThan(MM)
      expect(hand.getWorldQuaternion(new Quaternion()).angleTo(rot)).toBeLessThan(1e-4)
      expect(worldPos(upper).distanceTo(shoulder)).toBeLessThan(1e-9)
      expect(res.flexion).toBeLessThanOrEqual(DEFAULT_MAX_FLEXION + 1e-9)
      const elbow = worldPos(lower)
      const toPole = perpendicular(pole, shoulder, target)
      if (toPole.length() > 0.05) expect(perpendicular(elbow, shoulder, target).dot(toPole)).toBeGreaterThan(0)
    }
  })

  it('clamps an unreachable target to a straight arm pointing at it', () => {
    const { upper, lower, hand } = buildArm()
    const shoulder = worldPos(upper)
    const target = shoulder.clone().add(new Vector3(3, 1, -2))
    applyTwoBoneIK(upper, lower, hand, target, null, shoulder.clone().add(new Vector3(0, -1, 0)))
    hand.updateWorldMatrix(true, false)
    const elbow = worldPos(lower)
    const end = worldPos(hand)
    expect(flexionOf(shoulder, elbow, end)).toBeLessThan(1e-4)
    const aim = target.clone().sub(shoulder).normalize()
    expect(end.clone().sub(shoulder).normalize().angleTo(aim)).toBeLessThan(1e-4)
  })
})
