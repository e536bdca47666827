import { Quaternion, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { createProceduralLegs, updateProceduralLegs, type ProceduralLegs } from './procedural-legs'
import { sampleRestPose } from './test-fixtures'

const rest = sampleRestPose()
const DT = 1 / 72
const Y = new Vector3(0, 1, 0)

function stand(legs: ProceduralLegs, hips: Vector3, yaw: number, seconds: number, onFrame?: () => void) {
  const rot = new Quaternion().setFromAxisAngle(Y, yaw)
  for (let t = 0; t < seconds - 1e-9; t += DT) {
    updateProceduralLegs(legs, hips, rot, yaw, DT)
    onFrame?.()
  }
}

function hipsAt(x: number, y: number, z: number) {
  return new Vector3(x, y, z)
}

describe('procedural legs', () => {
  it('plants the feet under the hips and keeps them still while the hips stay', () => {
    const legs = createProceduralLegs(rest)
    stand(legs, hipsAt(0, 0.95, 0), 0, 2)
    expect(legs.stepCount).toBe(0)
    expect(legs.left.position.distanceTo(rest.leftFoot!)).toBeLessThan(1e-6)
    expect(legs.right.position.distanceTo(rest.rightFoot!)).toBeLessThan(1e-6)
    expect(legs.crouch).toBeCloseTo(0, 6)
  })

  it('does not step for small sways', () => {
    const legs = createProceduralLegs(rest)
    stand(legs, hipsAt(0, 0.95, 0), 0, 0.2)
    const left = legs.left.position.clone()
    stand(legs, hipsAt(0.06, 0.95, 0.05), 0, 2)
    stand(legs, hipsAt(-0.05, 0.95, -0.04), 0.3, 2)
    expect(legs.stepCount).toBe(0)
    expect(legs.left.position.distanceTo(left)).toBeLessThan(1e-9)
  })

  it('steps along an arc when the hips move away, and ends with both feet under the hips', () => {
    const legs = createProceduralLegs(rest)
    stand(legs, hipsAt(0, 0.95, 0), 0, 0.2)
    let maxLift = 0
    let firstStepFrames = 0
    stand(legs, hipsAt(0, 0.95, 0.4), 0, 2, () => {
      maxLift = Math.max(maxLift, legs.left.position.y - rest.leftFoot!.y, legs.right.position.y - rest.rightFoot!.y)
      if (legs.stepCount === 0 && (legs.left.stepping || legs.right.stepping)) firstStepFrames++
    })
    expect(legs.stepCount).toBeGreaterThanOrEqual(2)
    expect(maxLift).toBeGreaterThan(0.06)
    expect(maxLift).toBeLessThanOrEqual(0.08 + 1e-9)
    // A step lasts the configured duration (0.3 s), whatever the frame rate.
    expect(firstStepFrames * DT).toBeCloseTo(0.3, 1)
    expect(legs.left.position.distanceTo(new Vector3(0.09, 0.08, 0.4))).toBeLessThan(0.02)
    expect(legs.right.position.distanceTo(new Vector3(-0.09, 0.08, 0.4))).toBeLessThan(0.02)
    expect(legs.left.stepping || legs.right.stepping).toBe(false)
  })

  it('steps when the torso twists past the threshold and turns the feet', () => {
    const legs = createProceduralLegs(rest)
    stand(legs, hipsAt(0, 0.95, 0), 0, 0.2)
    stand(legs, hipsAt(0, 0.95, 0), Math.PI / 2, 3)
    expect(legs.stepCount).toBeGreaterThanOrEqual(2)
    expect(Math.abs(legs.left.yaw - Math.PI / 2)).toBeLessThan(legs.params.yawThreshold)
    expect(Math.abs(legs.right.yaw - Math.PI / 2)).toBeLessThan(legs.params.yawThreshold)
  })

  it('is deterministic for the same inputs', () => {
    const run = () => {
      const legs = createProceduralLegs(rest)
      stand(legs, hipsAt(0, 0.95, 0), 0, 0.2)
      stand(legs, hipsAt(0.2, 0.9, 0.3), 0.4, 0.45)
      return [...legs.left.position.toArray(), ...legs.right.position.toArray(), legs.stepCount]
    }
    expect(run()).toEqual(run())
  })

  it('bends the knees forward when crouching, with feet planted', () => {
    const legs = createProceduralLegs(rest)
    stand(legs, hipsAt(0, 0.95, 0), 0, 0.2)
    stand(legs, hipsAt(0, 0.6, 0), 0, 0.5)
    expect(legs.stepCount).toBe(0)
    expect(legs.crouch).toBeGreaterThan(0.6)
    for (const foot of [legs.left, legs.right]) {
      expect(foot.knee.z).toBeGreaterThan(foot.position.z + 0.1)
      expect(foot.knee.distanceTo(foot.hip)).toBeCloseTo(0.4, 2)
      expect(foot.solve.flexion).toBeGreaterThan(0.5)
    }
  })

  it('re-plants the feet at once after a teleport', () => {
    const legs = createProceduralLegs(rest)
    stand(legs, hipsAt(0, 0.95, 0), 0, 0.2)
    stand(legs, hipsAt(5, 0.95, 5), 0, DT)
    expect(legs.left.position.distanceTo(new Vector3(5.09, 0.08, 5))).toBeLessThan(1e-6)
  })
})
