import { Vector3 } from 'three'
import type { Vec3Like } from './locomotion'

/**
 * Tiangong classroom (天宫课堂) demo: a ping-pong ball inside a floating water ball.
 *
 * On the ground a ping-pong ball in water shoots up: buoyancy (ρ_water·V·g) beats its weight
 * (m·g). In orbit everything is in free fall, so g is effectively zero, buoyancy vanishes and the
 * ball stays wherever it is put. This sim uses the same equations for both cases — only `gravity`
 * differs — so the demo can show the contrast. A nudge is slowed by water drag (Stokes plus form
 * drag, with the added mass of the water the ball pushes), and surface tension keeps the ball
 * inside the water ball. The water surface wobbles as the l = 2 (Rayleigh) mode of a drop: a damped
 * oscillator with ω² = 8σ/(ρR³).
 *
 * Positions are relative to the water ball's centre, metres, module axes (gravity acts along −Y
 * when enabled). Allocation-free per step.
 */

/** Options for {@link createWaterBall}. */
export interface WaterBallOptions {
  /** Water ball radius (m). Default 0.05 (a 10 cm ball). */
  radius?: number
  /** Ping-pong ball radius (m). Default 0.02. */
  ballRadius?: number
  /** Ping-pong ball mass (kg). Default 0.0027. */
  ballMass?: number
  /** Gravity (m/s², along −Y). Default 0: in orbit. Use 9.81 for the ground comparison. */
  gravity?: number
  /** Water density (kg/m³). Default 1000. */
  waterDensity?: number
  /** Dynamic viscosity (Pa·s). Default 1.0e-3. */
  viscosity?: number
  /** Surface tension (N/m). Default 0.072. */
  surfaceTension?: number
  /** Extra surface damping (1/s) beyond viscosity, so the wobble settles in seconds. Default 0.3. */
  wobbleDamping?: number
}

/** Water-ball state (mutated in place). */
export interface WaterBall {
  /** Resolved options. */
  readonly config: Readonly<Required<WaterBallOptions>>
  /** A water ball has been dispensed. */
  active: boolean
  /** The ping-pong ball is inside. */
  ballInside: boolean
  /** Ball centre relative to the water ball's centre (m). */
  readonly ballPosition: Vector3
  /** Ball velocity (m/s). */
  readonly ballVelocity: Vector3
  /** Where the ball was last placed (m). */
  readonly placedAt: Vector3
  /** Continuous time (s) the ball has been at rest (< 2 mm/s). */
  stillTimeS: number
  /** Surface deformation of the l = 2 mode (m) and its rate (m/s). */
  wobble: number
  wobbleVelocity: number
}

/** Speed below which the ball counts as "staying put" (m/s). */
export const BALL_STILL_SPEED = 0.002
const DRAG_COEFFICIENT = 0.47

/** Creates an (inactive) water-ball demo. */
export function createWaterBall(options: WaterBallOptions = {}): WaterBall {
  return {
    config: {
      radius: options.radius ?? 0.05,
      ballRadius: options.ballRadius ?? 0.02,
      ballMass: options.ballMass ?? 0.0027,
      gravity: options.gravity ?? 0,
      waterDensity: options.waterDensity ?? 1000,
      viscosity: options.viscosity ?? 1.0e-3,
      surfaceTension: options.surfaceTension ?? 0.072,
      wobbleDamping: options.wobbleDamping ?? 0.3,
    },
    active: false,
    ballInside: false,
    ballPosition: new Vector3(),
    ballVelocity: new Vector3(),
    placedAt: new Vector3(),
    stillTimeS: 0,
    wobble: 0,
    wobbleVelocity: 0,
  }
}

/** Dispenses the water ball (a small initial wobble from the release). */
export function dispenseWaterBall(wb: WaterBall): void {
  wb.active = true
  wb.wobble = 0
  wb.wobbleVelocity = 0.02
}

/** Largest distance of the ball centre from the water centre that keeps it fully wetted (m). */
function innerLimit(wb: WaterBall): number {
  return Math.max(0, wb.config.radius - wb.config.ballRadius)
}

/**
 * Puts the ball in at `offset` from the centre (clamped inside), at rest. Returns false if there
 * is no water ball yet.
 */
export function placeBall(wb: WaterBall, offset: Vec3Like = { x: 0, y: 0, z: 0 }): boolean {
  if (!wb.active) return false
  wb.ballPosition.set(offset.x, offset.y, offset.z)
  const lim = innerLimit(wb)
  if (wb.ballPosition.length() > lim) wb.ballPosition.setLength(lim)
  wb.ballVelocity.set(0, 0, 0)
  wb.placedAt.copy(wb.ballPosition)
  wb.ballInside = true
  wb.stillTimeS = 0
  // Pushing the ball through the surface sets the water wobbling a little.
  wb.wobbleVelocity += 0.01
  return true
}

/** Takes the ball out. */
export function removeBall(wb: WaterBall): void {
  wb.ballInside = false
  wb.ballVelocity.set(0, 0, 0)
  wb.stillTimeS = 0
}

/** A gentle nudge: adds `deltaV` (m/s) to the ball. */
export function nudgeBall(wb: WaterBall, deltaV: Vec3Like): void {
  if (!wb.ballInside) return
  wb.ballVelocity.x += deltaV.x
  wb.ballVelocity.y += deltaV.y
  wb.ballVelocity.z += deltaV.z
}

/** Pokes the water surface: adds `rate` (m/s) to the wobble. */
export function exciteWobble(wb: WaterBall, rate: number): void {
  if (wb.active) wb.wobbleVelocity += rate
}

/** Natural angular frequency (rad/s) of the l = 2 surface mode. */
export function wobbleAngularFrequency(wb: WaterBall): number {
  const { surfaceTension, waterDensity, radius } = wb.config
  return Math.sqrt((8 * surfaceTension) / (waterDensity * radius ** 3))
}

/** Decay rate (1/s) of the wobble amplitude: viscous 5ν/R² plus the extra damping. */
export function wobbleDecayRate(wb: WaterBall): number {
  const { viscosity, waterDensity, radius, wobbleDamping } = wb.config
  return (5 * viscosity) / waterDensity / (radius * radius) + wobbleDamping
}

/** Net acceleration (m/s², +Y) buoyancy minus weight gives the ball at rest in water. */
export function buoyantAcceleration(wb: WaterBall): number {
  const { ballRadius, ballMass, waterDensity, gravity } = wb.config
  const volume = (4 / 3) * Math.PI * ballRadius ** 3
  const addedMass = 0.5 * waterDensity * volume
  return ((waterDensity * volume - ballMass) * gravity) / (ballMass + addedMass)
}

/** Advances the demo by `dtSeconds` (allocation-free). */
export function updateWaterBall(wb: WaterBall, dtSeconds: number): void {
  if (!(dtSeconds > 0) || !wb.active) return
  const { ballRadius, ballMass, waterDensity, viscosity } = wb.config
  // Surface wobble: semi-implicit Euler of a'' = −ω²a − 2γa' (stable at frame-rate steps).
  const w = wobbleAngularFrequency(wb)
  const g = wobbleDecayRate(wb)
  wb.wobbleVelocity += (-w * w * wb.wobble - 2 * g * wb.wobbleVelocity) * dtSeconds
  wb.wobble += wb.wobbleVelocity * dtSeconds

  if (!wb.ballInside) return
  const volume = (4 / 3) * Math.PI * ballRadius ** 3
  const mEff = ballMass + 0.5 * waterDensity * volume
  const v = wb.ballVelocity
  v.y += buoyantAcceleration(wb) * dtSeconds
  // Drag, applied implicitly (divide instead of subtract) so it can never reverse the motion.
  const speed = v.length()
  const linear = 6 * Math.PI * viscosity * ballRadius
  const quadratic = 0.5 * waterDensity * DRAG_COEFFICIENT * Math.PI * ballRadius * ballRadius * speed
  v.multiplyScalar(1 / (1 + ((linear + quadratic) / mEff) * dtSeconds))
  wb.ballPosition.addScaledVector(v, dtSeconds)
  // Surface tension keeps the ball inside: stop the outward motion at the surface.
  const lim = innerLimit(wb)
  const r = wb.ballPosition.length()
  if (r > lim && r > 0) {
    wb.ballPosition.multiplyScalar(lim / r)
    const vn = v.dot(wb.ballPosition) / lim
    if (vn > 0) {
      v.addScaledVector(wb.ballPosition, -vn / lim)
      wb.wobbleVelocity += 0.2 * vn
    }
  }
  wb.stillTimeS = v.length() < BALL_STILL_SPEED ? wb.stillTimeS + dtSeconds : 0
}

/**
 * Scale factors for the water mesh from the wobble: stretched along Y, squeezed in X/Z, keeping
 * the volume roughly constant. Written to `out`.
 */
export function wobbleScale(wb: WaterBall, out: Vector3): Vector3 {
  const e = wb.wobble / wb.config.radius
  return out.set(1 - e / 2, 1 + e, 1 - e / 2)
}
