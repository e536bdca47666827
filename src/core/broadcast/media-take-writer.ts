/**
 * Writes one recording's chunks to a {@link MediaTakeStore} as the encoder hands them over, in
 * order, one write at a time, and keeps the take's summary current after each. Before every chunk
 * it checks the storage estimate, so "storage full" is reported (and the recorder stops) while the
 * safety margin still has room for the chunks in flight. A chunk whose write fails is tried once
 * more and otherwise kept in memory: the take can still be downloaded while the page lives, and the
 * user is told recovery after a crash would stop at the last stored chunk.
 */
import type { MediaTakeInfo, MediaTakeStore, StoredMediaChunk } from './media-take-store'
import { assessStorage, type StorageAssessment, type StorageEstimateLike } from '../storage/storage-quota'

/** What the writer reports (on every change; not per frame). */
export interface MediaTakeWriterStatus {
  /** Bytes and chunks safely stored. */
  storedBytes: number
  storedChunks: number
  /** Bytes handed over (stored or not yet). */
  bytes: number
  /** Chunks waiting for their write, or kept in memory after a failure. */
  pendingChunks: number
  storage: StorageAssessment
  /** Message of the last write that failed twice, or null. */
  writeError: string | null
}

/** Options of {@link createMediaTakeWriter}. */
export interface MediaTakeWriterOptions<C> {
  store: MediaTakeStore<C>
  /** The take's summary at start (state 'recording', zero bytes). */
  info: MediaTakeInfo
  /** `navigator.storage.estimate` (or a test double); null when the browser has none. */
  estimate: (() => Promise<StorageEstimateLike>) | null
  /** Expected bytes per second before anything is measured (the encoder's bitrate / 8). */
  expectedBytesPerSecond: number
  /** Called after every change. */
  onStatus?: (status: MediaTakeWriterStatus) => void
  /** Thresholds for the storage check (see assessStorage). */
  safetySeconds?: number
  warnSeconds?: number
  reserveBytes?: number
}

/** The writer; see {@link createMediaTakeWriter}. */
export interface MediaTakeWriter<C> {
  readonly info: Readonly<MediaTakeInfo>
  readonly status: MediaTakeWriterStatus
  /** Queues a chunk; `recordedMs` is the recorded time up to its end. Never throws. */
  append(data: C, bytes: number, recordedMs: number): void
  /** Waits for every queued write, retries chunks kept in memory once more, and marks the take stopped. */
  finish(recordedMs: number): Promise<MediaTakeInfo>
  /** Every chunk handed over, stored or not, in order (for a download before the store has them). */
  allChunks(): StoredMediaChunk<C>[]
}

/** Creates a writer for one take and stores its initial summary. */
export function createMediaTakeWriter<C>(options: MediaTakeWriterOptions<C>): MediaTakeWriter<C> {
  const { store, estimate } = options
  const info: MediaTakeInfo = { ...options.info, state: 'recording', bytes: 0, chunks: 0, durationMs: 0 }
  const all: StoredMediaChunk<C>[] = []
  const failed: StoredMediaChunk<C>[] = []
  /** Recorded time at the end of each chunk, by index. */
  const ends: number[] = []
  let nextIndex = 0
  let queued = 0
  let handedBytes = 0
  let recordedMs = 0
  let writeError: string | null = null
  let storage: StorageAssessment = { level: 'unknown', freeBytes: Infinity, secondsLeft: Infinity }
  // One write at a time, in order: chunk n+1 is never stored before chunk n.
  let chain: Promise<void> = store.putTake({ ...info }).catch((err: unknown) => {
    writeError = describe(err)
  })

  const status = (): MediaTakeWriterStatus => ({
    storedBytes: info.bytes,
    storedChunks: info.chunks,
    bytes: handedBytes,
    pendingChunks: queued + failed.length,
    storage,
    writeError,
  })
  const report = () => options.onStatus?.(status())

  function describe(err: unknown): string {
    const name = typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : ''
    const message = err instanceof Error ? err.message : String(err)
    return name && !message.startsWith(name) ? `${name}: ${message}` : message
  }

  async function check(): Promise<void> {
    if (!estimate) return
    try {
      const measured = recordedMs > 500 ? (handedBytes * 1000) / recordedMs : 0
      storage = assessStorage(await estimate(), {
        bytesPerSecond: Math.max(measured, options.expectedBytesPerSecond),
        safetySeconds: options.safetySeconds,
        warnSeconds: options.warnSeconds,
        reserveBytes: options.reserveBytes,
      })
    } catch {
      storage = { level: 'unknown', freeBytes: Infinity, secondsLeft: Infinity }
    }
  }

  async function write(chunk: StoredMediaChunk<C>): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await store.appendChunk(info.id, chunk)
        // Only a gap-free run counts as stored: recovery stops at the first missing chunk.
        if (chunk.index === info.chunks) {
          info.chunks++
          info.bytes += chunk.bytes
          info.durationMs = ends[chunk.index]
          await store.putTake({ ...info })
        }
        return true
      } catch (err) {
        writeError = describe(err)
      }
    }
    return false
  }

  return {
    info,
    get status() {
      return status()
    },
    append(data, bytes, upToMs) {
      const chunk: StoredMediaChunk<C> = { index: nextIndex++, bytes, data }
      all.push(chunk)
      ends.push(upToMs)
      handedBytes += bytes
      recordedMs = upToMs
      queued++
      report()
      chain = chain.then(async () => {
        await check()
        // After a failure later chunks are not stored either (they could never be assembled), but kept.
        const ok = failed.length === 0 && (await write(chunk))
        queued--
        if (!ok) failed.push(chunk)
        report()
      })
    },
    async finish(upToMs) {
      recordedMs = Math.max(recordedMs, upToMs)
      await chain
      // One more try for chunks kept in memory (a transient error may have passed).
      while (failed.length > 0 && (await write(failed[0]))) failed.shift()
      if (failed.length === 0) {
        info.state = 'stopped'
        info.durationMs = recordedMs
        try {
          await store.putTake({ ...info })
        } catch (err) {
          writeError = describe(err)
        }
      }
      report()
      return { ...info }
    },
    allChunks: () => all.slice(),
  }
}
