/**
 * The recorder behind the record button: encodes one input snapshot per XR frame with the
 * recording builder, persists chunks to a {@link TakeStore} as they fill (and at least every
 * `flushIntervalMs`), and keeps app events on the same timeline. Framework-free: the caller passes
 * wall time in (for the flush interval only; recorded times come from the snapshots).
 *
 * Writes are serialised through one promise chain so chunks land in order; a failed write stays
 * queued and is retried with the next write, because {@link assembleRecording} can only use a
 * gap-free run of chunks.
 */
import { createInputSnapshot, type XRInputSnapshot } from '../input/input-snapshot'
import {
  DEFAULT_CHUNK_SIZE,
  createFrameState,
  createRecordingBuilder,
  decodeFrame,
  isKeyframe,
  type JsonValue,
  type RecordingBuilder,
  type Recording,
  type RecordingChunk,
  type RecordingMeta,
  type RecordingMetaInput,
} from './recording-format'
import { createStateHasher, hashInputSnapshot } from './state-hash'
import type { LiveTakeGuard } from './live-takes'
import type { TakeInfo, TakeStore } from './take-store'
import { DEFAULT_MAX_BYTES, EVENT_TYPE, MAX_EVENTS, MAX_EVENT_DATA_DEPTH, MAX_EVENT_DATA_NODES, MAX_STRING_CHARS } from './validate-recording'

/**
 * Largest part (JSON bytes of frames, events and meta) before a take rolls over into its next
 * part: the player's limit ({@link DEFAULT_MAX_BYTES}, 20 MB) less 2 MB kept for the optional timing
 * trace the app attaches when a part ends (dropped if it would not fit; see README.md).
 */
export const DEFAULT_PART_BYTES = DEFAULT_MAX_BYTES - 2 * 1024 * 1024

/** A part of a long take that has just ended because the next frame would pass the limit. */
export interface FinishedPart {
  /** The part's summary (its id is the take's id, then `-part2`, `-part3`...). */
  info: TakeInfo
  /** 1 for the first part. */
  part: number
  /** Input hash of the part's frames (what a deterministic replay of it computes). */
  inputHash: string
  /** The whole part as a recording (built on demand: call it outside the frame). */
  build(): Recording
}

/** Options of {@link createSessionRecorder}. */
export interface SessionRecorderOptions {
  /** Where chunks go. */
  store: TakeStore
  /** Frames per full chunk (default {@link DEFAULT_CHUNK_SIZE}, about 4 s at 72 Hz). */
  chunkSize?: number
  /**
   * Also persist a partial chunk when this much wall time passed since the last write (default
   * 1000 ms), so a crash loses at most about a second even when the frame rate is low.
   */
  flushIntervalMs?: number
  /**
   * Marks the take live while it records (a Web Lock), so another tab never offers it for recovery
   * or deletes it; the take's record is written only once the mark is held.
   */
  guard?: Pick<LiveTakeGuard, 'hold' | 'release'>
  /** Largest part in JSON bytes before rolling over (default {@link DEFAULT_PART_BYTES}). */
  maxPartBytes?: number
  /** Called (synchronously, in the frame that rolled over) when a part ended and the next began. */
  onPart?(part: FinishedPart): void
}

/** Why {@link SessionRecorder.recordEvent} refused an event (the file must stay valid). */
export type EventRefusal = 'not-recording' | 'bad-type' | 'bad-data' | 'too-many' | 'too-large'

/** The recorder; see {@link createSessionRecorder}. */
export interface SessionRecorder {
  /** True between start() and stop(). */
  readonly recording: boolean
  /** Id of the take being recorded, or of the last one after stop(); null before the first. */
  readonly takeId: string | null
  /** Metadata of the current (or last) take. */
  readonly meta: RecordingMeta | null
  /** Frames appended to the current take (the current part of a long take). */
  readonly frameCount: number
  /** Part of the take being recorded: 1, then 2, 3... after each rollover. */
  readonly part: number
  /** Exact JSON size of the current part so far (what {@link SessionRecorder.build} would give). */
  readonly partBytes: number
  /** Recorded time of the last appended frame, ms after the first. */
  readonly durationMs: number
  /** Frames whose chunk has been written to the store. */
  readonly persistedFrames: number
  /** Chunks taken but not yet confirmed written. */
  readonly pendingChunks: number
  /** Message of the last failed write, null when the last write succeeded. */
  readonly lastError: string | null
  /**
   * Hash of every frame chunked so far, decoded exactly as a player decodes it. After stop() it
   * equals a deterministic replay's input hash of the same file (the replay folds the same frames).
   */
  readonly inputHash: string
  /** Starts a new take; throws if one is running. */
  start(takeId: string, meta: RecordingMetaInput): void
  /** Appends one frame (the snapshot the app used this frame); `wallMs` only paces flushing. */
  appendFrame(snapshot: XRInputSnapshot, wallMs: number): number
  /** Adds an app event at the current frame; returns null when stored, else why it was refused. */
  recordEvent(type: string, data?: JsonValue): EventRefusal | null
  /** Persists everything appended so far (e.g. when the page is hidden). */
  flush(): Promise<void>
  /** Flushes, marks the take stopped and goes idle; resolves to the take's final summary. */
  stop(): Promise<TakeInfo>
  /**
   * The whole current (or last) take from memory, whatever reached the store: a failed write must
   * not cost the user a take they can still download. Null before the first start().
   */
  build(): Recording | null
}

// Counts values and depth of event data so a payload the validator would refuse is refused here.
function payloadFits(value: unknown, depth: number, budget: { nodes: number }): boolean {
  if (--budget.nodes < 0 || depth > MAX_EVENT_DATA_DEPTH) return false
  // undefined is dropped (objects) or becomes null (arrays) by JSON, like the builder's copy does.
  if (typeof value === 'string') return value.length <= MAX_STRING_CHARS
  if (value === null || value === undefined || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every((v) => payloadFits(v, depth + 1, budget))
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).every(([k, v]) => k.length <= MAX_STRING_CHARS && payloadFits(v, depth + 1, budget))
  }
  return false
}

/** Creates an idle recorder writing to `options.store`. */
export function createSessionRecorder(options: SessionRecorderOptions): SessionRecorder {
  const store = options.store
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE
  const flushIntervalMs = options.flushIntervalMs ?? 1000
  let builder: RecordingBuilder | null = null
  let info: TakeInfo | null = null
  let takeId: string | null = null
  let recording = false
  let lastFlushWallMs = 0
  let persistedFrames = 0
  let lastError: string | null = null
  const maxPartBytes = options.maxPartBytes ?? DEFAULT_PART_BYTES
  let baseId = ''
  let baseMeta: RecordingMetaInput | null = null
  let part = 1
  // Largest frame seen: a part rolls over while one more frame of that size still fits.
  let largestFrameBytes = 0
  // Each queued chunk remembers its part's summary (a failed write may outlive the part).
  const queue: { info: TakeInfo; chunk: RecordingChunk }[] = []
  let writing: Promise<void> = Promise.resolve()

  // Input hash over chunked frames, decoded with a player's own decoder.
  const hasher = createStateHasher()
  const decodeState = createFrameState()
  const decoded = createInputSnapshot()
  let hashedFrames = 0
  let eventCount = 0

  const hashChunk = (chunk: RecordingChunk) => {
    const interval = chunk.meta.keyframeInterval
    for (let i = 0; i < chunk.frames.length; i++) {
      const index = chunk.firstFrame + i
      // Chunks are taken in order, so this walks the frames exactly once, from frame 0.
      if (index !== hashedFrames) continue
      decodeFrame(chunk.frames[i], decodeState, isKeyframe(index, interval), index, decoded)
      hashInputSnapshot(hasher, decoded)
      hashedFrames++
    }
  }

  // Writes every queued chunk in order; a failure leaves it (and those after it) queued.
  const drain = (): Promise<void> => {
    writing = writing.then(async () => {
      while (queue.length > 0) {
        const { info: current, chunk } = queue[0]
        try {
          await store.putChunk(current.id, chunk)
          queue.shift()
          const end = chunk.firstFrame + chunk.frames.length
          if (end > current.frames) current.frames = end
          if (current === info) persistedFrames = current.frames
          current.chunks = chunk.index + 1
          await store.putTake({ ...current })
          lastError = null
        } catch (err) {
          lastError = err instanceof Error ? err.message : String(err)
          return
        }
      }
    })
    return writing
  }

  const takeChunks = (flush: boolean) => {
    if (!builder || !info) return
    let chunk: RecordingChunk | null
    let took = false
    while ((chunk = builder.chunk(flush))) {
      hashChunk(chunk)
      queue.push({ info, chunk })
      took = true
    }
    if (took) {
      info.durationMs = builder.durationMs
      void drain()
    }
  }

  // Starts a part: a fresh builder (frame 0 is a keyframe, so every part plays on its own) and its
  // summary, stored once the take is marked live.
  const beginPart = (id: string, meta: RecordingMetaInput) => {
    builder = createRecordingBuilder(meta, { chunkSize })
    takeId = id
    info = { id, meta: builder.meta, state: 'recording', frames: 0, durationMs: 0, chunks: 0 }
    persistedFrames = 0
    hasher.reset()
    hashedFrames = 0
    const current = info
    // The summary goes in first so an interrupted take is found even before its first chunk, but
    // after the take is marked live: another tab must never see it unmarked.
    const guard = options.guard
    writing = writing
      .then(() => guard?.hold(id))
      .then(() => store.putTake({ ...current }))
      .catch((err: unknown) => {
        lastError = err instanceof Error ? err.message : String(err)
      })
  }

  // Ends the current part (flushed, stored as stopped, released) and goes on in the next one.
  const rollOver = () => {
    if (!builder || !info || !baseMeta) return
    takeChunks(true)
    const ended = info
    const endedBuilder = builder
    ended.state = 'stopped'
    ended.durationMs = endedBuilder.durationMs
    const finished: FinishedPart = { info: ended, part, inputHash: hasher.hex(), build: () => endedBuilder.build() }
    writing = writing
      .then(() => store.putTake({ ...ended }))
      .catch((err: unknown) => {
        lastError = err instanceof Error ? err.message : String(err)
      })
      .then(() => options.guard?.release(ended.id))
    part++
    const description = `${(baseMeta.description ?? '').slice(0, 1900)} (part ${part})`.trim()
    beginPart(`${baseId}-part${part}`, { ...baseMeta, description })
    options.onPart?.(finished)
  }

  return {
    get recording() {
      return recording
    },
    get takeId() {
      return takeId
    },
    get meta() {
      return builder ? builder.meta : null
    },
    get frameCount() {
      return builder ? builder.frameCount : 0
    },
    get part() {
      return part
    },
    get partBytes() {
      return builder ? builder.jsonBytes : 0
    },
    get durationMs() {
      return builder ? builder.durationMs : 0
    },
    get persistedFrames() {
      return persistedFrames
    },
    get pendingChunks() {
      return queue.length
    },
    get lastError() {
      return lastError
    },
    get inputHash() {
      return hasher.hex()
    },
    start(id, meta) {
      if (recording) throw new Error('A take is already being recorded; stop it first.')
      baseId = id
      baseMeta = { ...meta }
      part = 1
      largestFrameBytes = 0
      recording = true
      lastError = null
      queue.length = 0
      eventCount = 0
      lastFlushWallMs = Number.NaN
      beginPart(id, meta)
    },
    appendFrame(snapshot, wallMs) {
      if (!recording || !builder) return -1
      // Roll over while one more frame of the largest size seen still fits (comparisons only).
      if (builder.frameCount > 0 && builder.jsonBytes + largestFrameBytes + 1 > maxPartBytes) rollOver()
      const before = builder.jsonBytes
      const index = builder.appendFrame(snapshot)
      const added = builder.jsonBytes - before
      if (added > largestFrameBytes) largestFrameBytes = added
      if (Number.isNaN(lastFlushWallMs)) lastFlushWallMs = wallMs
      const due = wallMs - lastFlushWallMs >= flushIntervalMs
      if (due) lastFlushWallMs = wallMs
      takeChunks(due)
      return index
    },
    recordEvent(type, data) {
      if (!recording || !builder) return 'not-recording'
      if (typeof type !== 'string' || !EVENT_TYPE.test(type)) return 'bad-type'
      if (data !== undefined && !payloadFits(data, 1, { nodes: MAX_EVENT_DATA_NODES })) return 'bad-data'
      if (eventCount >= MAX_EVENTS) return 'too-many'
      // An event that would push the part past the limit goes into the next part; one that would
      // not fit even an empty part is refused (the file must stay playable).
      const size = JSON.stringify({ frame: builder.frameCount, t: builder.durationMs, type, data }).length + 1
      if (builder.jsonBytes + size + largestFrameBytes > maxPartBytes) {
        if (builder.frameCount === 0 || size * 4 > maxPartBytes) return 'too-large'
        rollOver()
      }
      eventCount++
      builder.appendEvent(type, data)
      return null
    },
    async flush() {
      if (!recording) {
        await writing
        return
      }
      takeChunks(true)
      await drain()
    },
    async stop() {
      if (!builder || !info) throw new Error('Nothing is being recorded.')
      if (recording) {
        takeChunks(true)
        recording = false
      }
      const current = info
      await drain()
      if (queue.length > 0) {
        // One more try: a transient failure (e.g. a busy database) should not cost the tail.
        await drain()
      }
      current.state = 'stopped'
      current.durationMs = builder.durationMs
      try {
        await store.putTake({ ...current })
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err)
      }
      options.guard?.release(current.id)
      return { ...current }
    },
    build() {
      return builder ? builder.build() : null
    },
  }
}
