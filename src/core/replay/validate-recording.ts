/**
 * Strict validation of a recording before anything plays it. Validate up front so a malformed
 * recording fails loudly here, with a specific bilingual message the app can show, instead of
 * crashing (or silently misbehaving) deep inside playback. The validator never throws: every
 * input, however broken, yields `{ ok: false, error }`.
 */
import { AXIS_COUNT, BODY_JOINT_STRIDE, BUTTON_COUNT, HAND_JOINT_COUNT, JOINT_STRIDE, XR_BODY_JOINTS, XR_HAND_JOINTS } from '../input/input-snapshot'
import {
  BODY_SEGMENT_LENGTH,
  EXPERIENCES,
  FRAME_BODY,
  FRAME_LENGTH,
  FRAME_LENGTH_WITH_BODY,
  FRAME_SOURCES,
  LIMITS,
  QUANTIZATION,
  RECORDING_FORMAT,
  RECORDING_MODES,
  RECORDING_VERSION,
  RECORDING_VERSION_1,
  SOURCE_BASE_LENGTH,
  SOURCE_JOINTS_BIT,
  SOURCE_JOINTS_LENGTH,
  TIMING_BASE_COLUMNS,
  TIMING_FORMAT,
  TIMING_LEVER_PREFIX,
  TIMING_LIMITS,
  TIMING_VERSION,
  isKeyframe,
  migrateRecording,
  sourceSegmentLength,
  type Recording,
  type RecordingV1,
} from './recording-format'
import { ReplayError, createReplayErrorInfo, type ReplayErrorCode, type ReplayErrorInfo } from './replay-error'

/** Default size limit: 20 MB is several minutes of two-hand tracking, and still loads on Quest. */
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024
/** Smallest possible encoded frame, `[0,0,0,0,0,0,0,0,0,0,0,0],` (used to bound parsed input). */
const MIN_FRAME_BYTES = 26
/** Max events per recording. */
export const MAX_EVENTS = 100_000
/** Max nesting depth of an event's `data`. */
export const MAX_EVENT_DATA_DEPTH = 16
/** Max values inside one event's `data`. */
export const MAX_EVENT_DATA_NODES = 10_000
/**
 * Longest string anywhere in a recording (a key or a value), in characters: the longest field the
 * format has is `meta.description` (2000); event data (expression names, task ids, the Tianhe
 * state) is far shorter. A 15 MB string is not a recording, it is a payload.
 */
export const MAX_STRING_CHARS = 4096

/** Options of {@link validateRecording}. */
export interface ValidateRecordingOptions {
  /** Reject text larger than this many UTF-8 bytes. Default {@link DEFAULT_MAX_BYTES}. */
  maxBytes?: number
  /** Reject more frames than this. Default: the most frames that could fit in `maxBytes`. */
  maxFrames?: number
}

/** Result of {@link validateRecording}. */
export type ValidationResult = { ok: true; recording: Recording } | { ok: false; error: ReplayErrorInfo }

// Recordings that passed validation; the player trusts these without re-checking every frame.
const validated = new WeakSet<object>()

/**
 * True when `value` is a recording object that {@link validateRecording} accepted. Mutating a
 * recording after validation is unsupported.
 */
export function isValidatedRecording(value: unknown): value is Recording {
  return typeof value === 'object' && value !== null && validated.has(value)
}

class Reject {
  constructor(readonly info: ReplayErrorInfo) {}
}

function reject(code: ReplayErrorCode, en: string, zh: string, path?: string): never {
  throw new Reject(createReplayErrorInfo(code, en, zh, path))
}

// ---------------------------------------------------------------------------------------------
// Text level: size, JSON syntax, truncation
// ---------------------------------------------------------------------------------------------

function utf8Length(text: string, stopAbove: number): number {
  let bytes = 0
  for (let i = 0; i < text.length && bytes <= stopAbove; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}

function formatMb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1)
}

/** Outcome of scanning text as JSON: complete, a cut-off prefix of valid JSON, or invalid at a position. */
interface JsonScan {
  status: 'complete' | 'prefix' | 'invalid'
  position: number
}

const PREFIX = -1
const INVALID = -2

/**
 * Decides whether text that JSON.parse rejected is a *truncated* document (a valid JSON prefix
 * cut off early, e.g. a crash mid-save) or genuinely not JSON, and where. Engine error messages
 * differ between browsers, so this scans the grammar itself. Iterative, so deep nesting is fine.
 */
function scanJson(text: string): JsonScan {
  const n = text.length
  const stack: number[] = [] // 1 = array, 2 = object
  const VALUE = 0, VALUE_OR_CLOSE = 1, KEY = 2, KEY_OR_CLOSE = 3, COLON = 4, COMMA_OR_CLOSE = 5
  let state = VALUE
  let done = false
  let i = 0
  let bad = 0

  const isDigit = (c: number) => c >= 48 && c <= 57
  const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)

  const scanString = (start: number): number => {
    let j = start + 1
    for (;;) {
      if (j >= n) return PREFIX
      const c = text.charCodeAt(j)
      if (c === 34) return j + 1
      if (c === 92) {
        j++
        if (j >= n) return PREFIX
        const e = text.charCodeAt(j)
        if (e === 117) {
          for (let k = 1; k <= 4; k++) {
            if (j + k >= n) return PREFIX
            if (!isHex(text.charCodeAt(j + k))) return ((bad = j + k), INVALID)
          }
          j += 5
        } else if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) j++
        else return ((bad = j), INVALID)
      } else if (c < 0x20) return ((bad = j), INVALID)
      else j++
    }
  }

  const scanNumber = (start: number): number => {
    let j = start
    if (text.charCodeAt(j) === 45) j++
    if (j >= n) return PREFIX
    const first = text.charCodeAt(j)
    if (first === 48) j++
    else if (isDigit(first)) while (j < n && isDigit(text.charCodeAt(j))) j++
    else return ((bad = j), INVALID)
    if (j < n && text.charCodeAt(j) === 46) {
      j++
      if (j >= n) return PREFIX
      if (!isDigit(text.charCodeAt(j))) return ((bad = j), INVALID)
      while (j < n && isDigit(text.charCodeAt(j))) j++
    }
    if (j < n && (text.charCodeAt(j) === 101 || text.charCodeAt(j) === 69)) {
      j++
      if (j >= n) return PREFIX
      if (text.charCodeAt(j) === 43 || text.charCodeAt(j) === 45) j++
      if (j >= n) return PREFIX
      if (!isDigit(text.charCodeAt(j))) return ((bad = j), INVALID)
      while (j < n && isDigit(text.charCodeAt(j))) j++
    }
    return j
  }

  const scanLiteral = (start: number, word: string): number => {
    for (let k = 0; k < word.length; k++) {
      if (start + k >= n) return PREFIX
      if (text.charCodeAt(start + k) !== word.charCodeAt(k)) return ((bad = start + k), INVALID)
    }
    return start + word.length
  }

  const afterValue = () => {
    if (stack.length === 0) done = true
    else state = COMMA_OR_CLOSE
  }

  for (;;) {
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === 32 || c === 9 || c === 10 || c === 13) i++
      else break
    }
    if (i >= n) return { status: done ? 'complete' : 'prefix', position: n }
    if (done) return { status: 'invalid', position: i }
    const c = text.charCodeAt(i)
    let next: number
    if (state === VALUE || state === VALUE_OR_CLOSE) {
      if (state === VALUE_OR_CLOSE && c === 93) {
        stack.pop()
        i++
        afterValue()
        continue
      }
      if (c === 91) {
        stack.push(1)
        state = VALUE_OR_CLOSE
        i++
        continue
      }
      if (c === 123) {
        stack.push(2)
        state = KEY_OR_CLOSE
        i++
        continue
      }
      if (c === 34) next = scanString(i)
      else if (c === 45 || isDigit(c)) next = scanNumber(i)
      else if (c === 116) next = scanLiteral(i, 'true')
      else if (c === 102) next = scanLiteral(i, 'false')
      else if (c === 110) next = scanLiteral(i, 'null')
      else return { status: 'invalid', position: i }
      if (next === PREFIX) return { status: 'prefix', position: n }
      if (next === INVALID) return { status: 'invalid', position: bad }
      i = next
      afterValue()
    } else if (state === KEY || state === KEY_OR_CLOSE) {
      if (state === KEY_OR_CLOSE && c === 125) {
        stack.pop()
        i++
        afterValue()
        continue
      }
      if (c !== 34) return { status: 'invalid', position: i }
      next = scanString(i)
      if (next === PREFIX) return { status: 'prefix', position: n }
      if (next === INVALID) return { status: 'invalid', position: bad }
      i = next
      state = COLON
    } else if (state === COLON) {
      if (c !== 58) return { status: 'invalid', position: i }
      i++
      state = VALUE
    } else {
      const top = stack[stack.length - 1]
      if (c === 44) {
        state = top === 1 ? VALUE : KEY
        i++
      } else if ((top === 1 && c === 93) || (top === 2 && c === 125)) {
        stack.pop()
        i++
        afterValue()
      } else return { status: 'invalid', position: i }
    }
  }
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: position - lineStart + 1 }
}

function describeChar(text: string, position: number): string {
  const c = text.charCodeAt(position)
  if (c >= 0x21 && c <= 0x7e) return `'${text[position]}'`
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`
}

function parseText(text: string, maxBytes: number, maxFrames: number): unknown {
  // Cheap bound first: every UTF-16 unit is at least one UTF-8 byte.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text, maxBytes) > maxBytes)) {
    const bytes = text.length > maxBytes ? text.length : utf8Length(text, Infinity)
    reject(
      'oversize',
      `The recording is ${formatMb(bytes)} MB, over the ${formatMb(maxBytes)} MB limit; record a shorter session or split it.`,
      `录制文件为 ${formatMb(bytes)} MB，超过 ${formatMb(maxBytes)} MB 的上限；请录制更短的会话或将其拆分。`,
    )
  }
  // Editors on Windows like to prepend a byte-order mark; it is not an error worth refusing.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  // A regex, not trim(): trim copies the whole text, 20 MB of it for a large file.
  if (/^\s*$/.test(body)) {
    reject('truncated', 'The recording file is empty (0 bytes of JSON); it was probably cut off while saving.', '录制文件为空（没有 JSON 内容），可能在保存时被中断。')
  }
  // Refuse what is too big in count before JSON.parse builds it on the main thread.
  prescanText(body, maxFrames)
  try {
    return JSON.parse(body)
  } catch (err) {
    const scan = scanJson(body)
    if (scan.status === 'prefix') {
      const { line, column } = lineAndColumn(body, body.length)
      reject(
        'truncated',
        `The recording ends unexpectedly after ${body.length} characters (line ${line}, column ${column}): the file is truncated, e.g. cut off while saving or downloading.`,
        `录制文件在第 ${body.length} 个字符处（第 ${line} 行第 ${column} 列）意外结束：文件被截断了，可能在保存或下载时中断。`,
      )
    }
    if (scan.status === 'invalid') {
      const { line, column } = lineAndColumn(body, scan.position)
      const ch = describeChar(body, scan.position)
      reject(
        'not-json',
        `The recording is not valid JSON: unexpected character ${ch} at line ${line}, column ${column} (character ${scan.position}).`,
        `录制文件不是有效的 JSON：第 ${line} 行第 ${column} 列（第 ${scan.position} 个字符）出现意外字符 ${ch}。`,
      )
    }
    const detail = err instanceof Error ? err.message : String(err)
    reject('not-json', `The recording is not valid JSON: ${detail}`, `录制文件不是有效的 JSON：${detail}`)
  }
}

// ---------------------------------------------------------------------------------------------
// Pre-scan: counts before JSON.parse builds anything
// ---------------------------------------------------------------------------------------------

/** One open array or object of the pre-scan, for the path of what it refuses. */
interface ScanLevel {
  array: boolean
  /** Index of the current element (arrays). */
  index: number
  /** The current key (objects); '' until the first key. */
  key: string
}

function scanPath(stack: readonly ScanLevel[]): string {
  let path = ''
  for (const level of stack) {
    if (level.array) path += `[${level.index}]`
    else if (level.key !== '') path += /^[A-Za-z_$][\w$]*$/.test(level.key) ? `${path ? '.' : ''}${level.key}` : `[${JSON.stringify(level.key.slice(0, 40))}]`
  }
  return path
}

/**
 * One linear pass over the text, before `JSON.parse`: refuses more frames than allowed (counted at
 * the top level of `frames`) and any string longer than {@link MAX_STRING_CHARS}, with where it is.
 * JSON.parse of a 20 MB file of ten million tiny frames takes seconds on the main thread and then
 * holds them all in memory only to be refused; this pass reads characters and allocates nothing
 * but the path stack. It is picked over parsing in a Worker because it is simpler, synchronous,
 * also protects callers in Node, and a refused file then costs tens of milliseconds, not seconds.
 * Text that is not JSON is left alone here: JSON.parse and the syntax scan explain it.
 */
function prescanText(text: string, maxFrames: number): void {
  const n = text.length
  const stack: ScanLevel[] = []
  let keyNext = false
  // The top-level array being counted (`frames` or `events`), its level and its limit.
  let countedLevel = -1
  let counted = ''
  let limit = 0
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === 34) {
      // A string: jump to its closing quote (a quote after an odd run of backslashes is escaped).
      let end = i
      for (;;) {
        end = text.indexOf('"', end + 1)
        if (end < 0) return // unterminated: JSON.parse reports it
        let slashes = 0
        while (text.charCodeAt(end - 1 - slashes) === 92) slashes++
        if (slashes % 2 === 0) break
      }
      const raw = end - i - 1
      // Escapes make the raw text longer than the string (\uXXXX is 6 for 1): decode only when unsure.
      let length = raw
      if (raw > MAX_STRING_CHARS && raw <= MAX_STRING_CHARS * 6) {
        try {
          length = (JSON.parse(text.slice(i, end + 1)) as string).length
        } catch {
          return
        }
      }
      const top = stack[stack.length - 1]
      const isKey = keyNext && top !== undefined && !top.array
      if (length > MAX_STRING_CHARS) {
        const where = scanPath(stack)
        const { line, column } = lineAndColumn(text, i)
        const what = isKey ? 'key' : 'string'
        reject(
          'oversize',
          `A ${what} of ${length} characters at ${where || 'the top level'} (line ${line}, column ${column}); strings in a recording may have at most ${MAX_STRING_CHARS} characters.`,
          `${where || '顶层'}（第 ${line} 行第 ${column} 列）有一个长度为 ${length} 个字符的${isKey ? '键' : '字符串'}；录制中的字符串最多 ${MAX_STRING_CHARS} 个字符。`,
          where || undefined,
        )
      }
      if (isKey) {
        top.key = raw <= 64 ? text.slice(i + 1, end) : '…'
        keyNext = false
      }
      i = end
      continue
    }
    if (c === 123) {
      stack.push({ array: false, index: 0, key: '' })
      keyNext = true
    } else if (c === 91) {
      const top = stack[stack.length - 1]
      if (stack.length === 1 && !top.array && (top.key === 'frames' || top.key === 'events')) {
        countedLevel = 2
        counted = top.key
        limit = top.key === 'frames' ? maxFrames : MAX_EVENTS
      }
      stack.push({ array: true, index: 0, key: '' })
    } else if (c === 44) {
      const top = stack[stack.length - 1]
      if (top === undefined) return
      if (top.array) {
        top.index++
        // index commas mean index + 1 elements: one over the limit is enough to refuse.
        if (stack.length === countedLevel && top.index >= limit) {
          if (counted === 'frames') {
            reject(
              'oversize',
              `The recording has more than ${limit} frames (counted before reading them); record a shorter session or split it.`,
              `录制超过 ${limit} 帧（在读取前统计）；请录制更短的会话或将其拆分。`,
              'frames',
            )
          }
          reject('bad-event', `The recording has more than ${limit} events; at most ${limit} are allowed.`, `录制包含超过 ${limit} 个事件；最多允许 ${limit} 个。`, 'events')
        }
      } else keyNext = true
    } else if (c === 93 || c === 125) {
      if (stack.pop() === undefined) return
      if (stack.length < countedLevel) countedLevel = -1
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Structure
// ---------------------------------------------------------------------------------------------

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Short description of a value for messages: numbers and strings as they appear in JSON. */
function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'missing'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (typeof value === 'boolean') return String(value)
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function requireField(obj: Record<string, unknown>, key: string, path: string): unknown {
  if (!(key in obj) || obj[key] === undefined) {
    reject('missing-field', `The recording is missing the required field "${path}".`, `录制文件缺少必需字段 "${path}"。`, path)
  }
  return obj[key]
}

function badField(path: string, expectedEn: string, expectedZh: string, value: unknown): never {
  reject('bad-field', `"${path}" must be ${expectedEn}, but it is ${typeName(value)}.`, `"${path}" 应为${expectedZh}，实际为 ${typeName(value)}。`, path)
}

function requireString(obj: Record<string, unknown>, key: string, path: string, maxLength: number, allowEmpty: boolean): string {
  const v = requireField(obj, key, path)
  if (typeof v !== 'string' || (!allowEmpty && v.length === 0) || v.length > maxLength) {
    badField(path, `a ${allowEmpty ? '' : 'non-empty '}string of at most ${maxLength} characters`, `${allowEmpty ? '' : '非空'}字符串（最多 ${maxLength} 个字符）`, v)
  }
  return v
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/

function validateMeta(root: Record<string, unknown>, version: number): { keyframeInterval: number } {
  const meta = requireField(root, 'meta', 'meta')
  if (!isPlainObject(meta)) badField('meta', 'an object', '对象', meta)
  requireString(meta, 'device', 'meta.device', 200, false)
  requireString(meta, 'appVersion', 'meta.appVersion', 64, false)
  const experience = requireField(meta, 'experience', 'meta.experience')
  if (!(EXPERIENCES as readonly unknown[]).includes(experience)) {
    badField('meta.experience', `one of ${EXPERIENCES.join(', ')}`, `${EXPERIENCES.join('、')} 之一`, experience)
  }
  const seed = requireField(meta, 'seed', 'meta.seed')
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    badField('meta.seed', 'an integer from 0 to 4294967295', '0 到 4294967295 之间的整数', seed)
  }
  const synthetic = requireField(meta, 'synthetic', 'meta.synthetic')
  if (typeof synthetic !== 'boolean') badField('meta.synthetic', 'true or false', '布尔值 true 或 false', synthetic)
  requireString(meta, 'description', 'meta.description', 2000, true)
  const recordedAt = requireString(meta, 'recordedAt', 'meta.recordedAt', 40, false)
  if (!ISO_DATE.test(recordedAt)) badField('meta.recordedAt', 'an ISO 8601 date-time such as 2025-01-31T09:30:00Z', 'ISO 8601 日期时间（例如 2025-01-31T09:30:00Z）', recordedAt)
  const frameRate = requireField(meta, 'frameRate', 'meta.frameRate')
  if (typeof frameRate !== 'number' || !(frameRate > 0 && frameRate <= 1000)) {
    badField('meta.frameRate', 'a number of Hz above 0 and at most 1000', '大于 0 且不超过 1000 的帧率（Hz）', frameRate)
  }
  const mode = requireField(meta, 'mode', 'meta.mode')
  if (!(RECORDING_MODES as readonly unknown[]).includes(mode)) {
    badField('meta.mode', `one of ${RECORDING_MODES.join(', ')}`, `${RECORDING_MODES.join('、')} 之一`, mode)
  }
  const interval = requireField(meta, 'keyframeInterval', 'meta.keyframeInterval')
  if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 1 || interval > 100_000) {
    badField('meta.keyframeInterval', 'an integer from 1 to 100000', '1 到 100000 之间的整数', interval)
  }
  const quantization = requireField(meta, 'quantization', 'meta.quantization')
  if (!isPlainObject(quantization)) badField('meta.quantization', 'an object', '对象', quantization)
  for (const key of Object.keys(QUANTIZATION) as (keyof typeof QUANTIZATION)[]) {
    const path = `meta.quantization.${key}`
    const v = requireField(quantization, key, path)
    if (v !== QUANTIZATION[key]) {
      reject(
        'bad-field',
        `"${path}" is ${typeName(v)}, but format version ${version} requires ${QUANTIZATION[key]}.`,
        `"${path}" 为 ${typeName(v)}，但格式版本 ${version} 要求为 ${QUANTIZATION[key]}。`,
        path,
      )
    }
  }
  // Version 1 has no body; an unknown extra field there is ignored, as the format promises.
  if (version !== RECORDING_VERSION_1) validateBodyJoints(meta)
  return { keyframeInterval: interval }
}

// The body segment's layout is fixed by the joint list; a file whose list differs (another
// subset, another order, a misspelt name) would put every joint on the wrong bone, so it is refused.
function validateBodyJoints(meta: Record<string, unknown>): void {
  const joints = requireField(meta, 'bodyJoints', 'meta.bodyJoints')
  if (!Array.isArray(joints)) badField('meta.bodyJoints', `an array of the ${XR_BODY_JOINTS.length} body joint names`, `${XR_BODY_JOINTS.length} 个身体关节名称的数组`, joints)
  if (joints.length !== XR_BODY_JOINTS.length) {
    reject(
      'bad-field',
      `"meta.bodyJoints" lists ${joints.length} joints; format version ${RECORDING_VERSION} records exactly ${XR_BODY_JOINTS.length} (${XR_BODY_JOINTS[0]} … ${XR_BODY_JOINTS[XR_BODY_JOINTS.length - 1]}).`,
      `"meta.bodyJoints" 列出 ${joints.length} 个关节；格式版本 ${RECORDING_VERSION} 恰好记录 ${XR_BODY_JOINTS.length} 个（${XR_BODY_JOINTS[0]} … ${XR_BODY_JOINTS[XR_BODY_JOINTS.length - 1]}）。`,
      'meta.bodyJoints',
    )
  }
  for (let j = 0; j < XR_BODY_JOINTS.length; j++) {
    if (joints[j] !== XR_BODY_JOINTS[j]) {
      const path = `meta.bodyJoints[${j}]`
      reject(
        'bad-field',
        `Body joint ${j} is ${typeName(joints[j])}, but format version ${RECORDING_VERSION} has "${XR_BODY_JOINTS[j]}" there (WebXR body joint names, in the documented order).`,
        `身体关节 ${j} 为 ${typeName(joints[j])}，但格式版本 ${RECORDING_VERSION} 在此处为 "${XR_BODY_JOINTS[j]}"（WebXR 身体关节名称，按文档顺序）。`,
        path,
      )
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Frames
// ---------------------------------------------------------------------------------------------

const HEAD_FIELDS = ['position x', 'position y', 'position z', 'orientation x', 'orientation y', 'orientation z', 'orientation w']
const HEAD_FIELDS_ZH = ['位置 x', '位置 y', '位置 z', '朝向 x', '朝向 y', '朝向 z', '朝向 w']
const SLOT_EN = ['left source', 'right source']
const SLOT_ZH = ['左侧输入源', '右侧输入源']

/** Human names (en, zh) of entry `k` of a source segment with `header`. Only used for errors. */
function describeSourceEntry(header: number, k: number): [string, string] {
  if (k === 0) return ['header', '头部标志']
  if (k < 8) return [`target-ray ${HEAD_FIELDS[k - 1]}`, `指向射线${HEAD_FIELDS_ZH[k - 1]}`]
  if (k < SOURCE_BASE_LENGTH) return [`grip ${HEAD_FIELDS[k - 8]}`, `握持${HEAD_FIELDS_ZH[k - 8]}`]
  let r = k - SOURCE_BASE_LENGTH
  if (header & SOURCE_JOINTS_BIT) {
    if (r < SOURCE_JOINTS_LENGTH) {
      const j = Math.floor(r / JOINT_STRIDE)
      const p = r % JOINT_STRIDE
      const name = XR_HAND_JOINTS[j]
      return p === 7 ? [`joint ${j} (${name}) radius`, `关节 ${j}（${name}）半径`] : [`joint ${j} (${name}) ${HEAD_FIELDS[p]}`, `关节 ${j}（${name}）${HEAD_FIELDS_ZH[p]}`]
    }
    r -= SOURCE_JOINTS_LENGTH
  }
  if (r < BUTTON_COUNT) return [`button ${r} value`, `按钮 ${r} 数值`]
  if (r === BUTTON_COUNT) return ['button pressed/touched mask', '按钮按下/触摸掩码']
  return [`axis ${r - BUTTON_COUNT - 1}`, `摇杆轴 ${r - BUTTON_COUNT - 1}`]
}

function describeFrameEntry(k: number): [string, string] {
  if (k === 0) return ['time', '时间']
  if (k === 1) return ['session mode', '会话模式']
  if (k === 2) return ['frame rate', '帧率']
  if (k < FRAME_SOURCES) return [`head ${HEAD_FIELDS[k - 3]}`, `头部${HEAD_FIELDS_ZH[k - 3]}`]
  return [SLOT_EN[k - FRAME_SOURCES], SLOT_ZH[k - FRAME_SOURCES]]
}

function requireInteger(value: unknown, path: string, en: string, zh: string, frame: number): number {
  if (typeof value !== 'number') {
    reject('bad-frame', `Frame ${frame}: ${en} must be an integer, but it is ${typeName(value)}.`, `第 ${frame} 帧：${zh}应为整数，实际为 ${typeName(value)}。`, path)
  }
  // Values are deltas of quantised ints; anything beyond 2^31 cannot be a real delta.
  if (!Number.isInteger(value) || Math.abs(value) > 2_147_483_647) {
    reject('bad-number', `Frame ${frame}: ${en} is ${value}, not an integer in the quantised range.`, `第 ${frame} 帧：${zh}为 ${value}，不是量化范围内的整数。`, path)
  }
  return value
}

function outOfRange(frame: number, path: string, en: string, zh: string, value: number, min: number, max: number): never {
  reject('bad-number', `Frame ${frame}: ${en} decodes to ${value}, outside the allowed range ${min}..${max}.`, `第 ${frame} 帧：${zh}解码后为 ${value}，超出允许范围 ${min}..${max}。`, path)
}

function checkQuaternion(state: Float64Array, index: number, frame: number, path: string, en: string, zh: string): void {
  const x = state[index], y = state[index + 1], z = state[index + 2], w = state[index + 3]
  const length = Math.sqrt(x * x + y * y + z * z + w * w) / 10_000
  if (!(Math.abs(length - 1) <= 0.01)) {
    reject(
      'bad-quaternion',
      `Frame ${frame}: ${en} quaternion has length ${length.toFixed(4)} after dequantisation; it must be within 1% of 1.`,
      `第 ${frame} 帧：${zh}四元数反量化后的长度为 ${length.toFixed(4)}，必须在 1 的 1% 以内。`,
      path,
    )
  }
}

/** Range of the quantised value at segment entry `k` (k ≥ 1). */
function sourceEntryRange(header: number, k: number): [number, number] {
  const P = LIMITS.positionMm
  // Quaternion components get no range of their own: the unit-length check after the segment
  // covers them and gives the more useful 'bad-quaternion' message.
  const poseRange = (p: number): [number, number] => (p < 3 ? [-P, P] : [-Infinity, Infinity])
  if (k < SOURCE_BASE_LENGTH) return poseRange((k - 1) % 7)
  let r = k - SOURCE_BASE_LENGTH
  if (header & SOURCE_JOINTS_BIT) {
    if (r < SOURCE_JOINTS_LENGTH) {
      const p = r % JOINT_STRIDE
      return p === 7 ? [0, LIMITS.radius] : poseRange(p)
    }
    r -= SOURCE_JOINTS_LENGTH
  }
  if (r < BUTTON_COUNT) return [0, LIMITS.button]
  if (r === BUTTON_COUNT) return [0, LIMITS.mask]
  return [-LIMITS.axis, LIMITS.axis]
}

// Segment offset -> decoder-state offset inside a slot. Mirrors recording-format's layout: header,
// ray 7, grip 7, joints 200, buttons 7, mask, axes 4 (absent parts are skipped in the segment).
function stateOffset(header: number, k: number): number {
  if (k < SOURCE_BASE_LENGTH) return k
  if (header & SOURCE_JOINTS_BIT) return k
  return k + SOURCE_JOINTS_LENGTH
}

const SLOT_SIZE = SOURCE_BASE_LENGTH + SOURCE_JOINTS_LENGTH + BUTTON_COUNT + 1 + AXIS_COUNT
const BODY_STATE = FRAME_SOURCES + 2 * SLOT_SIZE

// Checks a version 2 body segment against the body baseline in `state` (kept while absent).
function validateBody(seg: unknown, state: Float64Array, f: number, fpath: string): void {
  const bpath = `${fpath}[${FRAME_BODY}]`
  if (!Array.isArray(seg)) {
    reject(
      'bad-frame',
      `Frame ${f}: the body (entry ${FRAME_BODY}) must be an array of ${BODY_SEGMENT_LENGTH} numbers, but it is ${typeName(seg)}. A frame without a body has ${FRAME_LENGTH} entries.`,
      `第 ${f} 帧：身体（第 ${FRAME_BODY} 项）应为 ${BODY_SEGMENT_LENGTH} 个数字的数组，实际为 ${typeName(seg)}。没有身体数据的帧只有 ${FRAME_LENGTH} 项。`,
      bpath,
    )
  }
  if (seg.length !== BODY_SEGMENT_LENGTH) {
    reject(
      'bad-frame',
      `Frame ${f}: the body has ${seg.length} entries; ${XR_BODY_JOINTS.length} joints × ${BODY_JOINT_STRIDE} (position xyz, quaternion xyzw) are ${BODY_SEGMENT_LENGTH}.`,
      `第 ${f} 帧：身体有 ${seg.length} 个条目；${XR_BODY_JOINTS.length} 个关节 × ${BODY_JOINT_STRIDE}（位置 xyz、四元数 xyzw）应为 ${BODY_SEGMENT_LENGTH} 个。`,
      bpath,
    )
  }
  const P = LIMITS.positionMm
  for (let k = 0; k < BODY_SEGMENT_LENGTH; k++) {
    const j = Math.floor(k / BODY_JOINT_STRIDE)
    const p = k % BODY_JOINT_STRIDE
    const en = `body joint ${j} (${XR_BODY_JOINTS[j]}) ${HEAD_FIELDS[p]}`
    const zh = `身体关节 ${j}（${XR_BODY_JOINTS[j]}）${HEAD_FIELDS_ZH[p]}`
    const path = `${bpath}[${k}]`
    const s = BODY_STATE + k
    state[s] += requireInteger(seg[k], path, en, zh, f)
    if (p < 3 && Math.abs(state[s]) > P) outOfRange(f, path, `${en} (mm)`, `${zh}（毫米）`, state[s], -P, P)
  }
  for (let j = 0; j < XR_BODY_JOINTS.length; j++) {
    const k = j * BODY_JOINT_STRIDE + 3
    checkQuaternion(state, BODY_STATE + k, f, `${bpath}[${k}]`, `body joint ${j} (${XR_BODY_JOINTS[j]})`, `身体关节 ${j}（${XR_BODY_JOINTS[j]}）`)
  }
}

function validateFrames(frames: unknown[], keyframeInterval: number, version: number): void {
  // A private decoder: the same arithmetic as applyEncodedFrame, but checking every value.
  const state = new Float64Array(BODY_STATE + BODY_SEGMENT_LENGTH)
  const bodyAllowed = version !== RECORDING_VERSION_1
  let previousTime = 0
  for (let f = 0; f < frames.length; f++) {
    const frame = frames[f]
    const fpath = `frames[${f}]`
    if (!Array.isArray(frame)) {
      reject('bad-frame', `Frame ${f} must be an array, but it is ${typeName(frame)}.`, `第 ${f} 帧应为数组，实际为 ${typeName(frame)}。`, fpath)
    }
    if (!bodyAllowed && frame.length !== FRAME_LENGTH) {
      reject('bad-frame', `Frame ${f} has ${frame.length} entries; version 1 frames have exactly ${FRAME_LENGTH}.`, `第 ${f} 帧有 ${frame.length} 个条目；版本 1 的帧必须恰好有 ${FRAME_LENGTH} 个。`, fpath)
    }
    if (frame.length !== FRAME_LENGTH && frame.length !== FRAME_LENGTH_WITH_BODY) {
      reject(
        'bad-frame',
        `Frame ${f} has ${frame.length} entries; version ${version} frames have ${FRAME_LENGTH}, or ${FRAME_LENGTH_WITH_BODY} with a tracked body.`,
        `第 ${f} 帧有 ${frame.length} 个条目；版本 ${version} 的帧应有 ${FRAME_LENGTH} 个，带身体追踪时为 ${FRAME_LENGTH_WITH_BODY} 个。`,
        fpath,
      )
    }
    const keyframe = isKeyframe(f, keyframeInterval)
    if (keyframe) state.fill(0)
    for (let k = 0; k < FRAME_SOURCES; k++) {
      const [en, zh] = describeFrameEntry(k)
      const path = `${fpath}[${k}]`
      state[k] += requireInteger(frame[k], path, en, zh, f)
    }
    const time = state[0]
    if (time < previousTime && time >= 0) {
      reject(
        'time-backwards',
        `Frame ${f} goes back in time: ${(time / 10).toFixed(1)} ms comes after ${(previousTime / 10).toFixed(1)} ms in frame ${f - 1}.`,
        `第 ${f} 帧时间倒退：${(time / 10).toFixed(1)} ms 出现在第 ${f - 1} 帧的 ${(previousTime / 10).toFixed(1)} ms 之后。`,
        `${fpath}[0]`,
      )
    }
    if (time < 0 || time > LIMITS.time) outOfRange(f, `${fpath}[0]`, 'time', '时间', time, 0, LIMITS.time)
    previousTime = time
    if (state[1] < 0 || state[1] > LIMITS.mode) outOfRange(f, `${fpath}[1]`, 'session mode', '会话模式', state[1], 0, LIMITS.mode)
    if (state[2] < 0 || state[2] > LIMITS.frameRate) outOfRange(f, `${fpath}[2]`, 'frame rate', '帧率', state[2], 0, LIMITS.frameRate)
    for (let k = 3; k < 6; k++) {
      if (Math.abs(state[k]) > LIMITS.positionMm) {
        const [en, zh] = describeFrameEntry(k)
        outOfRange(f, `${fpath}[${k}]`, `${en} (mm)`, `${zh}（毫米）`, state[k], -LIMITS.positionMm, LIMITS.positionMm)
      }
    }
    checkQuaternion(state, 6, f, `${fpath}[6]`, 'head orientation', '头部朝向')

    for (let slot = 0; slot < 2; slot++) {
      const base = FRAME_SOURCES + slot * SLOT_SIZE
      const spath = `${fpath}[${FRAME_SOURCES + slot}]`
      const seg: unknown = frame[FRAME_SOURCES + slot]
      if (seg === 0) {
        state[base] = 0
        continue
      }
      if (!Array.isArray(seg)) {
        reject('bad-frame', `Frame ${f}: the ${SLOT_EN[slot]} must be 0 (absent) or an array, but it is ${typeName(seg)}.`, `第 ${f} 帧：${SLOT_ZH[slot]}应为 0（无）或数组，实际为 ${typeName(seg)}。`, spath)
      }
      const header: unknown = seg[0]
      const expected = typeof header === 'number' ? sourceSegmentLength(header) : -1
      if (expected < 0) {
        reject('bad-frame', `Frame ${f}: the ${SLOT_EN[slot]} header ${typeName(header)} is not a valid source header.`, `第 ${f} 帧：${SLOT_ZH[slot]}的头部标志 ${typeName(header)} 无效。`, `${spath}[0]`)
      }
      const h = header as number
      if (seg.length !== expected) {
        reject(
          'bad-frame',
          `Frame ${f}: the ${SLOT_EN[slot]} has ${seg.length} entries, but its header ${h} requires ${expected}.`,
          `第 ${f} 帧：${SLOT_ZH[slot]}有 ${seg.length} 个条目，但其头部标志 ${h} 要求 ${expected} 个。`,
          spath,
        )
      }
      state[base] = h
      for (let k = 1; k < expected; k++) {
        const [en, zh] = describeSourceEntry(h, k)
        const path = `${spath}[${k}]`
        const s = base + stateOffset(h, k)
        state[s] += requireInteger(seg[k], path, `${SLOT_EN[slot]} ${en}`, `${SLOT_ZH[slot]}${zh}`, f)
        const [min, max] = sourceEntryRange(h, k)
        if (state[s] < min || state[s] > max) outOfRange(f, path, `${SLOT_EN[slot]} ${en}`, `${SLOT_ZH[slot]}${zh}`, state[s], min, max)
      }
      checkQuaternion(state, base + 4, f, `${spath}[4]`, `${SLOT_EN[slot]} target-ray`, `${SLOT_ZH[slot]}指向射线`)
      checkQuaternion(state, base + 11, f, `${spath}[11]`, `${SLOT_EN[slot]} grip`, `${SLOT_ZH[slot]}握持`)
      if (h & SOURCE_JOINTS_BIT) {
        for (let j = 0; j < HAND_JOINT_COUNT; j++) {
          const k = SOURCE_BASE_LENGTH + j * JOINT_STRIDE + 3
          checkQuaternion(state, base + k, f, `${spath}[${k}]`, `${SLOT_EN[slot]} joint ${j} (${XR_HAND_JOINTS[j]})`, `${SLOT_ZH[slot]}关节 ${j}（${XR_HAND_JOINTS[j]}）`)
        }
      }
    }
    if (frame.length === FRAME_LENGTH_WITH_BODY) validateBody(frame[FRAME_BODY], state, f, fpath)
  }
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/** Allowed event types: a short name of letters, digits and `. _ : -` (at most 64 characters). */
export const EVENT_TYPE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/

function badEvent(index: number, field: string, en: string, zh: string): never {
  reject('bad-event', `Event ${index}: ${en}`, `事件 ${index}：${zh}`, `events[${index}]${field}`)
}

/** Iterative walk (no recursion, so hostile nesting cannot blow the stack). */
function checkEventData(data: unknown, index: number): void {
  const stack: [unknown, number][] = [[data, 1]]
  let nodes = 0
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number]
    if (++nodes > MAX_EVENT_DATA_NODES) badEvent(index, '.data', `data has more than ${MAX_EVENT_DATA_NODES} values.`, `data 包含超过 ${MAX_EVENT_DATA_NODES} 个值。`)
    if (depth > MAX_EVENT_DATA_DEPTH) badEvent(index, '.data', `data is nested deeper than ${MAX_EVENT_DATA_DEPTH} levels.`, `data 的嵌套超过 ${MAX_EVENT_DATA_DEPTH} 层。`)
    if (typeof value === 'string') {
      if (value.length > MAX_STRING_CHARS) {
        badEvent(index, '.data', `data contains a string of ${value.length} characters; at most ${MAX_STRING_CHARS} are allowed.`, `data 中有一个长度为 ${value.length} 个字符的字符串；最多允许 ${MAX_STRING_CHARS} 个字符。`)
      }
      continue
    }
    if (value === null || typeof value === 'boolean') continue
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) badEvent(index, '.data', `data contains the non-finite number ${value}.`, `data 中包含非有限数值 ${value}。`)
      continue
    }
    if (Array.isArray(value)) {
      for (const v of value) stack.push([v, depth + 1])
      continue
    }
    if (isPlainObject(value)) {
      for (const key of Object.keys(value)) {
        if (key.length > MAX_STRING_CHARS) {
          badEvent(index, '.data', `data has a key of ${key.length} characters; at most ${MAX_STRING_CHARS} are allowed.`, `data 中有一个长度为 ${key.length} 个字符的键；最多允许 ${MAX_STRING_CHARS} 个字符。`)
        }
        stack.push([value[key], depth + 1])
      }
      continue
    }
    badEvent(index, '.data', `data contains ${typeof value}, which is not JSON.`, `data 中包含非 JSON 类型 ${typeof value}。`)
  }
}

function validateEvents(events: unknown[], frameCount: number): void {
  if (events.length > MAX_EVENTS) {
    reject('bad-event', `The recording has ${events.length} events; at most ${MAX_EVENTS} are allowed.`, `录制包含 ${events.length} 个事件；最多允许 ${MAX_EVENTS} 个。`, 'events')
  }
  let lastFrame = 0
  for (let i = 0; i < events.length; i++) {
    const e = events[i]
    if (!isPlainObject(e)) badEvent(i, '', `must be an object, but it is ${typeName(e)}.`, `应为对象，实际为 ${typeName(e)}。`)
    const frame = e.frame
    if (typeof frame !== 'number' || !Number.isInteger(frame) || frame < 0 || frame >= frameCount) {
      badEvent(i, '.frame', `frame ${typeName(frame)} is not a frame index of this recording (0..${frameCount - 1}).`, `frame ${typeName(frame)} 不是本录制的有效帧序号（0..${frameCount - 1}）。`)
    }
    if (frame < lastFrame) badEvent(i, '.frame', `events must be sorted by frame, but frame ${frame} follows frame ${lastFrame}.`, `事件必须按帧排序，但第 ${frame} 帧出现在第 ${lastFrame} 帧之后。`)
    lastFrame = frame
    if (typeof e.t !== 'number' || !Number.isFinite(e.t) || e.t < 0) {
      badEvent(i, '.t', `t must be a time in ms (a finite number ≥ 0), but it is ${typeName(e.t)}.`, `t 应为毫秒时间（≥ 0 的有限数），实际为 ${typeName(e.t)}。`)
    }
    if (typeof e.type !== 'string' || !EVENT_TYPE.test(e.type)) {
      badEvent(i, '.type', `type must be a short name like "task-step" (letters, digits, . _ : -), but it is ${typeName(e.type)}.`, `type 应为简短名称，例如 "task-step"（字母、数字、. _ : -），实际为 ${typeName(e.type)}。`)
    }
    if ('data' in e && e.data !== undefined) checkEventData(e.data, i)
  }
}

// ---------------------------------------------------------------------------------------------
// Timing (optional performance trace; replay ignores it, but a bad one is refused like any field)
// ---------------------------------------------------------------------------------------------

function badTiming(path: string, en: string, zh: string): never {
  reject('bad-field', `timing${path}: ${en}`, `timing${path}：${zh}`, `timing${path}`)
}

function requireNames(value: unknown, path: string, max: number): string[] {
  if (!Array.isArray(value)) badTiming(path, `must be an array of names, but it is ${typeName(value)}.`, `应为名称数组，实际为 ${typeName(value)}。`)
  if (value.length > max) badTiming(path, `has ${value.length} entries; at most ${max} are allowed.`, `有 ${value.length} 项；最多允许 ${max} 项。`)
  for (let i = 0; i < value.length; i++) {
    const v = value[i]
    if (typeof v !== 'string' || v.length === 0 || v.length > TIMING_LIMITS.nameLength) {
      badTiming(`${path}[${i}]`, `must be a name of 1..${TIMING_LIMITS.nameLength} characters, but it is ${typeName(v)}.`, `应为 1..${TIMING_LIMITS.nameLength} 个字符的名称，实际为 ${typeName(v)}。`)
    }
  }
  return value as string[]
}

/**
 * Checks the optional `timing` part: header fields, column names consistent with phases and
 * levers, and every row (bounded count, frame indices strictly increasing and inside the
 * recording, finite numbers in range, missed 0/1, gpuMs -1 or ≥ 0, lever levels -1..maxLevel).
 */
function validateTiming(timing: unknown, frameCount: number): void {
  if (!isPlainObject(timing)) badTiming('', `must be an object, but it is ${typeName(timing)}.`, `应为对象，实际为 ${typeName(timing)}。`)
  if (timing.format !== TIMING_FORMAT) badTiming('.format', `is ${typeName(timing.format)}; expected "${TIMING_FORMAT}".`, `为 ${typeName(timing.format)}；应为 "${TIMING_FORMAT}"。`)
  if (timing.version !== TIMING_VERSION) {
    badTiming('.version', `version ${typeName(timing.version)} is not supported; this app reads version ${TIMING_VERSION}.`, `不支持版本 ${typeName(timing.version)}；本应用只能读取版本 ${TIMING_VERSION}。`)
  }
  for (const key of ['refreshHz', 'budgetMs'] as const) {
    const v = timing[key]
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > TIMING_LIMITS.maxMs) {
      badTiming(`.${key}`, `must be a finite number above 0, but it is ${typeName(v)}.`, `应为大于 0 的有限数，实际为 ${typeName(v)}。`)
    }
  }
  if (timing.gpuSource !== 'timer-query' && timing.gpuSource !== 'none') {
    badTiming('.gpuSource', `must be "timer-query" or "none", but it is ${typeName(timing.gpuSource)}.`, `应为 "timer-query" 或 "none"，实际为 ${typeName(timing.gpuSource)}。`)
  }
  const phases = requireNames(timing.phases, '.phases', TIMING_LIMITS.phases)
  const levers = timing.levers
  if (!Array.isArray(levers)) badTiming('.levers', `must be an array, but it is ${typeName(levers)}.`, `应为数组，实际为 ${typeName(levers)}。`)
  if (levers.length > TIMING_LIMITS.levers) badTiming('.levers', `has ${levers.length} levers; at most ${TIMING_LIMITS.levers} are allowed.`, `有 ${levers.length} 个调节项；最多允许 ${TIMING_LIMITS.levers} 个。`)
  const maxLevels: number[] = []
  for (let i = 0; i < levers.length; i++) {
    const l = levers[i]
    if (!isPlainObject(l)) badTiming(`.levers[${i}]`, `must be an object, but it is ${typeName(l)}.`, `应为对象，实际为 ${typeName(l)}。`)
    const id = l.id
    if (typeof id !== 'string' || id.length === 0 || id.length > TIMING_LIMITS.nameLength) {
      badTiming(`.levers[${i}].id`, `must be a name of 1..${TIMING_LIMITS.nameLength} characters, but it is ${typeName(id)}.`, `应为 1..${TIMING_LIMITS.nameLength} 个字符的名称，实际为 ${typeName(id)}。`)
    }
    for (let j = 0; j < i; j++) {
      if ((levers[j] as Record<string, unknown>).id === id) badTiming(`.levers[${i}].id`, `"${id}" appears twice.`, `"${id}" 出现了两次。`)
    }
    const m = l.maxLevel
    if (typeof m !== 'number' || !Number.isInteger(m) || m < 0 || m > TIMING_LIMITS.maxLevel) {
      badTiming(`.levers[${i}].maxLevel`, `must be an integer 0..${TIMING_LIMITS.maxLevel}, but it is ${typeName(m)}.`, `应为 0..${TIMING_LIMITS.maxLevel} 的整数，实际为 ${typeName(m)}。`)
    }
    maxLevels.push(m)
  }
  const columns = requireNames(timing.columns, '.columns', TIMING_BASE_COLUMNS.length + TIMING_LIMITS.phases + TIMING_LIMITS.levers)
  const expected = [...TIMING_BASE_COLUMNS, ...phases, ...levers.map((l) => TIMING_LEVER_PREFIX + String((l as Record<string, unknown>).id))]
  if (columns.length !== expected.length || columns.some((c, i) => c !== expected[i])) {
    badTiming('.columns', `must be ${JSON.stringify(expected)} (the base columns, the phases, then one "lever:<id>" per lever).`, `应为 ${JSON.stringify(expected)}（基本列、各阶段，然后每个调节项一列 "lever:<id>"）。`)
  }
  const rows = timing.rows
  if (!Array.isArray(rows)) badTiming('.rows', `must be an array of rows, but it is ${typeName(rows)}.`, `应为行数组，实际为 ${typeName(rows)}。`)
  if (rows.length > frameCount) badTiming('.rows', `has ${rows.length} rows but the recording has only ${frameCount} frames.`, `有 ${rows.length} 行，但录制只有 ${frameCount} 帧。`)
  const width = columns.length
  const leverStart = TIMING_BASE_COLUMNS.length + phases.length
  let lastFrame = -1
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]
    if (!Array.isArray(row) || row.length !== width) {
      badTiming(`.rows[${r}]`, `must be an array of ${width} numbers (one per column), but it is ${Array.isArray(row) ? `${row.length} long` : typeName(row)}.`, `应为 ${width} 个数字的数组（每列一个），实际为 ${Array.isArray(row) ? `长度 ${row.length}` : typeName(row)}。`)
    }
    for (let c = 0; c < width; c++) {
      const v = row[c]
      if (typeof v !== 'number' || !Number.isFinite(v)) badTiming(`.rows[${r}][${c}]`, `${columns[c]} must be a finite number, but it is ${typeName(v)}.`, `${columns[c]} 应为有限数，实际为 ${typeName(v)}。`)
      let ok: boolean
      if (c === 0) ok = Number.isInteger(v) && v > lastFrame && v < frameCount
      else if (c === 3) ok = v === 0 || v === 1
      else if (c === 4) ok = v === -1 || (v >= 0 && v <= TIMING_LIMITS.maxMs)
      else if (c >= leverStart) ok = Number.isInteger(v) && v >= -1 && v <= maxLevels[c - leverStart]
      else ok = v >= 0 && v <= TIMING_LIMITS.maxMs
      if (!ok) {
        const rule =
          c === 0
            ? [`a frame index of this recording (0..${frameCount - 1}) above the previous row's ${lastFrame}`, `本录制的帧序号（0..${frameCount - 1}），且大于上一行的 ${lastFrame}`]
            : c === 3
              ? ['0 or 1', '0 或 1']
              : c === 4
                ? [`-1 (no GPU time) or 0..${TIMING_LIMITS.maxMs} ms`, `-1（无 GPU 时间）或 0..${TIMING_LIMITS.maxMs} 毫秒`]
                : c >= leverStart
                  ? [`a level -1..${maxLevels[c - leverStart]}`, `-1..${maxLevels[c - leverStart]} 的级别`]
                  : [`0..${TIMING_LIMITS.maxMs} ms`, `0..${TIMING_LIMITS.maxMs} 毫秒`]
        badTiming(`.rows[${r}][${c}]`, `${columns[c]} must be ${rule[0]}, but it is ${v}.`, `${columns[c]} 应为 ${rule[1]}，实际为 ${v}。`)
      }
    }
    lastFrame = row[0] as number
  }
}

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

function validateValue(value: unknown, maxFrames: number): Recording {
  if (!isPlainObject(value)) {
    reject('wrong-format', `This is JSON but not an XR session recording: the top level is ${typeName(value)}, not an object.`, `这是 JSON，但不是 XR 会话录制：顶层为 ${typeName(value)}，而不是对象。`)
  }
  if (!('format' in value) && Array.isArray(value.schema) && Array.isArray(value.frames)) {
    reject(
      'wrong-format',
      'This looks like an IWER ActionRecorder recording, not a Lingjing recording; convert it with fromIwerRecording first.',
      '这看起来是 IWER ActionRecorder 录制，而不是灵境录制；请先用 fromIwerRecording 转换。',
      'format',
    )
  }
  const format = requireField(value, 'format', 'format')
  if (format !== RECORDING_FORMAT) {
    reject('wrong-format', `"format" is ${typeName(format)}; expected "${RECORDING_FORMAT}".`, `"format" 为 ${typeName(format)}；应为 "${RECORDING_FORMAT}"。`, 'format')
  }
  const version = requireField(value, 'version', 'version')
  if (version !== RECORDING_VERSION && version !== RECORDING_VERSION_1) {
    reject(
      'unknown-version',
      `Recording format version ${typeName(version)} is not supported; this app reads versions ${RECORDING_VERSION_1} and ${RECORDING_VERSION}. Update the app or re-record the session.`,
      `不支持录制格式版本 ${typeName(version)}；本应用只能读取版本 ${RECORDING_VERSION_1} 和 ${RECORDING_VERSION}。请更新应用或重新录制。`,
      'version',
    )
  }
  const { keyframeInterval } = validateMeta(value, version)
  const frames = requireField(value, 'frames', 'frames')
  if (!Array.isArray(frames)) badField('frames', 'an array of frames', '帧数组', frames)
  if (frames.length === 0) reject('empty', 'The recording has no frames, so there is nothing to replay.', '录制中没有任何帧，无法回放。', 'frames')
  if (frames.length > maxFrames) {
    reject('oversize', `The recording has ${frames.length} frames, over the limit of ${maxFrames}.`, `录制包含 ${frames.length} 帧，超过上限 ${maxFrames} 帧。`, 'frames')
  }
  const events = requireField(value, 'events', 'events')
  if (!Array.isArray(events)) badField('events', 'an array of events', '事件数组', events)
  validateFrames(frames, keyframeInterval, version)
  validateEvents(events, frames.length)
  if ('timing' in value && value.timing !== undefined) validateTiming(value.timing, frames.length)
  // A valid version 1 file is migrated here, so everything after the door sees version 2.
  return version === RECORDING_VERSION_1 ? migrateRecording(value as unknown as RecordingV1) : (value as unknown as Recording)
}

/**
 * Checks a recording (JSON text or an already-parsed value) completely: size, JSON syntax,
 * truncation, format and version, every meta field, every frame value (integers in range,
 * quaternions within 1% of unit length, monotonic time, body segments) and every event. Never
 * throws. A version 1 recording is migrated ({@link migrateRecording}): the result is version 2.
 */
export function validateRecording(input: string | unknown, options: ValidateRecordingOptions = {}): ValidationResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const maxFrames = options.maxFrames ?? Math.floor(maxBytes / MIN_FRAME_BYTES)
  try {
    const value = typeof input === 'string' ? parseText(input, maxBytes, maxFrames) : input
    const recording = validateValue(value, maxFrames)
    validated.add(recording)
    return { ok: true, recording }
  } catch (err) {
    if (err instanceof Reject) return { ok: false, error: err.info }
    // Hostile objects (throwing getters, proxies) or a stack overflow: still a clean refusal.
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
    return {
      ok: false,
      error: createReplayErrorInfo('bad-field', `The recording could not be read: ${detail}`, `无法读取录制文件：${detail}`),
    }
  }
}

/**
 * Returns `input` as a recording if it was already validated, else validates it (text or value)
 * and throws on failure. Used by everything that consumes recordings, so garbage is refused with
 * a typed error at the door instead of failing obscurely later.
 *
 * @throws ReplayError carrying the validator's code and bilingual message.
 */
export function requireValidRecording(input: unknown, options: ValidateRecordingOptions = {}): Recording {
  if (isValidatedRecording(input)) return input
  const result = validateRecording(input, options)
  if (!result.ok) throw new ReplayError(result.error)
  return result.recording
}
