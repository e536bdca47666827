import { Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { createRng } from '../time/rng'
import { hullSignedDistance } from './hull'
import {
  applyThrust,
  createFloatBody,
  grab,
  resetUpright,
  snapTurn,
  smoothTurn,
  tryGrab,
  updateFloatBody,
  vignetteStrength,
  type FloatBody,
  type TrackingInput,
} from './locomotion'
import { TIANHE_LAYOUT } from './module-layout'

const hull = TIANHE_LAYOUT.hull
const DT = 1 / 72

function input(): TrackingInput {
  return {
    left: { gripping: false, position: new Vector3(-0.3, 0, -0.4) },
    right: { gripping: false, position: new Vector3(0.3, 0, -0.4) },
  }
}

function handWorld(body: FloatBody, p: Vector3): Vector3 {
  const c = Math.cos(body.yaw)
  const s = Math.sin(body.yaw)
  return new Vector3(p.x * c + p.z * s, p.y, -p.x * s + p.z * c).add(body.position)
}

describe('hand-over-hand locomotion', () => {
  it('moves the body one-to-one opposite to the gripping hand (hand stays on the rail)', () => {
    for (const yaw of [0, Math.PI / 2, 2.5]) {
      const body = createFloatBody({}, { x: 0, y: 0, z: -10 }, yaw)
      const inp = input()
      updateFloatBody(body, DT, inp, hull)
      const anchor = handWorld(body, inp.left.position as Vector3)
      inp.left.gripping = true
      grab(body, 'left', anchor)
      const start = body.position.clone()
      for (let i = 0; i < 20; i++) {
        ;(inp.left.position as Vector3).add(new Vector3(0.01, 0.005, -0.01))
        updateFloatBody(body, DT, inp, hull)
        expect(body.hands.left.world.distanceTo(anchor)).toBeLessThan(1e-12)
      }
      // Total hand delta (0.2, 0.1, −0.2) in tracking space, rotated by yaw, reversed.
      const c = Math.cos(yaw)
      const s = Math.sin(yaw)
      const expected = start.clone().sub(new Vector3(0.2 * c - 0.2 * s, 0.1, -0.2 * s - 0.2 * c))
      expect(body.position.distanceTo(expected)).toBeLessThan(1e-12)
    }
  })

  it('keeps the momentum of the last pull on release, then decays at the drag rate', () => {
    const body = createFloatBody({}, { x: 0, y: 0, z: -10 })
    const inp = input()
    updateFloatBody(body, DT, inp, hull)
    inp.right.gripping = true
    grab(body, 'right', handWorld(body, inp.right.position as Vector3))
    // Pull the hand toward you (+Z in tracking) at 0.6 m/s: the body moves −Z (aft) at 0.6 m/s.
    for (let i = 0; i < 36; i++) {
      ;(inp.right.position as Vector3).z += 0.6 * DT
      updateFloatBody(body, DT, inp, hull)
    }
    inp.right.gripping = false
    updateFloatBody(body, DT, inp, hull)
    expect(body.hands.right.anchored).toBe(false)
    expect(body.velocity.z).toBeCloseTo(-0.6 * Math.exp(-0.35 * DT), 9)
    expect(Math.abs(body.velocity.x) + Math.abs(body.velocity.y)).toBeLessThan(1e-12)
    const v0 = body.velocity.length()
    const z0 = body.position.z
    for (let i = 0; i < 72; i++) updateFloatBody(body, DT, inp, hull)
    expect(body.velocity.length() / v0).toBeCloseTo(Math.exp(-0.35), 9)
    expect(body.position.z).toBeLessThan(z0 - 0.4)
  })

  it('decays drift exponentially independent of frame rate', () => {
    for (const dt of [1 / 72, 1 / 90, 1 / 120]) {
      const body = createFloatBody({}, { x: 0, y: 0, z: -9 })
      body.velocity.set(0, 0, -1)
      const n = Math.round(2 / dt)
      for (let i = 0; i < n; i++) updateFloatBody(body, dt, input(), hull)
      expect(body.velocity.length()).toBeCloseTo(Math.exp(-0.35 * 2), 9)
    }
  })

  it('caps speed for a hard throw and for thrust', () => {
    const body = createFloatBody({ maxSpeed: 1.5 }, { x: 0, y: 0, z: -10 })
    const inp = input()
    updateFloatBody(body, DT, inp, hull)
    inp.left.gripping = true
    grab(body, 'left', handWorld(body, inp.left.position as Vector3))
    for (let i = 0; i < 5; i++) {
      ;(inp.left.position as Vector3).z += 4 * DT // 4 m/s flick
      updateFloatBody(body, DT, inp, hull)
    }
    inp.left.gripping = false
    updateFloatBody(body, DT, inp, hull)
    expect(body.velocity.length()).toBeLessThanOrEqual(1.5 + 1e-12)
    expect(body.velocity.length()).toBeGreaterThan(1.4)

    const b2 = createFloatBody({}, { x: 0, y: 0, z: -10 })
    for (let i = 0; i < 600; i++) {
      applyThrust(b2, { x: 0, y: 0, z: 5 }, DT)
      updateFloatBody(b2, DT, input(), hull)
      expect(b2.velocity.length()).toBeLessThanOrEqual(1.5 + 1e-12)
    }
    // Thrust is ignored while holding a rail.
    const b3 = createFloatBody({}, { x: 0, y: 0, z: -10 })
    grab(b3, 'left', { x: 0, y: 0, z: -10 })
    applyThrust(b3, { x: 1, y: 0, z: 0 }, 1)
    expect(b3.velocity.length()).toBe(0)
  })

  it('stops at walls, bulkheads and the closed ends', () => {
    const wall = createFloatBody({}, { x: 0, y: 0, z: -5 })
    wall.velocity.set(1.5, 0, 0)
    for (let i = 0; i < 144; i++) updateFloatBody(wall, DT, input(), hull)
    expect(wall.position.x).toBeLessThanOrEqual(0.75 + 1e-9)
    expect(wall.position.x).toBeGreaterThan(0.5)

    // Off-axis toward the node bulkhead (hatch radius 0.4): blocked at the face, not funnelled.
    const bulk = createFloatBody({}, { x: 0, y: 0.6, z: -4.5 })
    bulk.velocity.set(0, 0, 1.5)
    for (let i = 0; i < 144; i++) updateFloatBody(bulk, DT, input(), hull)
    expect(bulk.position.z).toBeLessThanOrEqual(-3.3 + 1e-9)
    expect(bulk.position.z).toBeGreaterThan(-3.5)

    const end = createFloatBody({}, { x: 0, y: 0, z: -15 })
    end.velocity.set(0, 0, -1.5)
    for (let i = 0; i < 288; i++) updateFloatBody(end, DT, input(), hull)
    expect(end.position.z).toBeGreaterThanOrEqual(-16.35 - 1e-9)
    expect(end.velocity.z).toBeGreaterThanOrEqual(0)
  })

  it('keeps the body inside the hull on a long seeded random walk, deterministically', () => {
    const run = () => {
      const rng = createRng(1234)
      const body = createFloatBody({}, { x: 0, y: 0, z: -1.45 })
      const inp = input()
      const dir = new Vector3()
      const centre = new Vector3()
      let worst = -Infinity
      let minZ = 0
      for (let i = 0; i < 30000; i++) {
        // Mostly aft-bound with random sideways thrust and occasional hard kicks.
        dir.set(rng.range(-1, 1), rng.range(-1, 1), rng.range(-1.2, 0.8))
        applyThrust(body, dir, DT)
        if (rng.next() < 0.01) body.velocity.set(rng.range(-3, 3), rng.range(-3, 3), rng.range(-3, 3))
        updateFloatBody(body, DT, inp, hull)
        worst = Math.max(worst, hullSignedDistance(hull, centre.copy(body.position)))
        minZ = Math.min(minZ, body.position.z)
      }
      return { worst, minZ, position: body.position.clone(), yaw: body.yaw }
    }
    const a = run()
    expect(a.worst).toBeLessThanOrEqual(-0.25 + 1e-9)
    // The walk really travelled: through the node hatch and into the large column.
    expect(a.minZ).toBeLessThan(-8)
    const b = run()
    expect(b.position.equals(a.position)).toBe(true)
  })

  it('pushes off a wall with an open hand', () => {
    const body = createFloatBody({}, { x: 0, y: 0, z: -10 })
    const inp = input()
    const hand = inp.right.position as Vector3
    hand.set(1.0, 0, 0)
    updateFloatBody(body, DT, inp, hull)
    // Shove the hand outward at 1 m/s for 0.5 s; the wall is at x = 1.4 (hand radius 0.05).
    for (let i = 0; i < 36; i++) {
      hand.x += 1 * DT
      updateFloatBody(body, DT, inp, hull)
    }
    expect(body.velocity.x).toBeLessThan(-0.9)
    expect(body.velocity.x).toBeGreaterThanOrEqual(-1.5)
    expect(body.hands.right.touching).toBe(true)
    const x0 = body.position.x
    for (let i = 0; i < 36; i++) updateFloatBody(body, DT, inp, hull)
    expect(body.position.x).toBeLessThan(x0 - 0.3)
    expect(body.hands.right.touching).toBe(false)
  })

  it('a hand that jumps (tracking lost and found) into the wall does not fling the body', () => {
    const body = createFloatBody({}, { x: 0, y: 0, z: -10 })
    const inp = input()
    const hand = inp.right.position as Vector3
    hand.set(0.3, 0, 0)
    updateFloatBody(body, DT, inp, hull)
    // Next frame the hand reads 1.2 m further out, 5 cm into the wall: 86 m/s, not a push.
    hand.x = 1.4
    updateFloatBody(body, DT, inp, hull)
    expect(body.hands.right.touching).toBe(true)
    expect(body.velocity.length()).toBe(0)
    // It is still a wall: the body is moved just enough for the hand to rest on it.
    expect(body.position.x).toBeCloseTo(-0.05, 6)
  })

  it('rotates (yaw) about the hands’ midpoint when both hands grip', () => {
    const body = createFloatBody({}, { x: 0.1, y: 0, z: -10 })
    const inp = input()
    updateFloatBody(body, DT, inp, hull)
    const L = inp.left.position as Vector3
    const R = inp.right.position as Vector3
    const anchorL = handWorld(body, L)
    const anchorR = handWorld(body, R)
    inp.left.gripping = true
    inp.right.gripping = true
    grab(body, 'left', anchorL)
    grab(body, 'right', anchorR)
    // Twist the hands 20° counter-clockwise (seen from +Y) about their midpoint in tracking space.
    const mid = L.clone().add(R).multiplyScalar(0.5)
    const l0 = L.clone().sub(mid)
    const r0 = R.clone().sub(mid)
    const axis = new Vector3(0, 1, 0)
    const steps = 20
    for (let i = 1; i <= steps; i++) {
      const a = ((20 * Math.PI) / 180) * (i / steps)
      L.copy(l0).applyAxisAngle(axis, a).add(mid)
      R.copy(r0).applyAxisAngle(axis, a).add(mid)
      updateFloatBody(body, DT, inp, hull)
    }
    expect(body.yaw).toBeCloseTo((-20 * Math.PI) / 180, 9)
    // Both hands stay on their rails: the world turns around them, not under them.
    expect(body.hands.left.world.distanceTo(anchorL)).toBeLessThan(1e-9)
    expect(body.hands.right.world.distanceTo(anchorR)).toBeLessThan(1e-9)
    // Letting go keeps a little spin, which angular drag then removes.
    inp.left.gripping = false
    inp.right.gripping = false
    updateFloatBody(body, DT, inp, hull)
    expect(body.angularVelocity).toBeLessThan(-0.5)
    for (let i = 0; i < 720; i++) updateFloatBody(body, DT, inp, hull)
    expect(Math.abs(body.angularVelocity)).toBeLessThan(0.01)
  })

  it('grabs only near a handrail', () => {
    const rail = TIANHE_LAYOUT.handrails.find((r) => r.id === 'small-fore-45')!
    const body = createFloatBody({}, { x: 0, y: 0, z: -4 })
    expect(tryGrab(body, 'left', new Vector3(0, 0, -4), TIANHE_LAYOUT.handrails)).toBe(false)
    expect(tryGrab(body, 'left', new Vector3(...rail.start), TIANHE_LAYOUT.handrails)).toBe(true)
    expect(body.hands.left.anchored).toBe(true)
  })
})

describe('turning and comfort', () => {
  it('snap and smooth turns keep the head in place', () => {
    const body = createFloatBody({}, { x: 0, y: 0, z: -10 })
    const head = new Vector3(0.2, 0.1, 0.3)
    const before = handWorld(body, head)
    snapTurn(body, 1, Math.PI / 6, head)
    expect(body.yaw).toBeCloseTo(-Math.PI / 6, 12)
    expect(handWorld(body, head).distanceTo(before)).toBeLessThan(1e-12)
    smoothTurn(body, -1, 0.5, Math.PI / 3, head)
    expect(body.yaw).toBeCloseTo(0, 12)
    expect(handWorld(body, head).distanceTo(before)).toBeLessThan(1e-12)
    body.angularVelocity = 1
    snapTurn(body, -1)
    resetUpright(body, 0, head)
    expect(body.yaw).toBe(0)
    expect(body.angularVelocity).toBe(0)
    expect(body.orientation.w).toBeCloseTo(1, 12)
  })

  it('vignette is 0 at rest, 1 at the speed cap, and monotonic', () => {
    expect(vignetteStrength(0, 0)).toBe(0)
    expect(vignetteStrength(0.1, 0.1)).toBe(0)
    expect(vignetteStrength(1.5, 0)).toBe(1)
    expect(vignetteStrength(0, -2)).toBe(1)
    let last = 0
    for (let s = 0; s <= 1.6; s += 0.05) {
      const v = vignetteStrength(s, 0)
      expect(v).toBeGreaterThanOrEqual(last)
      expect(v).toBeLessThanOrEqual(1)
      last = v
    }
  })
})
