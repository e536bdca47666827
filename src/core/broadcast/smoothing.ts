/**
 * Critically damped smoothing for broadcast cameras: the fastest approach to a moving target that
 * never overshoots (an overshooting camera reads as a wobble on screen). This is the exact solution
 * of x'' = −ω²x − 2ωx', so the result does not depend on the frame rate — a take re-rendered at
 * 30 fps frames the same shots as the live one at 72 fps.
 */

/** A mutable 3-vector (plain numbers, so the core needs no maths library). */
export interface Vec3 {
  x: number
  y: number
  z: number
}

/** Creates a vector. */
export function createVec3(x = 0, y = 0, z = 0): Vec3 {
  return { x, y, z }
}

/** Copies `from` into `to` and returns `to`. */
export function copyVec3(to: Vec3, from: Vec3): Vec3 {
  to.x = from.x
  to.y = from.y
  to.z = from.z
  return to
}

/** Smoothed value and its velocity for one axis; mutated in place. */
export interface DampedAxis {
  value: number
  velocity: number
}

/**
 * Advances one critically damped axis toward `target` by `dt` seconds. `smoothTime` is roughly the
 * time to cover most of the distance (ω = 2 / smoothTime, as in Unity's SmoothDamp); 0 snaps.
 */
export function updateDampedAxis(axis: DampedAxis, target: number, smoothTime: number, dt: number): void {
  if (!(smoothTime > 0)) {
    axis.value = target
    axis.velocity = 0
    return
  }
  if (!(dt > 0)) return
  const omega = 2 / smoothTime
  const change = axis.value - target
  const c2 = axis.velocity + omega * change
  const decay = Math.exp(-omega * dt)
  axis.value = target + (change + c2 * dt) * decay
  axis.velocity = (axis.velocity - omega * c2 * dt) * decay
}

/** A critically damped 3-vector: value and velocity per axis. */
export interface DampedVec3 {
  readonly x: DampedAxis
  readonly y: DampedAxis
  readonly z: DampedAxis
  /** False until the first update: the first target is taken as is (no swoop in from the origin). */
  primed: boolean
}

/** Creates an unprimed damped vector. */
export function createDampedVec3(): DampedVec3 {
  return { x: { value: 0, velocity: 0 }, y: { value: 0, velocity: 0 }, z: { value: 0, velocity: 0 }, primed: false }
}

/** Snaps a damped vector to `to` at rest. */
export function resetDampedVec3(v: DampedVec3, to: Vec3): void {
  v.x.value = to.x
  v.y.value = to.y
  v.z.value = to.z
  v.x.velocity = v.y.velocity = v.z.velocity = 0
  v.primed = true
}

/** Advances a damped vector toward `target` and writes the smoothed value into `out`. No allocation. */
export function updateDampedVec3(v: DampedVec3, target: Vec3, smoothTime: number, dt: number, out: Vec3): Vec3 {
  if (!v.primed) resetDampedVec3(v, target)
  updateDampedAxis(v.x, target.x, smoothTime, dt)
  updateDampedAxis(v.y, target.y, smoothTime, dt)
  updateDampedAxis(v.z, target.z, smoothTime, dt)
  out.x = v.x.value
  out.y = v.y.value
  out.z = v.z.value
  return out
}
