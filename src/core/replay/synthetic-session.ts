/**
 * Generated XR sessions for tests and headless CI: plausible head, controller and hand motion
 * from the seeded RNG, so the same options always give the same recording (marked
 * `synthetic: true`). Real captures from a Quest go in xr-sessions/ instead.
 */
import { createRng } from '../time/rng'
import {
  AXIS_COUNT,
  BUTTON_COUNT,
  HAND_JOINT_COUNT,
  JOINT_STRIDE,
  createInputSnapshot,
  resetInputSourceSnapshot,
  type InputSourceSnapshot,
  type XRInputSnapshot,
} from '../input/input-snapshot'
import { createRecordingBuilder, type Experience, type Recording, type RecordingMode } from './recording-format'
import { createSyntheticBodyPose, fillSyntheticBody, syntheticBodyEyeHeight } from './synthetic-body'

/** What the generated session contains. */
export interface SyntheticSessionOptions {
  /** Number of frames. */
  frames: number
  /** Input devices: two controllers, two tracked hands, or controllers that become hands halfway. */
  inputs: 'controllers' | 'hands' | 'mixed' | 'none'
  /** RNG seed for the motion noise; also stored as the session seed. Default 1. */
  seed?: number
  /** Frame rate in Hz, default 72. */
  frameRate?: number
  /** Experience, default 'hub'. */
  experience?: Experience
  /** Mode, default 'immersive-vr'. */
  mode?: RecordingMode
  /** Add a 'task-step' event every this many frames (0 = none). Default 0. */
  eventEvery?: number
  /** Keyframe interval override. */
  keyframeInterval?: number
  /** Frame-time jitter in ms (uniform ±), default 0.3 — real headsets are never exactly periodic. */
  jitterMs?: number
  /**
   * A tracked body (version 2): 'squat' (down and up every 2 s), 'walk' (in place, one stride per
   * second) or 'squat-walk' (first half walk, second half squats). The head follows the body's eye
   * point. Absent: no body, version 1-shaped frames.
   */
  body?: 'squat' | 'walk' | 'squat-walk'
}

const bodyPose = createSyntheticBodyPose()

/** Squat depth (0..1) and walk phase (NaN: not walking) of a synthetic body at time `t`. */
export function syntheticBodyMotion(kind: NonNullable<SyntheticSessionOptions['body']>, t: number, halfTime: number): { squat: number; stride: number } {
  const squatting = kind === 'squat' || (kind === 'squat-walk' && t >= halfTime)
  // Squats start standing (in 'squat-walk' from the moment walking stops): down and up every 2 s.
  const since = kind === 'squat' ? t : t - halfTime
  if (squatting) return { squat: 0.5 - 0.5 * Math.cos(Math.PI * since), stride: NaN }
  return { squat: 0, stride: 2 * Math.PI * t }
}

function setAxisAngle(out: Float32Array, offset: number, ax: number, ay: number, az: number, angle: number): void {
  const len = Math.sqrt(ax * ax + ay * ay + az * az) || 1
  const s = Math.sin(angle / 2) / len
  out[offset] = ax * s
  out[offset + 1] = ay * s
  out[offset + 2] = az * s
  out[offset + 3] = Math.cos(angle / 2)
}

function fillController(source: InputSourceSnapshot, side: number, t: number, noise: number): void {
  source.connected = true
  source.kind = 'controller'
  source.handedness = side === 0 ? 'left' : 'right'
  source.hasGamepad = true
  source.jointsValid = false
  const sign = side === 0 ? -1 : 1
  const p = source.targetRay.position
  p[0] = sign * 0.25 + 0.1 * Math.sin(t * 1.3 + side)
  p[1] = 1.2 + 0.08 * Math.sin(t * 2.1) + noise
  p[2] = -0.35 + 0.05 * Math.cos(t * 1.7)
  setAxisAngle(source.targetRay.orientation, 0, 1, sign * 0.3, 0.1, -0.6 + 0.4 * Math.sin(t * 0.9 + side))
  source.grip.position.set(p)
  source.grip.position[2] += 0.03
  setAxisAngle(source.grip.orientation, 0, 1, sign * 0.3, 0.1, 0.2 + 0.4 * Math.sin(t * 0.9 + side))
  const trigger = Math.max(0, Math.sin(t * 3 + side * 1.5))
  for (let b = 0; b < BUTTON_COUNT; b++) {
    const v = b === 0 ? trigger : b === 1 ? Math.max(0, Math.cos(t * 2)) : Math.sin(t * (b + 1)) > 0.7 ? 1 : 0
    source.buttons[b] = v
    source.pressed[b] = v > 0.5 ? 1 : 0
    source.touched[b] = v > 0.1 ? 1 : 0
  }
  for (let a = 0; a < AXIS_COUNT; a++) source.axes[a] = a < 2 ? 0 : Math.sin(t * (a + 0.5)) * 0.9
}

function fillHand(source: InputSourceSnapshot, side: number, t: number, noise: number): void {
  source.connected = true
  source.kind = 'hand'
  source.handedness = side === 0 ? 'left' : 'right'
  source.hasGamepad = false
  source.jointsValid = true
  const sign = side === 0 ? -1 : 1
  const wx = sign * 0.2 + 0.05 * Math.sin(t + side)
  const wy = 1.1 + 0.05 * Math.sin(t * 1.5) + noise
  const wz = -0.3
  const curl = 0.5 + 0.5 * Math.sin(t * 2 + side)
  const joints = source.joints
  for (let j = 0; j < HAND_JOINT_COUNT; j++) {
    const o = j * JOINT_STRIDE
    // Wrist, then 4 thumb + 5×4 finger joints laid out along fingers that curl over time.
    const finger = j === 0 ? -1 : j < 5 ? 0 : 1 + Math.floor((j - 5) / 5)
    const segment = j === 0 ? 0 : j < 5 ? j : ((j - 5) % 5) + 1
    joints[o] = wx + sign * (finger * 0.02 - 0.03)
    joints[o + 1] = wy + segment * 0.025 * (1 - curl * 0.5)
    joints[o + 2] = wz - segment * 0.02 * curl
    setAxisAngle(joints, o + 3, 1, 0, sign * 0.1 * finger, -curl * segment * 0.3)
    joints[o + 7] = j === 0 ? 0.02 : 0.012 - segment * 0.0015
  }
  source.targetRay.position[0] = wx
  source.targetRay.position[1] = wy + 0.05
  source.targetRay.position[2] = wz - 0.05
  setAxisAngle(source.targetRay.orientation, 0, 1, 0, 0, -0.5)
  source.grip.position[0] = wx
  source.grip.position[1] = wy
  source.grip.position[2] = wz
  setAxisAngle(source.grip.orientation, 0, 0, 0, 1, sign * 0.4)
}

/**
 * Fills `snapshot` with the synthetic state of frame `frame` (deterministic for a given seed,
 * frame and options); used by {@link createSyntheticRecording} and handy in tests.
 */
export function fillSyntheticSnapshot(snapshot: XRInputSnapshot, frame: number, options: SyntheticSessionOptions, noise = 0): void {
  const rate = options.frameRate ?? 72
  const t = frame / rate
  snapshot.frame = frame
  snapshot.mode = options.mode ?? 'immersive-vr'
  snapshot.frameRate = rate
  const head = snapshot.head
  head.position[0] = 0.05 * Math.sin(t * 0.7)
  head.position[1] = 1.6 + 0.02 * Math.sin(t * 1.1) + noise
  head.position[2] = 0.03 * Math.cos(t * 0.5)
  setAxisAngle(head.orientation, 0, 0.1, 1, 0, 0.6 * Math.sin(t * 0.4))
  snapshot.bodyValid = options.body !== undefined
  if (options.body) {
    const motion = syntheticBodyMotion(options.body, t, options.frames / rate / 2)
    fillSyntheticBody(snapshot.body, bodyPose, 0, 0, motion.squat, motion.stride)
    head.position[0] = 0
    head.position[1] = syntheticBodyEyeHeight(bodyPose) + noise
    head.position[2] = -0.08
    setAxisAngle(head.orientation, 0, 0, 1, 0, 0.2 * Math.sin(t * 0.4))
  }
  for (let side = 0; side < 2; side++) {
    const source = snapshot.sources[side]
    const hands = options.inputs === 'hands' || (options.inputs === 'mixed' && frame >= options.frames / 2)
    if (options.inputs === 'none') {
      resetInputSourceSnapshot(source)
      source.handedness = side === 0 ? 'left' : 'right'
    } else if (hands) fillHand(source, side, t, noise)
    else fillController(source, side, t, noise)
  }
}

/** Generates a synthetic recording; same options, same recording. */
export function createSyntheticRecording(options: SyntheticSessionOptions): Recording {
  const seed = options.seed ?? 1
  const rate = options.frameRate ?? 72
  const rng = createRng(seed)
  const builder = createRecordingBuilder({
    device: 'synthetic',
    appVersion: '0.0.0-synthetic',
    experience: options.experience ?? 'hub',
    seed,
    synthetic: true,
    description: `synthetic ${options.inputs} session${options.body ? ` with a ${options.body} body` : ''}, ${options.frames} frames`,
    recordedAt: '2025-01-01T00:00:00.000Z',
    frameRate: rate,
    mode: options.mode ?? 'immersive-vr',
    ...(options.keyframeInterval === undefined ? {} : { keyframeInterval: options.keyframeInterval }),
  })
  const snapshot = createInputSnapshot()
  const jitter = options.jitterMs ?? 0.3
  for (let f = 0; f < options.frames; f++) {
    fillSyntheticSnapshot(snapshot, f, options, rng.range(-0.001, 0.001))
    snapshot.timeMs = 1000 + (f * 1000) / rate + (f === 0 ? 0 : rng.range(-jitter, jitter))
    builder.appendFrame(snapshot)
    if (options.eventEvery && f % options.eventEvery === 0) builder.appendEvent('task-step', { step: f / options.eventEvery })
  }
  return builder.build()
}
