/**
 * "Storage full" before anything is lost. Browsers give each origin a quota
 * (`navigator.storage.estimate()`); a write beyond it fails with QuotaExceededError, and a media
 * chunk that fails to store is gone. So the recorder checks the estimate as it goes and stops
 * cleanly — keeping the whole take — while there is still room for the chunks in flight.
 */

/** What `navigator.storage.estimate()` reports, bytes. */
export interface StorageEstimateLike {
  usage?: number
  quota?: number
}

/** Verdict of {@link assessStorage}. */
export interface StorageAssessment {
  /** 'ok'; 'low' (warn: less than `warnSeconds` of recording left); 'full' (stop now: only the safety margin is left). */
  level: 'ok' | 'low' | 'full' | 'unknown'
  /** Free bytes above the safety margin (may be negative). */
  freeBytes: number
  /** Seconds of recording left at `bytesPerSecond` (Infinity when the rate is unknown). */
  secondsLeft: number
}

/** Options of {@link assessStorage}. */
export interface StorageAssessmentOptions {
  /** Current (or expected) recording rate, bytes per second. */
  bytesPerSecond: number
  /** Seconds of recording kept free for chunks in flight and the take summary (default 10). */
  safetySeconds?: number
  /** Extra bytes always kept free (default 2 MB: other writes of the app). */
  reserveBytes?: number
  /** Warn when fewer than this many seconds are left (default 120). */
  warnSeconds?: number
}

/** Judges whether recording may go on; pure, so the thresholds are unit-tested. */
export function assessStorage(estimate: StorageEstimateLike | null, options: StorageAssessmentOptions): StorageAssessment {
  const rate = options.bytesPerSecond > 0 ? options.bytesPerSecond : 0
  const safety = (options.safetySeconds ?? 10) * rate + (options.reserveBytes ?? 2 * 1024 * 1024)
  const warn = options.warnSeconds ?? 120
  if (!estimate || typeof estimate.quota !== 'number' || typeof estimate.usage !== 'number' || !(estimate.quota > 0)) {
    return { level: 'unknown', freeBytes: Infinity, secondsLeft: Infinity }
  }
  const freeBytes = estimate.quota - estimate.usage - safety
  const secondsLeft = rate > 0 ? Math.max(0, freeBytes) / rate : Infinity
  const level = freeBytes <= 0 ? 'full' : secondsLeft < warn ? 'low' : 'ok'
  return { level, freeBytes, secondsLeft }
}
