import { Euler, Matrix4, Quaternion, Vector3, Vector4 } from 'three'
import { describe, expect, it } from 'vitest'
import { createPlanarMirrorView, updatePlanarMirrorView } from './planar-mirror'

/** A mirror 2 m ahead of the viewer, turned a little, standing upright. */
function mirrorAt(position: Vector3, yaw: number): Matrix4 {
  return new Matrix4().compose(position, new Quaternion().setFromEuler(new Euler(0, yaw, 0)), new Vector3(1, 1, 1))
}

function viewer(position: Vector3, yaw = 0, pitch = 0): { world: Matrix4; projection: Matrix4 } {
  const world = new Matrix4().compose(position, new Quaternion().setFromEuler(new Euler(pitch, yaw, 0, 'YXZ')), new Vector3(1, 1, 1))
  // A 90° symmetric frustum, near 0.05, far 100 (like a headset eye, both eyes merged).
  const n = 0.05
  const projection = new Matrix4().makePerspective(-n, n, n, -n, n, 100)
  return { world, projection }
}

/** Where the segment a→b crosses the plane through p with normal n. */
function crossing(a: Vector3, b: Vector3, p: Vector3, n: Vector3): Vector3 {
  const d = b.clone().sub(a)
  const t = p.clone().sub(a).dot(n) / d.dot(n)
  return a.clone().addScaledVector(d, t)
}

describe('planar mirror view', () => {
  it('puts the virtual camera at the viewer reflected through the mirror plane', () => {
    const view = createPlanarMirrorView()
    const v = viewer(new Vector3(0.2, 1.6, 0))
    expect(updatePlanarMirrorView(view, mirrorAt(new Vector3(0, 1.5, -2), 0), v.world, v.projection)).toBe(true)
    const eye = new Vector3().setFromMatrixPosition(view.world)
    expect(eye.x).toBeCloseTo(0.2, 6)
    expect(eye.y).toBeCloseTo(1.6, 6)
    expect(eye.z).toBeCloseTo(-4, 6)
    // It looks back toward the mirror (+Z world), not away from it.
    const forward = new Vector3(0, 0, -1).transformDirection(view.world)
    expect(forward.z).toBeGreaterThan(0.99)
  })

  it('maps each point of the glass to the texel showing what the viewer should see reflected there', () => {
    const view = createPlanarMirrorView()
    const mirrorPos = new Vector3(0.3, 1.4, -1.8)
    const mirror = mirrorAt(mirrorPos, 0.4)
    const normal = new Vector3(0, 0, 1).transformDirection(mirror)
    const eyePos = new Vector3(-0.1, 1.62, 0.1)
    const v = viewer(eyePos, 0.25, -0.1)
    expect(updatePlanarMirrorView(view, mirror, v.world, v.projection)).toBe(true)
    const mirrorInverse = mirror.clone().invert()
    for (const p of [new Vector3(0.2, 1.3, -0.8), new Vector3(-0.4, 1.7, -0.5), new Vector3(0.5, 0.9, -1.2)]) {
      // The viewer sees p's mirror image where the line to that image crosses the glass.
      const image = p.clone().sub(mirrorPos).reflect(normal).add(mirrorPos)
      const onGlass = crossing(eyePos, image, mirrorPos, normal)
      const local = onGlass.clone().applyMatrix4(mirrorInverse)
      const uvw = new Vector4(local.x, local.y, local.z, 1).applyMatrix4(view.textureMatrix)
      // What the virtual camera renders at p (its texel), in the same [0, 1] texture space.
      const clip = new Vector4(p.x, p.y, p.z, 1).applyMatrix4(view.worldInverse).applyMatrix4(view.projection)
      expect(uvw.x / uvw.w).toBeCloseTo(clip.x / clip.w / 2 + 0.5, 5)
      expect(uvw.y / uvw.w).toBeCloseTo(clip.y / clip.w / 2 + 0.5, 5)
    }
  })

  it('clips everything behind the glass with the oblique near plane', () => {
    const view = createPlanarMirrorView()
    const v = viewer(new Vector3(0, 1.6, 0))
    updatePlanarMirrorView(view, mirrorAt(new Vector3(0, 1.5, -2), 0), v.world, v.projection)
    const depth = (p: Vector3) => {
      const c = new Vector4(p.x, p.y, p.z, 1).applyMatrix4(view.worldInverse).applyMatrix4(view.projection)
      return c.z / c.w
    }
    // In front of the mirror (the room): inside the depth range.
    expect(depth(new Vector3(0, 1.5, -1))).toBeGreaterThan(-1)
    expect(depth(new Vector3(0, 1.5, -1))).toBeLessThan(1)
    // Behind it (between the glass and the virtual camera): in front of the near plane, clipped.
    expect(depth(new Vector3(0, 1.5, -3))).toBeLessThan(-1)
  })

  it('reports a viewer behind the mirror and leaves the view untouched', () => {
    const view = createPlanarMirrorView()
    const before = view.world.clone()
    const v = viewer(new Vector3(0, 1.6, -3))
    expect(updatePlanarMirrorView(view, mirrorAt(new Vector3(0, 1.5, -2), 0), v.world, v.projection)).toBe(false)
    expect(view.world.equals(before)).toBe(true)
  })
})
