import type { Light } from 'three'
import type { LightCountEntry } from '../../scene/render/light-count'

/** Label of the mascot stage's levers (`mascot-materials`, `mascot-lights`). */
export const MASCOT_PLACE = { zh: '小关舞台', en: 'Xiaoguan stage' } as const

/** Label of the hub guide's lever (`guide-materials`). */
export const GUIDE_PLACE = { zh: '小关向导', en: 'Xiaoguan guide' } as const

/** Intensities of the stage's two lights at full quality (mascot-stage.tsx). */
export const STAGE_AMBIENT = 0.9
export const STAGE_SUN = 2.2

/**
 * Ambient intensity with the sun off. Both reach a Lambert or standard surface through the same
 * diffuse term, and the sun's 2.2 at a mean cosine of about 0.5 on what faces it adds about 1.1:
 * 0.9 + 1.1 keeps the stage's exposure (flatter, without the sun's shading).
 */
export const STAGE_AMBIENT_SUN_OFF = 2.0

/**
 * The stage's light-count lever: level 1 the ambient light and the sun, level 0 the ambient
 * light alone, brighter. The sun is the only light every lit fragment loops over (the ambient
 * term is one constant), so level 0 takes the light loop out of the character's and the floor's
 * fragment shaders.
 */
export function mascotStageLights(ambient: Light, sun: Light): LightCountEntry[] {
  return [
    { light: sun, keepFrom: 1 },
    { light: ambient, keepFrom: 0, intensityByLevel: [STAGE_AMBIENT_SUN_OFF, STAGE_AMBIENT] },
  ]
}
