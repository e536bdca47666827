import { describe, expect, it } from 'vitest'
import { createDampedVec3, createVec3, updateDampedAxis, updateDampedVec3, type DampedAxis } from './smoothing'

function run(axis: DampedAxis, target: number, smoothTime: number, seconds: number, hz: number): number[] {
  const out: number[] = []
  const steps = Math.round(seconds * hz)
  for (let i = 0; i < steps; i++) {
    updateDampedAxis(axis, target, smoothTime, 1 / hz)
    out.push(axis.value)
  }
  return out
}

describe('critically damped smoothing', () => {
  it('approaches a step without overshoot and settles', () => {
    const axis = { value: 0, velocity: 0 }
    const trace = run(axis, 1, 0.3, 3, 72)
    for (let i = 1; i < trace.length; i++) {
      expect(trace[i]).toBeGreaterThanOrEqual(trace[i - 1])
      expect(trace[i]).toBeLessThanOrEqual(1)
    }
    // ω = 2/0.3 s⁻¹: after 0.3 s (2 time constants) about 60 % of the way, after 3 s settled.
    expect(trace[Math.round(0.3 * 72) - 1]).toBeGreaterThan(0.5)
    expect(trace[Math.round(0.3 * 72) - 1]).toBeLessThan(0.7)
    expect(trace[trace.length - 1]).toBeCloseTo(1, 6)
    expect(Math.abs(axis.velocity)).toBeLessThan(1e-5)
  })

  it('does not depend on the frame rate', () => {
    const a = { value: 0, velocity: 0 }
    const b = { value: 0, velocity: 0 }
    run(a, 2, 0.25, 0.5, 30)
    run(b, 2, 0.25, 0.5, 120)
    expect(a.value).toBeCloseTo(b.value, 10)
    expect(a.velocity).toBeCloseTo(b.velocity, 10)
  })

  it('does not overshoot a target it was already moving toward fast', () => {
    // Moving at 5 m/s toward a target 0.2 m away: a spring with less damping would fly past.
    const axis = { value: 0, velocity: 0.5 }
    const trace = run(axis, 0.2, 0.5, 4, 90)
    expect(Math.max(...trace)).toBeLessThanOrEqual(0.2 + 0.05)
    expect(trace[trace.length - 1]).toBeCloseTo(0.2, 4)
  })

  it('snaps with smoothTime 0 and holds with dt 0', () => {
    const axis = { value: 3, velocity: 1 }
    updateDampedAxis(axis, 3, 0.2, 0)
    expect(axis).toEqual({ value: 3, velocity: 1 })
    updateDampedAxis(axis, 7, 0, 1 / 72)
    expect(axis).toEqual({ value: 7, velocity: 0 })
  })

  it('takes the first target of a vector as is, then smooths', () => {
    const v = createDampedVec3()
    const out = createVec3()
    updateDampedVec3(v, createVec3(1, 2, 3), 0.2, 1 / 72, out)
    expect(out).toEqual({ x: 1, y: 2, z: 3 })
    updateDampedVec3(v, createVec3(2, 2, 3), 0.2, 1 / 72, out)
    expect(out.x).toBeGreaterThan(1)
    expect(out.x).toBeLessThan(1.1)
    expect(out.y).toBe(2)
  })
})
