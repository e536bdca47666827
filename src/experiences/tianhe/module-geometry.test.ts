import { Color, Matrix4, Quaternion, Vector3, type BufferGeometry } from 'three'
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js'
import { describe, expect, it } from 'vitest'
import { TIANHE_LAYOUT, createDrawDistance, createTianheWorld, hullRadiusAt } from '../../core/tianhe'
import { filterDoorPose, hatchDoorPose, hitBoxMatrix, interactiveFixtureIds } from './fixture-poses'
import { LABEL_ATLAS, createLabels } from './labels'
import { FOOT_RESTRAINT_COLOR, WINDOW, buildInteriorShell, buildInteriorShellByZone, buildModuleGeometries, footRestraintGeometries, openingRadius, partGeometry, windowZone } from './module-geometry'
import { createOutfitting, octagonRadius } from './outfitting'
import { screenQuads } from './screens'

const layout = TIANHE_LAYOUT

function triangles(g: { index: { count: number } | null; getAttribute(n: string): { count: number } }): number {
  return (g.index ? g.index.count : g.getAttribute('position').count) / 3
}

describe('Tianhe module geometry', () => {
  const geometries = buildModuleGeometries(layout)
  const zoneMeshes = geometries.zones.flatMap((z) => [z.lit, ...(z.glow ? [z.glow] : [])])
  // The whole lit interior, every zone together (as the module was before it was split by zone).
  const allLit = mergeGeometries(geometries.zones.map((z) => z.lit))!
  const sum = (list: BufferGeometry[]) => list.reduce((n, g) => n + triangles(g), 0)

  it('merges the static module into vertex-coloured geometries per zone, well under the triangle budget', () => {
    for (const g of [...zoneMeshes, ...geometries.caps, geometries.exterior]) {
      expect(g.getAttribute('color').count).toBe(g.getAttribute('position').count)
      expect(g.getAttribute('normal').count).toBe(g.getAttribute('position').count)
    }
    const total = sum(zoneMeshes) + triangles(geometries.exterior)
    // The whole static module is a small fraction of the 750k per-frame budget.
    expect(total).toBeGreaterThan(5_000)
    expect(total).toBeLessThan(150_000)
    expect(geometries.partCounts.lit).toBeGreaterThan(100)
  })

  it('draws the foot-restraint straps in the lit mesh: a strap-coloured box on each side of every spot', () => {
    expect(geometries.partCounts.straps).toBe(layout.footRestraints.length * 2)
    const pos = allLit.getAttribute('position')
    const col = allLit.getAttribute('color')
    const strap = new Color(FOOT_RESTRAINT_COLOR)
    const v = new Vector3()
    for (const foot of layout.footRestraints) {
      const at = new Vector3(...foot.position)
      // Strap vertices within a strap's reach of the spot (two boxes of 24 vertices each).
      let near = 0
      for (let i = 0; i < pos.count; i++) {
        if (v.fromBufferAttribute(pos, i).distanceTo(at) > 0.32) continue
        if (Math.abs(col.getX(i) - strap.r) < 1e-6 && Math.abs(col.getY(i) - strap.g) < 1e-6 && Math.abs(col.getZ(i) - strap.b) < 1e-6) near++
      }
      expect(near, foot.id).toBeGreaterThanOrEqual(48)
    }
  })

  it('spans the module at true scale: 16.6 m long, 4.2 m across outside', () => {
    const ext = geometries.exterior
    ext.computeBoundingBox()
    const box = ext.boundingBox!
    // The hull (without the solar wings, which stick out sideways) runs from the forward port to the engines.
    expect(box.max.z).toBeGreaterThan(0)
    expect(box.min.z).toBeLessThan(-16.6)
    expect(box.max.y).toBeCloseTo(2.1, 1)
    const lit = allLit
    lit.computeBoundingBox()
    // Nothing inside sticks out past the forward hatch (its handle stands a few cm proud).
    expect(lit.boundingBox!.max.z).toBeLessThan(0.05)
  })

  it('splits the module into zones that add up to the whole, plus one cap a side at each boundary', () => {
    const dd = createDrawDistance(layout)
    expect(geometries.zones.map((z) => z.id)).toEqual(dd.zones)
    // The former single meshes, built from the same parts without a split: the shell, every part, the straps.
    const parts = createOutfitting(layout)
    const whole = triangles(buildInteriorShell(layout)) + sum(parts.map((p) => partGeometry(p, p.exterior))) + sum(footRestraintGeometries(layout))
    const caps = sum(geometries.caps)
    expect(sum(zoneMeshes) + triangles(geometries.exterior)).toBe(whole)
    expect(sum(zoneMeshes) + triangles(geometries.exterior) + caps).toBe(whole + caps)
    // The split shell is the whole shell, quad for quad.
    expect(sum(buildInteriorShellByZone(layout))).toBe(triangles(buildInteriorShell(layout)))
    // Every zone has its share: nothing piled into one zone.
    for (const z of geometries.zones) expect(triangles(z.lit), z.id).toBeGreaterThan(500)
    // Each zone's geometry lies in its section (parts may reach a few cm past a boundary; the
    // aft passage holds the Tianzhou bay behind its hatch).
    geometries.zones.forEach((z, i) => {
      const range = layout.zones.find((x) => x.id === z.id)!.zRange
      z.lit.computeBoundingBox()
      const box = z.lit.boundingBox!
      expect(box.max.z, z.id).toBeLessThanOrEqual(range[1] + 0.3)
      if (i < geometries.zones.length - 1) expect(box.min.z, z.id).toBeGreaterThanOrEqual(range[0] - 0.3)
      // A bounding sphere of its own, so the renderer culls the zone when it is out of view.
      expect(z.lit.boundingSphere!.radius).toBeLessThan(6)
    })
  })

  it('caps each opening between zones on both sides, facing into its own zone, rim on the opening', () => {
    const dd = createDrawDistance(layout)
    expect(geometries.caps).toHaveLength(2 * (dd.zones.length - 1))
    const p = new Vector3()
    const a = new Vector3()
    const b = new Vector3()
    const c = new Vector3()
    dd.caps.forEach((cap, k) => {
      const g = geometries.caps[k]
      const pos = g.getAttribute('position')
      const r = openingRadius(layout, cap.z)
      let rim = 0
      for (let i = 0; i < pos.count; i++) {
        p.fromBufferAttribute(pos, i)
        expect(p.z).toBeCloseTo(cap.z, 6)
        rim = Math.max(rim, Math.hypot(p.x, p.y))
      }
      // Round at a hatch (r ≤ 0.46), octagonal (to the corners) between the columns.
      expect(rim).toBeGreaterThanOrEqual(r - 1e-6)
      expect(rim).toBeLessThanOrEqual(r / Math.cos(Math.PI / 8) + 1e-6)
      const index = g.getIndex()!
      for (let i = 0; i < index.count; i += 3) {
        a.fromBufferAttribute(pos, index.getX(i))
        b.fromBufferAttribute(pos, index.getX(i + 1))
        c.fromBufferAttribute(pos, index.getX(i + 2))
        expect(Math.sign(b.clone().sub(a).cross(c.clone().sub(a)).z)).toBe(cap.facing)
      }
    })
    // The openings: the node's aft hatch, the open cone between the columns, the aft hatch.
    expect(dd.caps.filter((cap) => cap.facing === 1).map((cap) => [cap.z, openingRadius(layout, cap.z)])).toEqual([
      [-3.05, 0.4],
      [-7, 1],
      [-12.6, 0.45],
    ])
    expect(windowZone(layout)).toBe('small-column')
  })

  it('no part of the outside walls off the cabin: nothing faces the cabin across the axis', () => {
    // Along the axis, between the forward hatch (z = 0, closed) and the aft hatch (z = −16.6, it
    // opens onto the Tianzhou bay and beyond), no exterior triangle may face the cabin near the axis.
    const ext = geometries.exterior
    const pos = ext.getAttribute('position')
    const index = ext.getIndex()!
    const a = new Vector3()
    const b = new Vector3()
    const c = new Vector3()
    for (let i = 0; i < index.count; i += 3) {
      a.fromBufferAttribute(pos, index.getX(i))
      b.fromBufferAttribute(pos, index.getX(i + 1))
      c.fromBufferAttribute(pos, index.getX(i + 2))
      const centroid = a.clone().add(b).add(c).divideScalar(3)
      if (Math.hypot(centroid.x, centroid.y) > 0.5 || centroid.z > 0 || centroid.z < -17.3) continue
      const n = b.clone().sub(a).cross(c.clone().sub(a))
      const facesCabin = (centroid.z < -8 && n.z > 1e-9) || (centroid.z > -8 && n.z < -1e-9)
      expect(facesCabin, `exterior triangle at ${centroid.toArray().map((x) => x.toFixed(2))}`).toBe(false)
    }
  })

  it('the interior shell faces into the cabin and has a hole for the Earth window', () => {
    const shell = buildInteriorShell(layout)
    const pos = shell.getAttribute('position')
    const index = shell.getIndex()!
    const a = new Vector3()
    const b = new Vector3()
    const c = new Vector3()
    const n = new Vector3()
    let walls = 0
    let inWindow = 0
    for (let i = 0; i < index.count; i += 3) {
      a.fromBufferAttribute(pos, index.getX(i))
      b.fromBufferAttribute(pos, index.getX(i + 1))
      c.fromBufferAttribute(pos, index.getX(i + 2))
      n.subVectors(b, a).cross(c.clone().sub(a))
      const centroid = a.clone().add(b).add(c).divideScalar(3)
      const rho = Math.hypot(centroid.x, centroid.y)
      if (Math.abs(n.z) < 0.5 * n.length() && rho > 0.3) {
        // Side walls: the winding's normal points toward the axis.
        walls++
        expect(n.x * centroid.x + n.y * centroid.y).toBeLessThan(0)
      }
      const s = -centroid.z
      const theta = ((Math.atan2(centroid.x, centroid.y) * 180) / Math.PI + 360) % 360
      if (s > WINDOW.sMin + 0.01 && s < WINDOW.sMax - 0.01 && theta > WINDOW.thetaMin + 0.5 && theta < WINDOW.thetaMax - 0.5) inWindow++
    }
    expect(walls).toBeGreaterThan(500)
    expect(inWindow).toBe(0)
  })

  it('keeps the outfitting inside the cabin (interior parts) and outside it (exterior parts)', () => {
    for (const part of createOutfitting(layout)) {
      const p = part.position
      if (part.exterior) continue
      if (p.z < -16.6 || p.z > 0) continue // the Tianzhou bay behind the aft hatch
      const r = hullRadiusAt(p.z)
      const theta = (Math.atan2(p.x, p.y) * 180) / Math.PI
      // Within the octagon's corner radius (plus the node sphere's and the wall plates' depth).
      expect(Math.hypot(p.x, p.y), `${part.shape} at ${p.toArray()}`).toBeLessThanOrEqual(octagonRadius(r, theta) + 0.06)
    }
  })
})

describe('fixture hit boxes', () => {
  it('every task fixture has a box around its interaction point', () => {
    const world = createTianheWorld({ seed: 1 })
    const m = new Matrix4()
    const ids = interactiveFixtureIds(layout)
    expect(ids).toContain('console-main')
    expect(ids).toContain('stowage-waste')
    expect(ids).not.toContain('sleep-quarter-1')
    for (const id of ids) {
      if (id === 'filter-panel' || id === 'hatch-tianzhou') continue
      const f = layout.fixtures.find((x) => x.id === id)!
      hitBoxMatrix(layout, world, id, m)
      const local = new Vector3(...f.position).applyMatrix4(m.clone().invert())
      expect(Math.max(Math.abs(local.x), Math.abs(local.y), Math.abs(local.z)), id).toBeLessThanOrEqual(0.5 + 1e-6)
    }
  })

  it('the filter door and the Tianzhou hatch swing into the cabin when opened', () => {
    const p0 = new Vector3()
    const p1 = new Vector3()
    const q = new Quaternion()
    filterDoorPose(layout, false, p0, q)
    filterDoorPose(layout, true, p1, q)
    // The filter panel is on the −X wall: opening brings the door out toward the axis (+x).
    expect(p1.x - p0.x).toBeGreaterThan(0.1)
    hatchDoorPose(layout, false, p0, q)
    hatchDoorPose(layout, true, p1, q)
    // The hatch faces the cabin at the aft end: it opens toward the cabin (+z).
    expect(p1.z - p0.z).toBeGreaterThan(0.3)
  })
})

describe('signs and displays', () => {
  it('every sign is bilingual and fits the label atlas', () => {
    const labels = createLabels(layout)
    expect(labels.length).toBeLessThanOrEqual((LABEL_ATLAS.w / LABEL_ATLAS.cellW) * (LABEL_ATLAS.h / LABEL_ATLAS.cellH))
    for (const l of labels) {
      expect(l.text.zh).toMatch(/[\u4e00-\u9fff]|S-\d\d/)
      expect(l.text.en).toMatch(/[A-Za-z]/)
    }
    const zones = labels.filter((l) => l.style === 'zone').map((l) => l.text.en)
    expect(zones).toEqual(layout.zones.map((z) => z.label.en))
  })

  it('every display sits inside the module, facing the cabin', () => {
    for (const q of screenQuads(layout)) {
      const r = hullRadiusAt(q.center.z)
      expect(Math.hypot(q.center.x, q.center.y)).toBeLessThan(r * 1.09)
      // Facing away from the wall it is on: toward the axis, or along it for the bulkhead ones.
      const outward = new Vector3(q.center.x, q.center.y, 0)
      if (outward.length() > 0.5 && Math.abs(q.normal.z) < 0.9) expect(q.normal.dot(outward)).toBeLessThan(0)
    }
  })
})
