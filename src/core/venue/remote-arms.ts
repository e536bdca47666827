/**
 * Arms for a remote visitor's body. The wire carries only head and hands (core/venue/pose.ts), so
 * the shoulders are placed from the head (below it, turned with its yaw only: a nod does not swing
 * the shoulders) and the elbows solved by the avatar's analytic two-bone IK, bending down, out and
 * back as a relaxed arm does. Allocates nothing after module load.
 */
import { Quaternion, Vector3 } from 'three'
import { createTwoBonePositions, solveTwoBonePositions } from '../avatar/two-bone-ik'
import { POSE_STRIDE } from './pose'

/** The shoulder line below the head's centre, and half its width (an adult's, roughly). */
export const SHOULDER_DROP_M = 0.26
export const SHOULDER_HALF_WIDTH_M = 0.17
/** Upper arm and forearm (shoulder–elbow, elbow–grip). */
export const UPPER_ARM_M = 0.28
export const FOREARM_M = 0.3

/** One arm's joints, world space. */
export interface RemoteArm {
  readonly shoulder: Vector3
  readonly elbow: Vector3
  /** Where the forearm ends: the tracked grip (the forearm stretches to it when out of reach). */
  readonly hand: Vector3
}

/** Creates an arm to reuse every frame. */
export function createRemoteArm(): RemoteArm {
  return { shoulder: new Vector3(), elbow: new Vector3(), hand: new Vector3() }
}

const solved = createTwoBonePositions()
const q = new Quaternion()
const right = new Vector3()
const back = new Vector3()
const pole = new Vector3()

/**
 * Solves arm `side` (0 left, 1 right) of the pose at `at` in `poses` (head, left, right; metres and
 * unit quaternions, world space) into `out`. Returns false, leaving `out` as it was, when that hand
 * is not tracked (a zero quaternion on the wire).
 */
export function solveRemoteArm(poses: ArrayLike<number>, side: 0 | 1, out: RemoteArm, at = 0): boolean {
  const o = at + POSE_STRIDE * (1 + side)
  if (poses[o + 3] === 0 && poses[o + 4] === 0 && poses[o + 5] === 0 && poses[o + 6] === 0) return false
  q.set(poses[at + 3], poses[at + 4], poses[at + 5], poses[at + 6])
  // The head's yaw only: its right and back directions flattened onto the floor.
  right.set(1, 0, 0).applyQuaternion(q)
  right.y = 0
  if (right.lengthSq() < 1e-6) right.set(1, 0, 0)
  else right.normalize()
  back.set(-right.z, 0, right.x) // the head's +Z (behind it): right turned a quarter about up
  const outward = side === 0 ? -1 : 1
  out.shoulder.set(poses[at], poses[at + 1] - SHOULDER_DROP_M, poses[at + 2]).addScaledVector(right, outward * SHOULDER_HALF_WIDTH_M)
  out.hand.set(poses[o], poses[o + 1], poses[o + 2])
  // Elbows hang: down, a little out and back.
  pole.copy(out.shoulder).addScaledVector(right, outward * 0.25).addScaledVector(back, 0.2)
  pole.y -= 0.4
  solveTwoBonePositions(out.shoulder, UPPER_ARM_M, FOREARM_M, out.hand, pole, solved)
  out.elbow.copy(solved.mid)
  return true
}
