import { Quaternion, Vector3 } from 'three'
import { JOINT_STRIDE } from '../input/input-snapshot'
import { clamp01, degToRad, followFactor } from './avatar-math'
import type { Side } from './humanoid'
import { handJointBasis } from './rig-space'

/**
 * Fingers from controllers or tracked hands.
 * - Controllers: xr-standard buttons give per-finger curls (trigger → index, squeeze → middle,
 *   ring and little, thumb from touch on the thumbstick/face buttons/thumbrest), smoothed over dt.
 * - Tracked hands: the 25 WebXR joints give per-finger curls (sum of joint bend angles) and local
 *   rotations for the 15 VRM 1.0 finger bones of a hand, in `LEFT_HAND_BONES` order.
 * Finger bone rotations are *local* rotations for three-vrm normalized bones (identity rest,
 * axes aligned with the avatar: left fingers along +X, palm down, thumb toward +Z).
 */

/** Finger names, thumb first. */
export const FINGER_NAMES = ['thumb', 'index', 'middle', 'ring', 'little'] as const

/** A finger name. */
export type FingerName = (typeof FINGER_NAMES)[number]

/** Curl per finger: 0 straight … 1 fully curled. Mutated in place. */
export type FingerCurls = Record<FingerName, number>

/** Creates an all-open {@link FingerCurls}. */
export function createFingerCurls(): FingerCurls {
  return { thumb: 0, index: 0, middle: 0, ring: 0, little: 0 }
}

/** xr-standard gamepad button slots used here. */
const TRIGGER = 0
const SQUEEZE = 1
const TOUCHPAD = 2
const LAST_THUMB_BUTTON = 5 // B/Y; 3 = thumbstick, 4 = A/X
const THUMBREST = 6

/** Tuning for {@link updateControllerFingerCurls}. */
export interface ControllerCurlParams {
  /** Smoothing rate per second (≈ 1 / time constant). */
  rate: number
  /** Middle/ring/little curl with the squeeze released (a relaxed hand is not flat). */
  relaxedCurl: number
  /** Index curl when resting on the trigger without pulling it. */
  indexTouchCurl: number
  /** Thumb curl when touching the thumbstick, touchpad or a face button. */
  thumbTouchCurl: number
  /** Thumb curl when resting on the thumbrest. */
  thumbRestCurl: number
  /** Thumb curl when touching nothing (thumb up). */
  thumbOpenCurl: number
}

/** Default {@link ControllerCurlParams}. */
export const DEFAULT_CONTROLLER_CURLS: Readonly<ControllerCurlParams> = {
  rate: 18,
  relaxedCurl: 0.15,
  indexTouchCurl: 0.3,
  thumbTouchCurl: 0.7,
  thumbRestCurl: 0.5,
  thumbOpenCurl: 0.1,
}

function at(values: ArrayLike<number>, i: number): number {
  return i < values.length ? values[i] : 0
}

/**
 * Eases `curls` toward the pose the controller buttons imply. `buttons` are values 0..1 and
 * `touched` flags 0/1 in xr-standard order (the input snapshot's arrays work as they are).
 */
export function updateControllerFingerCurls(
  curls: FingerCurls,
  buttons: ArrayLike<number>,
  touched: ArrayLike<number>,
  dt: number,
  params: Readonly<ControllerCurlParams> = DEFAULT_CONTROLLER_CURLS,
): FingerCurls {
  const trigger = at(buttons, TRIGGER)
  const index = at(touched, TRIGGER) || trigger > 0.01 ? params.indexTouchCurl + (1 - params.indexTouchCurl) * trigger : 0
  const grip = params.relaxedCurl + (1 - params.relaxedCurl) * at(buttons, SQUEEZE)

  let thumb = at(touched, THUMBREST) ? params.thumbRestCurl : params.thumbOpenCurl
  // Touchpad, thumbstick (3), A/X, B/Y: resting the thumb on any of them curls it; pressing, more.
  for (let i = TOUCHPAD; i <= LAST_THUMB_BUTTON; i++) {
    const v = at(buttons, i)
    if (at(touched, i) || v > 0.01) thumb = Math.max(thumb, params.thumbTouchCurl + (1 - params.thumbTouchCurl) * v)
  }

  const k = followFactor(params.rate, dt)
  curls.thumb += (clamp01(thumb) - curls.thumb) * k
  curls.index += (clamp01(index) - curls.index) * k
  curls.middle += (clamp01(grip) - curls.middle) * k
  curls.ring += (clamp01(grip) - curls.ring) * k
  curls.little += (clamp01(grip) - curls.little) * k
  return curls
}

// ---------------------------------------------------------------------------------------------
// Tracked hands
// ---------------------------------------------------------------------------------------------

/** Bend per joint at full curl, degrees: proximal (MCP), intermediate (PIP), distal (DIP). */
export const FINGER_CURL_DEGREES: readonly [number, number, number] = [85, 100, 65]
/** Thumb bend at full curl, degrees: metacarpal (CMC), proximal (MCP), distal (IP). */
export const THUMB_CURL_DEGREES: readonly [number, number, number] = [20, 45, 65]

const FINGER_FULL = degToRad(FINGER_CURL_DEGREES[0] + FINGER_CURL_DEGREES[1] + FINGER_CURL_DEGREES[2])
const THUMB_FULL = degToRad(THUMB_CURL_DEGREES[1] + THUMB_CURL_DEGREES[2])

/** WebXR joint index of each finger's first joint (metacarpal); the next four follow it. */
const FINGER_BASE: Record<FingerName, number> = { thumb: 1, index: 5, middle: 10, ring: 15, little: 20 }

/** [parent joint, joint] per VRM finger bone, in LEFT_HAND_BONES order. */
const BONE_JOINTS: readonly (readonly [number, number])[] = [
  [0, 1],
  [1, 2],
  [2, 3],
  [5, 6],
  [6, 7],
  [7, 8],
  [10, 11],
  [11, 12],
  [12, 13],
  [15, 16],
  [16, 17],
  [17, 18],
  [20, 21],
  [21, 22],
  [22, 23],
]

const sA = new Vector3()
const sB = new Vector3()
const sC = new Vector3()
const sX = new Vector3()
const sQ = new Quaternion()

function readPos(joints: ArrayLike<number>, j: number, out: Vector3): Vector3 {
  const o = j * JOINT_STRIDE
  return out.set(joints[o], joints[o + 1], joints[o + 2])
}

function readQuat(joints: ArrayLike<number>, j: number, out: Quaternion): Quaternion {
  const o = j * JOINT_STRIDE + 3
  return out.set(joints[o], joints[o + 1], joints[o + 2], joints[o + 3])
}

/**
 * Flexion at joint `j` (radians, ≥ 0): the angle between the segments (j-1 → j) and (j → j+1),
 * counted only when it bends toward the palm (about the parent joint's -X axis); hyperextension
 * counts as 0.
 */
function flexionAt(joints: ArrayLike<number>, j: number): number {
  readPos(joints, j - 1, sA)
  readPos(joints, j, sB)
  readPos(joints, j + 1, sC)
  sC.sub(sB)
  sB.sub(sA)
  if (sB.lengthSq() < 1e-12 || sC.lengthSq() < 1e-12) return 0
  const angle = sB.angleTo(sC)
  sA.crossVectors(sB, sC)
  sX.set(-1, 0, 0).applyQuaternion(readQuat(joints, j - 1, sQ))
  return sA.dot(sX) >= 0 ? angle : 0
}

/** Per-finger curls 0..1 from one hand's 25 joints (positions and orientations, stride 8). */
export function solveHandJointCurls(joints: ArrayLike<number>, out: FingerCurls): FingerCurls {
  const t = FINGER_BASE.thumb
  out.thumb = clamp01((flexionAt(joints, t + 1) + flexionAt(joints, t + 2)) / THUMB_FULL)
  for (let f = 1; f < FINGER_NAMES.length; f++) {
    const name = FINGER_NAMES[f]
    const b = FINGER_BASE[name]
    out[name] = clamp01((flexionAt(joints, b + 1) + flexionAt(joints, b + 2) + flexionAt(joints, b + 3)) / FINGER_FULL)
  }
  return out
}

/** Creates 15 identity quaternions for one hand's finger bones (LEFT_HAND_BONES order). */
export function createHandBoneRotations(): Quaternion[] {
  const out: Quaternion[] = []
  for (let i = 0; i < 15; i++) out.push(new Quaternion())
  return out
}

/**
 * Thumb metacarpal orientation relative to the wrist in a relaxed open hand, WebXR joint axes,
 * left hand: swung ~35° toward the thumb side and rolled ~60° so the nail faces outward.
 * Mirrored for the right hand. Replace via the `thumbRest` argument with a captured open hand.
 */
export function defaultThumbRest(side: Side, out: Quaternion): Quaternion {
  const s = side === 'left' ? -1 : 1
  sQ.setFromAxisAngle(sA.set(0, 0, 1), s * degToRad(60))
  return out.setFromAxisAngle(sB.set(0, 1, 0), s * degToRad(35)).multiply(sQ)
}

const sBasis = new Quaternion()
const sBasisInv = new Quaternion()
const sThumbBasis = new Quaternion()
const sThumbBasisInv = new Quaternion()
const sRest = new Quaternion()
const sParent = new Quaternion()
const sJoint = new Quaternion()

/**
 * Local rotations of the 15 VRM finger bones of `side` from the hand's 25 joints, written into
 * `out` (from {@link createHandBoneRotations}). An open, relaxed hand gives ≈ identity.
 * `thumbRest`: thumb-metacarpal orientation relative to the wrist in the open hand (WebXR axes);
 * defaults to {@link defaultThumbRest}.
 */
export function solveHandJointRotations(
  joints: ArrayLike<number>,
  side: Side,
  out: Quaternion[],
  thumbRest: Quaternion | null = null,
): Quaternion[] {
  handJointBasis(side, sBasis)
  sBasisInv.copy(sBasis).invert()
  if (thumbRest) sRest.copy(thumbRest)
  else defaultThumbRest(side, sRest)
  // Thumb phalanges bend in the thumb's own frame, which sits at basis · rest in avatar axes.
  sThumbBasis.copy(sBasis).multiply(sRest)
  sThumbBasisInv.copy(sThumbBasis).invert()

  for (let i = 0; i < BONE_JOINTS.length; i++) {
    const pair = BONE_JOINTS[i]
    readQuat(joints, pair[0], sParent).normalize()
    readQuat(joints, pair[1], sJoint).normalize()
    const q = out[i].copy(sParent.invert()).multiply(sJoint) // joint relative to its parent joint
    if (i === 0) {
      // Thumb metacarpal: remove the open-hand offset, expressed in the wrist frame.
      q.multiply(sQ.copy(sRest).invert())
      q.premultiply(sBasis).multiply(sBasisInv)
    } else if (i < 3) {
      q.premultiply(sThumbBasis).multiply(sThumbBasisInv)
    } else {
      q.premultiply(sBasis).multiply(sBasisInv)
    }
    q.normalize()
  }
  return out
}

/** Flexion axis of the fingers (index…little) in avatar axes: left (0,0,-1), right (0,0,1). */
export function fingerFlexAxis(side: Side, out: Vector3): Vector3 {
  return out.set(0, 0, side === 'left' ? -1 : 1)
}

const THUMB_AXIS_LEFT = new Vector3()
const THUMB_AXIS_RIGHT = new Vector3()
{
  // VRM 1.0 rests the thumb 45° between the fingers and forward; it flexes under the palm toward
  // the little finger. Axis = thumb direction × pad direction, so the tip moves toward the pad.
  const d = new Vector3(1, 0, 1).normalize()
  const pad = new Vector3(0, -0.8, 0).addScaledVector(new Vector3(1, 0, -1).normalize(), 0.6).normalize()
  THUMB_AXIS_LEFT.crossVectors(d, pad).normalize()
  // Mirror across the YZ plane: axial vectors flip their y and z.
  THUMB_AXIS_RIGHT.set(THUMB_AXIS_LEFT.x, -THUMB_AXIS_LEFT.y, -THUMB_AXIS_LEFT.z)
}

/** Flexion axis of the thumb bones in avatar axes for `side`. */
export function thumbFlexAxis(side: Side, out: Vector3): Vector3 {
  return out.copy(side === 'left' ? THUMB_AXIS_LEFT : THUMB_AXIS_RIGHT)
}

/** Local rotations of the 15 finger bones of `side` from per-finger curls (controller mode). */
export function solveCurlRotations(curls: FingerCurls, side: Side, out: Quaternion[]): Quaternion[] {
  thumbFlexAxis(side, sA)
  for (let k = 0; k < 3; k++) out[k].setFromAxisAngle(sA, curls.thumb * degToRad(THUMB_CURL_DEGREES[k]))
  fingerFlexAxis(side, sA)
  for (let f = 1; f < FINGER_NAMES.length; f++) {
    const c = curls[FINGER_NAMES[f]]
    for (let k = 0; k < 3; k++) out[f * 3 + k].setFromAxisAngle(sA, c * degToRad(FINGER_CURL_DEGREES[k]))
  }
  return out
}
