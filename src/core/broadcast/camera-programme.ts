/**
 * Camera programmes for re-shoots: which camera is on air when, for a recorded take rendered again.
 *
 * ```json
 * { "format": "lingjing-camera-programme", "version": 1, "preset": "720p", "fps": 30,
 *   "cuts": [ { "at": 0, "camera": "wide" }, { "at": 1.5, "camera": "close-up", "transition": "dip" } ] }
 * ```
 *
 * - `at`: seconds of session time since the replay's first recorded frame (not frame numbers: a
 *   programme then fits any take of the same performance, whatever its frame rate). The first cut
 *   is at 0 and opens the take (a plain cut); later cuts come strictly later.
 * - `camera`: a studio camera id; `transition`: `cut` (default), `dip` or `move`; `duration`: the
 *   transition's length in seconds (default 0.6, like the live switcher; ignored for `cut`).
 * - `preset`: `720p` (1280×720), `540p` (960×540) or `360p` (640×360); `fps`: an integer 1–60.
 *
 * Everything is checked up front ({@link validateCameraProgramme}), so a bad file fails loudly
 * before anything renders. The timeline maths ({@link createReshootTimeline}) says which recorded
 * frame each output frame is rendered from: output frame n shows session time n/fps and is
 * rendered from the recorded frame current at that time. Times are compared in integers (0.1 ms
 * units, as recordings store them), so nothing drifts over a long take.
 */
import type { LocalizedMessage } from '../replay/replay-error'
import { PROGRAMME_PRESETS, programmePresetSize, type ProgrammePreset } from './programme-levels'
import { TRANSITIONS, type TransitionKind } from './switcher'

/** The `format` value of a camera programme file. */
export const CAMERA_PROGRAMME_FORMAT = 'lingjing-camera-programme'

/** A preset name: the re-shoot offers the live programme's presets. */
export type ReshootPreset = ProgrammePreset

/** Output sizes of the re-shoot presets, read from the live programme's one table (programme-levels.ts). */
export const RESHOOT_PRESETS = Object.fromEntries(
  (Object.keys(PROGRAMME_PRESETS) as ReshootPreset[]).map((preset) => [preset, programmePresetSize(preset)]),
) as Readonly<Record<ReshootPreset, { readonly width: number; readonly height: number }>>

/** Highest output frame rate accepted. */
export const MAX_PROGRAMME_FPS = 60

/** Default transition length, s (the live switcher's). */
export const DEFAULT_TRANSITION_S = 0.6

/** One cut of a programme (validated). */
export interface ProgrammeCut {
  /** Seconds of session time since the first recorded frame. */
  at: number
  camera: string
  transition: TransitionKind
  /** Transition length, s (0 for a cut). */
  duration: number
}

/** A validated camera programme. */
export interface CameraProgramme {
  format: typeof CAMERA_PROGRAMME_FORMAT
  version: 1
  preset: ReshootPreset
  fps: number
  cuts: ProgrammeCut[]
}

/** Why a programme was refused. */
export interface ProgrammeError {
  code: 'not-json' | 'wrong-format' | 'unknown-version' | 'missing-field' | 'bad-field' | 'bad-cut' | 'unknown-camera' | 'time-order' | 'after-end'
  message: LocalizedMessage
  /** Where in the file (`cuts[2].camera`). */
  path: string
}

/** The outcome of {@link validateCameraProgramme}. */
export type ProgrammeValidation = { ok: true; programme: CameraProgramme } | { ok: false; error: ProgrammeError }

const TOP_KEYS = ['format', 'version', 'preset', 'fps', 'cuts']
const CUT_KEYS = ['at', 'camera', 'transition', 'duration']

function fail(code: ProgrammeError['code'], path: string, en: string, zh: string): { ok: false; error: ProgrammeError } {
  return { ok: false, error: { code, path, message: { en, zh } } }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function unknownKey(value: Record<string, unknown>, known: readonly string[]): string | null {
  for (const key of Object.keys(value)) if (!known.includes(key)) return key
  return null
}

/**
 * Checks a programme (JSON text or a parsed value) against the cameras of the studio. Returns the
 * programme with defaults filled in, or the first problem with its path, in English and Chinese.
 */
export function validateCameraProgramme(input: string | unknown, cameraIds: readonly string[]): ProgrammeValidation {
  let value: unknown = input
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input)
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      return fail('not-json', '', `The camera programme is not JSON: ${detail}`, `机位脚本不是 JSON：${detail}`)
    }
  }
  if (!isRecord(value) || value.format !== CAMERA_PROGRAMME_FORMAT) {
    return fail(
      'wrong-format',
      'format',
      `This is not a camera programme: "format" must be "${CAMERA_PROGRAMME_FORMAT}".`,
      `这不是机位脚本："format" 必须是 "${CAMERA_PROGRAMME_FORMAT}"。`,
    )
  }
  if (value.version !== 1) {
    return fail('unknown-version', 'version', `Camera programme version ${JSON.stringify(value.version)} is not supported; this app reads version 1.`, `不支持机位脚本版本 ${JSON.stringify(value.version)}；本应用读取版本 1。`)
  }
  const extra = unknownKey(value, TOP_KEYS)
  if (extra !== null) {
    return fail('bad-field', extra, `Unknown field "${extra}"; a programme has ${TOP_KEYS.join(', ')}.`, `未知字段 "${extra}"；机位脚本的字段为 ${TOP_KEYS.join(', ')}。`)
  }
  const presets = Object.keys(RESHOOT_PRESETS)
  if (value.preset === undefined) return fail('missing-field', 'preset', `"preset" is missing (one of ${presets.join(', ')}).`, `缺少 "preset"（可选 ${presets.join(', ')}）。`)
  if (typeof value.preset !== 'string' || !presets.includes(value.preset)) {
    return fail('bad-field', 'preset', `Unknown preset ${JSON.stringify(value.preset)}; use one of ${presets.join(', ')}.`, `未知预设 ${JSON.stringify(value.preset)}；请使用 ${presets.join(', ')} 之一。`)
  }
  if (value.fps === undefined) return fail('missing-field', 'fps', `"fps" is missing (an integer 1–${MAX_PROGRAMME_FPS}).`, `缺少 "fps"（1–${MAX_PROGRAMME_FPS} 的整数）。`)
  if (typeof value.fps !== 'number' || !Number.isInteger(value.fps) || value.fps < 1 || value.fps > MAX_PROGRAMME_FPS) {
    return fail('bad-field', 'fps', `"fps" must be an integer from 1 to ${MAX_PROGRAMME_FPS}, got ${JSON.stringify(value.fps)}.`, `"fps" 必须是 1 到 ${MAX_PROGRAMME_FPS} 的整数，实际为 ${JSON.stringify(value.fps)}。`)
  }
  if (value.cuts === undefined) return fail('missing-field', 'cuts', '"cuts" is missing (a list of { "at", "camera" }).', '缺少 "cuts"（{ "at", "camera" } 的列表）。')
  if (!Array.isArray(value.cuts) || value.cuts.length === 0) {
    return fail('bad-field', 'cuts', '"cuts" must be a non-empty list; the first cut (at 0) says which camera opens the take.', '"cuts" 必须是非空列表；第一个切换（at 0）决定开场机位。')
  }
  const cuts: ProgrammeCut[] = []
  for (let i = 0; i < value.cuts.length; i++) {
    const raw: unknown = value.cuts[i]
    const at = `cuts[${i}]`
    if (!isRecord(raw)) return fail('bad-cut', at, `Cut ${i} must be an object like { "at": 1.5, "camera": "wide" }.`, `第 ${i} 个切换必须是 { "at": 1.5, "camera": "wide" } 这样的对象。`)
    const key = unknownKey(raw, CUT_KEYS)
    if (key !== null) return fail('bad-cut', `${at}.${key}`, `Cut ${i} has an unknown field "${key}"; a cut has ${CUT_KEYS.join(', ')}.`, `第 ${i} 个切换有未知字段 "${key}"；切换的字段为 ${CUT_KEYS.join(', ')}。`)
    if (typeof raw.at !== 'number' || !Number.isFinite(raw.at) || raw.at < 0) {
      return fail('bad-cut', `${at}.at`, `Cut ${i}: "at" must be a number of seconds ≥ 0, got ${JSON.stringify(raw.at)}.`, `第 ${i} 个切换："at" 必须是 ≥ 0 的秒数，实际为 ${JSON.stringify(raw.at)}。`)
    }
    if (i === 0 && raw.at !== 0) {
      return fail('time-order', `${at}.at`, `The first cut must be at 0 s (it opens the take), got ${raw.at} s.`, `第一个切换必须在 0 秒（开场机位），实际为 ${raw.at} 秒。`)
    }
    if (i > 0 && !(raw.at > cuts[i - 1].at)) {
      return fail('time-order', `${at}.at`, `Cut ${i} at ${raw.at} s is not after cut ${i - 1} at ${cuts[i - 1].at} s; times must increase.`, `第 ${i} 个切换（${raw.at} 秒）不晚于第 ${i - 1} 个（${cuts[i - 1].at} 秒）；时间必须递增。`)
    }
    if (typeof raw.camera !== 'string' || !cameraIds.includes(raw.camera)) {
      return fail(
        'unknown-camera',
        `${at}.camera`,
        `Cut ${i}: unknown camera ${JSON.stringify(raw.camera)}; the cameras are ${cameraIds.join(', ')}.`,
        `第 ${i} 个切换：未知机位 ${JSON.stringify(raw.camera)}；可用机位为 ${cameraIds.join(', ')}。`,
      )
    }
    if (i > 0 && raw.camera === cuts[i - 1].camera) {
      return fail('bad-cut', `${at}.camera`, `Cut ${i} takes ${raw.camera}, which is already on air since cut ${i - 1}.`, `第 ${i} 个切换选择 ${raw.camera}，但它自第 ${i - 1} 个切换起已在播出。`)
    }
    const transition = raw.transition ?? 'cut'
    if (typeof transition !== 'string' || !(TRANSITIONS as readonly string[]).includes(transition)) {
      return fail('bad-cut', `${at}.transition`, `Cut ${i}: unknown transition ${JSON.stringify(raw.transition)}; use ${TRANSITIONS.join(', ')}.`, `第 ${i} 个切换：未知转场 ${JSON.stringify(raw.transition)}；请使用 ${TRANSITIONS.join(', ')}。`)
    }
    if (i === 0 && transition !== 'cut') {
      return fail('bad-cut', `${at}.transition`, `The first cut opens the take and cannot have a transition (got ${transition}).`, `第一个切换是开场，不能带转场（实际为 ${transition}）。`)
    }
    const duration = raw.duration ?? DEFAULT_TRANSITION_S
    if (typeof duration !== 'number' || !Number.isFinite(duration) || duration <= 0 || duration > 10) {
      return fail('bad-cut', `${at}.duration`, `Cut ${i}: "duration" must be seconds in (0, 10], got ${JSON.stringify(raw.duration)}.`, `第 ${i} 个切换："duration" 必须是 (0, 10] 的秒数，实际为 ${JSON.stringify(raw.duration)}。`)
    }
    cuts.push({ at: raw.at, camera: raw.camera, transition: transition as TransitionKind, duration: transition === 'cut' ? 0 : duration })
  }
  return { ok: true, programme: { format: CAMERA_PROGRAMME_FORMAT, version: 1, preset: value.preset as ReshootPreset, fps: value.fps, cuts } }
}

/** Refuses a programme with a cut after the end of the session it re-shoots (it would never air). */
export function checkProgrammeFitsSession(programme: CameraProgramme, sessionDurationMs: number): ProgrammeError | null {
  const end = sessionDurationMs / 1000
  for (let i = 0; i < programme.cuts.length; i++) {
    const c = programme.cuts[i]
    if (i > 0 && c.at >= end) {
      return {
        code: 'after-end',
        path: `cuts[${i}].at`,
        message: {
          en: `Cut ${i} at ${c.at} s is not before the end of the session (${end.toFixed(3)} s); it would never be on air.`,
          zh: `第 ${i} 个切换（${c.at} 秒）不早于录制结束（${end.toFixed(3)} 秒），永远不会播出。`,
        },
      }
    }
  }
  return null
}

/** Which output frames each recorded frame produces; see {@link createReshootTimeline}. */
export interface ReshootTimeline {
  readonly fps: number
  /** Output frames in the video: ceil(duration · fps), at least 1. */
  readonly outputFrames: number
  /** Session duration (last recorded frame's time), ms. */
  readonly durationMs: number
  /** The recorded frame current at output frame n's time (n / fps). */
  replayFrameFor(n: number): number
  /** First output frame rendered from recorded frame k (inclusive). */
  firstOutputOf(k: number): number
  /** End of the output frames rendered from recorded frame k (exclusive). */
  endOutputOf(k: number): number
}

/** Output frame n's presentation time, µs (rounded once from n, so it never accumulates error). */
export function outputTimestampUs(n: number, fps: number): number {
  return Math.round((n * 1_000_000) / fps)
}

/**
 * Builds the timeline from the recorded frames' times (ms since the first frame, non-decreasing,
 * 0.1 ms resolution as stored). Output frame n shows time n/fps and comes from the last recorded
 * frame whose time is ≤ n/fps; recorded frame k therefore renders the output frames n with
 * t_k ≤ n/fps < t_{k+1} (none when several recorded frames fall between two output frames, several
 * when the recording is sparser than the output). Output frames stop before the last recorded
 * frame's time, so there are ceil(duration · fps) of them.
 */
export function createReshootTimeline(frameTimesMs: readonly number[], fps: number): ReshootTimeline {
  if (frameTimesMs.length === 0) throw new RangeError('a re-shoot needs at least one recorded frame')
  if (!Number.isInteger(fps) || fps < 1) throw new RangeError(`fps must be a positive integer, got ${fps}`)
  const t0 = frameTimesMs[0]
  // Integer tenths of a millisecond: output frame n is at n·10000/fps tenths.
  const q = frameTimesMs.map((t) => Math.round((t - t0) * 10))
  for (let k = 1; k < q.length; k++) if (q[k] < q[k - 1]) throw new RangeError(`recorded frame ${k} is earlier than frame ${k - 1}`)
  const last = q[q.length - 1]
  // Smallest n with n·10000 ≥ q·fps.
  const firstAt = (tenths: number) => Math.ceil((tenths * fps) / 10000)
  const outputFrames = Math.max(1, firstAt(last))
  const first = q.map((tenths) => Math.min(outputFrames, firstAt(tenths)))
  return {
    fps,
    outputFrames,
    durationMs: last / 10,
    replayFrameFor(n) {
      if (!(n >= 0 && n < outputFrames)) throw new RangeError(`output frame ${n} is outside 0..${outputFrames - 1}`)
      // Largest k with q_k·fps ≤ n·10000 (binary search: long takes have many frames).
      let lo = 0
      let hi = q.length - 1
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1
        if (q[mid] * fps <= n * 10000) lo = mid
        else hi = mid - 1
      }
      return lo
    },
    firstOutputOf(k) {
      return first[k]
    },
    endOutputOf(k) {
      return k + 1 < first.length ? first[k + 1] : outputFrames
    },
  }
}

/** A cut placed on the output timeline. */
export interface ScheduledCut {
  /** First output frame showing it: the first with n/fps ≥ at. */
  frame: number
  camera: string
  transition: TransitionKind
  durationMs: number
  /** How long before that frame's time the cut happened, ms (a transition is advanced by this). */
  leadMs: number
}

/** Places each cut on the output frames (cuts land exactly at `at`; transitions run from there). */
export function scheduleCuts(programme: CameraProgramme): ScheduledCut[] {
  const fps = programme.fps
  return programme.cuts.map((c) => {
    // A tolerance of a microsecond: 1.5 s at 30 fps is frame 45, not 46 after float rounding.
    const frame = Math.max(0, Math.ceil(c.at * fps - 1e-6))
    return { frame, camera: c.camera, transition: c.transition, durationMs: c.duration * 1000, leadMs: Math.max(0, (frame / fps - c.at) * 1000) }
  })
}

/**
 * FNV-1a (32 bit) over bytes, as 8 hex digits: the fingerprint of one output frame's raw RGBA, so
 * two renders can be compared frame by frame without keeping the pictures.
 */
export function hashFrameBytes(bytes: Uint8Array): string {
  let h = 0x811c9dc5
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(16).padStart(8, '0')
}
