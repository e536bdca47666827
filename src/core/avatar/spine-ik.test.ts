import { Quaternion, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { restEyePosition } from './humanoid'
import { createSpineIK, updateSpineIK, type SpineIKInput } from './spine-ik'
import { sampleRestPose } from './test-fixtures'

const rest = sampleRestPose()
const eye = restEyePosition(rest, new Vector3())
const Y = new Vector3(0, 1, 0)
const DT = 1 / 72

/** WebXR head orientation looking along avatar yaw `yaw` (0 = +Z), pitched down by `pitch`. */
function xrHead(yaw: number, pitch = 0): Quaternion {
  const q = new Quaternion().setFromAxisAngle(Y, yaw + Math.PI)
  return q.multiply(new Quaternion().setFromAxisAngle(new Vector3(1, 0, 0), -pitch))
}

function input(head: Vector3, rot: Quaternion, balance: Vector3 | null = null): SpineIKInput {
  return { headPosition: head, headRotation: rot, leftHand: null, rightHand: null, balance }
}

function run(ik: ReturnType<typeof createSpineIK>, inp: SpineIKInput, seconds: number) {
  let pose = updateSpineIK(ik, inp, DT)
  for (let t = DT; t < seconds; t += DT) pose = updateSpineIK(ik, inp, DT)
  return pose
}

describe('spine IK', () => {
  it('stands the avatar in its rest pose under a head at rest eye height', () => {
    const ik = createSpineIK(rest)
    const pose = run(ik, input(eye.clone(), xrHead(0)), 0.1)
    expect(pose.hips.position.distanceTo(rest.hips!)).toBeLessThan(0.02)
    expect(pose.head.position.distanceTo(rest.head!)).toBeLessThan(1e-3)
    expect(pose.head.rotation.angleTo(new Quaternion())).toBeLessThan(1e-6)
    expect(pose.hips.rotation.angleTo(new Quaternion())).toBeLessThan(0.02)
    expect(pose.crouch).toBeLessThan(0.05)
    expect(pose.lean).toBeLessThan(0.02)
  })

  it('puts the head bone exactly where the tracked eyes say, and carries the hips with the head', () => {
    const ik = createSpineIK(rest)
    run(ik, input(eye.clone(), xrHead(0)), 0.1)
    const moved = eye.clone().add(new Vector3(0.3, 0, -0.2))
    const pose = run(ik, input(moved, xrHead(0.2, 0.3)), 0.1)
    const eyeFromPose = ik.rest.headToEye.clone().applyQuaternion(pose.head.rotation).add(pose.head.position)
    expect(eyeFromPose.distanceTo(moved)).toBeLessThan(1e-3)
    expect(pose.hips.position.x).toBeCloseTo(0.3, 1)
    expect(pose.hips.position.z).toBeCloseTo(-0.2, 1)
  })

  it('keeps the body still for a glance inside the dead zone and turns it for a real turn', () => {
    const ik = createSpineIK(rest)
    run(ik, input(eye.clone(), xrHead(0)), 0.1)
    let pose = run(ik, input(eye.clone(), xrHead(0.3)), 0.2)
    expect(Math.abs(pose.bodyYaw)).toBeLessThan(0.03)
    pose = run(ik, input(eye.clone(), xrHead(Math.PI / 2)), 1.5)
    expect(pose.headYaw).toBeCloseTo(Math.PI / 2, 5)
    expect(pose.bodyYaw).toBeGreaterThan(Math.PI / 2 - ik.params.yawDeadZone - 0.05)
    // The chest twists part of the way toward the head.
    const chestFwd = new Vector3(0, 0, 1).applyQuaternion(pose.chest.rotation)
    const hipsFwd = new Vector3(0, 0, 1).applyQuaternion(pose.hips.rotation)
    const chestYaw = Math.atan2(chestFwd.x, chestFwd.z)
    const hipsYaw = Math.atan2(hipsFwd.x, hipsFwd.z)
    expect(chestYaw).toBeGreaterThanOrEqual(hipsYaw - 1e-6)
    expect(chestYaw).toBeLessThanOrEqual(Math.PI / 2 + 1e-6)
  })

  it('turns the body toward where both hands are', () => {
    const a = createSpineIK(rest)
    const b = createSpineIK(rest)
    const head = eye.clone()
    const withoutHands = run(a, input(head, xrHead(0)), 0.05)
    const hand = (x: number) => new Vector3(x, 1.2, 0.1)
    const withHands = run(
      b,
      { ...input(head, xrHead(0)), leftHand: hand(-0.35).add(new Vector3(-0.2, 0, 0.3)), rightHand: hand(-0.6) },
      0.05,
    )
    expect(withoutHands.bodyYaw).toBeCloseTo(0, 5)
    expect(withHands.bodyYaw).toBeLessThan(-0.2) // hands off to the avatar's right (-X)
  })

  it('crouches when the head drops straight down', () => {
    const ik = createSpineIK(rest)
    const balance = new Vector3(0, 0, 0)
    run(ik, input(eye.clone(), xrHead(0), balance), 0.1)
    const pose = run(ik, input(eye.clone().add(new Vector3(0, -0.4, 0)), xrHead(0), balance), 0.1)
    expect(pose.hips.position.y).toBeCloseTo(rest.hips!.y - 0.4, 1)
    expect(pose.lean).toBeLessThan(0.05)
    expect(pose.crouch).toBeGreaterThan(0.5)
  })

  it('leans the torso toward a head that bends forward over the feet', () => {
    const ik = createSpineIK(rest)
    const balance = new Vector3(0, 0, 0)
    run(ik, input(eye.clone(), xrHead(0), balance), 0.1)
    const bent = eye.clone().add(new Vector3(0, -0.2, 0.3))
    const pose = run(ik, input(bent, xrHead(0, 0.8), balance), 0.1)
    expect(pose.lean).toBeGreaterThan(0.35)
    expect(Math.hypot(pose.hips.position.x, pose.hips.position.z)).toBeLessThan(0.12)
    const chestUp = new Vector3(0, 1, 0).applyQuaternion(pose.chest.rotation)
    expect(chestUp.z).toBeGreaterThan(0.3) // chest tipped forward
  })

  it('scales with the calibration', () => {
    const ik = createSpineIK(rest, 1.1)
    const pose = run(ik, input(eye.clone().multiplyScalar(1.1), xrHead(0)), 0.1)
    expect(pose.hips.position.y).toBeCloseTo(rest.hips!.y * 1.1, 1)
    expect(pose.crouch).toBeLessThan(0.05)
  })
})
