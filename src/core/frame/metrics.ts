/**
 * Frame metrics in fixed-size ring buffers. `record` runs every frame and never allocates: all
 * storage is typed arrays created here, and mutable doubles live in a Float64Array rather than in
 * closure variables (V8 boxes doubles written to closure slots, i.e. allocates).
 *
 * Read-side methods (`summary`) may allocate; they run for HUD/diagnostics snapshots, not per frame.
 * `copy*` methods fill caller-owned arrays, so a HUD plot can read every frame without allocating.
 */
import { PHASE_COUNT, PHASES, type FramePhase } from './phases'

export { PHASES, type FramePhase } from './phases'

/** A snapshot of the metrics. Counters marked "total" cover every frame since the last reset; the rest cover the window. */
export interface FrameSummary {
  /** Frames recorded since reset (total). */
  frames: number
  /** Budget of the latest frame, ms. */
  budgetMs: number
  /** Frames whose cost exceeded their budget (total). */
  overBudget: number
  /** Nearest-rank percentiles of frame cost over the window, ms. */
  p50Ms: number
  p95Ms: number
  p99Ms: number
  /** Mean frame cost over the window, ms. */
  meanMs: number
  /** Standard deviation of frame cost over the window (frame-time jitter), ms. */
  jitterMs: number
  /** Longest run of consecutive over-budget frames (total). */
  longestMissRun: number
  /** Over-budget frames in a row up to the latest frame. */
  currentMissRun: number
  /** Frames whose gap since the previous frame exceeded 1.5 refresh periods: the stale-frame proxy (total). */
  staleFrames: number
  /** Quality (0..1) of the latest frame. */
  quality: number
  /** Per-phase nearest-rank p50 over the window, ms. */
  phaseP50Ms: Record<FramePhase, number>
  /** Per-phase nearest-rank p95 over the window, ms. */
  phaseP95Ms: Record<FramePhase, number>
}

/** Ring-buffered frame metrics; see {@link createFrameMetrics}. */
export interface FrameMetrics {
  /** Window length in frames. */
  readonly capacity: number
  /** Frames currently held in the window (≤ capacity). */
  readonly count: number
  /** Cost of the most recently recorded frame, ms (0 before the first). */
  readonly lastFrameCostMs: number
  /**
   * Records one frame. No allocation. `phaseCosts` has one entry per phase in PHASES order and is
   * copied, so the caller may reuse it.
   */
  record(
    frameCostMs: number,
    phaseCosts: Float64Array,
    gapMs: number,
    budgetMs: number,
    refreshPeriodMs: number,
    quality: number,
  ): void
  /** Builds a snapshot (allocates; not for the per-frame path). */
  summary(): FrameSummary
  /** Copies the newest min(count, out.length) frame costs, oldest first, into `out`; returns how many. */
  copyFrameCosts(out: Float64Array): number
  /** Same as {@link FrameMetrics.copyFrameCosts} for the quality of each frame. */
  copyQualityHistory(out: Float64Array): number
  /** Same as {@link FrameMetrics.copyFrameCosts} for one phase (index into PHASES). */
  copyPhaseCosts(phase: number, out: Float64Array): number
  /** Forgets everything, keeping the buffers. */
  reset(): void
}

// Slots of the double-valued state block.
const S_BUDGET = 0
const S_QUALITY = 1

/** Stale-frame proxy: WebXR has no stale count, a rAF gap over 1.5 refresh periods is the usual stand-in. */
const STALE_GAP_FACTOR = 1.5

/** Nearest-rank percentile of the first `n` (sorted ascending) values: rank = ceil(p/100 · n). */
function nearestRank(sorted: Float64Array, n: number, p: number): number {
  if (n === 0) return 0
  // p is an integer, so p * n is exact and ceil sees no rounding noise (0.95 * 100 would be 95.00000000000001).
  let rank = Math.ceil((p * n) / 100)
  if (rank < 1) rank = 1
  if (rank > n) rank = n
  return sorted[rank - 1]
}

/** Creates metrics over a window of `capacity` frames (default 600: about 8 s at 72 Hz, 5 s at 120 Hz). */
export function createFrameMetrics(capacity = 600): FrameMetrics {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`metrics capacity must be a positive integer, got ${String(capacity)}`)
  }
  const costs = new Float64Array(capacity)
  const qualities = new Float64Array(capacity)
  const phases = new Float64Array(capacity * PHASE_COUNT)
  const scratch = new Float64Array(capacity)
  const state = new Float64Array(2)
  state[S_QUALITY] = 1
  let head = 0 // next write position
  let count = 0
  let frames = 0
  let overBudget = 0
  let missRun = 0
  let longestMissRun = 0
  let staleFrames = 0

  // Copies the newest n values of a ring (stride/offset select a phase column) oldest first.
  function copyRing(ring: Float64Array, stride: number, offset: number, out: Float64Array, n: number): void {
    let idx = head - n
    if (idx < 0) idx += capacity
    for (let i = 0; i < n; i++) {
      out[i] = ring[idx * stride + offset]
      idx++
      if (idx === capacity) idx = 0
    }
  }

  function phasePercentiles(p: number): Record<FramePhase, number> {
    const result = {} as Record<FramePhase, number>
    for (let ph = 0; ph < PHASE_COUNT; ph++) {
      copyRing(phases, PHASE_COUNT, ph, scratch, count)
      const view = scratch.subarray(0, count)
      view.sort()
      result[PHASES[ph]] = nearestRank(view, count, p)
    }
    return result
  }

  return {
    capacity,
    get count() {
      return count
    },
    get lastFrameCostMs() {
      return count === 0 ? 0 : costs[head === 0 ? capacity - 1 : head - 1]
    },
    record(frameCostMs, phaseCosts, gapMs, budgetMs, refreshPeriodMs, quality) {
      costs[head] = frameCostMs
      qualities[head] = quality
      const base = head * PHASE_COUNT
      for (let i = 0; i < PHASE_COUNT; i++) phases[base + i] = phaseCosts[i]
      head++
      if (head === capacity) head = 0
      if (count < capacity) count++
      frames++
      state[S_BUDGET] = budgetMs
      state[S_QUALITY] = quality
      if (frameCostMs > budgetMs) {
        overBudget++
        missRun++
        if (missRun > longestMissRun) longestMissRun = missRun
      } else {
        missRun = 0
      }
      if (gapMs > STALE_GAP_FACTOR * refreshPeriodMs) staleFrames++
    },
    summary() {
      let sum = 0
      copyRing(costs, 1, 0, scratch, count)
      for (let i = 0; i < count; i++) sum += scratch[i]
      const mean = count > 0 ? sum / count : 0
      let sq = 0
      for (let i = 0; i < count; i++) {
        const d = scratch[i] - mean
        sq += d * d
      }
      const sorted = scratch.subarray(0, count)
      sorted.sort() // TypedArray sort without comparator is numeric and in place
      return {
        frames,
        budgetMs: state[S_BUDGET],
        overBudget,
        p50Ms: nearestRank(sorted, count, 50),
        p95Ms: nearestRank(sorted, count, 95),
        p99Ms: nearestRank(sorted, count, 99),
        meanMs: mean,
        jitterMs: count > 0 ? Math.sqrt(sq / count) : 0,
        longestMissRun,
        currentMissRun: missRun,
        staleFrames,
        quality: state[S_QUALITY],
        phaseP50Ms: phasePercentiles(50),
        phaseP95Ms: phasePercentiles(95),
      }
    },
    copyFrameCosts(out) {
      const n = count < out.length ? count : out.length
      copyRing(costs, 1, 0, out, n)
      return n
    },
    copyQualityHistory(out) {
      const n = count < out.length ? count : out.length
      copyRing(qualities, 1, 0, out, n)
      return n
    },
    copyPhaseCosts(phase, out) {
      if (!(phase >= 0 && phase < PHASE_COUNT)) throw new RangeError(`phase index out of range: ${phase}`)
      const n = count < out.length ? count : out.length
      copyRing(phases, PHASE_COUNT, phase | 0, out, n)
      return n
    },
    reset() {
      head = 0
      count = 0
      frames = 0
      overBudget = 0
      missRun = 0
      longestMissRun = 0
      staleFrames = 0
      state[S_BUDGET] = 0
      state[S_QUALITY] = 1
    },
  }
}
