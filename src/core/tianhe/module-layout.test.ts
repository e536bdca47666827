import { Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { collideSphereWithHull, createHullProfile, hullSignedDistance, profileRadiusAt } from './hull'
import { TIANHE_LAYOUT, TIANHE_LENGTH_M, TIANHE_MAX_DIAMETER_M, findNearestHandrail, getFixture, hullRadiusAt, interiorVolume, zoneAt } from './module-layout'

describe('Tianhe layout', () => {
  it('has the true-scale overall dimensions and sections fore → aft along −Z', () => {
    expect(TIANHE_LAYOUT.lengthM).toBe(16.6)
    expect(TIANHE_LAYOUT.maxDiameterM).toBe(4.2)
    const ids = TIANHE_LAYOUT.zones.map((z) => z.id)
    expect(ids).toEqual(['node-cabin', 'small-column', 'large-column', 'aft-passage', 'resource-cabin'])
    const pressurised = TIANHE_LAYOUT.zones.filter((z) => z.pressurised)
    // Contiguous from the fore port (z = 0) to the aft port (z = −16.6).
    expect(pressurised[0].zRange[1]).toBe(0)
    for (let i = 1; i < pressurised.length; i++) expect(pressurised[i].zRange[1]).toBeCloseTo(pressurised[i - 1].zRange[0], 9)
    expect(pressurised[pressurised.length - 1].zRange[0]).toBeCloseTo(-TIANHE_LENGTH_M, 9)
    expect(Math.max(...TIANHE_LAYOUT.zones.map((z) => z.radius)) * 2).toBeCloseTo(TIANHE_MAX_DIAMETER_M, 9)
    expect(TIANHE_LAYOUT.zones.find((z) => z.id === 'small-column')?.radius).toBeCloseTo(1.4, 9)
    expect(TIANHE_LAYOUT.zones.find((z) => z.id === 'resource-cabin')?.pressurised).toBe(false)
    for (const z of TIANHE_LAYOUT.zones) for (const v of Object.values(z.label)) expect(v.length).toBeGreaterThan(0)
  })

  it('encloses roughly the quoted 50 m³ of living space', () => {
    const v = interiorVolume()
    expect(v).toBeGreaterThan(45)
    expect(v).toBeLessThan(65)
  })

  it('gives r(z) per section and 0 outside the closed ends', () => {
    expect(hullRadiusAt(-1.45)).toBeCloseTo(1.25, 6) // node sphere equator
    expect(hullRadiusAt(-5)).toBeCloseTo(1.0, 9)
    expect(hullRadiusAt(-10)).toBeCloseTo(1.4, 9)
    expect(hullRadiusAt(-7.4)).toBeCloseTo(1.2, 9) // the cone between the columns
    expect(hullRadiusAt(-14)).toBeCloseTo(0.45, 9)
    expect(hullRadiusAt(0.01)).toBe(0)
    expect(hullRadiusAt(-16.61)).toBe(0)
    expect(zoneAt(-5)?.id).toBe('small-column')
    expect(zoneAt(-20)).toBeNull()
  })

  it('has five ports plus the zenith EVA hatch', () => {
    const ports = TIANHE_LAYOUT.ports
    expect(ports.filter((p) => p.kind !== 'hatch')).toHaveLength(5)
    expect(ports.find((p) => p.id === 'hatch-eva')?.normal).toEqual([0, 1, 0])
    expect(ports.find((p) => p.id === 'port-nadir')?.normal).toEqual([0, -1, 0])
    expect(ports.find((p) => p.id === 'port-aft')?.position[2]).toBeCloseTo(-16.6, 9)
  })

  it('puts every handrail, foot restraint and fixture inside the pressurised hull, with unique ids', () => {
    const p = new Vector3()
    const ids = new Set<string>()
    for (const rail of TIANHE_LAYOUT.handrails) {
      expect(ids.has(rail.id)).toBe(false)
      ids.add(rail.id)
      for (const end of [rail.start, rail.end]) expect(hullSignedDistance(TIANHE_LAYOUT.hull, p.set(...end))).toBeLessThan(-0.03)
    }
    for (const f of [...TIANHE_LAYOUT.fixtures, ...TIANHE_LAYOUT.footRestraints]) {
      expect(ids.has(f.id)).toBe(false)
      ids.add(f.id)
      expect(hullSignedDistance(TIANHE_LAYOUT.hull, p.set(...f.position))).toBeLessThan(0)
      expect(Math.hypot(...f.normal)).toBeCloseTo(1, 6)
    }
    expect(TIANHE_LAYOUT.handrails.length).toBeGreaterThan(20)
    expect(TIANHE_LAYOUT.footRestraints.some((f) => f.surface === 'ceiling')).toBe(true)
  })

  it('has the interactable fixtures the tasks need', () => {
    for (const id of ['console-main', 'alarm-ack', 'stowage-s01', 'stowage-waste', 'filter-panel', 'filter-slot', 'arm-joystick-left', 'arm-joystick-right', 'water-ball-station', 'treadmill', 'hatch-tianzhou']) {
      expect(getFixture(id).id).toBe(id)
    }
    expect(() => getFixture('nope')).toThrow()
    expect(getFixture('stowage-s03').label.en).toBe('Stowage S-03')
    for (const id of ['sleep-quarter-1', 'sleep-quarter-2', 'sleep-quarter-3', 'toilet']) expect(getFixture(id).zone).toBe('small-column')
    for (const id of ['dining-table', 'microwave', 'fridge', 'water-dispenser']) expect(getFixture(id).zone).toBe('small-column')
    for (const id of ['console-main', 'arm-console', 'treadmill', 'bicycle-ergometer', 'experiment-rack-1']) expect(getFixture(id).zone).toBe('large-column')
    expect(Object.isFrozen(TIANHE_LAYOUT.fixtures[0])).toBe(true)
  })

  it('finds the nearest handrail within reach', () => {
    const rail = TIANHE_LAYOUT.handrails.find((r) => r.id === 'large-fore-45')!
    const mid = new Vector3(...rail.start).lerp(new Vector3(...rail.end), 0.5)
    const out = new Vector3()
    const hand = mid.clone().add(new Vector3(0.05, 0, 0))
    expect(TIANHE_LAYOUT.handrails[findNearestHandrail(TIANHE_LAYOUT.handrails, hand, 0.12, out)].id).toBe('large-fore-45')
    expect(out.distanceTo(mid)).toBeLessThan(1e-9)
    expect(findNearestHandrail(TIANHE_LAYOUT.handrails, new Vector3(0, 0, -10), 0.12, out)).toBe(-1)
  })
})

describe('hull collision shape', () => {
  const hull = TIANHE_LAYOUT.hull
  it('rejects a broken profile', () => {
    expect(() => createHullProfile([{ z: 0, r: 1 }])).toThrow()
    expect(() => createHullProfile([{ z: 0, r: 1 }, { z: -1, r: 1 }])).toThrow()
    expect(() => createHullProfile([{ z: 0, r: 0 }, { z: 1, r: 1 }])).toThrow()
    expect(profileRadiusAt(createHullProfile([{ z: 0, r: 1 }, { z: 2, r: 3 }]), 1)).toBeCloseTo(2, 12)
  })

  it('pushes a sphere out of a cylinder wall and a bulkhead face', () => {
    const n = new Vector3()
    const c = new Vector3(0.95, 0, -5)
    const v = new Vector3(1, 0, 0)
    expect(collideSphereWithHull(hull, c, 0.25, v, 0, n).hit).toBe(true)
    expect(Math.hypot(c.x, c.y)).toBeCloseTo(0.75, 9)
    expect(v.x).toBeCloseTo(0, 9)
    // Against the aft bulkhead of the large column, off-axis: pushed fore, not squeezed inward.
    const b = new Vector3(0, 1.0, -12.5)
    collideSphereWithHull(hull, b, 0.25, null, 0, n)
    expect(b.z).toBeCloseTo(-12.35, 9)
    expect(b.y).toBeCloseTo(1.0, 9)
    // A point that ended up outside (e.g. a teleport) is brought back in.
    const o = new Vector3(0, 3, -10)
    collideSphereWithHull(hull, o, 0.25, null, 0, n)
    expect(hullSignedDistance(hull, o)).toBeLessThanOrEqual(-0.25 + 1e-9)
  })
})
