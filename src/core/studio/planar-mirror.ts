import { Matrix4, Plane, Vector3, Vector4 } from 'three'

/**
 * A planar mirror seen by one viewer: the virtual camera on the far side of the mirror plane, its
 * projection with an oblique near plane on the mirror (nothing behind the glass is drawn), and the
 * texture matrix that maps the mirror's own vertices to the texels that camera renders. The same
 * method as three's Reflector (examples/jsm/objects/Reflector.js), without its per-draw rendering:
 * the scene layer renders the view when and at the size the frame budget allows. Allocation-free.
 */
export interface PlanarMirrorView {
  /** Reflected camera pose (world) and its inverse. */
  readonly world: Matrix4
  readonly worldInverse: Matrix4
  /** The viewer's projection, mirrored horizontally, with the oblique near plane on the glass. */
  readonly projection: Matrix4
  /** Mirror-local position → texture coordinates (homogeneous: divide by w, as texture2DProj does). */
  readonly textureMatrix: Matrix4
}

/** Creates the (reused) matrices of a mirror view. */
export function createPlanarMirrorView(): PlanarMirrorView {
  return { world: new Matrix4(), worldInverse: new Matrix4(), projection: new Matrix4(), textureMatrix: new Matrix4() }
}

const s = {
  mirrorPos: new Vector3(),
  normal: new Vector3(),
  cameraPos: new Vector3(),
  view: new Vector3(),
  look: new Vector3(),
  target: new Vector3(),
  up: new Vector3(),
  rotation: new Matrix4(),
  plane: new Plane(),
  clip: new Vector4(),
  q: new Vector4(),
}

/** Maps clip space [-1, 1] to texture space [0, 1]. */
const BIAS = new Matrix4().set(0.5, 0, 0, 0.5, 0, 0.5, 0, 0.5, 0, 0, 0.5, 0.5, 0, 0, 0, 1)

/**
 * Updates `out` for a mirror (its front is local +Z, `mirrorWorld` its world matrix) and a viewer
 * (`viewerWorld`, `viewerProjection`). Returns false, leaving `out` as it was, when the viewer is
 * behind the mirror: nothing to render then. `clipBias` pushes the near plane into the glass.
 */
export function updatePlanarMirrorView(out: PlanarMirrorView, mirrorWorld: Matrix4, viewerWorld: Matrix4, viewerProjection: Matrix4, clipBias = 0): boolean {
  const { mirrorPos, normal, cameraPos, view, look, target, up, rotation, plane, clip, q } = s
  mirrorPos.setFromMatrixPosition(mirrorWorld)
  cameraPos.setFromMatrixPosition(viewerWorld)
  rotation.extractRotation(mirrorWorld)
  normal.set(0, 0, 1).applyMatrix4(rotation).normalize()
  view.subVectors(mirrorPos, cameraPos)
  if (view.dot(normal) > 0) return false

  // The viewer's position and gaze point reflected through the plane; up reflected too.
  view.reflect(normal).negate().add(mirrorPos)
  rotation.extractRotation(viewerWorld)
  look.set(0, 0, -1).applyMatrix4(rotation).add(cameraPos)
  target.subVectors(mirrorPos, look).reflect(normal).negate().add(mirrorPos)
  up.set(0, 1, 0).applyMatrix4(rotation).reflect(normal)
  out.world.lookAt(view, target, up).setPosition(view)
  out.worldInverse.copy(out.world).invert()

  // Mirrored image: an asymmetric (per-eye) frustum's horizontal offset flips with it.
  const p = out.projection.copy(viewerProjection)
  p.elements[8] *= -1
  p.elements[12] *= -1

  out.textureMatrix.copy(BIAS).multiply(p).multiply(out.worldInverse).multiply(mirrorWorld)

  // Oblique near plane = the mirror plane (Lengyel, "Oblique view frustum depth projection").
  plane.setFromNormalAndCoplanarPoint(normal, mirrorPos).applyMatrix4(out.worldInverse)
  clip.set(plane.normal.x, plane.normal.y, plane.normal.z, plane.constant)
  const e = p.elements
  q.set((Math.sign(clip.x) + e[8]) / e[0], (Math.sign(clip.y) + e[9]) / e[5], -1, (1 + e[10]) / e[14])
  clip.multiplyScalar(2 / clip.dot(q))
  e[2] = clip.x
  e[6] = clip.y
  e[10] = clip.z + 1 - clipBias
  e[14] = clip.w
  return true
}
