/**
 * Missed display frames, the ground truth of the frame budget: whatever the cause (CPU, GPU, fill
 * rate, a second camera, the compositor), a frame that did not reach its display slot shows up as
 * a long interval between frames.
 *
 * Per frame the driver passes the XR frame callback's time and, where the browser gives it,
 * `XRFrame.predictedDisplayTime`. Deltas of the predicted display time are preferred: they step by
 * whole refresh periods when the runtime throttles the app (OpenXR's `xrWaitFrame`), while the
 * callback time follows `window.rAF` scheduling. A frame is missed when its interval is over
 * `MISSED_FACTOR` (1.5) refresh periods, the period being the budget the governor holds (the
 * refresh period, or `?frameBudgetMs`).
 *
 * No allocation per frame: a ring of intervals in a Float64Array; percentiles are computed only by
 * `summary()` (for snapshots), sorting a preallocated scratch copy.
 */
import type { FrameSignals } from './governor'

/** A frame is missed when its interval exceeds this many refresh periods. */
export const MISSED_FACTOR = 1.5
/**
 * Gaps longer than this are a pause (hidden tab, session start, a debugger), not a missed frame:
 * not counted. Far above the slowest frame seen here (software rendering, ~600 ms).
 */
export const MAX_INTERVAL_MS = 5000

/** What {@link DisplayTiming.summary} reports (the snapshot's `frame.display`). */
export interface DisplaySummary {
  /** Nearest-rank median of the interval over the window, ms (null before two frames). */
  intervalP50Ms: number | null
  /** Nearest-rank p95 of the interval over the window, ms (null before two frames). */
  intervalP95Ms: number | null
  /** Missed frames since the last reset (total). */
  missed: number
  /** missed / intervals measured × 100 (total; 0 with none). */
  missedPct: number
  /** Intervals measured since the last reset (total). */
  intervals: number
  /** Which clock the intervals came from most recently. */
  source: 'predicted-display-time' | 'callback-time' | 'none'
  /**
   * The window's intervals, oldest first, ms (0.1 ms steps). With `intervals` a reader can take
   * exactly the frames since a moment it marked (a test comparing two conditions over equal windows).
   */
  recentMs: number[]
}

/** The detector; see {@link createDisplayTiming}. */
export interface DisplayTiming {
  /**
   * Feeds one frame: the callback time, the predicted display time (NaN or a negative number when
   * the browser gives none) and the refresh period the frame should meet, all in ms. When `out` is
   * given, its `intervalMs` and `missed` are set for the governor. No allocation.
   */
  update(callbackTimeMs: number, predictedDisplayTimeMs: number, periodMs: number, out?: FrameSignals): void
  /** Interval that ended at the latest frame, ms (0 when not measured: first frame or a pause). */
  readonly lastIntervalMs: number
  /** Whether the latest frame's interval missed a slot. */
  readonly lastMissed: boolean
  /** Missed frames since the last reset. */
  readonly missed: number
  /** Intervals measured since the last reset. */
  readonly intervals: number
  /** Snapshot (allocates). */
  summary(): DisplaySummary
  /** Copies the newest min(count, out.length) intervals, oldest first, into `out`; returns how many. */
  copyIntervals(out: Float64Array): number
  /** Forgets the previous frame (the next interval is not measured), e.g. when a session starts or ends. */
  restart(): void
  /** Forgets everything, keeping the buffers. */
  reset(): void
}

// Double-valued state.
const S_PREV_CALLBACK = 0
const S_PREV_PREDICTED = 1
const S_LAST_INTERVAL = 2

function round1(ms: number): number {
  return Math.round(ms * 10) / 10
}

function nearestRank(sorted: Float64Array, n: number, p: number): number {
  let rank = Math.ceil((p * n) / 100)
  if (rank < 1) rank = 1
  if (rank > n) rank = n
  return sorted[rank - 1]
}

/** Creates a detector over a window of `capacity` intervals (default 600). */
export function createDisplayTiming(capacity = 600): DisplayTiming {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`display timing capacity must be a positive integer, got ${String(capacity)}`)
  const ring = new Float64Array(capacity)
  const scratch = new Float64Array(capacity)
  const s = new Float64Array(3)
  let head = 0
  let count = 0
  let hasPrev = false
  let prevHadPredicted = false
  let intervals = 0
  let missed = 0
  let lastMissed = false
  let source: DisplaySummary['source'] = 'none'

  function copyRing(out: Float64Array, n: number): void {
    let idx = head - n
    if (idx < 0) idx += capacity
    for (let i = 0; i < n; i++) {
      out[i] = ring[idx]
      idx++
      if (idx === capacity) idx = 0
    }
  }

  const api: DisplayTiming = {
    update(callbackTimeMs, predictedDisplayTimeMs, periodMs, out) {
      const hasPredicted = predictedDisplayTimeMs >= 0 && Number.isFinite(predictedDisplayTimeMs)
      let interval = 0
      if (hasPrev) {
        // Prefer the predicted display time, but only between two frames that both have it.
        if (hasPredicted && prevHadPredicted) {
          interval = predictedDisplayTimeMs - s[S_PREV_PREDICTED]
          source = 'predicted-display-time'
        } else {
          interval = callbackTimeMs - s[S_PREV_CALLBACK]
          source = 'callback-time'
        }
      }
      s[S_PREV_CALLBACK] = callbackTimeMs
      s[S_PREV_PREDICTED] = hasPredicted ? predictedDisplayTimeMs : 0
      prevHadPredicted = hasPredicted
      hasPrev = Number.isFinite(callbackTimeMs)
      lastMissed = false
      if (out !== undefined) {
        out.intervalMs = 0
        out.missed = false
      }
      if (!(interval > 0) || interval > MAX_INTERVAL_MS) {
        s[S_LAST_INTERVAL] = 0
        return
      }
      s[S_LAST_INTERVAL] = interval
      ring[head] = interval
      head = head + 1 === capacity ? 0 : head + 1
      if (count < capacity) count++
      intervals++
      if (periodMs > 0 && interval > MISSED_FACTOR * periodMs) {
        missed++
        lastMissed = true
      }
      if (out !== undefined) {
        out.intervalMs = interval
        out.missed = lastMissed
      }
    },
    get lastIntervalMs() {
      return s[S_LAST_INTERVAL]
    },
    get lastMissed() {
      return lastMissed
    },
    get missed() {
      return missed
    },
    get intervals() {
      return intervals
    },
    summary() {
      copyRing(scratch, count)
      const recentMs = Array.from(scratch.subarray(0, count), round1)
      const sorted = scratch.subarray(0, count)
      sorted.sort()
      return {
        intervalP50Ms: count > 0 ? nearestRank(sorted, count, 50) : null,
        intervalP95Ms: count > 0 ? nearestRank(sorted, count, 95) : null,
        missed,
        missedPct: intervals > 0 ? (missed / intervals) * 100 : 0,
        intervals,
        source,
        recentMs,
      }
    },
    copyIntervals(out) {
      const n = count < out.length ? count : out.length
      copyRing(out, n)
      return n
    },
    restart() {
      hasPrev = false
      prevHadPredicted = false
      s[S_LAST_INTERVAL] = 0
      lastMissed = false
    },
    reset() {
      api.restart()
      head = 0
      count = 0
      intervals = 0
      missed = 0
      source = 'none'
    },
  }
  return api
}
