import { useXR, useXRStore } from '@react-three/xr'
import { useEffect, useMemo } from 'react'
import { useFrameSystem, useQualityScaler } from '../../scene/frame/use-frame-system'
import { createControllerModelsLever } from './controller-models'

/**
 * Registers the 'controller-models' lever while an XR session runs (controller-models.ts) and
 * applies its level to every controller model once a frame (animation phase; a model that
 * loads later is caught on its first frame). Leaving the room shows the models again.
 */
export function useControllerModels(): void {
  const store = useXRStore()
  const session = useXR((s) => s.session)
  const lever = useMemo(() => createControllerModelsLever(), [])
  useQualityScaler(session ? lever.scaler : null)
  useFrameSystem('controller-models', 'animation', () => {
    lever.sync(store.getState().inputSourceStates)
  })
  useEffect(
    () => () => {
      lever.scaler.apply(lever.scaler.maxLevel)
      lever.sync(store.getState().inputSourceStates)
    },
    [lever, store],
  )
}
