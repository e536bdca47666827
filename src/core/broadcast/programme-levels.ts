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
  /**
   * Headset frames from one programme frame to the next, at least. On a headset that keeps its
   * refresh rate the programme's own rate is the lower one and this never bites; when headset
   * frames are slower than the programme's rate (a GPU-bound frame, or the software rasteriser),
   * the lowest levels still draw the scene once more only every 4th or 8th frame. Measured in the
   * emulator (src/scene/render/README.md): at 720p a programme frame waits for its capture's eight
   * copy steps, one render per ~8 headset frames; at 480×270 the capture is one step, and without
   * this the lowest level rendered every ~3 frames, more GPU work per headset frame than full quality.
   */
  minFrames: number
}

/**
 * Governor levels, lowest first: resolution falls first, then the rate, and last the programme
 * gives way to headset frames. A programme frame's JS cost (the scene drawn once more) hardly
 * depends on its size, so when the lowest rate is still too much the programme renders only in
 * leftover time and is forced at most twice a second (the recording repeats frames meanwhile).
 */
export const PROGRAMME_LEVELS: readonly ProgrammeLevel[] = [
  { width: 480, height: 270, fps: 12, patienceMs: 500, minFrames: 8 },
  { width: 480, height: 270, fps: 12, patienceMs: 1000 / 12, minFrames: 4 },
  { width: 640, height: 360, fps: 15, patienceMs: 1000 / 15, minFrames: 1 },
  { width: 640, height: 360, fps: 30, patienceMs: 1000 / 30, minFrames: 1 },
  { width: 960, height: 540, fps: 30, patienceMs: 1000 / 30, minFrames: 1 },
  { width: 1280, height: 720, fps: 30, patienceMs: 1000 / 30, minFrames: 1 },
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
