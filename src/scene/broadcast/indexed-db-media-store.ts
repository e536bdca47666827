import { compareTakes, type MediaTakeInfo, type MediaTakeStore, type StoredMediaChunk } from '../../core/broadcast/media-take-store'
import { CHUNKS_STORE, TAKES_STORE, idbDone, idbRequest, openChunkDatabase } from '../storage/chunk-database'

/** Database holding broadcast recordings (one per origin; separate from xr-sessions' takes). */
export const MEDIA_DB_NAME = 'lingjing-broadcast'
const TAKES = TAKES_STORE
const CHUNKS = CHUNKS_STORE
const request = idbRequest
const done = idbDone
const open = (): Promise<IDBDatabase> => openChunkDatabase(MEDIA_DB_NAME)

/**
 * Opens the IndexedDB store for media takes (chunks are Blobs, as MediaRecorder hands them over).
 * Each chunk is its own committed transaction, so a crash loses at most the chunk being written.
 * Rejects when IndexedDB is missing or refused (some private modes).
 */
export async function createIndexedDbMediaStore(): Promise<MediaTakeStore<Blob>> {
  if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available')
  const db = await open()
  const range = (takeId: string) => IDBKeyRange.bound([takeId, 0], [takeId, Number.MAX_SAFE_INTEGER])
  return {
    kind: 'indexeddb',
    async putTake(info) {
      const tx = db.transaction(TAKES, 'readwrite')
      tx.objectStore(TAKES).put(info)
      await done(tx)
    },
    async appendChunk(takeId, chunk) {
      const tx = db.transaction(CHUNKS, 'readwrite')
      tx.objectStore(CHUNKS).put(chunk, [takeId, chunk.index])
      await done(tx)
    },
    async listTakes() {
      const tx = db.transaction(TAKES, 'readonly')
      const all = await request(tx.objectStore(TAKES).getAll() as IDBRequest<MediaTakeInfo[]>)
      return all.sort(compareTakes)
    },
    async loadChunks(takeId) {
      const tx = db.transaction(CHUNKS, 'readonly')
      const chunks = await request(tx.objectStore(CHUNKS).getAll(range(takeId)) as IDBRequest<StoredMediaChunk<Blob>[]>)
      return chunks.sort((a, b) => a.index - b.index)
    },
    async deleteTake(takeId) {
      const tx = db.transaction([TAKES, CHUNKS], 'readwrite')
      tx.objectStore(TAKES).delete(takeId)
      tx.objectStore(CHUNKS).delete(range(takeId))
      await done(tx)
    },
  }
}
