import type { Bilingual } from '../i18n/strings'

/**
 * Tianhe's LED lighting scenes (crew tablets switch them): a glare-free neutral floodlight for
 * work, a warmer, softer light for meals, and a dim blue night light for sleep. The scene applies
 * the numbers to its lights and to the emissive light panels; changing scene never changes the
 * number of lights, so no shader recompiles.
 */

/** Lighting scene ids. */
export type LightingSceneId = 'work' | 'dining' | 'sleep'

/** One lighting scene. */
export interface LightingScene {
  readonly id: LightingSceneId
  readonly label: Bilingual
  /** Flood (hemisphere) light from the light panels: colour toward the ceiling, toward the floor, intensity. */
  readonly skyColor: string
  readonly groundColor: string
  readonly intensity: number
  /** Fill (ambient) light intensity. */
  readonly fill: number
  /** Colour and brightness (0–1) of the light panels themselves. */
  readonly panelColor: string
  readonly panelLevel: number
  /** Brightness (0–1) of screens and indicator LEDs. */
  readonly screenLevel: number
}

/** The three scenes, in tablet order. */
export const LIGHTING_SCENES: readonly LightingScene[] = [
  { id: 'work', label: { zh: '工作照明', en: 'Work' }, skyColor: '#f4f8ff', groundColor: '#8d98a8', intensity: 2.4, fill: 0.55, panelColor: '#f6fbff', panelLevel: 1, screenLevel: 1 },
  { id: 'dining', label: { zh: '就餐照明', en: 'Dining' }, skyColor: '#ffe2bd', groundColor: '#9a8874', intensity: 1.8, fill: 0.45, panelColor: '#ffd7a3', panelLevel: 0.8, screenLevel: 0.85 },
  { id: 'sleep', label: { zh: '睡眠照明', en: 'Sleep' }, skyColor: '#6f86c8', groundColor: '#1d2438', intensity: 0.45, fill: 0.12, panelColor: '#5a74c4', panelLevel: 0.25, screenLevel: 0.5 },
]

/** The scene with `id` (throws on an unknown id: a typo should fail loudly). */
export function lightingScene(id: LightingSceneId): LightingScene {
  const scene = LIGHTING_SCENES.find((s) => s.id === id)
  if (!scene) throw new Error(`unknown lighting scene '${id}'`)
  return scene
}
