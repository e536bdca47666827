/**
 * Writes the duration into a WebM file. Chromium's MediaRecorder streams WebM without a Duration
 * (it cannot know it when it writes the header), so players show 0:00 or ∞ and cannot seek. This
 * adds `Segment › Info › Duration` (or overwrites it), which is what players read. Only the bytes
 * up to the first Cluster are parsed, so the caller can patch the first chunk of a take and leave
 * the rest of a long recording untouched.
 *
 * EBML basics: every element is ID (vint, marker kept), size (vint, marker removed; all ones =
 * unknown), data. Chromium writes an unknown-size Segment and no SeekHead; when a SeekHead or a
 * known-size Segment would be invalidated by growing Info, the Duration is only written in place.
 */

const ID_EBML = 0x1a45dfa3
const ID_SEGMENT = 0x18538067
const ID_INFO = 0x1549a966
const ID_TIMECODE_SCALE = 0x2ad7b1
const ID_DURATION = 0x4489
const ID_CLUSTER = 0x1f43b675
const ID_SEEK_HEAD = 0x114d9b74
const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3]
const ID_SIMPLE_BLOCK = 0xa3
const ID_BLOCK_GROUP = 0xa0

interface Vint {
  value: number
  length: number
  unknown: boolean
}

function readVint(bytes: Uint8Array, pos: number, keepMarker: boolean): Vint | null {
  if (pos >= bytes.length) return null
  const first = bytes[pos]
  let length = 1
  let mask = 0x80
  while (length <= 8 && (first & mask) === 0) {
    length++
    mask >>= 1
  }
  if (length > 8 || pos + length > bytes.length) return null
  let value = keepMarker ? first : first & (mask - 1)
  let allOnes = (first & (mask - 1)) === mask - 1
  for (let i = 1; i < length; i++) {
    value = value * 256 + bytes[pos + i]
    if (bytes[pos + i] !== 0xff) allOnes = false
  }
  return { value, length, unknown: !keepMarker && allOnes }
}

function encodeSize(value: number, length: number): Uint8Array {
  const out = new Uint8Array(length)
  let v = value
  for (let i = length - 1; i >= 0; i--) {
    out[i] = v % 256
    v = Math.floor(v / 256)
  }
  out[0] |= 0x80 >> (length - 1)
  return out
}

function sizeFits(value: number, length: number): boolean {
  return value < 2 ** (7 * length) - 1
}

interface Element {
  id: number
  start: number
  sizePos: number
  sizeLength: number
  dataStart: number
  /** -1 for an unknown size. */
  size: number
}

function readElement(bytes: Uint8Array, pos: number): Element | null {
  const id = readVint(bytes, pos, true)
  if (!id) return null
  const size = readVint(bytes, pos + id.length, false)
  if (!size) return null
  return { id: id.value, start: pos, sizePos: pos + id.length, sizeLength: size.length, dataStart: pos + id.length + size.length, size: size.unknown ? -1 : size.value }
}

/** Why a file was left as it was (null when the duration was written). */
export type WebmDurationResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: string; bytes: Uint8Array }

/**
 * Returns the file (or its head, up to and including the start of the first Cluster) with
 * `durationMs` written into Segment › Info. Never throws: a file it does not understand comes back
 * unchanged with the reason.
 */
export function setWebmDuration(bytes: Uint8Array, durationMs: number): WebmDurationResult {
  const fail = (reason: string): WebmDurationResult => ({ ok: false, reason, bytes })
  if (!(durationMs >= 0) || !Number.isFinite(durationMs)) return fail(`duration ${durationMs} ms is not a finite number >= 0`)
  const ebml = readElement(bytes, 0)
  if (!ebml || ebml.id !== ID_EBML || ebml.size < 0) return fail('not an EBML file')
  const segment = readElement(bytes, ebml.dataStart + ebml.size)
  if (!segment || segment.id !== ID_SEGMENT) return fail('no Segment after the EBML header')
  let pos = segment.dataStart
  let info: Element | null = null
  let seekHead = false
  while (pos < bytes.length) {
    const el = readElement(bytes, pos)
    if (!el) break
    if (el.id === ID_CLUSTER) break
    if (el.id === ID_SEEK_HEAD) seekHead = true
    if (el.id === ID_INFO) {
      info = el
      break
    }
    if (el.size < 0) return fail('an element of unknown size before Info')
    pos = el.dataStart + el.size
  }
  if (!info || info.size < 0 || info.dataStart + info.size > bytes.length) return fail('no complete Segment › Info before the first Cluster')

  let scale = 1_000_000
  let durationEl: Element | null = null
  for (let p = info.dataStart; p < info.dataStart + info.size; ) {
    const child = readElement(bytes, p)
    if (!child || child.size < 0) return fail('Info holds an element it cannot read')
    if (child.id === ID_TIMECODE_SCALE) {
      let v = 0
      for (let i = 0; i < child.size; i++) v = v * 256 + bytes[child.dataStart + i]
      if (v > 0) scale = v
    }
    if (child.id === ID_DURATION) durationEl = child
    p = child.dataStart + child.size
  }
  // Duration is a float in TimecodeScale units (nanoseconds per unit; 1e6 = milliseconds).
  const value = (durationMs * 1_000_000) / scale

  if (durationEl && (durationEl.size === 8 || durationEl.size === 4)) {
    const out = bytes.slice()
    const view = new DataView(out.buffer, out.byteOffset + durationEl.dataStart, durationEl.size)
    if (durationEl.size === 8) view.setFloat64(0, value)
    else view.setFloat32(0, value)
    return { ok: true, bytes: out }
  }
  if (durationEl) return fail(`Duration has an unusual size (${durationEl.size} bytes)`)
  if (seekHead) return fail('a SeekHead would point past a grown Info')

  const element = new Uint8Array(11)
  element[0] = 0x44
  element[1] = 0x89
  element[2] = 0x88 // size 8
  new DataView(element.buffer).setFloat64(3, value)
  const newInfoSize = info.size + element.length
  const infoSizeLength = sizeFits(newInfoSize, info.sizeLength) ? info.sizeLength : 8
  const infoSize = encodeSize(newInfoSize, infoSizeLength)
  const grow = element.length + infoSizeLength - info.sizeLength
  let segmentSize: Uint8Array | null = null
  if (segment.size >= 0) {
    if (!sizeFits(segment.size + grow, segment.sizeLength)) return fail('the Segment size cannot grow in place')
    segmentSize = encodeSize(segment.size + grow, segment.sizeLength)
  }
  const infoEnd = info.dataStart + info.size
  const out = new Uint8Array(bytes.length + grow)
  out.set(bytes.subarray(0, info.sizePos), 0)
  if (segmentSize) out.set(segmentSize, segment.sizePos)
  out.set(infoSize, info.sizePos)
  out.set(bytes.subarray(info.dataStart, infoEnd), info.sizePos + infoSizeLength)
  out.set(element, info.sizePos + infoSizeLength + info.size)
  out.set(bytes.subarray(infoEnd), infoEnd + grow)
  return { ok: true, bytes: out }
}

/** Reads Segment › Info › Duration in ms, or null when there is none (for tests and diagnostics). */
export function readWebmDuration(bytes: Uint8Array): number | null {
  const ebml = readElement(bytes, 0)
  if (!ebml || ebml.id !== ID_EBML || ebml.size < 0) return null
  const segment = readElement(bytes, ebml.dataStart + ebml.size)
  if (!segment || segment.id !== ID_SEGMENT) return null
  for (let pos = segment.dataStart; pos < bytes.length; ) {
    const el = readElement(bytes, pos)
    if (!el || el.id === ID_CLUSTER || el.size < 0) return null
    if (el.id === ID_INFO) {
      let scale = 1_000_000
      let duration: number | null = null
      for (let p = el.dataStart; p < el.dataStart + el.size; ) {
        const child = readElement(bytes, p)
        if (!child || child.size < 0) return null
        const view = new DataView(bytes.buffer, bytes.byteOffset + child.dataStart, child.size)
        if (child.id === ID_TIMECODE_SCALE) {
          let v = 0
          for (let i = 0; i < child.size; i++) v = v * 256 + bytes[child.dataStart + i]
          if (v > 0) scale = v
        }
        if (child.id === ID_DURATION) duration = child.size === 8 ? view.getFloat64(0) : view.getFloat32(0)
        p = child.dataStart + child.size
      }
      return duration === null ? null : (duration * scale) / 1_000_000
    }
    pos = el.dataStart + el.size
  }
  return null
}

/**
 * Whether a whole WebM file holds at least one media frame (a SimpleBlock or BlockGroup inside a
 * Cluster). A take cut off before the encoder's first cluster has none and no player opens it, so
 * the take list says so instead of offering Play. `null` when the bytes are not WebM at all.
 */
export function webmHasFrames(bytes: Uint8Array): boolean | null {
  const ebml = readElement(bytes, 0)
  // Cut inside the EBML header itself (Chromium hands over the first byte as a chunk of its own).
  if (!ebml) return bytes.length > 0 && bytes.length < 4 && bytes.every((b, i) => b === EBML_MAGIC[i]) ? false : null
  if (ebml.id !== ID_EBML || ebml.size < 0) return null
  // A flat walk that steps into the Segment and into Clusters (Chromium writes both with an
  // unknown size) and over everything else; the bytes end wherever the take was cut.
  for (let pos = ebml.dataStart + ebml.size; pos < bytes.length; ) {
    const el = readElement(bytes, pos)
    if (!el) return false
    if (el.id === ID_SIMPLE_BLOCK || el.id === ID_BLOCK_GROUP) return true
    if (el.id === ID_SEGMENT || el.id === ID_CLUSTER) pos = el.dataStart
    else if (el.size < 0) return false
    else pos = el.dataStart + el.size
  }
  return false
}
