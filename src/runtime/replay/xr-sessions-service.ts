/**
 * The xr-sessions service (`lj.xrSessions`): records real sessions and replays them. This file is
 * the facade that composes the parts next to it (README.md in this folder maps them):
 *
 * - `input` is the app's per-frame XRInputSnapshot: filled from the live XRFrame, or from the
 *   recording during a replay, in the frame loop's input phase (one system, see
 *   xr-sessions-systems.tsx). Experiences may read it instead of WebXR, and then cannot tell (or
 *   care) whether input is live or replayed.
 * - Recording (take-recorder.ts): `toggleRecording()` (in-world wrist button, DOM button, `R` key).
 *   Every frame's snapshot is persisted to IndexedDB in chunks as it records, so a stop, a crash or
 *   a reload never loses the take; interrupted or unsaved takes are offered again at the next start.
 * - App events: `recordEvent(type, data)` puts an event on the recording's timeline (and, during a
 *   deterministic replay, into the state hash). `onReplayEvent` plays recorded events back.
 * - Replay: `?replay=NAME` (or an uploaded file, replay-loader.ts) drives the IWER emulator. In
 *   deterministic mode `frameTimestamp()` hands the frame loop the recorded timestamps (see
 *   replay-driver.ts), so the simulation clock is the recording's; `lj.frame.clock` stays the wall
 *   clock for measuring. That clock (and its freeze before a replay starts) lives here.
 * - Determinism hooks: `seed` / `createRng(stream)` give experiences an RNG seeded from the session
 *   (recorded in the file, restored on replay, session-seed.ts), and
 *   `registerStateHashContributor(name, fn)` adds experience state to
 *   `window.lingjing.snapshot().replay.stateHash` (state-hash-contributors.ts).
 *
 * The recorder side and the replay loader (with the recording format, validator and player they
 * pull in) are code chunks of their own, loaded with `import()` only when needed: the recorder on
 * the first record, or at start when storage holds takes to recover (recorder-boot.ts); the loader
 * on a replay or a file pick. Never from inside a frame. A chunk that fails to download is a
 * bilingual error whose Retry reloads the page.
 */
import type { XRDevice } from 'iwer'
import type { ReplayModeOption } from '../../core/app/options'
import { createAppError } from '../../core/app/app-errors'
import { ROUTES } from '../../core/app/routes'
import { createInputSnapshot, fillInputSnapshotFromXRFrame } from '../../core/input/input-snapshot'
import type { Recording, RecordingEvent } from '../../core/replay/recording-format'
import type { ReplayDriver, ReplayGate } from '../../core/replay/replay-driver'
import type { TakeStore } from '../../core/replay/take-info'
import { createStore } from '../../core/store/store'
import { createBrowserTakeGuard } from '../storage/chunk-database'
import type { IwerInputDriver } from './iwer-input-driver'
import { createRecordBlocker, describeIdleRecorder, inspectStorageAtBoot } from './recorder-boot'
import { describeReplay } from './replay-diagnostics'
import { stampInputEventsWithReplayTime } from './replay-event-time'
import { recorderChunkFailed, replayLoadErrors } from './replay-load-errors'
import type { ReplayLoader } from './replay-loader'
import { createStreamRng, randomSeed } from './session-seed'
import { createStateHashContributors } from './state-hash-contributors'
import { canShareFiles } from './take-files'
import type { TakeRecorder } from './take-recorder'
import type { RecorderView, ReplayLoadError, XRSessions, XRSessionsDeps, XRSessionsState } from './xr-sessions-types'

export type {
  PendingTake,
  RecordBlocker,
  RecorderUiState,
  ReplayLoadError,
  ReplayUiState,
  StateHashContributor,
  XRSessions,
  XRSessionsDeps,
  XRSessionsState,
} from './xr-sessions-types'

/** Creates the service; starts opening storage and recovering takes at once. */
export function createXRSessions(deps: XRSessionsDeps): XRSessions {
  const { options, app, xr, support, diagnostics, frame, navigate } = deps
  const lang = () => app.getState().lang
  const input = createInputSnapshot()
  let inputValid = false
  let seed = randomSeed()

  // --- UI state (replaced, never mutated; the recorder side owns `recorder` and `takes`) --------
  const state = createStore<XRSessionsState>({
    recorder: { status: 'idle', startedAtMs: 0, storage: 'pending', storageError: null, emptyTake: false },
    takes: [],
    replay: { status: 'none' },
  })
  const setState = (partial: Partial<XRSessionsState>) => state.set((current) => ({ ...current, ...partial }))

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

  // --- the recorder side: takes, chunks, recovery (a code chunk loaded on first need) ----------
  const replaying = () => driver !== null || state.get().replay.status === 'loading'
  const recordBlocker = createRecordBlocker(xr, replaying)
  // Storage opens at start (once; the recorder side reuses it), and the guard keeps other tabs'
  // live takes safe whether or not this tab's recorder has loaded.
  let opening: Promise<TakeStore> | null = null
  const openStore = () => (opening ??= deps.openStore())
  const guard = createBrowserTakeGuard('xr-sessions')
  let takes: TakeRecorder | null = null
  let takesLoading: Promise<TakeRecorder | null> | null = null
  const loadTakes = (): Promise<TakeRecorder | null> =>
    (takesLoading ??= import('./take-recorder').then(
      ({ createTakeRecorder }) => {
        takes = createTakeRecorder({ state, app, xr, support, diagnostics, frame, openStore, guard, replaying, seed: () => seed })
        return takes
      },
      (error: unknown) => {
        // The browser keeps a failed module import failed for the page's life: Retry reloads. The
        // next press of Record tries (and, failing, says so) again.
        takesLoading = null
        const message = recorderChunkFailed(error)
        diagnostics.reportError(`xr-sessions recorder chunk: ${message.en}`)
        app.pushError(createAppError('asset-failed', message[lang()]))
        return null
      },
    ))
  const IDLE_RECORDER: RecorderView = { recording: false, takeId: null }
  void inspectStorageAtBoot(openStore).then((found) => {
    if (found.recover) void loadTakes()
    else if (!takes) setState({ recorder: { ...state.get().recorder, storage: found.kind } })
  })

  const contributors = createStateHashContributors()
  // The shell's own share of the state: where the visitor is and how far the simulation ran.
  contributors.register('app.experience', (h) => h.string(app.getState().experience ?? ''))
  contributors.register('app.sim-time', (h) => h.number(frame.loop.ctx.simTimeMs))

  const failReplay = (name: string, error: ReplayLoadError) => {
    frozenForReplay = false
    const ui = state.get().replay
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
      failReplay(name, replayLoadErrors.needsEmulator())
      return
    }
    // The emulator's input driver and the player are code chunks of their own: fetched before
    // anything is torn down, and a failed download is an error with Retry, not a replay stuck
    // "loading" forever.
    let parts: [typeof import('./iwer-input-driver'), typeof import('../../core/replay/replay-player'), typeof import('../../core/replay/replay-driver')]
    try {
      parts = await Promise.all([import('./iwer-input-driver'), import('../../core/replay/replay-player'), import('../../core/replay/replay-driver')])
    } catch (error) {
      failReplay(name, replayLoadErrors.chunkFailed(error))
      return
    }
    const [{ createIwerInputDriver }, { createReplayPlayer }, { createReplayDriver }] = parts
    if (takes?.recorder.recording) await takes.stopRecording()
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

  // During a replay the timeline stays up while a new one loads (the old replay still drives).
  const loading = (name: string) => {
    if (!driver) setState({ replay: { status: 'loading', name } })
  }
  let loaderLoading: Promise<ReplayLoader> | null = null
  const loadLoader = () =>
    (loaderLoading ??= import('./replay-loader').then(({ createReplayLoader }) =>
      createReplayLoader({ defaultMode: options.replayMode, loading, fail: failReplay, play: startReplay }),
    ))
  // Runs `use` with the loader once its chunk is here; a failed download fails this load (Retry reloads).
  const withLoader = async (name: string, use: (loader: ReplayLoader) => Promise<void>) => {
    let loader: ReplayLoader
    try {
      loader = await loadLoader()
    } catch (error) {
      failReplay(name, replayLoadErrors.chunkFailed(error))
      return
    }
    await use(loader)
  }

  // --- shell events on the timeline ----------------------------------------------------------
  let lastExperience = app.getState().experience
  app.subscribe(() => {
    const experience = app.getState().experience
    if (experience === lastExperience) return
    lastExperience = experience
    // A replay re-runs the navigation from its input, and the frame the new experience arrives on
    // depends on how fast its code loads: not replay state (the end experience is, app.experience).
    if (driver) return
    service.recordEvent('experience', { id: experience ?? 'none' })
  })

  // --- diagnostics ---------------------------------------------------------------------------
  diagnostics.setSection('replay', () =>
    describeReplay({ driver, ui: state.get().replay, name: replayName, clockFrozen: frozenForReplay, contribute: contributors.contribute }),
  )
  diagnostics.setSection('recorder', () => (takes ? takes.diagnosticsSection() : describeIdleRecorder(state.get(), guard)))

  const service: XRSessions = {
    input,
    get inputValid() {
      return inputValid
    },
    get seed() {
      return seed
    },
    createRng(stream) {
      return createStreamRng(seed, stream)
    },
    recordEvent(type, data) {
      if (driver) {
        driver.noteAppEvent(type, data)
        return driver.mode === 'deterministic'
      }
      // No recorder loaded yet: nothing is being recorded.
      return takes !== null && takes.recordEvent(type, data) === null
    },
    onReplayEvent(listener) {
      replayListeners.add(listener)
      return () => replayListeners.delete(listener)
    },
    registerStateHashContributor: contributors.register,

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
      takes?.recordFrame(input, ctx.timeMs)
    },

    get recorder() {
      return takes ? takes.recorder : IDLE_RECORDER
    },
    recordBlocker,
    toggleRecording() {
      if (takes?.recorder.recording) void takes.stopRecording()
      else void service.startRecording()
    },
    async startRecording() {
      // Blocked now: no reason to download the recorder's code.
      if (recordBlocker() !== null) return
      await (await loadTakes())?.startRecording()
    },
    async stopRecording() {
      await takes?.stopRecording()
    },
    // Takes are listed only by the recorder side, so it has loaded whenever one is on offer.
    saveTake: async (id) => takes?.saveTake(id),
    canShareFiles,
    shareTake: async (id) => takes?.shareTake(id),
    downloadRawTake: async (id) => takes?.downloadRawTake(id),
    discardTake: async (id) => takes?.discardTake(id),
    dismissTake: (id) => takes?.dismissTake(id),

    get replay() {
      return driver
    },
    loadReplay(name, mode) {
      loading(name)
      return withLoader(name, (loader) => loader.loadReplay(name, mode))
    },
    loadReplayText: (name, text, mode) => withLoader(name, (loader) => loader.loadReplayText(name, text, mode)),
    loadReplayFile: (file, mode) => withLoader(file.name.replace(/\.json$/i, '') || 'upload', (loader) => loader.loadReplayFile(file, mode)),
    endReplay,

    getState: state.get,
    subscribe: (listener) => state.subscribe(() => listener()),
  }

  if (options.replay) void service.loadReplay(options.replay, options.replayMode)
  return service
}
