import { Matrix4, Mesh, type BufferGeometry, type Material, type Object3D } from 'three'
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js'
import type { QualityScaler } from '../../core/frame'

/** One of the XR store's input source states, as far as this lever reads it. */
export interface InputSourceStateLike {
  type: string
  /** The controller's model, set by @react-three/xr's XRControllerModel once it has loaded. */
  object?: Object3D
}

/**
 * What level 0 does to a controller model:
 * - `hide`: nothing is drawn (the livestream, where the wearer sees the avatar's hands instead);
 * - `merge`: one draw instead of one per part (the hub and Tianhe, where the model is the only hand).
 */
export type ControllerModelsMode = 'hide' | 'merge'

/** The 'controller-models' lever and the per-frame sync that applies its level to every controller. */
export interface ControllerModelsLever {
  scaler: QualityScaler
  readonly mode: ControllerModelsMode
  /**
   * Applies the level to every controller model in `states` (a model that loads later is caught
   * on the next frame); returns how many it changed. No allocation, except that `merge` schedules
   * each new model's merged twin once, outside the frame.
   */
  sync(states: ReadonlyArray<InputSourceStateLike>): number
  /** For the snapshot: controller models seen at the last sync, and how many of them are drawn merged now. */
  describe(): { mode: ControllerModelsMode; level: number; models: number; merged: number }
}

/** Name of the merged twin inside a controller model. */
export const MERGED_TWIN_NAME = 'controller-model-merged'

/** A model's single-draw twin and the parts it stands for. */
interface MergedTwin {
  mesh: Mesh
  parts: Mesh[]
}

/**
 * Builds one mesh holding every visible part of a controller model, in the model's own space,
 * with the parts' shared material; the twin is added to the model, hidden. Null when the parts do
 * not share one material or their attributes differ (the model is then left as it is). The parts
 * that move (buttons, thumbstick) are merged where they are now: at rest, as a model is loaded.
 */
export function mergeControllerModel(model: Object3D): { mesh: Mesh; parts: Mesh[] } | null {
  const parts: Mesh[] = []
  let existing: Mesh | null = null
  model.traverse((child) => {
    if (!(child instanceof Mesh)) return
    if (child.name === MERGED_TWIN_NAME) existing = child
    else if (child.visible) parts.push(child)
  })
  // @react-three/xr caches a loaded model across mounts: a twin built for it before is reused.
  if (existing) return { mesh: existing, parts }
  if (parts.length < 2) return null
  const material = parts[0].material as Material | Material[]
  if (Array.isArray(material) || parts.some((p) => p.material !== material)) return null
  model.updateWorldMatrix(true, true)
  const toModel = new Matrix4().copy(model.matrixWorld).invert()
  const relative = new Matrix4()
  const geometries: BufferGeometry[] = parts.map((p) => p.geometry.clone().applyMatrix4(relative.multiplyMatrices(toModel, p.matrixWorld)))
  const merged = mergeGeometries(geometries, false)
  for (const g of geometries) g.dispose()
  if (!merged) return null
  const mesh = new Mesh(merged, material)
  mesh.name = MERGED_TWIN_NAME
  mesh.visible = false
  mesh.renderOrder = parts[0].renderOrder
  model.add(mesh)
  return { mesh, parts }
}

/**
 * The controller models as a quality lever. Each Touch controller model is six meshes (body,
 * trigger, squeeze, two face buttons, thumbstick) sharing one material: twelve draw calls per eye
 * for both. Level 0 either hides them (`hide`, where the avatar's hands stand in) or draws each as
 * one merged mesh (`merge`: two draws per eye, the buttons no longer move). The pointer rays are
 * not part of the model and stay.
 */
export function createControllerModelsLever(mode: ControllerModelsMode = 'hide'): ControllerModelsLever {
  let full = true
  const twins = new WeakMap<Object3D, MergedTwin | null>()
  const scaler: QualityScaler = {
    id: 'controller-models',
    label: mode === 'hide' ? { zh: '手柄模型', en: 'Controller models' } : { zh: '手柄模型细节', en: 'Controller model detail' },
    maxLevel: 1,
    // Declared first estimate; the governor learns the real saving online.
    costPerLevelMs: mode === 'hide' ? 0.6 : 0.5,
    visualImpact: mode === 'hide' ? 0.05 : 0.03,
    apply(level) {
      full = level > 0
    },
  }

  // Merging allocates: done once per model, in a task of its own rather than inside a frame.
  const scheduleTwin = (model: Object3D) => {
    twins.set(model, null)
    setTimeout(() => {
      const built = mergeControllerModel(model)
      if (built) twins.set(model, built)
    }, 0)
  }

  let models = 0
  let merged = 0
  return {
    scaler,
    mode,
    describe: () => ({ mode, level: full ? 1 : 0, models, merged }),
    sync(states) {
      let changed = 0
      models = 0
      merged = 0
      for (let i = 0; i < states.length; i++) {
        const s = states[i]
        if (s.type !== 'controller' || !s.object) continue
        const model = s.object
        models++
        if (mode === 'hide') {
          if (model.visible === full) continue
          model.visible = full
          changed++
          continue
        }
        const twin = twins.get(model)
        if (twin === undefined) {
          scheduleTwin(model)
          continue
        }
        // Not built yet, or the model cannot be merged: the parts stay as they are.
        if (twin === null) continue
        if (twin.mesh.visible !== !full) {
          twin.mesh.visible = !full
          for (let p = 0; p < twin.parts.length; p++) twin.parts[p].visible = full
          changed++
        }
        if (twin.mesh.visible) merged++
      }
      return changed
    },
  }
}
