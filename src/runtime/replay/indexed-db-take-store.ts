import type { RecordingChunk } from '../../core/replay/recording-format'
import { createChunkTables, openChunkDatabase } from '../storage/chunk-database'
import type { TakeInfo, TakeStore } from '../../core/replay/take-store'

/** Database holding recorded takes (one per origin). */
export const TAKE_DB_NAME = 'lingjing-xr-sessions'

/** Oldest first, by the time the take was recorded. */
const byRecordedAt = (a: TakeInfo, b: TakeInfo) => (a.meta.recordedAt < b.meta.recordedAt ? -1 : a.meta.recordedAt > b.meta.recordedAt ? 1 : 0)

/**
 * Opens the IndexedDB take store. Rejects when IndexedDB is missing or refused (some private
 * modes); the caller then falls back to memory and tells the user crash recovery is off.
 */
export async function createIndexedDbTakeStore(): Promise<TakeStore> {
  if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available')
  return { kind: 'indexeddb', ...createChunkTables<TakeInfo, RecordingChunk>(await openChunkDatabase(TAKE_DB_NAME), byRecordedAt) }
}
