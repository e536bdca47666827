/**
 * Where recordings ("takes") live while they are being recorded and until the user saves or
 * discards them. The browser keeps them in IndexedDB (src/runtime/replay/indexed-db-take-store.ts);
 * tests, and browsers without IndexedDB, use the in-memory store here. Chunks are stored one by one
 * as they are recorded, so a crash or reload loses at most the frames not yet flushed, and the next
 * visit can rebuild the take with {@link recoverTake}.
 */
import { assembleRecording, type RecordingChunk, type RecordingMeta, type Recording } from './recording-format'
import { ReplayError, createReplayErrorInfo, type ReplayErrorInfo } from './replay-error'
import { validateRecording } from './validate-recording'

/** A take's summary, stored beside its chunks and updated as chunks are persisted. */
export interface TakeInfo {
  /** Unique id (the browser layer makes it from the start time and a random suffix). */
  id: string
  /** Session metadata (the same object every chunk carries). */
  meta: RecordingMeta
  /** 'recording' until the recorder stopped cleanly; a 'recording' take found at boot was interrupted. */
  state: 'recording' | 'stopped'
  /** Frames persisted so far. */
  frames: number
  /** Time of the last persisted frame, ms after the first. */
  durationMs: number
  /** Chunks persisted so far. */
  chunks: number
}

/** Persistence of takes; every method may reject (quota, private mode, blocked database). */
export interface TakeStore {
  /** 'indexeddb' survives reloads and crashes; 'memory' lives only as long as the page. */
  readonly kind: 'indexeddb' | 'memory'
  /** Creates or replaces a take's summary. */
  putTake(info: TakeInfo): Promise<void>
  /** Stores one chunk of a take (storing the same index twice keeps the later one). */
  putChunk(takeId: string, chunk: RecordingChunk): Promise<void>
  /** All takes, oldest first. */
  listTakes(): Promise<TakeInfo[]>
  /** All chunks of a take, in index order. */
  loadChunks(takeId: string): Promise<RecordingChunk[]>
  /** Removes a take and its chunks (no error if it does not exist). */
  deleteTake(takeId: string): Promise<void>
}

/** Creates a store that keeps takes in memory (structured copies, like IndexedDB would). */
export function createMemoryTakeStore(): TakeStore {
  const takes = new Map<string, TakeInfo>()
  const chunks = new Map<string, Map<number, RecordingChunk>>()
  // Copy on the way in and out so callers cannot mutate stored data, as with IndexedDB.
  const copy = <T>(value: T): T => structuredClone(value)
  return {
    kind: 'memory',
    async putTake(info) {
      takes.set(info.id, copy(info))
    },
    async putChunk(takeId, chunk) {
      let byIndex = chunks.get(takeId)
      if (!byIndex) chunks.set(takeId, (byIndex = new Map()))
      byIndex.set(chunk.index, copy(chunk))
    },
    async listTakes() {
      return [...takes.values()].map(copy).sort((a, b) => (a.meta.recordedAt < b.meta.recordedAt ? -1 : a.meta.recordedAt > b.meta.recordedAt ? 1 : 0))
    },
    async loadChunks(takeId) {
      const byIndex = chunks.get(takeId)
      return byIndex ? [...byIndex.values()].sort((a, b) => a.index - b.index).map(copy) : []
    },
    async deleteTake(takeId) {
      takes.delete(takeId)
      chunks.delete(takeId)
    },
  }
}

/** A take rebuilt from its persisted chunks: a valid recording, or why it could not be rebuilt. */
export type RecoveredTake =
  | { ok: true; info: TakeInfo; recording: Recording }
  | { ok: false; info: TakeInfo; error: ReplayErrorInfo }

/**
 * Rebuilds a take from its chunks and validates the result, so what the user is offered to save is
 * a recording the player accepts. Never throws for bad data: a take whose first chunk is lost, or
 * whose frames fail validation, comes back as `{ ok: false, error }` to be shown and discarded.
 */
export async function recoverTake(store: TakeStore, info: TakeInfo): Promise<RecoveredTake> {
  let chunks: RecordingChunk[]
  try {
    chunks = await store.loadChunks(info.id)
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err)
    return { ok: false, info, error: createReplayErrorInfo('bad-chunk', `The saved chunks could not be read: ${detail}`, `无法读取已保存的分块：${detail}`) }
  }
  let recording: Recording
  try {
    recording = assembleRecording(chunks)
  } catch (err) {
    if (err instanceof ReplayError) return { ok: false, info, error: err.toInfo() }
    throw err
  }
  const result = validateRecording(recording)
  return result.ok ? { ok: true, info, recording: result.recording } : { ok: false, info, error: result.error }
}
