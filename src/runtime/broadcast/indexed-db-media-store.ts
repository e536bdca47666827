import { compareTakes, type MediaTakeInfo, type MediaTakeStore, type StoredMediaChunk } from '../../core/broadcast/media-take-store'
import { createChunkTables, openChunkDatabase } from '../storage/chunk-database'

/** Database holding broadcast recordings (one per origin; separate from xr-sessions' takes). */
export const MEDIA_DB_NAME = 'lingjing-broadcast'

/**
 * Opens the IndexedDB store for media takes (chunks are Blobs, as MediaRecorder hands them over).
 * Each chunk is its own committed transaction, so a crash loses at most the chunk being written.
 * Rejects when IndexedDB is missing or refused (some private modes).
 */
export async function createIndexedDbMediaStore(): Promise<MediaTakeStore<Blob>> {
  if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available')
  const tables = createChunkTables<MediaTakeInfo, StoredMediaChunk<Blob>>(await openChunkDatabase(MEDIA_DB_NAME), compareTakes)
  return {
    kind: 'indexeddb',
    putTake: tables.putTake,
    appendChunk: tables.putChunk,
    listTakes: tables.listTakes,
    loadChunks: tables.loadChunks,
    deleteTake: tables.deleteTake,
  }
}
