/**
 * The IndexedDB plumbing shared by the stores that keep recordings safe as they are made (xr-sessions
 * takes, broadcast media): one `takes` store keyed by id and one `chunks` store keyed by
 * [takeId, index], so a take's chunks are one key range, in order.
 */
import { createLiveTakeGuard, type LiveTakeGuard, type LockManagerLike } from '../../core/replay/live-takes'

/** Store of take records (keyPath `id`). */
export const TAKES_STORE = 'takes'
/** Store of chunks keyed by [takeId, index]. */
export const CHUNKS_STORE = 'chunks'

/** Resolves with the request's result, rejects with its error. */
export function idbRequest<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'))
  })
}

/** Resolves when the transaction commits; a QuotaExceededError surfaces here, as the abort's error. */
export function idbDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'))
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'))
  })
}

/** Opens (creating on first use) a database with the takes and chunks stores. */
export function openChunkDatabase(name: string, version = 1): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, version)
    req.onupgradeneeded = () => {
      const db = req.result
      if (!db.objectStoreNames.contains(TAKES_STORE)) db.createObjectStore(TAKES_STORE, { keyPath: 'id' })
      if (!db.objectStoreNames.contains(CHUNKS_STORE)) db.createObjectStore(CHUNKS_STORE)
    }
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'))
    // Another tab holds an older version open: fail instead of waiting forever.
    req.onblocked = () => reject(new Error('IndexedDB upgrade blocked by another tab'))
  })
}

/** The operations both recording stores need, on an open chunk database. */
export interface ChunkTables<Info, Chunk> {
  /** Creates or replaces a take's record. */
  putTake(info: Info): Promise<void>
  /** Stores one chunk in its own committed transaction (the same index twice keeps the later one). */
  putChunk(takeId: string, chunk: Chunk): Promise<void>
  /** All take records, in `compare` order. */
  listTakes(): Promise<Info[]>
  /** A take's chunks, in index order. */
  loadChunks(takeId: string): Promise<Chunk[]>
  /** Removes a take and its chunks in one transaction (no error if it does not exist). */
  deleteTake(takeId: string): Promise<void>
}

/**
 * The takes and chunks stores of `db` as typed operations. Each chunk is its own committed
 * transaction, so a crash loses at most the chunk being written.
 */
export function createChunkTables<Info, Chunk extends { index: number }>(db: IDBDatabase, compare: (a: Info, b: Info) => number): ChunkTables<Info, Chunk> {
  const range = (takeId: string) => IDBKeyRange.bound([takeId, 0], [takeId, Number.MAX_SAFE_INTEGER])
  return {
    async putTake(info) {
      const tx = db.transaction(TAKES_STORE, 'readwrite')
      tx.objectStore(TAKES_STORE).put(info)
      await idbDone(tx)
    },
    async putChunk(takeId, chunk) {
      const tx = db.transaction(CHUNKS_STORE, 'readwrite')
      tx.objectStore(CHUNKS_STORE).put(chunk, [takeId, chunk.index])
      await idbDone(tx)
    },
    async listTakes() {
      const tx = db.transaction(TAKES_STORE, 'readonly')
      const all = await idbRequest(tx.objectStore(TAKES_STORE).getAll() as IDBRequest<Info[]>)
      return all.sort(compare)
    },
    async loadChunks(takeId) {
      const tx = db.transaction(CHUNKS_STORE, 'readonly')
      // The key range is already in [takeId, index] order; sorting keeps that explicit.
      const chunks = await idbRequest(tx.objectStore(CHUNKS_STORE).getAll(range(takeId)) as IDBRequest<Chunk[]>)
      return chunks.sort((a, b) => a.index - b.index)
    },
    async deleteTake(takeId) {
      const tx = db.transaction([TAKES_STORE, CHUNKS_STORE], 'readwrite')
      tx.objectStore(TAKES_STORE).delete(takeId)
      tx.objectStore(CHUNKS_STORE).delete(range(takeId))
      await idbDone(tx)
    },
  }
}

/**
 * The browser's live-take guard for one kind of take: Web Locks where the browser has them, else a
 * BroadcastChannel heartbeat, else only this tab's takes are known (see core/replay/live-takes.ts).
 */
export function createBrowserTakeGuard(namespace: 'xr-sessions' | 'broadcast'): LiveTakeGuard {
  const locks = typeof navigator !== 'undefined' && navigator.locks ? (navigator.locks as unknown as LockManagerLike) : null
  const channel = !locks && typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel(`lingjing-live-takes:${namespace}`) : null
  return createLiveTakeGuard({ namespace, locks, channel, now: () => performance.now() })
}
