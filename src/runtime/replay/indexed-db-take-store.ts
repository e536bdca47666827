import type { RecordingChunk } from '../../core/replay/recording-format'
import { createChunkTables, openChunkDatabase } from '../storage/chunk-database'
import { compareTakeInfos, type TakeInfo, type TakeStore } from '../../core/replay/take-info'

/** Database holding recorded takes (one per origin). */
export const TAKE_DB_NAME = 'lingjing-xr-sessions'

/**
 * Opens the IndexedDB take store. Rejects when IndexedDB is missing or refused (some private
 * modes); the caller then falls back to memory and tells the user crash recovery is off.
 */
export async function createIndexedDbTakeStore(): Promise<TakeStore> {
  if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available')
  return { kind: 'indexeddb', ...createChunkTables<TakeInfo, RecordingChunk>(await openChunkDatabase(TAKE_DB_NAME), compareTakeInfos) }
}
