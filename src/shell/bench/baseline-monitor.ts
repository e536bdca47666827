/**
 * Arm (B) of the benchmark: the control law of drei's `PerformanceMonitor` (v10) plus r3f's
 * `performance.regress()`, ported to plain TypeScript so it can be fed the same frames as Lingjing's
 * governor. drei samples frame timestamps over 250 ms windows, turns them into fps, and every 10
 * windows steps a 0..1 factor by 0.1 when more than 75% of windows are above/below its bounds;
 * r3f's regress drops `current` to `min` at once and returns to `max` after `debounce` ms without
 * another call. Both read the wall clock; here they read "headset time", in which a frame that
 * misses its budget occupies whole extra refresh periods, as it would on a headset.
 */
export interface BaselineMonitor {
  /** Feeds one frame's CPU cost; returns the quality multiplier (factor × regress) in 0..1. */
  update(frameCostMs: number, budgetMs: number): number
  /** drei's factor (0..1). */
  readonly factor: number
  /** drei's flip count (direction changes). */
  readonly flipped: number
}

/** Options, with drei's and r3f's defaults except where noted. */
export interface BaselineMonitorOptions {
  ms?: number
  iterations?: number
  threshold?: number
  step?: number
  /** drei starts at 0.5; the benchmark starts every arm at full quality, so 1. */
  factor?: number
  /** drei's default is [40, 60] under 100 Hz (made for 60 Hz monitors); for a headset, 90% and 98% of the refresh rate. */
  bounds?: (refreshrate: number) => [number, number]
  regressMin?: number
  regressDebounceMs?: number
}

/** Creates the baseline controller. Allocation-light: fixed arrays, no per-frame objects. */
export function createBaselineMonitor(options: BaselineMonitorOptions = {}): BaselineMonitor {
  const ms = options.ms ?? 250
  const iterations = options.iterations ?? 10
  const threshold = options.threshold ?? 0.75
  const step = options.step ?? 0.1
  const bounds = options.bounds ?? ((hz: number) => [hz * 0.9, hz * 0.98] as [number, number])
  const regressMin = options.regressMin ?? 0.5
  const debounce = options.regressDebounceMs ?? 200
  const averages = new Float64Array(iterations)
  let averagesCount = 0
  let index = 0
  let factor = options.factor ?? 1
  let flipped = 0
  let lastChange = 0 // 0 none, 1 incline, -1 decline
  let refreshrate = 0
  let now = 0
  let windowStart = -1
  let windowFrames = 0
  let current = 1
  let lastRegress = -Infinity

  return {
    get factor() {
      return factor
    },
    get flipped() {
      return flipped
    },
    update(frameCostMs, budgetMs) {
      // Headset time: a frame occupies as many refresh periods as its cost needs.
      now += Math.max(1, Math.ceil(frameCostMs / budgetMs - 1e-9)) * budgetMs
      if (windowStart < 0) windowStart = now
      windowFrames++
      const msPassed = now - windowStart
      if (msPassed >= ms) {
        const fps = Math.round((windowFrames / msPassed) * 1000)
        refreshrate = Math.max(refreshrate, fps)
        averages[index++ % iterations] = fps
        averagesCount = Math.min(iterations, averagesCount + 1)
        if (averagesCount === iterations) {
          const [lower, upper] = bounds(1000 / budgetMs)
          let above = 0
          let below = 0
          for (let i = 0; i < iterations; i++) {
            if (averages[i] >= upper) above++
            if (averages[i] < lower) below++
          }
          if (above > iterations * threshold) {
            if (lastChange !== 1) {
              flipped++
              lastChange = 1
            }
            factor = Math.min(1, factor + step)
          }
          if (below > iterations * threshold) {
            if (lastChange !== -1) {
              flipped++
              lastChange = -1
            }
            factor = Math.max(0, factor - step)
            // onDecline → regress(): the usual pairing in r3f apps.
            current = regressMin
            lastRegress = now
          }
          averagesCount = 0
        }
        windowStart = now
        windowFrames = 0
      }
      if (current < 1 && now - lastRegress >= debounce) current = 1
      return factor * current
    },
  }
}
