import { Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { hullSignedDistance } from './hull'
import { createLooseItems, findLooseItem, letGoLooseItem, looseItemsMomentum, nearestFreeItem, pinLooseItem, updateLooseItems } from './loose-items'
import { TIANHE_LAYOUT } from './module-layout'

const hull = TIANHE_LAYOUT.hull
const DT = 1 / 90

describe('loose items', () => {
  it('drift in a straight line with inertia (no gravity), slowed only by faint drag', () => {
    const set = createLooseItems([{ id: 'bag', radius: 0.2, position: { x: 0, y: 0, z: -9 }, velocity: { x: 0, y: 0, z: -0.3 } }])
    const bag = set.items[0]
    for (let i = 0; i < 90; i++) updateLooseItems(set, DT, hull)
    expect(bag.position.x).toBe(0)
    expect(bag.position.y).toBe(0)
    // 1 s at 0.3 m/s with 2 %/s drag: about 0.297 m.
    expect(bag.position.z).toBeCloseTo(-9 - 0.3 * (1 - Math.exp(-0.02)) / 0.02, 3)
    expect(bag.velocity.z).toBeCloseTo(-0.3 * Math.exp(-0.02), 4)
  })

  it('bounce off the hull and never leave it, whatever the throw', () => {
    const set = createLooseItems([
      { id: 'a', radius: 0.15, position: { x: 0, y: 0, z: -9 }, velocity: { x: 3, y: 1, z: 0 } },
      { id: 'b', radius: 0.1, position: { x: 0, y: 0.3, z: -5 }, velocity: { x: 0, y: 4, z: -4 } },
      { id: 'c', radius: 0.05, position: { x: 0, y: 0, z: -2 }, velocity: { x: 0, y: 0, z: 6 } },
    ])
    const n = new Vector3()
    for (let i = 0; i < 900; i++) {
      updateLooseItems(set, DT, hull)
      for (const it of set.items) expect(hullSignedDistance(hull, it.position, n)).toBeLessThanOrEqual(-it.radius + 1e-6)
    }
    for (const it of set.items) expect(it.contacts).toBeGreaterThan(0)
    // Thrown at 3 m/s across a 2.8 m column, the bag loses speed at each soft bounce.
    expect(set.items[0].velocity.length()).toBeLessThan(3 * 0.4 + 1e-9)
  })

  it('two items colliding exchange momentum and push apart', () => {
    const set = createLooseItems([
      { id: 'a', radius: 0.1, mass: 1, position: { x: 0, y: 0, z: -9 }, velocity: { x: 0, y: 0, z: -0.5 } },
      { id: 'b', radius: 0.1, mass: 1, position: { x: 0, y: 0, z: -9.5 } },
    ], { drag: 0 })
    const before = looseItemsMomentum(set, new Vector3()).clone()
    for (let i = 0; i < 120; i++) updateLooseItems(set, DT, hull)
    const after = looseItemsMomentum(set, new Vector3())
    expect(after.z).toBeCloseTo(before.z, 6)
    const [a, b] = set.items
    expect(b.velocity.z).toBeLessThan(-0.2)
    expect(a.velocity.z).toBeGreaterThan(b.velocity.z)
    expect(a.position.distanceTo(b.position)).toBeGreaterThanOrEqual(0.2 - 1e-6)
  })

  it('pinned items are not simulated; letting go throws them with the hand velocity', () => {
    const set = createLooseItems([{ id: 'ball', radius: 0.02 }, { id: 'tool', radius: 0.1, position: { x: 0, y: 0, z: -4 } }])
    const ball = findLooseItem(set, 'ball')!
    expect(ball.free).toBe(false)
    pinLooseItem(ball, { x: 0.1, y: 0.2, z: -8 })
    updateLooseItems(set, 1, hull)
    expect(ball.position.toArray()).toEqual([0.1, 0.2, -8])
    letGoLooseItem(ball, { x: 0, y: 0, z: -8 }, { x: 0, y: 0, z: -1 }, { x: 0, y: 3, z: 0 })
    updateLooseItems(set, 0.5, hull)
    expect(ball.position.z).toBeLessThan(-8.45)
    // Spinning about +Y turns it.
    expect(Math.abs(ball.orientation.y)).toBeGreaterThan(0.5)
    expect(nearestFreeItem(set, { x: 0, y: 0, z: -4.2 }, 0.15)).toBe(1)
    expect(nearestFreeItem(set, { x: 0, y: 0, z: -6 }, 0.15)).toBe(-1)
    expect(findLooseItem(set, 'nothing')).toBeNull()
  })

  it('rejects broken definitions', () => {
    expect(() => createLooseItems([{ id: 'x', radius: 0.1 }, { id: 'x', radius: 0.1 }])).toThrow(/duplicate/)
    expect(() => createLooseItems([{ id: 'y', radius: 0 }])).toThrow(/radius/)
  })
})
