import { describe, expect, it } from 'vitest'
import { readWebmDuration, setWebmDuration, webmHasFrames } from './webm-duration'

/** Encodes an EBML element: id bytes, size (vint of `sizeLength` bytes, or unknown), data. */
function el(id: number[], data: Uint8Array | number[], sizeLength = 1, unknown = false): Uint8Array {
  const body = data instanceof Uint8Array ? data : Uint8Array.from(data)
  const size = new Uint8Array(sizeLength)
  if (unknown) {
    size.fill(0xff)
    size[0] = (0x80 >> (sizeLength - 1)) | ((0xff >> sizeLength) & 0xff)
  } else {
    let v = body.length
    for (let i = sizeLength - 1; i >= 0; i--) {
      size[i] = v & 0xff
      v = Math.floor(v / 256)
    }
    size[0] |= 0x80 >> (sizeLength - 1)
  }
  return concat(Uint8Array.from(id), size, body)
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

const text = (s: string) => new TextEncoder().encode(s)

/** The layout Chromium's MediaRecorder writes: EBML, unknown-size Segment, Info without Duration, Tracks, Clusters. */
function chromiumLike(options: { segmentUnknown?: boolean; infoSizeLength?: number; scale?: number } = {}): { file: Uint8Array; clusterAt: number } {
  const header = el([0x1a, 0x45, 0xdf, 0xa3], concat(el([0x42, 0x82], text('webm')), el([0x42, 0x87], [4])))
  const scale = options.scale ?? 1_000_000
  const scaleBytes = [(scale >> 16) & 0xff, (scale >> 8) & 0xff, scale & 0xff]
  const info = el([0x15, 0x49, 0xa9, 0x66], concat(el([0x2a, 0xd7, 0xb1], scaleBytes), el([0x4d, 0x80], text('Chrome')), el([0x57, 0x41], text('Chrome'))), options.infoSizeLength ?? 1)
  const tracks = el([0x16, 0x54, 0xae, 0x6b], el([0xae], el([0xd7], [1])))
  const cluster = el([0x1f, 0x43, 0xb6, 0x75], concat(el([0xe7], [0]), el([0xa3], [0x81, 0, 0, 0x80, 1, 2, 3])), 8, true)
  const segmentBody = concat(info, tracks, cluster)
  const segment = options.segmentUnknown === false ? el([0x18, 0x53, 0x80, 0x67], segmentBody, 8) : concat(Uint8Array.from([0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), segmentBody)
  const file = concat(header, segment)
  return { file, clusterAt: file.length - cluster.length }
}

describe('setWebmDuration', () => {
  it('adds a Duration to a MediaRecorder-style file and keeps everything after Info byte for byte', () => {
    const { file, clusterAt } = chromiumLike()
    expect(readWebmDuration(file)).toBeNull()
    const result = setWebmDuration(file, 5234.5)
    expect(result.ok).toBe(true)
    expect(readWebmDuration(result.bytes)).toBeCloseTo(5234.5, 6)
    expect(result.bytes.length).toBe(file.length + 11)
    expect(Array.from(result.bytes.subarray(result.bytes.length - (file.length - clusterAt)))).toEqual(Array.from(file.subarray(clusterAt)))
  })

  it('honours TimecodeScale', () => {
    const { file } = chromiumLike({ scale: 1000 }) // microsecond units
    const patched = setWebmDuration(file, 1500).bytes
    expect(readWebmDuration(patched)).toBeCloseTo(1500, 6)
  })

  it('overwrites an existing Duration in place', () => {
    const once = setWebmDuration(chromiumLike().file, 1000).bytes
    const twice = setWebmDuration(once, 2000)
    expect(twice.ok).toBe(true)
    expect(twice.bytes.length).toBe(once.length)
    expect(readWebmDuration(twice.bytes)).toBeCloseTo(2000, 6)
  })

  it('grows a known-size Segment and a wide Info size field', () => {
    const { file } = chromiumLike({ segmentUnknown: false, infoSizeLength: 8 })
    const result = setWebmDuration(file, 42)
    expect(result.ok).toBe(true)
    expect(readWebmDuration(result.bytes)).toBeCloseTo(42, 6)
    // The Segment's own size field (8 bytes after its ID) now covers the grown Info exactly.
    const b = result.bytes
    let at = 0
    while (!(b[at] === 0x18 && b[at + 1] === 0x53 && b[at + 2] === 0x80 && b[at + 3] === 0x67)) at++
    let size = b[at + 4] & 0x00
    for (let i = 5; i < 12; i++) size = size * 256 + b[at + i]
    expect(size).toBe(b.length - (at + 12))
    expect(setWebmDuration(b, 43).bytes.length).toBe(b.length)
  })

  it('works on the first chunk alone (Info before the first Cluster)', () => {
    const { file, clusterAt } = chromiumLike()
    const head = file.subarray(0, clusterAt + 5)
    const result = setWebmDuration(head, 900)
    expect(result.ok).toBe(true)
    expect(readWebmDuration(result.bytes)).toBeCloseTo(900, 6)
  })

  it('leaves files it does not understand unchanged, saying why', () => {
    const mp4 = Uint8Array.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70])
    const r = setWebmDuration(mp4, 1000)
    expect(r).toMatchObject({ ok: false })
    expect(r.bytes).toBe(mp4)
    expect(setWebmDuration(chromiumLike().file, Number.NaN).ok).toBe(false)
  })
})

describe('webmHasFrames', () => {
  it('finds the first frame in an unknown-size cluster of an unknown-size segment', () => {
    expect(webmHasFrames(chromiumLike().file)).toBe(true)
    expect(webmHasFrames(chromiumLike({ segmentUnknown: false }).file)).toBe(true)
  })
  it('says false for a take cut off before its first cluster or its first block', () => {
    const { file, clusterAt } = chromiumLike()
    expect(webmHasFrames(file.subarray(0, clusterAt))).toBe(false)
    // The cluster header and its timecode, but no block yet.
    expect(webmHasFrames(file.subarray(0, clusterAt + 12 + 3))).toBe(false)
    // Chromium's first chunk: one byte.
    expect(webmHasFrames(file.subarray(0, 1))).toBe(false)
    expect(webmHasFrames(file.subarray(0, 20))).toBe(false)
  })
  it('says null for bytes that are not WebM', () => {
    expect(webmHasFrames(text('ftypisom not a webm'))).toBe(null)
    expect(webmHasFrames(new Uint8Array(0))).toBe(null)
  })
})
