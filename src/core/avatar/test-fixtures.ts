import { Group, Object3D, Vector3 } from 'three'
import type { AvatarBones } from './avatar-driver'
import type { AvatarRestPositions, HumanBoneName } from './humanoid'

/**
 * Test-only data (imported by the *.test.ts files beside it, never by app code): a plausible
 * 1.6 m VRM rest pose in avatar space (T-pose, facing +Z, floor at y = 0).
 */
export function sampleRestPose(): AvatarRestPositions {
  const v = (x: number, y: number, z: number) => new Vector3(x, y, z)
  return {
    hips: v(0, 0.95, 0),
    spine: v(0, 1.05, 0),
    chest: v(0, 1.2, 0.01),
    neck: v(0, 1.42, 0),
    head: v(0, 1.5, 0),
    leftEye: v(0.032, 1.56, 0.08),
    rightEye: v(-0.032, 1.56, 0.08),
    leftUpperLeg: v(0.09, 0.9, 0),
    leftLowerLeg: v(0.09, 0.5, 0.01),
    leftFoot: v(0.09, 0.08, 0),
    rightUpperLeg: v(-0.09, 0.9, 0),
    rightLowerLeg: v(-0.09, 0.5, 0.01),
    rightFoot: v(-0.09, 0.08, 0),
    leftShoulder: v(0.05, 1.37, 0),
    leftUpperArm: v(0.17, 1.38, 0),
    leftLowerArm: v(0.43, 1.38, 0),
    leftHand: v(0.67, 1.38, 0),
    rightShoulder: v(-0.05, 1.37, 0),
    rightUpperArm: v(-0.17, 1.38, 0),
    rightLowerArm: v(-0.43, 1.38, 0),
    rightHand: v(-0.67, 1.38, 0),
  }
}

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
export function buildTestAvatar(rest: AvatarRestPositions, scale = 1) {
  const world = new Group()
  const space = new Group() // the XR origin: tracking space
  space.position.set(2, 0.3, -1)
  space.quaternion.setFromAxisAngle(new Vector3(0, 1, 0), 0.7)
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
