import {
  BoxGeometry,
  BufferGeometry,
  Color,
  CylinderGeometry,
  Float32BufferAttribute,
  Matrix4,
  Quaternion,
  SphereGeometry,
  TorusGeometry,
  Vector3,
} from 'three'
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js'
import { createDrawDistance, zoneAt, zoneIndexAt, type ModuleLayout, type ZoneCap, type ZoneId } from '../../core/tianhe'
import { PALETTE, createOutfitting, octagonRadius, type Part } from './outfitting'

/**
 * Turns the core layout into a few merged, vertex-coloured geometries (one draw call each):
 * - `lit`: the interior shell, outfitting and foot-restraint straps (Lambert, lit by the cabin lighting scene),
 * - `glow`: light panels, LEDs and displays (unlit, tinted by the lighting scene),
 * - `exterior`: the outside of the module with sunlight baked into the vertex colours (unlit).
 * Static geometry is built once; nothing here runs per frame.
 */

/** Angular segments of the revolved shell (4 per octagon face). */
export const SHELL_SEGMENTS = 32

/** The Earth-view window: a hole in the +X wall of the small column (the frame covers its edges). */
export const WINDOW = { thetaMin: 78.75, thetaMax: 101.25, sMin: 6.35, sMax: 6.75, centre: new Vector3(1.0, 0, -6.55), normal: new Vector3(1, 0, 0) } as const

const DEG = Math.PI / 180

/** Shape of a shell ring: the node and the hatch tunnels are round, the columns octagonal. */
function isOctagon(z: number, r: number): boolean {
  return z <= -3.05 + 1e-6 && r > 0.46
}

function ringRadius(z: number, r: number, thetaDeg: number): number {
  return isOctagon(z, r) ? octagonRadius(r, thetaDeg) : r
}

const tmpColor = new Color()
const lower = new Color()
const upper = new Color()

// Interior colour by angle: light "up" (ceiling), darker "down" (floor), flat per octagon face.
function shellColor(z: number, r: number, thetaDeg: number, shade: number, out: Color): Color {
  if (isOctagon(z, r)) {
    const face = (Math.round(thetaDeg / 45) * 45 + 360) % 360
    const hex =
      face === 0 ? PALETTE.ceiling : face === 180 ? PALETTE.floor : face === 90 || face === 270 ? PALETTE.wall : face === 45 || face === 315 ? PALETTE.diagonalUpper : PALETTE.diagonalLower
    out.set(hex)
  } else {
    const t = (Math.cos(thetaDeg * DEG) + 1) / 2
    lower.set(r < 0.46 ? PALETTE.hatchFrame : PALETTE.nodeLower)
    upper.set(r < 0.46 ? PALETTE.bulkhead : PALETTE.node)
    out.copy(lower).lerp(upper, t * t * (3 - 2 * t))
  }
  return out.multiplyScalar(shade)
}

class MeshBuilder {
  readonly positions: number[] = []
  readonly normals: number[] = []
  readonly colors: number[] = []
  readonly indices: number[] = []

  vertex(p: Vector3, n: Vector3, c: Color): number {
    this.positions.push(p.x, p.y, p.z)
    this.normals.push(n.x, n.y, n.z)
    this.colors.push(c.r, c.g, c.b)
    return this.positions.length / 3 - 1
  }

  /** Quad a-b-c-d, front face counter-clockwise seen from the side the normals point to. */
  quad(a: number, b: number, c: number, d: number): void {
    this.indices.push(a, b, c, a, c, d)
  }

  build(): BufferGeometry {
    const g = new BufferGeometry()
    g.setAttribute('position', new Float32BufferAttribute(this.positions, 3))
    g.setAttribute('normal', new Float32BufferAttribute(this.normals, 3))
    g.setAttribute('color', new Float32BufferAttribute(this.colors, 3))
    g.setIndex(this.indices)
    return g
  }
}

/**
 * The interior shell: the core's profile revolved about the axis (round in the node and hatch
 * tunnels, octagonal in the columns), normals pointing into the cabin, with a hole for the window
 * and no cap at the aft (Tianzhou) hatch, which is a separate, opening door.
 */
export function buildInteriorShell(layout: ModuleLayout): BufferGeometry {
  const mb = new MeshBuilder()
  shellInto(layout, () => mb)
  return mb.build()
}

/**
 * The interior shell split by zone (fore → aft, as in {@link createDrawDistance}): each quad goes to
 * the zone of its mid-point, a bulkhead annulus to the zone it faces (the wider section), the fore
 * hatch to the node. Together they are exactly {@link buildInteriorShell}.
 */
export function buildInteriorShellByZone(layout: ModuleLayout): BufferGeometry[] {
  const zones = createDrawDistance(layout)
  const builders = zones.zones.map(() => new MeshBuilder())
  shellInto(layout, (z) => builders[zoneIndexAt(layout, zones, z)])
  return builders.map((b) => b.build())
}

// Emits the shell's quads into the builder `into(z)` picks by axial position.
function shellInto(layout: ModuleLayout, into: (z: number) => MeshBuilder): void {
  const prof = layout.profile
  // Subdivide long straight runs so rack panels can alternate shade, and split at the window.
  const rings: { z: number; r: number; panel: number }[] = []
  const breaks = [-WINDOW.sMax, -WINDOW.sMin]
  for (let i = 0; i < prof.length; i++) {
    const p = prof[i]
    rings.push({ z: p.z, r: p.r, panel: 0 })
    const q = prof[i + 1]
    if (!q || q.z === p.z) continue
    const cuts = new Set<number>()
    const len = q.z - p.z
    const pieces = isOctagon(p.z, p.r) && isOctagon(q.z, q.r) ? Math.ceil(len / 0.62) : 1
    for (let k = 1; k < pieces; k++) cuts.add(p.z + (len * k) / pieces)
    for (const b of breaks) if (b > p.z + 1e-6 && b < q.z - 1e-6) cuts.add(b)
    for (const z of [...cuts].sort((a, b) => a - b)) rings.push({ z, r: p.r + ((q.r - p.r) * (z - p.z)) / len, panel: 0 })
  }
  rings.forEach((ring, i) => (ring.panel = i))
  const N = SHELL_SEGMENTS
  const a = new Vector3()
  const b = new Vector3()
  const c = new Vector3()
  const d = new Vector3()
  const n = new Vector3()
  const e1 = new Vector3()
  const e2 = new Vector3()
  const point = (z: number, r: number, theta: number, out: Vector3) => {
    const rr = ringRadius(z, r, theta)
    return out.set(rr * Math.sin(theta * DEG), rr * Math.cos(theta * DEG), z)
  }
  for (let i = 0; i < rings.length - 1; i++) {
    const r0 = rings[i]
    const r1 = rings[i + 1]
    if (r0.z === r1.z && r0.r === r1.r) continue
    // A bulkhead annulus joins a round hatch ring to an octagonal column ring.
    const oct0 = isOctagon(r0.z, r0.r)
    const oct1 = isOctagon(r1.z, r1.r)
    const shade = oct0 && oct1 && r0.z !== r1.z ? (i % 2 ? 0.97 : 1.0) : 1
    for (let j = 0; j < N; j++) {
      const t0 = (j * 360) / N
      const t1 = ((j + 1) * 360) / N
      const sMid = -(r0.z + r1.z) / 2
      if (sMid > WINDOW.sMin && sMid < WINDOW.sMax && t0 >= WINDOW.thetaMin - 1e-6 && t1 <= WINDOW.thetaMax + 1e-6 && oct0) continue
      const rad = (z: number, r: number, t: number, oct: boolean, out: Vector3) => {
        const rr = oct ? octagonRadius(r, t) : r
        return out.set(rr * Math.sin(t * DEG), rr * Math.cos(t * DEG), z)
      }
      rad(r0.z, r0.r, t0, oct0, a)
      rad(r0.z, r0.r, t1, oct0, b)
      rad(r1.z, r1.r, t1, oct1, c)
      rad(r1.z, r1.r, t0, oct1, d)
      // Flat normal of the quad, turned to face the axis (into the cabin).
      e1.subVectors(c, a)
      e2.subVectors(d, b)
      n.crossVectors(e1, e2).normalize()
      const tm = ((t0 + t1) / 2) * DEG
      const inward = -(n.x * Math.sin(tm) + n.y * Math.cos(tm))
      const annulus = r0.z === r1.z
      let flip = inward < 0
      if (annulus) {
        // Bulkhead faces look into the wide section: it lies fore (+z) if the radius grows with z.
        const cabinSide = r1.r > r0.r ? 1 : -1
        flip = n.z * cabinSide < 0
      }
      if (flip) n.negate()
      // An annulus belongs to the section it faces (1 mm into it); a wall quad to its mid-point.
      const mb = into(annulus ? r0.z + (r1.r > r0.r ? 1e-3 : -1e-3) : (r0.z + r1.z) / 2)
      const col = shellColor((r0.z + r1.z) / 2, Math.max(r0.r, r1.r), (t0 + t1) / 2, shade, tmpColor)
      if (!oct0 && !oct1 && !annulus) {
        // Smooth around the axis on round sections: per-vertex radial normals with the slope.
        const dz = r1.z - r0.z
        const dr = r1.r - r0.r
        const len = Math.hypot(dz, dr)
        const nz = dr / len
        const nr = -dz / len
        const vn = (t: number, out: Vector3) => out.set(nr * Math.sin(t * DEG), nr * Math.cos(t * DEG), nz)
        const cA = shellColor(r0.z, r0.r, t0, 1, new Color())
        const cB = shellColor(r0.z, r0.r, t1, 1, new Color())
        const ia = mb.vertex(a, vn(t0, e1), cA)
        const ib = mb.vertex(b, vn(t1, e1), cB)
        const ic = mb.vertex(c, vn(t1, e1), cB)
        const id = mb.vertex(d, vn(t0, e1), cA)
        pushOriented(mb, ia, ib, ic, id, a, b, c, n)
      } else {
        const ia = mb.vertex(a, n, col)
        const ib = mb.vertex(b, n, col)
        const ic = mb.vertex(c, n, col)
        const id = mb.vertex(d, n, col)
        pushOriented(mb, ia, ib, ic, id, a, b, c, n)
      }
    }
  }
  // Fore end cap: the closed forward docking hatch (z = 0), facing aft into the node.
  const fore = prof[prof.length - 1]
  const mb = into(fore.z)
  const centre = mb.vertex(new Vector3(0, 0, fore.z), new Vector3(0, 0, -1), new Color(PALETTE.hatch))
  for (let j = 0; j < N; j++) {
    const t0 = (j * 360) / N
    const t1 = ((j + 1) * 360) / N
    const ia = mb.vertex(point(fore.z, fore.r, t0, a), new Vector3(0, 0, -1), new Color(PALETTE.hatch))
    const ib = mb.vertex(point(fore.z, fore.r, t1, b), new Vector3(0, 0, -1), new Color(PALETTE.hatch))
    pushTriangleOriented(mb, centre, ia, ib, new Vector3(0, 0, fore.z), a, b, new Vector3(0, 0, -1))
  }
}

/** Colour of a cap over a hatch (a closed hatch) and over the open cone between the columns (a dark bulkhead). */
export const CAP_COLORS = { hatch: PALETTE.hatch, open: PALETTE.hatchFrame } as const

/** Radius of the opening at a zone boundary: the smallest profile radius at that z (the hatch, not its bulkhead). */
export function openingRadius(layout: ModuleLayout, z: number): number {
  let r = Infinity
  for (const p of layout.profile) if (Math.abs(p.z - z) < 1e-6) r = Math.min(r, p.r)
  if (r === Infinity) throw new Error(`Tianhe: no profile ring at the zone boundary z = ${z}`)
  return r
}

/**
 * A cap: a disc filling the opening at `cap.z` (round at a hatch, octagonal in the columns, on the
 * shell's own segment angles so its rim meets the shell's vertices), facing into its zone. Drawn
 * only while the zone beyond is hidden, so it never shows a hole into space.
 */
export function buildCap(layout: ModuleLayout, cap: ZoneCap): BufferGeometry {
  const mb = new MeshBuilder()
  const r = openingRadius(layout, cap.z)
  const n = new Vector3(0, 0, cap.facing)
  const color = new Color(r < 0.46 ? CAP_COLORS.hatch : CAP_COLORS.open)
  const centrePos = new Vector3(0, 0, cap.z)
  const centre = mb.vertex(centrePos, n, color)
  const a = new Vector3()
  const b = new Vector3()
  for (let j = 0; j < SHELL_SEGMENTS; j++) {
    const t0 = (j * 360) / SHELL_SEGMENTS
    const t1 = ((j + 1) * 360) / SHELL_SEGMENTS
    const r0 = ringRadius(cap.z, r, t0)
    const r1 = ringRadius(cap.z, r, t1)
    a.set(r0 * Math.sin(t0 * DEG), r0 * Math.cos(t0 * DEG), cap.z)
    b.set(r1 * Math.sin(t1 * DEG), r1 * Math.cos(t1 * DEG), cap.z)
    pushTriangleOriented(mb, centre, mb.vertex(a, n, color), mb.vertex(b, n, color), centrePos, a, b, n)
  }
  const g = mb.build()
  g.computeBoundingSphere()
  return g
}

const o1 = new Vector3()
const o2 = new Vector3()
const oN = new Vector3()

// Emits the quad with the winding whose geometric normal agrees with `n`.
function pushOriented(mb: MeshBuilder, ia: number, ib: number, ic: number, id: number, a: Vector3, b: Vector3, c: Vector3, n: Vector3): void {
  o1.subVectors(b, a)
  o2.subVectors(c, a)
  oN.crossVectors(o1, o2)
  if (oN.dot(n) >= 0) mb.quad(ia, ib, ic, id)
  else mb.quad(ia, id, ic, ib)
}

function pushTriangleOriented(mb: MeshBuilder, i0: number, i1: number, i2: number, p0: Vector3, p1: Vector3, p2: Vector3, n: Vector3): void {
  o1.subVectors(p1, p0)
  o2.subVectors(p2, p0)
  oN.crossVectors(o1, o2)
  if (oN.dot(n) >= 0) mb.indices.push(i0, i1, i2)
  else mb.indices.push(i0, i2, i1)
}

const SUN = new Vector3(0.45, 0.8, 0.4).normalize()

/** A part as a coloured, transformed primitive geometry (position, normal, color; indexed). */
export function partGeometry(part: Part, bakeSun = false): BufferGeometry {
  const seg = part.segments ?? 12
  const [x, y, z] = part.size
  let g: BufferGeometry
  switch (part.shape) {
    case 'box':
      g = new BoxGeometry(x, y, z)
      break
    case 'cylinder':
      g = new CylinderGeometry(x, x, y, seg, 1, part.open ?? false)
      break
    case 'cone':
      g = new CylinderGeometry(x, z, y, seg, 1, part.open ?? false)
      break
    case 'sphere':
      g = new SphereGeometry(x, seg, Math.max(6, Math.round(seg / 2)), 0, Math.PI * 2, y, Math.PI - 2 * y)
      break
    case 'torus':
      g = new TorusGeometry(x, y, 6, seg)
      break
  }
  g.deleteAttribute('uv')
  if (part.inside) {
    // Turn the faces inward: swap the winding and flip the normals.
    const index = g.getIndex()
    if (index) {
      const arr = index.array as Uint16Array | Uint32Array
      for (let i = 0; i < arr.length; i += 3) {
        const t = arr[i + 1]
        arr[i + 1] = arr[i + 2]
        arr[i + 2] = t
      }
    }
    const nrm = g.getAttribute('normal')
    for (let i = 0; i < nrm.count; i++) nrm.setXYZ(i, -nrm.getX(i), -nrm.getY(i), -nrm.getZ(i))
  }
  g.applyMatrix4(new Matrix4().compose(part.position, part.quaternion, new Vector3(1, 1, 1)))
  const count = g.getAttribute('position').count
  const colors = new Float32Array(count * 3)
  const base = new Color(part.color)
  const normal = g.getAttribute('normal')
  const c = new Color()
  for (let i = 0; i < count; i++) {
    c.copy(base)
    if (bakeSun) {
      // Sunlight baked in: the outside does not change with the cabin lighting scene.
      const lambert = Math.max(0, normal.getX(i) * SUN.x + normal.getY(i) * SUN.y + normal.getZ(i) * SUN.z)
      c.multiplyScalar(0.35 + 0.75 * lambert)
    }
    colors[i * 3] = c.r
    colors[i * 3 + 1] = c.g
    colors[i * 3 + 2] = c.b
  }
  g.setAttribute('color', new Float32BufferAttribute(colors, 3))
  return g
}

/** Colour of the foot-restraint straps. */
export const FOOT_RESTRAINT_COLOR = '#3d5a80'

/**
 * Foot restraints: a pair of soft straps per spot on floor and ceiling, lying across the surface,
 * a shoulder-width apart, as vertex-coloured boxes for the lit merged mesh. Nothing picks them or
 * moves them (the feet hold on by the layout's spots), so they cost no draw call of their own.
 */
export function footRestraintGeometries(layout: ModuleLayout): BufferGeometry[] {
  const out: BufferGeometry[] = []
  const up = new Vector3(0, 1, 0)
  const n = new Vector3()
  const side = new Vector3()
  const p = new Vector3()
  const q = new Quaternion()
  const m = new Matrix4()
  const one = new Vector3(1, 1, 1)
  const color = new Color(FOOT_RESTRAINT_COLOR)
  for (const foot of layout.footRestraints) {
    n.set(...foot.normal)
    q.setFromUnitVectors(up, n)
    side.set(1, 0, 0).applyQuaternion(q)
    for (const offset of [-0.14, 0.14]) {
      p.set(...foot.position).addScaledVector(side, offset).addScaledVector(n, 0.02)
      const g = new BoxGeometry(0.09, 0.035, 0.32)
      g.deleteAttribute('uv')
      g.applyMatrix4(m.compose(p, q, one))
      const count = g.getAttribute('position').count
      const colors = new Float32Array(count * 3)
      for (let i = 0; i < count * 3; i += 3) {
        colors[i] = color.r
        colors[i + 1] = color.g
        colors[i + 2] = color.b
      }
      g.setAttribute('color', new Float32BufferAttribute(colors, 3))
      out.push(g)
    }
  }
  return out
}

/** One zone's merged geometries: the lit interior (shell, outfitting, straps) and the glowing panels. */
export interface ZoneGeometries {
  id: ZoneId
  lit: BufferGeometry
  /** Null when the zone has no glowing part. */
  glow: BufferGeometry | null
}

/** The merged static geometries of the module, split by zone. */
export interface ModuleGeometries {
  /** Per pressurised zone, fore → aft (the order of {@link createDrawDistance}'s `zones`). */
  zones: ZoneGeometries[]
  /** Per cap of {@link createDrawDistance} (same order): the disc closing a zone off from a hidden neighbour. */
  caps: BufferGeometry[]
  /** The outside (hull, resource cabin, wings), one mesh: seen from outside and through the window. */
  exterior: BufferGeometry
  /** Parts in each (for diagnostics); the foot-restraint straps are in `lit`, counted apart. */
  partCounts: { lit: number; glow: number; exterior: number; straps: number }
}

/** The zone from whose window the outside is seen (the Earth window's zone). */
export function windowZone(layout: ModuleLayout): ZoneId {
  const zone = zoneAt(WINDOW.centre.z, layout)
  if (!zone) throw new Error('Tianhe: the Earth window is outside the pressurised zones')
  return zone.id
}

function merge(list: BufferGeometry[]): BufferGeometry {
  const merged = mergeGeometries(list, false)
  if (!merged) throw new Error('Tianhe: could not merge the module geometry')
  for (const g of list) g.dispose()
  // Per zone, so the renderer's frustum test culls a zone behind the visitor.
  merged.computeBoundingSphere()
  return merged
}

/** Builds the module's merged geometries from the layout, one lit and one glow mesh per zone (once, at load). */
export function buildModuleGeometries(layout: ModuleLayout): ModuleGeometries {
  const dd = createDrawDistance(layout)
  const parts = createOutfitting(layout)
  const lit: BufferGeometry[][] = buildInteriorShellByZone(layout).map((g) => [g])
  const glow: BufferGeometry[][] = dd.zones.map(() => [])
  const exterior: BufferGeometry[] = []
  const counts = { lit: 0, glow: 0, exterior: 0, straps: 0 }
  for (const part of parts) {
    const zone = zoneIndexAt(layout, dd, part.position.z)
    if (part.exterior) exterior.push(partGeometry(part, true))
    else if (part.glow) glow[zone].push(partGeometry(part))
    else lit[zone].push(partGeometry(part))
    counts[part.exterior ? 'exterior' : part.glow ? 'glow' : 'lit']++
  }
  const straps = footRestraintGeometries(layout)
  for (const strap of straps) {
    strap.computeBoundingBox()
    lit[zoneIndexAt(layout, dd, (strap.boundingBox!.min.z + strap.boundingBox!.max.z) / 2)].push(strap)
  }
  counts.straps = straps.length
  return {
    zones: dd.zones.map((id, i) => ({ id, lit: merge(lit[i]), glow: glow[i].length ? merge(glow[i]) : null })),
    caps: dd.caps.map((cap) => buildCap(layout, cap)),
    exterior: merge(exterior),
    partCounts: counts,
  }
}
