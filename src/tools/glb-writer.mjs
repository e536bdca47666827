// @ts-check
/**
 * Packs glTF JSON and binary chunks into a GLB container (glTF 2.0 binary: header, JSON chunk
 * padded with spaces, BIN chunk padded with zeros). Shared by the avatar and animation generators.
 * @param {unknown} json
 * @param {Uint8Array[]} binChunks
 * @param {number} binLength total bytes of `binChunks`
 * @returns {Uint8Array}
 */
export function toGlb(json, binChunks, binLength) {
  const jsonBytes = new TextEncoder().encode(JSON.stringify(json))
  const jsonPadded = Math.ceil(jsonBytes.length / 4) * 4
  const binPadded = Math.ceil(binLength / 4) * 4
  const total = 12 + 8 + jsonPadded + 8 + binPadded
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  view.setUint32(0, 0x46546c67, true) // 'glTF'
  view.setUint32(4, 2, true)
  view.setUint32(8, total, true)
  view.setUint32(12, jsonPadded, true)
  view.setUint32(16, 0x4e4f534a, true) // 'JSON'
  out.set(jsonBytes, 20)
  out.fill(0x20, 20 + jsonBytes.length, 20 + jsonPadded)
  let o = 20 + jsonPadded
  view.setUint32(o, binPadded, true)
  view.setUint32(o + 4, 0x004e4942, true) // 'BIN\0'
  o += 8
  for (const c of binChunks) {
    out.set(c, o)
    o += c.byteLength
  }
  return out
}
