import { Quaternion, Vector3 } from 'three'
import { collideSphereWithHull, hullSignedDistance, type HullProfile } from './hull'
import { findNearestHandrail, type Handrail } from './module-layout'

/**
 * Hand-over-hand microgravity locomotion.
 *
 * The float body is the player rig: `position` is the origin of the tracking space in module
 * space and `yaw` its rotation about +Y (positive = counter-clockwise seen from +Y, i.e. turning
 * left). A point p in tracking space is at `position + R(yaw)·p` in module space. Use a `local`
 * reference space (origin at the head when the session starts) so the collision sphere around the
 * rig origin surrounds the head, or pass the head position each frame.
 *
 * While a hand grips a rail the rig moves exactly opposite to that hand's motion in tracking space
 * (the hand stays put on the rail, the world does not slide under it) — the comfortable Mission:ISS
 * / Lone Echo model. Velocity during a grip is the average over the last few frames, so letting go
 * leaves you drifting with the momentum of your last pull; then gentle drag slows you.
 *
 * Everything here is deterministic for a given input sequence and allocation-free per frame.
 */

/** Which hand. */
export type HandSide = 'left' | 'right'

/** Anything with x, y, z (a three.js Vector3, or a plain object filled from a typed array). */
export interface Vec3Like {
  x: number
  y: number
  z: number
}

/** One hand's input this frame. */
export interface HandInput {
  /** Grip button (or pinch) held. */
  gripping: boolean
  /** Hand (grip pose) position in tracking space (m). */
  position: Vec3Like
}

/** Per-frame tracking input for {@link updateFloatBody}. */
export interface TrackingInput {
  left: HandInput
  right: HandInput
  /** Head position in tracking space; if given, collision and turns are centred on it. */
  head?: Vec3Like
}

/** Tunables for {@link createFloatBody}; all optional. */
export interface FloatBodyOptions {
  /** Speed cap (m/s) for drifting, thrust and release momentum. Default 1.5. */
  maxSpeed?: number
  /** Exponential linear drag (1/s): v ← v·e^(−k·dt). Default 0.35 (a gentle fade, not physics). */
  linearDrag?: number
  /** Exponential angular drag (1/s). Default 1.2: spins stop sooner than drifts, for comfort. */
  angularDrag?: number
  /** Yaw-rate cap (rad/s). Default 1.5. */
  maxAngularSpeed?: number
  /** Collision sphere radius (m). Default 0.25. */
  radius?: number
  /** Hand contact radius (m) for pushing off walls. Default 0.05. */
  handRadius?: number
  /** Fraction of normal speed kept (reflected) when hitting the hull. Default 0.1. */
  restitution?: number
  /** Acceleration (m/s²) from full keyboard/stick thrust. Default 1.0. */
  thrustAccel?: number
  /** Frames averaged for the release velocity. Default 5. */
  velocityWindow?: number
  /** Let an open hand pushing into the hull push the body away. Default true. */
  pushOff?: boolean
}

/** Per-hand state kept by the body. */
export interface HandState {
  /** True between {@link grab} and {@link release} (or the grip ending). */
  anchored: boolean
  /** Module-space point where the hand grabbed (for a grip marker). */
  readonly anchorWorld: Vector3
  /** Hand position in module space after the last update. */
  readonly world: Vector3
  /** True if the hand touched the hull in the last update (open hand, push-off). */
  touching: boolean
  /** Last tracking-space position (internal; for per-frame deltas). */
  readonly last: Vector3
  /** Whether `last` holds a sample yet. */
  hasLast: boolean
}

/** The float body (player rig) state. Mutated in place by the update functions. */
export interface FloatBody {
  /** Resolved options. */
  readonly config: Readonly<Required<FloatBodyOptions>>
  /** Rig origin in module space (m). */
  readonly position: Vector3
  /** Linear velocity (m/s), module space. */
  readonly velocity: Vector3
  /** Rig rotation about +Y (rad). */
  yaw: number
  /** Yaw rate (rad/s). */
  angularVelocity: number
  /** `yaw` as a quaternion, for the scene's rig object. */
  readonly orientation: Quaternion
  /** Hand states. */
  readonly hands: { readonly left: HandState; readonly right: HandState }
  /** True if the body touched the hull in the last update. */
  contact: boolean
  /** Ring buffer of recent rig moves while gripping: dx, dy, dz, dyaw, dt per frame. */
  readonly history: Float64Array
  /** Entries used in {@link FloatBody.history}. */
  historyCount: number
  /** Next write index in {@link FloatBody.history}. */
  historyHead: number
}

const HISTORY_STRIDE = 5
/** Fastest believable hand speed (m/s) relative to the body; faster is a tracking jump. */
export const MAX_HAND_SPEED = 6
const Y_AXIS = new Vector3(0, 1, 0)

/** Creates a float body at `position` (module space) facing `yaw`. */
export function createFloatBody(options: FloatBodyOptions = {}, position?: Vec3Like, yaw = 0): FloatBody {
  const config: Required<FloatBodyOptions> = {
    maxSpeed: options.maxSpeed ?? 1.5,
    linearDrag: options.linearDrag ?? 0.35,
    angularDrag: options.angularDrag ?? 1.2,
    maxAngularSpeed: options.maxAngularSpeed ?? 1.5,
    radius: options.radius ?? 0.25,
    handRadius: options.handRadius ?? 0.05,
    restitution: options.restitution ?? 0.1,
    thrustAccel: options.thrustAccel ?? 1.0,
    velocityWindow: Math.max(1, Math.round(options.velocityWindow ?? 5)),
    pushOff: options.pushOff ?? true,
  }
  const hand = (): HandState => ({ anchored: false, anchorWorld: new Vector3(), world: new Vector3(), touching: false, last: new Vector3(), hasLast: false })
  const body: FloatBody = {
    config,
    position: new Vector3(position?.x ?? 0, position?.y ?? 0, position?.z ?? 0),
    velocity: new Vector3(),
    yaw,
    angularVelocity: 0,
    orientation: new Quaternion(),
    hands: { left: hand(), right: hand() },
    contact: false,
    history: new Float64Array(config.velocityWindow * HISTORY_STRIDE),
    historyCount: 0,
    historyHead: 0,
  }
  body.orientation.setFromAxisAngle(Y_AXIS, yaw)
  return body
}

// Module-level scratch: update functions run one at a time, so sharing is safe and avoids garbage.
const tmpA = new Vector3()
const tmpB = new Vector3()
const tmpC = new Vector3()
const tmpD = new Vector3()
const tmpN = new Vector3()
const prevPos = new Vector3()

/** Rotates a tracking-space vector by yaw into module space (about +Y, three.js convention). */
function rotateYaw(v: Vec3Like, yaw: number, out: Vector3): Vector3 {
  const c = Math.cos(yaw)
  const s = Math.sin(yaw)
  return out.set(v.x * c + v.z * s, v.y, -v.x * s + v.z * c)
}

/** Angle of a tracking-space vector in the horizontal plane, so that rotating by ψ adds ψ. */
function planarAngle(x: number, z: number): number {
  return Math.atan2(-z, x)
}

function wrapAngle(a: number): number {
  let r = a % (2 * Math.PI)
  if (r > Math.PI) r -= 2 * Math.PI
  else if (r <= -Math.PI) r += 2 * Math.PI
  return r
}

function anyAnchored(body: FloatBody): boolean {
  return body.hands.left.anchored || body.hands.right.anchored
}

function clearHistory(body: FloatBody): void {
  body.historyCount = 0
  body.historyHead = 0
}

function pushHistory(body: FloatBody, dx: number, dy: number, dz: number, dyaw: number, dt: number): void {
  const i = body.historyHead * HISTORY_STRIDE
  const h = body.history
  h[i] = dx
  h[i + 1] = dy
  h[i + 2] = dz
  h[i + 3] = dyaw
  h[i + 4] = dt
  body.historyHead = (body.historyHead + 1) % body.config.velocityWindow
  if (body.historyCount < body.config.velocityWindow) body.historyCount++
}

// Average velocity over the window (Σ displacement / Σ time): smooths hand-tracking jitter.
function estimateFromHistory(body: FloatBody): void {
  let dx = 0
  let dy = 0
  let dz = 0
  let dyaw = 0
  let t = 0
  const h = body.history
  for (let k = 0; k < body.historyCount; k++) {
    const i = k * HISTORY_STRIDE
    dx += h[i]
    dy += h[i + 1]
    dz += h[i + 2]
    dyaw += h[i + 3]
    t += h[i + 4]
  }
  if (t > 0) {
    body.velocity.set(dx / t, dy / t, dz / t)
    body.angularVelocity = dyaw / t
  } else {
    body.velocity.set(0, 0, 0)
    body.angularVelocity = 0
  }
  capSpeeds(body)
}

function capSpeeds(body: FloatBody): void {
  const { maxSpeed, maxAngularSpeed } = body.config
  const s = body.velocity.length()
  if (s > maxSpeed) body.velocity.multiplyScalar(maxSpeed / s)
  if (body.angularVelocity > maxAngularSpeed) body.angularVelocity = maxAngularSpeed
  else if (body.angularVelocity < -maxAngularSpeed) body.angularVelocity = -maxAngularSpeed
}

/** Sets yaw, keeping the module-space position of tracking-space `pivot` (or the origin) fixed. */
function setYawAbout(body: FloatBody, newYaw: number, pivot: Vec3Like | undefined): void {
  if (pivot) {
    // World pivot before the turn, then solve position so the pivot stays where it was.
    rotateYaw(pivot, body.yaw, tmpC).add(body.position)
    rotateYaw(pivot, newYaw, tmpD)
    body.position.copy(tmpC).sub(tmpD)
  }
  body.yaw = wrapAngle(newYaw)
  body.orientation.setFromAxisAngle(Y_AXIS, body.yaw)
}

/**
 * Starts a grip: `hand` now holds a rail at module-space `handPosWorld`. The body stops drifting
 * (you caught a rail) and from the next update follows the hand one-to-one.
 */
export function grab(body: FloatBody, hand: HandSide, handPosWorld: Vec3Like): void {
  const h = body.hands[hand]
  if (h.anchored) return
  if (!anyAnchored(body)) {
    clearHistory(body)
    body.velocity.set(0, 0, 0)
    body.angularVelocity = 0
  }
  h.anchored = true
  h.anchorWorld.set(handPosWorld.x, handPosWorld.y, handPosWorld.z)
  // Re-base the hand's last tracking sample on the grab point, so motion before the grab is not
  // replayed: tracking = R(−yaw)·(world − position).
  tmpD.copy(h.anchorWorld).sub(body.position)
  rotateYaw(tmpD, -body.yaw, h.last)
  h.hasLast = true
}

/**
 * Ends a grip. When the last gripping hand lets go, the body keeps the smoothed velocity of the
 * last few frames (capped), so a pull-and-release throws you along the module.
 */
export function release(body: FloatBody, hand: HandSide): void {
  const h = body.hands[hand]
  if (!h.anchored) return
  h.anchored = false
  if (!anyAnchored(body)) {
    estimateFromHistory(body)
    clearHistory(body)
  }
}

/**
 * Grabs the nearest handrail within `reach` (m) of the hand's module-space position; returns true
 * on success. Convenience for the scene when the grip button goes down.
 */
export function tryGrab(body: FloatBody, hand: HandSide, handPosWorld: Vector3, rails: readonly Handrail[], reach = 0.12): boolean {
  if (findNearestHandrail(rails, handPosWorld, reach, tmpA) < 0) return false
  grab(body, hand, handPosWorld)
  return true
}

/**
 * Advances the body by `dtSeconds` (use a fixed step for replays). Order: grips ending release
 * the body; gripping hands move the rig (one hand: translation; two hands: translation of their
 * midpoint and yaw from the change of the vector between them); otherwise drift with drag; open
 * hands pushing into the hull push the body off; finally the body sphere is kept inside the hull.
 */
export function updateFloatBody(body: FloatBody, dtSeconds: number, input: TrackingInput, hull: HullProfile): void {
  if (!(dtSeconds > 0)) return
  const { left, right } = body.hands
  if (left.anchored && !input.left.gripping) release(body, 'left')
  if (right.anchored && !input.right.gripping) release(body, 'right')

  prevPos.copy(body.position)
  const prevYaw = body.yaw
  const gripping = left.anchored || right.anchored

  if (left.anchored && right.anchored) {
    twoHandStep(body, input)
  } else if (gripping) {
    const side = left.anchored ? left : right
    const p = left.anchored ? input.left.position : input.right.position
    if (side.hasLast) {
      // One-to-one: the rig moves opposite to the hand's tracking-space motion.
      tmpA.set(p.x - side.last.x, p.y - side.last.y, p.z - side.last.z)
      rotateYaw(tmpA, body.yaw, tmpB)
      body.position.sub(tmpB)
    }
  } else {
    freeStep(body, dtSeconds, input.head)
  }

  if (body.config.pushOff && !gripping) {
    pushOff(body, 'left', input.left, dtSeconds, hull)
    pushOff(body, 'right', input.right, dtSeconds, hull)
  }

  // Collide the body sphere, centred on the head if known, and carry the correction to the rig.
  if (input.head) rotateYaw(input.head, body.yaw, tmpA).add(body.position)
  else tmpA.copy(body.position)
  tmpB.copy(tmpA)
  const contact = collideSphereWithHull(hull, tmpA, body.config.radius, gripping ? null : body.velocity, body.config.restitution, tmpN)
  body.contact = contact.hit
  if (contact.hit) body.position.add(tmpA.sub(tmpB))

  if (gripping) {
    // Velocity while gripping is what the rig actually did (after collisions), smoothed.
    pushHistory(body, body.position.x - prevPos.x, body.position.y - prevPos.y, body.position.z - prevPos.z, wrapAngle(body.yaw - prevYaw), dtSeconds)
    estimateFromHistory(body)
  }

  storeHand(body, left, input.left.position)
  storeHand(body, right, input.right.position)
}

function storeHand(body: FloatBody, h: HandState, p: Vec3Like): void {
  h.last.set(p.x, p.y, p.z)
  h.hasLast = true
  rotateYaw(p, body.yaw, h.world).add(body.position)
}

function twoHandStep(body: FloatBody, input: TrackingInput): void {
  const { left, right } = body.hands
  if (!left.hasLast || !right.hasLast) return
  const l = input.left.position
  const r = input.right.position
  // Yaw: keep the module-space direction between the hands constant.
  const oldX = right.last.x - left.last.x
  const oldZ = right.last.z - left.last.z
  const newX = r.x - l.x
  const newZ = r.z - l.z
  let dYaw = 0
  // Below ~10 cm apart the direction is too noisy to steer by.
  if (oldX * oldX + oldZ * oldZ > 0.01 && newX * newX + newZ * newZ > 0.01) {
    dYaw = -wrapAngle(planarAngle(newX, newZ) - planarAngle(oldX, oldZ))
  }
  // Translation: keep the module-space midpoint of the hands fixed while rotating about it.
  tmpA.set((left.last.x + right.last.x) / 2, (left.last.y + right.last.y) / 2, (left.last.z + right.last.z) / 2)
  rotateYaw(tmpA, body.yaw, tmpB).add(body.position) // midpoint in module space
  const newYaw = body.yaw + dYaw
  tmpA.set((l.x + r.x) / 2, (l.y + r.y) / 2, (l.z + r.z) / 2)
  rotateYaw(tmpA, newYaw, tmpC)
  body.position.copy(tmpB).sub(tmpC)
  body.yaw = wrapAngle(newYaw)
  body.orientation.setFromAxisAngle(Y_AXIS, body.yaw)
}

function freeStep(body: FloatBody, dt: number, head: Vec3Like | undefined): void {
  const { linearDrag, angularDrag } = body.config
  // Exact exponential decay, so the fade rate does not depend on the frame rate.
  body.velocity.multiplyScalar(Math.exp(-linearDrag * dt))
  body.angularVelocity *= Math.exp(-angularDrag * dt)
  capSpeeds(body)
  body.position.addScaledVector(body.velocity, dt)
  if (body.angularVelocity !== 0) setYawAbout(body, body.yaw + body.angularVelocity * dt, head)
}

// An open hand in contact with the hull cannot move into it, so the body moves instead.
function pushOff(body: FloatBody, side: HandSide, hand: HandInput, dt: number, hull: HullProfile): void {
  const h = body.hands[side]
  h.touching = false
  if (h.anchored) return
  rotateYaw(hand.position, body.yaw, tmpA).add(body.position)
  const sd = hullSignedDistance(hull, tmpA, tmpN)
  const depth = sd + body.config.handRadius
  if (depth <= 0) return
  h.touching = true
  // Hand velocity relative to the rig, in module space. A hand "moving" faster than any arm can
  // is a tracking jump (lost and re-found, or the input source changed): it pushes nothing.
  if (h.hasLast) {
    tmpB.set(hand.position.x - h.last.x, hand.position.y - h.last.y, hand.position.z - h.last.z)
    rotateYaw(tmpB, body.yaw, tmpC).multiplyScalar(1 / dt)
    if (tmpC.lengthSq() > MAX_HAND_SPEED * MAX_HAND_SPEED) tmpC.set(0, 0, 0)
  } else {
    tmpC.set(0, 0, 0)
  }
  // Constraint: (v_body + v_hand_rel)·n ≤ 0.
  const vn = body.velocity.dot(tmpN) + tmpC.dot(tmpN)
  if (vn > 0) body.velocity.addScaledVector(tmpN, -vn)
  body.position.addScaledVector(tmpN, -depth)
  capSpeeds(body)
}

/**
 * Desktop / thumbstick thrust: accelerates along `dir` (module space; its length is clamped to 1)
 * at the configured acceleration, within the speed cap. Ignored while gripping a rail.
 */
export function applyThrust(body: FloatBody, dir: Vec3Like, dtSeconds: number): void {
  if (anyAnchored(body) || !(dtSeconds > 0)) return
  const len = Math.hypot(dir.x, dir.y, dir.z)
  if (len < 1e-9) return
  const k = (body.config.thrustAccel * dtSeconds) / Math.max(1, len)
  body.velocity.x += dir.x * k
  body.velocity.y += dir.y * k
  body.velocity.z += dir.z * k
  capSpeeds(body)
}

/**
 * Snap turn by `angleRad` (default 30°). `direction` +1 turns right (like pushing the thumbstick
 * right), −1 left. `pivot` is the head in tracking space, so the view turns in place.
 */
export function snapTurn(body: FloatBody, direction: 1 | -1, angleRad = Math.PI / 6, pivot?: Vec3Like): void {
  setYawAbout(body, body.yaw - direction * angleRad, pivot)
}

/** Smooth turn: `axis` in [−1, 1] (+ = right) at `rateRadPerS` (default 60°/s) for `dtSeconds`. */
export function smoothTurn(body: FloatBody, axis: number, dtSeconds: number, rateRadPerS = Math.PI / 3, pivot?: Vec3Like): void {
  const a = axis > 1 ? 1 : axis < -1 ? -1 : axis
  if (a === 0 || !(dtSeconds > 0)) return
  setYawAbout(body, body.yaw - a * rateRadPerS * dtSeconds, pivot)
}

/**
 * "Upright" reset: face along the module (yaw = `yaw`, default 0 = tracking −Z looks aft, down
 * the module) and stop spinning. Position and drift are kept (a reset must not teleport).
 */
export function resetUpright(body: FloatBody, yaw = 0, pivot?: Vec3Like): void {
  body.angularVelocity = 0
  setYawAbout(body, yaw, pivot)
}

/** Stops all motion (e.g. a "brake" button or when a menu opens). */
export function stopBody(body: FloatBody): void {
  body.velocity.set(0, 0, 0)
  body.angularVelocity = 0
}

/** Comfort-vignette thresholds for {@link vignetteStrength}. */
export interface VignetteOptions {
  /** Speed (m/s) where the vignette starts / reaches full strength. */
  speedStart: number
  speedFull: number
  /** Yaw rate (rad/s) where it starts / reaches full strength. */
  angularStart: number
  angularFull: number
}

/** Default vignette thresholds: a slow drift shows nothing, the speed cap shows the full vignette. */
export const DEFAULT_VIGNETTE: Readonly<VignetteOptions> = { speedStart: 0.15, speedFull: 1.5, angularStart: 0.25, angularFull: 1.5 }

function smoothstep(a: number, b: number, x: number): number {
  const t = x <= a ? 0 : x >= b ? 1 : (x - a) / (b - a)
  return t * t * (3 - 2 * t)
}

/** Comfort vignette strength in [0, 1] from linear speed (m/s) and yaw rate (rad/s). */
export function vignetteStrength(speed: number, angularSpeed: number, options: Readonly<VignetteOptions> = DEFAULT_VIGNETTE): number {
  const s = smoothstep(options.speedStart, options.speedFull, Math.abs(speed))
  const a = smoothstep(options.angularStart, options.angularFull, Math.abs(angularSpeed))
  return s > a ? s : a
}

/** Comfort settings the UI exposes; the scene applies them with the helpers above. */
export interface ComfortSettings {
  /** Show the motion vignette. */
  vignette: boolean
  /** Thumbstick turning style. */
  turn: 'snap' | 'smooth'
  /** Snap angle (degrees). */
  snapDegrees: number
  /** Smooth-turn rate (degrees per second). */
  smoothDegreesPerSecond: number
  /** Seated play: the scene raises the tracking origin so a seated head sits at standing height. */
  seated: boolean
  /** Speed cap (m/s) passed to {@link createFloatBody}. */
  maxSpeed: number
}

/** Defaults: comfortable for first-time users. */
export const DEFAULT_COMFORT: Readonly<ComfortSettings> = { vignette: true, turn: 'snap', snapDegrees: 30, smoothDegreesPerSecond: 60, seated: false, maxSpeed: 1.5 }
