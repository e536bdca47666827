import { Quaternion, Vector3 } from 'three'
import { clamp01, lerpAngle, smoothstep, wrapAngle } from './avatar-math'
import type { AvatarRestPositions, Side } from './humanoid'
import { createTwoBonePositions, DEFAULT_MAX_FLEXION, solveTwoBonePositions, type TwoBonePositions } from './two-bone-ik'

/**
 * Procedural legs for a body driven only by head and hands. Feet stay planted until the hips drift
 * away from the point they balance over, or the body twists too far; then one foot steps along an
 * arc over a fixed time, and the other follows to square the stance. Time only enters through `dt`,
 * so a replay steps identically. Knees come from the analytic two-bone solver with a forward pole;
 * crouching needs no special case: lower hips simply bend the knees.
 */

/** Tuning of the legs. Distances are metres at scale 1 (multiplied by the avatar scale). */
export interface LegsParams {
  /** Hips ground-point distance from the balance point that triggers a step. */
  stepThreshold: number
  /** Body-vs-foot yaw difference (radians) that triggers a step. */
  yawThreshold: number
  /** Seconds one step takes. */
  stepDuration: number
  /** Peak foot lift during a step. */
  stepHeight: number
  /** Share of the thresholds above which the second foot follows the first. */
  followShare: number
  /** Hips further than this from the balance point (a teleport) re-plant both feet at once. */
  snapDistance: number
  /** Knee flexion limit in radians. */
  maxKneeFlexion: number
  /** Outward share of the knee pole (knees track slightly over the toes). */
  kneeOut: number
}

/** Default {@link LegsParams}. */
export const DEFAULT_LEGS: Readonly<LegsParams> = {
  stepThreshold: 0.14,
  yawThreshold: 0.6,
  stepDuration: 0.3,
  stepHeight: 0.08,
  followShare: 0.35,
  snapDistance: 1.5,
  maxKneeFlexion: DEFAULT_MAX_FLEXION,
  kneeOut: 0.15,
}

/** One foot's state and IK targets, all in tracking space. */
export interface FootState {
  readonly side: Side
  /** Ankle (foot bone) position: the IK target for the leg. */
  readonly position: Vector3
  /** Foot yaw (radians, avatar convention). */
  yaw: number
  /** Foot pose rotation (flat on the floor, turned by `yaw`): the IK end rotation. */
  readonly rotation: Quaternion
  /** True while the foot is in the air. */
  stepping: boolean
  /** Step progress 0..1. */
  progress: number
  /** Where the current step started. */
  readonly start: Vector3
  startYaw: number
  /** Where the foot would stand under the current hips. */
  readonly desired: Vector3
  /** Hip joint (upper leg origin) this frame. */
  readonly hip: Vector3
  /** Knee pole (point in front of the knee) to pass to the two-bone IK. */
  readonly pole: Vector3
  /** Knee position solved with the rest leg lengths (for debug views and tests). */
  readonly knee: Vector3
  /** Solver scratch for this leg. */
  readonly solve: TwoBonePositions
}

/** Legs state; create once per avatar. */
export interface ProceduralLegs {
  readonly params: LegsParams
  /** Avatar scale from calibration. */
  scale: number
  readonly left: FootState
  readonly right: FootState
  /** Hips ground point the planted feet balance; feed it to the spine solver as `balance`. */
  readonly balance: Vector3
  /** Midpoint of the feet on the floor. */
  readonly support: Vector3
  /** 0 standing … 1 deep crouch, from the hips height. */
  crouch: number
  /** Completed steps since creation (for tests and diagnostics). */
  stepCount: number
  /** False until the feet are planted (first update, or after a reset). */
  initialized: boolean
  readonly rest: {
    readonly leftHip: Vector3
    readonly rightHip: Vector3
    readonly leftFoot: Vector3
    readonly rightFoot: Vector3
    thighLength: number
    shinLength: number
    hipsHeight: number
  }
  /** Foot that just landed and may need its partner to follow, or null. */
  follow: Side | null
}

function createFoot(side: Side): FootState {
  return {
    side,
    position: new Vector3(),
    yaw: 0,
    rotation: new Quaternion(),
    stepping: false,
    progress: 0,
    start: new Vector3(),
    startYaw: 0,
    desired: new Vector3(),
    hip: new Vector3(),
    pole: new Vector3(),
    knee: new Vector3(),
    solve: createTwoBonePositions(),
  }
}

/** Creates the legs from rest positions (hips and both upper leg, lower leg and foot required). */
export function createProceduralLegs(
  rest: AvatarRestPositions,
  scale = 1,
  params?: Partial<LegsParams>,
): ProceduralLegs {
  const { hips, leftUpperLeg, leftLowerLeg, leftFoot, rightUpperLeg, rightLowerLeg, rightFoot } = rest
  if (!hips || !leftUpperLeg || !leftLowerLeg || !leftFoot || !rightUpperLeg || !rightLowerLeg || !rightFoot) {
    throw new Error('createProceduralLegs needs rest positions for hips and both legs')
  }
  return {
    params: { ...DEFAULT_LEGS, ...params },
    scale,
    left: createFoot('left'),
    right: createFoot('right'),
    balance: new Vector3(),
    support: new Vector3(),
    crouch: 0,
    stepCount: 0,
    initialized: false,
    rest: {
      leftHip: new Vector3().subVectors(leftUpperLeg, hips),
      rightHip: new Vector3().subVectors(rightUpperLeg, hips),
      // Foot offsets keep the ankle height in y and the horizontal offset from the hips in x/z.
      leftFoot: new Vector3(leftFoot.x - hips.x, leftFoot.y, leftFoot.z - hips.z),
      rightFoot: new Vector3(rightFoot.x - hips.x, rightFoot.y, rightFoot.z - hips.z),
      thighLength: (leftUpperLeg.distanceTo(leftLowerLeg) + rightUpperLeg.distanceTo(rightLowerLeg)) / 2,
      shinLength: (leftLowerLeg.distanceTo(leftFoot) + rightLowerLeg.distanceTo(rightFoot)) / 2,
      hipsHeight: hips.y,
    },
    follow: null,
  }
}

/** Re-plants both feet under the hips on the next update (after a teleport or recalibration). */
export function resetProceduralLegs(legs: ProceduralLegs): void {
  legs.initialized = false
}

const Y = new Vector3(0, 1, 0)
const sYawQ = new Quaternion()
const sV = new Vector3()
const sFwd = new Vector3()

function restFoot(legs: ProceduralLegs, side: Side): Vector3 {
  return side === 'left' ? legs.rest.leftFoot : legs.rest.rightFoot
}

/** Where a foot stands under hips at (hx, hz) with body yaw `yaw`. */
function desiredFoot(legs: ProceduralLegs, foot: FootState, hx: number, hz: number): void {
  const r = restFoot(legs, foot.side)
  const s = legs.scale
  sV.set(r.x * s, 0, r.z * s).applyQuaternion(sYawQ)
  foot.desired.set(hx + sV.x, r.y * s, hz + sV.z)
}

function plant(foot: FootState, yaw: number): void {
  foot.position.copy(foot.desired)
  foot.yaw = yaw
  foot.stepping = false
  foot.progress = 0
}

function startStep(foot: FootState): void {
  foot.stepping = true
  foot.progress = 0
  foot.start.copy(foot.position)
  foot.startYaw = foot.yaw
}

function footError(legs: ProceduralLegs, foot: FootState, yaw: number): number {
  // Distance in units of the step threshold plus yaw in units of the yaw threshold.
  const p = legs.params
  const dx = foot.desired.x - foot.position.x
  const dz = foot.desired.z - foot.position.z
  return (
    Math.sqrt(dx * dx + dz * dz) / (p.stepThreshold * legs.scale) + Math.abs(wrapAngle(yaw - foot.yaw)) / p.yawThreshold
  )
}

function advanceStep(legs: ProceduralLegs, foot: FootState, yaw: number, dt: number): void {
  const p = legs.params
  foot.progress = Math.min(1, foot.progress + dt / Math.max(1e-3, p.stepDuration))
  const t = foot.progress
  const e = smoothstep(0, 1, t)
  foot.position.lerpVectors(foot.start, foot.desired, e)
  foot.position.y = foot.desired.y + p.stepHeight * legs.scale * Math.sin(Math.PI * t)
  foot.yaw = lerpAngle(foot.startYaw, yaw, e)
  if (t >= 1) {
    foot.stepping = false
    foot.position.copy(foot.desired)
    legs.stepCount++
    legs.follow = foot.side
  }
}

function solveKnee(legs: ProceduralLegs, foot: FootState, hipsPosition: Vector3, hipsRotation: Quaternion): void {
  const s = legs.scale
  const r = legs.rest
  foot.hip
    .copy(foot.side === 'left' ? r.leftHip : r.rightHip)
    .multiplyScalar(s)
    .applyQuaternion(hipsRotation)
    .add(hipsPosition)
  // Knee hint: in front of the leg, between the body's and the foot's forward, a little outward.
  sFwd.set(Math.sin(foot.yaw), 0, Math.cos(foot.yaw)).add(sV.set(0, 0, 1).applyQuaternion(sYawQ))
  if (sFwd.lengthSq() < 1e-8) sFwd.copy(sV) // foot turned fully against the body: trust the body
  sFwd.normalize()
  const out = foot.side === 'left' ? 1 : -1
  sV.set(out, 0, 0).applyQuaternion(sYawQ)
  const legLength = (r.thighLength + r.shinLength) * s
  foot.pole
    .addVectors(foot.hip, foot.position)
    .multiplyScalar(0.5)
    .addScaledVector(sFwd, legLength)
    .addScaledVector(sV, legLength * legs.params.kneeOut)
  solveTwoBonePositions(
    foot.hip,
    r.thighLength * s,
    r.shinLength * s,
    foot.position,
    foot.pole,
    foot.solve,
    legs.params.maxKneeFlexion,
  )
  foot.knee.copy(foot.solve.mid)
}

/**
 * Advances the legs by `dt` seconds given the hips pose from the spine solver (tracking space,
 * pose rotation) and the body yaw. Updates feet, knee poles and `balance` in place.
 */
export function updateProceduralLegs(
  legs: ProceduralLegs,
  hipsPosition: Vector3,
  hipsRotation: Quaternion,
  bodyYaw: number,
  dt: number,
): ProceduralLegs {
  const p = legs.params
  const s = legs.scale
  const L = legs.left
  const R = legs.right
  sYawQ.setFromAxisAngle(Y, bodyYaw)
  desiredFoot(legs, L, hipsPosition.x, hipsPosition.z)
  desiredFoot(legs, R, hipsPosition.x, hipsPosition.z)

  if (!legs.initialized) {
    plant(L, bodyYaw)
    plant(R, bodyYaw)
    legs.follow = null
    legs.initialized = true
  }

  // Balance point: the hips ground point the planted feet stand under (rest offset removed).
  const rl = legs.rest.leftFoot
  const rr = legs.rest.rightFoot
  sV.set(((rl.x + rr.x) / 2) * s, 0, ((rl.z + rr.z) / 2) * s).applyQuaternion(sYawQ)
  legs.support.set((L.position.x + R.position.x) / 2, 0, (L.position.z + R.position.z) / 2)
  legs.balance.set(legs.support.x - sV.x, 0, legs.support.z - sV.z)

  const ox = hipsPosition.x - legs.balance.x
  const oz = hipsPosition.z - legs.balance.z
  const offset = Math.sqrt(ox * ox + oz * oz)

  if (offset > p.snapDistance * s) {
    plant(L, bodyYaw)
    plant(R, bodyYaw)
    legs.follow = null
  } else if (L.stepping || R.stepping) {
    if (L.stepping) advanceStep(legs, L, bodyYaw, dt)
    if (R.stepping) advanceStep(legs, R, bodyYaw, dt)
  } else {
    const yawErr = Math.max(Math.abs(wrapAngle(bodyYaw - L.yaw)), Math.abs(wrapAngle(bodyYaw - R.yaw)))
    const errL = footError(legs, L, bodyYaw)
    const errR = footError(legs, R, bodyYaw)
    if (offset > p.stepThreshold * s || yawErr > p.yawThreshold) {
      startStep(errL >= errR ? L : R)
      legs.follow = null
    } else if (legs.follow) {
      // The partner of the foot that just landed squares the stance if it is still off.
      const partner = legs.follow === 'left' ? R : L
      if ((partner === L ? errL : errR) > p.followShare) startStep(partner)
      legs.follow = null
    }
    if (L.stepping) advanceStep(legs, L, bodyYaw, dt)
    if (R.stepping) advanceStep(legs, R, bodyYaw, dt)
  }

  L.rotation.setFromAxisAngle(Y, L.yaw)
  R.rotation.setFromAxisAngle(Y, R.yaw)
  solveKnee(legs, L, hipsPosition, hipsRotation)
  solveKnee(legs, R, hipsPosition, hipsRotation)

  const standing = legs.rest.hipsHeight * s
  legs.crouch = standing > 1e-6 ? clamp01((standing - hipsPosition.y) / (standing * 0.5)) : 0
  return legs
}
