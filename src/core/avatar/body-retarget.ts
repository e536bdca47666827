import { Matrix4, Quaternion, Vector3 } from 'three'
import { BODY_JOINT_STRIDE, XR_BODY_JOINTS, type XRBodyJointName } from '../input/input-snapshot'

/**
 * Body tracking → avatar pose targets (pure; no bones). Reads joint *positions* only: WebXR body
 * tracking does not pin down the axes of each joint's orientation, while positions are
 * unambiguous, so every rotation here is built from the directions between joints:
 *
 * - torso frames: lateral axis from the user's left joint to the right one, up axis along the
 *   spine; hips from the hip joints and the spine, chest from the upper arms and the neck, spine
 *   halfway between them;
 * - legs: hip joint, knee and ankle positions (the avatar driver scales the hip→ankle reach to the
 *   avatar's leg length, so the knee angle carries over) and a foot yaw from ankle → ball;
 * - knee flexion: the angle between thigh and shin, for read-outs and tests.
 *
 * Rotations are pose rotations (rig-space.ts: identity = rest pose facing +Z).
 */

/** The body joints the driver reads this frame; mutate in place. */
export interface BodyInput {
  /** True when `joints` holds this frame's tracked body. */
  valid: boolean
  /** {@link XR_BODY_JOINTS} × 7 floats (position xyz, quaternion xyzw), tracking space. */
  readonly joints: Float32Array
}

/** One leg's targets. */
export interface BodyLegTargets {
  /** Hip joint (upper-leg), knee (lower-leg) and ankle positions, tracking space. */
  readonly hip: Vector3
  readonly knee: Vector3
  readonly ankle: Vector3
  /** Foot pose rotation: the body's up, turned to the ankle → ball direction. */
  readonly footRotation: Quaternion
  /** The user's thigh plus shin length this frame, metres. */
  length: number
  /** Knee flexion in radians (0 = straight). */
  kneeFlexion: number
}

/** Output of {@link retargetBody}; preallocated by {@link createBodyRetarget}. */
export interface BodyRetarget {
  /** Hips joint position, tracking space. */
  readonly hipsPosition: Vector3
  readonly hipsRotation: Quaternion
  readonly spineRotation: Quaternion
  readonly chestRotation: Quaternion
  /** Horizontal unit forward of the hips. */
  readonly forward: Vector3
  /** [left, right] (the user's sides, which are the avatar's). */
  readonly legs: readonly [BodyLegTargets, BodyLegTargets]
}

/** Creates a body input with identity joint rotations. */
export function createBodyInput(): BodyInput {
  const joints = new Float32Array(XR_BODY_JOINTS.length * BODY_JOINT_STRIDE)
  for (let j = 0; j < XR_BODY_JOINTS.length; j++) joints[j * BODY_JOINT_STRIDE + 6] = 1
  return { valid: false, joints }
}

function createLeg(): BodyLegTargets {
  return { hip: new Vector3(), knee: new Vector3(), ankle: new Vector3(), footRotation: new Quaternion(), length: 0, kneeFlexion: 0 }
}

/** Allocates the output of {@link retargetBody} (once per avatar). */
export function createBodyRetarget(): BodyRetarget {
  return {
    hipsPosition: new Vector3(),
    hipsRotation: new Quaternion(),
    spineRotation: new Quaternion(),
    chestRotation: new Quaternion(),
    forward: new Vector3(0, 0, 1),
    legs: [createLeg(), createLeg()],
  }
}

// Offsets of the joints read here, resolved once.
const J = (name: XRBodyJointName) => XR_BODY_JOINTS.indexOf(name) * BODY_JOINT_STRIDE
const HIPS = J('hips')
const SPINE_UPPER = J('spine-upper')
const CHEST = J('chest')
const NECK = J('neck')
const LEFT_ARM = J('left-arm-upper')
const RIGHT_ARM = J('right-arm-upper')
const LEG_JOINTS = [
  [J('left-upper-leg'), J('left-lower-leg'), J('left-foot-ankle'), J('left-foot-ball')],
  [J('right-upper-leg'), J('right-lower-leg'), J('right-foot-ankle'), J('right-foot-ball')],
] as const

const sX = new Vector3()
const sY = new Vector3()
const sZ = new Vector3()
const sA = new Vector3()
const sB = new Vector3()
const sM = new Matrix4()
const UP = new Vector3(0, 1, 0)

function read(joints: Float32Array, o: number, out: Vector3): Vector3 {
  return out.set(joints[o], joints[o + 1], joints[o + 2])
}

/**
 * A pose rotation from a lateral axis (toward the avatar's left) and an up axis. Falls back to the
 * world up when the two are parallel (a degenerate body), so the result is always a rotation.
 */
function frameRotation(left: Vector3, up: Vector3, out: Quaternion): Quaternion {
  sX.copy(left).normalize()
  sZ.crossVectors(sX, up)
  if (sZ.lengthSq() < 1e-10) sZ.crossVectors(sX, UP)
  if (sZ.lengthSq() < 1e-10) return out.identity()
  sZ.normalize()
  sY.crossVectors(sZ, sX)
  sM.makeBasis(sX, sY, sZ)
  return out.setFromRotationMatrix(sM)
}

/**
 * Computes the avatar targets of one tracked body (`joints` as in {@link BodyInput}) into `out`.
 * No allocation.
 */
export function retargetBody(joints: Float32Array, out: BodyRetarget): BodyRetarget {
  read(joints, HIPS, out.hipsPosition)
  // Hips: left hip joint minus right, up along the lower spine.
  read(joints, LEG_JOINTS[0][0], sA).sub(read(joints, LEG_JOINTS[1][0], sB))
  const lateral = sA
  read(joints, SPINE_UPPER, sB).sub(out.hipsPosition)
  frameRotation(lateral, sB, out.hipsRotation)
  out.forward.set(0, 0, 1).applyQuaternion(out.hipsRotation).setY(0)
  if (out.forward.lengthSq() < 1e-8) out.forward.set(0, 0, 1)
  out.forward.normalize()
  // Chest: left upper arm minus right, up from the chest to the neck.
  read(joints, LEFT_ARM, sA).sub(read(joints, RIGHT_ARM, sB))
  read(joints, NECK, sB).sub(read(joints, CHEST, sZ))
  frameRotation(sA, sB, out.chestRotation)
  out.spineRotation.copy(out.hipsRotation).slerp(out.chestRotation, 0.5)

  for (let s = 0; s < 2; s++) {
    const [hipO, kneeO, ankleO, ballO] = LEG_JOINTS[s]
    const leg = out.legs[s]
    read(joints, hipO, leg.hip)
    read(joints, kneeO, leg.knee)
    read(joints, ankleO, leg.ankle)
    const thigh = sA.subVectors(leg.knee, leg.hip)
    const shin = sB.subVectors(leg.ankle, leg.knee)
    const lt = thigh.length()
    const ls = shin.length()
    leg.length = lt + ls
    leg.kneeFlexion = lt > 1e-6 && ls > 1e-6 ? thigh.angleTo(shin) : 0
    // Foot: yaw only (the ball sits below the ankle, a pitch would tip the rest foot forward).
    read(joints, ballO, sZ).sub(leg.ankle).setY(0)
    if (sZ.lengthSq() < 1e-8) sZ.copy(out.forward)
    sZ.normalize()
    leg.footRotation.setFromAxisAngle(UP, Math.atan2(sZ.x, sZ.z))
  }
  return out
}
