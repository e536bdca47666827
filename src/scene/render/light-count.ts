import type { Light } from 'three'

/**
 * Light count: each light a forward-lit fragment shader loops over costs every lit pixel of every
 * eye. A light is kept while the lever's level is at or above its `keepFrom`; below, it is hidden
 * (three leaves hidden lights out of the shader, a different program: precompile the variants).
 */
export interface LightCountEntry {
  readonly light: Light
  /** Lowest level at which the light is still on (0 = always on). */
  readonly keepFrom: number
  /**
   * Intensity per level (index = level), for a light that stays on and brightens as others go out,
   * so the set keeps its exposure (an intensity is a uniform: no shader change).
   */
  readonly intensityByLevel?: readonly number[]
}

/** The lights a lever switches, and the top level (every light on). */
export interface LightCount {
  readonly entries: readonly LightCountEntry[]
  readonly maxLevel: number
  level: number
}

/** A light-count lever state from lights and the level each one survives down to. */
export function createLightCount(entries: readonly LightCountEntry[]): LightCount {
  let maxLevel = 0
  for (const e of entries) {
    if (e.keepFrom > maxLevel) maxLevel = e.keepFrom
    if (e.intensityByLevel && e.intensityByLevel.length - 1 > maxLevel) maxLevel = e.intensityByLevel.length - 1
  }
  return { entries, maxLevel, level: maxLevel }
}

/** Shows the lights a level keeps, hides the rest. No allocation. */
export function applyLightCount(count: LightCount, level: number): void {
  count.level = level
  for (let i = 0; i < count.entries.length; i++) {
    const e = count.entries[i]
    e.light.visible = level >= e.keepFrom
    const byLevel = e.intensityByLevel
    if (byLevel) e.light.intensity = byLevel[level < byLevel.length ? level : byLevel.length - 1]
  }
}

/** Lights on at a level. */
export function lightsOnAt(count: LightCount, level: number): number {
  let on = 0
  for (const e of count.entries) if (level >= e.keepFrom) on++
  return on
}
