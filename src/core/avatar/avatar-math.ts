/**
 * Small scalar helpers shared by the avatar solvers. Pure functions on numbers only, so every
 * per-frame caller stays allocation-free.
 */

/** Clamps `v` into [min, max]. */
export function clamp(v: number, min: number, max: number): number {
  return v < min ? min : v > max ? max : v
}

/** Clamps `v` into [0, 1]. */
export function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v
}

/** Hermite ease between edges `e0` and `e1` (edges may be reversed for a falling curve). */
export function smoothstep(e0: number, e1: number, x: number): number {
  const t = clamp01((x - e0) / (e1 - e0))
  return t * t * (3 - 2 * t)
}

/** Wraps an angle into (-π, π]. */
export function wrapAngle(a: number): number {
  const twoPi = Math.PI * 2
  let r = a % twoPi
  if (r <= -Math.PI) r += twoPi
  else if (r > Math.PI) r -= twoPi
  return r
}

/** Interpolates between two angles along the shorter arc. */
export function lerpAngle(a: number, b: number, t: number): number {
  return wrapAngle(a + wrapAngle(b - a) * t)
}

/**
 * Fraction to move toward a target this frame for an exponential follow at `rate` per second.
 * Frame-rate independent: two 8 ms steps equal one 16 ms step.
 */
export function followFactor(rate: number, dt: number): number {
  return rate <= 0 || dt <= 0 ? 0 : 1 - Math.exp(-rate * dt)
}

/** Degrees to radians. */
export function degToRad(deg: number): number {
  return (deg * Math.PI) / 180
}
