/**
 * Records the programme: `captureStream()` on the broadcast canvas plus the microphone when it is
 * on, encoded by MediaRecorder in the best container/codec the browser has, with a countdown, a
 * running time and size. Chunks (one a second) go to IndexedDB as they arrive through the core's
 * take writer, so ending the XR session, the Quest menu, a crash or a reload keeps everything up to
 * the last second; at the next start an interrupted take is marked recovered and listed. The
 * storage estimate is checked before every chunk and the recording stops — keeping the take — while
 * there is still room ("storage full" is said before anything is lost).
 */
import { createAppError, type AppError } from '../../core/app/app-errors'
import { pickRecordingFormat, extensionForMimeType } from '../../core/broadcast/media-format'
import { assembleMediaTake, createMemoryMediaTakeStore, recoverInterruptedMediaTakes, type MediaTakeInfo, type MediaTakeStore } from '../../core/broadcast/media-take-store'
import { createMediaTakeWriter, type MediaTakeWriter, type MediaTakeWriterStatus } from '../../core/broadcast/media-take-writer'
import type { StorageAssessment } from '../../core/storage/storage-quota'
import { setWebmDuration, webmHasFrames } from '../../core/broadcast/webm-duration'
import { deleteTakeUnlessLive } from '../../core/replay/live-takes'
import { openStorePatiently } from '../../core/replay/open-store'
import { createStore, shallowEqual } from '../../core/store/store'
import { createBrowserTakeGuard } from '../storage/chunk-database'
import { createIndexedDbMediaStore } from './indexed-db-media-store'
import { PROGRAMME_LEVELS, PROGRAMME_PRESETS } from './programme-output'
import type { Programme } from './programme'

/** Where the recorder is. */
export type RecorderState = 'idle' | 'countdown' | 'recording' | 'stopping' | 'unsupported'

/** What the UI and the snapshot show (a new object on every change, the same one until then; never per frame). */
export interface RecorderView {
  state: RecorderState
  /** Seconds left in the countdown. */
  countdown: number
  /** Recorded time and bytes handed to the store so far. */
  elapsedMs: number
  bytes: number
  storedBytes: number
  mimeType: string | null
  withAudio: boolean
  storage: StorageAssessment['level']
  secondsLeft: number
  /** 'indexeddb' keeps takes across crashes; 'memory' only while the page lives. */
  storeKind: 'indexeddb' | 'memory' | null
  takes: MediaTakeInfo[]
  /** The take being recorded. */
  takeId: string | null
  /** `navigator.storage.persist()` asked when recording starts: null before, 'unsupported' without the API. */
  persisted: boolean | 'unsupported' | null
}

/** Options of {@link createBroadcastRecorder}. */
export interface BroadcastRecorderOptions {
  programme: Programme
  experience: string
  /** The microphone stream when the user has switched it on, else null. */
  getMicrophone(): MediaStream | null
  /** Shows an error to the user. */
  reportError(error: AppError): void
  /** Takes back an error shown earlier (storage that opened late after all). */
  dismissError?(error: AppError): void
  /** Seconds of countdown (default 3). */
  countdownS?: number
  /** Chunk length, ms (default 1000). */
  timesliceMs?: number
}

/** The recorder; see the file header. */
export interface BroadcastRecorder {
  readonly view: RecorderView
  /** Called on every change of the view (a patch that changes nothing tells no one). */
  subscribe(listener: (view: RecorderView) => void): () => void
  /** Starts the countdown (or records at once with `countdownS` 0). */
  start(countdownS?: number): void
  /** Stops the countdown or the recording; resolves when the take is stored. */
  stop(): Promise<void>
  /** The whole take as one Blob (for play, download, share). */
  loadTake(id: string): Promise<{ blob: Blob; info: MediaTakeInfo; complete: boolean }>
  deleteTake(id: string): Promise<void>
  /** Re-reads the list of takes. */
  refresh(): Promise<void>
  dispose(): void
}

const VIDEO_BITRATE: Record<keyof typeof PROGRAMME_PRESETS, number> = { '720p': 4_000_000, '540p': 2_500_000, '360p': 1_200_000 }
const AUDIO_BITRATE = 128_000
/**
 * Recovered WebM takes up to this size are read whole to see whether they hold a frame. Without a
 * frame a WebM is only its header and track list (well under 1 KB), so a larger take has frames
 * and a long recording is never loaded at start.
 */
const EMPTY_CHECK_MAX_BYTES = 64 * 1024

function randomSuffix(): string {
  return Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, '0')
}

function takeName(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `lingjing-${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
}

/** Creates the recorder and opens its store; interrupted takes are recovered before it resolves. */
export async function createBroadcastRecorder(options: BroadcastRecorderOptions): Promise<BroadcastRecorder> {
  const { programme } = options
  const timeslice = options.timesliceMs ?? 1000
  // A hung IndexedDB open times out into memory instead of leaving Record doing nothing (#16); a
  // merely slow one (a loaded machine) is adopted when it opens, before anything is recorded.
  let shown: AppError | null = null
  const opened = await openStorePatiently<MediaTakeStore<Blob>>(createIndexedDbMediaStore, createMemoryMediaTakeStore, {
    adopt: async (late) => {
      const idle = () => view().state === 'idle' || view().state === 'unsupported'
      if (!idle()) return false
      const held = await store.listTakes()
      // Checked again after the await: a take may have started in memory meanwhile.
      if (!idle() || held.length > 0) return false
      store = late
      set({ storeKind: late.kind })
      await recover()
      return true
    },
    warn: (error) => {
      shown = createAppError('recording-not-persistent', error.en)
      options.reportError(shown)
    },
    withdraw: () => {
      if (shown) options.dismissError?.(shown)
    },
  })
  let store = opened.store
  // A take being recorded holds a Web Lock: another tab never marks it recovered or deletes it.
  const guard = createBrowserTakeGuard('broadcast')
  const supported = typeof MediaRecorder !== 'undefined' && typeof programme.output.canvas.captureStream === 'function'
  const initial: RecorderView = {
    state: supported ? 'idle' : 'unsupported',
    countdown: 0,
    elapsedMs: 0,
    bytes: 0,
    storedBytes: 0,
    mimeType: null,
    withAudio: false,
    storage: 'unknown',
    secondsLeft: Infinity,
    storeKind: store.kind,
    takes: [],
    takeId: null,
    persisted: null,
  }
  // Field by field: a status that changes nothing (same bytes, same level) tells no one.
  const views = createStore(initial, shallowEqual)
  const view = views.get
  const set = (patch: Partial<RecorderView>) => views.set((current) => ({ ...current, ...patch }))

  let countdownTimer = 0
  let tick = 0
  let recorder: MediaRecorder | null = null
  let writer: MediaTakeWriter<Blob> | null = null
  let stream: MediaStream | null = null
  let startedAt = 0
  let stopping: Promise<void> | null = null
  let fullReported = false
  /** True while the canvas is fed ahead of the recording (the countdown), so frame one is current. */
  let preRolling = false
  const endPreRoll = () => {
    if (!preRolling) return
    preRolling = false
    programme.consumers--
  }

  const elapsed = () => (startedAt > 0 ? performance.now() - startedAt : 0)

  async function refresh(): Promise<void> {
    try {
      set({ takes: (await store.listTakes()).reverse() })
    } catch (err) {
      options.reportError(createAppError('recording-write-failed', err instanceof Error ? err.message : String(err)))
    }
  }

  // Takes still 'recording' at start were cut off (crash, reload, killed tab): keep what was stored.
  // One cut off in its first second may hold no frame at all; say so rather than offer a file no
  // player opens (its bytes stay until the visitor deletes it).
  // One another tab is recording now is neither marked nor offered.
  async function recover(): Promise<void> {
    const from = store
    try {
      await recoverInterruptedMediaTakes(from, {
        isLive: (id) => guard.isLive(id),
        isEmpty: async (info) => {
          if (info.extension !== 'webm' || info.bytes >= EMPTY_CHECK_MAX_BYTES) return false
          const chunks = await from.loadChunks(info.id)
          const bytes = new Uint8Array(await new Blob(assembleMediaTake(chunks).parts.slice()).arrayBuffer())
          return webmHasFrames(bytes) === false
        },
      })
    } catch {
      // Listing failed: refresh() below reports it.
    }
    await refresh()
  }
  await recover()

  function onWriterStatus(s: MediaTakeWriterStatus): void {
    set({ bytes: s.bytes, storedBytes: s.storedBytes, storage: s.storage.level, secondsLeft: s.storage.secondsLeft })
    if (s.storage.level === 'full' && !fullReported && view().state === 'recording') {
      fullReported = true
      const mb = Math.round(s.storedBytes / 1e5) / 10
      options.reportError(createAppError('recording-storage-full', `stopped at ${mb} MB; ${Math.round(s.storage.freeBytes / 1e6)} MB left above the safety margin`))
      void stop()
    }
    if (s.writeError && view().state === 'recording') {
      options.reportError(createAppError('recording-write-failed', s.writeError))
      void stop()
    }
  }

  function begin(): void {
    const mic = options.getMicrophone()
    const audio = mic ? mic.getAudioTracks().filter((t) => t.readyState === 'live') : []
    const format = pickRecordingFormat((t) => MediaRecorder.isTypeSupported(t), audio.length > 0)
    if (!format) {
      endPreRoll()
      set({ state: 'unsupported' })
      options.reportError(createAppError('recording-unsupported', 'MediaRecorder.isTypeSupported refused every WebM and MP4 type'))
      return
    }
    const level = PROGRAMME_LEVELS[PROGRAMME_PRESETS[programme.preset]]
    if (!preRolling) {
      programme.output.setCanvasSize(level.width, level.height)
      programme.consumers++
    }
    preRolling = false
    stream = programme.output.canvas.captureStream(level.fps)
    for (const t of audio) stream.addTrack(t.clone())
    let rec: MediaRecorder
    try {
      rec = new MediaRecorder(stream, { mimeType: format.mimeType, videoBitsPerSecond: VIDEO_BITRATE[programme.preset], audioBitsPerSecond: AUDIO_BITRATE })
    } catch (err) {
      programme.consumers--
      stream.getTracks().forEach((t) => t.stop())
      set({ state: 'idle' })
      options.reportError(createAppError('recording-unsupported', err instanceof Error ? err.message : String(err)))
      return
    }
    const now = new Date()
    const mimeType = rec.mimeType || format.mimeType
    const info: MediaTakeInfo = {
      id: `${now.getTime().toString(36)}-${randomSuffix()}`,
      name: takeName(now),
      mimeType,
      extension: extensionForMimeType(mimeType),
      startedAt: now.toISOString(),
      experience: options.experience,
      state: 'recording',
      bytes: 0,
      chunks: 0,
      durationMs: 0,
    }
    const estimate = navigator.storage?.estimate ? () => navigator.storage.estimate() : null
    void guard.hold(info.id)
    // Ask the browser not to evict takes under storage pressure; the answer goes to the snapshot.
    if (view().persisted === null) {
      set({ persisted: 'unsupported' })
      if (navigator.storage?.persist) {
        void navigator.storage
          .persist()
          .then((granted) => set({ persisted: granted }))
          .catch(() => set({ persisted: false }))
      }
    }
    writer = createMediaTakeWriter({
      store,
      info,
      estimate,
      expectedBytesPerSecond: (VIDEO_BITRATE[programme.preset] + (audio.length ? AUDIO_BITRATE : 0)) / 8,
      onStatus: onWriterStatus,
    })
    const w = writer
    rec.ondataavailable = (e) => {
      if (e.data.size > 0) w.append(e.data, e.data.size, elapsed())
    }
    rec.onerror = (e) => {
      const error = (e as Event & { error?: DOMException }).error
      options.reportError(createAppError('recording-write-failed', `MediaRecorder: ${error?.name ?? 'error'} ${error?.message ?? ''}`))
      void stop()
    }
    recorder = rec
    fullReported = false
    startedAt = performance.now()
    rec.start(timeslice)
    set({ state: 'recording', elapsedMs: 0, bytes: 0, storedBytes: 0, mimeType, withAudio: audio.length > 0, takeId: info.id })
    // The running time on screen: a few updates a second, not per frame.
    tick = window.setInterval(() => set({ elapsedMs: elapsed() }), 250)
  }

  function start(countdownS = options.countdownS ?? 3): void {
    if (view().state !== 'idle') return
    // Storage still has not opened: this take is in memory only, so say so now.
    if (store.kind === 'memory') opened.warnNow()
    if (countdownS <= 0) {
      begin()
      return
    }
    let left = Math.ceil(countdownS)
    // Feed the broadcast canvas during the countdown: the recording starts on a current picture.
    const level = PROGRAMME_LEVELS[PROGRAMME_PRESETS[programme.preset]]
    programme.output.setCanvasSize(level.width, level.height)
    programme.consumers++
    preRolling = true
    set({ state: 'countdown', countdown: left })
    countdownTimer = window.setInterval(() => {
      left--
      if (left > 0) {
        set({ countdown: left })
        return
      }
      window.clearInterval(countdownTimer)
      set({ countdown: 0 })
      begin()
    }, 1000)
  }

  function stop(): Promise<void> {
    if (view().state === 'countdown') {
      window.clearInterval(countdownTimer)
      endPreRoll()
      set({ state: 'idle', countdown: 0 })
      return Promise.resolve()
    }
    if (view().state !== 'recording' || !recorder || !writer) return stopping ?? Promise.resolve()
    const rec = recorder
    const w = writer
    set({ state: 'stopping' })
    window.clearInterval(tick)
    // The recording ends now: what the encoder still flushes was captured before this moment (on a
    // busy machine 'stop' can arrive seconds later, which is not recorded time).
    const endMs = elapsed()
    stopping = new Promise<void>((resolve) => {
      // The last dataavailable fires before stop.
      rec.onstop = () => resolve()
      rec.stop()
    })
      .then(() => w.finish(endMs))
      .then(async (info) => {
        stream?.getTracks().forEach((t) => t.stop())
        programme.consumers--
        recorder = null
        writer = null
        stream = null
        startedAt = 0
        guard.release(info.id)
        set({ state: 'idle', elapsedMs: info.durationMs, storedBytes: info.bytes })
        await refresh()
      })
      .finally(() => {
        stopping = null
      })
    return stopping
  }

  // The page going away: hand over what the encoder holds so the stored take is as long as possible.
  const onHide = () => {
    if (recorder?.state === 'recording') recorder.requestData()
  }
  window.addEventListener('pagehide', onHide)
  document.addEventListener('visibilitychange', onHide)

  return {
    get view() {
      return view()
    },
    subscribe: views.subscribe,
    start,
    stop,
    async loadTake(id) {
      const info = (await store.listTakes()).find((t) => t.id === id)
      if (!info) throw new Error(`take ${id} is not stored`)
      // During the recording itself, chunks not yet stored come from the writer.
      const chunks = writer && writer.info.id === id ? writer.allChunks() : await store.loadChunks(id)
      const assembled = assembleMediaTake(chunks)
      const parts: BlobPart[] = assembled.parts.slice()
      // MediaRecorder's WebM has no duration (players show 0:00 and cannot seek): write it into the
      // head. Chromium hands the very first byte over as a chunk of its own, so the head is the first
      // few chunks joined (the header and Info are a few hundred bytes).
      if (info.extension === 'webm' && assembled.parts.length > 0) {
        let k = 0
        let size = 0
        while (k < assembled.parts.length && size < 4096) size += assembled.parts[k++].size
        const head = new Uint8Array(await new Blob(assembled.parts.slice(0, k)).arrayBuffer())
        const patched = setWebmDuration(head, info.durationMs)
        if (patched.ok) parts.splice(0, k, patched.bytes as Uint8Array<ArrayBuffer>)
        // The file still plays without it (players learn the length at the end): say why, do not fail.
        else console.warn(`Lingjing broadcast: the duration was not written into ${info.name}.webm: ${patched.reason}`)
      }
      return { blob: new Blob(parts, { type: info.mimeType }), info, complete: assembled.gapAt < 0 }
    },
    async deleteTake(id) {
      // Chunks still being written (by this tab's recording or another tab's) are not deleted.
      if (!(await deleteTakeUnlessLive(store, guard, id))) {
        options.reportError(createAppError('recording-take-live', id))
        return
      }
      await refresh()
    },
    refresh,
    dispose() {
      opened.dispose()
      window.removeEventListener('pagehide', onHide)
      document.removeEventListener('visibilitychange', onHide)
      window.clearInterval(countdownTimer)
      window.clearInterval(tick)
      // The lock goes once the take is stored, not before (another tab must not recover it meanwhile).
      void stop().finally(() => guard.dispose())
    },
  }
}
