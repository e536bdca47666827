import { Matrix4, Object3D, Quaternion, Vector3 } from 'three'
import type { AvatarRestPositions, HumanBoneName, Side } from './humanoid'
import { isHumanBoneName } from './humanoid'

/**
 * Spaces and conventions shared by the avatar solvers.
 *
 * - Tracking space: the WebXR reference space ('local-floor'): metres, +Y up, floor at y = 0.
 *   Head, grips and hand joints arrive in it; every solver works in it.
 * - Pose rotation: a rotation in tracking space *relative to the avatar's rest T-pose facing +Z*
 *   (VRM 1.0 / three-vrm normalized humanoid convention). Identity = rest pose facing +Z. A WebXR
 *   viewer looks down its -Z, so a head orientation q becomes the pose rotation q · Ry(π).
 * - The scene layer owns a `space` Object3D whose local frame is tracking space (the XR origin /
 *   player rig group). The helpers below turn pose rotations and tracking positions into bone
 *   transforms under any parent chain.
 */

const Y_AXIS = new Vector3(0, 1, 0)
const Y_HALF_TURN = new Quaternion().setFromAxisAngle(Y_AXIS, Math.PI)

/** Converts a WebXR viewer orientation (looks along -Z) into an avatar pose rotation (faces +Z). */
export function xrViewToPoseRotation(xrRotation: Quaternion, out: Quaternion): Quaternion {
  return out.copy(xrRotation).multiply(Y_HALF_TURN)
}

// Grip space axes (WebXR): -Z along the held rod toward the thumb, X out of the back of the hand
// for the right hand and out of the palm for the left. In the avatar's rest hand (fingers along
// ±X, palm down, thumb toward +Z) those axes are the columns below: pose = grip · B⁻¹.
const GRIP_BASIS_LEFT = new Quaternion().setFromRotationMatrix(
  new Matrix4().makeBasis(new Vector3(0, -1, 0), new Vector3(-1, 0, 0), new Vector3(0, 0, -1)),
)
const GRIP_BASIS_RIGHT = new Quaternion().setFromRotationMatrix(
  new Matrix4().makeBasis(new Vector3(0, 1, 0), new Vector3(1, 0, 0), new Vector3(0, 0, -1)),
)
// Hand-joint axes (WebXR): -Z toward the fingertips, +Y out of the back of the hand.
const JOINT_BASIS_LEFT = new Quaternion().setFromAxisAngle(Y_AXIS, -Math.PI / 2)
const JOINT_BASIS_RIGHT = new Quaternion().setFromAxisAngle(Y_AXIS, Math.PI / 2)
const GRIP_BASIS_LEFT_INV = GRIP_BASIS_LEFT.clone().invert()
const GRIP_BASIS_RIGHT_INV = GRIP_BASIS_RIGHT.clone().invert()
const JOINT_BASIS_LEFT_INV = JOINT_BASIS_LEFT.clone().invert()
const JOINT_BASIS_RIGHT_INV = JOINT_BASIS_RIGHT.clone().invert()

/**
 * The rest-hand axes of a WebXR hand joint frame for `side`, as a rotation (avatar rest-hand
 * frame → joint frame). Exposed for the finger solver, which conjugates joint rotations with it.
 */
export function handJointBasis(side: Side, out: Quaternion): Quaternion {
  return out.copy(side === 'left' ? JOINT_BASIS_LEFT : JOINT_BASIS_RIGHT)
}

/**
 * Wrist (hand bone) offset from the grip origin, in the avatar's rest-hand frame for the left
 * hand, metres at user scale: the grip sits in the fist, about 7 cm toward the fingers from the
 * wrist and slightly palm-side. Mirrored in X for the right hand.
 */
export const GRIP_TO_WRIST_LEFT: Readonly<{ x: number; y: number; z: number }> = { x: -0.07, y: 0.015, z: 0 }

/**
 * Hand bone target from a controller grip pose (tracking space): wrist position and pose rotation.
 * `handScale` scales the grip→wrist offset (1 for an adult hand).
 */
export function gripToHandTarget(
  side: Side,
  gripPosition: Vector3,
  gripRotation: Quaternion,
  outPosition: Vector3,
  outRotation: Quaternion,
  handScale = 1,
): void {
  // Read the grip position first so outputs may alias the inputs.
  const gx = gripPosition.x
  const gy = gripPosition.y
  const gz = gripPosition.z
  outRotation.copy(gripRotation).multiply(side === 'left' ? GRIP_BASIS_LEFT_INV : GRIP_BASIS_RIGHT_INV)
  const sx = side === 'left' ? 1 : -1
  outPosition
    .set(GRIP_TO_WRIST_LEFT.x * sx, GRIP_TO_WRIST_LEFT.y, GRIP_TO_WRIST_LEFT.z)
    .multiplyScalar(handScale)
    .applyQuaternion(outRotation)
  outPosition.x += gx
  outPosition.y += gy
  outPosition.z += gz
}

/** Hand bone target from a tracked wrist joint pose (tracking space): the wrist is the hand bone. */
export function wristJointToHandTarget(
  side: Side,
  wristPosition: Vector3,
  wristRotation: Quaternion,
  outPosition: Vector3,
  outRotation: Quaternion,
): void {
  outPosition.copy(wristPosition)
  outRotation.copy(wristRotation).multiply(side === 'left' ? JOINT_BASIS_LEFT_INV : JOINT_BASIS_RIGHT_INV)
}

const sPos = new Vector3()
const sScale = new Vector3()
const sQ = new Quaternion()
const sQ2 = new Quaternion()
const sM = new Matrix4()

/**
 * Captures a bone's rest rotation relative to tracking space (call once, with the avatar in its
 * rest T-pose facing +Z in `space`). For normalized three-vrm bones this is the avatar root's
 * rotation within `space` (usually identity).
 */
export function captureRestRotation(space: Object3D, bone: Object3D, out: Quaternion): Quaternion {
  space.updateWorldMatrix(true, false)
  bone.updateWorldMatrix(true, false)
  space.matrixWorld.decompose(sPos, sQ, sScale)
  bone.matrixWorld.decompose(sPos, sQ2, sScale)
  return out.copy(sQ.invert()).multiply(sQ2)
}

/** World rotation for a bone with pose rotation `pose` (tracking space) and captured `rest`. `out` may alias either. */
export function poseToWorldRotation(space: Object3D, pose: Quaternion, rest: Quaternion, out: Quaternion): Quaternion {
  space.matrixWorld.decompose(sPos, sQ, sScale)
  sQ.multiply(pose).multiply(rest)
  return out.copy(sQ)
}

/** Converts a tracking-space point to world space (`space` world matrix must be current). */
export function trackingToWorld(space: Object3D, point: Vector3, out: Vector3): Vector3 {
  return out.copy(point).applyMatrix4(space.matrixWorld)
}

/** Sets a bone's rotation from a pose rotation (tracking space) and its captured rest rotation. */
export function setBonePoseRotation(space: Object3D, bone: Object3D, pose: Quaternion, rest: Quaternion): void {
  bone.updateWorldMatrix(true, false)
  poseToWorldRotation(space, pose, rest, sQ2)
  if (bone.parent) {
    bone.parent.matrixWorld.decompose(sPos, sQ, sScale)
    bone.quaternion.copy(sQ.invert()).multiply(sQ2)
  } else {
    bone.quaternion.copy(sQ2)
  }
  bone.updateWorldMatrix(false, false)
}

/** Moves a bone (normally the hips) so its origin lands on a tracking-space position. */
export function setBoneTrackingPosition(space: Object3D, bone: Object3D, position: Vector3): void {
  bone.updateWorldMatrix(true, false)
  sPos.copy(position).applyMatrix4(space.matrixWorld)
  if (bone.parent) sPos.applyMatrix4(sM.copy(bone.parent.matrixWorld).invert())
  bone.position.copy(sPos)
  bone.updateWorldMatrix(false, false)
}

/**
 * Reads rest positions of the given bones in `frame`'s local space (setup time; allocates).
 * Call with the avatar in its rest pose facing +Z in `frame` (e.g. `frame` = the avatar root's
 * parent after three-vrm's `rotateVRM0`); positions are divided by `appliedScale` so they come
 * out as authored even if the root was already scaled by a calibration.
 */
export function readRestPositions(
  frame: Object3D,
  bones: Partial<Record<HumanBoneName, Object3D | null | undefined>>,
  appliedScale = 1,
): AvatarRestPositions {
  frame.updateWorldMatrix(true, true)
  const inverseFrame = new Matrix4().copy(frame.matrixWorld).invert()
  const rest: AvatarRestPositions = {}
  for (const name of Object.keys(bones)) {
    const node = bones[name as HumanBoneName]
    if (!node || !isHumanBoneName(name)) continue
    node.updateWorldMatrix(true, false)
    rest[name] = new Vector3()
      .setFromMatrixPosition(node.matrixWorld)
      .applyMatrix4(inverseFrame)
      .divideScalar(appliedScale)
  }
  return rest
}
