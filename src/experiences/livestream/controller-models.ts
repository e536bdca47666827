import type { Object3D } from 'three'
import type { QualityScaler } from '../../core/frame'

/** One of the XR store's input source states, as far as this lever reads it. */
export interface InputSourceStateLike {
  type: string
  /** The controller's model, set by @react-three/xr's XRControllerModel once it has loaded. */
  object?: Object3D
}

/** The 'controller-models' lever and the per-frame sync that applies its level to every controller. */
export interface ControllerModelsLever {
  scaler: QualityScaler
  /**
   * Shows or hides every controller model in `states` as the level says (a model that loads
   * later is caught on the next frame); returns how many it changed. No allocation.
   */
  sync(states: ReadonlyArray<InputSourceStateLike>): number
}

/**
 * The host's controller models as a quality lever. In the livestream room the wearer already sees
 * the avatar's hands where the controllers are, and each Touch controller model is six meshes
 * (body, trigger, squeeze, two face buttons, thumbstick): twelve draw calls per eye for both, the
 * largest single item of the room's own render at its lowest level (profiled at 4× CPU, see the
 * room's README). Level 0 hides the models; the pointer rays stay (they are not part of the
 * model), so pointing at the controls and the console works the same.
 */
export function createControllerModelsLever(): ControllerModelsLever {
  let visible = true
  const scaler: QualityScaler = {
    id: 'controller-models',
    label: { zh: '手柄模型', en: 'Controller models' },
    maxLevel: 1,
    // Declared first estimate; the governor learns the real saving online.
    costPerLevelMs: 0.6,
    visualImpact: 0.05,
    apply(level) {
      visible = level > 0
    },
  }
  return {
    scaler,
    sync(states) {
      let changed = 0
      for (let i = 0; i < states.length; i++) {
        const s = states[i]
        if (s.type !== 'controller' || !s.object || s.object.visible === visible) continue
        s.object.visible = visible
        changed++
      }
      return changed
    },
  }
}
