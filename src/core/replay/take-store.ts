/**
 * Where recordings ("takes") live while they are being recorded and until the user saves or
 * discards them. The browser keeps them in IndexedDB (src/runtime/replay/indexed-db-take-store.ts);
 * tests, and browsers without IndexedDB, use the in-memory store here. Chunks are stored one by one
 * as they are recorded, so a crash or reload loses at most the frames not yet flushed, and the next
 * visit can rebuild the take with {@link recoverTake}.
 */
import { assembleRecording, type RecordingChunk, type RecordingMeta, type Recording } from './recording-format'
import { ReplayError, createReplayErrorInfo, type ReplayErrorInfo } from './replay-error'
import { compareTakeInfos, idOf, type TakeInfo, type TakeStore } from './take-info'
import { validateRecording } from './validate-recording'

// The store's types and order live in take-info.ts (no validator or format code), so the browser's
// store and the boot path can use them without the recording code; they stay importable from here.
export { compareTakeInfos, type TakeInfo, type TakeStore }

/** What the takes list prints about a take; every field has a fallback for a broken record. */
export interface TakeSummary {
  id: string
  frames: number
  durationMs: number
  experience: string
  recordedAt: string
  device: string
}

/** Reads a stored take record for display without trusting its shape ('?' where a field is unusable). */
export function describeTake(info: TakeInfo): TakeSummary {
  const raw = (info !== null && typeof info === 'object' ? info : {}) as Partial<Record<keyof TakeInfo, unknown>>
  const meta = (raw.meta !== null && typeof raw.meta === 'object' ? raw.meta : {}) as Partial<Record<keyof RecordingMeta, unknown>>
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value.slice(0, 200) : '?')
  const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0)
  return {
    id: idOf(info),
    frames: count(raw.frames),
    durationMs: count(raw.durationMs),
    experience: text(meta.experience),
    recordedAt: text(meta.recordedAt),
    device: text(meta.device),
  }
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
      return [...takes.values()].map(copy).sort(compareTakeInfos)
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

/**
 * A take rebuilt from its persisted chunks: a valid recording (with `damage` saying what was cut
 * off after its good prefix, or null when the whole take survived), or why it could not be rebuilt.
 */
export type RecoveredTake =
  | { ok: true; info: TakeInfo; recording: Recording; damage: ReplayErrorInfo | null }
  | { ok: false; info: TakeInfo; error: ReplayErrorInfo }

/** Most repairs tried on one take (each drops a bad event or the frames from a bad one on). */
const MAX_REPAIRS = 32

const describeError = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err))

/**
 * Validates an assembled take, keeping its good prefix: a bad frame ends the take just before it
 * (later frames are deltas against it), a bad event is dropped. Returns the first refusal as the
 * damage note.
 */
function keepGoodPrefix(info: TakeInfo, assembled: Recording): RecoveredTake {
  let recording = assembled
  let damage: ReplayErrorInfo | null = null
  for (let attempt = 0; attempt <= MAX_REPAIRS; attempt++) {
    const result = validateRecording(recording)
    if (result.ok) return { ok: true, info, recording: result.recording, damage }
    const error = result.error
    damage ??= error
    const frame = /^frames\[(\d+)\]/.exec(error.path ?? '')
    const event = /^events\[(\d+)\]/.exec(error.path ?? '')
    if (frame && Number(frame[1]) > 0 && Number(frame[1]) < recording.frames.length) {
      const keep = Number(frame[1])
      recording = { ...recording, frames: recording.frames.slice(0, keep), events: recording.events.filter((e) => e.frame < keep) }
    } else if (event && attempt < MAX_REPAIRS) {
      const drop = Number(event[1])
      recording = { ...recording, events: recording.events.filter((_, i) => i !== drop) }
    } else if (event) {
      recording = { ...recording, events: [] }
    } else {
      return { ok: false, info, error }
    }
  }
  return { ok: false, info, error: damage ?? createReplayErrorInfo('bad-chunk', 'The take could not be repaired.', '无法修复此录制。') }
}

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
  try {
    return keepGoodPrefix(info, assembleRecording(chunks))
  } catch (err) {
    if (err instanceof ReplayError) return { ok: false, info, error: err.toInfo() }
    // Anything else is a stored shape nobody foresaw: still a damaged take, never an exception.
    const detail = describeError(err)
    return { ok: false, info, error: createReplayErrorInfo('bad-chunk', `The saved chunks could not be rebuilt: ${detail}`, `无法重建已保存的分块：${detail}`) }
  }
}

/** Result of {@link recoverAllTakes}. */
export interface RecoveredTakes {
  /** Every stored take (except skipped ones), each rebuilt or explained; oldest first. */
  takes: RecoveredTake[]
  /** Set when the list itself could not be read (then `takes` is empty). */
  error: ReplayErrorInfo | null
}

/** Options of {@link recoverAllTakes}. */
export interface RecoverAllOptions {
  /** Takes to leave alone, e.g. one another tab is recording right now (see live-takes.ts). */
  skip?(info: TakeInfo): boolean | Promise<boolean>
}

/**
 * Rebuilds every stored take, one at a time, so a broken take (unreadable chunks, a record
 * without meta, a bad frame) is reported as damaged and never stops the good ones from being offered.
 */
export async function recoverAllTakes(store: TakeStore, options: RecoverAllOptions = {}): Promise<RecoveredTakes> {
  let found: TakeInfo[]
  try {
    found = await store.listTakes()
  } catch (err) {
    const detail = describeError(err)
    return { takes: [], error: createReplayErrorInfo('bad-chunk', `The saved takes could not be listed: ${detail}`, `无法列出已保存的录制：${detail}`) }
  }
  const takes: RecoveredTake[] = []
  for (const info of found) {
    try {
      if (options.skip && (await options.skip(info))) continue
      takes.push(await recoverTake(store, info))
    } catch (err) {
      const detail = describeError(err)
      takes.push({ ok: false, info, error: createReplayErrorInfo('bad-chunk', `The take could not be recovered: ${detail}`, `无法恢复此录制：${detail}`) })
    }
  }
  return { takes, error: null }
}

/** `format` of {@link createRawTakeDump}'s JSON. */
export const RAW_TAKE_FORMAT = 'lingjing-xr-session-raw'

/**
 * Everything stored for a take, as JSON text (`{ format, take, chunks }`), so a damaged take can
 * still be downloaded and repaired by hand. Values JSON cannot hold (BigInt) become strings.
 */
export async function createRawTakeDump(store: TakeStore, takeId: string): Promise<string> {
  const take = (await store.listTakes()).find((t) => idOf(t) === takeId) ?? null
  const chunks: unknown[] = await store.loadChunks(takeId)
  return JSON.stringify({ format: RAW_TAKE_FORMAT, take, chunks }, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))
}
