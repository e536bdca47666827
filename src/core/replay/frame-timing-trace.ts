/**
 * Records the per-frame timing part (`timing`) of an xr-sessions take, so a take recorded on a
 * headset is also a performance trace (format: `RecordingTiming` in recording-format.ts, documented
 * in xr-sessions/README.md).
 *
 * Per recorded frame the frame driver appends one row: the frame's CPU cost and phases, display
 * interval and missed flag, and the level of every registered lever. GPU times arrive a few frames
 * late: `setGpu(appFrame, ms)` writes them into the row of the frame they measured. Storage is
 * typed arrays grown by doubling, so a frame appends numbers and nothing else; the JSON rows are
 * built once, when the take stops.
 */
import { PHASE_COUNT, PHASES } from '../frame/phases'
import {
  TIMING_BASE_COLUMNS,
  TIMING_FORMAT,
  TIMING_LEVER_PREFIX,
  TIMING_LIMITS,
  TIMING_VERSION,
  type RecordingTiming,
} from './recording-format'

/** What the trace needs of a registered lever (app-frame's `LeverState` satisfies it). */
export interface TracedLever {
  readonly scaler: { readonly id: string; readonly maxLevel: number }
  readonly level: number
}

/** The recorder; see {@link createFrameTimingTrace}. */
export interface FrameTimingTrace {
  /** True between `start` and `stop`. */
  readonly active: boolean
  /** Rows so far. */
  readonly rows: number
  /** Starts a new trace (forgetting any previous one). */
  start(info: { refreshHz: number; budgetMs: number; gpuSource: 'timer-query' | 'none' }): void
  /**
   * Appends the row of recording frame `recordedFrame`, run as app frame `appFrame`. Ignored when
   * not active or when `recordedFrame` does not follow the previous row's. No allocation except
   * when a buffer doubles or a lever is seen for the first time.
   */
  append(
    recordedFrame: number,
    appFrame: number,
    cpuMs: number,
    intervalMs: number,
    missed: boolean,
    phaseCosts: Float64Array,
    levers: readonly TracedLever[],
  ): void
  /** Writes a late GPU result into the row of app frame `appFrame`, if that row exists. */
  setGpu(appFrame: number, gpuMs: number): void
  /** Stops and returns the timing part (null when no row was recorded). */
  stop(): RecordingTiming | null
}

// Numeric columns stored per row: frame, cpu, interval, missed, gpu, phases.
const BASE = TIMING_BASE_COLUMNS.length
const NUMERIC = BASE + PHASE_COUNT
const C_FRAME = 0
const C_GPU = 4

const round2 = (x: number) => Math.round(x * 100) / 100 + 0

/** Creates a trace recorder with room for `initialRows` rows before its first growth (default 1024). */
export function createFrameTimingTrace(initialRows = 1024): FrameTimingTrace {
  if (!(Number.isInteger(initialRows) && initialRows >= 1)) throw new RangeError(`initialRows must be a positive integer, got ${initialRows}`)
  let capacity = initialRows
  let data = new Float64Array(capacity * NUMERIC)
  let appFrames = new Int32Array(capacity)
  let leverIds: string[] = []
  let leverMax: number[] = []
  let leverCols: Int16Array[] = []
  let rows = 0
  let active = false
  let header = { refreshHz: 0, budgetMs: 0, gpuSource: 'none' as 'timer-query' | 'none' }

  function grow(): void {
    capacity *= 2
    const d = new Float64Array(capacity * NUMERIC)
    d.set(data)
    data = d
    const a = new Int32Array(capacity)
    a.set(appFrames)
    appFrames = a
    for (let l = 0; l < leverCols.length; l++) {
      const c = new Int16Array(capacity).fill(-1)
      c.set(leverCols[l])
      leverCols[l] = c
    }
  }

  function leverColumn(id: string, maxLevel: number): number {
    for (let l = 0; l < leverIds.length; l++) if (leverIds[l] === id) return l
    if (leverIds.length >= TIMING_LIMITS.levers || id.length > TIMING_LIMITS.nameLength || !(maxLevel <= TIMING_LIMITS.maxLevel)) return -1
    leverIds.push(id)
    leverMax.push(maxLevel)
    leverCols.push(new Int16Array(capacity).fill(-1))
    return leverIds.length - 1
  }

  return {
    get active() {
      return active
    },
    get rows() {
      return rows
    },
    start(info) {
      header = { refreshHz: info.refreshHz, budgetMs: info.budgetMs, gpuSource: info.gpuSource }
      rows = 0
      leverIds = []
      leverMax = []
      leverCols = []
      active = true
    },
    append(recordedFrame, appFrame, cpuMs, intervalMs, missed, phaseCosts, levers) {
      if (!active) return
      if (rows > 0 && !(recordedFrame > data[(rows - 1) * NUMERIC + C_FRAME])) return
      if (rows === capacity) grow()
      const o = rows * NUMERIC
      data[o] = recordedFrame
      data[o + 1] = cpuMs
      data[o + 2] = intervalMs
      data[o + 3] = missed ? 1 : 0
      data[o + C_GPU] = -1
      for (let p = 0; p < PHASE_COUNT; p++) data[o + BASE + p] = phaseCosts[p]
      appFrames[rows] = appFrame
      for (let i = 0; i < levers.length; i++) {
        const lever = levers[i]
        const col = leverColumn(lever.scaler.id, lever.scaler.maxLevel)
        if (col >= 0) leverCols[col][rows] = lever.level
      }
      rows++
    },
    setGpu(appFrame, gpuMs) {
      if (rows === 0 || !(gpuMs >= 0)) return
      // Results come a few frames late: look back a short way only.
      const stop = rows > 16 ? rows - 16 : 0
      for (let r = rows - 1; r >= stop; r--) {
        if (appFrames[r] === appFrame) {
          data[r * NUMERIC + C_GPU] = gpuMs
          return
        }
        if (appFrames[r] < appFrame) return
      }
    },
    stop() {
      if (!active) return null
      active = false
      if (rows === 0) return null
      const clamp = (x: number) => (x > TIMING_LIMITS.maxMs ? TIMING_LIMITS.maxMs : x < 0 ? 0 : x)
      const out: number[][] = []
      for (let r = 0; r < rows; r++) {
        const o = r * NUMERIC
        const gpu = data[o + C_GPU]
        const row = [
          data[o],
          round2(clamp(data[o + 1])),
          round2(clamp(data[o + 2])),
          data[o + 3],
          gpu >= 0 ? round2(clamp(gpu)) : -1,
        ]
        for (let p = 0; p < PHASE_COUNT; p++) row.push(round2(clamp(data[o + BASE + p])))
        for (let l = 0; l < leverCols.length; l++) row.push(leverCols[l][r])
        out.push(row)
      }
      return {
        format: TIMING_FORMAT,
        version: TIMING_VERSION,
        refreshHz: round2(header.refreshHz),
        budgetMs: round2(header.budgetMs),
        gpuSource: header.gpuSource,
        phases: PHASES.slice(),
        levers: leverIds.map((id, l) => ({ id, maxLevel: leverMax[l] })),
        columns: [...TIMING_BASE_COLUMNS, ...PHASES, ...leverIds.map((id) => TIMING_LEVER_PREFIX + id)],
        rows: out,
      }
    },
  }
}
