import { Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import {
  buoyantAcceleration,
  createWaterBall,
  dispenseWaterBall,
  exciteWobble,
  nudgeBall,
  placeBall,
  updateWaterBall,
  wobbleAngularFrequency,
  wobbleDecayRate,
  wobbleScale,
  type WaterBallOptions,
} from './water-ball'

const DT = 1 / 72

function ready(options: WaterBallOptions = {}) {
  const wb = createWaterBall(options)
  dispenseWaterBall(wb)
  return wb
}

describe('water ball with a ping-pong ball', () => {
  it('needs a water ball before the ball can go in', () => {
    const wb = createWaterBall()
    expect(placeBall(wb, { x: 0, y: 0, z: 0 })).toBe(false)
    dispenseWaterBall(wb)
    expect(placeBall(wb, { x: 0, y: 0, z: 0 })).toBe(true)
  })

  it('in microgravity the ball stays exactly where it is placed (no buoyancy)', () => {
    const wb = ready()
    expect(buoyantAcceleration(wb)).toBe(0)
    placeBall(wb, { x: 0.005, y: -0.01, z: 0 })
    const start = wb.ballPosition.clone()
    for (let i = 0; i < 72 * 10; i++) updateWaterBall(wb, DT)
    expect(wb.ballPosition.distanceTo(start)).toBe(0)
    expect(wb.stillTimeS).toBeGreaterThanOrEqual(5)
  })

  it('the same sim with gravity makes the ball rise to the top of the water', () => {
    const wb = ready({ gravity: 9.81 })
    expect(buoyantAcceleration(wb)).toBeGreaterThan(9.81) // light ball: accelerates faster than g
    placeBall(wb, { x: 0, y: -0.01, z: 0 })
    let y = wb.ballPosition.y
    for (let i = 0; i < 36; i++) {
      updateWaterBall(wb, DT)
      expect(wb.ballPosition.y).toBeGreaterThanOrEqual(y)
      y = wb.ballPosition.y
    }
    expect(wb.ballPosition.y).toBeCloseTo(wb.config.radius - wb.config.ballRadius, 6)
    expect(wb.ballInside).toBe(true)
  })

  it('damps a gentle nudge by viscous drag and keeps the ball inside', () => {
    // A big water ball so the ball never reaches the surface: pure drag.
    const big = ready({ radius: 2 })
    placeBall(big, { x: 0, y: 0, z: 0 })
    nudgeBall(big, { x: 0.03, y: 0, z: 0 })
    const speeds: number[] = []
    for (let i = 0; i < 72 * 20; i++) {
      updateWaterBall(big, DT)
      speeds.push(big.ballVelocity.length())
    }
    for (let i = 1; i < speeds.length; i++) expect(speeds[i]).toBeLessThanOrEqual(speeds[i - 1])
    expect(speeds[72 * 5]).toBeLessThan(0.03 * 0.5)
    expect(speeds.at(-1)!).toBeLessThan(0.003)
    expect(big.ballPosition.x).toBeGreaterThan(0)
    expect(big.ballPosition.x).toBeLessThan(0.3)

    const small = ready()
    placeBall(small, { x: 0, y: 0, z: 0 })
    nudgeBall(small, { x: 0.05, y: 0.02, z: 0 })
    for (let i = 0; i < 72 * 30; i++) {
      updateWaterBall(small, DT)
      expect(small.ballPosition.length()).toBeLessThanOrEqual(small.config.radius - small.config.ballRadius + 1e-12)
    }
    expect(small.stillTimeS).toBeGreaterThan(5)
  })

  it('the water surface wobbles at the Rayleigh frequency and settles', () => {
    const wb = ready()
    wb.wobble = 0
    wb.wobbleVelocity = 0
    exciteWobble(wb, 0.01)
    const w = wobbleAngularFrequency(wb)
    const gamma = wobbleDecayRate(wb)
    expect(w).toBeCloseTo(Math.sqrt((8 * 0.072) / (1000 * 0.05 ** 3)), 9)
    let crossings = 0
    let last = 0
    let peak = 0
    for (let i = 0; i < 72 * 10; i++) {
      updateWaterBall(wb, DT)
      if (last < 0 && wb.wobble >= 0) crossings++
      last = wb.wobble
      if (i > 72 * 8) peak = Math.max(peak, Math.abs(wb.wobble))
    }
    // Upward zero crossings over 10 s ≈ damped frequency × 10 s / 2π.
    const wd = Math.sqrt(w * w - gamma * gamma)
    expect(Math.abs(crossings - (wd * 10) / (2 * Math.PI))).toBeLessThanOrEqual(1)
    // Envelope: amplitude ≈ v0/ω · e^(−γt).
    expect(peak).toBeLessThan((0.01 / wd) * Math.exp(-gamma * 8) * 1.2)
    const s = wobbleScale(wb, new Vector3())
    expect(Math.abs(s.y - 1)).toBeLessThan(0.05)
  })
})
