/**
 * Reads a WebM file's timeline in the test process, independently of the app: the Duration in the
 * header, the number of video/audio blocks and the time of the last one (cluster time + block
 * offset), and the video track's size. Enough EBML to walk what MediaRecorder writes (unknown-size
 * Segment and Clusters, SimpleBlocks).
 */
const ID = {
  segment: 0x18538067,
  info: 0x1549a966,
  scale: 0x2ad7b1,
  duration: 0x4489,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  video: 0xe0,
  pixelWidth: 0xb0,
  pixelHeight: 0xba,
  cluster: 0x1f43b675,
  timecode: 0xe7,
  simpleBlock: 0xa3,
  blockGroup: 0xa0,
  block: 0xa1,
}

function vint(b: Uint8Array, pos: number, keepMarker: boolean): { value: number; length: number; unknown: boolean } {
  const first = b[pos]
  let length = 1
  let mask = 0x80
  while (length <= 8 && (first & mask) === 0) {
    length++
    mask >>= 1
  }
  if (length > 8) throw new Error(`bad vint at ${pos}`)
  let value = keepMarker ? first : first & (mask - 1)
  let ones = (first & (mask - 1)) === mask - 1
  for (let i = 1; i < length; i++) {
    value = value * 256 + b[pos + i]
    if (b[pos + i] !== 0xff) ones = false
  }
  return { value, length, unknown: !keepMarker && ones }
}

function uint(b: Uint8Array, start: number, size: number): number {
  let v = 0
  for (let i = 0; i < size; i++) v = v * 256 + b[start + i]
  return v
}

/** What {@link readWebmTimeline} finds. */
export interface WebmTimeline {
  headerDurationMs: number | null
  blocks: number
  lastBlockMs: number
  width: number | null
  height: number | null
}

/** Walks a whole WebM file. Throws on bytes it cannot parse (a broken file fails the test). */
export function readWebmTimeline(b: Uint8Array): WebmTimeline {
  const out: WebmTimeline = { headerDurationMs: null, blocks: 0, lastBlockMs: 0, width: null, height: null }
  let scale = 1_000_000
  let durationUnits: number | null = null
  let clusterTime = 0
  const containers = new Set([ID.segment, ID.info, ID.tracks, ID.trackEntry, ID.video, ID.cluster, ID.blockGroup])
  let pos = 0
  while (pos < b.length) {
    const id = vint(b, pos, true)
    const size = vint(b, pos + id.length, false)
    const data = pos + id.length + size.length
    if (containers.has(id.value)) {
      pos = data // descend: children follow (unknown sizes end where the next parent-level ID starts)
      continue
    }
    if (size.unknown) throw new Error(`unknown-size element 0x${id.value.toString(16)} at ${pos}`)
    const view = new DataView(b.buffer, b.byteOffset + data, size.value)
    switch (id.value) {
      case ID.scale:
        scale = uint(b, data, size.value)
        break
      case ID.duration:
        durationUnits = size.value === 8 ? view.getFloat64(0) : view.getFloat32(0)
        break
      case ID.pixelWidth:
        out.width = uint(b, data, size.value)
        break
      case ID.pixelHeight:
        out.height = uint(b, data, size.value)
        break
      case ID.timecode:
        clusterTime = uint(b, data, size.value)
        break
      case ID.simpleBlock:
      case ID.block: {
        const track = vint(b, data, false)
        const rel = view.getInt16(track.length)
        out.blocks++
        out.lastBlockMs = Math.max(out.lastBlockMs, ((clusterTime + rel) * scale) / 1_000_000)
        break
      }
    }
    pos = data + size.value
  }
  if (pos !== b.length) throw new Error(`the file ends inside an element (${pos} of ${b.length} bytes)`)
  out.headerDurationMs = durationUnits === null ? null : (durationUnits * scale) / 1_000_000
  return out
}
