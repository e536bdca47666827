import { Object3D, Quaternion, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { createAvatarDriver, updateAvatarDriver, type AvatarDriver } from './avatar-driver'
import { createBodyRetarget, retargetBody } from './body-retarget'
import { restEyePosition } from './humanoid'
import { buildTestAvatar, sampleRestPose } from './test-fixtures'
import { createSyntheticBodyPose, fillSyntheticBody, syntheticBodyEyeHeight } from '../replay/synthetic-body'

const DT = 1 / 72
const Y = new Vector3(0, 1, 0)

const worldPos = (o: Object3D) => {
  o.updateWorldMatrix(true, false)
  return new Vector3().setFromMatrixPosition(o.matrixWorld)
}

/** The knee angle a rig shows: between upper-leg → lower-leg and lower-leg → foot, world space. */
function rigKneeFlexion(upper: Object3D, lower: Object3D, foot: Object3D): number {
  const a = worldPos(upper), b = worldPos(lower), c = worldPos(foot)
  return b.clone().sub(a).angleTo(c.clone().sub(b))
}

describe('body retarget (pure)', () => {
  it('reads a standing body facing WebXR forward as the rest pose turned to face -Z', () => {
    const joints = new Float32Array(23 * 7)
    const pose = createSyntheticBodyPose()
    fillSyntheticBody(joints, pose, 0, 0, 0, NaN)
    const out = retargetBody(joints, createBodyRetarget())
    const facingMinusZ = new Quaternion().setFromAxisAngle(Y, Math.PI)
    expect(Math.abs(out.hipsRotation.dot(facingMinusZ))).toBeCloseTo(1, 6)
    expect(Math.abs(out.chestRotation.dot(facingMinusZ))).toBeCloseTo(1, 6)
    expect(out.forward.z).toBeCloseTo(-1, 6)
    expect(out.legs[0].hip.x).toBeLessThan(0) // the user's left is -X facing -Z
    for (const leg of out.legs) {
      expect(leg.kneeFlexion).toBeCloseTo(pose.kneeFlexion[0], 5)
      expect(leg.length).toBeCloseTo(0.85, 5)
      // Foot yaw: toes toward -Z as well.
      expect(new Vector3(0, 0, 1).applyQuaternion(leg.footRotation).z).toBeCloseTo(-1, 6)
    }
  })

  it('measures the knee flexion the joints show, and follows a body turned on the spot', () => {
    const joints = new Float32Array(23 * 7)
    const pose = createSyntheticBodyPose()
    const out = createBodyRetarget()
    for (const squat of [0.2, 0.5, 0.9]) {
      fillSyntheticBody(joints, pose, 0.3, -0.4, squat, NaN)
      retargetBody(joints, out)
      expect(out.legs[0].kneeFlexion).toBeCloseTo(pose.kneeFlexion[0], 4)
      expect(out.legs[1].kneeFlexion).toBeCloseTo(pose.kneeFlexion[1], 4)
      expect(pose.kneeFlexion[0]).toBeGreaterThan(0.3)
    }
    // Turn every joint 90° about the vertical through the origin: the hips turn with it.
    const turn = new Quaternion().setFromAxisAngle(Y, Math.PI / 2)
    const v = new Vector3()
    for (let j = 0; j < 23; j++) {
      v.fromArray(joints, j * 7).applyQuaternion(turn)
      joints[j * 7] = v.x
      joints[j * 7 + 1] = v.y
      joints[j * 7 + 2] = v.z
    }
    retargetBody(joints, out)
    expect(out.forward.x).toBeCloseTo(-1, 4) // -Z turned by +90° about Y is -X
  })
})

describe('avatar driver with a tracked body', () => {
  const rest = sampleRestPose()
  const eye = restEyePosition(rest, new Vector3())

  function setup() {
    const avatar = buildTestAvatar(rest)
    const driver: AvatarDriver = createAvatarDriver(avatar.space, avatar.bones, rest)
    const pose = createSyntheticBodyPose()
    const inp = driver.input
    const frame = (squat: number, stride: number, withBody: boolean) => {
      fillSyntheticBody(inp.body.joints, pose, 0, 0, squat, stride)
      inp.body.valid = withBody
      inp.headPosition.set(0, withBody ? syntheticBodyEyeHeight(pose) : eye.y, -0.08)
      inp.headRotation.setFromAxisAngle(Y, Math.PI)
      updateAvatarDriver(driver, DT)
    }
    const knees = () => [
      rigKneeFlexion(avatar.bones.leftUpperLeg!, avatar.bones.leftLowerLeg!, avatar.bones.leftFoot!),
      rigKneeFlexion(avatar.bones.rightUpperLeg!, avatar.bones.rightLowerLeg!, avatar.bones.rightFoot!),
    ]
    return { avatar, driver, pose, frame, knees }
  }

  it('a bent knee in the joints is a bent knee on the rig (squat), by the same angle', () => {
    const { driver, pose, frame, knees } = setup()
    frame(0, NaN, true)
    expect(driver.bodyDriven).toBe(true)
    const straight = knees()
    expect(straight[0]).toBeLessThan(0.35)
    for (const squat of [0.3, 0.6, 1]) {
      frame(squat, NaN, true)
      const k = knees()
      // Within 3° of the recorded knee (the rig's thigh/shin ratio differs a little from the body's).
      expect(Math.abs(k[0] - pose.kneeFlexion[0]), `squat ${squat} left`).toBeLessThan(0.05)
      expect(Math.abs(k[1] - pose.kneeFlexion[1]), `squat ${squat} right`).toBeLessThan(0.05)
    }
    expect(knees()[0]).toBeGreaterThan(1.2)
  })

  it('walking bends each knee in turn, as the joints do', () => {
    const { pose, frame, knees } = setup()
    let worst = 0
    let leftMax = 0
    let rightMax = 0
    for (let f = 0; f < 72; f++) {
      frame(0, (2 * Math.PI * f) / 72, true)
      const k = knees()
      worst = Math.max(worst, Math.abs(k[0] - pose.kneeFlexion[0]), Math.abs(k[1] - pose.kneeFlexion[1]))
      leftMax = Math.max(leftMax, k[0])
      rightMax = Math.max(rightMax, k[1])
    }
    expect(worst).toBeLessThan(0.05)
    expect(leftMax).toBeGreaterThan(0.5)
    expect(rightMax).toBeGreaterThan(0.5)
  })

  it('without a body nothing changes: the procedural legs stand straight under the head', () => {
    const { avatar: driverAvatar, driver, frame, knees } = setup()
    const withBody = setup()
    for (let f = 0; f < 30; f++) {
      frame(1, NaN, false)
      withBody.frame(1, NaN, true)
    }
    expect(driver.bodyDriven).toBe(false)
    expect(knees()[0]).toBeLessThan(0.35)
    expect(withBody.knees()[0]).toBeGreaterThan(1.2)
    // The same result as a driver that never saw body input at all.
    const plain = buildTestAvatar(rest)
    const plainDriver = createAvatarDriver(plain.space, plain.bones, rest)
    for (let f = 0; f < 30; f++) {
      plainDriver.input.headPosition.set(0, eye.y, -0.08)
      plainDriver.input.headRotation.setFromAxisAngle(Y, Math.PI)
      updateAvatarDriver(plainDriver, DT)
    }
    for (const bone of ['hips', 'leftLowerLeg', 'leftFoot', 'rightFoot', 'chest'] as const) {
      expect(worldPos(driverAvatar.bones[bone]!).distanceTo(worldPos(plain.bones[bone]!)), bone).toBeLessThan(1e-9)
    }
  })
})
