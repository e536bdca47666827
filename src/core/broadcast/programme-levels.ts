/** A programme resolution and rate. */
export interface ProgrammeLevel {
  width: number
  height: number
  fps: number
  /**
   * How long a due programme frame may wait for a headset frame with enough time left before it
   * is forced into one (ms). One interval keeps the rate; longer lets headset frames go first.
   */
  patienceMs: number
}

/**
 * Governor levels, lowest first: resolution falls first, then the rate, and last the programme
 * gives way to headset frames. A programme frame's JS cost (the scene drawn once more) hardly
 * depends on its size, so when the lowest rate is still too much the programme renders only in
 * leftover time and is forced at most twice a second (the recording repeats frames meanwhile).
 */
export const PROGRAMME_LEVELS: readonly ProgrammeLevel[] = [
  { width: 480, height: 270, fps: 12, patienceMs: 500 },
  { width: 480, height: 270, fps: 12, patienceMs: 1000 / 12 },
  { width: 640, height: 360, fps: 15, patienceMs: 1000 / 15 },
  { width: 640, height: 360, fps: 30, patienceMs: 1000 / 30 },
  { width: 960, height: 540, fps: 30, patienceMs: 1000 / 30 },
  { width: 1280, height: 720, fps: 30, patienceMs: 1000 / 30 },
]

/** Output presets the user picks (the governor goes lower when it must, never higher). */
export const PROGRAMME_PRESETS = {
  '720p': 5,
  '540p': 4,
  '360p': 3,
} as const satisfies Record<string, number>

/** A preset name. */
export type ProgrammePreset = keyof typeof PROGRAMME_PRESETS

/** A preset's output size in pixels (its top level's). */
export function programmePresetSize(preset: ProgrammePreset): { width: number; height: number } {
  const level = PROGRAMME_LEVELS[PROGRAMME_PRESETS[preset]]
  return { width: level.width, height: level.height }
}
