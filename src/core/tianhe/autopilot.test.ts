import { Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { cancelAutopilot, createAutopilot, planAutopilot, planAutopilotTo, standoffPoint, updateAutopilot } from './autopilot'
import { hullSignedDistance } from './hull'
import { applyThrust, createFloatBody, updateFloatBody, type TrackingInput } from './locomotion'
import { getFixture, TIANHE_LAYOUT } from './module-layout'

const hull = TIANHE_LAYOUT.hull
const DT = 1 / 72
// Head 1.6 m above the rig origin (local-floor tracking). During a glide the scene passes the
// hands tucked in at the head, so an arm brushing a hatch rim does not push off and stall it.
const HEAD = { x: 0, y: 1.6, z: 0 }
const input: TrackingInput = { left: { gripping: false, position: HEAD }, right: { gripping: false, position: HEAD }, head: HEAD }

function headWorld(body: ReturnType<typeof createFloatBody>, out: Vector3): Vector3 {
  const c = Math.cos(body.yaw)
  const s = Math.sin(body.yaw)
  return out.set(HEAD.x * c + HEAD.z * s, HEAD.y, -HEAD.x * s + HEAD.z * c).add(body.position)
}

function glide(from: { x: number; y: number; z: number }, fixtureId: string, seconds = 60) {
  const body = createFloatBody({}, { x: from.x, y: from.y - 1.6, z: from.z })
  const ap = createAutopilot()
  const head = new Vector3()
  const n = new Vector3()
  planAutopilot(ap, hull, body.config.radius, headWorld(body, head), getFixture(fixtureId))
  let t = 0
  let maxSpeed = 0
  let minClearance = Infinity
  while (ap.active && t < seconds) {
    headWorld(body, head)
    updateAutopilot(ap, body, head, HEAD, DT)
    updateFloatBody(body, DT, input, hull)
    maxSpeed = Math.max(maxSpeed, body.velocity.length())
    minClearance = Math.min(minClearance, -hullSignedDistance(hull, headWorld(body, head), n))
    t += DT
  }
  return { body, ap, head: headWorld(body, head), t, maxSpeed, minClearance }
}

describe('autopilot glide', () => {
  it('glides from the node through two hatches to the Tianzhou hatch, along the axis, within the speed cap', () => {
    const { ap, head, t, maxSpeed, minClearance } = glide({ x: 0.4, y: 0.5, z: -1.5 }, 'hatch-tianzhou')
    expect(ap.active).toBe(false)
    const hatch = getFixture('hatch-tianzhou')
    expect(head.distanceTo(new Vector3(...hatch.position))).toBeLessThan(0.9)
    expect(maxSpeed).toBeLessThanOrEqual(0.8 + 1e-9)
    // Never touched the hull on the way (the head sphere kept clear of every hatch rim).
    expect(minClearance).toBeGreaterThan(0.25)
    // 15 m at 0.8 m/s: about 20 s plus easing.
    expect(t).toBeGreaterThan(15)
    expect(t).toBeLessThan(40)
  })

  it('stops in front of a wall fixture, facing it', () => {
    const { head, body } = glide({ x: 0, y: 0, z: -9 }, 'console-main')
    const f = getFixture('console-main')
    const p = new Vector3(...f.position)
    expect(head.distanceTo(p)).toBeGreaterThan(0.5)
    expect(head.distanceTo(p)).toBeLessThan(0.9)
    // Facing +X: tracking −Z maps to module (−sin ψ, 0, −cos ψ) = (1, 0, 0).
    expect(-Math.sin(body.yaw)).toBeCloseTo(1, 2)
  })

  it('glides to a point (zone wayfinding), keeping the yaw when told to face nothing', () => {
    const body = createFloatBody({}, { x: 0.8, y: 0.5 - 1.6, z: -9 }, 0.4)
    const ap = createAutopilot()
    const head = new Vector3()
    planAutopilotTo(ap, hull, 0.25, headWorld(body, head), { x: 0, y: 0, z: -1.45 }, null, 'zone:node-cabin')
    expect(ap.fixture).toBe('zone:node-cabin')
    expect(ap.count).toBe(3) // through the small column's hatch: via the axis
    for (let i = 0; i < 72 * 60 && ap.active; i++) {
      headWorld(body, head)
      updateAutopilot(ap, body, head, HEAD, DT)
      updateFloatBody(body, DT, input, hull)
    }
    expect(headWorld(body, head).distanceTo(new Vector3(0, 0, -1.45))).toBeLessThan(0.05)
    expect(body.yaw).toBeCloseTo(0.4, 6)
  })

  it('keeps the stopping point inside the hull next to a bulkhead', () => {
    const out = new Vector3()
    standoffPoint(hull, getFixture('stowage-s05'), 0.75, 0.35, out)
    expect(hullSignedDistance(hull, out, new Vector3())).toBeLessThanOrEqual(-0.35 + 1e-6)
  })

  it('cancels cleanly and does nothing when idle', () => {
    const body = createFloatBody({}, { x: 0, y: -1.6, z: -5 })
    const ap = createAutopilot()
    expect(updateAutopilot(ap, body, new Vector3(0, 0, -5), HEAD, DT)).toBe(false)
    planAutopilot(ap, hull, 0.25, new Vector3(0, 0, -5), getFixture('fridge'))
    expect(ap.active).toBe(true)
    updateAutopilot(ap, body, new Vector3(0, 0, -5), HEAD, DT)
    expect(body.velocity.length()).toBeGreaterThan(0)
    cancelAutopilot(ap, body)
    expect(ap.active).toBe(false)
    expect(body.velocity.length()).toBe(0)
    // Thrust after a cancel is the player's own again.
    applyThrust(body, { x: 0, y: 0, z: -1 }, 0.5)
    expect(body.velocity.z).toBeLessThan(0)
  })
})
