import { Vector3 } from 'three'
import { collideSphereWithHull, hullSignedDistance, type HullProfile } from './hull'
import { resetUpright, type FloatBody, type Vec3Like } from './locomotion'
import type { Fixture } from './module-layout'

/**
 * "Guide me there": an optional, comfortable glide to the fixture a procedure step needs, for
 * seated players and first-timers (hand over hand stays the main way to move). The glide steers
 * the float body's *velocity* — capped, eased in and out — and leaves position updates and hull
 * collision to `updateFloatBody`, so it can never push the head through a wall. Routes that would
 * clip a bulkhead go via the module axis, where every inner hatch is.
 *
 * All positions are of the head in module space. Allocation-free per step.
 */

/** Tunables for {@link createAutopilot}. */
export interface AutopilotOptions {
  /** Cruise speed (m/s). Default 0.8 (under the 1.5 m/s cap: the vignette stays light). */
  speed?: number
  /** Acceleration / deceleration (m/s²). Default 0.8. */
  accel?: number
  /** Turn rate toward the fixture (rad/s). Default 0.8. */
  turnRate?: number
  /** Distance from the fixture's face to stop at (m). Default 0.75: within arm's reach. */
  standoff?: number
  /** Clearance kept from the hull (m), beyond the body radius. Default 0.1. */
  clearance?: number
}

/** Autopilot state (mutated in place). */
export interface Autopilot {
  readonly config: Readonly<Required<AutopilotOptions>>
  /** True while gliding. */
  active: boolean
  /** Waypoints (head positions), up to three; `count` are in use. */
  readonly waypoints: readonly [Vector3, Vector3, Vector3]
  count: number
  /** Index of the waypoint being approached. */
  index: number
  /** Yaw to face at the end (rad), or NaN to keep the current yaw. */
  targetYaw: number
  /** Fixture id being approached ('' when idle). */
  fixture: string
}

/** Creates an idle autopilot. */
export function createAutopilot(options: AutopilotOptions = {}): Autopilot {
  return {
    config: {
      speed: options.speed ?? 0.8,
      accel: options.accel ?? 0.8,
      turnRate: options.turnRate ?? 0.8,
      standoff: options.standoff ?? 0.75,
      clearance: options.clearance ?? 0.1,
    },
    active: false,
    waypoints: [new Vector3(), new Vector3(), new Vector3()],
    count: 0,
    index: 0,
    targetYaw: Number.NaN,
    fixture: '',
  }
}

const tmp = new Vector3()
const tmpN = new Vector3()

// True if every sample on the segment keeps a sphere of `radius` inside the hull.
function segmentClear(hull: HullProfile, a: Vector3, b: Vector3, radius: number): boolean {
  const samples = Math.max(2, Math.ceil(a.distanceTo(b) / 0.1))
  for (let i = 0; i <= samples; i++) {
    tmp.lerpVectors(a, b, i / samples)
    if (hullSignedDistance(hull, tmp, tmpN) > -radius) return false
  }
  return true
}

/**
 * The head position to stop at in front of `fixture`: `standoff` along its normal, pulled in
 * toward the axis if that would be too close to the hull. Written to `out`.
 */
export function standoffPoint(hull: HullProfile, fixture: Fixture, standoff: number, keepOut: number, out: Vector3): Vector3 {
  const [px, py, pz] = fixture.position
  const [nx, ny, nz] = fixture.normal
  out.set(px + nx * standoff, py + ny * standoff, pz + nz * standoff)
  // Push the head sphere back inside along the wall normals (the same solve as body collision).
  collideSphereWithHull(hull, out, keepOut, null, 0, tmpN)
  return out
}

/**
 * Plans a glide for a head at `head` (module space) to `fixture`. Direct if the straight line is
 * clear of the hull; otherwise to the axis, along it, then out to the stopping point.
 */
export function planAutopilot(ap: Autopilot, hull: HullProfile, bodyRadius: number, head: Vec3Like, fixture: Fixture): void {
  standoffPoint(hull, fixture, ap.config.standoff, bodyRadius + ap.config.clearance, goal)
  const [px, py, pz] = fixture.position
  planAutopilotTo(ap, hull, bodyRadius, head, goal, lookAt.set(px, py, pz), fixture.id)
}

const goal = new Vector3()
const lookAt = new Vector3()

/**
 * Plans a glide of the head to `to` (module space; pushed inside the hull if needed), ending
 * turned toward `face` (or keeping the yaw if `face` is null or straight above/below). `id` names
 * the destination for diagnostics (a fixture id, or e.g. 'zone:small-column').
 */
export function planAutopilotTo(ap: Autopilot, hull: HullProfile, bodyRadius: number, head: Vec3Like, to: Vec3Like, face: Vec3Like | null, id: string): void {
  const keepOut = bodyRadius + ap.config.clearance
  const [w0, w1, w2] = ap.waypoints
  w2.set(to.x, to.y, to.z)
  collideSphereWithHull(hull, w2, keepOut, null, 0, tmpN)
  w0.set(head.x, head.y, head.z)
  if (segmentClear(hull, w0, w2, keepOut)) {
    w0.copy(w2)
    ap.count = 1
  } else {
    // Every inner hatch is on the axis: go to it, along it, then out to the goal.
    w0.set(0, 0, head.z)
    w1.set(0, 0, w2.z)
    ap.count = 3
  }
  ap.index = 0
  ap.active = true
  ap.fixture = id
  // Face the target horizontally; tracking −Z looks along (−sin ψ, 0, −cos ψ).
  const dx = face ? face.x - w2.x : 0
  const dz = face ? face.z - w2.z : 0
  ap.targetYaw = Math.hypot(dx, dz) > 0.2 ? Math.atan2(-dx, -dz) : Number.NaN
}

/** Stops the glide (the user grabbed a rail, thrust, or arrived). */
export function cancelAutopilot(ap: Autopilot, body?: FloatBody): void {
  ap.active = false
  ap.fixture = ''
  if (body) body.velocity.set(0, 0, 0)
}

function wrap(a: number): number {
  let r = a % (2 * Math.PI)
  if (r > Math.PI) r -= 2 * Math.PI
  else if (r <= -Math.PI) r += 2 * Math.PI
  return r
}

/**
 * Steers one step: sets the body's velocity toward the current waypoint (eased, capped) and turns
 * it toward the fixture about the head. `head` is the head in module space, `headTracking` the
 * head in tracking space (the turn pivot). Call before `updateFloatBody`. Returns true while active.
 */
export function updateAutopilot(ap: Autopilot, body: FloatBody, head: Vec3Like, headTracking: Vec3Like, dtSeconds: number): boolean {
  if (!ap.active || !(dtSeconds > 0)) return ap.active
  let target = ap.waypoints[ap.index]
  tmp.set(target.x - head.x, target.y - head.y, target.z - head.z)
  let dist = tmp.length()
  while (dist < 0.04 && ap.index < ap.count - 1) {
    ap.index++
    target = ap.waypoints[ap.index]
    tmp.set(target.x - head.x, target.y - head.y, target.z - head.z)
    dist = tmp.length()
  }
  // Remaining path length, for easing out at the end.
  let remaining = dist
  for (let i = ap.index; i < ap.count - 1; i++) remaining += ap.waypoints[i].distanceTo(ap.waypoints[i + 1])
  const { speed, accel, turnRate } = ap.config
  const turning = !Number.isNaN(ap.targetYaw) && Math.abs(wrap(ap.targetYaw - body.yaw)) > 0.01
  if (remaining < 0.04 && !turning) {
    cancelAutopilot(ap, body)
    return false
  }
  const want = Math.min(speed, Math.sqrt(2 * accel * Math.max(0, remaining - 0.02)), body.config.maxSpeed)
  const current = body.velocity.length()
  const v = Math.min(want, current + accel * dtSeconds)
  if (dist > 1e-6) body.velocity.copy(tmp).multiplyScalar(v / dist)
  else body.velocity.set(0, 0, 0)
  if (turning) {
    const d = wrap(ap.targetYaw - body.yaw)
    const stepMax = turnRate * dtSeconds
    resetUpright(body, body.yaw + (d > stepMax ? stepMax : d < -stepMax ? -stepMax : d), headTracking)
  }
  return true
}
