import type { RecordingChunk } from '../../core/replay/recording-format'
import type { TakeInfo, TakeStore } from '../../core/replay/take-store'

/** Database holding recorded takes (one per origin). */
export const TAKE_DB_NAME = 'lingjing-xr-sessions'
const DB_VERSION = 1
const TAKES = 'takes'
const CHUNKS = 'chunks'

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'))
  })
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'))
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'))
  })
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(TAKE_DB_NAME, DB_VERSION)
    req.onupgradeneeded = () => {
      const db = req.result
      if (!db.objectStoreNames.contains(TAKES)) db.createObjectStore(TAKES, { keyPath: 'id' })
      // Chunks keyed by [takeId, index]: a take's chunks are one key range, in order.
      if (!db.objectStoreNames.contains(CHUNKS)) db.createObjectStore(CHUNKS)
    }
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'))
    // Another tab holds an older version open: fail instead of waiting forever.
    req.onblocked = () => reject(new Error('IndexedDB upgrade blocked by another tab'))
  })
}

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
