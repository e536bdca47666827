/**
 * Conversion between Lingjing recordings and IWER's ActionRecorder / ActionPlayer JSON
 * (`{ schema: [[index, InputSchema], ...], frames: [...] }`, iwer 2.x). This lets a session
 * captured with IWER's own recorder become a Lingjing recording, and lets IWER's ActionPlayer
 * (and its DevUI) play our recordings in the desktop emulator.
 *
 * IWER frame layout, as written by ActionRecorder.compressActionFrame:
 *   [timeStampMs, headPos×3 (m), headQuat×4, ...inputs]
 *   input = [schemaIndex, rayPos×3, rayQuat×4, grip?[7], hand?[25×8], gamepad?[...buttons, ...axes]]
 *   where grip/hand/gamepad are present when the schema says hasGrip/hasHand/hasGamepad, a button
 *   is [pressed 0|1, touched 0|1, value] or null, and hand joints are relative to the target ray.
 *
 * What does not survive the trip: IWER has no session mode, frame rate, app events or seed (they
 * come from `meta` on import and are dropped on export); IWER rounds to 1e-3 (m, quaternion) on
 * its own recordings; more than 7 buttons / 4 axes are cut.
 */
import {
  AXIS_COUNT,
  BUTTON_COUNT,
  HAND_JOINT_COUNT,
  JOINT_STRIDE,
  XR_HAND_JOINTS,
  copyPose,
  createInputSnapshot,
  resetInputSourceSnapshot,
  type InputSourceSnapshot,
  type XRInputSnapshot,
} from '../input/input-snapshot'
import { createFrameCursor, createRecordingBuilder, readFrameState, type Recording, type RecordingMetaInput } from './recording-format'
import { ReplayError, createReplayErrorInfo } from './replay-error'
import { requireValidRecording } from './validate-recording'

/** IWER's per-input-source schema (ActionRecorder's InputSchema). */
export interface IwerInputSchema {
  /** 'left' | 'right' | 'none'. */
  handedness: XRHandedness
  /** Usually 'tracked-pointer'. */
  targetRayMode: XRTargetRayMode
  /** WebXR input profile ids. */
  profiles: string[]
  /** Whether frames carry a grip transform. */
  hasGrip: boolean
  /** Whether frames carry 25 joint transforms. */
  hasHand: boolean
  /** Joint order of the hand array. */
  jointSequence?: XRHandJoint[]
  /** Whether frames carry gamepad data. */
  hasGamepad: boolean
  /** Gamepad mapping: 'xr-standard' or ''. */
  mapping?: string
  /** Buttons per gamepad entry. */
  numButtons?: number
  /** Axes per gamepad entry. */
  numAxes?: number
}

/** IWER's serialised recording (ActionRecorder.getRecording(), ActionPlayer's input). */
export interface IwerRecording {
  /** `[index, schema]` pairs. */
  schema: [number, IwerInputSchema][]
  /** Compressed frames (see the module comment). */
  frames: unknown[][]
}

/** Metadata for an imported IWER recording: IWER stores none, so the caller supplies it. */
export type IwerImportMeta = Omit<RecordingMetaInput, 'frameRate' | 'mode'> & Partial<Pick<RecordingMetaInput, 'frameRate' | 'mode'>>

const CONTROLLER_PROFILES = ['oculus-touch-v3', 'oculus-touch', 'generic-trigger-squeeze-thumbstick']
const HAND_PROFILES = ['generic-hand', 'generic-hand-select']

function fail(code: 'wrong-format' | 'bad-frame' | 'empty' | 'missing-field', en: string, zh: string, path?: string): never {
  throw new ReplayError(createReplayErrorInfo(code, en, zh, path))
}

// --- small quaternion helpers (conversion runs once per file, so clarity beats speed) --------

type Vec = Float64Array
const qa = new Float64Array(4)
const qb = new Float64Array(4)
const va = new Float64Array(3)

/** out = a ⊗ b (Hamilton product, x y z w). */
function quatMultiply(a: ArrayLike<number>, b: ArrayLike<number>, out: Vec): void {
  const ax = a[0], ay = a[1], az = a[2], aw = a[3]
  const bx = b[0], by = b[1], bz = b[2], bw = b[3]
  out[0] = aw * bx + ax * bw + ay * bz - az * by
  out[1] = aw * by - ax * bz + ay * bw + az * bx
  out[2] = aw * bz + ax * by - ay * bx + az * bw
  out[3] = aw * bw - ax * bx - ay * by - az * bz
}

/** out = q · v · q⁻¹ for a unit quaternion q. */
function rotateVector(q: ArrayLike<number>, v: ArrayLike<number>, out: Vec): void {
  const x = q[0], y = q[1], z = q[2], w = q[3]
  const vx = v[0], vy = v[1], vz = v[2]
  // t = 2 (q.xyz × v); v' = v + w t + q.xyz × t
  const tx = 2 * (y * vz - z * vy)
  const ty = 2 * (z * vx - x * vz)
  const tz = 2 * (x * vy - y * vx)
  out[0] = vx + w * tx + (y * tz - z * ty)
  out[1] = vy + w * ty + (z * tx - x * tz)
  out[2] = vz + w * tz + (x * ty - y * tx)
}

const r1 = (v: number) => Math.round(v * 10) / 10 + 0
const r3 = (v: number) => Math.round(v * 1000) / 1000 + 0
const r4 = (v: number) => Math.round(v * 10000) / 10000 + 0

function finiteNumbers(value: unknown, length: number, offset = 0): value is number[] {
  if (!Array.isArray(value) || value.length < offset + length) return false
  for (let i = offset; i < offset + length; i++) if (typeof value[i] !== 'number' || !Number.isFinite(value[i])) return false
  return true
}

// ---------------------------------------------------------------------------------------------
// IWER -> Lingjing
// ---------------------------------------------------------------------------------------------

function readIwerSchema(value: unknown): Map<number, IwerInputSchema> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('wrong-format', 'An IWER recording must be an object with "schema" and "frames".', 'IWER 录制应为包含 "schema" 和 "frames" 的对象。')
  }
  const obj = value as Record<string, unknown>
  if (!Array.isArray(obj.schema)) fail('missing-field', 'The IWER recording has no "schema" array.', 'IWER 录制缺少 "schema" 数组。', 'schema')
  if (!Array.isArray(obj.frames)) fail('missing-field', 'The IWER recording has no "frames" array.', 'IWER 录制缺少 "frames" 数组。', 'frames')
  if (obj.frames.length === 0) fail('empty', 'The IWER recording has no frames.', 'IWER 录制中没有任何帧。', 'frames')
  const schemas = new Map<number, IwerInputSchema>()
  obj.schema.forEach((entry: unknown, i: number) => {
    const ok =
      Array.isArray(entry) &&
      typeof entry[0] === 'number' &&
      typeof entry[1] === 'object' &&
      entry[1] !== null &&
      typeof (entry[1] as IwerInputSchema).hasHand === 'boolean'
    if (!ok) fail('wrong-format', `IWER schema entry ${i} is not [index, InputSchema].`, `IWER schema 第 ${i} 项不是 [index, InputSchema]。`, `schema[${i}]`)
    schemas.set(entry[0] as number, entry[1] as IwerInputSchema)
  })
  return schemas
}

function estimateFrameRate(frames: unknown[][]): number {
  const deltas: number[] = []
  for (let i = 1; i < frames.length && deltas.length < 1000; i++) {
    const d = (frames[i][0] as number) - (frames[i - 1][0] as number)
    if (d > 0) deltas.push(d)
  }
  if (deltas.length === 0) return 72
  deltas.sort((a, b) => a - b)
  const hz = Math.round(1000 / deltas[deltas.length >> 1])
  return hz < 1 ? 1 : hz > 1000 ? 1000 : hz
}

function jointOrder(schema: IwerInputSchema): number[] {
  const seq = schema.jointSequence
  if (!Array.isArray(seq) || seq.length !== HAND_JOINT_COUNT) return XR_HAND_JOINTS.map((_, i) => i)
  return seq.map((name, i) => {
    const j = (XR_HAND_JOINTS as readonly string[]).indexOf(name)
    return j < 0 ? i : j
  })
}

function setPose7(target: { position: Float32Array; orientation: Float32Array }, src: ArrayLike<number>, offset: number): void {
  target.position[0] = src[offset]
  target.position[1] = src[offset + 1]
  target.position[2] = src[offset + 2]
  target.orientation[0] = src[offset + 3]
  target.orientation[1] = src[offset + 4]
  target.orientation[2] = src[offset + 5]
  target.orientation[3] = src[offset + 6]
}

function readIwerInput(slot: InputSourceSnapshot, schema: IwerInputSchema, input: unknown[], order: number[], path: string): void {
  if (!finiteNumbers(input, 7, 1)) fail('bad-frame', `IWER input ${path} has no valid target-ray transform.`, `IWER 输入 ${path} 缺少有效的指向射线变换。`, path)
  slot.connected = true
  slot.handedness = schema.handedness === 'left' || schema.handedness === 'right' ? schema.handedness : 'none'
  slot.kind = schema.hasHand ? 'hand' : 'controller'
  setPose7(slot.targetRay, input as number[], 1)
  // IWER rounds quaternions to 1e-3; re-normalise before using the ray to place joints.
  const o = slot.targetRay.orientation
  const len = Math.hypot(o[0], o[1], o[2], o[3]) || 1
  for (let i = 0; i < 4; i++) o[i] /= len
  let k = 8
  if (schema.hasGrip) {
    const grip = input[k++]
    if (finiteNumbers(grip, 7)) setPose7(slot.grip, grip, 0)
    else copyPose(slot.grip, slot.targetRay)
  } else copyPose(slot.grip, slot.targetRay)
  slot.jointsValid = false
  if (schema.hasHand) {
    const hand = input[k++]
    if (finiteNumbers(hand, HAND_JOINT_COUNT * JOINT_STRIDE)) {
      // IWER stores joints relative to the target ray; the snapshot holds them in the reference space.
      const ray = slot.targetRay
      for (let i = 0; i < HAND_JOINT_COUNT; i++) {
        const src = i * JOINT_STRIDE
        const dst = order[i] * JOINT_STRIDE
        rotateVector(ray.orientation, [hand[src], hand[src + 1], hand[src + 2]], va)
        slot.joints[dst] = va[0] + ray.position[0]
        slot.joints[dst + 1] = va[1] + ray.position[1]
        slot.joints[dst + 2] = va[2] + ray.position[2]
        quatMultiply(ray.orientation, [hand[src + 3], hand[src + 4], hand[src + 5], hand[src + 6]], qa)
        slot.joints.set(qa, dst + 3)
        slot.joints[dst + 7] = hand[src + 7]
      }
      slot.jointsValid = true
    }
  }
  slot.hasGamepad = false
  if (schema.hasGamepad) {
    const pad = input[k]
    if (Array.isArray(pad)) {
      slot.hasGamepad = true
      const numButtons = schema.numButtons ?? 0
      for (let b = 0; b < BUTTON_COUNT; b++) {
        const button = b < numButtons ? pad[b] : null
        const ok = finiteNumbers(button, 3)
        slot.pressed[b] = ok && button[0] ? 1 : 0
        slot.touched[b] = ok && button[1] ? 1 : 0
        slot.buttons[b] = ok ? button[2] : 0
      }
      for (let a = 0; a < AXIS_COUNT; a++) {
        const v = pad[numButtons + a]
        slot.axes[a] = typeof v === 'number' && Number.isFinite(v) ? v : 0
      }
    }
  }
}

/**
 * Converts an IWER ActionRecorder recording (object or its JSON text) into a Lingjing recording.
 * Frame rate defaults to the median frame interval, mode to 'immersive-vr'.
 *
 * @throws ReplayError when the IWER data is malformed.
 */
export function fromIwerRecording(iwer: unknown, meta: IwerImportMeta): Recording {
  let value = iwer
  if (typeof iwer === 'string') {
    try {
      value = JSON.parse(iwer)
    } catch {
      fail('wrong-format', 'The IWER recording is not valid JSON.', 'IWER 录制不是有效的 JSON。')
    }
  }
  const schemas = readIwerSchema(value)
  const frames = (value as IwerRecording).frames
  for (let f = 0; f < frames.length; f++) {
    if (!finiteNumbers(frames[f], 8)) fail('bad-frame', `IWER frame ${f} lacks a time stamp and head transform.`, `IWER 第 ${f} 帧缺少时间戳和头部变换。`, `frames[${f}]`)
  }
  const frameRate = meta.frameRate ?? estimateFrameRate(frames)
  const mode = meta.mode ?? 'immersive-vr'
  const builder = createRecordingBuilder({ ...meta, frameRate, mode })
  const orders = new Map<number, number[]>()
  for (const [index, schema] of schemas) orders.set(index, jointOrder(schema))

  const snapshot = createInputSnapshot()
  snapshot.mode = mode
  snapshot.frameRate = frameRate
  for (let f = 0; f < frames.length; f++) {
    const frame = frames[f] as number[] & unknown[]
    snapshot.timeMs = frame[0]
    setPose7(snapshot.head, frame, 1)
    const [left, right] = snapshot.sources
    resetInputSourceSnapshot(left)
    resetInputSourceSnapshot(right)
    left.handedness = 'left'
    right.handedness = 'right'
    for (let i = 8; i < frame.length; i++) {
      const input = frame[i] as unknown
      const path = `frames[${f}][${i}]`
      if (!Array.isArray(input)) fail('bad-frame', `IWER input ${path} is not an array.`, `IWER 输入 ${path} 不是数组。`, path)
      const schema = schemas.get(input[0] as number)
      if (!schema) fail('bad-frame', `IWER input ${path} refers to unknown source ${String(input[0])}.`, `IWER 输入 ${path} 引用了未知输入源 ${String(input[0])}。`, path)
      const slot = schema.handedness === 'left' ? left : schema.handedness === 'right' ? right : right.connected ? left : right
      if (slot.connected) continue
      readIwerInput(slot, schema, input, orders.get(input[0] as number) as number[], path)
    }
    builder.appendFrame(snapshot)
  }
  return builder.build()
}

// ---------------------------------------------------------------------------------------------
// Lingjing -> IWER
// ---------------------------------------------------------------------------------------------

function pose7(position: Float32Array, orientation: Float32Array): number[] {
  return [r3(position[0]), r3(position[1]), r3(position[2]), r4(orientation[0]), r4(orientation[1]), r4(orientation[2]), r4(orientation[3])]
}

function schemaFor(source: InputSourceSnapshot): IwerInputSchema {
  const hand = source.kind === 'hand'
  const schema: IwerInputSchema = {
    handedness: source.handedness,
    targetRayMode: 'tracked-pointer',
    profiles: (hand ? HAND_PROFILES : CONTROLLER_PROFILES).slice(),
    hasGrip: true,
    hasHand: hand,
    hasGamepad: source.hasGamepad,
  }
  if (hand) schema.jointSequence = XR_HAND_JOINTS.slice()
  if (source.hasGamepad) {
    schema.mapping = hand ? '' : 'xr-standard'
    schema.numButtons = BUTTON_COUNT
    schema.numAxes = AXIS_COUNT
  }
  return schema
}

function encodeIwerInput(index: number, source: InputSourceSnapshot): unknown[] {
  const out: unknown[] = [index, ...pose7(source.targetRay.position, source.targetRay.orientation)]
  out.push(pose7(source.grip.position, source.grip.orientation))
  if (source.kind === 'hand') {
    // Back into target-ray space, which is where IWER parents its joint spaces.
    const ray = source.targetRay
    qb[0] = -ray.orientation[0]
    qb[1] = -ray.orientation[1]
    qb[2] = -ray.orientation[2]
    qb[3] = ray.orientation[3]
    const hand: number[] = []
    for (let j = 0; j < HAND_JOINT_COUNT; j++) {
      const o = j * JOINT_STRIDE
      const d = source.joints
      rotateVector(qb, [d[o] - ray.position[0], d[o + 1] - ray.position[1], d[o + 2] - ray.position[2]], va)
      quatMultiply(qb, d.subarray(o + 3, o + 7), qa)
      hand.push(r4(va[0]), r4(va[1]), r4(va[2]), r4(qa[0]), r4(qa[1]), r4(qa[2]), r4(qa[3]), r4(d[o + 7]))
    }
    out.push(hand)
  }
  if (source.hasGamepad) {
    const pad: unknown[] = []
    for (let b = 0; b < BUTTON_COUNT; b++) pad.push([source.pressed[b], source.touched[b], r4(source.buttons[b])])
    for (let a = 0; a < AXIS_COUNT; a++) pad.push(r4(source.axes[a]))
    out.push(pad)
  }
  return out
}

/**
 * Converts a Lingjing recording into IWER ActionPlayer JSON. Each (slot, kind, gamepad) combination
 * becomes one IWER input source, so a controller→hand switch plays as one source leaving and
 * another arriving. Hands without tracked joints in a frame are left out of that frame (IWER then
 * reports the source as inactive), because IWER requires joints in every hand frame.
 *
 * @throws ReplayError when `recording` is not valid.
 */
export function toIwerRecording(recording: unknown): IwerRecording {
  const valid = requireValidRecording(recording)
  const cursor = createFrameCursor(valid)
  const snapshot: XRInputSnapshot = createInputSnapshot()
  const schema: [number, IwerInputSchema][] = []
  const indices = new Map<number, number>()
  const frames: unknown[][] = []
  for (let f = 0; f < valid.frames.length; f++) {
    cursor.moveTo(f)
    readFrameState(cursor.state, f, snapshot)
    const frame: unknown[] = [r1(snapshot.timeMs), ...pose7(snapshot.head.position, snapshot.head.orientation)]
    for (let s = 0; s < 2; s++) {
      const source = snapshot.sources[s]
      if (!source.connected) continue
      if (source.kind === 'hand' && !source.jointsValid) continue
      const key = s * 4 + (source.kind === 'hand' ? 2 : 0) + (source.hasGamepad ? 1 : 0)
      let index = indices.get(key)
      if (index === undefined) {
        index = schema.length
        indices.set(key, index)
        schema.push([index, schemaFor(source)])
      }
      frame.push(encodeIwerInput(index, source))
    }
    frames.push(frame)
  }
  return { schema, frames }
}
