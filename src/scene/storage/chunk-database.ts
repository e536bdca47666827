/**
 * The IndexedDB plumbing shared by the stores that keep recordings safe as they are made (xr-sessions
 * takes, broadcast media): one `takes` store keyed by id and one `chunks` store keyed by
 * [takeId, index], so a take's chunks are one key range, in order.
 */

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
