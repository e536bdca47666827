import { useThree } from '@react-three/fiber'
import { useEffect, type RefObject } from 'react'
import type { Object3D } from 'three'
import { useLingjing } from '../lingjing-context'
import { registerDetailLevers, type DetailLevers } from './detail-levers'
import type { LightCountEntry } from './light-count'

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
    let levers: DetailLevers | null = null
    const start = () => {
      if (levers || app.getState().loading.phase !== 'ready') return
      levers = registerDetailLevers(
        { addScaler: (scaler) => frame.addScaler(scaler), loop: frame.loop, setSection: (name, section) => diagnostics.setSection(name, section) },
        {
          prefix,
          place,
          root: materials?.current ?? null,
          lights: lights ? lights() : null,
          materialCostMs,
          lightCostMs,
          compile: () => {
            gl.compileAsync(scene, camera).catch((error: unknown) => diagnostics.reportError(`precompile ${prefix}: ${String(error)}`))
          },
          viewer: () => (gl.xr.isPresenting ? gl.xr.getCamera() : camera).matrixWorld.elements,
        },
      )
    }
    start()
    const unsubscribe = app.subscribe(start)
    return () => {
      unsubscribe()
      levers?.remove()
    }
    // The lights callback and the labels are fixed per place; re-registering on their identity would drop the levers.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [app, camera, diagnostics, frame, gl, materials, prefix, scene, version])
}
