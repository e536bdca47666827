import { Quaternion, Vector3 } from 'three'
import { clamp, smoothstep } from './avatar-math'
import type { Side } from './humanoid'

/**
 * Natural elbow pole for the arm IK. People hold their elbows down, slightly back and out; as the
 * hand rises the elbow swings out to the side, and a hand reaching up behind the head lifts the
 * elbow up and forward. Hands near the face push the elbow outward so the forearm clears the head.
 * The pole is a point (not a direction) one arm length from the shoulder.
 */

/** Tuning of {@link solveElbowHint}. Defaults suit adult proportions. */
export interface ElbowHintParams {
  /** Outward share of the pole with the hand low (0..1). */
  outLow: number
  /** Outward share with the hand raised. */
  outHigh: number
  /** Backward share with the hand low (elbow slightly behind the torso plane). */
  backLow: number
  /** Distance (in arm lengths) between hand and head under which the elbow is pushed out. */
  nearHead: number
}

/** Default {@link ElbowHintParams}. */
export const DEFAULT_ELBOW_HINT: Readonly<ElbowHintParams> = { outLow: 0.45, outHigh: 1, backLow: 0.35, nearHead: 0.45 }

const sFwd = new Vector3()
const sUp = new Vector3()
const sOut = new Vector3()
const sRel = new Vector3()
const sDir = new Vector3()

/**
 * Computes the elbow pole for `side` into `out` (tracking space) and returns it.
 * @param head Head (eye) position; only its distance to the hand is used.
 * @param bodyRotation Chest pose rotation (avatar convention: identity faces +Z, left is +X).
 * @param shoulder Upper-arm origin. @param hand Hand target. @param armLength Upper + lower arm.
 */
export function solveElbowHint(
  side: Side,
  head: Vector3,
  bodyRotation: Quaternion,
  shoulder: Vector3,
  hand: Vector3,
  armLength: number,
  out: Vector3,
  params: Readonly<ElbowHintParams> = DEFAULT_ELBOW_HINT,
): Vector3 {
  const len = armLength > 1e-6 ? armLength : 1
  sFwd.set(0, 0, 1).applyQuaternion(bodyRotation)
  sUp.set(0, 1, 0).applyQuaternion(bodyRotation)
  sOut.set(side === 'left' ? 1 : -1, 0, 0).applyQuaternion(bodyRotation)

  sRel.subVectors(hand, shoulder)
  const hx = clamp(sRel.dot(sOut) / len, -1.5, 1.5)
  const hy = clamp(sRel.dot(sUp) / len, -1.5, 1.5)
  const hz = clamp(sRel.dot(sFwd) / len, -1.5, 1.5)

  const lift = smoothstep(-0.15, 0.75, hy) // 0 hand low … 1 hand at/above the shoulder line
  const behind = smoothstep(0.05, -0.4, hz) // 1 when the hand is behind the body plane
  const across = smoothstep(0, -0.4, hx) // 1 when the hand crosses the midline
  const near = 1 - smoothstep(params.nearHead * 0.5, params.nearHead, hand.distanceTo(head) / len)

  const outW = params.outLow + (params.outHigh - params.outLow) * lift + 0.35 * across + 0.6 * near
  const upW = -(1 - lift) + 0.7 * lift * behind
  const fwdW = -params.backLow * (1 - lift) + 0.45 * lift * behind

  sDir.set(0, 0, 0).addScaledVector(sOut, outW).addScaledVector(sUp, upW).addScaledVector(sFwd, fwdW)
  if (sDir.lengthSq() < 1e-10) sDir.copy(sOut)
  sDir.normalize()
  // Anchor beside the middle of the arm so the pole stays off the shoulder→hand line.
  return out.copy(shoulder).addScaledVector(sRel, 0.5).addScaledVector(sDir, len)
}
