import { Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { createRng } from '../time/rng'
import { ARM_DEFAULT_BASE, ARM_JOINTS, ARM_LENGTH_M, armTipDistance, createRobotArm, forwardKinematics, solveArmIk, updateRobotArm } from './robot-arm'

const base = new Vector3(ARM_DEFAULT_BASE.x, ARM_DEFAULT_BASE.y, ARM_DEFAULT_BASE.z)

function withinLimits(q: Float64Array): boolean {
  return ARM_JOINTS.every((j, i) => q[i] >= j.min - 1e-12 && q[i] <= j.max + 1e-12)
}

describe('robotic arm', () => {
  it('is 10.2 m with 7 joints: shoulder 3, elbow 1, wrist 3', () => {
    expect(ARM_LENGTH_M).toBeCloseTo(10.2, 12)
    expect(ARM_JOINTS).toHaveLength(7)
    expect(ARM_JOINTS.map((j) => j.label.en.split(' ')[0])).toEqual(['Shoulder', 'Shoulder', 'Shoulder', 'Elbow', 'Wrist', 'Wrist', 'Wrist'])
  })

  it('forward kinematics: straight up at zero, and a known bent pose', () => {
    const arm = createRobotArm({ q: [0, 0, 0, 0, 0, 0, 0] })
    expect(arm.eePosition.distanceTo(base.clone().add(new Vector3(0, 10.2, 0)))).toBeLessThan(1e-12)
    // Shoulder pitch 90° about X lays the whole arm along +Z.
    arm.q.set([0, 0, Math.PI / 2, 0, 0, 0, 0])
    forwardKinematics(arm)
    expect(arm.eePosition.distanceTo(base.clone().add(new Vector3(0, 0, 10.2)))).toBeLessThan(1e-9)
    // Elbow −90°: upper boom along +Z, then the lower boom and wrist point along +Y again.
    arm.q.set([0, 0, Math.PI / 2, -Math.PI / 2, 0, 0, 0])
    forwardKinematics(arm)
    expect(arm.eePosition.distanceTo(base.clone().add(new Vector3(0, 5.5, 4.7)))).toBeLessThan(1e-9)
    // Shoulder roll 90° about Y swings that to +X.
    arm.q.set([Math.PI / 2, 0, Math.PI / 2, -Math.PI / 2, 0, 0, 0])
    forwardKinematics(arm)
    expect(arm.eePosition.distanceTo(base.clone().add(new Vector3(4.7, 5.5, 0)))).toBeLessThan(1e-9)
  })

  it('inverse kinematics reaches seeded random targets in the workspace within tolerance and limits', () => {
    const rng = createRng(99)
    for (let k = 0; k < 25; k++) {
      // Points 3–9 m from the shoulder, on the outward (+Y) side of the hull.
      const dir = new Vector3(rng.range(-1, 1), rng.range(0.2, 1), rng.range(-1, 1)).normalize()
      const target = base.clone().addScaledVector(dir, rng.range(3, 9))
      const arm = createRobotArm()
      const err = solveArmIk(arm, target)
      expect(err).toBeLessThan(0.01)
      expect(withinLimits(arm.q)).toBe(true)
    }
  })

  it('stretches toward an unreachable target without breaking the limits', () => {
    const arm = createRobotArm()
    const far = base.clone().add(new Vector3(0, 15, 0))
    const err = solveArmIk(arm, far)
    expect(err).toBeGreaterThan(15 - 10.2 - 1e-6)
    expect(err).toBeLessThan(15 - 10.2 + 0.05)
    expect(withinLimits(arm.q)).toBe(true)
  })

  it('moves the tip in the commanded direction at the commanded speed', () => {
    const arm = createRobotArm()
    const before = arm.eePosition.clone()
    updateRobotArm(arm, 0.1, { x: 1, y: 0, z: 0 }, { x: 0, y: 0, z: 0 })
    const moved = arm.eePosition.clone().sub(before)
    expect(moved.clone().normalize().x).toBeGreaterThan(0.99)
    expect(moved.length()).toBeCloseTo(0.03, 2) // 0.3 m/s × 0.1 s
    // Idle sticks: nothing moves.
    const q = Float64Array.from(arm.q)
    updateRobotArm(arm, 0.1, { x: 0.01, y: 0, z: 0 }, { x: 0, y: 0, z: 0 })
    expect(Array.from(arm.q)).toEqual(Array.from(q))
  })

  it('holds joint limits under long random joystick driving', () => {
    const rng = createRng(5)
    const arm = createRobotArm()
    const t = { x: 0, y: 0, z: 0 }
    const r = { x: 0, y: 0, z: 0 }
    let maxRate = 0
    for (let i = 0; i < 20000; i++) {
      if (i % 200 === 0) {
        t.x = rng.range(-1, 1)
        t.y = rng.range(-1, 1)
        t.z = rng.range(-1, 1)
        r.x = rng.range(-1, 1) * (rng.next() < 0.3 ? 1 : 0)
      }
      updateRobotArm(arm, 1 / 30, t, r)
      for (let k = 0; k < 7; k++) maxRate = Math.max(maxRate, Math.abs(arm.qDot[k]))
      if (!withinLimits(arm.q)) throw new Error(`joint limit broken at step ${i}`)
    }
    expect(maxRate).toBeLessThanOrEqual(0.15 + 1e-9)
    expect(withinLimits(arm.q)).toBe(true)
    expect(armTipDistance(arm, arm.jointPositions[0])).toBeLessThanOrEqual(10.2 + 1e-9)
  })

  it('a joystick operator can drive the tip to within 0.3 m of a target', () => {
    const arm = createRobotArm()
    const target = base.clone().add(new Vector3(2.5, 3.5, -3))
    const stick = new Vector3()
    let t = 0
    while (armTipDistance(arm, target) > 0.3 && t < 300) {
      // Push the stick toward the target, easing off near it (what a person does).
      stick.copy(target).sub(arm.eePosition)
      stick.multiplyScalar(Math.min(1, stick.length()) / stick.length())
      updateRobotArm(arm, 1 / 30, stick, { x: 0, y: 0, z: 0 })
      t += 1 / 30
    }
    expect(armTipDistance(arm, target)).toBeLessThanOrEqual(0.3)
    expect(t).toBeLessThan(120)
  })
})
