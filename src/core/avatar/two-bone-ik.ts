import { Matrix4, Object3D, Quaternion, Vector3 } from 'three'
import { clamp } from './avatar-math'

/**
 * Analytic two-bone IK (shoulder–elbow–wrist, hip–knee–ankle). The geometry is solved with the law
 * of cosines, so it is exact in one step (no iterations, no jitter), and the bones are then turned
 * as hinges: the upper bone's bend axis is aligned with the plane chosen by the pole, so the lower
 * bone only ever flexes about that axis (no hyperextension, no sideways elbow).
 *
 * All positions and rotations here are in one shared space (world space for the three.js
 * adapter). Nothing allocates after module load.
 */

/** Default maximum elbow/knee flexion: 150°. */
export const DEFAULT_MAX_FLEXION = (150 * Math.PI) / 180

/** Geometric solution: where the middle joint and the end go. Reused; never reallocated. */
export interface TwoBonePositions {
  /** New middle-joint (elbow/knee) position. */
  readonly mid: Vector3
  /** New end (wrist/ankle) position; equals the target unless clamped. */
  readonly end: Vector3
  /** Unit normal of the bend plane, oriented so flexion is a positive rotation about it. */
  readonly bendNormal: Vector3
  /** Middle-joint flexion in radians: 0 = straight, up to the max flexion. */
  flexion: number
  /** True when the target was beyond reach (the limb points straight at it). */
  reachClamped: boolean
  /** True when the target was closer than the flexion limit allows (the end stops short). */
  foldClamped: boolean
}

/** Creates an empty {@link TwoBonePositions} to reuse every frame. */
export function createTwoBonePositions(): TwoBonePositions {
  return {
    mid: new Vector3(),
    end: new Vector3(),
    bendNormal: new Vector3(1, 0, 0),
    flexion: 0,
    reachClamped: false,
    foldClamped: false,
  }
}

const tmpDir = new Vector3()
const tmpPole = new Vector3()

/** Any unit vector perpendicular to unit `u` (used only when the pole gives no direction). */
function anyPerpendicular(u: Vector3, out: Vector3): Vector3 {
  // Cross with the world axis least aligned with u, so the result is never near zero.
  if (Math.abs(u.y) < 0.9) out.set(u.z, 0, -u.x)
  else out.set(0, -u.z, u.y)
  return out.normalize()
}

/**
 * Solves the positions of a two-bone chain rooted at `root` with bone lengths `upperLength` and
 * `lowerLength` so the end reaches `target`, bending toward `pole`.
 * - Out of reach: the chain is straight and points at the target (`reachClamped`).
 * - Too close for `maxFlexion`: the end stops at the nearest reachable distance (`foldClamped`).
 * - Pole on the root→target line: `fallbackBend` (a direction, e.g. the current elbow offset) is
 *   used instead, then any perpendicular.
 * `fallbackAim` is the aim direction when the target sits exactly on the root.
 */
export function solveTwoBonePositions(
  root: Vector3,
  upperLength: number,
  lowerLength: number,
  target: Vector3,
  pole: Vector3,
  out: TwoBonePositions,
  maxFlexion: number = DEFAULT_MAX_FLEXION,
  fallbackBend: Vector3 | null = null,
  fallbackAim: Vector3 | null = null,
): TwoBonePositions {
  // Zero-length bones (broken rigs) cannot be solved; keep the math finite.
  const l1 = upperLength > 1e-9 ? upperLength : 1e-9
  const l2 = lowerLength > 1e-9 ? lowerLength : 1e-9
  const u = tmpDir.subVectors(target, root)
  let d = u.length()
  if (d > 1e-9) u.divideScalar(d)
  else if (fallbackAim && fallbackAim.lengthSq() > 1e-12) u.copy(fallbackAim).normalize()
  else u.set(0, -1, 0)

  const maxFlex = clamp(maxFlexion, 0, Math.PI)
  const dMax = l1 + l2
  // Law of cosines with interior angle π - flexion.
  const dMin = Math.sqrt(Math.max(0, l1 * l1 + l2 * l2 + 2 * l1 * l2 * Math.cos(maxFlex)))
  out.reachClamped = d > dMax
  out.foldClamped = d < dMin
  d = clamp(d, dMin, dMax)

  out.flexion = Math.acos(clamp((d * d - l1 * l1 - l2 * l2) / (2 * l1 * l2), -1, 1))
  const cosA = d > 1e-9 ? clamp((l1 * l1 + d * d - l2 * l2) / (2 * l1 * d), -1, 1) : 1
  const sinA = Math.sqrt(Math.max(0, 1 - cosA * cosA))

  // Pole direction perpendicular to the aim line.
  const p = tmpPole.subVectors(pole, root)
  p.addScaledVector(u, -p.dot(u))
  if (p.lengthSq() < 1e-12 && fallbackBend) {
    p.copy(fallbackBend)
    p.addScaledVector(u, -p.dot(u))
  }
  if (p.lengthSq() < 1e-12) anyPerpendicular(u, p)
  else p.normalize()

  out.mid.copy(root).addScaledVector(u, l1 * cosA).addScaledVector(p, l1 * sinA)
  out.end.copy(root).addScaledVector(u, d)
  // (mid - root) × (end - mid) is a positive multiple of p × u, so this orients flexion positive.
  out.bendNormal.crossVectors(p, u).normalize()
  return out
}

/** Current pose of a two-bone chain: joint positions and bone rotations in one shared space. */
export interface TwoBoneChain {
  /** Upper bone origin (shoulder/hip). */
  readonly rootPosition: Vector3
  /** Lower bone origin (elbow/knee). */
  readonly midPosition: Vector3
  /** End bone origin (wrist/ankle). */
  readonly endPosition: Vector3
  /** Upper bone rotation. */
  readonly upperRotation: Quaternion
  /** Lower bone rotation. */
  readonly lowerRotation: Quaternion
  /** End bone rotation. */
  readonly endRotation: Quaternion
}

/** Creates an empty {@link TwoBoneChain} (fill it from your bones). */
export function createTwoBoneChain(): TwoBoneChain {
  return {
    rootPosition: new Vector3(),
    midPosition: new Vector3(),
    endPosition: new Vector3(),
    upperRotation: new Quaternion(),
    lowerRotation: new Quaternion(),
    endRotation: new Quaternion(),
  }
}

/** Full solution: positions plus the new rotations of the three bones (same space as the chain). */
export interface TwoBoneIKResult extends TwoBonePositions {
  /** New upper bone rotation. */
  readonly upperRotation: Quaternion
  /** New lower bone rotation. */
  readonly lowerRotation: Quaternion
  /** New end rotation: the target rotation, or the old end rotation carried along by the lower bone. */
  readonly endRotation: Quaternion
}

/** Creates an empty {@link TwoBoneIKResult} to reuse every frame. */
export function createTwoBoneIKResult(): TwoBoneIKResult {
  return {
    ...createTwoBonePositions(),
    upperRotation: new Quaternion(),
    lowerRotation: new Quaternion(),
    endRotation: new Quaternion(),
  }
}

/** Tuning for {@link solveTwoBoneIK} / {@link applyTwoBoneIK}. */
export interface TwoBoneIKOptions {
  /** Maximum flexion in radians (default {@link DEFAULT_MAX_FLEXION}). */
  maxFlexion?: number
  /**
   * Hinge axis in the upper bone's local frame (also used in the lower bone's frame; true for
   * three-vrm normalized bones, see `normalizedHingeAxis`). Without it the hinge is read from the
   * current bend, which is undefined for a straight limb; then the pole decides the twist.
   */
  hingeAxis?: Vector3 | null
  /**
   * Share 0..1 of the end's twist (about the forearm) given to the lower bone, like the radius
   * rolling over the ulna; stops "candy-wrapper" wrists. Needs `hingeAxis` and a target rotation.
   */
  lowerTwist?: number
}

const sDir0 = new Vector3()
const sDir1 = new Vector3()
const sN0 = new Vector3()
const sN0Lower = new Vector3()
const sCross = new Vector3()
const sE2 = new Vector3()
const sE3 = new Vector3()
const sM0 = new Matrix4()
const sM1 = new Matrix4()
const sQ = new Quaternion()
const sQ2 = new Quaternion()
const sAxis = new Vector3()
const IDENTITY = new Quaternion()

/** Orthonormal basis (dir, hinge, dir × hinge) as matrix columns; hinge is orthogonalised to dir. */
function hingeBasis(dir: Vector3, hinge: Vector3, out: Matrix4): Matrix4 {
  sE2.copy(hinge).addScaledVector(dir, -hinge.dot(dir))
  if (sE2.lengthSq() < 1e-12) anyPerpendicular(dir, sE2)
  else sE2.normalize()
  sE3.crossVectors(dir, sE2)
  return out.makeBasis(dir, sE2, sE3)
}

/** out = rotation taking the frame (dir0, hinge0) onto (dir1, hinge1). */
function frameDelta(dir0: Vector3, hinge0: Vector3, dir1: Vector3, hinge1: Vector3, out: Quaternion): Quaternion {
  hingeBasis(dir0, hinge0, sM0).transpose()
  hingeBasis(dir1, hinge1, sM1).multiply(sM0)
  return out.setFromRotationMatrix(sM1)
}

/**
 * Solves a two-bone chain on plain data: the end goes to `target` (clamped to reach/flexion
 * limits), the middle joint bends toward `pole`, the end takes `targetRotation` when given.
 * Writes into `out` and returns it; allocation-free.
 */
export function solveTwoBoneIK(
  chain: TwoBoneChain,
  target: Vector3,
  targetRotation: Quaternion | null,
  pole: Vector3,
  out: TwoBoneIKResult,
  options?: TwoBoneIKOptions,
): TwoBoneIKResult {
  const a = chain.rootPosition
  const b = chain.midPosition
  const c = chain.endPosition
  const l1 = a.distanceTo(b)
  const l2 = b.distanceTo(c)
  const hinge = options?.hingeAxis ?? null
  if (l1 < 1e-9 || l2 < 1e-9) {
    // Degenerate chain: leave the bones as they are rather than produce NaN rotations.
    out.mid.copy(b)
    out.end.copy(c)
    out.flexion = 0
    out.reachClamped = false
    out.foldClamped = false
    out.upperRotation.copy(chain.upperRotation)
    out.lowerRotation.copy(chain.lowerRotation)
    out.endRotation.copy(targetRotation ?? chain.endRotation)
    return out
  }

  // Current bend offset doubles as the fallback when the pole is on the aim line.
  sCross.subVectors(b, a)
  sDir0.subVectors(c, a)
  solveTwoBonePositions(a, l1, l2, target, pole, out, options?.maxFlexion, sCross, sDir0)

  // Upper bone: current (direction, hinge) → new (direction, bend normal).
  sDir0.subVectors(b, a).normalize()
  sDir1.subVectors(out.mid, a).normalize()
  if (hinge) {
    sN0.copy(hinge).applyQuaternion(chain.upperRotation)
    sN0Lower.copy(hinge).applyQuaternion(chain.lowerRotation)
  } else {
    sCross.subVectors(c, b)
    sN0.crossVectors(sDir0, sCross)
    if (sN0.lengthSq() > 1e-10 * l2 * l2) sN0.normalize()
    else sN0.copy(out.bendNormal) // straight limb: no hinge to preserve, take the minimal twist
    sN0Lower.copy(sN0)
  }
  frameDelta(sDir0, sN0, sDir1, out.bendNormal, sQ)
  out.upperRotation.copy(sQ).multiply(chain.upperRotation)

  // Lower bone: its own frame (direction, hinge) → new (direction, bend normal).
  sDir0.subVectors(c, b).normalize()
  sDir1.subVectors(out.end, out.mid).normalize()
  frameDelta(sDir0, sN0Lower, sDir1, out.bendNormal, sQ2)
  out.lowerRotation.copy(sQ2).multiply(chain.lowerRotation)

  if (targetRotation) out.endRotation.copy(targetRotation)
  else out.endRotation.copy(sQ2).multiply(chain.endRotation)

  const share = options?.lowerTwist ?? 0
  if (share > 0 && hinge && targetRotation) {
    // Swing–twist: keep the part of the end's local rotation about the forearm axis.
    sQ.copy(out.lowerRotation).invert().multiply(out.endRotation)
    sAxis.copy(sDir1).applyQuaternion(sQ2.copy(out.lowerRotation).invert())
    const proj = sQ.x * sAxis.x + sQ.y * sAxis.y + sQ.z * sAxis.z
    sQ2.set(sAxis.x * proj, sAxis.y * proj, sAxis.z * proj, sQ.w)
    const len = sQ2.length()
    if (len > 1e-9) {
      sQ2.set(sQ2.x / len, sQ2.y / len, sQ2.z / len, sQ2.w / len)
      if (sQ2.w < 0) sQ2.set(-sQ2.x, -sQ2.y, -sQ2.z, -sQ2.w) // shortest way round
      sQ.slerpQuaternions(IDENTITY, sQ2, clamp(share, 0, 1))
      out.lowerRotation.multiply(sQ)
    }
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// three.js adapter
// ---------------------------------------------------------------------------------------------

const adapterChain = createTwoBoneChain()
const adapterResult = createTwoBoneIKResult()
const aScale = new Vector3()
const aPos = new Vector3()
const aParentQ = new Quaternion()

/** Sets `object`'s world rotation to `worldRotation` by solving its local rotation under its parent. */
export function setWorldQuaternion(object: Object3D, worldRotation: Quaternion): void {
  if (object.parent) {
    object.parent.matrixWorld.decompose(aPos, aParentQ, aScale)
    object.quaternion.copy(aParentQ.invert()).multiply(worldRotation)
  } else {
    object.quaternion.copy(worldRotation)
  }
}

/**
 * Poses three.js bones `upper` → `lower` → `end` so `end` reaches world-space `target`, the middle
 * joint bends toward world-space `pole`, and (when given) `end` ends with world rotation
 * `targetRotation`. Works under any parent transform (translated, rotated, uniformly scaled
 * avatars); `lower` must descend from `upper` and `end` from `lower`. Bones are turned relative to
 * their current pose, so either keep last frame's pose or pass `options.hingeAxis`.
 * Returns the solver's scratch result (valid until the next call).
 */
export function applyTwoBoneIK(
  upper: Object3D,
  lower: Object3D,
  end: Object3D,
  target: Vector3,
  targetRotation: Quaternion | null,
  pole: Vector3,
  options?: TwoBoneIKOptions,
): TwoBoneIKResult {
  // Refreshes end and every ancestor (lower, upper, the avatar root, the stage).
  end.updateWorldMatrix(true, false)
  upper.matrixWorld.decompose(adapterChain.rootPosition, adapterChain.upperRotation, aScale)
  lower.matrixWorld.decompose(adapterChain.midPosition, adapterChain.lowerRotation, aScale)
  end.matrixWorld.decompose(adapterChain.endPosition, adapterChain.endRotation, aScale)

  const result = solveTwoBoneIK(adapterChain, target, targetRotation, pole, adapterResult, options)

  setWorldQuaternion(upper, result.upperRotation)
  lower.updateWorldMatrix(true, false)
  setWorldQuaternion(lower, result.lowerRotation)
  end.updateWorldMatrix(true, false)
  setWorldQuaternion(end, result.endRotation)
  end.updateWorldMatrix(false, false)
  return result
}
