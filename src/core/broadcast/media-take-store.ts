/**
 * Where broadcast recordings ("media takes") live while they are recorded: the encoder's chunks
 * are appended one by one as they arrive, so a crash, a reload or the end of the XR session keeps
 * everything up to the last chunk, and the next start finds the take and can rebuild it. The
 * browser keeps takes in IndexedDB (src/runtime/broadcast/indexed-db-media-store.ts); unit tests use
 * the in-memory store here. The payload type is generic (a Blob in the browser, bytes in tests),
 * so this module needs no DOM.
 */

/** A take's summary, stored beside its chunks and rewritten after every chunk. */
export interface MediaTakeInfo {
  /** Unique id (the browser layer makes it from the start time and a random suffix). */
  id: string
  /** File name for download/share, without extension. */
  name: string
  /** Container and codecs the encoder was given (`video/webm;codecs=vp9,opus`). */
  mimeType: string
  /** File extension for `mimeType` (`webm`, `mp4`). */
  extension: string
  /** ISO 8601 start time (the browser fills it; the core never reads the clock). */
  startedAt: string
  /** Which experience was on air. */
  experience: string
  /** 'recording' until stopped cleanly; a 'recording' take found at start was interrupted. */
  state: 'recording' | 'stopped'
  /** Bytes and chunks persisted so far. */
  bytes: number
  chunks: number
  /** Recorded time persisted so far, ms. */
  durationMs: number
  /** True for a take found interrupted at start (crash, reload, killed tab) and recovered. */
  recovered?: boolean
  /** True for a recovered take cut off before its first video frame: nothing to play, only to delete. */
  empty?: boolean
}

/** One stored chunk: its position in the take and its payload. */
export interface StoredMediaChunk<C> {
  index: number
  bytes: number
  data: C
}

/** Persistence of media takes; every method may reject (quota, private mode, blocked database). */
export interface MediaTakeStore<C> {
  /** 'indexeddb' survives reloads and crashes; 'memory' lives only as long as the page. */
  readonly kind: 'indexeddb' | 'memory'
  /** Creates or replaces a take's summary. */
  putTake(info: MediaTakeInfo): Promise<void>
  /** Stores chunk `index` of a take (the same index twice keeps the later one). */
  appendChunk(takeId: string, chunk: StoredMediaChunk<C>): Promise<void>
  /** All takes, oldest first. */
  listTakes(): Promise<MediaTakeInfo[]>
  /** All chunks of a take, in index order. */
  loadChunks(takeId: string): Promise<StoredMediaChunk<C>[]>
  /** Removes a take and its chunks (no error if it does not exist). */
  deleteTake(takeId: string): Promise<void>
}

/** Sorts takes oldest first (ISO times sort as strings), then by id. */
export function compareTakes(a: MediaTakeInfo, b: MediaTakeInfo): number {
  return a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * Creates a store that keeps takes in memory. Summaries are copied on the way in and out, as
 * IndexedDB would; payloads are kept by reference (Blobs are immutable).
 */
export function createMemoryMediaTakeStore<C>(): MediaTakeStore<C> {
  const takes = new Map<string, MediaTakeInfo>()
  const chunks = new Map<string, Map<number, StoredMediaChunk<C>>>()
  return {
    kind: 'memory',
    async putTake(info) {
      takes.set(info.id, { ...info })
    },
    async appendChunk(takeId, chunk) {
      let byIndex = chunks.get(takeId)
      if (!byIndex) chunks.set(takeId, (byIndex = new Map()))
      byIndex.set(chunk.index, { ...chunk })
    },
    async listTakes() {
      return [...takes.values()].map((t) => ({ ...t })).sort(compareTakes)
    },
    async loadChunks(takeId) {
      const byIndex = chunks.get(takeId)
      return byIndex ? [...byIndex.values()].sort((a, b) => a.index - b.index).map((c) => ({ ...c })) : []
    },
    async deleteTake(takeId) {
      takes.delete(takeId)
      chunks.delete(takeId)
    },
  }
}

/** A take rebuilt from its chunks. */
export interface AssembledTake<C> {
  /** Payloads of the longest gap-free run of chunks from index 0, in order. */
  parts: C[]
  bytes: number
  /** Index of the first missing chunk, or -1 when every stored chunk is usable. */
  gapAt: number
  /** Chunks stored but unusable because an earlier one is missing. */
  dropped: number
}

/**
 * Rebuilds a take from its chunks: the longest gap-free run from chunk 0, because a media stream
 * cannot be decoded past a hole (the container header is in chunk 0, and every later chunk
 * continues the one before).
 */
export function assembleMediaTake<C>(chunks: readonly StoredMediaChunk<C>[]): AssembledTake<C> {
  const sorted = chunks.slice().sort((a, b) => a.index - b.index)
  const parts: C[] = []
  let bytes = 0
  let expected = 0
  let gapAt = -1
  let dropped = 0
  for (const c of sorted) {
    if (gapAt >= 0) {
      dropped++
      continue
    }
    if (c.index === expected - 1) continue // a duplicate index: the store keeps one, tolerate two
    if (c.index !== expected) {
      gapAt = expected
      dropped++
      continue
    }
    parts.push(c.data)
    bytes += c.bytes
    expected++
  }
  return { parts, bytes, gapAt, dropped }
}

/** Options of {@link recoverInterruptedMediaTakes}. */
export interface RecoverMediaOptions {
  /** True when a tab is recording the take right now (see core/replay/live-takes.ts). */
  isLive(takeId: string): Promise<boolean>
  /** True when the take holds no playable frame (checked only for recovered takes). */
  isEmpty?(info: MediaTakeInfo): Promise<boolean>
}

/**
 * At start, marks every take still `recording` as recovered (it was cut off by a crash, a reload
 * or a killed tab) — except one another tab is recording now: that one is left untouched, neither
 * marked nor offered. One take failing its empty check does not stop the rest.
 */
export async function recoverInterruptedMediaTakes<C>(store: MediaTakeStore<C>, options: RecoverMediaOptions): Promise<{ recovered: string[]; live: string[] }> {
  const recovered: string[] = []
  const live: string[] = []
  for (const info of await store.listTakes()) {
    if (info.state !== 'recording') continue
    if (await options.isLive(info.id)) {
      live.push(info.id)
      continue
    }
    let empty = false
    try {
      empty = options.isEmpty ? await options.isEmpty(info) : false
    } catch {
      // Unreadable chunks: keep the take listed (its bytes can still be downloaded or deleted).
    }
    await store.putTake({ ...info, state: 'stopped', recovered: true, ...(empty ? { empty } : {}) })
    recovered.push(info.id)
  }
  return { recovered, live }
}
