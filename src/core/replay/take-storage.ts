/**
 * Is there room for an xr-sessions take? Checked with `navigator.storage.estimate()` before the
 * recorder starts, through the same thresholds the broadcast recorder uses (storage-quota.ts), at
 * the rate of the heaviest input the recorder stores: two tracked hands.
 */
import { assessStorage, type StorageAssessment, type StorageEstimateLike } from '../storage/storage-quota'

/**
 * Stored bytes per frame of two-hand tracking (the JSON of a frame, which is also about what
 * IndexedDB keeps). Measured on the synthetic hand stream: take-storage.test.ts fails if the
 * encoding changes and this no longer covers it.
 */
export const HAND_FRAME_BYTES = 1100

/** Fewer seconds of hand tracking than this left: recording is refused rather than cut short. */
export const MIN_TAKE_SECONDS = 30
/** Fewer seconds than this left: recording starts, with a warning. */
export const WARN_TAKE_SECONDS = 300

/** What to do about the estimate before a take starts. */
export interface TakeStorageVerdict {
  /** 'start'; 'warn' (start, and say little is left); 'refuse' (do not start). */
  action: 'start' | 'warn' | 'refuse'
  assessment: StorageAssessment
}

/** Judges the storage estimate for a take at `frameRate` Hz (unknown estimates start normally). */
export function assessTakeStorage(estimate: StorageEstimateLike | null, frameRate: number): TakeStorageVerdict {
  const rate = HAND_FRAME_BYTES * (frameRate > 0 && Number.isFinite(frameRate) ? frameRate : 72)
  const assessment = assessStorage(estimate, { bytesPerSecond: rate, warnSeconds: WARN_TAKE_SECONDS })
  if (assessment.level === 'unknown' || assessment.level === 'ok') return { action: 'start', assessment }
  if (assessment.level === 'full' || assessment.secondsLeft < MIN_TAKE_SECONDS) return { action: 'refuse', assessment }
  return { action: 'warn', assessment }
}
