/**
 * Plays a validated recording into the same XRInputSnapshot live WebXR fills.
 *
 * - `deterministic`: `advance()` hands out exactly one recorded frame per app frame and returns
 *   the recorded time step, so the app's clock (and, via `seed`, its RNG) are driven from the
 *   recording and two runs end in the same state. This is what headless CI uses.
 * - `realtime`: `update(elapsedMs)` moves a playhead at `speed` and interpolates between frames
 *   (lerp positions, slerp rotations) for smooth previews, with play/pause/step/seek.
 *
 * Nothing allocates per frame: decoding reuses one cursor state and two scratch snapshots.
 */
import {
  AXIS_COUNT,
  BUTTON_COUNT,
  HAND_JOINT_COUNT,
  JOINT_STRIDE,
  BODY_JOINT_COUNT,
  BODY_JOINT_STRIDE,
  copyInputSnapshot,
  createInputSnapshot,
  type Pose,
  type XRInputSnapshot,
} from '../input/input-snapshot'
import {
  computeFrameTimes,
  createFrameCursor,
  readFrameState,
  type Recording,
  type RecordingEvent,
  type RecordingMeta,
} from './recording-format'
import { ReplayError, createReplayErrorInfo } from './replay-error'
import { requireValidRecording } from './validate-recording'

/** How the player advances; see the module comment. */
export type ReplayMode = 'deterministic' | 'realtime'

/** Options of {@link createReplayPlayer}. */
export interface ReplayPlayerOptions {
  /** Frame-exact (`advance`) or time-based with interpolation (`update`). */
  mode: ReplayMode
  /** Realtime only: wrap to the start at the end instead of stopping. Default false. */
  loop?: boolean
  /** Realtime only: initial speed, default 1. */
  speed?: number
  /** Size limit passed to validation when given text. */
  maxBytes?: number
}

/** Called for each app event; receives the recording's own event object (do not mutate it). */
export type ReplayEventCallback = (event: RecordingEvent) => void

/** Playback of one recording. */
export interface ReplayPlayer {
  /** The mode chosen at creation. */
  readonly mode: ReplayMode
  /** The validated recording being played. */
  readonly recording: Recording
  /** Its metadata. */
  readonly meta: RecordingMeta
  /** RNG seed of the recorded session: seed the app's createRng() with it. */
  readonly seed: number
  /** Number of recorded frames. */
  readonly frameCount: number
  /** Time of the last frame, ms after the first. */
  readonly durationMs: number
  /**
   * Deterministic: index of the last frame handed out (-1 before the first advance).
   * Realtime: the frame at or before the playhead.
   */
  readonly currentFrame: number
  /** Playhead in ms since the first frame (deterministic: time of the current frame). */
  readonly positionMs: number
  /** Deterministic: the last frame was handed out. Realtime: the playhead reached the end (no loop). */
  readonly ended: boolean
  /** Realtime: true while playing. Always false in deterministic mode. */
  readonly playing: boolean
  /** Realtime playback speed multiplier. */
  readonly speed: number
  /**
   * Deterministic only: hands out the next recorded frame into `out` and returns its recorded
   * delta in ms (0 for frame 0), to drive the app clock. At the end it re-fills the last frame
   * and returns 0.
   */
  advance(out: XRInputSnapshot): number
  /**
   * Realtime only: moves the playhead by `elapsedMs × speed` when playing and writes the
   * interpolated input at the playhead into `out` (also when paused, so a seek shows at once).
   */
  update(elapsedMs: number, out: XRInputSnapshot): void
  /** Realtime: starts playing; restarts from 0 when at the end. */
  play(): void
  /** Realtime: stops the playhead where it is. */
  pause(): void
  /** Realtime: pauses and moves `n` frames (negative steps back), clamped to the recording. */
  step(n?: number): void
  /**
   * Moves to a frame index (`unit` 'frame', default) or a time (`unit` 'ms'), clamped.
   * Deterministic: the next advance() hands out that frame.
   */
  seek(target: number, unit?: 'frame' | 'ms'): void
  /** Realtime: sets the speed multiplier (0 < s ≤ 16). */
  setSpeed(speed: number): void
  /** Back to the start (deterministic: before frame 0; realtime: paused at 0 ms). */
  reset(): void
  /** Time of a frame in ms since the first frame. */
  frameTimeMs(frame: number): number
  /** Decodes any frame exactly (no interpolation) into `out`, e.g. for scrubbing or tests. */
  readFrame(frame: number, out: XRInputSnapshot): void
  /** Calls `callback` for each event recorded at `frame`, in order; returns how many. */
  eventsAt(frame: number, callback: ReplayEventCallback): number
  /** Calls `callback` for events with `fromExclusive < frame ≤ toInclusive` (realtime may skip frames). */
  eventsBetween(fromExclusive: number, toInclusive: number, callback: ReplayEventCallback): number
}

const MAX_SPEED = 16

function badArgument(en: string, zh: string): ReplayError {
  return new ReplayError(createReplayErrorInfo('bad-argument', en, zh))
}

function wrongMode(method: string, mode: ReplayMode): ReplayError {
  return new ReplayError(
    createReplayErrorInfo(
      'wrong-mode',
      `${method}() is not available in ${mode} mode.`,
      `${method}() 在 ${mode === 'deterministic' ? '确定性' : '实时'}模式下不可用。`,
    ),
  )
}

// ---------------------------------------------------------------------------------------------
// Allocation-free interpolation helpers
// ---------------------------------------------------------------------------------------------

// The blend factor travels in this array instead of as an argument: V8 boxes a freshly computed
// double on the heap when it is passed to a call it does not inline, which would turn every
// realtime frame into a few small allocations.
const blend = new Float64Array(1)

function lerpVec3(a: Float32Array, ao: number, b: Float32Array, bo: number, out: Float32Array, oo: number): void {
  const t = blend[0]
  out[oo] = a[ao] + (b[bo] - a[ao]) * t
  out[oo + 1] = a[ao + 1] + (b[bo + 1] - a[ao + 1]) * t
  out[oo + 2] = a[ao + 2] + (b[bo + 2] - a[ao + 2]) * t
}

function slerpBlend(a: Float32Array, ao: number, b: Float32Array, bo: number, out: Float32Array, oo: number): void {
  const t = blend[0]
  const ax = a[ao], ay = a[ao + 1], az = a[ao + 2], aw = a[ao + 3]
  let bx = b[bo], by = b[bo + 1], bz = b[bo + 2], bw = b[bo + 3]
  let cos = ax * bx + ay * by + az * bz + aw * bw
  // q and -q are the same rotation; flip to take the short way round.
  if (cos < 0) {
    cos = -cos
    bx = -bx
    by = -by
    bz = -bz
    bw = -bw
  }
  let s0: number, s1: number
  if (cos > 0.9995) {
    // Nearly equal: slerp's sin(angle) → 0 is unstable, and nlerp is indistinguishable here.
    s0 = 1 - t
    s1 = t
  } else {
    const angle = Math.acos(cos)
    const sin = Math.sin(angle)
    s0 = Math.sin((1 - t) * angle) / sin
    s1 = Math.sin(t * angle) / sin
  }
  let x = s0 * ax + s1 * bx, y = s0 * ay + s1 * by, z = s0 * az + s1 * bz, w = s0 * aw + s1 * bw
  const len = Math.sqrt(x * x + y * y + z * z + w * w)
  if (len > 0) {
    x /= len
    y /= len
    z /= len
    w /= len
  }
  out[oo] = x
  out[oo + 1] = y
  out[oo + 2] = z
  out[oo + 3] = w
}

/** Shortest-path slerp of unit quaternions stored in typed arrays; nlerp when nearly equal. */
export function slerpQuaternion(a: Float32Array, ao: number, b: Float32Array, bo: number, t: number, out: Float32Array, oo: number): void {
  blend[0] = t
  slerpBlend(a, ao, b, bo, out, oo)
}

function lerpPose(a: Pose, b: Pose, out: Pose): void {
  lerpVec3(a.position, 0, b.position, 0, out.position, 0)
  slerpBlend(a.orientation, 0, b.orientation, 0, out.orientation, 0)
}

/**
 * Writes `a` blended toward `b` by `t` into `out`. Discrete state (connection, kind, buttons
 * pressed, mode) comes from `a`, the frame at or before the playhead; continuous values blend
 * only when both frames have them, so a controller→hand switch snaps instead of morphing.
 */
export function interpolateInputSnapshot(a: XRInputSnapshot, b: XRInputSnapshot, t: number, out: XRInputSnapshot): void {
  blend[0] = t
  interpolateWithBlend(a, b, out)
}

/** {@link interpolateInputSnapshot} with the factor already in `blend[0]`. */
function interpolateWithBlend(a: XRInputSnapshot, b: XRInputSnapshot, out: XRInputSnapshot): void {
  const t = blend[0]
  copyInputSnapshot(out, a)
  if (t <= 0) return
  out.timeMs = a.timeMs + (b.timeMs - a.timeMs) * t
  lerpPose(a.head, b.head, out.head)
  for (let s = 0; s < 2; s++) {
    const sa = a.sources[s], sb = b.sources[s], so = out.sources[s]
    if (!sa.connected || !sb.connected || sa.kind !== sb.kind) continue
    lerpPose(sa.targetRay, sb.targetRay, so.targetRay)
    lerpPose(sa.grip, sb.grip, so.grip)
    if (sa.jointsValid && sb.jointsValid) {
      for (let j = 0; j < HAND_JOINT_COUNT; j++) {
        const o = j * JOINT_STRIDE
        lerpVec3(sa.joints, o, sb.joints, o, so.joints, o)
        slerpBlend(sa.joints, o + 3, sb.joints, o + 3, so.joints, o + 3)
        so.joints[o + 7] = sa.joints[o + 7] + (sb.joints[o + 7] - sa.joints[o + 7]) * t
      }
    }
    if (sa.hasGamepad && sb.hasGamepad) {
      for (let i = 0; i < BUTTON_COUNT; i++) so.buttons[i] = sa.buttons[i] + (sb.buttons[i] - sa.buttons[i]) * t
      for (let i = 0; i < AXIS_COUNT; i++) so.axes[i] = sa.axes[i] + (sb.axes[i] - sa.axes[i]) * t
    }
  }
  if (a.bodyValid && b.bodyValid) {
    for (let j = 0; j < BODY_JOINT_COUNT; j++) {
      const o = j * BODY_JOINT_STRIDE
      lerpVec3(a.body, o, b.body, o, out.body, o)
      slerpBlend(a.body, o + 3, b.body, o + 3, out.body, o + 3)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Player
// ---------------------------------------------------------------------------------------------

/**
 * Creates a player. `input` may be a validated recording, any other value, or JSON text; anything
 * not already validated is validated first.
 *
 * @throws ReplayError with the validator's code when the recording is invalid, or `bad-argument`.
 */
export function createReplayPlayer(input: unknown, options: ReplayPlayerOptions): ReplayPlayer {
  const mode = options?.mode
  if (mode !== 'deterministic' && mode !== 'realtime') {
    throw badArgument(`Replay mode must be "deterministic" or "realtime", got ${String(mode)}.`, `回放模式必须为 "deterministic" 或 "realtime"，实际为 ${String(mode)}。`)
  }
  // A player fed garbage must refuse with a typed error here, not fail obscurely mid-playback.
  const recording = requireValidRecording(input, options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes })
  const frames = recording.frames
  const events = recording.events
  const frameCount = frames.length
  const times = computeFrameTimes(recording)
  const durationMs = times[frameCount - 1]
  // Recorded time steps, kept as already-boxed numbers: an array that once held a non-number
  // stays a generic array in V8, so returning an element hands out an existing object instead
  // of allocating a fresh heap number on every advance().
  const deltas: unknown[] = [null]
  for (let i = 1; i < frameCount; i++) deltas.push(times[i] - times[i - 1])
  deltas[0] = 0
  const cursor = createFrameCursor(recording)
  const loop = options.loop ?? false

  // Realtime keeps the two frames around the playhead decoded; indices say which they hold.
  let snapA = createInputSnapshot()
  let snapB = createInputSnapshot()
  let indexA = -1
  let indexB = -1

  let currentFrame = mode === 'deterministic' ? -1 : 0
  // The playhead lives in a typed array: a captured `let` holding a double is re-boxed (a heap
  // allocation) on every write, which would make each realtime update allocate.
  const playhead = new Float64Array(1)
  const seekScratch = new Float64Array(1)
  let playing = false
  let speed = 1

  const setSpeed = (s: number) => {
    if (!(s > 0 && s <= MAX_SPEED)) {
      throw badArgument(`Replay speed must be above 0 and at most ${MAX_SPEED}, got ${s}.`, `回放速度必须大于 0 且不超过 ${MAX_SPEED}，实际为 ${s}。`)
    }
    speed = s
  }
  if (options.speed !== undefined) setSpeed(options.speed)

  const clampFrame = (f: number) => (f < 0 ? 0 : f >= frameCount ? frameCount - 1 : Math.floor(f))

  /**
   * Last frame whose time is ≤ `at[0]`; walks from `hint` first since playback is nearly
   * sequential. The time comes in a typed array, not an argument, so the per-frame call does not
   * box a double on the heap.
   */
  const frameAtTime = (at: Float64Array, hint: number): number => {
    const ms = at[0]
    let i = hint < 0 ? 0 : hint
    if (times[i] <= ms) {
      while (i + 1 < frameCount && times[i + 1] <= ms && i - hint < 8) i++
      if (i + 1 >= frameCount || times[i + 1] > ms) return i
    }
    let lo = 0
    let hi = frameCount - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (times[mid] <= ms) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  const decodeInto = (frame: number, out: XRInputSnapshot) => {
    cursor.moveTo(frame)
    readFrameState(cursor.state, frame, out)
  }

  const loadPair = (i: number) => {
    if (indexA !== i) {
      if (indexB === i) {
        const s = snapA
        snapA = snapB
        snapB = s
        indexB = indexA
        indexA = i
      } else {
        decodeInto(i, snapA)
        indexA = i
      }
    }
    if (i + 1 < frameCount && indexB !== i + 1) {
      decodeInto(i + 1, snapB)
      indexB = i + 1
    }
  }

  const firstEventAt = (frame: number): number => {
    let lo = 0
    let hi = events.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (events[mid].frame < frame) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  const requireMode = (wanted: ReplayMode, method: string) => {
    if (mode !== wanted) throw wrongMode(method, mode)
  }

  return {
    mode,
    recording,
    meta: recording.meta,
    seed: recording.meta.seed,
    frameCount,
    durationMs,
    get currentFrame() {
      return currentFrame
    },
    get positionMs() {
      return mode === 'deterministic' ? (currentFrame < 0 ? 0 : times[currentFrame]) : playhead[0]
    },
    get ended() {
      return mode === 'deterministic' ? currentFrame >= frameCount - 1 : !loop && playhead[0] >= durationMs
    },
    get playing() {
      return playing
    },
    get speed() {
      return speed
    },
    advance(out) {
      requireMode('deterministic', 'advance')
      if (currentFrame >= frameCount - 1) {
        decodeInto(frameCount - 1, out)
        return 0
      }
      currentFrame++
      decodeInto(currentFrame, out)
      return deltas[currentFrame] as number
    },
    update(elapsedMs, out) {
      requireMode('realtime', 'update')
      if (playing && elapsedMs > 0) {
        playhead[0] += elapsedMs * speed
        if (playhead[0] >= durationMs) {
          if (loop && durationMs > 0) playhead[0] %= durationMs
          else {
            playhead[0] = durationMs
            playing = false
          }
        }
      }
      const i = frameAtTime(playhead, currentFrame)
      currentFrame = i
      loadPair(i)
      const span = i + 1 < frameCount ? times[i + 1] - times[i] : 0
      const t = span > 0 ? (playhead[0] - times[i]) / span : 0
      blend[0] = t > 1 ? 1 : t
      interpolateWithBlend(snapA, snapB, out)
      out.timeMs = playhead[0]
    },
    play() {
      requireMode('realtime', 'play')
      if (!loop && playhead[0] >= durationMs) {
        playhead[0] = 0
        currentFrame = 0
      }
      playing = true
    },
    pause() {
      requireMode('realtime', 'pause')
      playing = false
    },
    step(n = 1) {
      requireMode('realtime', 'step')
      if (!Number.isFinite(n)) throw badArgument(`step() needs a finite frame count, got ${n}.`, `step() 需要有限的帧数，实际为 ${n}。`)
      playing = false
      currentFrame = clampFrame(currentFrame + Math.trunc(n))
      playhead[0] = times[currentFrame]
    },
    seek(target, unit = 'frame') {
      if (!Number.isFinite(target)) throw badArgument(`seek() needs a finite position, got ${target}.`, `seek() 需要有限的位置，实际为 ${target}。`)
      if (unit !== 'frame' && unit !== 'ms') throw badArgument(`seek() unit must be "frame" or "ms", got ${String(unit)}.`, `seek() 的单位必须为 "frame" 或 "ms"，实际为 ${String(unit)}。`)
      if (mode === 'deterministic') {
        seekScratch[0] = target
        const frame = unit === 'frame' ? clampFrame(target) : frameAtTime(seekScratch, 0)
        currentFrame = frame - 1
        return
      }
      if (unit === 'frame') {
        currentFrame = clampFrame(target)
        playhead[0] = times[currentFrame]
      } else {
        playhead[0] = target < 0 ? 0 : target > durationMs ? durationMs : target
        currentFrame = frameAtTime(playhead, currentFrame)
      }
    },
    setSpeed(s) {
      requireMode('realtime', 'setSpeed')
      setSpeed(s)
    },
    reset() {
      playing = false
      playhead[0] = 0
      currentFrame = mode === 'deterministic' ? -1 : 0
    },
    frameTimeMs(frame) {
      return times[clampFrame(frame)]
    },
    readFrame(frame, out) {
      decodeInto(clampFrame(frame), out)
    },
    eventsAt(frame, callback) {
      let count = 0
      for (let i = firstEventAt(frame); i < events.length && events[i].frame === frame; i++, count++) callback(events[i])
      return count
    },
    eventsBetween(fromExclusive, toInclusive, callback) {
      let count = 0
      for (let i = firstEventAt(fromExclusive + 1); i < events.length && events[i].frame <= toInclusive; i++, count++) callback(events[i])
      return count
    },
  }
}
