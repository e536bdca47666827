import { Group, Object3D, Quaternion, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { createAvatarDriver, updateAvatarDriver, type AvatarBones } from './avatar-driver'
import type { AvatarRestPositions, HumanBoneName } from './humanoid'
import { restEyePosition } from './humanoid'
import { readRestPositions } from './rig-space'
import { sampleRestPose } from './test-fixtures'

const DT = 1 / 72
const Y = new Vector3(0, 1, 0)

const PARENT: Partial<Record<HumanBoneName, HumanBoneName | null>> = {
  hips: null,
  spine: 'hips',
  chest: 'spine',
  neck: 'chest',
  head: 'neck',
  leftShoulder: 'chest',
  leftUpperArm: 'leftShoulder',
  leftLowerArm: 'leftUpperArm',
  leftHand: 'leftLowerArm',
  rightShoulder: 'chest',
  rightUpperArm: 'rightShoulder',
  rightLowerArm: 'rightUpperArm',
  rightHand: 'rightLowerArm',
  leftUpperLeg: 'hips',
  leftLowerLeg: 'leftUpperLeg',
  leftFoot: 'leftLowerLeg',
  rightUpperLeg: 'hips',
  rightLowerLeg: 'rightUpperLeg',
  rightFoot: 'rightLowerLeg',
}

/** A normalized-style skeleton (identity rest rotations) inside a moved and turned play space. */
function buildAvatar(rest: AvatarRestPositions, scale = 1) {
  const world = new Group()
  const space = new Group() // the XR origin: tracking space
  space.position.set(2, 0.3, -1)
  space.quaternion.setFromAxisAngle(Y, 0.7)
  world.add(space)
  const root = new Group()
  root.scale.setScalar(scale)
  space.add(root)
  const bones: AvatarBones = {}
  for (const name of Object.keys(PARENT) as HumanBoneName[]) {
    const bone = new Object3D()
    bone.name = name
    const parentName = PARENT[name]
    const parentPos = parentName ? rest[parentName]! : new Vector3()
    bone.position.subVectors(rest[name]!, parentPos)
    ;(parentName ? bones[parentName]! : root).add(bone)
    bones[name] = bone
  }
  world.updateWorldMatrix(true, true)
  return { world, space, root, bones }
}

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
