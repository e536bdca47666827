import { Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { hullSignedDistance } from './hull'
import { createLooseItems, findLooseItem, letGoLooseItem, letGoLooseItemFromState, looseItemsMomentum, nearestFreeItem, pinLooseItem, updateLooseItems, writeLooseItemState } from './loose-items'
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

  it("a crew mate's module, let go from the holder's release state, drifts the item along the same path", () => {
    // Ada's module lets the filter go from her hand (a throw with spin) and sends its state;
    // Bo's module had it somewhere else (pinned in her drawn hand) and starts from the numbers.
    const ada = createLooseItems([{ id: 'filter-new', radius: 0.12, mass: 2 }])
    const bo = createLooseItems([{ id: 'filter-new', radius: 0.12, mass: 2, position: { x: 0.4, y: -0.2, z: -3 }, free: false }])
    const a = ada.items[0]
    pinLooseItem(a, { x: 0.2, y: 0.1, z: -6 })
    a.orientation.set(0, Math.sin(0.3), 0, Math.cos(0.3))
    letGoLooseItem(a, { x: 0.2, y: 0.1, z: -6 }, { x: 0.9, y: 0.3, z: -1.2 }, { x: -3.6, y: 2.7, z: -0.9 })
    const state = writeLooseItemState(a, new Array<number>(13))
    expect(state.every(Number.isFinite)).toBe(true)
    letGoLooseItemFromState(bo.items[0], state)
    const b = bo.items[0]
    expect(b.free).toBe(true)
    // Different frame rates (90 Hz here, 72 Hz there) over 3 s, with bounces off the hull on the way.
    for (let i = 0; i < 270; i++) updateLooseItems(ada, 1 / 90, hull)
    for (let i = 0; i < 216; i++) updateLooseItems(bo, 1 / 72, hull)
    expect(a.contacts).toBeGreaterThan(0)
    expect(b.contacts).toBe(a.contacts)
    expect(b.position.distanceTo(a.position)).toBeLessThan(0.02)
    expect(b.velocity.distanceTo(a.velocity)).toBeLessThan(0.01)
    expect(Math.abs(b.orientation.dot(a.orientation))).toBeGreaterThan(0.999)
    // Same frame rate: the same numbers exactly.
    const bo2 = createLooseItems([{ id: 'filter-new', radius: 0.12, mass: 2 }])
    const ada2 = createLooseItems([{ id: 'filter-new', radius: 0.12, mass: 2 }])
    letGoLooseItemFromState(bo2.items[0], state)
    letGoLooseItemFromState(ada2.items[0], state)
    for (let i = 0; i < 90; i++) {
      updateLooseItems(ada2, 1 / 90, hull)
      updateLooseItems(bo2, 1 / 90, hull)
    }
    expect(writeLooseItemState(bo2.items[0], new Array<number>(13))).toEqual(writeLooseItemState(ada2.items[0], new Array<number>(13)))
  })
})
