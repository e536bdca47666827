import { Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { profileRadiusAt } from '../tianhe/hull'
import { TIANHE_LAYOUT } from '../tianhe/module-layout'
import { DEFAULT_GUIDE_FLOAT, assessGuideSpot, clampInsideHull, createGuideFloat, guideBob, headingToward, raySphere, restingSpot, turnToward, updateGuideFloat } from './guide-float'

const hull = TIANHE_LAYOUT.hull
const cfg = DEFAULT_GUIDE_FLOAT

function angleFromView(p: Vector3, head: Vector3, forward: Vector3): number {
  const rel = p.clone().sub(head)
  return Math.acos(rel.dot(forward) / rel.length())
}

function insideWithMargin(p: Vector3, margin: number): boolean {
  return p.z >= hull.zMin + margin - 1e-9 && p.z <= hull.zMax - margin + 1e-9 && Math.hypot(p.x, p.y) <= profileRadiusAt(hull, p.z) - margin + 1e-9
}

/** Floats for `seconds` at 72 Hz with the head fixed. */
function run(state: ReturnType<typeof createGuideFloat>, head: Vector3, forward: Vector3, seconds: number) {
  for (let i = 0; i < Math.round(seconds * 72); i++) updateGuideFloat(state, head, forward, hull, 1 / 72)
}

describe('guide float (Xiaoguan beside the visitor in Tianhe)', () => {
  it('rests to the right of the view, at a comfortable distance, not in the line of sight', () => {
    const head = new Vector3(0, 0, -5)
    const forward = new Vector3(0, 0, -1)
    const spot = restingSpot(head, forward, hull, cfg, new Vector3())
    expect(spot.x).toBeGreaterThan(0.3)
    const d = spot.distanceTo(head)
    expect(d).toBeGreaterThan(cfg.minDistance)
    expect(d).toBeLessThan(cfg.maxDistance)
    expect(angleFromView(spot, head, forward)).toBeGreaterThan(cfg.blockAngle)
    expect(angleFromView(spot, head, forward)).toBeLessThan(cfg.lostAngle)
    expect(assessGuideSpot(spot, head, forward, hull, cfg)).toBe('settled')
  })

  it('does not swing overhead when the visitor looks straight up', () => {
    const head = new Vector3(0, 0, -5)
    const spot = restingSpot(head, new Vector3(0, 1, 0), hull, cfg, new Vector3())
    expect(spot.y).toBeLessThan(head.y)
  })

  it('keeps the spot inside the hull near the wall and at the closed fore end', () => {
    for (const head of [new Vector3(0.9, 0.3, -8), new Vector3(0, 0, hull.zMax - 0.2), new Vector3(0, -0.6, hull.zMin + 0.3)]) {
      for (const forward of [new Vector3(1, 0, 0), new Vector3(0, 0, 1), new Vector3(0, 0, -1), new Vector3(-1, 0, 0)]) {
        const spot = restingSpot(head, forward, hull, cfg, new Vector3())
        expect(insideWithMargin(spot, cfg.wallMargin), `${head.toArray()} → ${spot.toArray()}`).toBe(true)
      }
    }
    const outside = new Vector3(3, 0, -5)
    expect(clampInsideHull(hull, outside, 0.25)).toBe(true)
    expect(insideWithMargin(outside, 0.25)).toBe(true)
    const fine = new Vector3(0, 0, -5)
    expect(clampInsideHull(hull, fine, 0.25)).toBe(false)
    expect(fine.toArray()).toEqual([0, 0, -5])
  })

  it('stays put while the visitor turns a little, glides when it would block or fall out of sight', () => {
    const head = new Vector3(0, 0, -5)
    const state = createGuideFloat()
    run(state, head, new Vector3(0, 0, -1), 0.1)
    const rest = state.position.clone()
    // 10° to the right: still comfortable, no glide.
    run(state, head, new Vector3(Math.sin(0.17), 0, -Math.cos(0.17)), 1)
    expect(state.moves).toBe(0)
    expect(state.position.distanceTo(rest)).toBeLessThan(1e-9)
    // Turning right by 40° puts it in the middle of the view: it glides aside.
    const right = new Vector3(Math.sin(0.65), 0, -Math.cos(0.65))
    updateGuideFloat(state, head, right, hull, 1 / 72)
    expect(state.reason).toBe('blocking')
    expect(state.moves).toBe(1)
    run(state, head, right, 4)
    expect(state.moving).toBe(false)
    expect(angleFromView(state.position, head, right)).toBeGreaterThan(cfg.blockAngle)
    // Turning round: out of sight, it comes round to the new side.
    const back = new Vector3(0, 0, 1)
    updateGuideFloat(state, head, back, hull, 1 / 72)
    expect(state.reason).toBe('out-of-sight')
    run(state, head, back, 4)
    expect(assessGuideSpot(state.position, head, back, hull, cfg)).toBe('settled')
  })

  it('follows the visitor down the module without overshooting, always inside the hull', () => {
    const state = createGuideFloat()
    const forward = new Vector3(0, 0, -1)
    const head = new Vector3(0, 0, -1)
    run(state, head, forward, 0.1)
    let maxZ = -Infinity
    // Glide aft at 1 m/s for 8 s, then stop.
    for (let i = 0; i < 8 * 72; i++) {
      head.z -= 1 / 72
      updateGuideFloat(state, head, forward, hull, 1 / 72)
      expect(insideWithMargin(state.position, cfg.wallMargin)).toBe(true)
    }
    for (let i = 0; i < 5 * 72; i++) {
      updateGuideFloat(state, head, forward, hull, 1 / 72)
      // Critically damped: once the head has stopped, it never passes its spot.
      maxZ = Math.max(maxZ, -state.position.z)
    }
    expect(state.moving).toBe(false)
    expect(maxZ).toBeLessThanOrEqual(-state.target.z + cfg.arriveDistance)
    expect(state.position.distanceTo(state.target)).toBeLessThan(cfg.arriveDistance)
  })

  it('is deterministic for the same inputs (replays move it the same way)', () => {
    const a = createGuideFloat()
    const b = createGuideFloat()
    const head = new Vector3(0.2, 0.1, -4)
    for (let i = 0; i < 300; i++) {
      const f = new Vector3(Math.sin(i / 40), 0, -Math.cos(i / 40))
      head.z -= 0.01
      updateGuideFloat(a, head, f, hull, 1 / 72)
      updateGuideFloat(b, head, f, hull, 1 / 72)
    }
    expect(a.position.toArray()).toEqual(b.position.toArray())
    expect(a.moves).toBe(b.moves)
    expect(a.moves).toBeGreaterThan(0)
  })

  it('bobs gently, turns the short way, and picks by a sphere', () => {
    expect(Math.abs(guideBob(cfg.bobPeriodS / 4) - cfg.bobAmplitude)).toBeLessThan(1e-12)
    expect(guideBob(0)).toBe(0)
    expect(headingToward(new Vector3(), new Vector3(1, 0, 0))).toBeCloseTo(Math.PI / 2)
    expect(turnToward(3, -3, 0.1)).toBeCloseTo(3.1)
    expect(turnToward(0, 0.05, 0.1)).toBeCloseTo(0.05)
    const o = new Vector3(0, 0, 0)
    const dir = new Vector3(0, 0, -1)
    expect(raySphere(o, dir, new Vector3(0, 0, -2), 0.2)).toBeCloseTo(1.8)
    expect(raySphere(o, dir, new Vector3(0.3, 0, -2), 0.2)).toBe(-1)
    expect(raySphere(o, dir, new Vector3(0, 0, 2), 0.2)).toBe(-1)
    expect(raySphere(o, dir, new Vector3(0, 0, -0.1), 0.2)).toBe(0)
  })
})
