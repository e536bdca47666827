/**
 * Couples a {@link ReplayPlayer} to the app's frame loop. The browser layer calls
 * `beginFrame(wallMs, gate)` once per app frame (the frame driver passes what it returns to
 * `loop.frame`) and `fillInput(snapshot)` in the loop's input phase.
 *
 * Deterministic mode (tests, CI, bug reproduction):
 * - exactly one recorded frame per app frame, and the frame loop's timestamp is the recorded time
 *   (`timeBaseMs + t`), so the loop's delta — and with it every fixed simulation step and
 *   `ctx.simTimeMs` — is the recorded one, not the wall clock;
 * - playback waits (the timestamp stands still, so nothing simulates) until an immersive session
 *   presents the recorded experience fully loaded, and *holds* whenever that stops being true:
 *   after an experience change it holds until the new experience has loaded, so asynchronous
 *   loading cannot shift the timeline between two runs;
 * - every handed-out frame, recorded event and app event is folded into a running hash;
 *   `stateHash()` adds whatever the app contributes (experience, simulation time, experience
 *   state) at the moment it is asked.
 *
 * Realtime mode (previews): the playhead moves by wall time × speed, with play / pause / step /
 * seek; it pauses likewise while the gate is closed.
 */
import type { XRInputSnapshot } from '../input/input-snapshot'
import type { JsonValue, RecordingEvent } from './recording-format'
import type { ReplayMode, ReplayPlayer } from './replay-player'
import { createEmitter } from '../store/store'
import { createStateHasher, hashInputSnapshot, type StateHasher } from './state-hash'

/** What the app looks like this frame; replay advances only while the gate is open. */
export interface ReplayGate {
  /** An immersive session is presenting (the emulator produces input only then). */
  presenting: boolean
  /** The experience on screen. */
  experience: string | null
  /** The experience finished loading (code, assets, shaders). */
  ready: boolean
}

/** Where playback is. */
export type ReplayPhase = 'waiting' | 'playing' | 'holding' | 'ended'

/** Options of {@link createReplayDriver}. */
export interface ReplayDriverOptions {
  /** The player (its mode decides the driver's). */
  player: ReplayPlayer
  /**
   * Timestamp the frame loop saw last before this replay (0 when the replay was requested at boot).
   * Deterministic timestamps are `timeBaseMs + recorded time`, so they never run backwards.
   */
  timeBaseMs?: number
  /**
   * After an experience change, frames to wait for a load to show up before resuming anyway
   * (default 30): an already-cached experience may never report "loading".
   */
  settleFrames?: number
  /** Realtime: start playing as soon as the gate opens (default true). */
  autoplay?: boolean
  /** Realtime: longest wall-time step taken in one frame, ms (default 250; a hidden tab must not jump). */
  maxStepMs?: number
}

/** Called for each recorded event as playback passes its frame. */
export type ReplayEventListener = (event: RecordingEvent) => void

/** See {@link createReplayDriver}. */
export interface ReplayDriver {
  /** The player being driven. */
  readonly player: ReplayPlayer
  /** The player's mode. */
  readonly mode: ReplayMode
  /** Where playback is. */
  readonly phase: ReplayPhase
  /** App frames spent holding after playback started. */
  readonly heldFrames: number
  /** Index of the recorded frame the input holds now (-1 before the first). */
  readonly frame: number
  /** True once the last frame was handed out (deterministic) or reached without loop (realtime). */
  readonly ended: boolean
  /** Hash of every recorded frame handed out, in order (deterministic; '' in realtime). */
  readonly inputHash: string
  /** Decides this app frame and returns the timestamp to give the frame loop. Call once per frame. */
  beginFrame(wallMs: number, gate: ReplayGate): number
  /**
   * Input phase: writes this frame's replayed input into `out` (frame 0 while waiting). Returns
   * true when a new recorded frame was handed out (deterministic) or the playhead moved (realtime).
   */
  fillInput(out: XRInputSnapshot): boolean
  /** Subscribes to recorded events as they are replayed; returns the unsubscribe function. */
  onEvent(listener: ReplayEventListener): () => void
  /** Folds an event the app emitted during replay into the hash (deterministic only). */
  noteAppEvent(type: string, data?: JsonValue): void
  /** The running hash plus `contribute`'s additions, as 8 hex digits ('' in realtime). */
  stateHash(contribute?: (hasher: StateHasher) => void): string
  /** Realtime controls (no-ops in deterministic mode): see ReplayPlayer. */
  play(): void
  /** Realtime: pause. */
  pause(): void
  /** Realtime: step n frames (pauses). */
  step(n: number): void
  /** Realtime: seek to a frame. */
  seek(frame: number): void
  /** Realtime: playback speed. */
  setSpeed(speed: number): void
}

/** Creates a driver for `options.player`; see the module comment. */
export function createReplayDriver(options: ReplayDriverOptions): ReplayDriver {
  const player = options.player
  const mode = player.mode
  const deterministic = mode === 'deterministic'
  const timeBase = options.timeBaseMs ?? 0
  const settleFrames = options.settleFrames ?? 30
  const autoplay = options.autoplay ?? true
  const maxStep = options.maxStepMs ?? 250
  const recordedExperience = player.meta.experience
  // Every replayed event is told, also one equal to the last (events are not state).
  const events = createEmitter<RecordingEvent>()
  const hasher = createStateHasher()
  const inputHasher = createStateHasher()

  let phase: ReplayPhase = 'waiting'
  let heldFrames = 0
  let advancePending = false
  let elapsed = 0
  let prevWall = Number.NaN
  // Settling after an experience change: wait for its load to show up and finish.
  let lastExperience: string | null | undefined = undefined
  let settling = false
  let sawLoading = false
  let settleCount = 0
  // Realtime: last frame whose events were dispatched, and whether the playhead jumped.
  let dispatchedFrame = -1
  let jumped = false
  let waitingFilled = false

  const dispatch = (event: RecordingEvent) => {
    if (deterministic) hasher.string('event').number(event.frame).string(event.type).string(event.data === undefined ? '' : JSON.stringify(event.data))
    events.emit(event)
  }

  const updateSettle = (gate: ReplayGate) => {
    if (gate.experience !== lastExperience) {
      // The very first look is not a change; every later one is.
      if (lastExperience !== undefined) {
        settling = true
        sawLoading = !gate.ready
        settleCount = 0
      }
      lastExperience = gate.experience
    } else if (settling) {
      if (!gate.ready) sawLoading = true
      else if (sawLoading || ++settleCount >= settleFrames) settling = false
    }
  }

  return {
    player,
    mode,
    get phase() {
      return phase
    },
    get heldFrames() {
      return heldFrames
    },
    get frame() {
      return player.currentFrame
    },
    get ended() {
      return phase === 'ended' || (phase !== 'waiting' && player.ended)
    },
    get inputHash() {
      return deterministic ? inputHasher.hex() : ''
    },
    beginFrame(wallMs, gate) {
      updateSettle(gate)
      const open = gate.presenting && gate.ready && !settling
      let starting = false
      if (phase === 'waiting') {
        if (open && gate.experience === recordedExperience) {
          phase = 'playing'
          starting = true
          if (!deterministic && autoplay) player.play()
        }
      } else if (phase !== 'ended') {
        phase = open ? 'playing' : 'holding'
        if (phase === 'holding') heldFrames++
      }
      if (deterministic) {
        if (phase === 'playing' && player.ended) phase = 'ended'
        advancePending = phase === 'playing'
        const current = player.currentFrame
        return timeBase + (advancePending ? player.frameTimeMs(current + 1) : current < 0 ? 0 : player.frameTimeMs(current))
      }
      const step = Number.isNaN(prevWall) ? 0 : wallMs - prevWall
      prevWall = wallMs
      elapsed = phase === 'playing' && !starting ? (step < 0 ? 0 : step > maxStep ? maxStep : step) : 0
      return wallMs
    },
    fillInput(out) {
      if (phase === 'waiting') {
        // Show where the recording starts while waiting, so the view is already right.
        if (!waitingFilled) {
          player.readFrame(0, out)
          waitingFilled = true
        }
        return false
      }
      if (deterministic) {
        if (!advancePending) return false
        advancePending = false
        player.advance(out)
        const frame = player.currentFrame
        hasher.string('frame')
        hashInputSnapshot(hasher, out)
        hashInputSnapshot(inputHasher, out)
        player.eventsAt(frame, dispatch)
        if (player.ended) phase = 'ended'
        return true
      }
      const before = player.currentFrame
      player.update(elapsed, out)
      const after = player.currentFrame
      if (jumped || after < before) {
        // A seek, step back or loop: events in between were not "passed", so none fire.
        jumped = false
        dispatchedFrame = after
      } else if (after > dispatchedFrame) {
        player.eventsBetween(dispatchedFrame, after, dispatch)
        dispatchedFrame = after
      }
      if (player.ended) phase = 'ended'
      return after !== before || elapsed > 0
    },
    onEvent: events.subscribe,
    noteAppEvent(type, data) {
      if (!deterministic) return
      hasher.string('app-event').number(player.currentFrame).string(type).string(data === undefined ? '' : JSON.stringify(data))
    },
    stateHash(contribute) {
      if (!deterministic) return ''
      const out = createStateHasher()
      out.number(hasher.value)
      if (contribute) contribute(out)
      return out.hex()
    },
    play() {
      if (deterministic) return
      if (player.ended) jumped = true
      player.play()
      if (phase === 'ended') phase = 'playing'
    },
    pause() {
      if (!deterministic) player.pause()
    },
    step(n) {
      if (deterministic) return
      jumped = true
      player.step(n)
      if (phase === 'ended' && !player.ended) phase = 'playing'
    },
    seek(frame) {
      if (deterministic) return
      jumped = true
      player.seek(frame)
      if (phase === 'ended' && !player.ended) phase = 'playing'
    },
    setSpeed(speed) {
      if (!deterministic) player.setSpeed(speed)
    },
  }
}
