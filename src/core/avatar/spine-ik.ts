import { Quaternion, Vector3 } from 'three'
import { clamp, clamp01, followFactor, wrapAngle } from './avatar-math'
import type { AvatarRestPositions } from './humanoid'
import { restEyePosition } from './humanoid'
import { xrViewToPoseRotation } from './rig-space'

/**
 * Torso from the head pose: hips, spine, chest, neck and head.
 * - The head bone is placed from the tracked eye point, the neck below it.
 * - The body yaw follows the head yaw (blended with where the hands are) outside a dead zone, so
 *   glancing sideways turns only the neck while turning round turns the body.
 * - When the head drops, the torso leans toward the head if it moved away from the feet (bending
 *   over), otherwise the hips sink (crouch). A head that moves level simply carries the hips along,
 *   which is what makes the legs step.
 * - Finally the whole chain is shifted so the avatar's head lands exactly on the tracked head.
 * Outputs are tracking-space positions and pose rotations (see rig-space.ts).
 */

/** Tuning of the spine solver. Angles in radians, rates per second. */
export interface SpineIKParams {
  /** Head–body yaw difference the body tolerates before turning (≈ 26°). */
  yawDeadZone: number
  /** How fast the body catches up once outside the dead zone. */
  yawFollowRate: number
  /** Slow drift of the body toward the head inside the dead zone (0 disables). */
  yawRecenterRate: number
  /** Weight 0..1 of the hands' average direction in the body yaw. */
  handYawWeight: number
  /** Largest torso lean from vertical. */
  maxLean: number
  /** Share of the lean taken by the hips and by the spine bone (the chest takes all of it). */
  hipsLeanShare: number
  spineLeanShare: number
  /** Share of the head–body twist taken by the chest (the spine takes 40 % of that). */
  chestTwistShare: number
  /** Largest twist the torso passes on to the chest. */
  maxTwist: number
  /** Neck rotation blend 0..1 from chest to head. */
  neckHeadShare: number
}

/** Default {@link SpineIKParams}. */
export const DEFAULT_SPINE_IK: Readonly<SpineIKParams> = {
  yawDeadZone: 0.45,
  yawFollowRate: 6,
  yawRecenterRate: 0.3,
  handYawWeight: 0.35,
  maxLean: 1.1,
  hipsLeanShare: 0.35,
  spineLeanShare: 0.7,
  chestTwistShare: 0.5,
  maxTwist: Math.PI / 3,
  neckHeadShare: 0.5,
}

/** A bone's tracking-space position and pose rotation. */
export interface BonePose {
  readonly position: Vector3
  readonly rotation: Quaternion
}

/** Solver output, rewritten in place every update. */
export interface SpinePose {
  readonly hips: BonePose
  readonly spine: BonePose
  readonly chest: BonePose
  readonly neck: BonePose
  readonly head: BonePose
  /** Body (hips) yaw in radians; facing (sin, 0, cos). */
  bodyYaw: number
  /** Head yaw in radians, same convention. */
  headYaw: number
  /** Horizontal unit forward of the body. */
  readonly forward: Vector3
  /** 0 standing … 1 deep crouch. */
  crouch: number
  /** Torso lean from vertical, radians. */
  lean: number
}

/** Per-frame input, all in tracking space. */
export interface SpineIKInput {
  /** Viewer position (between the eyes). */
  readonly headPosition: Vector3
  /** Viewer orientation as WebXR gives it (looks down -Z). */
  readonly headRotation: Quaternion
  /** Hand targets, or null when that hand is not tracked. */
  readonly leftHand: Vector3 | null
  readonly rightHand: Vector3 | null
  /** Where the hips would stand balanced over the planted feet (legs' `balance`), or null. */
  readonly balance: Vector3 | null
}

/** Spine solver state; create once per avatar. */
export interface SpineIK {
  readonly params: SpineIKParams
  readonly pose: SpinePose
  /** Avatar scale (user size / authored size), from calibration. */
  scale: number
  /** False until the first update (and after {@link resetSpineIK}): then yaw snaps to the head. */
  initialized: boolean
  /** Unscaled rest offsets between consecutive bones. */
  readonly rest: {
    readonly hipsToSpine: Vector3
    readonly spineToChest: Vector3
    readonly chestToNeck: Vector3
    readonly neckToHead: Vector3
    readonly headToEye: Vector3
    readonly hipsToNeck: Vector3
    /** Rest hips height above the floor. */
    hipsHeight: number
  }
  /** Hips ground point of the last update: the balance fallback when the legs give none. */
  readonly lastHipsGround: Vector3
}

function bonePose(): BonePose {
  return { position: new Vector3(), rotation: new Quaternion() }
}

/**
 * Creates a spine solver from the avatar's rest positions (hips, spine, head required; chest,
 * neck and eyes are estimated when missing). `scale` is the calibration scale (default 1).
 */
export function createSpineIK(rest: AvatarRestPositions, scale = 1, params?: Partial<SpineIKParams>): SpineIK {
  const hips = rest.hips
  const spine = rest.spine
  const head = rest.head
  if (!hips || !spine || !head) throw new Error('createSpineIK needs rest positions for hips, spine and head')
  const neck = rest.neck ?? new Vector3().lerpVectors(spine, head, 0.8)
  const chest = rest.upperChest ?? rest.chest ?? new Vector3().lerpVectors(spine, neck, 0.45)
  const eye = restEyePosition(rest, new Vector3())
  return {
    params: { ...DEFAULT_SPINE_IK, ...params },
    pose: {
      hips: bonePose(),
      spine: bonePose(),
      chest: bonePose(),
      neck: bonePose(),
      head: bonePose(),
      bodyYaw: 0,
      headYaw: 0,
      forward: new Vector3(0, 0, 1),
      crouch: 0,
      lean: 0,
    },
    scale,
    initialized: false,
    rest: {
      hipsToSpine: new Vector3().subVectors(spine, hips),
      spineToChest: new Vector3().subVectors(chest, spine),
      chestToNeck: new Vector3().subVectors(neck, chest),
      neckToHead: new Vector3().subVectors(head, neck),
      headToEye: new Vector3().subVectors(eye, head),
      hipsToNeck: new Vector3().subVectors(neck, hips),
      hipsHeight: hips.y,
    },
    lastHipsGround: new Vector3(),
  }
}

/** Makes the next update snap the body yaw to the head (after a teleport or recalibration). */
export function resetSpineIK(ik: SpineIK): void {
  ik.initialized = false
}

const Y = new Vector3(0, 1, 0)
const sHeadQ = new Quaternion()
const sYawQ = new Quaternion()
const sTmpQ = new Quaternion()
const sLeanQ = new Quaternion()
const sV = new Vector3()
const sV2 = new Vector3()
const sNeck = new Vector3()
const sHeadBone = new Vector3()
const sSum = new Vector3()
const IDENTITY = new Quaternion()

/** Yaw of a tracked hand around the head, accumulated into sSum; returns 1 if it counted. */
function addHandDirection(hand: Vector3 | null, head: Vector3, fx: number, fz: number, minDist: number): number {
  if (!hand) return 0
  const dx = hand.x - head.x
  const dz = hand.z - head.z
  const len = Math.sqrt(dx * dx + dz * dz)
  // Hands close to the body or behind it say nothing about where the body faces.
  if (len < minDist || (dx * fx + dz * fz) / len < -0.2) return 0
  sSum.x += dx / len
  sSum.z += dz / len
  return 1
}

/** Places the chain from the current hips pose and rotations; returns nothing, writes the pose. */
function placeChain(ik: SpineIK): void {
  const p = ik.pose
  const s = ik.scale
  const r = ik.rest
  p.spine.position.copy(sV.copy(r.hipsToSpine).multiplyScalar(s).applyQuaternion(p.hips.rotation)).add(p.hips.position)
  p.chest.position.copy(sV.copy(r.spineToChest).multiplyScalar(s).applyQuaternion(p.spine.rotation)).add(p.spine.position)
  p.neck.position.copy(sV.copy(r.chestToNeck).multiplyScalar(s).applyQuaternion(p.chest.rotation)).add(p.chest.position)
  p.head.position.copy(sV.copy(r.neckToHead).multiplyScalar(s).applyQuaternion(p.neck.rotation)).add(p.neck.position)
}

/** Advances the solver by `dt` seconds and returns the updated pose (same object every call). */
export function updateSpineIK(ik: SpineIK, input: SpineIKInput, dt: number): SpinePose {
  const prm = ik.params
  const p = ik.pose
  const s = ik.scale
  const r = ik.rest
  const head = input.headPosition

  xrViewToPoseRotation(input.headRotation, sHeadQ)

  // Head yaw: a pitched head's up vector leans toward where the face points, so mixing it in keeps
  // the yaw stable when looking straight down or up.
  sV.set(0, 0, -1).applyQuaternion(input.headRotation)
  sV2.set(0, 1, 0).applyQuaternion(input.headRotation)
  const hx = sV.x - sV2.x * sV.y
  const hz = sV.z - sV2.z * sV.y
  const headYaw = Math.atan2(hx, hz)
  p.headYaw = headYaw

  let desiredYaw = headYaw
  sSum.set(0, 0, 0)
  const fx = Math.sin(headYaw)
  const fz = Math.cos(headYaw)
  const count =
    addHandDirection(input.leftHand, head, fx, fz, 0.1 * s) + addHandDirection(input.rightHand, head, fx, fz, 0.1 * s)
  if (count > 0 && sSum.x * sSum.x + sSum.z * sSum.z > 1e-6) {
    desiredYaw = wrapAngle(headYaw + prm.handYawWeight * wrapAngle(Math.atan2(sSum.x, sSum.z) - headYaw))
  }

  if (!ik.initialized) {
    p.bodyYaw = desiredYaw
  } else {
    const delta = wrapAngle(desiredYaw - p.bodyYaw)
    const inner = clamp(delta, -prm.yawDeadZone, prm.yawDeadZone)
    p.bodyYaw = wrapAngle(
      p.bodyYaw + (delta - inner) * followFactor(prm.yawFollowRate, dt) + inner * followFactor(prm.yawRecenterRate, dt),
    )
  }
  const yaw = p.bodyYaw
  p.forward.set(Math.sin(yaw), 0, Math.cos(yaw))
  sYawQ.setFromAxisAngle(Y, yaw)

  // Head bone and neck from the eye point.
  sHeadBone.copy(head).sub(sV.copy(r.headToEye).multiplyScalar(s).applyQuaternion(sHeadQ))
  sTmpQ.slerpQuaternions(sYawQ, sHeadQ, 0.6)
  sNeck.copy(sHeadBone).sub(sV.copy(r.neckToHead).multiplyScalar(s).applyQuaternion(sTmpQ))

  // Lean vs crouch.
  const torsoY = Math.max(1e-3, r.hipsToNeck.y * s)
  const restFwd = r.hipsToNeck.z * s
  const standingHips = r.hipsHeight * s
  // Upright hips ground point (below the neck, minus the rest forward offset of the neck).
  const uprightX = sNeck.x - p.forward.x * restFwd
  const uprightZ = sNeck.z - p.forward.z * restFwd
  const balance = input.balance ?? (ik.initialized ? ik.lastHipsGround : null)
  let dx = 0
  let dz = 0
  if (balance) {
    dx = uprightX - balance.x
    dz = uprightZ - balance.z
  }
  const dist = Math.sqrt(dx * dx + dz * dz)
  // Leaning lowers the neck by torso·(1 - cos θ): only lean as far as the head actually dropped.
  const h = (sNeck.y - standingHips) / torsoY
  const leanFromDrop = h >= 1 ? 0 : Math.acos(Math.max(-1, h))
  const lean = Math.min(Math.asin(Math.min(1, dist / torsoY)), leanFromDrop, prm.maxLean)
  const sinL = Math.sin(lean)
  const ldx = dist > 1e-6 ? dx / dist : p.forward.x
  const ldz = dist > 1e-6 ? dz / dist : p.forward.z
  p.hips.position.set(uprightX - ldx * torsoY * sinL, sNeck.y - torsoY * Math.cos(lean), uprightZ - ldz * torsoY * sinL)
  p.lean = lean

  // Rotations: yaw, twist toward the head, lean spread down the chain.
  sV.copy(r.hipsToNeck).normalize().applyQuaternion(sYawQ)
  sV2.subVectors(sNeck, p.hips.position).normalize()
  sLeanQ.setFromUnitVectors(sV, sV2)
  const twist = clamp(wrapAngle(headYaw - yaw), -prm.maxTwist, prm.maxTwist)
  const chestTwist = twist * prm.chestTwistShare

  p.hips.rotation.slerpQuaternions(IDENTITY, sLeanQ, prm.hipsLeanShare).multiply(sYawQ)
  sTmpQ.setFromAxisAngle(Y, yaw + chestTwist * 0.4)
  p.spine.rotation.slerpQuaternions(IDENTITY, sLeanQ, prm.spineLeanShare).multiply(sTmpQ)
  sTmpQ.setFromAxisAngle(Y, yaw + chestTwist)
  p.chest.rotation.copy(sLeanQ).multiply(sTmpQ)
  p.neck.rotation.slerpQuaternions(p.chest.rotation, sHeadQ, prm.neckHeadShare)
  p.head.rotation.copy(sHeadQ)

  // Lay the chain out, then shift it so the head bone is exactly where the headset says.
  placeChain(ik)
  sV.subVectors(sHeadBone, p.head.position)
  p.hips.position.add(sV)
  p.spine.position.add(sV)
  p.chest.position.add(sV)
  p.neck.position.add(sV)
  p.head.position.add(sV)

  p.crouch = standingHips > 1e-6 ? clamp01((standingHips - p.hips.position.y) / (standingHips * 0.5)) : 0
  ik.lastHipsGround.set(p.hips.position.x, 0, p.hips.position.z)
  ik.initialized = true
  return p
}
