import { describe, expect, it } from 'vitest'
import { DRAW_DISTANCE_MAX_LEVEL, anyZoneDrawn, createDrawDistance, drawnItemRange, updateDrawDistance, zoneIndexAt } from './draw-distance'
import { TIANHE_LAYOUT } from './module-layout'

const ZONES = ['node-cabin', 'small-column', 'large-column', 'aft-passage'] as const

function drawn(state: ReturnType<typeof createDrawDistance>): string[] {
  return state.zones.filter((_, i) => state.zoneDrawn[i])
}

function caps(state: ReturnType<typeof createDrawDistance>): string[] {
  return state.caps.filter((_, c) => state.capDrawn[c]).map((cap) => `${state.zones[cap.zone]}→${state.zones[cap.toward]}`)
}

describe('Tianhe draw distance by zone', () => {
  it('orders the pressurised zones fore to aft with two caps at each boundary', () => {
    const s = createDrawDistance(TIANHE_LAYOUT, { outsideSeenFrom: ['small-column'] })
    expect(s.zones).toEqual(ZONES)
    expect(s.caps).toHaveLength(6)
    // Each boundary is the aft end of the fore zone; the fore zone's cap faces fore (+z).
    expect(s.caps[0]).toEqual({ zone: 0, toward: 1, z: -3.05, facing: 1 })
    expect(s.caps[1]).toEqual({ zone: 1, toward: 0, z: -3.05, facing: -1 })
    expect(s.caps[5]).toEqual({ zone: 3, toward: 2, z: -12.6, facing: -1 })
    expect(() => createDrawDistance(TIANHE_LAYOUT, { outsideSeenFrom: ['resource-cabin'] })).toThrow(/not a pressurised zone/)
  })

  it('level 2 draws every zone and the outside, with no cap, wherever the visitor is', () => {
    const s = createDrawDistance(TIANHE_LAYOUT, { outsideSeenFrom: ['small-column'] })
    for (const zone of [...ZONES, 'resource-cabin']) {
      updateDrawDistance(s, zone, DRAW_DISTANCE_MAX_LEVEL)
      expect(drawn(s), zone).toEqual(ZONES)
      expect(caps(s), zone).toEqual([])
      expect(s.outside).toBe(true)
      expect([s.first, s.last]).toEqual([0, 3])
    }
  })

  it('level 1 draws the zone and its neighbours, capped where the next zone is hidden', () => {
    const s = createDrawDistance(TIANHE_LAYOUT, { outsideSeenFrom: ['small-column'] })
    const expected: Record<string, [string[], string[], boolean]> = {
      'node-cabin': [['node-cabin', 'small-column'], ['small-column→large-column'], true],
      'small-column': [['node-cabin', 'small-column', 'large-column'], ['large-column→aft-passage'], true],
      'large-column': [['small-column', 'large-column', 'aft-passage'], ['small-column→node-cabin'], true],
      // The window is in the small column: from the aft passage nothing of the outside shows.
      'aft-passage': [['large-column', 'aft-passage'], ['large-column→small-column'], false],
    }
    for (const [zone, [zones, capped, outside]] of Object.entries(expected)) {
      updateDrawDistance(s, zone, 1)
      expect(drawn(s), zone).toEqual(zones)
      expect(caps(s), zone).toEqual(capped)
      expect(s.outside, zone).toBe(outside)
    }
  })

  it('level 0 draws the visitor’s zone only, capped at every boundary it has', () => {
    const s = createDrawDistance(TIANHE_LAYOUT, { outsideSeenFrom: ['small-column'] })
    const expected: Record<string, [string[], boolean]> = {
      'node-cabin': [['node-cabin→small-column'], false],
      'small-column': [['small-column→node-cabin', 'small-column→large-column'], true],
      'large-column': [['large-column→small-column', 'large-column→aft-passage'], false],
      'aft-passage': [['aft-passage→large-column'], false],
    }
    for (const [zone, [capped, outside]] of Object.entries(expected)) {
      updateDrawDistance(s, zone, 0)
      expect(drawn(s), zone).toEqual([zone])
      expect(caps(s).sort(), zone).toEqual(capped.sort())
      expect(s.outside, zone).toBe(outside)
      const i = ZONES.indexOf(zone as (typeof ZONES)[number])
      expect([s.first, s.last]).toEqual([i, i])
    }
  })

  it('in the outside view below full level only the outside is drawn (the hull hides the interior)', () => {
    const s = createDrawDistance(TIANHE_LAYOUT, { outsideSeenFrom: ['small-column'] })
    for (const level of [0, 1]) {
      updateDrawDistance(s, 'resource-cabin', level)
      expect(drawn(s)).toEqual([])
      expect(caps(s)).toEqual([])
      expect(s.outside).toBe(true)
      expect([s.first, s.last]).toEqual([-1, -1])
      expect(drawnItemRange(s, [0, 4, 9, 20, 22], [7, 7])).toEqual([0, 0])
    }
  })

  it('changes (and bumps the version) only when the zone or the level changes', () => {
    const s = createDrawDistance(TIANHE_LAYOUT)
    // Created at full level: the first update at full level changes no flag.
    expect(updateDrawDistance(s, 'node-cabin', 2)).toBe(false)
    const v = s.version
    // Same zone, same level: nothing to do.
    expect(updateDrawDistance(s, 'node-cabin', 2)).toBe(false)
    expect(s.version).toBe(v)
    expect(updateDrawDistance(s, 'node-cabin', 0)).toBe(true)
    expect(s.version).toBe(v + 1)
    // Level 2 in another zone draws the same: the inputs changed, the flags did not.
    updateDrawDistance(s, 'node-cabin', 2)
    const v2 = s.version
    expect(updateDrawDistance(s, 'large-column', 2)).toBe(false)
    expect(s.version).toBe(v2)
  })

  it('the drawn zones are one run along the axis, so sorted items draw as one range', () => {
    const s = createDrawDistance(TIANHE_LAYOUT)
    // Items per zone: 4 in the node, 5 in the small column, 11 in the large column, 2 in the passage.
    const starts = [0, 4, 9, 20, 22]
    const out: [number, number] = [0, 0]
    for (const zone of [...ZONES, 'resource-cabin']) {
      for (const level of [0, 1, 2]) {
        updateDrawDistance(s, zone, level)
        const on = s.zoneDrawn.map((d, i) => (d ? i : -1)).filter((i) => i >= 0)
        // Contiguous: no hidden zone between two drawn ones.
        if (on.length) expect(on[on.length - 1] - on[0] + 1).toBe(on.length)
        drawnItemRange(s, starts, out)
        const items = on.reduce((sum, i) => sum + starts[i + 1] - starts[i], 0)
        expect(out[1] - out[0], `${zone} ${level}`).toBe(items)
        expect(anyZoneDrawn(s, [2])).toBe(s.zoneDrawn[2])
      }
    }
    updateDrawDistance(s, 'large-column', 1)
    expect(drawnItemRange(s, starts, out)).toEqual([4, 22])
  })

  it('places axial positions in zones, the ends clamped to the end zones', () => {
    const s = createDrawDistance(TIANHE_LAYOUT)
    expect(zoneIndexAt(TIANHE_LAYOUT, s, 0.2)).toBe(0)
    expect(zoneIndexAt(TIANHE_LAYOUT, s, -3.05)).toBe(0)
    expect(zoneIndexAt(TIANHE_LAYOUT, s, -3.06)).toBe(1)
    expect(zoneIndexAt(TIANHE_LAYOUT, s, -9)).toBe(2)
    expect(zoneIndexAt(TIANHE_LAYOUT, s, -12.62)).toBe(3)
    expect(zoneIndexAt(TIANHE_LAYOUT, s, -17.9)).toBe(3)
  })
})
