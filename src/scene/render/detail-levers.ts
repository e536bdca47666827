import type { Object3D } from 'three'
import type { FrameSystem, QualityScaler } from '../../core/frame'
import { applyLightCount, createLightCount, lightsOnAt, type LightCount, type LightCountEntry } from './light-count'
import {
  MATERIAL_DETAIL_MAX_LEVEL,
  applyMaterialDetail,
  classifyMaterialDetail,
  createMaterialDetail,
  disposeMaterialDetail,
  type MaterialDetail,
} from './material-detail'

declare module '../../core/diagnostics/diagnostics' {
  interface SnapshotSections {
    /** `<prefix>Materials` of a place's detail levers (e.g. `studioMaterials`), while they are registered. */
    [materials: `${string}Materials`]: DetailMaterialsSnapshot | undefined
    /** `<prefix>Lights` of a place's detail levers (e.g. `studioLights`). */
    [lights: `${string}Lights`]: DetailLightsSnapshot | undefined
  }
}

/** `snapshot().<prefix>Materials`: the material lever's level, meshes it owns and how many are simplified now. */
export interface DetailMaterialsSnapshot {
  level: number
  meshes: number
  /** Draw calls of the meshes it owns (a merged static mesh is one). */
  draws: number
  simplified: number
}

/** `snapshot().<prefix>Lights`: the light lever's level and the lights on, of all it owns. */
export interface DetailLightsSnapshot {
  level: number
  on: number
  of: number
}

/** Frames between two re-decisions of which meshes are small or far on screen. */
export const CLASSIFY_EVERY = 30

/** What the levers register with: the app frame (its governor owns them) and the diagnostics. */
export interface DetailLeverHost {
  addScaler(scaler: QualityScaler): () => void
  loop: { register(system: FrameSystem): () => void }
  setSection(name: string, section: () => unknown): () => void
}

/** One place's material-detail and light-count levers; ids must be unique among the levers registered at once. */
export interface DetailLeverSetup {
  /** Prefix of the lever ids: `<prefix>-materials`, `<prefix>-lights`. */
  prefix: string
  /** Bilingual name of the place, for the lever labels (e.g. 直播间 / studio). */
  place: { zh: string; en: string }
  /** Group whose standard-material meshes get a Lambert twin (null: no material lever). */
  root: Object3D | null
  /** The lights the light-count lever switches, with the level each survives down to. */
  lights: readonly LightCountEntry[] | null
  /** Declared estimates (the governor learns the real savings). */
  materialCostMs: number
  lightCostMs: number
  /** Compiles the scene's programs for the materials and lights as they are now (outside any frame). */
  compile(): void
  /** The viewer's world matrix elements (the headset's in XR), for "small or far". */
  viewer(): ArrayLike<number>
}

/** What {@link registerDetailLevers} made; `remove` unregisters both levers and restores full quality. */
export interface DetailLevers {
  readonly materials: MaterialDetail | null
  readonly lights: LightCount | null
  remove(): void
}

/**
 * Builds a place's levers and registers them: every variant (simple materials × light levels) is
 * compiled first, so the governor's first drop never compiles a shader inside an over-budget
 * frame. A lever with nothing to act on (no standard-material mesh, fewer than two light levels)
 * is not registered at all.
 */
export function registerDetailLevers(host: DetailLeverHost, setup: DetailLeverSetup): DetailLevers {
  const { prefix, place } = setup
  const detail = setup.root ? createMaterialDetail(setup.root) : null
  const count = setup.lights ? createLightCount(setup.lights) : null
  const removers: (() => void)[] = []

  const lightLevels = count ? count.maxLevel : 0
  for (let l = lightLevels; l >= 0; l--) {
    if (count) applyLightCount(count, l)
    if (detail) applyMaterialDetail(detail, 0)
    setup.compile()
    if (detail) applyMaterialDetail(detail, MATERIAL_DETAIL_MAX_LEVEL)
    if (l < lightLevels) setup.compile()
  }
  if (count) applyLightCount(count, count.maxLevel)

  if (detail && detail.entries.length > 0) {
    const owned = detail
    removers.push(
      host.addScaler({
        id: `${prefix}-materials`,
        label: { zh: `${place.zh}材质细节`, en: `${place.en} material detail` },
        maxLevel: MATERIAL_DETAIL_MAX_LEVEL,
        costPerLevelMs: setup.materialCostMs,
        visualImpact: 0.25,
        apply: (level) => applyMaterialDetail(owned, level),
      }),
    )
    // Small or far is re-decided a few times a second, and only matters at the middle level.
    removers.push(
      host.loop.register({
        name: `${prefix}-material-detail`,
        phase: 'animation',
        order: 100,
        update(ctx) {
          if (owned.level !== 1 || ctx.frame % CLASSIFY_EVERY !== 0) return
          const e = setup.viewer()
          classifyMaterialDetail(owned, e[12], e[13], e[14])
          applyMaterialDetail(owned, 1)
        },
      }),
    )
    removers.push(host.setSection(`${prefix}Materials`, (): DetailMaterialsSnapshot => ({ level: owned.level, meshes: owned.meshes, draws: owned.entries.length, simplified: owned.simplified })))
  }
  if (count && count.maxLevel > 0) {
    removers.push(
      host.addScaler({
        id: `${prefix}-lights`,
        label: { zh: `${place.zh}灯光数量`, en: `${place.en} light count` },
        maxLevel: count.maxLevel,
        costPerLevelMs: setup.lightCostMs,
        visualImpact: 0.3,
        apply: (level) => applyLightCount(count, level),
      }),
    )
    removers.push(host.setSection(`${prefix}Lights`, (): DetailLightsSnapshot => ({ level: count.level, on: lightsOnAt(count, count.level), of: count.entries.length })))
  }
  let removed = false
  return {
    materials: detail,
    lights: count,
    remove() {
      if (removed) return
      removed = true
      // Removing a lever sets it back to full quality (the app frame does that), then the twins go.
      for (let i = removers.length - 1; i >= 0; i--) removers[i]()
      if (detail) disposeMaterialDetail(detail)
    },
  }
}
