import { useThree } from '@react-three/fiber'
import { useEffect, type RefObject } from 'react'
import type { Object3D } from 'three'
import type { QualityScaler } from '../../core/frame'
import { useLingjing } from '../lingjing-context'
import { applyLightCount, createLightCount, lightsOnAt, type LightCountEntry } from './light-count'
import {
  MATERIAL_DETAIL_MAX_LEVEL,
  applyMaterialDetail,
  classifyMaterialDetail,
  createMaterialDetail,
  disposeMaterialDetail,
  type MaterialDetail,
} from './material-detail'

/** Options of {@link useDetailLevers}; ids must be unique among the levers registered at once. */
export interface DetailLeverOptions {
  /** Prefix of the lever ids: `<prefix>-materials`, `<prefix>-lights`. */
  prefix: string
  /** Bilingual name of the place, for the lever labels (e.g. 直播间 / studio). */
  place: { zh: string; en: string }
  /** Group whose standard-material meshes get a Lambert twin (null: no material lever). */
  materials: RefObject<Object3D | null> | null
  /** The lights the light-count lever switches, with the level each survives down to. */
  lights?: () => LightCountEntry[]
  /** Declared estimates (the governor learns the real savings). */
  materialCostMs?: number
  lightCostMs?: number
  /** Changing it builds the levers again (e.g. a new backdrop: new meshes). */
  version?: unknown
}

/** Frames between two re-decisions of which meshes are small or far on screen. */
const CLASSIFY_EVERY = 30

/**
 * Registers a place's material-detail and light-count levers once its experience is shown (so the
 * twins and the fewer-lights shader variants are compiled before the governor can need them, not
 * in the frame that first drops). Both are restored to full quality when the place unmounts.
 */
export function useDetailLevers(options: DetailLeverOptions): void {
  const { frame, app, diagnostics } = useLingjing()
  const gl = useThree((s) => s.gl)
  const scene = useThree((s) => s.scene)
  const camera = useThree((s) => s.camera)
  const { prefix, place, materials, lights, materialCostMs = 0.8, lightCostMs = 1.0, version } = options

  useEffect(() => {
    let detail: MaterialDetail | null = null
    const removers: (() => void)[] = []
    let started = false
    const start = () => {
      if (started || app.getState().loading.phase !== 'ready') return
      started = true
      const root = materials?.current ?? null
      detail = root ? createMaterialDetail(root) : null
      const count = lights ? createLightCount(lights()) : null

      // Compile every combination once now (outside any frame): simple materials × light levels.
      const compile = () => {
        gl.compileAsync(scene, camera).catch((error: unknown) => diagnostics.reportError(`precompile ${prefix}: ${String(error)}`))
      }
      const lightLevels = count ? count.maxLevel : 0
      for (let l = lightLevels; l >= 0; l--) {
        if (count) applyLightCount(count, l)
        if (detail) applyMaterialDetail(detail, 0)
        compile()
        if (detail) applyMaterialDetail(detail, MATERIAL_DETAIL_MAX_LEVEL)
        if (l < lightLevels) compile()
      }
      if (count) applyLightCount(count, count.maxLevel)

      const owned = detail
      if (owned && owned.entries.length > 0) {
        const scaler: QualityScaler = {
          id: `${prefix}-materials`,
          label: { zh: `${place.zh}材质细节`, en: `${place.en} material detail` },
          maxLevel: MATERIAL_DETAIL_MAX_LEVEL,
          costPerLevelMs: materialCostMs,
          visualImpact: 0.25,
          apply: (level) => applyMaterialDetail(owned, level),
        }
        removers.push(frame.addScaler(scaler))
        // Small or far is re-decided a few times a second, and only matters at the middle level.
        removers.push(
          frame.loop.register({
            name: `${prefix}-material-detail`,
            phase: 'animation',
            order: 100,
            update(ctx) {
              if (owned.level !== 1 || ctx.frame % CLASSIFY_EVERY !== 0) return
              const e = (gl.xr.isPresenting ? gl.xr.getCamera() : camera).matrixWorld.elements
              classifyMaterialDetail(owned, e[12], e[13], e[14])
              applyMaterialDetail(owned, 1)
            },
          }),
        )
      }
      if (count && count.maxLevel > 0) {
        const scaler: QualityScaler = {
          id: `${prefix}-lights`,
          label: { zh: `${place.zh}灯光数量`, en: `${place.en} light count` },
          maxLevel: count.maxLevel,
          costPerLevelMs: lightCostMs,
          visualImpact: 0.3,
          apply: (level) => applyLightCount(count, level),
        }
        removers.push(frame.addScaler(scaler))
        removers.push(
          diagnostics.setSection(`${prefix}Lights`, () => ({ level: count.level, on: lightsOnAt(count, count.level), of: count.entries.length })),
        )
      }
      if (owned) {
        removers.push(
          diagnostics.setSection(`${prefix}Materials`, () => ({ level: owned.level, meshes: owned.entries.length, simplified: owned.simplified })),
        )
      }
    }
    start()
    const unsubscribe = app.subscribe(start)
    return () => {
      unsubscribe()
      for (let i = removers.length - 1; i >= 0; i--) removers[i]()
      if (detail) disposeMaterialDetail(detail)
    }
    // The lights callback and the labels are fixed per place; re-registering on their identity would drop the levers.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [app, camera, diagnostics, frame, gl, materials, prefix, scene, version])
}
