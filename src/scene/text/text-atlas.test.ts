import { describe, expect, it } from 'vitest'
import { cellUv, packShelves } from './text-atlas'

describe('text atlas shelf packing', () => {
  it('places cells left to right, opens a new shelf when a row is full, never overlapping', () => {
    const layout = packShelves([{ w: 256, h: 64 }, { w: 200, h: 40 }, { w: 100, h: 50 }, { w: 512, h: 30 }], 512, 4)
    expect(layout.cells).toEqual([
      { x: 0, y: 0, w: 256, h: 64 },
      { x: 260, y: 0, w: 200, h: 40 },
      { x: 0, y: 68, w: 100, h: 50 },
      { x: 0, y: 122, w: 512, h: 30 },
    ])
    expect(layout.height).toBe(152)
    for (const a of layout.cells)
      for (const b of layout.cells) {
        if (a === b) continue
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y
        expect(apart).toBe(true)
      }
  })

  it('refuses a cell wider than the atlas, and maps cells to flipped-V texture coordinates', () => {
    expect(() => packShelves([{ w: 600, h: 10 }], 512)).toThrow(/600 px wide/)
    expect(cellUv({ x: 0, y: 0, w: 256, h: 64 }, 512, 128)).toEqual([0, 0.5, 0.5, 1])
    expect(packShelves([], 512)).toEqual({ cells: [], width: 512, height: 0 })
  })
})
