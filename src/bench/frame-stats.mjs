// @ts-check
// Statistics every benchmark section computes the same way over a run's frame costs.

/**
 * Nearest-rank percentile (0 for no values).
 * @param {number[]} values
 * @param {number} p percent, 0–100
 */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p * sorted.length) / 100))) - 1]
}

/**
 * The longest run of consecutive frames over the budget (what a wearer sees as a stutter).
 * @param {number[]} costs
 * @param {number} budgetMs
 */
export function longestMissRun(costs, budgetMs) {
  let longest = 0
  let current = 0
  for (const c of costs) {
    current = c > budgetMs ? current + 1 : 0
    longest = Math.max(longest, current)
  }
  return longest
}

/** A display frame is missed when its interval is over this many refresh periods (issue #14). */
export const MISS_PERIODS = 1.5

/**
 * Per frame, whether it missed its display slot: interval over {@link MISS_PERIODS} periods.
 * Intervals of 0 (the first frame of a record, no previous callback) never count.
 * @param {number[]} intervals ms
 * @param {number} periodMs the refresh period the budget stands for (or `?frameBudgetMs`)
 * @returns {boolean[]}
 */
export function missedFrames(intervals, periodMs) {
  return intervals.map((ms) => ms > MISS_PERIODS * periodMs)
}

/**
 * Frames from `from` until misses stop: the first index i ≥ from that starts `window` frames in a
 * row without a miss, minus `from`; null when that never happens before the record ends.
 * @param {boolean[]} missed
 * @param {number} from
 * @param {number} [window]
 * @returns {number | null}
 */
export function recoveryFrames(missed, from, window = 10) {
  let clean = 0
  for (let i = Math.max(0, from); i < missed.length; i++) {
    clean = missed[i] ? 0 : clean + 1
    if (clean === window) return i - window + 1 - from
  }
  return null
}

/**
 * The mean of a list (0 for none).
 * @param {number[]} values
 */
export function mean(values) {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0
}
