/**
 * The xr-sessions service's public types: what the DOM shows (`XRSessionsState`), the takes waiting
 * for a decision, replay load errors, and the service's interface on `lj.xrSessions`. The service is
 * composed in xr-sessions-service.ts from the parts next to it (see README.md in this folder).
 */
import type { AppOptions, ReplayModeOption } from '../../core/app/options'
import type { Diagnostics } from '../../core/diagnostics/diagnostics'
import type { FrameContext } from '../../core/frame'
import type { XRInputSnapshot } from '../../core/input/input-snapshot'
import type { JsonValue, Recording, RecordingEvent, RecordingMeta } from '../../core/replay/recording-format'
import type { ReplayDriver } from '../../core/replay/replay-driver'
import type { LiveTakeGuard } from '../../core/replay/live-takes'
import type { LocalizedMessage } from '../../core/replay/replay-error'
import type { SessionRecorder } from '../../core/replay/session-recorder'
import type { StateHasher } from '../../core/replay/state-hash'
import type { TakeStore } from '../../core/replay/take-store'
import type { SeededRng } from '../../core/time/rng'
import type { AppStore } from '../app/app-store'
import type { AppFrame } from '../frame/app-frame'
import type { LingjingXRStore } from '../xr/create-xr-store'
import type { XRSessionControl } from '../xr/xr-session-control'
import type { XRSupport } from '../xr/setup-xr'

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

/** The part of the XR store the recorder reads: is a session running, and in which mode. */
export interface XRSessionSource {
  getState(): XRSessionView
  subscribe(listener: (state: XRSessionView) => void): () => void
}

/** The XR state fields the recorder reads. */
export interface XRSessionView {
  readonly session?: XRSession
  readonly mode: XRSessionMode | null
}

/** Why recording cannot start now, or null when it can. */
export type RecordBlocker = 'needs-session' | 'replaying' | null

/** What the app reads of the recorder each frame (the recorder code itself loads on first use). */
export type RecorderView = Pick<SessionRecorder, 'recording' | 'takeId'>

/** The `recorder` section of `window.lingjing.snapshot()`. */
export interface RecorderSnapshot {
  /** False until the recorder's code chunk loaded (first record, or takes found in storage at start). */
  loaded: boolean
  recording: boolean
  status: RecorderUiState['status']
  storage: RecorderUiState['storage']
  /** Frames of the current part of the take. */
  frames: number
  persistedFrames: number
  pendingChunks: number
  lastError: string | null
  takeId: string | null
  part: number
  partBytes: number
  /** `navigator.storage.persist()`'s answer at the first recording; null until asked. */
  persisted: boolean | 'unsupported' | null
  /** The storage check at the last start: 'ok', 'warn' or 'refuse', and the free space in MB. */
  storageAtStart: { action: string; freeMb: number } | null
  /** How takes being recorded are kept from other tabs' recovery (a Web Lock, or none). */
  liveGuard: LiveTakeGuard['mechanism']
  lastTake: { id: string; frames: number; inputHash: string } | null
  /** Takes offered from memory because storage was still writing them 3 s after Stop (slow, not failed). */
  offeredBeforeStored: number
  takes: { id: string; origin: PendingTake['origin']; frames: number; valid: boolean; saved: boolean }[]
}

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

  /** Is a take being recorded, and its id (the recorder's code loads on first record). */
  readonly recorder: RecorderView
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
