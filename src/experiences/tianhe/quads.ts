import { BufferGeometry, Float32BufferAttribute, Vector3 } from 'three'
import { getFixture, type ModuleLayout } from '../../core/tianhe'
import { wallSpot } from './outfitting'
import { fixtureTheta } from './fixture-poses'

/**
 * Flat textured quads merged into one geometry: the console screens (one canvas atlas) and the
 * labels (another). Each quad faces into the cabin with its text "up" toward the ceiling (or
 * toward the fore end on the floor and ceiling), so everything reads in the crew's convention.
 */

/** One quad: centre, facing normal, up direction, size (m) and its atlas rectangle (u0, v0, u1, v1). */
export interface QuadSpec {
  center: Vector3
  normal: Vector3
  up: Vector3
  width: number
  height: number
  uv: [number, number, number, number]
}

/** "Up" for a surface facing `normal`: world +Y in the plane, or the fore direction (+Z) on floor and ceiling. */
export function upFor(normal: Vector3): Vector3 {
  const up = new Vector3(0, 1, 0)
  up.addScaledVector(normal, -up.dot(normal))
  if (up.lengthSq() < 1e-4) return new Vector3(0, 0, 1).addScaledVector(normal, -normal.z).normalize()
  return up.normalize()
}

/** Builds one indexed geometry (position, normal, uv) of all the quads. */
export function buildQuads(specs: readonly QuadSpec[]): BufferGeometry {
  const pos: number[] = []
  const nrm: number[] = []
  const uv: number[] = []
  const idx: number[] = []
  const right = new Vector3()
  const corner = new Vector3()
  for (const q of specs) {
    // Seen from the front (looking along −normal), right = up × normal.
    right.crossVectors(q.up, q.normal).normalize()
    const base = pos.length / 3
    const [u0, v0, u1, v1] = q.uv
    const corners: [number, number, number, number][] = [
      [-1, -1, u0, v0],
      [1, -1, u1, v0],
      [1, 1, u1, v1],
      [-1, 1, u0, v1],
    ]
    for (const [sx, sy, u, v] of corners) {
      corner.copy(q.center).addScaledVector(right, (sx * q.width) / 2).addScaledVector(q.up, (sy * q.height) / 2)
      pos.push(corner.x, corner.y, corner.z)
      nrm.push(q.normal.x, q.normal.y, q.normal.z)
      uv.push(u, v)
    }
    idx.push(base, base + 1, base + 2, base, base + 2, base + 3)
  }
  const g = new BufferGeometry()
  g.setAttribute('position', new Float32BufferAttribute(pos, 3))
  g.setAttribute('normal', new Float32BufferAttribute(nrm, 3))
  g.setAttribute('uv', new Float32BufferAttribute(uv, 2))
  g.setIndex(idx)
  g.computeBoundingSphere()
  return g
}

/**
 * A quad on the wall face at a fixture (or at θ, s), lifted `out` metres off the wall, shifted
 * `along` metres along the face and `axial` metres along the axis (+ = fore).
 */
export function wallQuad(layout: ModuleLayout, at: string | { theta: number; s: number }, width: number, height: number, uvRect: [number, number, number, number], out: number, along = 0, axial = 0): QuadSpec {
  let theta: number
  let s: number
  if (typeof at === 'string') {
    const f = getFixture(at, layout)
    theta = fixtureTheta(f)
    s = -f.position[2]
  } else {
    theta = at.theta
    s = at.s
  }
  const { position, quaternion } = wallSpot({ theta, s: s - axial, along, out })
  const normal = new Vector3(0, 1, 0).applyQuaternion(quaternion)
  return { center: position, normal, up: upFor(normal), width, height, uv: uvRect }
}

/** Converts an atlas rectangle in pixels (top-left origin) to uv (bottom-left origin). */
export function atlasUv(x: number, y: number, w: number, h: number, atlasW: number, atlasH: number): [number, number, number, number] {
  return [x / atlasW, 1 - (y + h) / atlasH, (x + w) / atlasW, 1 - y / atlasH]
}
