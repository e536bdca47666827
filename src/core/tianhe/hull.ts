import type { Vector3 } from 'three'

/**
 * The interior hull as an axisymmetric collision shape about the Z axis.
 *
 * The shape is a profile r(z) in the meridian half-plane (z, ρ = √(x² + y²)): a polyline of
 * (z, r) vertices with z non-decreasing. Two consecutive vertices with the same z form a
 * vertical step, i.e. a bulkhead face around a hatch. The ends at zMin and zMax are closed
 * (the hatches there are shut). Because the surface is one of revolution, the point of the hull
 * nearest to any point lies in that point's meridian plane, so sphere-versus-hull collision is an
 * exact 2D circle-versus-polyline problem and needs no meshes.
 */

/** One vertex of the interior profile: axial position z and interior radius r, in metres. */
export interface ProfilePoint {
  /** Axial position along the module axis (m). */
  readonly z: number
  /** Free interior radius at z (m). */
  readonly r: number
}

/** A validated profile, stored as typed arrays so collision queries never allocate. */
export interface HullProfile {
  /** Vertex z values (m), non-decreasing. */
  readonly zs: Float64Array
  /** Vertex radii (m), all > 0. */
  readonly rs: Float64Array
  /** The closed fore/aft ends (m). */
  readonly zMin: number
  readonly zMax: number
}

/** Builds a {@link HullProfile}; throws on an unordered profile or non-positive radius. */
export function createHullProfile(points: readonly ProfilePoint[]): HullProfile {
  if (points.length < 2) throw new RangeError('a hull profile needs at least two points')
  const zs = new Float64Array(points.length)
  const rs = new Float64Array(points.length)
  for (let i = 0; i < points.length; i++) {
    const p = points[i]
    if (!(p.r > 0)) throw new RangeError(`hull radius must be > 0 at point ${i}`)
    if (i > 0 && p.z < points[i - 1].z) throw new RangeError(`hull profile z must not decrease (point ${i})`)
    zs[i] = p.z
    rs[i] = p.r
  }
  const zMin = zs[0]
  const zMax = zs[zs.length - 1]
  if (!(zMax > zMin)) throw new RangeError('hull profile has zero length')
  return { zs, rs, zMin, zMax }
}

/**
 * Interior radius r(z) in metres; 0 outside [zMin, zMax]. Exactly on a bulkhead step it returns
 * the larger of the two radii (the face itself is part of the open side).
 */
export function profileRadiusAt(hull: HullProfile, z: number): number {
  const { zs, rs } = hull
  if (z < hull.zMin || z > hull.zMax) return 0
  let best = 0
  for (let i = 0; i < zs.length - 1; i++) {
    const z0 = zs[i]
    const z1 = zs[i + 1]
    if (z1 <= z0 || z < z0 || z > z1) continue
    const r = rs[i] + ((rs[i + 1] - rs[i]) * (z - z0)) / (z1 - z0)
    if (r > best) best = r
  }
  return best
}

/** Outward contact normal of the last {@link profileSignedDistance} query, in the (z, ρ) plane. */
const lastNormal = { z: 0, r: 0 }

// Checks one wall segment against the query point; keeps the nearest in `nearest`.
const nearest = { d2: Infinity, cz: 0, cr: 0, nz: 0, nr: 0 }
function considerSegment(qz: number, qr: number, az: number, ar: number, bz: number, br: number): void {
  const dz = bz - az
  const dr = br - ar
  const len2 = dz * dz + dr * dr
  if (len2 <= 0) return
  let t = ((qz - az) * dz + (qr - ar) * dr) / len2
  t = t < 0 ? 0 : t > 1 ? 1 : t
  const cz = az + t * dz
  const cr = ar + t * dr
  const ez = qz - cz
  const er = qr - cr
  const d2 = ez * ez + er * er
  if (d2 < nearest.d2) {
    nearest.d2 = d2
    nearest.cz = cz
    nearest.cr = cr
    // Segment normal pointing out of the interior (interior lies below the profile): (−dr, dz).
    const len = Math.sqrt(len2)
    nearest.nz = -dr / len
    nearest.nr = dz / len
  }
}

/**
 * Signed distance (m) from the point (z, ρ) to the hull in the meridian plane: negative inside,
 * positive outside. The outward unit normal at the nearest wall point is left in an internal
 * buffer read by {@link collideSphereWithHull} (no allocation).
 */
export function profileSignedDistance(hull: HullProfile, z: number, rho: number): number {
  const { zs, rs } = hull
  const n = zs.length
  nearest.d2 = Infinity
  // Fore end cap, the wall polyline, then the aft end cap (the axis itself is not a wall).
  considerSegment(z, rho, zs[0], 0, zs[0], rs[0])
  for (let i = 0; i < n - 1; i++) considerSegment(z, rho, zs[i], rs[i], zs[i + 1], rs[i + 1])
  considerSegment(z, rho, zs[n - 1], rs[n - 1], zs[n - 1], 0)
  const d = Math.sqrt(nearest.d2)
  const inside = z > hull.zMin && z < hull.zMax && rho < profileRadiusAt(hull, z)
  if (d > 1e-9) {
    // From the point toward the wall when inside, from the wall toward the point when outside.
    const s = inside ? 1 / d : -1 / d
    lastNormal.z = (nearest.cz - z) * s
    lastNormal.r = (nearest.cr - rho) * s
  } else {
    lastNormal.z = nearest.nz
    lastNormal.r = nearest.nr
  }
  return inside ? -d : d
}

/**
 * Signed distance (m) from a 3D point to the hull wall (negative inside). If `outNormal` is
 * given it receives the outward unit normal of the nearest wall point.
 */
export function hullSignedDistance(hull: HullProfile, point: Vector3, outNormal?: Vector3): number {
  const rho = Math.hypot(point.x, point.y)
  const sd = profileSignedDistance(hull, point.z, rho)
  if (outNormal) normalTo3d(point.x, point.y, rho, outNormal)
  return sd
}

// Lifts the 2D outward normal into 3D using the point's radial direction.
function normalTo3d(x: number, y: number, rho: number, out: Vector3): void {
  let ux = 1
  let uy = 0
  if (rho > 1e-9) {
    ux = x / rho
    uy = y / rho
  }
  out.set(lastNormal.r * ux, lastNormal.r * uy, lastNormal.z)
}

/** Result of the last {@link collideSphereWithHull}; read it right after the call. */
export interface HullContact {
  /** True if the sphere touched the hull in this call. */
  hit: boolean
  /** Total distance (m) the centre was pushed back inside. */
  depth: number
}

const contactResult: HullContact = { hit: false, depth: 0 }

/**
 * Keeps a sphere of `radius` inside the hull: pushes `center` back along the wall normal and, if
 * `velocity` is given, removes its outward normal component (reflecting `restitution` of it).
 * `normalScratch` is any preallocated Vector3 the caller owns (receives the last contact normal).
 * Mutates its inputs and returns a shared result object; allocation-free.
 */
export function collideSphereWithHull(
  hull: HullProfile,
  center: Vector3,
  radius: number,
  velocity: Vector3 | null,
  restitution: number,
  normalScratch: Vector3,
): HullContact {
  contactResult.hit = false
  contactResult.depth = 0
  // A few passes settle corners where two walls (e.g. a bulkhead face and a tunnel) both touch.
  for (let pass = 0; pass < 4; pass++) {
    const rho = Math.hypot(center.x, center.y)
    const sd = profileSignedDistance(hull, center.z, rho)
    const violation = sd + radius
    if (violation <= 1e-9) break
    normalTo3d(center.x, center.y, rho, normalScratch)
    center.addScaledVector(normalScratch, -violation)
    contactResult.hit = true
    contactResult.depth += violation
    if (velocity) {
      const vn = velocity.dot(normalScratch)
      if (vn > 0) velocity.addScaledVector(normalScratch, -(1 + restitution) * vn)
    }
  }
  return contactResult
}

/** Interior volume (m³) enclosed by the profile: a sum of frustums. */
export function profileVolume(hull: HullProfile): number {
  const { zs, rs } = hull
  let v = 0
  for (let i = 0; i < zs.length - 1; i++) {
    const h = zs[i + 1] - zs[i]
    if (h <= 0) continue
    v += (Math.PI / 3) * h * (rs[i] * rs[i] + rs[i] * rs[i + 1] + rs[i + 1] * rs[i + 1])
  }
  return v
}
