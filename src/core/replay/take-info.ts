/**
 * A take's stored summary, the store interface and the listing order: the part of the take store
 * the browser's IndexedDB store and the boot path need, kept apart from take-store.ts (recovery,
 * which validates and assembles recordings) so importing it brings in no recording code.
 */
import type { RecordingChunk, RecordingMeta } from './recording-format'

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

// A stored record may be anything (a half-written record, another version's shape): read it defensively.
function recordedAtOf(info: unknown): string {
  const meta = info !== null && typeof info === 'object' ? (info as { meta?: unknown }).meta : undefined
  const at = meta !== null && typeof meta === 'object' ? (meta as { recordedAt?: unknown }).recordedAt : undefined
  return typeof at === 'string' ? at : ''
}

/** A stored take's id as a string, whatever the record holds (never throws). */
export function idOf(info: unknown): string {
  const id = info !== null && typeof info === 'object' ? (info as { id?: unknown }).id : undefined
  return typeof id === 'string' ? id : String(id)
}

/**
 * Oldest first by recording time, then by id; never throws, so one broken record (no `meta`)
 * cannot break the listing of every other take (it sorts first, as if recorded at time zero).
 */
export function compareTakeInfos(a: TakeInfo, b: TakeInfo): number {
  const ta = recordedAtOf(a)
  const tb = recordedAtOf(b)
  if (ta !== tb) return ta < tb ? -1 : 1
  const ia = idOf(a)
  const ib = idOf(b)
  return ia < ib ? -1 : ia > ib ? 1 : 0
}
