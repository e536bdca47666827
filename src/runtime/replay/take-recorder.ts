/**
 * The recorder side of the xr-sessions service: takes, their chunks in storage, and recovery.
 *
 * Every recorded frame is encoded and persisted in chunks as it records (at least once a second),
 * so stopping, ending the session, a crash or a reload never loses the take: at start, takes left
 * in storage are rebuilt and offered again (a broken one as damaged: Delete and Download raw). A
 * finished take waits in `XRSessionsState.takes` for the user: download, share, or discard. A long
 * take rolls over into parts, each offered on its own. Storage falls back to memory when IndexedDB
 * cannot open, and says so.
 */
import type { AppStore } from '../app/app-store'
import { createAppError } from '../../core/app/app-errors'
import type { Diagnostics } from '../../core/diagnostics/diagnostics'
import type { XRInputSnapshot } from '../../core/input/input-snapshot'
import type { JsonValue, Recording, RecordingMode } from '../../core/replay/recording-format'
import { deleteTakeUnlessLive, type LiveTakeGuard } from '../../core/replay/live-takes'
import { openStorePatiently } from '../../core/replay/open-store'
import { createSessionRecorder, type EventRefusal, type FinishedPart, type SessionRecorder } from '../../core/replay/session-recorder'
import { assessTakeStorage } from '../../core/replay/take-storage'
import { createMemoryTakeStore, createRawTakeDump, describeTake, recoverAllTakes, type TakeInfo, type TakeStore } from '../../core/replay/take-store'
import { DEFAULT_MAX_BYTES, validateRecording } from '../../core/replay/validate-recording'
import type { Store } from '../../core/store/store'
import type { AppFrame } from '../frame/app-frame'
import { createBrowserTakeGuard } from '../storage/chunk-database'
import type { XRSupport } from '../xr/setup-xr'
import { randomSuffix } from './session-seed'
import { describeDevice, downloadText, fileNameFor, takeFile } from './take-files'
import { createRecordBlocker } from './recorder-boot'
import type { PendingTake, RecordBlocker, RecorderSnapshot, RecorderUiState, XRSessionSource, XRSessionsState } from './xr-sessions-types'

export type { XRSessionSource, XRSessionView } from './xr-sessions-types'

/** How long Stop waits for storage's last writes before offering the take from memory. */
export const STOP_WAIT_MS = 3000

/** What the recorder side works with. */
export interface TakeRecorderDeps {
  /** The service's UI state; the recorder side owns its `recorder` and `takes` slices. */
  state: Store<XRSessionsState>
  app: AppStore
  xr: XRSessionSource
  support: Pick<XRSupport, 'emulated' | 'deviceName'>
  diagnostics: Diagnostics
  frame: AppFrame
  /** Opens persistent storage; rejects when there is none (memory is used instead). */
  openStore(): Promise<TakeStore>
  /** True while a replay runs or loads: nothing is recorded then. */
  replaying(): boolean
  /** The session seed a new take records. */
  seed(): number
  /** Keeps takes being recorded from other tabs' recovery (a Web Lock in the browser). */
  guard?: LiveTakeGuard
  /** The browser's storage manager (quota estimate, persistence), or undefined where there is none. */
  storage?: Pick<StorageManager, 'estimate' | 'persist'>
  /** The browser's user agent, for the take's device line (`navigator.userAgent` by default). */
  userAgent?: string
  /** Calls `persist` when the page is hidden or left (the browser's visibility and pagehide events). */
  onPageHide?(persist: () => void): void
}

/** The recorder side's part of the service (see {@link XRSessions} for each member). */
export interface TakeRecorder {
  /** The recorder (frames, persistence, input hash); replaced once storage has opened. */
  readonly recorder: SessionRecorder
  /** Resolves once storage has opened and the takes left in it have been recovered. */
  readonly ready: Promise<void>
  recordBlocker(): RecordBlocker
  startRecording(): Promise<void>
  stopRecording(): Promise<void>
  /** Appends this frame's input to the take being recorded (frame loop: allocates nothing itself). */
  recordFrame(input: XRInputSnapshot, timeMs: number): void
  /** Puts an app event on the take's timeline; null when it was recorded. */
  recordEvent(type: string, data?: JsonValue): EventRefusal | null
  saveTake(id: string): Promise<void>
  shareTake(id: string): Promise<void>
  downloadRawTake(id: string): Promise<void>
  discardTake(id: string): Promise<void>
  dismissTake(id: string): void
  /** The `recorder` section of `window.lingjing.snapshot()`. */
  diagnosticsSection(): RecorderSnapshot
}

function browserPageHide(persist: () => void): void {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') persist()
  })
  window.addEventListener('pagehide', persist)
}

/** Creates the recorder side; starts opening storage and recovering takes at once. */
export function createTakeRecorder(deps: TakeRecorderDeps): TakeRecorder {
  const { state, app, xr, support, diagnostics, frame, replaying } = deps
  const lang = () => app.getState().lang
  const setState = (partial: Partial<XRSessionsState>) => state.set((current) => ({ ...current, ...partial }))
  const setRecorderState = (partial: Partial<RecorderUiState>) => setState({ recorder: { ...state.get().recorder, ...partial } })
  const updateTake = (id: string, partial: Partial<PendingTake>) =>
    setState({ takes: state.get().takes.map((t) => (t.id === id ? { ...t, ...partial } : t)) })
  const storageManager = 'storage' in deps ? deps.storage : navigator.storage

  // --- storage and recovery --------------------------------------------------------------------
  // A take being recorded holds a Web Lock, so another tab never recovers or deletes it (#16).
  const guard = deps.guard ?? createBrowserTakeGuard('xr-sessions')
  const onPart = (part: FinishedPart) => handlePart(part)
  let store: TakeStore = createMemoryTakeStore()
  let recorder = createSessionRecorder({ store, guard, onPart })
  // `navigator.storage.persist()` at the first recording: null until asked, then the browser's answer.
  let persisted: boolean | 'unsupported' | null = null
  let storageAtStart: { action: string; freeMb: number } | null = null
  // A hung open falls back to memory (#16); a merely slow one (a loaded machine) is adopted when it
  // opens, while memory holds no take, and its warning waits until it matters.
  const patient = openStorePatiently(() => deps.openStore(), createMemoryTakeStore, {
    adopt: async (late) => {
      const busy = () => recorder.recording || state.get().recorder.status !== 'idle'
      if (busy()) return false
      const held = await store.listTakes()
      // Checked again after the await: Record may have started a take in memory meanwhile.
      if (busy() || held.length > 0) return false
      store = late
      recorder = createSessionRecorder({ store, guard, onPart })
      setRecorderState({ storage: store.kind, storageError: null })
      await recover()
      return true
    },
    warn: (error, failure) => {
      setRecorderState({ storageError: error[lang()] })
      // No IndexedDB (private mode, a hung open): keep recording in memory and say so.
      diagnostics.reportError(`xr-sessions storage (${failure}): ${error.en}`)
    },
    withdraw: () => setRecorderState({ storageError: null }),
  })
  const storeReady = patient
    .then(({ store: opened }) => {
      store = opened
      recorder = createSessionRecorder({ store, guard, onPart })
      setRecorderState({ storage: store.kind })
    })
    .then(recover)
    .catch((error: unknown) => {
      diagnostics.reportError(`xr-sessions recovery: ${error instanceof Error ? error.message : String(error)}`)
    })

  /** Offers the takes left in the store (one at a time, a broken one as damaged; another tab's live one left alone). */
  async function recover(): Promise<void> {
    const { takes: found, error } = await recoverAllTakes(store, { skip: (info) => info.state === 'recording' && guard.isLive(info.id) })
    if (error) diagnostics.reportError(`xr-sessions recovery: ${error.message.en}`)
    const recovered: PendingTake[] = found.map((result) =>
      result.ok
        ? { ...takeSummary(result.info, result.recording), origin: 'recovered', recording: result.recording, error: null, damage: result.damage?.message ?? null }
        : { ...takeSummary(result.info, null), origin: 'recovered', recording: null, error: result.error.message, damage: null },
    )
    if (recovered.length > 0) setState({ takes: [...recovered, ...state.get().takes] })
  }

  function takeSummary(info: TakeInfo, recording: Recording | null): Omit<PendingTake, 'origin' | 'recording' | 'error' | 'damage'> {
    // A stored record may be broken (no meta): describeTake never throws.
    const summary = describeTake(info)
    const part = /-part(\d+)$/.exec(summary.id)
    return { ...summary, frames: recording ? recording.frames.length : summary.frames, saved: false, part: part ? Number(part[1]) : 1 }
  }

  // --- recording -----------------------------------------------------------------------------
  let lastTake: { id: string; frames: number; inputHash: string } | null = null
  // Takes offered before storage finished writing them (see stopRecording), by id.
  const writing = new Map<string, Promise<unknown>>()
  let offeredBeforeStored = 0

  const recordBlocker = createRecordBlocker(xr, replaying)

  const startRecording = async () => {
    if (recorder.recording || state.get().recorder.status !== 'idle') return
    if (recordBlocker() !== null) return
    await storeReady
    if (recordBlocker() !== null || recorder.recording) return
    // Room for a take? Refuse rather than fill the disk halfway; warn when only minutes are left.
    const { session: current } = xr.getState()
    const verdict = assessTakeStorage(storageManager?.estimate ? await storageManager.estimate().catch(() => null) : null, current?.frameRate ?? frame.budget.refreshHz)
    const freeMb = Math.max(0, Math.round(verdict.assessment.freeBytes / 1e5) / 10)
    storageAtStart = { action: verdict.action, freeMb: Number.isFinite(freeMb) ? freeMb : -1 }
    const left = `${freeMb} MB, about ${Math.floor(verdict.assessment.secondsLeft / 60)} min of hand tracking`
    if (verdict.action === 'refuse') {
      app.pushError(createAppError('recording-storage-low', left))
      return
    }
    if (verdict.action === 'warn') app.pushError(createAppError('recording-storage-warn', left))
    // Ask the browser not to evict takes under storage pressure (asked once; the answer is in the snapshot).
    if (persisted === null) {
      persisted = 'unsupported'
      if (storageManager?.persist) {
        void storageManager
          .persist()
          .then((granted) => (persisted = granted))
          .catch(() => (persisted = false))
      }
    }
    if (recordBlocker() !== null || recorder.recording) return
    const { session, mode } = xr.getState()
    const experience = app.getState().experience ?? 'hub'
    const recordedAt = new Date().toISOString()
    const device = describeDevice(support, deps.userAgent ?? navigator.userAgent)
    recorder.start(`${recordedAt}-${randomSuffix()}`, {
      device,
      appVersion: __APP_VERSION__,
      experience,
      seed: deps.seed(),
      recordedAt,
      frameRate: session?.frameRate ?? frame.budget.refreshHz,
      mode: (mode ?? 'immersive-vr') as RecordingMode,
      description: `Recorded in ${experience} on ${device}`,
    })
    // The take's optional performance trace (its `timing` part) runs alongside.
    frame.trace.start({ refreshHz: frame.budget.refreshHz, budgetMs: frame.budget.budgetMs, gpuSource: frame.gpu.source })
    setRecorderState({ status: 'recording', startedAtMs: performance.now(), storageError: null, emptyTake: false })
    // Storage still has not opened: this take is in memory only, so say so now.
    if (store.kind === 'memory') (await patient).warnNow()
  }

  const stopRecording = async () => {
    if (!recorder.recording) return
    setRecorderState({ status: 'stopping' })
    const timing = frame.trace.stop()
    const stopped = recorder
    const takeId = stopped.takeId!
    const stopping = stopped.stop()
    // A busy IndexedDB can hold the last writes for many seconds: the take is whole in memory, so
    // it is offered after STOP_WAIT_MS whatever storage is doing, and the writes finish behind it.
    let waited: ReturnType<typeof setTimeout> | undefined
    const info = await Promise.race([stopping, new Promise<null>((resolve) => (waited = setTimeout(resolve, STOP_WAIT_MS, null)))])
    clearTimeout(waited)
    if (!info) {
      // Slow, not failed: a late write that does fail shows as the recorder's storage error.
      offeredBeforeStored++
      writing.set(takeId, stopping)
      void stopping
        .catch(() => undefined)
        .then(() => {
          writing.delete(takeId)
          if (stopped.lastError && !stopped.recording) setRecorderState({ storageError: stopped.lastError })
        })
    }
    const recording = stopped.build()
    if (recording && timing) attachTiming(recording, timing)
    lastTake = { id: takeId, frames: recording ? recording.frames.length : 0, inputHash: stopped.inputHash }
    if (!recording || recording.frames.length === 0) {
      void stopping.then(() => store.deleteTake(takeId)).catch(() => undefined)
      setRecorderState({ status: 'idle', emptyTake: true, storageError: stopped.lastError })
      return
    }
    const summary: TakeInfo = info ?? { id: takeId, meta: recording.meta, state: 'stopped', frames: recording.frames.length, durationMs: stopped.durationMs, chunks: 0 }
    // The in-memory build is complete even if a chunk write failed; validate it like any file.
    const checked = validateRecording(recording)
    const take: PendingTake = {
      ...takeSummary({ ...summary, durationMs: stopped.durationMs }, recording),
      origin: 'finished',
      recording: checked.ok ? checked.recording : null,
      error: checked.ok ? null : checked.error.message,
      damage: null,
    }
    setState({ takes: [...state.get().takes, take] })
    setRecorderState({ status: 'idle', storageError: stopped.lastError })
  }

  // The optional performance trace, only where the file stays under the player's limit.
  function attachTiming(recording: Recording, timing: NonNullable<Recording['timing']>): void {
    // Only rows of frames the take kept (the timing part describes the recorded frames).
    const frames = recording.frames.length
    timing.rows = timing.rows.filter((row) => row[0] < frames)
    if (timing.rows.length === 0) return
    recording.timing = timing
    if (JSON.stringify(recording).length > DEFAULT_MAX_BYTES) {
      delete recording.timing
      diagnostics.reportError('xr-sessions: the timing trace was left out of a take part to keep it under the player limit')
    }
  }

  // A long take rolled over: offer the part that ended, and trace the next part from its frame 0.
  function handlePart(part: FinishedPart): void {
    const timing = frame.trace.stop()
    frame.trace.start({ refreshHz: frame.budget.refreshHz, budgetMs: frame.budget.budgetMs, gpuSource: frame.gpu.source })
    // Building and validating the part is heavy: not in the frame that rolled over.
    setTimeout(() => {
      const recording = part.build()
      if (timing) attachTiming(recording, timing)
      const checked = validateRecording(recording)
      const take: PendingTake = {
        ...takeSummary(part.info, recording),
        origin: 'finished',
        recording: checked.ok ? checked.recording : null,
        error: checked.ok ? null : checked.error.message,
        damage: null,
      }
      lastTake = { id: part.info.id, frames: recording.frames.length, inputHash: part.inputHash }
      setState({ takes: [...state.get().takes, take] })
    }, 0)
  }

  // Ending the session ends the take (and offers it); hiding the page persists what is pending.
  // The recorder side loads on the first record, in a running session: start from the current state.
  let hadSession = xr.getState().session != null
  xr.subscribe((s) => {
    const has = s.session != null
    if (hadSession && !has && recorder.recording) void stopRecording()
    // A new session clears the "nothing was recorded" note of the last one.
    if (!hadSession && has && state.get().recorder.emptyTake) setRecorderState({ emptyTake: false })
    hadSession = has
  })
  ;(deps.onPageHide ?? browserPageHide)(() => {
    if (recorder.recording) void recorder.flush()
  })

  // --- the takes on offer ----------------------------------------------------------------------
  const pendingTake = (id: string) => state.get().takes.find((t) => t.id === id)
  // Deleting a take whose last writes are still queued waits for them, or they would store it again.
  const deleteStored = (id: string) => (writing.get(id) ?? Promise.resolve()).then(() => store.deleteTake(id)).catch(() => undefined)

  return {
    get recorder() {
      return recorder
    },
    ready: storeReady,
    recordBlocker,
    startRecording,
    stopRecording,
    recordFrame(input, timeMs) {
      if (!recorder.recording) return
      frame.markRecordedFrame(recorder.appendFrame(input, timeMs))
      if (recorder.lastError !== state.get().recorder.storageError) setRecorderState({ storageError: recorder.lastError })
    },
    recordEvent: (type, data) => recorder.recordEvent(type, data),
    async saveTake(id) {
      const take = pendingTake(id)
      if (!take?.recording) return
      downloadText(JSON.stringify(take.recording), fileNameFor(take))
      // Delete before showing "saved", so a reload right after cannot offer the take again.
      await deleteStored(id)
      updateTake(id, { saved: true })
    },
    async shareTake(id) {
      const take = pendingTake(id)
      if (!take?.recording) return
      await navigator.share({ files: [takeFile(take)], title: fileNameFor(take) })
      await deleteStored(id)
      updateTake(id, { saved: true })
    },
    async downloadRawTake(id) {
      const take = pendingTake(id)
      if (!take) return
      downloadText(await createRawTakeDump(store, id), fileNameFor(take).replace(/\.json$/, '-raw.json'))
    },
    async discardTake(id) {
      // A take still being written (by another tab) keeps its chunks; only this list forgets it.
      await (writing.get(id) ?? Promise.resolve()).then(() => deleteTakeUnlessLive(store, guard, id)).catch(() => undefined)
      setState({ takes: state.get().takes.filter((t) => t.id !== id) })
    },
    dismissTake(id) {
      setState({ takes: state.get().takes.filter((t) => t.id !== id) })
    },
    diagnosticsSection: () => ({
      loaded: true,
      recording: recorder.recording,
      status: state.get().recorder.status,
      storage: state.get().recorder.storage,
      frames: recorder.frameCount,
      persistedFrames: recorder.persistedFrames,
      pendingChunks: recorder.pendingChunks,
      lastError: recorder.lastError,
      takeId: recorder.recording ? recorder.takeId : null,
      part: recorder.part,
      partBytes: recorder.partBytes,
      persisted,
      storageAtStart,
      liveGuard: guard.mechanism,
      lastTake,
      offeredBeforeStored,
      takes: state.get().takes.map((t) => ({ id: t.id, origin: t.origin, frames: t.frames, valid: t.recording !== null, saved: t.saved })),
    }),
  }
}
