import { Matrix4, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { TIANHE_LAYOUT, createDrawDistance, updateDrawDistance } from '../../core/tianhe'
import { applyHandrailRange, createHandrailMesh } from './module-meshes'

describe('handrails by zone', () => {
  it('draws only the drawn zones’ rails, and all of them again at full level', () => {
    const dd = createDrawDistance(TIANHE_LAYOUT, { outsideSeenFrom: ['small-column'] })
    const rails = createHandrailMesh(TIANHE_LAYOUT, dd)
    const all = TIANHE_LAYOUT.handrails.length
    expect(rails.mesh.count).toBe(all)
    const inZone = (ids: string[]) => TIANHE_LAYOUT.handrails.filter((r) => ids.includes(r.zone))
    const m = new Matrix4()
    const p = new Vector3()
    const check = (zone: string, level: number, zones: string[]) => {
      updateDrawDistance(dd, zone, level)
      applyHandrailRange(rails, dd)
      const expected = inZone(zones)
      expect(rails.mesh.count, `${zone} ${level}`).toBe(expected.length)
      expect(rails.mesh.visible).toBe(expected.length > 0)
      // Every drawn instance is the midpoint of one of those zones' rails.
      for (let i = 0; i < rails.mesh.count; i++) {
        rails.mesh.getMatrixAt(i, m)
        p.setFromMatrixPosition(m)
        const hit = expected.some((r) => p.distanceTo(new Vector3(...r.start).add(new Vector3(...r.end)).multiplyScalar(0.5)) < 1e-4)
        expect(hit, `${zone} ${level} instance ${i}`).toBe(true)
      }
    }
    check('large-column', 0, ['large-column'])
    check('node-cabin', 1, ['node-cabin', 'small-column'])
    check('aft-passage', 0, ['aft-passage'])
    check('resource-cabin', 0, [])
    check('aft-passage', 2, ['node-cabin', 'small-column', 'large-column', 'aft-passage'])
    expect(rails.mesh.count).toBe(all)
  })
})
