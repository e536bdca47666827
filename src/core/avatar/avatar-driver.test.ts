import { Object3D, Quaternion, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { createAvatarDriver, updateAvatarDriver } from './avatar-driver'
import { restEyePosition } from './humanoid'
import { readRestPositions } from './rig-space'
import { buildTestAvatar as buildAvatar, sampleRestPose } from './test-fixtures'

const DT = 1 / 72
const Y = new Vector3(0, 1, 0)

const worldPos = (o: Object3D) => {
  o.updateWorldMatrix(true, false)
  return new Vector3().setFromMatrixPosition(o.matrixWorld)
}

/** WebXR head orientation looking along avatar yaw `yaw`. */
const xrHead = (yaw: number) => new Quaternion().setFromAxisAngle(Y, yaw + Math.PI)

describe('avatar driver (three.js skeleton)', () => {
  const rest = sampleRestPose()
  const eye = restEyePosition(rest, new Vector3())

  it('reads rest positions back from the skeleton', () => {
    const { space, bones } = buildAvatar(rest)
    const read = readRestPositions(space, bones)
    expect(read.leftHand!.distanceTo(rest.leftHand!)).toBeLessThan(1e-9)
  })

  it('puts head, hands and feet where the solvers say, in a moved play space', () => {
    const { space, bones } = buildAvatar(rest)
    const driver = createAvatarDriver(space, bones, rest)
    const inp = driver.input
    inp.headPosition.copy(eye)
    inp.headRotation.copy(xrHead(0))
    inp.left.tracked = true
    inp.left.position.set(0.35, 1.1, 0.3)
    inp.left.rotation.setFromAxisAngle(new Vector3(0, 0, 1), -0.8)
    inp.right.tracked = true
    inp.right.position.set(-0.3, 1.45, 0.35)
    inp.right.rotation.identity()
    for (let i = 0; i < 10; i++) updateAvatarDriver(driver, DT)

    const toWorld = (v: Vector3) => v.clone().applyMatrix4(space.matrixWorld)
    const eyeWorld = toWorld(eye)
    const headBone = worldPos(bones.head!)
    const headToEye = new Vector3().subVectors(eyeWorld, headBone).applyQuaternion(space.quaternion.clone().invert())
    expect(headToEye.distanceTo(new Vector3().subVectors(eye, rest.head!))).toBeLessThan(2e-3)

    expect(worldPos(bones.leftHand!).distanceTo(toWorld(inp.left.position))).toBeLessThan(1e-3)
    expect(worldPos(bones.rightHand!).distanceTo(toWorld(inp.right.position))).toBeLessThan(1e-3)
    const handWorldQ = bones.leftHand!.getWorldQuaternion(new Quaternion())
    expect(handWorldQ.angleTo(space.quaternion.clone().multiply(inp.left.rotation))).toBeLessThan(1e-4)
    // Elbows below the shoulders and outside them.
    const leftElbow = worldPos(bones.leftLowerArm!).applyMatrix4(space.matrixWorld.clone().invert())
    expect(leftElbow.y).toBeLessThan(rest.leftUpperArm!.y)
    expect(leftElbow.x).toBeGreaterThan(0.15)

    expect(worldPos(bones.leftFoot!).distanceTo(toWorld(driver.legs.left.position))).toBeLessThan(1e-3)
    expect(worldPos(bones.rightFoot!).distanceTo(toWorld(driver.legs.right.position))).toBeLessThan(1e-3)
  })

  it('walks: the legs step after the head moves away, and stand still when it does not', () => {
    const { space, bones } = buildAvatar(rest)
    const driver = createAvatarDriver(space, bones, rest)
    driver.input.headPosition.copy(eye)
    driver.input.headRotation.copy(xrHead(0))
    for (let t = 0; t < 1; t += DT) updateAvatarDriver(driver, DT)
    expect(driver.legs.stepCount).toBe(0)
    // Walk 1 m forward over 2 s, then stand.
    for (let t = 0; t < 2; t += DT) {
      driver.input.headPosition.z += 0.5 * DT
      updateAvatarDriver(driver, DT)
    }
    for (let t = 0; t < 1.5; t += DT) updateAvatarDriver(driver, DT)
    expect(driver.legs.stepCount).toBeGreaterThanOrEqual(3)
    const hips = driver.spine.pose.hips.position
    expect(driver.legs.left.position.z).toBeCloseTo(hips.z, 1)
    expect(driver.legs.right.position.z).toBeCloseTo(hips.z, 1)
    expect(driver.spine.pose.lean).toBeLessThan(0.3)
    // Looking down at the floor and bending a little does not make the avatar step.
    const steps = driver.legs.stepCount
    driver.input.headRotation.multiply(new Quaternion().setFromAxisAngle(new Vector3(1, 0, 0), -0.9))
    driver.input.headPosition.add(new Vector3(0, -0.12, 0.18))
    for (let t = 0; t < 1.5; t += DT) updateAvatarDriver(driver, DT)
    expect(driver.legs.stepCount).toBe(steps)
  })

  it('scales with the calibration', () => {
    const { space, bones } = buildAvatar(rest, 1.1)
    const driver = createAvatarDriver(space, bones, rest, { scale: 1.1 })
    driver.input.headPosition.copy(eye).multiplyScalar(1.1)
    driver.input.headRotation.copy(xrHead(0.4))
    for (let t = 0; t < 0.5; t += DT) updateAvatarDriver(driver, DT)
    const hips = worldPos(bones.hips!).applyMatrix4(space.matrixWorld.clone().invert())
    expect(hips.y).toBeCloseTo(0.95 * 1.1, 1)
    expect(driver.legs.crouch).toBeLessThan(0.05)
    const foot = worldPos(bones.leftFoot!).applyMatrix4(space.matrixWorld.clone().invert())
    expect(foot.y).toBeCloseTo(0.08 * 1.1, 2)
  })
})
