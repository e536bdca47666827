import { useXR, useXRStore } from '@react-three/xr'
import { useEffect, useMemo } from 'react'
import { useFrameSystem, useQualityScaler } from '../frame/use-frame-system'
import { useLingjing } from '../lingjing-context'
import { createControllerModelsLever, type ControllerModelsMode } from './controller-models'

declare module '../../core/diagnostics/diagnostics' {
  interface SnapshotSections {
    /** The controller models' lever while an experience uses it: its mode, level and models drawn merged. */
    controllerModels?: { mode: ControllerModelsMode; level: number; models: number; merged: number }
  }
}

/**
 * Registers the 'controller-models' lever while an XR session runs (controller-models.ts) and
 * applies its level to every controller model once a frame (animation phase; a model that
 * loads later is caught on its first frame). Leaving the experience restores the models.
 */
export function useControllerModels(mode: ControllerModelsMode): void {
  const store = useXRStore()
  const session = useXR((s) => s.session)
  const { diagnostics } = useLingjing()
  const lever = useMemo(() => createControllerModelsLever(mode), [mode])
  useQualityScaler(session ? lever.scaler : null)
  useEffect(() => diagnostics.setSection('controllerModels', () => lever.describe()), [diagnostics, lever])
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
