import { Vector3 } from 'three'
import { profileRadiusAt, type HullProfile } from '../tianhe/hull'

/**
 * Where Xiaoguan floats beside the visitor in the Tianhe module, and when it moves. It rests off to
 * the side of the view (right, a little below eye level, arm's length ahead), so it is seen but
 * never stands in the line of sight; it stays put while the visitor looks around a little, and only
 * glides to a new resting spot when it got too close, too far, into the middle of the view, out of
 * sight or too near the wall. The glide is critically damped (no overshoot) and the spot is always
 * kept inside the pressure hull with a margin. Plain math on three's vectors; no allocation per call.
 */

/** Tuning of the float (metres, radians, seconds). */
export interface GuideFloatConfig {
  /** Resting spot relative to the head, in the head's yaw frame: to the right, up, ahead. */
  readonly right: number
  readonly up: number
  readonly ahead: number
  /** Closer than this to the head: too close (personal space). */
  readonly minDistance: number
  /** Farther than this: left behind. */
  readonly maxDistance: number
  /** Less than this angle from the view direction: it blocks the view. */
  readonly blockAngle: number
  /** More than this angle from the view direction: out of sight. */
  readonly lostAngle: number
  /** Smallest distance kept from the hull wall (the model is about 0.3 m tall here). */
  readonly wallMargin: number
  /** Smoothing time of the glide (critically damped spring). */
  readonly smoothTimeS: number
  /** A glide ends within this distance of its spot, slower than `settleSpeed`. */
  readonly arriveDistance: number
  readonly settleSpeed: number
  /** Microgravity bob: amplitude (m) and period (s). */
  readonly bobAmplitude: number
  readonly bobPeriodS: number
}

/** The defaults: about 0.77 m away, 30° to the right of the view and a little below the eyes. */
export const DEFAULT_GUIDE_FLOAT: GuideFloatConfig = {
  right: 0.38,
  up: -0.15,
  ahead: 0.65,
  minDistance: 0.4,
  maxDistance: 1.4,
  blockAngle: 0.35,
  lostAngle: 1.35,
  wallMargin: 0.25,
  smoothTimeS: 0.6,
  arriveDistance: 0.03,
  settleSpeed: 0.05,
  bobAmplitude: 0.025,
  bobPeriodS: 4.5,
}

/** Why the guide is gliding (or 'settled' when it is not). */
export type GuideMoveReason = 'settled' | 'too-close' | 'too-far' | 'blocking' | 'out-of-sight' | 'near-wall'

/** The float's state, mutated in place by {@link updateGuideFloat}. */
export interface GuideFloat {
  /** Where the guide is (module space), without the bob. */
  readonly position: Vector3
  readonly velocity: Vector3
  /** The resting spot it glides to. */
  readonly target: Vector3
  moving: boolean
  /** What started the current glide (or the last check's verdict when settled). */
  reason: GuideMoveReason
  /** Glides started since creation. */
  moves: number
  /** Time floated (s), for the bob. */
  timeS: number
  /** False until the first update has put it at its resting spot. */
  placed: boolean
}

/** A guide that will appear at its resting spot on the first update. */
export function createGuideFloat(): GuideFloat {
  return { position: new Vector3(), velocity: new Vector3(), target: new Vector3(), moving: false, reason: 'settled', moves: 0, timeS: 0, placed: false }
}

const flat = new Vector3()
const side = new Vector3()
const rel = new Vector3()

/** Largest radius at `z` within ±`margin` (bulkhead steps narrow the hull on one side of them). */
function freeRadius(hull: HullProfile, z: number, margin: number): number {
  return Math.min(profileRadiusAt(hull, z - margin), profileRadiusAt(hull, z), profileRadiusAt(hull, z + margin)) - margin
}

/**
 * Moves `p` (in place) inside the hull with `margin` to the wall and the end caps: along the axis
 * into [zMin + margin, zMax − margin], then radially toward the axis. Returns true if it moved it.
 */
export function clampInsideHull(hull: HullProfile, p: Vector3, margin: number): boolean {
  let moved = false
  const z = Math.min(hull.zMax - margin, Math.max(hull.zMin + margin, p.z))
  if (z !== p.z) {
    p.z = z
    moved = true
  }
  const rho = Math.hypot(p.x, p.y)
  const maxR = Math.max(0, freeRadius(hull, p.z, margin))
  if (rho > maxR) {
    const k = rho > 1e-9 ? maxR / rho : 0
    p.x *= k
    p.y *= k
    moved = true
  }
  return moved
}

/**
 * The resting spot for a head at `head` looking along `forward` (unit, module space; module +y is
 * up): right of and a little below the line of sight, kept inside the hull. Written into `out`.
 */
export function restingSpot(head: Vector3, forward: Vector3, hull: HullProfile, config: GuideFloatConfig, out: Vector3): Vector3 {
  // The yaw frame: looking up or down does not swing the guide over the head or under the feet.
  flat.set(forward.x, 0, forward.z)
  if (flat.lengthSq() < 1e-6) flat.set(0, 0, -1)
  flat.normalize()
  side.set(-flat.z, 0, flat.x)
  out.copy(head).addScaledVector(side, config.right).addScaledVector(flat, config.ahead)
  out.y += config.up
  clampInsideHull(hull, out, config.wallMargin)
  return out
}

/** Whether the guide at `position` is fine where it is for this head, and if not, why. */
export function assessGuideSpot(position: Vector3, head: Vector3, forward: Vector3, hull: HullProfile, config: GuideFloatConfig): GuideMoveReason {
  rel.copy(position).sub(head)
  const d = rel.length()
  if (d < config.minDistance) return 'too-close'
  if (d > config.maxDistance) return 'too-far'
  const angle = Math.acos(Math.max(-1, Math.min(1, rel.dot(forward) / d)))
  if (angle < config.blockAngle) return 'blocking'
  if (angle > config.lostAngle) return 'out-of-sight'
  // Half the margin of slack, so a spot clamped exactly onto the margin does not keep re-triggering.
  if (Math.hypot(position.x, position.y) > freeRadius(hull, position.z, config.wallMargin) + config.wallMargin * 0.5) return 'near-wall'
  return 'settled'
}

/** Critically damped step of one coordinate toward `target` (Game Programming Gems 4, 1.10). */
function smoothAxis(current: number, target: number, velocity: Vector3, axis: 'x' | 'y' | 'z', smoothTimeS: number, dtS: number): number {
  const omega = 2 / smoothTimeS
  const x = omega * dtS
  const decay = 1 / (1 + x + 0.48 * x * x + 0.235 * x * x * x)
  const change = current - target
  const temp = (velocity[axis] + omega * change) * dtS
  velocity[axis] = (velocity[axis] - omega * temp) * decay
  return target + (change + temp) * decay
}

/**
 * Advances the float by `dtS`: first call puts the guide at its spot; afterwards it checks whether
 * the spot is still comfortable and, if not, glides (following the head while it glides) until it
 * has settled at the new spot. The guide never leaves the hull.
 */
export function updateGuideFloat(state: GuideFloat, head: Vector3, forward: Vector3, hull: HullProfile, dtS: number, config: GuideFloatConfig = DEFAULT_GUIDE_FLOAT): void {
  state.timeS += dtS
  if (!state.placed) {
    restingSpot(head, forward, hull, config, state.position)
    state.target.copy(state.position)
    state.velocity.set(0, 0, 0)
    state.placed = true
    state.reason = 'settled'
    return
  }
  if (!state.moving) {
    const reason = assessGuideSpot(state.position, head, forward, hull, config)
    state.reason = reason
    if (reason !== 'settled') {
      state.moving = true
      state.moves++
    }
  }
  if (state.moving && dtS > 0) {
    restingSpot(head, forward, hull, config, state.target)
    const p = state.position
    p.x = smoothAxis(p.x, state.target.x, state.velocity, 'x', config.smoothTimeS, dtS)
    p.y = smoothAxis(p.y, state.target.y, state.velocity, 'y', config.smoothTimeS, dtS)
    p.z = smoothAxis(p.z, state.target.z, state.velocity, 'z', config.smoothTimeS, dtS)
    if (p.distanceTo(state.target) < config.arriveDistance && state.velocity.length() < config.settleSpeed) {
      state.moving = false
      state.reason = 'settled'
    }
  }
  clampInsideHull(hull, state.position, config.wallMargin)
}

/** The microgravity bob (m, added to the height) at float time `timeS`. */
export function guideBob(timeS: number, config: GuideFloatConfig = DEFAULT_GUIDE_FLOAT): number {
  return config.bobAmplitude * Math.sin((timeS / config.bobPeriodS) * Math.PI * 2)
}

/** Heading (rotation about +y) that turns a model facing +z at `from` toward `to`. */
export function headingToward(from: Vector3, to: Vector3): number {
  return Math.atan2(to.x - from.x, to.z - from.z)
}

/**
 * Turns `current` toward `target` (radians) by at most `maxStep`, the short way round; returns the
 * new heading in (−π, π].
 */
export function turnToward(current: number, target: number, maxStep: number): number {
  let d = target - current
  while (d > Math.PI) d -= Math.PI * 2
  while (d <= -Math.PI) d += Math.PI * 2
  let next = current + Math.max(-maxStep, Math.min(maxStep, d))
  while (next > Math.PI) next -= Math.PI * 2
  while (next <= -Math.PI) next += Math.PI * 2
  return next
}

/**
 * Distance along a ray (unit `dir`) from `origin` to the first point of a sphere, or −1 if the ray
 * misses it (a ray starting inside the sphere hits at 0). Xiaoguan's pick volume is a sphere: one
 * cheap test instead of a raycast against its meshes.
 */
export function raySphere(origin: Vector3, dir: Vector3, center: Vector3, radius: number): number {
  rel.copy(center).sub(origin)
  const along = rel.dot(dir)
  const d2 = rel.lengthSq() - along * along
  const r2 = radius * radius
  if (rel.lengthSq() <= r2) return 0
  if (along < 0 || d2 > r2) return -1
  return along - Math.sqrt(r2 - d2)
}
