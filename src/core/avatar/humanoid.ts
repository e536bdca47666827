import { Vector3 } from 'three'

/**
 * VRM humanoid vocabulary shared by the solvers, calibration and validation. Names follow
 * VRM 1.0 (`VRMC_vrm`); {@link VRM0_BONE_TO_VRM1} maps the few 0.x names that differ.
 */

/** Which side of the body a limb is on (the avatar's own left/right). */
export type Side = 'left' | 'right'

/** The 15 bones VRM requires (1.0 and 0.x agree on these names). */
export const REQUIRED_HUMAN_BONES = [
  'hips',
  'spine',
  'head',
  'leftUpperArm',
  'leftLowerArm',
  'leftHand',
  'rightUpperArm',
  'rightLowerArm',
  'rightHand',
  'leftUpperLeg',
  'leftLowerLeg',
  'leftFoot',
  'rightUpperLeg',
  'rightLowerLeg',
  'rightFoot',
] as const

/** The 15 finger bones of the left hand in VRM 1.0 naming, thumb first, proximal before distal. */
export const LEFT_HAND_BONES = [
  'leftThumbMetacarpal',
  'leftThumbProximal',
  'leftThumbDistal',
  'leftIndexProximal',
  'leftIndexIntermediate',
  'leftIndexDistal',
  'leftMiddleProximal',
  'leftMiddleIntermediate',
  'leftMiddleDistal',
  'leftRingProximal',
  'leftRingIntermediate',
  'leftRingDistal',
  'leftLittleProximal',
  'leftLittleIntermediate',
  'leftLittleDistal',
] as const

/** The right-hand counterpart of {@link LEFT_HAND_BONES}, same order. */
export const RIGHT_HAND_BONES = [
  'rightThumbMetacarpal',
  'rightThumbProximal',
  'rightThumbDistal',
  'rightIndexProximal',
  'rightIndexIntermediate',
  'rightIndexDistal',
  'rightMiddleProximal',
  'rightMiddleIntermediate',
  'rightMiddleDistal',
  'rightRingProximal',
  'rightRingIntermediate',
  'rightRingDistal',
  'rightLittleProximal',
  'rightLittleIntermediate',
  'rightLittleDistal',
] as const

/** All 55 VRM 1.0 humanoid bone names. */
export const HUMAN_BONES = [
  'hips',
  'spine',
  'chest',
  'upperChest',
  'neck',
  'head',
  'leftEye',
  'rightEye',
  'jaw',
  'leftUpperLeg',
  'leftLowerLeg',
  'leftFoot',
  'leftToes',
  'rightUpperLeg',
  'rightLowerLeg',
  'rightFoot',
  'rightToes',
  'leftShoulder',
  'leftUpperArm',
  'leftLowerArm',
  'leftHand',
  'rightShoulder',
  'rightUpperArm',
  'rightLowerArm',
  'rightHand',
  ...LEFT_HAND_BONES,
  ...RIGHT_HAND_BONES,
] as const

/** A VRM 1.0 humanoid bone name. */
export type HumanBoneName = (typeof HUMAN_BONES)[number]

/** Finger bone names of one hand, in {@link LEFT_HAND_BONES} order. */
export function handBoneNames(side: Side): readonly HumanBoneName[] {
  return side === 'left' ? LEFT_HAND_BONES : RIGHT_HAND_BONES
}

/**
 * VRM 0.x bone names that mean something else in 1.0: 0.x counted the thumb from the
 * "proximal" (which is 1.0's metacarpal). Every other 0.x name is already a 1.0 name.
 */
export const VRM0_BONE_TO_VRM1: Readonly<Record<string, HumanBoneName>> = {
  leftThumbProximal: 'leftThumbMetacarpal',
  leftThumbIntermediate: 'leftThumbProximal',
  leftThumbDistal: 'leftThumbDistal',
  rightThumbProximal: 'rightThumbMetacarpal',
  rightThumbIntermediate: 'rightThumbProximal',
  rightThumbDistal: 'rightThumbDistal',
}

const HUMAN_BONE_SET: ReadonlySet<string> = new Set<string>(HUMAN_BONES)

/** True when `name` is a VRM 1.0 humanoid bone name. */
export function isHumanBoneName(name: string): name is HumanBoneName {
  return HUMAN_BONE_SET.has(name)
}

/**
 * Rest-pose bone positions in metres, in avatar space: root at the origin on the floor (y = 0),
 * T-pose, facing +Z, unscaled (as authored). Bones the model lacks are simply absent.
 */
export type AvatarRestPositions = Partial<Record<HumanBoneName, Vector3>>

/** Which two-bone limb a hinge axis belongs to. */
export type Limb = 'leftArm' | 'rightArm' | 'leftLeg' | 'rightLeg'

/**
 * Elbow/knee hinge axis, in the upper bone's local frame, for three-vrm *normalized* bones
 * (identity rest rotations, T-pose facing +Z). Positive rotation about it is flexion:
 * left elbow (0,-1,0), right elbow (0,1,0) (forearm folds forward), knees (1,0,0) (shin folds back).
 * Pass it as `hingeAxis` to the two-bone solver so limbs bend like hinges even from a straight pose.
 */
export function normalizedHingeAxis(limb: Limb, out: Vector3): Vector3 {
  switch (limb) {
    case 'leftArm':
      return out.set(0, -1, 0)
    case 'rightArm':
      return out.set(0, 1, 0)
    default:
      return out.set(1, 0, 0)
  }
}

/**
 * Rest position of the point between the eyes (what the headset tracks), written into `out`.
 * Uses the eye bones when the model has them; otherwise estimates from the head bone, which
 * sits at the skull base: eyes ≈ 4 % of the head height above it and 5.5 % in front.
 */
export function restEyePosition(rest: AvatarRestPositions, out: Vector3): Vector3 {
  const head = rest.head
  if (rest.leftEye && rest.rightEye) return out.addVectors(rest.leftEye, rest.rightEye).multiplyScalar(0.5)
  if (!head) return out.set(0, 0, 0)
  return out.set(head.x, head.y * 1.04, head.z + head.y * 0.055)
}
