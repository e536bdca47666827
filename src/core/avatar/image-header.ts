/**
 * Image dimensions read from the first bytes of an encoded image, without decoding it: a 33 KB PNG
 * can declare 60000 × 60000 pixels and decode to gigabytes, so the size has to be known before the
 * browser is asked to decode. PNG, JPEG, WebP (lossy, lossless, extended), KTX2, GIF and BMP.
 */

/** What a header says: format and the pixels the decoder would produce. */
export interface ImageHeader {
  format: 'png' | 'jpeg' | 'webp' | 'ktx2' | 'gif' | 'bmp'
  width: number
  height: number
  /** Decoded pixels: width × height, times depth, layers and faces for KTX2. */
  pixels: number
}

/** Why a header could not be read. */
export type ImageHeaderProblem = 'unknown-format' | 'truncated' | 'bad-header'

/** Reads the header; returns the dimensions or why they could not be read. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | ImageHeaderProblem {
  const b = bytes
  const at = (sig: readonly number[], offset = 0) => b.length >= offset + sig.length && sig.every((v, i) => b[offset + i] === v)
  const u16be = (o: number) => (b[o] << 8) | b[o + 1]
  const u16le = (o: number) => b[o] | (b[o + 1] << 8)
  const u24le = (o: number) => b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)
  const u32be = (o: number) => ((b[o] << 24) >>> 0) + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3])
  const u32le = (o: number) => ((b[o + 3] << 24) >>> 0) + ((b[o + 2] << 16) | (b[o + 1] << 8) | b[o])
  const header = (format: ImageHeader['format'], width: number, height: number, extra = 1): ImageHeader | ImageHeaderProblem =>
    width > 0 && height > 0 ? { format, width, height, pixels: width * height * extra } : 'bad-header'

  if (at([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    if (b.length < 24) return 'truncated'
    // The first chunk must be IHDR: width and height, 4 bytes each, big-endian.
    if (!at([0x49, 0x48, 0x44, 0x52], 12)) return 'bad-header'
    return header('png', u32be(16), u32be(20))
  }
  if (at([0xff, 0xd8])) {
    // Walk the marker segments to the first start-of-frame (SOFn, not DHT/JPG/DAC).
    let o = 2
    for (let guard = 0; guard < 10_000; guard++) {
      while (o < b.length && b[o] === 0xff && b[o + 1] === 0xff) o++
      if (o + 4 > b.length) return 'truncated'
      if (b[o] !== 0xff) return 'bad-header'
      const marker = b[o + 1]
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        o += 2
        continue
      }
      if (marker === 0xd9 || marker === 0xda) return 'bad-header' // image data before any frame header
      const length = u16be(o + 2)
      if (length < 2) return 'bad-header'
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        if (o + 9 > b.length) return 'truncated'
        return header('jpeg', u16be(o + 7), u16be(o + 5))
      }
      o += 2 + length
    }
    return 'bad-header'
  }
  if (at([0x52, 0x49, 0x46, 0x46]) && at([0x57, 0x45, 0x42, 0x50], 8)) {
    if (b.length < 30) return 'truncated'
    const chunk = String.fromCharCode(b[12], b[13], b[14], b[15])
    if (chunk === 'VP8 ') {
      if (!at([0x9d, 0x01, 0x2a], 23)) return 'bad-header'
      return header('webp', u16le(26) & 0x3fff, u16le(28) & 0x3fff)
    }
    if (chunk === 'VP8L') {
      if (b[20] !== 0x2f) return 'bad-header'
      const bits = u32le(21)
      return header('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1)
    }
    if (chunk === 'VP8X') return header('webp', u24le(24) + 1, u24le(27) + 1)
    return 'bad-header'
  }
  if (at([0xab, 0x4b, 0x54, 0x58, 0x20, 0x32, 0x30, 0xbb, 0x0d, 0x0a, 0x1a, 0x0a])) {
    if (b.length < 40) return 'truncated'
    const depth = Math.max(1, u32le(28))
    const layers = Math.max(1, u32le(32))
    const faces = Math.max(1, u32le(36))
    // A 1D texture has height 0; it still decodes to width pixels per row.
    return header('ktx2', u32le(20), Math.max(1, u32le(24)), depth * layers * faces)
  }
  if (at([0x47, 0x49, 0x46, 0x38])) {
    if (b.length < 10) return 'truncated'
    return header('gif', u16le(6), u16le(8))
  }
  if (at([0x42, 0x4d])) {
    if (b.length < 26) return 'truncated'
    const height = u32le(22) | 0 // negative for top-down rows
    return header('bmp', u32le(18) | 0, Math.abs(height))
  }
  return 'unknown-format'
}
