/**
 * The Lingjing XR session recording format, version 2 (documented in xr-sessions/README.md and
 * xr-sessions/schema/recording.schema.json), plus the frame codec and the incremental builder.
 *
 * Encoding in one paragraph: every value is quantised to an integer (mm, 1e-4 quaternion units,
 * 0.1 ms, ...). Each frame is a flat JSON array `[t, mode, rate, head×7, left, right]`, where
 * `left`/`right` are `0` (no source) or an array `[header, ray×7, grip×7, joints×200?, buttons×7?,
 * mask?, axes×4?]`. Every number except the source header is stored as the difference from the
 * same field's previous stored value, and every `keyframeInterval`-th frame resets that baseline
 * to zero (absolute values) so a player can seek without decoding from the start. Deltas of a
 * 72 Hz pose are mostly 0–2 digits, which is what keeps recordings small while staying plain JSON.
 *
 * Version 2 adds an optional 13th frame entry: the tracked body ({@link BODY_SEGMENT_LENGTH}
 * deltas, joints named in `meta.bodyJoints`). A frame without a body is exactly a version 1 frame,
 * so {@link migrateRecording} only relabels a version 1 file.
 */
import {
  AXIS_COUNT,
  BODY_JOINT_COUNT,
  BODY_JOINT_STRIDE,
  BUTTON_COUNT,
  HAND_JOINT_COUNT,
  JOINT_STRIDE,
  resetInputSourceSnapshot,
  type InputSourceSnapshot,
  type Pose,
  type SnapshotMode,
  type XRInputSnapshot,
  XR_BODY_JOINTS,
} from '../input/input-snapshot'
import { ReplayError, createReplayErrorInfo } from './replay-error'

/** Value of the top-level `format` field. */
export const RECORDING_FORMAT = 'lingjing-xr-session'
/** Value of the chunk `format` field (crash-recovery chunks, see {@link RecordingChunk}). */
export const RECORDING_CHUNK_FORMAT = 'lingjing-xr-session-chunk'
/** The format version this code writes (it also reads {@link RECORDING_VERSION_1} and migrates it). */
export const RECORDING_VERSION = 2
/** The first format version: no body joints, no `meta.bodyJoints`. Read and migrated on load. */
export const RECORDING_VERSION_1 = 1

/** Quantisation steps of version 1; stored in every recording so a file documents itself. */
export const QUANTIZATION = Object.freeze({
  /** Timestamps: integer units of 0.1 ms. */
  timeMs: 0.1,
  /** Positions: integer millimetres. */
  positionMm: 1,
  /** Quaternion components: integers × 1e-4. */
  quaternion: 0.0001,
  /** Joint radii: integer units of 0.1 mm. */
  radiusMm: 0.1,
  /** Button values: integers 0..255. */
  buttonSteps: 255,
  /** Axes: integers × 1e-3 (-1000..1000). */
  axis: 0.001,
  /** Frame rate: integers × 0.01 Hz. */
  frameRateHz: 0.01,
})

/** Shape of {@link QUANTIZATION} as stored in `meta.quantization`. */
export type RecordingQuantization = { readonly [K in keyof typeof QUANTIZATION]: number }

/** Experiences a recording can belong to. */
export const EXPERIENCES = ['hub', 'livestream', 'tianhe', 'mascot'] as const
/** One of {@link EXPERIENCES}. */
export type Experience = (typeof EXPERIENCES)[number]
/** Session modes a recording can be made in (the snapshot's `null` means "no session"). */
export const RECORDING_MODES = ['immersive-vr', 'immersive-ar', 'inline'] as const
/** One of {@link RECORDING_MODES}. */
export type RecordingMode = (typeof RECORDING_MODES)[number]

/** Per-session metadata. */
export interface RecordingMeta {
  /** Device profile, e.g. "Meta Quest 3 / Quest Browser 36" or "IWER meta-quest-3". */
  device: string
  /** App version that recorded it (package.json version or git describe). */
  appVersion: string
  /** Which experience was running. */
  experience: Experience
  /** Seed of the app's RNG for this session; replays seed createRng() with it. */
  seed: number
  /** True for generated (test/fuzz/CI) recordings, false for real captures. */
  synthetic: boolean
  /** Free text for humans. */
  description: string
  /** ISO 8601 time the recording started; filled by the caller (the core never reads the clock). */
  recordedAt: string
  /** Nominal display frame rate in Hz when recording started. */
  frameRate: number
  /** Session mode the recording was made in. */
  mode: RecordingMode
  /** Every n-th frame (0, n, 2n, ...) stores absolute values instead of deltas. */
  keyframeInterval: number
  /** Quantisation steps; must equal {@link QUANTIZATION} (unchanged since version 1). */
  quantization: RecordingQuantization
  /**
   * Version 2: the body joints a frame's body segment holds, in order ({@link XR_BODY_JOINTS},
   * WebXR `XRBodyJoint` names). Stored so each file documents its own layout.
   */
  bodyJoints: string[]
}

/** A source slot in an encoded frame: 0 when empty, else `[header, ...deltas]`. */
export type EncodedSource = number | number[]
/**
 * One encoded frame: `[t, mode, rate, hx, hy, hz, hqx, hqy, hqz, hqw, left, right]`, plus in
 * version 2 an optional 13th entry, the body segment (an array, present only when a body was tracked).
 */
export type EncodedFrame = EncodedSource[]

/** JSON-compatible value, the type of event payloads. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** An app event on the recording's timeline (task step, expression press, camera cut, ...). */
export interface RecordingEvent {
  /** Index of the frame during which the event happened. */
  frame: number
  /** That frame's time in ms since the first frame (redundant, for humans and tools). */
  t: number
  /** Event type, e.g. `task-step`, `expression`, `camera-cut`. */
  type: string
  /** Optional JSON payload. */
  data?: JsonValue
}

/** A complete recording (version 2), exactly what is stored in `xr-sessions/NAME.json`. */
export interface Recording {
  /** Always {@link RECORDING_FORMAT}. */
  format: typeof RECORDING_FORMAT
  /** Always {@link RECORDING_VERSION}. */
  version: typeof RECORDING_VERSION
  /** Per-session metadata. */
  meta: RecordingMeta
  /** Encoded frames, in time order. */
  frames: EncodedFrame[]
  /** App events, sorted by frame. */
  events: RecordingEvent[]
  /**
   * Optional per-frame performance trace (see {@link RecordingTiming}). Deterministic replay
   * ignores it; a take recorded on a headset is then also a performance trace.
   */
  timing?: RecordingTiming
}

/**
 * A version 1 recording as stored by earlier app versions: no `meta.bodyJoints`, frames never
 * carry a body. {@link migrateRecording} turns it into a {@link Recording}.
 */
export interface RecordingV1 extends Omit<Recording, 'version' | 'meta'> {
  /** Always {@link RECORDING_VERSION_1}. */
  version: typeof RECORDING_VERSION_1
  /** Version 1 metadata: everything but `bodyJoints`. */
  meta: Omit<RecordingMeta, 'bodyJoints'>
}

/**
 * Migrates a version 1 recording to version 2. A version 1 frame is a version 2 frame without a
 * body, so the frames and events are shared (not copied); only `version` and `meta.bodyJoints`
 * change. Expects a recording the validator accepted as version 1 (validateRecording migrates by
 * itself; this is the one place that knows how).
 */
export function migrateRecording(v1: RecordingV1): Recording {
  const out: Recording = {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    meta: { ...v1.meta, quantization: { ...v1.meta.quantization }, bodyJoints: [...XR_BODY_JOINTS] },
    frames: v1.frames,
    events: v1.events,
  }
  if (v1.timing !== undefined) out.timing = v1.timing
  return out
}

/** Value of `timing.format`. */
export const TIMING_FORMAT = 'lingjing-frame-timing'
/** The only `timing.version` this code reads and writes. */
export const TIMING_VERSION = 1
/** The fixed columns before the phases and levers, in order. */
export const TIMING_BASE_COLUMNS = ['frame', 'cpuMs', 'intervalMs', 'missed', 'gpuMs'] as const
/** Prefix of a lever column: `lever:<id>`. */
export const TIMING_LEVER_PREFIX = 'lever:'
/** Limits the validator enforces on `timing` (the recorder stays inside them). */
export const TIMING_LIMITS = Object.freeze({
  /** Most phases. */
  phases: 16,
  /** Most levers seen in one take. */
  levers: 64,
  /** Longest phase name or lever id. */
  nameLength: 64,
  /** Largest time value, ms (a frame longer than a minute is not a frame). */
  maxMs: 60_000,
  /** Largest lever maxLevel. */
  maxLevel: 1_000,
})

/**
 * Per-frame timing of a take: one row per recorded frame, columns named in `columns`:
 * `frame` (recording frame index), `cpuMs` (frame callback cost), `intervalMs` (display interval
 * ending at that frame, 0 when unknown), `missed` (0/1: interval over 1.5 × the budget),
 * `gpuMs` (GPU time of that frame from timer queries, -1 when none), one column per phase (ms) in
 * `phases` order, then `lever:<id>` per lever in `levers` order (its level, -1 while not
 * registered). Times are rounded to 0.01 ms.
 */
export interface RecordingTiming {
  format: typeof TIMING_FORMAT
  version: typeof TIMING_VERSION
  /** Display refresh rate when the take started, Hz. */
  refreshHz: number
  /** Budget the governor held when the take started, ms (the refresh period or `?frameBudgetMs`). */
  budgetMs: number
  /** Where `gpuMs` came from. */
  gpuSource: 'timer-query' | 'none'
  /** Frame phases, in loop order. */
  phases: string[]
  /** Every lever seen during the take. */
  levers: { id: string; maxLevel: number }[]
  /** Column names: the base columns, the phases, then `lever:<id>` per lever. */
  columns: string[]
  /** One row per recorded frame (rows.length ≤ frames.length), frame indices strictly increasing. */
  rows: number[][]
}

// ---------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------

/** Entries in an encoded frame. */
export const FRAME_LENGTH = 12
/** Index of the time entry in an encoded frame. */
export const FRAME_TIME = 0
/** Index of the mode entry. */
export const FRAME_MODE = 1
/** Index of the frame-rate entry. */
export const FRAME_RATE = 2
/** Index of the first head entry (3 position + 4 quaternion). */
export const FRAME_HEAD = 3
/** Index of the first source slot (left); the right slot follows. */
export const FRAME_SOURCES = 10
/** Version 2: index of the optional body segment (frames with a tracked body have 13 entries). */
export const FRAME_BODY = 12
/** Entries of a version 2 frame that carries a body. */
export const FRAME_LENGTH_WITH_BODY = 13
/** Entries of a body segment: {@link BODY_JOINT_COUNT} joints × (position xyz, quaternion xyzw). */
export const BODY_SEGMENT_LENGTH = BODY_JOINT_COUNT * BODY_JOINT_STRIDE

/** Header kind value for a controller (the low 2 header bits hold the kind). */
export const SOURCE_KIND_CONTROLLER = 1
/** Header kind value for a tracked hand. */
export const SOURCE_KIND_HAND = 2
/** Mask of the kind bits. */
export const SOURCE_KIND_MASK = 3
/** Shift of the 2 handedness bits (0 none, 1 left, 2 right). */
export const SOURCE_HANDEDNESS_SHIFT = 2
/** Set when the 200 joint values follow the grip. */
export const SOURCE_JOINTS_BIT = 16
/** Set when the 12 gamepad values (7 buttons, pressed/touched mask, 4 axes) follow. */
export const SOURCE_GAMEPAD_BIT = 32

/** Segment entries before the optional parts: header + ray 7 + grip 7. */
export const SOURCE_BASE_LENGTH = 15
/** Joint entries (25 × 8). */
export const SOURCE_JOINTS_LENGTH = HAND_JOINT_COUNT * JOINT_STRIDE
/** Gamepad entries: buttons, pressed/touched mask, axes. */
export const SOURCE_GAMEPAD_LENGTH = BUTTON_COUNT + 1 + AXIS_COUNT

/** Expected segment length for a header, or -1 if the header is invalid. */
export function sourceSegmentLength(header: number): number {
  if (!Number.isInteger(header) || header < 0 || header > 63) return -1
  const kind = header & SOURCE_KIND_MASK
  const handedness = (header >> SOURCE_HANDEDNESS_SHIFT) & 3
  if (kind !== SOURCE_KIND_CONTROLLER && kind !== SOURCE_KIND_HAND) return -1
  if (handedness === 3) return -1
  // Only hands have joints; a controller claiming joints is a corrupt header.
  if (header & SOURCE_JOINTS_BIT && kind !== SOURCE_KIND_HAND) return -1
  return (
    SOURCE_BASE_LENGTH +
    (header & SOURCE_JOINTS_BIT ? SOURCE_JOINTS_LENGTH : 0) +
    (header & SOURCE_GAMEPAD_BIT ? SOURCE_GAMEPAD_LENGTH : 0)
  )
}

// Decoder state: the last quantised value of every field (the delta baseline). Slots keep their
// header at offset 0 (0 = disconnected).
const S_TIME = 0
const S_MODE = 1
const S_RATE = 2
const S_HEAD = 3
const S_SLOTS = 10
const SLOT_HEADER = 0
const SLOT_RAY = 1
const SLOT_GRIP = 8
const SLOT_JOINTS = 15
const SLOT_BUTTONS = SLOT_JOINTS + SOURCE_JOINTS_LENGTH
const SLOT_MASK = SLOT_BUTTONS + BUTTON_COUNT
const SLOT_AXES = SLOT_MASK + 1
const SLOT_SIZE = SLOT_AXES + AXIS_COUNT
// Body: 1 while the last frame carried a body, then its joints (kept while absent, like a slot).
const S_BODY_VALID = S_SLOTS + 2 * SLOT_SIZE
const S_BODY = S_BODY_VALID + 1
const STATE_SIZE = S_BODY + BODY_SEGMENT_LENGTH

/**
 * The quantised integer values of the most recently coded frame: the delta baseline shared by
 * encoder and decoder. One per stream; preallocated.
 */
export type FrameState = Float64Array

/** Creates a zeroed {@link FrameState}. */
export function createFrameState(): FrameState {
  return new Float64Array(STATE_SIZE)
}

/** True when frame `index` stores absolute values (delta baseline reset). */
export function isKeyframe(index: number, keyframeInterval: number): boolean {
  return index % keyframeInterval === 0
}

// ---------------------------------------------------------------------------------------------
// Quantisation
// ---------------------------------------------------------------------------------------------

/** Limits of quantised values; the validator enforces the same ones. */
export const LIMITS = Object.freeze({
  /** Max |position| in mm (1 km): beyond any room or AR walk, and catches unit mix-ups. */
  positionMm: 1_000_000,
  /** Max joint radius in 0.1 mm units (10 cm). */
  radius: 1_000,
  /** Max button value. */
  button: 255,
  /** Max pressed/touched mask (7 pressed bits + 7 touched bits). */
  mask: (1 << (2 * BUTTON_COUNT)) - 1,
  /** Max |axis| in 1e-3 units. */
  axis: 1_000,
  /** Max frame rate in 0.01 Hz units (1000 Hz). */
  frameRate: 100_000,
  /** Max timestamp in 0.1 ms units (about 59.6 hours; fits a signed 32-bit int). */
  time: 2_147_483_647,
  /** Mode codes 0..3. */
  mode: 3,
})

const MODE_CODES: readonly SnapshotMode[] = [null, 'immersive-vr', 'immersive-ar', 'inline']

/** Integer code of a session mode as stored in frames (0 none, 1 vr, 2 ar, 3 inline). */
export function modeToCode(mode: SnapshotMode): number {
  return mode === 'immersive-vr' ? 1 : mode === 'immersive-ar' ? 2 : mode === 'inline' ? 3 : 0
}

/** Session mode of a stored mode code. */
export function codeToMode(code: number): SnapshotMode {
  return MODE_CODES[code] ?? null
}

// `+ 0` turns -0 into 0 so JSON output and deep-equality never see a negative zero.
function quantize(value: number, scale: number, min: number, max: number): number {
  const q = Math.round(value * scale)
  if (!(q === q)) return 0 // NaN from a glitching runtime becomes 0 rather than a corrupt file
  return (q < min ? min : q > max ? max : q) + 0
}

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

const quatScratch = new Float64Array(4)

/**
 * Normalises a quaternion in float64 and writes its 1e-4 integers into `quatScratch`. The
 * recorder must never write a file the validator rejects, so a zero/NaN quaternion becomes
 * identity instead of being stored.
 */
function quantizeQuaternion(src: ArrayLike<number>, offset: number): void {
  const x = src[offset], y = src[offset + 1], z = src[offset + 2], w = src[offset + 3]
  const len = Math.sqrt(x * x + y * y + z * z + w * w)
  if (!(len > 1e-6) || !Number.isFinite(len)) {
    quatScratch[0] = 0
    quatScratch[1] = 0
    quatScratch[2] = 0
    quatScratch[3] = 10_000
    return
  }
  const s = 10_000 / len
  quatScratch[0] = Math.round(x * s) + 0
  quatScratch[1] = Math.round(y * s) + 0
  quatScratch[2] = Math.round(z * s) + 0
  quatScratch[3] = Math.round(w * s) + 0
}

// The encoder writes `out.push(value - baseline)` and stores `value` as the new baseline.
function put(out: number[], state: FrameState, index: number, value: number): void {
  out.push(value - state[index] + 0)
  state[index] = value
}

function putPose(out: number[], state: FrameState, index: number, position: ArrayLike<number>, pOffset: number, orientation: ArrayLike<number>, qOffset: number): void {
  const P = LIMITS.positionMm
  put(out, state, index, quantize(position[pOffset], 1000, -P, P))
  put(out, state, index + 1, quantize(position[pOffset + 1], 1000, -P, P))
  put(out, state, index + 2, quantize(position[pOffset + 2], 1000, -P, P))
  quantizeQuaternion(orientation, qOffset)
  put(out, state, index + 3, quatScratch[0])
  put(out, state, index + 4, quatScratch[1])
  put(out, state, index + 5, quatScratch[2])
  put(out, state, index + 6, quatScratch[3])
}

function encodeSource(source: InputSourceSnapshot, state: FrameState, base: number): EncodedSource {
  if (!source.connected || source.kind === 'none') {
    state[base + SLOT_HEADER] = 0
    return 0
  }
  const kind = source.kind === 'hand' ? SOURCE_KIND_HAND : SOURCE_KIND_CONTROLLER
  const handedness = source.handedness === 'left' ? 1 : source.handedness === 'right' ? 2 : 0
  const withJoints = kind === SOURCE_KIND_HAND && source.jointsValid
  const header =
    kind |
    (handedness << SOURCE_HANDEDNESS_SHIFT) |
    (withJoints ? SOURCE_JOINTS_BIT : 0) |
    (source.hasGamepad ? SOURCE_GAMEPAD_BIT : 0)
  state[base + SLOT_HEADER] = header
  const out: number[] = [header]
  putPose(out, state, base + SLOT_RAY, source.targetRay.position, 0, source.targetRay.orientation, 0)
  putPose(out, state, base + SLOT_GRIP, source.grip.position, 0, source.grip.orientation, 0)
  if (withJoints) {
    const joints = source.joints
    for (let j = 0; j < HAND_JOINT_COUNT; j++) {
      const o = j * JOINT_STRIDE
      const s = base + SLOT_JOINTS + o
      putPose(out, state, s, joints, o, joints, o + 3)
      put(out, state, s + 7, quantize(joints[o + 7], 10_000, 0, LIMITS.radius))
    }
  }
  if (source.hasGamepad) {
    let mask = 0
    for (let b = 0; b < BUTTON_COUNT; b++) {
      put(out, state, base + SLOT_BUTTONS + b, quantize(source.buttons[b], 255, 0, 255))
      if (source.pressed[b]) mask |= 1 << b
      if (source.touched[b]) mask |= 1 << (b + BUTTON_COUNT)
    }
    put(out, state, base + SLOT_MASK, mask)
    for (let a = 0; a < AXIS_COUNT; a++) {
      put(out, state, base + SLOT_AXES + a, quantize(source.axes[a], 1000, -LIMITS.axis, LIMITS.axis))
    }
  }
  return out
}

/**
 * Encodes a snapshot as one compact frame, updating `state` (the delta baseline). `timeMs` is the
 * frame time relative to the recording start (the builder passes it; defaults to
 * `snapshot.timeMs`). Allocates only the output arrays, which become part of the recording.
 */
export function encodeFrame(snapshot: XRInputSnapshot, state: FrameState, keyframe: boolean, timeMs: number = snapshot.timeMs): EncodedFrame {
  // Both encoder and decoder zero the baseline at a keyframe, so keyframe values are absolute.
  if (keyframe) state.fill(0)
  const out: EncodedFrame = []
  const nums = out as number[]
  put(nums, state, S_TIME, quantize(timeMs, 10, 0, LIMITS.time))
  put(nums, state, S_MODE, modeToCode(snapshot.mode))
  put(nums, state, S_RATE, quantize(snapshot.frameRate, 100, 0, LIMITS.frameRate))
  putPose(nums, state, S_HEAD, snapshot.head.position, 0, snapshot.head.orientation, 0)
  out.push(encodeSource(snapshot.sources[0], state, S_SLOTS))
  out.push(encodeSource(snapshot.sources[1], state, S_SLOTS + SLOT_SIZE))
  state[S_BODY_VALID] = snapshot.bodyValid ? 1 : 0
  if (snapshot.bodyValid) {
    const body = snapshot.body
    const seg: number[] = []
    for (let j = 0; j < BODY_JOINT_COUNT; j++) {
      const o = j * BODY_JOINT_STRIDE
      putPose(seg, state, S_BODY + o, body, o, body, o + 3)
    }
    out.push(seg)
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

/**
 * Applies one encoded frame to `state` (no allocation). Assumes the frame passed
 * validateRecording: it does no checking so the player's per-frame path stays cheap.
 */
export function applyEncodedFrame(frame: EncodedFrame, state: FrameState, keyframe: boolean): void {
  if (keyframe) state.fill(0)
  for (let i = 0; i < FRAME_SOURCES; i++) state[i] += frame[i] as number
  for (let slot = 0; slot < 2; slot++) {
    const base = S_SLOTS + slot * SLOT_SIZE
    const seg = frame[FRAME_SOURCES + slot]
    if (typeof seg === 'number') {
      state[base + SLOT_HEADER] = 0
      continue
    }
    const header = seg[0]
    state[base + SLOT_HEADER] = header
    let k = 1
    for (let i = 0; i < 14; i++) state[base + SLOT_RAY + i] += seg[k++]
    if (header & SOURCE_JOINTS_BIT) {
      for (let i = 0; i < SOURCE_JOINTS_LENGTH; i++) state[base + SLOT_JOINTS + i] += seg[k++]
    }
    if (header & SOURCE_GAMEPAD_BIT) {
      for (let i = 0; i < SOURCE_GAMEPAD_LENGTH; i++) state[base + SLOT_BUTTONS + i] += seg[k++]
    }
  }
  const body = frame.length > FRAME_BODY ? frame[FRAME_BODY] : 0
  if (typeof body === 'number') {
    state[S_BODY_VALID] = 0
  } else {
    state[S_BODY_VALID] = 1
    for (let i = 0; i < BODY_SEGMENT_LENGTH; i++) state[S_BODY + i] += body[i]
  }
}

// Dequantise a quaternion and re-normalise: 1e-4 rounding leaves |q| slightly off 1, and
// three.js/WebXR expect unit quaternions.
function readQuaternion(state: FrameState, index: number, out: Float32Array, offset: number): void {
  const x = state[index], y = state[index + 1], z = state[index + 2], w = state[index + 3]
  const len = Math.sqrt(x * x + y * y + z * z + w * w)
  if (len === 0) {
    out[offset] = 0
    out[offset + 1] = 0
    out[offset + 2] = 0
    out[offset + 3] = 1
    return
  }
  out[offset] = x / len
  out[offset + 1] = y / len
  out[offset + 2] = z / len
  out[offset + 3] = w / len
}

function readPose(state: FrameState, index: number, pose: Pose): void {
  pose.position[0] = state[index] / 1000
  pose.position[1] = state[index + 1] / 1000
  pose.position[2] = state[index + 2] / 1000
  readQuaternion(state, index + 3, pose.orientation, 0)
}

function readSource(state: FrameState, base: number, source: InputSourceSnapshot, slot: number): void {
  const header = state[base + SLOT_HEADER]
  if (header === 0) {
    resetInputSourceSnapshot(source)
    source.handedness = slot === 0 ? 'left' : 'right'
    return
  }
  const hand = (header >> SOURCE_HANDEDNESS_SHIFT) & 3
  source.connected = true
  source.kind = (header & SOURCE_KIND_MASK) === SOURCE_KIND_HAND ? 'hand' : 'controller'
  source.handedness = hand === 1 ? 'left' : hand === 2 ? 'right' : 'none'
  readPose(state, base + SLOT_RAY, source.targetRay)
  readPose(state, base + SLOT_GRIP, source.grip)
  source.jointsValid = (header & SOURCE_JOINTS_BIT) !== 0
  if (source.jointsValid) {
    const joints = source.joints
    for (let j = 0; j < HAND_JOINT_COUNT; j++) {
      const o = j * JOINT_STRIDE
      const s = base + SLOT_JOINTS + o
      joints[o] = state[s] / 1000
      joints[o + 1] = state[s + 1] / 1000
      joints[o + 2] = state[s + 2] / 1000
      readQuaternion(state, s + 3, joints, o + 3)
      joints[o + 7] = state[s + 7] / 10_000
    }
  }
  source.hasGamepad = (header & SOURCE_GAMEPAD_BIT) !== 0
  if (source.hasGamepad) {
    const mask = state[base + SLOT_MASK]
    for (let b = 0; b < BUTTON_COUNT; b++) {
      source.buttons[b] = state[base + SLOT_BUTTONS + b] / 255
      source.pressed[b] = (mask >> b) & 1
      source.touched[b] = (mask >> (b + BUTTON_COUNT)) & 1
    }
    for (let a = 0; a < AXIS_COUNT; a++) source.axes[a] = state[base + SLOT_AXES + a] / 1000
  } else {
    source.buttons.fill(0)
    source.pressed.fill(0)
    source.touched.fill(0)
    source.axes.fill(0)
  }
}

/** Dequantises `state` into a preallocated snapshot (no allocation). `frame` is the frame index. */
export function readFrameState(state: FrameState, frame: number, out: XRInputSnapshot): void {
  out.timeMs = state[S_TIME] / 10
  out.frame = frame
  out.mode = codeToMode(state[S_MODE])
  out.frameRate = state[S_RATE] / 100
  readPose(state, S_HEAD, out.head)
  readSource(state, S_SLOTS, out.sources[0], 0)
  readSource(state, S_SLOTS + SLOT_SIZE, out.sources[1], 1)
  out.bodyValid = state[S_BODY_VALID] === 1
  if (out.bodyValid) {
    const body = out.body
    for (let j = 0; j < BODY_JOINT_COUNT; j++) {
      const o = j * BODY_JOINT_STRIDE
      const s = S_BODY + o
      body[o] = state[s] / 1000
      body[o + 1] = state[s + 1] / 1000
      body[o + 2] = state[s + 2] / 1000
      readQuaternion(state, s + 3, body, o + 3)
    }
  }
}

/**
 * Decodes one frame into a preallocated snapshot: applies the deltas to `state`, then
 * dequantises and re-normalises quaternions. Frames must be decoded in order from a keyframe.
 */
export function decodeFrame(frame: EncodedFrame, state: FrameState, keyframe: boolean, index: number, out: XRInputSnapshot): void {
  applyEncodedFrame(frame, state, keyframe)
  readFrameState(state, index, out)
}

/** Quantised time (0.1 ms units) held in a state. */
export function frameStateTime(state: FrameState): number {
  return state[S_TIME]
}

/**
 * Times in ms of every frame of a (validated) recording, computed once at load so players can
 * seek by time and drive clocks without decoding poses.
 */
export function computeFrameTimes(recording: Recording): Float64Array {
  const frames = recording.frames
  const interval = recording.meta.keyframeInterval
  const times = new Float64Array(frames.length)
  let t = 0
  for (let i = 0; i < frames.length; i++) {
    const v = frames[i][FRAME_TIME] as number
    t = isKeyframe(i, interval) ? v : t + v
    times[i] = t / 10
  }
  return times
}

/** Random access to decoded frames with a single reusable state; see {@link createFrameCursor}. */
export interface FrameCursor {
  /** Index of the frame the state currently holds, -1 before the first move. */
  readonly index: number
  /** The decoded quantised state of frame {@link index}. */
  readonly state: FrameState
  /** Makes the state hold frame `index`: steps forward, or restarts from the nearest keyframe. */
  moveTo(index: number): void
}

/**
 * Creates a cursor over a validated recording. Moving forward by one decodes one frame; moving
 * backwards or far ahead restarts at the nearest keyframe, so cost is bounded by the interval.
 */
export function createFrameCursor(recording: Recording): FrameCursor {
  const frames = recording.frames
  const interval = recording.meta.keyframeInterval
  const state = createFrameState()
  let index = -1
  return {
    get index() {
      return index
    },
    state,
    moveTo(target) {
      if (target === index) return
      const keyframe = target - (target % interval)
      if (target < index || index < keyframe) index = keyframe - 1
      while (index < target) {
        index++
        applyEncodedFrame(frames[index], state, isKeyframe(index, interval))
      }
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------------

/** Metadata the caller supplies; the rest is filled with defaults. */
export interface RecordingMetaInput {
  /** See {@link RecordingMeta.device}. */
  device: string
  /** See {@link RecordingMeta.appVersion}. */
  appVersion: string
  /** See {@link RecordingMeta.experience}. */
  experience: Experience
  /** See {@link RecordingMeta.seed}. */
  seed: number
  /** ISO 8601 start time; the caller reads the wall clock, the core never does. */
  recordedAt: string
  /** See {@link RecordingMeta.frameRate}. */
  frameRate: number
  /** See {@link RecordingMeta.mode}. */
  mode: RecordingMode
  /** Defaults to false. */
  synthetic?: boolean
  /** Defaults to ''. */
  description?: string
  /** Defaults to {@link DEFAULT_KEYFRAME_INTERVAL}. */
  keyframeInterval?: number
}

/** One keyframe per 72 frames: about one per second on Quest, cheap, and seeks stay instant. */
export const DEFAULT_KEYFRAME_INTERVAL = 72
/** Frames per persisted chunk by default (about 4 s at 72 Hz, 100–600 KB). */
export const DEFAULT_CHUNK_SIZE = 300

/** Builds full metadata from caller input plus the format's constants (quantisation, body joints). */
export function createRecordingMeta(input: RecordingMetaInput): RecordingMeta {
  return {
    device: input.device,
    appVersion: input.appVersion,
    experience: input.experience,
    seed: input.seed >>> 0,
    synthetic: input.synthetic ?? false,
    description: input.description ?? '',
    recordedAt: input.recordedAt,
    frameRate: input.frameRate,
    mode: input.mode,
    keyframeInterval: input.keyframeInterval ?? DEFAULT_KEYFRAME_INTERVAL,
    quantization: { ...QUANTIZATION },
    bodyJoints: [...XR_BODY_JOINTS],
  }
}

/**
 * A slice of a recording persisted on its own (IndexedDB in the browser layer). Chunks carry the
 * meta so any surviving set can be reassembled after a crash with {@link assembleRecording}.
 */
export interface RecordingChunk {
  /** Always {@link RECORDING_CHUNK_FORMAT}. */
  format: typeof RECORDING_CHUNK_FORMAT
  /**
   * {@link RECORDING_VERSION}; chunks an earlier app version left in storage say
   * {@link RECORDING_VERSION_1} and are still assembled (their frames are version 2 frames).
   */
  version: typeof RECORDING_VERSION | typeof RECORDING_VERSION_1
  /** 0, 1, 2, ... in the order chunks were taken. */
  index: number
  /** Absolute index of `frames[0]` within the recording. */
  firstFrame: number
  /** Session metadata (identical in every chunk of a recording). */
  meta: RecordingMeta
  /** Encoded frames `firstFrame .. firstFrame + frames.length - 1`. */
  frames: EncodedFrame[]
  /** Events appended since the previous chunk. */
  events: RecordingEvent[]
}

/** Incremental recorder output; see {@link createRecordingBuilder}. */
export interface RecordingBuilder {
  /** The metadata every chunk and the final recording carry. */
  readonly meta: RecordingMeta
  /** Frames appended so far. */
  readonly frameCount: number
  /** Time of the last appended frame, ms since the first. */
  readonly durationMs: number
  /**
   * Length of `JSON.stringify(build())` (no `timing`), kept exact as frames and events are
   * appended without serialising anything, so a recorder can stay under the player's size limit.
   */
  readonly jsonBytes: number
  /** Encodes and appends one frame; returns its index. Times are made relative to the first frame. */
  appendFrame(snapshot: XRInputSnapshot): number
  /** Appends an app event at the most recently appended frame (frame 0 before any frame). */
  appendEvent(type: string, data?: JsonValue): RecordingEvent
  /**
   * Takes the next chunk of up to `chunkSize` not-yet-chunked frames (plus events since the last
   * chunk). Returns null until a full chunk is pending, unless `flush` is true (call with flush
   * when recording stops or the page is hidden). Call in a loop: `while ((c = b.chunk())) save(c)`.
   */
  chunk(flush?: boolean): RecordingChunk | null
  /** The whole recording so far (including already-chunked frames); the builder stays usable. */
  build(): Recording
}

/** Options of {@link createRecordingBuilder}. */
export interface RecordingBuilderOptions {
  /** Frames per chunk, default {@link DEFAULT_CHUNK_SIZE}. */
  chunkSize?: number
}

// JSON length of a number without building its string (frames hold integers; others are rare).
function numberJsonLength(n: number): number {
  if (!Number.isFinite(n)) return 4 // null
  if (!Number.isInteger(n) || Math.abs(n) >= 1e21) return JSON.stringify(n).length
  let length = n < 0 ? 2 : 1
  for (let v = Math.abs(n); v >= 10; v = Math.floor(v / 10)) length++
  return length
}

/** Length of `JSON.stringify(frame)` for an encoded frame, computed without allocating. */
export function encodedFrameJsonLength(frame: EncodedFrame): number {
  let length = 1 + (frame.length > 0 ? frame.length - 1 : 0) + 1
  for (let i = 0; i < frame.length; i++) {
    const v = frame[i]
    if (typeof v === 'number') {
      length += numberJsonLength(v)
    } else {
      length += 2 + (v.length > 0 ? v.length - 1 : 0)
      for (let k = 0; k < v.length; k++) length += numberJsonLength(v[k])
    }
  }
  return length
}

// Copy event data now so a later mutation by the caller cannot rewrite history, and so
// non-JSON values (NaN, functions, cycles) fail here rather than in a saved file.
function cloneJson(data: JsonValue | undefined): JsonValue | undefined {
  if (data === undefined) return undefined
  const text = JSON.stringify(data)
  return text === undefined ? undefined : (JSON.parse(text) as JsonValue)
}

/**
 * Creates an incremental recorder. The app calls `appendFrame` once per XR frame with the same
 * snapshot it feeds the simulation, `appendEvent` for app events, and persists `chunk()` results
 * as they become available so a crash loses at most one chunk.
 */
export function createRecordingBuilder(metaInput: RecordingMetaInput, options: RecordingBuilderOptions = {}): RecordingBuilder {
  const meta = createRecordingMeta(metaInput)
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new ReplayError(createReplayErrorInfo('bad-argument', `chunkSize must be a positive integer, got ${chunkSize}`, `chunkSize 必须是正整数，实际为 ${chunkSize}`))
  }
  if (!Number.isInteger(meta.keyframeInterval) || meta.keyframeInterval < 1) {
    throw new ReplayError(createReplayErrorInfo('bad-argument', `keyframeInterval must be a positive integer, got ${meta.keyframeInterval}`, `keyframeInterval 必须是正整数，实际为 ${meta.keyframeInterval}`))
  }
  const state = createFrameState()
  const frames: EncodedFrame[] = []
  const events: RecordingEvent[] = []
  let firstTimeMs = 0
  let lastUnits = 0
  let chunkIndex = 0
  let chunkedFrames = 0
  let chunkedEvents = 0
  // JSON size of build(): the empty recording, plus each frame and event and the commas between.
  const emptyBytes = JSON.stringify({ format: RECORDING_FORMAT, version: RECORDING_VERSION, meta, frames: [], events: [] }).length
  let frameBytes = 0
  let eventBytes = 0

  return {
    meta,
    get jsonBytes() {
      return emptyBytes + frameBytes + eventBytes
    },
    get frameCount() {
      return frames.length
    },
    get durationMs() {
      return lastUnits / 10
    },
    appendFrame(snapshot) {
      const index = frames.length
      if (index === 0) firstTimeMs = snapshot.timeMs
      let units = Math.round((snapshot.timeMs - firstTimeMs) * 10)
      // A live clock can hiccup backwards (or give NaN); clamp so the file stays monotonic and
      // valid instead of being rejected at replay time.
      if (!(units >= lastUnits)) units = lastUnits
      if (units > LIMITS.time) units = LIMITS.time
      lastUnits = units
      const encoded = encodeFrame(snapshot, state, isKeyframe(index, meta.keyframeInterval), units / 10)
      frames.push(encoded)
      frameBytes += encodedFrameJsonLength(encoded) + (index > 0 ? 1 : 0)
      return index
    },
    appendEvent(type, data) {
      const frame = frames.length === 0 ? 0 : frames.length - 1
      // lastUnits is the time of the last appended frame (0 before any frame).
      const event: RecordingEvent = { frame, t: lastUnits / 10, type }
      const copy = cloneJson(data)
      if (copy !== undefined) event.data = copy
      eventBytes += JSON.stringify(event).length + (events.length > 0 ? 1 : 0)
      events.push(event)
      return event
    },
    chunk(flush = false) {
      const pendingFrames = frames.length - chunkedFrames
      const pendingEvents = events.length - chunkedEvents
      if (pendingFrames < chunkSize && !(flush && (pendingFrames > 0 || pendingEvents > 0))) return null
      const count = Math.min(pendingFrames, chunkSize)
      const end = chunkedFrames + count
      // Events belong to the chunk that contains (or follows) their frame.
      let eventEnd = chunkedEvents
      while (eventEnd < events.length && (events[eventEnd].frame < end || end === frames.length)) eventEnd++
      const chunk: RecordingChunk = {
        format: RECORDING_CHUNK_FORMAT,
        version: RECORDING_VERSION,
        index: chunkIndex++,
        firstFrame: chunkedFrames,
        meta,
        frames: frames.slice(chunkedFrames, end),
        events: events.slice(chunkedEvents, eventEnd),
      }
      chunkedFrames = end
      chunkedEvents = eventEnd
      return chunk
    },
    build() {
      return {
        format: RECORDING_FORMAT,
        version: RECORDING_VERSION,
        meta: { ...meta, quantization: { ...meta.quantization }, bodyJoints: [...meta.bodyJoints] },
        frames: frames.slice(),
        events: events.slice(),
      }
    },
  }
}

// A chunk as the recorder wrote it: anything else (null, a half-written record) counts as missing.
function isWholeChunk(c: unknown): c is RecordingChunk {
  if (c === null || typeof c !== 'object') return false
  const chunk = c as Partial<Record<keyof RecordingChunk, unknown>>
  return (
    chunk.format === RECORDING_CHUNK_FORMAT &&
    (chunk.version === RECORDING_VERSION || chunk.version === RECORDING_VERSION_1) &&
    Number.isSafeInteger(chunk.index) &&
    (chunk.index as number) >= 0 &&
    Number.isSafeInteger(chunk.firstFrame) &&
    chunk.meta !== null &&
    typeof chunk.meta === 'object' &&
    !Array.isArray(chunk.meta) &&
    Array.isArray(chunk.frames) &&
    Array.isArray(chunk.events) &&
    chunk.events.every((e: unknown) => e !== null && typeof e === 'object' && Number.isSafeInteger((e as { frame?: unknown }).frame))
  )
}

/**
 * Rebuilds a recording from persisted chunks (any order). Used for crash recovery: it keeps the
 * longest gap-free run starting at frame 0, because frames after a missing chunk are deltas
 * against data that no longer exists. Validate the result before playing it.
 *
 * @throws ReplayError `bad-chunk` when there are no chunks, they are not chunks, or frame 0 is lost.
 */
export function assembleRecording(chunks: readonly RecordingChunk[]): Recording {
  // Storage can hand back anything (a half-written record, another version's shape): a chunk that
  // is not whole is treated as missing, so the gap rule below keeps the good prefix before it.
  const usable = (Array.isArray(chunks) ? chunks : []).filter(isWholeChunk)
  if (usable.length === 0) {
    throw new ReplayError(createReplayErrorInfo('bad-chunk', 'No recording chunks to assemble.', '没有可拼接的录制分块。'))
  }
  // The browser layer may save a chunk twice (retry after a failed transaction); keep one.
  const byIndex = new Map<number, RecordingChunk>()
  for (const c of usable) if (!byIndex.has(c.index)) byIndex.set(c.index, c)
  const sorted = [...byIndex.values()].sort((a, b) => a.index - b.index)
  if (sorted[0].firstFrame !== 0) {
    throw new ReplayError(createReplayErrorInfo('bad-chunk', `The first chunk (frame 0) is missing; earliest chunk starts at frame ${sorted[0].firstFrame}.`, `缺少第一个分块（第 0 帧）；最早的分块从第 ${sorted[0].firstFrame} 帧开始。`))
  }
  const frames: EncodedFrame[] = []
  const events: RecordingEvent[] = []
  for (const chunk of sorted) {
    // A gap (or overlap) ends the usable prefix.
    if (chunk.firstFrame !== frames.length) break
    for (const f of chunk.frames) frames.push(f)
    for (const e of chunk.events) events.push(e)
  }
  // Events pointing past the surviving frames would fail validation; drop them with the frames.
  const kept = events.filter((e) => e.frame < frames.length)
  kept.sort((a, b) => a.frame - b.frame)
  // A version 1 chunk's meta has no bodyJoints; its frames have no body, so the list is the same.
  const meta = sorted[0].meta
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    meta: { ...meta, quantization: { ...meta.quantization }, bodyJoints: [...XR_BODY_JOINTS] },
    frames,
    events: kept,
  }
}
