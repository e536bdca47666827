import type { JsonValue } from './recording-format'

/**
 * Captures the state of a plain-data object graph (numbers, strings, booleans, arrays, typed
 * arrays, nested objects such as three.js vectors and quaternions, seeded RNGs) as JSON, and
 * writes such a capture back into the same graph in place. An experience records the capture when
 * a take starts, so a replay, which starts from a freshly mounted experience, continues from the
 * state the take started in rather than from page load.
 *
 * Rules: functions are skipped; an object with `getState()`/`setState()` (a seeded RNG) is
 * captured by its state; non-finite numbers are stored as the strings `"Infinity"`, `"-Infinity"`
 * and `"NaN"`; a shared or cyclic reference is an error (the graph must be a tree), as is a depth
 * beyond {@link MAX_CAPTURE_DEPTH}. Restoring keeps the target's objects (readonly vectors stay
 * the same instances) and only assigns leaves; arrays take the captured length.
 */

/** Deepest nesting a capture may have (the recording format allows 16 levels of event data). */
export const MAX_CAPTURE_DEPTH = 14

interface StatefulRng {
  getState(): number
  setState(state: number): void
}

function isStateful(value: object): value is StatefulRng {
  const v = value as Partial<StatefulRng>
  return typeof v.getState === 'function' && typeof v.setState === 'function'
}

function encodeNumber(x: number): JsonValue {
  if (Number.isFinite(x)) return x
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity'
}

function decodeNumber(x: JsonValue): number {
  if (typeof x === 'number') return x
  if (x === 'Infinity') return Infinity
  if (x === '-Infinity') return -Infinity
  return NaN
}

/** Captures `value` as JSON (see the module comment for the rules). */
export function captureState(value: unknown): JsonValue {
  return capture(value, 0, new Set(), '$')
}

function capture(value: unknown, depth: number, seen: Set<object>, path: string): JsonValue {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return encodeNumber(value)
  if (typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value !== 'object') throw new TypeError(`captureState: ${path} is a ${typeof value}`)
  if (depth > MAX_CAPTURE_DEPTH) throw new RangeError(`captureState: ${path} is nested deeper than ${MAX_CAPTURE_DEPTH}`)
  if (seen.has(value)) throw new TypeError(`captureState: ${path} is shared or cyclic`)
  seen.add(value)
  if (ArrayBuffer.isView(value)) {
    const out: JsonValue[] = []
    const typed = value as unknown as ArrayLike<number>
    for (let i = 0; i < typed.length; i++) out.push(encodeNumber(typed[i]))
    return out
  }
  if (Array.isArray(value)) return value.map((item, i) => capture(item, depth + 1, seen, `${path}[${i}]`))
  if (isStateful(value)) return { state: value.getState() }
  const out: Record<string, JsonValue> = {}
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key]
    if (typeof item === 'function' || item === undefined) continue
    out[key] = capture(item, depth + 1, seen, `${path}.${key}`)
  }
  return out
}

/**
 * Writes a capture back into `target` in place. Keys the capture does not have are left alone;
 * captured keys the target does not have are added as plain data.
 */
export function restoreState(target: object, data: JsonValue): void {
  restoreInto(target, data, '$')
}

function restoreInto(target: object, data: JsonValue, path: string): void {
  if (data === null || typeof data !== 'object') throw new TypeError(`restoreState: ${path} needs an object or array, got ${JSON.stringify(data)}`)
  if (ArrayBuffer.isView(target)) {
    if (!Array.isArray(data)) throw new TypeError(`restoreState: ${path} needs an array`)
    const typed = target as unknown as { length: number; [i: number]: number }
    if (data.length !== typed.length) throw new RangeError(`restoreState: ${path} has ${typed.length} entries, the capture ${data.length}`)
    for (let i = 0; i < data.length; i++) typed[i] = decodeNumber(data[i])
    return
  }
  if (Array.isArray(target)) {
    if (!Array.isArray(data)) throw new TypeError(`restoreState: ${path} needs an array`)
    for (let i = 0; i < data.length; i++) target[i] = restoreValue(target[i], data[i], `${path}[${i}]`)
    target.length = data.length
    return
  }
  if (isStateful(target)) {
    const state = (data as Record<string, JsonValue>).state
    if (typeof state !== 'number') throw new TypeError(`restoreState: ${path}.state must be a number`)
    target.setState(state)
    return
  }
  if (Array.isArray(data)) throw new TypeError(`restoreState: ${path} needs an object`)
  const record = target as Record<string, unknown>
  for (const key of Object.keys(data)) record[key] = restoreValue(record[key], data[key], `${path}.${key}`)
}

// The new value of one slot: objects are restored in place, leaves replaced.
function restoreValue(current: unknown, data: JsonValue, path: string): unknown {
  if (typeof current === 'number') return decodeNumber(data)
  if (current !== null && typeof current === 'object' && data !== null && typeof data === 'object') {
    restoreInto(current, data, path)
    return current
  }
  return data === null ? null : structuredClone(data)
}
