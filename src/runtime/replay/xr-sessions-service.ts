/**
 * The xr-sessions service (`lj.xrSessions`): records real sessions and replays them.
 *
 * - `input` is the app's per-frame XRInputSnapshot: filled from the live XRFrame, or from the
 *   recording during a replay, in the frame loop's input phase (one system, see
 *   xr-sessions-systems.tsx). Experiences may read it instead of WebXR, and then cannot tell (or
 *   care) whether input is live or replayed.
 * - Recording: `toggleRecording()` (in-world wrist button, DOM button, `R` key). Every frame's
 *   snapshot is encoded and persisted to IndexedDB in chunks as it records (at least once a second),
 *   so stopping, ending the session, a crash or a reload never loses the take; interrupted or
 *   unsaved takes are offered again at the next start.
 * - App events: `recordEvent(type, data)` puts an event on the recording's timeline (and, during a
 *   deterministic replay, into the state hash). `onReplayEvent` plays recorded events back.
 * - Replay: `?replay=NAME` (or an uploaded file) drives the IWER emulator. In deterministic mode
 *   `frameTimestamp()` hands the frame loop the recorded timestamps (see replay-driver.ts), so the
 *   simulation clock is the recording's; `lj.frame.clock` stays the wall clock for measuring.
 * - Determinism hooks: `seed` / `createRng(stream)` give experiences an RNG seeded from the session
 *   (recorded in the file, restored on replay), and `registerStateHashContributor(name, fn)` adds
 *   experience state to `window.lingjing.snapshot().replay.stateHash`.
 */
import type { XRDevice } from 'iwer'
import type { AppOptions, ReplayModeOption } from '../../core/app/options'
import { createAppError } from '../../core/app/app-errors'
import { ROUTES } from '../../core/app/routes'
import type { Diagnostics } from '../../core/diagnostics/diagnostics'
import type { FrameContext } from '../../core/frame'
import { createInputSnapshot, fillInputSnapshotFromXRFrame, type XRInputSnapshot } from '../../core/input/input-snapshot'
import type { JsonValue, Recording, RecordingEvent, RecordingMeta, RecordingMode } from '../../core/replay/recording-format'
import { createReplayDriver, type ReplayDriver, type ReplayGate } from '../../core/replay/replay-driver'
import type { LocalizedMessage } from '../../core/replay/replay-error'
import { createReplayPlayer } from '../../core/replay/replay-player'
import { deleteTakeUnlessLive } from '../../core/replay/live-takes'
import { openStoreWithFallback } from '../../core/replay/open-store'
import { createSessionRecorder, type FinishedPart, type SessionRecorder } from '../../core/replay/session-recorder'
import { assessTakeStorage } from '../../core/replay/take-storage'
import { createStateHasher, type StateHasher } from '../../core/replay/state-hash'
import { createMemoryTakeStore, createRawTakeDump, describeTake, recoverAllTakes, type TakeInfo, type TakeStore } from '../../core/replay/take-store'
import { DEFAULT_MAX_BYTES, validateRecording } from '../../core/replay/validate-recording'
import { createRng, type SeededRng } from '../../core/time/rng'
import type { AppStore } from '../app/app-store'
import type { XRSessionControl } from '../xr/xr-session-control'
import type { AppFrame } from '../frame/app-frame'
import { createBrowserTakeGuard } from '../storage/chunk-database'
import type { LingjingXRStore } from '../xr/create-xr-store'
import type { XRSupport } from '../xr/setup-xr'
import type { IwerInputDriver } from './iwer-input-driver'
import { stampInputEventsWithReplayTime } from './replay-event-time'

/** A take waiting for the user's decision: save (download / share) or discard. */
export interface PendingTake {
  id: string
  /** Just recorded in this visit, or found in storage at start. */
  origin: 'finished' | 'recovered'
  /** The valid recording, or null when it could not be rebuilt (see `error`). */
  recording: Recording | null
  /** Why a recovered take could not be rebuilt (it is damaged: only Delete and Download raw). */
  error: LocalizedMessage | null
  /** What was cut off a recovered take after its good prefix (the part kept plays), else null. */
  damage: LocalizedMessage | null
  frames: number
  durationMs: number
  experience: string
  recordedAt: string
  device: string
  /** Set once downloaded or shared. */
  saved: boolean
  /** Part of a long take (1, 2, ...; a take over one file's limit rolls over into parts). */
  part: number
}

/** A failure to load a replay, shown in the app (both languages). */
export interface ReplayLoadError {
  code: string
  message: LocalizedMessage
  path?: string
  /**
   * True when trying again may work (a code chunk that failed to download): the UI offers Retry,
   * which reloads the page, since the browser keeps a failed module import failed for the page's life.
   */
  retryable?: boolean
}

/** Replay as the DOM shows it (changes on events only; progress is read from `replay` directly). */
export type ReplayUiState =
  | { status: 'none' }
  | { status: 'loading'; name: string }
  | { status: 'error'; name: string; error: ReplayLoadError }
  | {
      status: 'active'
      name: string
      mode: ReplayModeOption
      meta: RecordingMeta
      frameCount: number
      durationMs: number
      /** A file picked during this replay and refused: shown beside the timeline, the replay goes on. */
      refused?: { name: string; error: ReplayLoadError }
    }

/** Recorder as the DOM shows it. */
export interface RecorderUiState {
  status: 'idle' | 'recording' | 'stopping'
  /** Wall time (performance.now) when recording started, for the timer. */
  startedAtMs: number
  /** Where takes are persisted; 'memory' means a reload would lose them. */
  storage: 'pending' | 'indexeddb' | 'memory'
  /** Last persistence failure, shown under the indicator. */
  storageError: string | null
  /** Set when the last stop had no frames. */
  emptyTake: boolean
}

/** Everything the recorder/replay UI shows. Replaced, never mutated. */
export interface XRSessionsState {
  recorder: RecorderUiState
  takes: PendingTake[]
  replay: ReplayUiState
}

/** Why recording cannot start now, or null when it can. */
export type RecordBlocker = 'needs-session' | 'replaying' | null

/** Adds experience state to the deterministic state hash; see {@link XRSessions}. */
export type StateHashContributor = (hasher: StateHasher) => void

/** The service on `lj.xrSessions`; see the module comment. */
export interface XRSessions {
  /** This frame's input (live or replayed). Read only. */
  readonly input: XRInputSnapshot
  /** True when `input` holds this frame's data (presenting, or replaying). */
  readonly inputValid: boolean
  /** The session's RNG seed: random per visit, the recording's during a replay. */
  readonly seed: number
  /** A seeded RNG for one named stream of the experience (same stream name, same sequence). */
  createRng(stream: string): SeededRng
  /** Puts an app event on the recording's timeline; returns true when it was recorded or hashed. */
  recordEvent(type: string, data?: JsonValue): boolean
  /** Subscribes to recorded events as a replay passes them. */
  onReplayEvent(listener: (event: RecordingEvent) => void): () => void
  /** Adds named state to the replay's state hash (called on demand, in name order). */
  registerStateHashContributor(name: string, contribute: StateHashContributor): () => void

  /** The frame driver's timestamp for `loop.frame` (recorded time in deterministic replay). */
  frameTimestamp(wallMs: number): number
  /** Fills `input` for this frame; the one input-phase system calls it. */
  updateInput(ctx: FrameContext): void

  /** The recorder (frames, persistence, input hash). */
  readonly recorder: SessionRecorder
  /** Why recording cannot start now, or null. */
  recordBlocker(): RecordBlocker
  /** Starts or stops recording. */
  toggleRecording(): void
  /** Starts recording (no-op with a blocker). */
  startRecording(): Promise<void>
  /** Stops recording and offers the take. */
  stopRecording(): Promise<void>
  /** Downloads a pending take; resolves once it was handed to the browser. */
  saveTake(id: string): Promise<void>
  /** True when the Web Share API can share files here. */
  canShareFiles(): boolean
  /** Shares a pending take through the Web Share API. */
  shareTake(id: string): Promise<void>
  /** Downloads everything stored for a take as JSON (for a damaged take that cannot be rebuilt). */
  downloadRawTake(id: string): Promise<void>
  /** Deletes a pending take (storage and list). */
  discardTake(id: string): Promise<void>
  /** Removes a saved take from the list. */
  dismissTake(id: string): void

  /** The running replay, or null. */
  readonly replay: ReplayDriver | null
  /** Loads `/xr-sessions/NAME.json` and plays it. */
  loadReplay(name: string, mode?: ReplayModeOption): Promise<void>
  /** Validates and plays a recording given as text. */
  loadReplayText(name: string, text: string, mode?: ReplayModeOption): Promise<void>
  /** Reads, validates and plays an uploaded file (the timeline's file picker). */
  loadReplayFile(file: File, mode?: ReplayModeOption): Promise<void>
  /** Ends the replay and gives the emulator back. */
  endReplay(): void

  /** UI state. */
  getState(): XRSessionsState
  /** Subscribes to UI state changes. */
  subscribe(listener: () => void): () => void
}

/** Shell parts the service works with. */
export interface XRSessionsDeps {
  options: AppOptions
  app: AppStore
  xr: LingjingXRStore
  support: XRSupport
  diagnostics: Diagnostics
  frame: AppFrame
  session: XRSessionControl
  navigate(path: string): void
  /** Opens persistent storage; rejects when there is none (memory is used instead). */
  openStore(): Promise<TakeStore>
}

function randomSeed(): number {
  const words = new Uint32Array(1)
  crypto.getRandomValues(words)
  return words[0]
}

function randomSuffix(): string {
  const bytes = new Uint8Array(4)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** FNV-1a of a stream name, so `createRng('dust')` and `createRng('traffic')` differ. */
function streamSalt(stream: string): number {
  return createStateHasher().string(stream).value
}

/** "Meta Quest 3 / Quest Browser 36.2" style device profile from the user agent. */
function describeDevice(support: XRSupport): string {
  if (support.emulated) return `IWER ${support.deviceName ?? 'emulator'}`
  const ua = navigator.userAgent
  const model = /Quest [^;)]+|Pico[^;)]*|Vision Pro/.exec(ua)?.[0]
  const browser = /OculusBrowser\/([\d.]+)/.exec(ua)
  const name = `${model ? `Meta ${model.trim()}` : 'WebXR device'} / ${browser ? `Quest Browser ${browser[1]}` : ua.slice(0, 120)}`
  return name.slice(0, 200)
}

function fileNameFor(take: PendingTake): string {
  // A damaged record's fields may hold anything: keep the file name to safe characters.
  const safe = (text: string) => text.replace(/Z$/, '').replace(/[^A-Za-z0-9_-]/g, '-')
  return `lingjing-${safe(take.experience)}-${safe(take.recordedAt)}.json`
}

/** Creates the service; starts opening storage and recovering takes at once. */
export function createXRSessions(deps: XRSessionsDeps): XRSessions {
  const { options, app, xr, support, diagnostics, frame, navigate } = deps
  const lang = () => app.getState().lang
  const input = createInputSnapshot()
  let inputValid = false
  let seed = randomSeed()

  // --- UI state ------------------------------------------------------------------------------
  let state: XRSessionsState = {
    recorder: { status: 'idle', startedAtMs: 0, storage: 'pending', storageError: null, emptyTake: false },
    takes: [],
    replay: { status: 'none' },
  }
  const listeners = new Set<() => void>()
  const setState = (partial: Partial<XRSessionsState>) => {
    state = { ...state, ...partial }
    for (const listener of listeners) listener()
  }
  const setRecorderState = (partial: Partial<RecorderUiState>) => setState({ recorder: { ...state.recorder, ...partial } })
  const updateTake = (id: string, partial: Partial<PendingTake>) =>
    setState({ takes: state.takes.map((t) => (t.id === id ? { ...t, ...partial } : t)) })

  // --- storage and recovery --------------------------------------------------------------------
  // A take being recorded holds a Web Lock, so another tab never recovers or deletes it (#16).
  const guard = createBrowserTakeGuard('xr-sessions')
  const onPart = (part: FinishedPart) => handlePart(part)
  let store: TakeStore = createMemoryTakeStore()
  let recorder = createSessionRecorder({ store, guard, onPart })
  // `navigator.storage.persist()` at the first recording: null until asked, then the browser's answer.
  let persisted: boolean | 'unsupported' | null = null
  let storageAtStart: { action: string; freeMb: number } | null = null
  const storeReady = openStoreWithFallback(() => deps.openStore(), createMemoryTakeStore)
    .then(({ store: opened, failure, error }) => {
      store = opened
      recorder = createSessionRecorder({ store, guard, onPart })
      setRecorderState({ storage: store.kind, storageError: error ? error[lang()] : null })
      // No IndexedDB (private mode, a hung open): keep recording in memory and say so.
      if (error) diagnostics.reportError(`xr-sessions storage (${failure}): ${error.en}`)
    })
    .then(async () => {
      // One take at a time, each on its own: a broken one is listed as damaged, never stops the rest;
      // a take another tab is recording right now is left alone.
      const { takes: found, error } = await recoverAllTakes(store, { skip: (info) => info.state === 'recording' && guard.isLive(info.id) })
      if (error) diagnostics.reportError(`xr-sessions recovery: ${error.message.en}`)
      const recovered: PendingTake[] = found.map((result) =>
        result.ok
          ? { ...takeSummary(result.info, result.recording), origin: 'recovered', recording: result.recording, error: null, damage: result.damage?.message ?? null }
          : { ...takeSummary(result.info, null), origin: 'recovered', recording: null, error: result.error.message, damage: null },
      )
      if (recovered.length > 0) setState({ takes: [...recovered, ...state.takes] })
    })
    .catch((error: unknown) => {
      diagnostics.reportError(`xr-sessions recovery: ${error instanceof Error ? error.message : String(error)}`)
    })

  function takeSummary(info: TakeInfo, recording: Recording | null): Omit<PendingTake, 'origin' | 'recording' | 'error' | 'damage'> {
    // A stored record may be broken (no meta): describeTake never throws.
    const summary = describeTake(info)
    const part = /-part(\d+)$/.exec(summary.id)
    return { ...summary, frames: recording ? recording.frames.length : summary.frames, saved: false, part: part ? Number(part[1]) : 1 }
  }

  // --- recording -----------------------------------------------------------------------------
  let lastTake: { id: string; frames: number; inputHash: string } | null = null

  const recordBlocker = (): RecordBlocker => {
    if (driver || state.replay.status === 'loading') return 'replaying'
    const { session, mode } = xr.getState()
    if (!session || !mode) return 'needs-session'
    return null
  }

  const startRecording = async () => {
    if (recorder.recording || state.recorder.status !== 'idle') return
    if (recordBlocker() !== null) return
    await storeReady
    if (recordBlocker() !== null || recorder.recording) return
    // Room for a take? Refuse rather than fill the disk halfway; warn when only minutes are left.
    const { session: current } = xr.getState()
    const verdict = assessTakeStorage(navigator.storage?.estimate ? await navigator.storage.estimate().catch(() => null) : null, current?.frameRate ?? frame.budget.refreshHz)
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
      if (navigator.storage?.persist) {
        void navigator.storage
          .persist()
          .then((granted) => (persisted = granted))
          .catch(() => (persisted = false))
      }
    }
    if (recordBlocker() !== null || recorder.recording) return
    const { session, mode } = xr.getState()
    const experience = app.getState().experience ?? 'hub'
    const recordedAt = new Date().toISOString()
    recorder.start(`${recordedAt}-${randomSuffix()}`, {
      device: describeDevice(support),
      appVersion: __APP_VERSION__,
      experience,
      seed,
      recordedAt,
      frameRate: session?.frameRate ?? frame.budget.refreshHz,
      mode: (mode ?? 'immersive-vr') as RecordingMode,
      description: `Recorded in ${experience} on ${describeDevice(support)}`,
    })
    // The take's optional performance trace (its `timing` part) runs alongside.
    frame.trace.start({ refreshHz: frame.budget.refreshHz, budgetMs: frame.budget.budgetMs, gpuSource: frame.gpu.source })
    setRecorderState({ status: 'recording', startedAtMs: performance.now(), storageError: null, emptyTake: false })
  }

  const stopRecording = async () => {
    if (!recorder.recording) return
    setRecorderState({ status: 'stopping' })
    const timing = frame.trace.stop()
    const info = await recorder.stop()
    const recording = recorder.build()
    if (recording && timing) attachTiming(recording, timing)
    lastTake = { id: info.id, frames: recording ? recording.frames.length : 0, inputHash: recorder.inputHash }
    if (!recording || recording.frames.length === 0) {
      await store.deleteTake(info.id).catch(() => undefined)
      setRecorderState({ status: 'idle', emptyTake: true, storageError: recorder.lastError })
      return
    }
    // The in-memory build is complete even if a chunk write failed; validate it like any file.
    const checked = validateRecording(recording)
    const take: PendingTake = {
      ...takeSummary({ ...info, durationMs: recorder.durationMs }, recording),
      origin: 'finished',
      recording: checked.ok ? checked.recording : null,
      error: checked.ok ? null : checked.error.message,
      damage: null,
    }
    setState({ takes: [...state.takes, take] })
    setRecorderState({ status: 'idle', storageError: recorder.lastError })
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
      setState({ takes: [...state.takes, take] })
    }, 0)
  }

  // Ending the session ends the take (and offers it); hiding the page persists what is pending.
  let hadSession = false
  xr.subscribe((s) => {
    const has = s.session != null
    if (hadSession && !has && recorder.recording) void stopRecording()
    // A new session clears the "nothing was recorded" note of the last one.
    if (!hadSession && has && state.recorder.emptyTake) setRecorderState({ emptyTake: false })
    hadSession = has
  })
  const persistNow = () => {
    if (recorder.recording) void recorder.flush()
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') persistNow()
  })
  window.addEventListener('pagehide', persistNow)

  const pendingTake = (id: string) => state.takes.find((t) => t.id === id)

  const saveTake = async (id: string) => {
    const take = pendingTake(id)
    if (!take?.recording) return
    const blob = new Blob([JSON.stringify(take.recording)], { type: 'application/json' })
    const url = URL.createObjectURL(blob)
    const a = document.createElement('a')
    a.href = url
    a.download = fileNameFor(take)
    document.body.appendChild(a)
    a.click()
    a.remove()
    // Revoke later: some browsers read the blob after click() returns.
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
    // Delete before showing "saved", so a reload right after cannot offer the take again.
    await store.deleteTake(id).catch(() => undefined)
    updateTake(id, { saved: true })
  }

  const downloadRawTake = async (id: string) => {
    const take = pendingTake(id)
    if (!take) return
    const text = await createRawTakeDump(store, id)
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }))
    const a = document.createElement('a')
    a.href = url
    a.download = fileNameFor(take).replace(/\.json$/, '-raw.json')
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
  }

  const shareFile = (take: PendingTake) => new File([JSON.stringify(take.recording)], fileNameFor(take), { type: 'application/json' })

  // --- replay --------------------------------------------------------------------------------
  let driver: ReplayDriver | null = null
  let iwer: IwerInputDriver | null = null
  let replayName: string | null = null
  let autoEntered = false
  const replayListeners = new Set<(event: RecordingEvent) => void>()
  // From boot, a deterministic replay freezes the loop's clock until it starts, so nothing
  // simulates on wall time first. Cleared if loading fails.
  let frozenForReplay = options.replay !== null && options.replayMode === 'deterministic'
  let lastTimestamp = 0
  const gate: ReplayGate = { presenting: false, experience: null, ready: false }
  // A replay remounts the experience so it starts from scratch with the recording's seed; the gate
  // stays closed until that remount has loaded (or, if no load shows, for REMOUNT_FRAMES frames).
  const REMOUNT_FRAMES = 60
  const remount = { pending: false, sawLoading: false, frames: 0 }
  // Deterministic replays stamp select/squeeze events with replay time (see replay-event-time.ts).
  let stampedSession: XRSession | null = null
  let unstamp: (() => void) | null = null
  const stampSession = (session: XRSession | null) => {
    if (session === stampedSession) return
    unstamp?.()
    unstamp = session ? stampInputEventsWithReplayTime(session, () => lastTimestamp) : null
    stampedSession = session
  }

  const contributors = new Map<string, StateHashContributor>()
  const contribute = (hasher: StateHasher) => {
    for (const name of [...contributors.keys()].sort()) {
      hasher.string(name)
      try {
        contributors.get(name)?.(hasher)
      } catch (error) {
        hasher.string(`error: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
  }
  // The shell's own share of the state: where the visitor is and how far the simulation ran.
  contributors.set('app.experience', (h) => h.string(app.getState().experience ?? ''))
  contributors.set('app.sim-time', (h) => h.number(frame.loop.ctx.simTimeMs))

  const failReplay = (name: string, error: ReplayLoadError) => {
    frozenForReplay = false
    const ui = state.replay
    // A replay still drives the emulator: keep its timeline, and show the refusal beside it.
    if (driver && ui.status === 'active') setState({ replay: { ...ui, refused: { name, error } } })
    else setState({ replay: { status: 'error', name, error } })
    const where = error.path ? ` (${error.path})` : ''
    // A chunk that did not download is not the recording's fault: the asset card (its Retry reloads).
    app.pushError(createAppError(error.code === 'chunk-failed' ? 'asset-failed' : 'recording-invalid', `${name}: ${error.message[lang()]}${where}`))
  }

  const endReplay = () => {
    stampSession(null)
    iwer?.release()
    iwer = null
    driver = null
    replayName = null
    frozenForReplay = false
    seed = randomSeed()
    setState({ replay: { status: 'none' } })
  }

  const startReplay = async (name: string, recording: Recording, mode: ReplayModeOption) => {
    const device = support.device as XRDevice | null
    if (!device) {
      failReplay(name, {
        code: 'needs-emulator',
        message: {
          en: 'Replays drive the desktop emulator, and this browser uses a real WebXR device. Open the page in a desktop browser without a headset.',
          zh: '回放会驱动桌面模拟器，而此浏览器使用真实 WebXR 设备。请在没有头显的桌面浏览器中打开。',
        },
      })
      return
    }
    // The emulator's input driver is a code chunk of its own: fetched before anything is torn
    // down, and a failed download is an error with Retry, not a replay stuck "loading" forever.
    let createIwerInputDriver: typeof import('./iwer-input-driver').createIwerInputDriver
    try {
      ;({ createIwerInputDriver } = await import('./iwer-input-driver'))
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      failReplay(name, {
        code: 'chunk-failed',
        retryable: true,
        message: {
          en: `Part of the app needed for replays did not download (${detail}). Check the connection and press Retry to reload the page (a picked file must be picked again).`,
          zh: `回放所需的程序文件没有下载成功（${detail}）。请检查网络后点“重试”重新加载页面（选择的文件需要重新选择）。`,
        },
      })
      return
    }
    if (recorder.recording) await stopRecording()
    if (driver) endReplay()
    const player = createReplayPlayer(recording, { mode })
    iwer = createIwerInputDriver(device)
    // Deterministic timestamps continue from the loop's last one, so they never run backwards.
    driver = createReplayDriver({ player, timeBaseMs: mode === 'deterministic' ? lastTimestamp : 0 })
    driver.onEvent((event) => {
      for (const listener of replayListeners) listener(event)
    })
    replayName = name
    seed = player.seed
    autoEntered = false
    frozenForReplay = false
    setState({ replay: { status: 'active', name, mode, meta: player.meta, frameCount: player.frameCount, durationMs: player.durationMs } })
    // Replays start in the experience they were recorded in, freshly mounted with the recorded seed.
    const route = ROUTES.find((r) => r.experience === player.meta.experience)
    if (route && app.getState().experience !== route.experience) navigate(route.path)
    else app.setState({ retries: app.getState().retries + 1 })
    remount.pending = true
    remount.sawLoading = false
    remount.frames = 0
    maybeEnterSession()
  }

  // The emulator produces input only in a session: enter it once the scene is ready.
  const maybeEnterSession = () => {
    if (!driver || autoEntered || driver.phase !== 'waiting') return
    if (xr.getState().session || app.getState().loading.phase !== 'ready') return
    autoEntered = true
    const mode = driver.player.meta.mode
    void deps.session.enter(mode === 'immersive-ar' ? 'immersive-ar' : 'immersive-vr')
  }
  app.subscribe(maybeEnterSession)

  const loadReplayText = async (name: string, text: string, mode: ReplayModeOption = options.replayMode) => {
    const result = validateRecording(text, { maxBytes: DEFAULT_MAX_BYTES })
    if (!result.ok) {
      failReplay(name, result.error)
      return
    }
    await startReplay(name, result.recording, mode)
  }

  const loadReplayFile = async (file: File, mode: ReplayModeOption = options.replayMode) => {
    const name = file.name.replace(/\.json$/i, '') || 'upload'
    // Refuse before reading: a huge file would stall the page just to be rejected.
    if (file.size > DEFAULT_MAX_BYTES) {
      const mb = (file.size / 1024 / 1024).toFixed(1)
      const max = DEFAULT_MAX_BYTES / 1024 / 1024
      failReplay(name, {
        code: 'oversize',
        message: { en: `The file is ${mb} MB; recordings may be at most ${max} MB.`, zh: `文件大小为 ${mb} MB；录制文件最大 ${max} MB。` },
      })
      return
    }
    // During a replay the timeline stays up while the file is read (the old replay still drives).
    if (!driver) setState({ replay: { status: 'loading', name } })
    let text: string
    try {
      text = await file.text()
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      failReplay(name, { code: 'unreadable', message: { en: `The file could not be read: ${detail}`, zh: `无法读取文件：${detail}` } })
      return
    }
    await loadReplayText(name, text, mode)
  }

  const loadReplay = async (name: string, mode: ReplayModeOption = options.replayMode) => {
    if (!driver) setState({ replay: { status: 'loading', name } })
    const url = `/xr-sessions/${name}.json`
    let text: string
    try {
      const response = await fetch(url, { cache: 'no-cache' })
      // A static host's SPA fallback answers unknown paths with the app's HTML: that is a 404 too.
      const type = response.headers.get('content-type') ?? ''
      if (!response.ok || type.includes('text/html')) {
        failReplay(name, {
          code: 'not-found',
          message: {
            en: `There is no recording at ${url} (HTTP ${response.ok ? 404 : response.status}). Check the name after ?replay=.`,
            zh: `在 ${url} 找不到录制（HTTP ${response.ok ? 404 : response.status}）。请检查 ?replay= 后面的名称。`,
          },
        })
        return
      }
      text = await response.text()
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      failReplay(name, {
        code: 'network',
        message: { en: `The recording ${url} could not be downloaded: ${detail}`, zh: `无法下载录制 ${url}：${detail}` },
      })
      return
    }
    await loadReplayText(name, text, mode)
  }

  // --- shell events on the timeline ----------------------------------------------------------
  let lastExperience = app.getState().experience
  app.subscribe(() => {
    const experience = app.getState().experience
    if (experience === lastExperience) return
    lastExperience = experience
    service.recordEvent('experience', { id: experience ?? 'none' })
  })

  // --- diagnostics ---------------------------------------------------------------------------
  diagnostics.setSection('replay', () => {
    const ui = state.replay
    if (!driver) {
      return ui.status === 'error'
        ? { name: ui.name, status: 'error', code: ui.error.code, message: ui.error.message.en, retryable: ui.error.retryable === true, clockFrozen: frozenForReplay }
        : { name: ui.status === 'loading' ? ui.name : null, status: ui.status, clockFrozen: frozenForReplay }
    }
    return {
      name: replayName,
      status: 'active',
      mode: driver.mode,
      phase: driver.phase,
      frame: driver.frame,
      frameCount: driver.player.frameCount,
      ended: driver.ended,
      stateHash: driver.stateHash(contribute),
      inputHash: driver.inputHash,
      heldFrames: driver.heldFrames,
      seed: driver.player.seed,
      experience: driver.player.meta.experience,
      refused: ui.status === 'active' && ui.refused ? { name: ui.refused.name, code: ui.refused.error.code } : null,
    }
  })
  diagnostics.setSection('recorder', () => ({
    recording: recorder.recording,
    status: state.recorder.status,
    storage: state.recorder.storage,
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
    takes: state.takes.map((t) => ({ id: t.id, origin: t.origin, frames: t.frames, valid: t.recording !== null, saved: t.saved })),
  }))

  const service: XRSessions = {
    input,
    get inputValid() {
      return inputValid
    },
    get seed() {
      return seed
    },
    createRng(stream) {
      return createRng((seed ^ streamSalt(stream)) >>> 0)
    },
    recordEvent(type, data) {
      if (driver) {
        driver.noteAppEvent(type, data)
        return driver.mode === 'deterministic'
      }
      return recorder.recordEvent(type, data) === null
    },
    onReplayEvent(listener) {
      replayListeners.add(listener)
      return () => replayListeners.delete(listener)
    },
    registerStateHashContributor(name, fn) {
      if (contributors.has(name)) throw new Error(`state hash contributor "${name}" is registered twice`)
      contributors.set(name, fn)
      return () => {
        if (contributors.get(name) === fn) contributors.delete(name)
      }
    },

    frameTimestamp(wallMs) {
      if (driver) {
        const s = xr.getState()
        const a = app.getState()
        let ready = a.loading.phase === 'ready'
        if (remount.pending) {
          if (!ready) remount.sawLoading = true
          else if (remount.sawLoading || ++remount.frames > REMOUNT_FRAMES) remount.pending = false
          ready = false
        }
        gate.presenting = s.session != null
        gate.experience = a.experience
        gate.ready = ready
        if (driver.mode === 'deterministic') stampSession(s.session ?? null)
        lastTimestamp = driver.beginFrame(wallMs, gate)
      } else {
        lastTimestamp = frozenForReplay ? 0 : wallMs
      }
      return lastTimestamp
    },
    updateInput(ctx) {
      if (driver) {
        driver.fillInput(input)
        iwer?.apply(input)
        inputValid = driver.phase !== 'waiting'
        return
      }
      const s = xr.getState()
      const xrFrame = ctx.xrFrame as XRFrame | undefined
      const refSpace = s.originReferenceSpace
      if (!xrFrame || !refSpace || !s.session) {
        inputValid = false
        return
      }
      input.mode = s.mode
      fillInputSnapshotFromXRFrame(input, xrFrame, refSpace, ctx.timeMs)
      inputValid = true
      if (recorder.recording) {
        frame.markRecordedFrame(recorder.appendFrame(input, ctx.timeMs))
        if (recorder.lastError !== state.recorder.storageError) setRecorderState({ storageError: recorder.lastError })
      }
    },

    get recorder() {
      return recorder
    },
    recordBlocker,
    toggleRecording() {
      if (recorder.recording) void stopRecording()
      else void startRecording()
    },
    startRecording,
    stopRecording,
    saveTake,
    canShareFiles() {
      try {
        return typeof navigator.canShare === 'function' && navigator.canShare({ files: [new File(['{}'], 'probe.json', { type: 'application/json' })] })
      } catch {
        return false
      }
    },
    async shareTake(id) {
      const take = pendingTake(id)
      if (!take?.recording) return
      await navigator.share({ files: [shareFile(take)], title: fileNameFor(take) })
      await store.deleteTake(id).catch(() => undefined)
      updateTake(id, { saved: true })
    },
    downloadRawTake,
    async discardTake(id) {
      // A take still being written (by another tab) keeps its chunks; only this list forgets it.
      await deleteTakeUnlessLive(store, guard, id).catch(() => undefined)
      setState({ takes: state.takes.filter((t) => t.id !== id) })
    },
    dismissTake(id) {
      setState({ takes: state.takes.filter((t) => t.id !== id) })
    },

    get replay() {
      return driver
    },
    loadReplay,
    loadReplayText,
    loadReplayFile,
    endReplay,

    getState: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }

  if (options.replay) void loadReplay(options.replay, options.replayMode)
  return service
}
