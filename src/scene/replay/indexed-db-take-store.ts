import type { RecordingChunk } from '../../core/replay/recording-format'
import { CHUNKS_STORE, TAKES_STORE, idbDone, idbRequest, openChunkDatabase } from '../storage/chunk-database'
import type { TakeInfo, TakeStore } from '../../core/replay/take-store'

/** Database holding recorded takes (one per origin). */
export const TAKE_DB_NAME = 'lingjing-xr-sessions'
const TAKES = TAKES_STORE
const CHUNKS = CHUNKS_STORE
const request = idbRequest
const done = idbDone
const open = (): Promise<IDBDatabase> => openChunkDatabase(TAKE_DB_NAME)

/**
 * Opens the IndexedDB take store. Rejects when IndexedDB is missing or refused (some private
 * modes); the caller then falls back to memory and tells the user crash recovery is off.
 */
export async function createIndexedDbTakeStore(): Promise<TakeStore> {
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
    async putChunk(takeId, chunk) {
      const tx = db.transaction(CHUNKS, 'readwrite')
      tx.objectStore(CHUNKS).put(chunk, [takeId, chunk.index])
      await done(tx)
    },
    async listTakes() {
      const tx = db.transaction(TAKES, 'readonly')
      const all = await request(tx.objectStore(TAKES).getAll() as IDBRequest<TakeInfo[]>)
      return all.sort((a, b) => (a.meta.recordedAt < b.meta.recordedAt ? -1 : a.meta.recordedAt > b.meta.recordedAt ? 1 : 0))
    },
    async loadChunks(takeId) {
      const tx = db.transaction(CHUNKS, 'readonly')
      return request(tx.objectStore(CHUNKS).getAll(range(takeId)) as IDBRequest<RecordingChunk[]>)
    },
    async deleteTake(takeId) {
      const tx = db.transaction([TAKES, CHUNKS], 'readwrite')
      tx.objectStore(TAKES).delete(takeId)
      tx.objectStore(CHUNKS).delete(range(takeId))
      await done(tx)
    },
  }
}
