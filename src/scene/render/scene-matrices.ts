import type { Object3D } from 'three'

/**
 * Scene matrices, once a frame. Every `gl.render(scene, …)` walks the whole scene graph to update
 * world matrices when `scene.matrixWorldAutoUpdate` is on; the livestream room renders the scene up
 * to four times a frame (programme, a camera preview, the mirror, the headset), with the avatar's
 * skeleton in it. Transforms are final once the animation phase is over, so the first system of the
 * jobs phase updates them once and switches the per-render walk off; the last system of the render
 * phase switches it back on (post-phase renders, events and anything outside the frame loop see
 * three's default).
 */
export interface SceneMatrices {
  /** Frames whose matrices were updated once for every render of the frame. */
  frames: number
  /** Whether this frame's renders skip the walk (true between jobs and the end of render). */
  held: boolean
}

/** Creates the counters. */
export function createSceneMatrices(): SceneMatrices {
  return { frames: 0, held: false }
}

/** Start of the jobs phase: one world-matrix update for the frame, then the renders skip theirs. */
export function holdSceneMatrices(state: SceneMatrices, scene: Object3D): void {
  scene.updateMatrixWorld()
  scene.matrixWorldAutoUpdate = false
  state.held = true
  state.frames++
}

/** End of the render phase: three's default again. */
export function releaseSceneMatrices(state: SceneMatrices, scene: Object3D): void {
  if (!state.held) return
  scene.matrixWorldAutoUpdate = true
  state.held = false
}

/**
 * Marks every object under `root` static: its local matrix is composed now, once, and never again
 * per frame (`matrixAutoUpdate = false`). Objects with `userData.dynamic` (and their subtrees) are
 * left as they are. Call again after the subtree changes (e.g. a new backdrop). Returns how many
 * objects it froze.
 */
export function freezeStatic(root: Object3D): number {
  let frozen = 0
  const visit = (object: Object3D) => {
    if (object.userData.dynamic) return
    object.updateMatrix()
    if (object.matrixAutoUpdate) frozen++
    object.matrixAutoUpdate = false
    for (const child of object.children) visit(child)
  }
  visit(root)
  return frozen
}
