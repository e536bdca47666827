/**
 * A generated corpus of hostile files (issue 16): avatars (.vrm/.glb) and xr-sessions recordings
 * that are broken, lying or built to exhaust the loader, each with the outcome it must get — the
 * error code the validators give, or for avatars that are only badly named, acceptance with a
 * cleaned name. Everything is derived from two good files (the shipped default host and a shipped
 * session) by a seeded generator, so the corpus is the same on every run and needs no fixtures.
 *
 * Used by src/tools/make-hostile-corpus.test.ts (every entry through the validators, in Node) and
 * src/e2e/hostile-avatars.spec.ts (a selection through the file picker and `?avatar=`). To look
 * at the files: `LINGJING_WRITE_CORPUS=some/dir npx vitest run src/tools/make-hostile-corpus.test.ts`.
 */
import type { VrmErrorCode } from '../core/avatar/vrm-validation'
import type { ReplayErrorCode } from '../core/replay/replay-error'
import { createRng } from '../core/time/rng'

/** One hostile file and what must happen to it. */
export type HostileEntry =
  | {
      kind: 'avatar'
      /** File name (unique in the corpus). */
      name: string
      bytes: Uint8Array
      /** The refusal code, or 'ok' for a file that loads with its name cleaned to `name`. */
      expect: VrmErrorCode | 'ok'
      /** For 'ok': the name the app must show. */
      expectName?: string
      /** What is wrong with it, for people. */
      note: string
      /** The file contains an external URL the app must never request. */
      externalUrl?: string
    }
  | { kind: 'recording'; name: string; text: string; expect: ReplayErrorCode | 'ok'; note: string }

// glTF JSON poked at in arbitrary shapes: static types would only get in the way here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

const GLB_MAGIC = 0x46546c67
const CHUNK_JSON = 0x4e4f534a
const CHUNK_BIN = 0x004e4942

/** Splits a GLB into its JSON and binary chunk (the shipped avatar is a well-formed one). */
export function unpackGlb(bytes: Uint8Array): { json: Json; bin: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const jsonLength = view.getUint32(12, true)
  const json = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + jsonLength))) as Json
  const binStart = 20 + jsonLength
  const binLength = binStart + 8 <= bytes.length ? view.getUint32(binStart, true) : 0
  return { json, bin: bytes.slice(binStart + 8, binStart + 8 + binLength) }
}

/** Packs JSON (as text, so it may be invalid on purpose) and an optional binary chunk into a GLB. */
export function packGlb(jsonText: string | Uint8Array, bin?: Uint8Array | null, version = 2): Uint8Array {
  let jsonBytes = typeof jsonText === 'string' ? new TextEncoder().encode(jsonText) : jsonText
  if (jsonBytes.length % 4 !== 0) {
    const padded = new Uint8Array(Math.ceil(jsonBytes.length / 4) * 4).fill(0x20)
    padded.set(jsonBytes)
    jsonBytes = padded
  }
  const binLength = bin ? Math.ceil(bin.length / 4) * 4 : 0
  const total = 12 + 8 + jsonBytes.length + (bin ? 8 + binLength : 0)
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  view.setUint32(0, GLB_MAGIC, true)
  view.setUint32(4, version, true)
  view.setUint32(8, total, true)
  view.setUint32(12, jsonBytes.length, true)
  view.setUint32(16, CHUNK_JSON, true)
  out.set(jsonBytes, 20)
  if (bin) {
    const o = 20 + jsonBytes.length
    view.setUint32(o, binLength, true)
    view.setUint32(o + 4, CHUNK_BIN, true)
    out.set(bin, o + 8)
  }
  return out
}

// --- Image headers: a few bytes that declare a size (only the header is ever read before refusal).

function be32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]
}
function le16(n: number): number[] {
  return [n & 255, (n >>> 8) & 255]
}
function le24(n: number): number[] {
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255]
}
function le32(n: number): number[] {
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255]
}

/** A PNG signature and IHDR chunk declaring `width × height` RGBA, then an empty IDAT and IEND. */
export function pngHeader(width: number, height: number): Uint8Array {
  return new Uint8Array([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ...be32(13), 0x49, 0x48, 0x44, 0x52, ...be32(width), ...be32(height), 8, 6, 0, 0, 0, 0, 0, 0, 0,
    ...be32(0), 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
  ])
}

/** A JPEG start, an APP0 segment and a baseline frame header declaring `width × height`. */
function jpegHeader(width: number, height: number): Uint8Array {
  return new Uint8Array([
    0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    0xff, 0xc0, 0, 17, 8, (height >> 8) & 255, height & 255, (width >> 8) & 255, width & 255, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
    0xff, 0xd9,
  ])
}

/** An extended WebP (VP8X) header declaring a `width × height` canvas. */
function webpHeader(width: number, height: number): Uint8Array {
  return new Uint8Array([0x52, 0x49, 0x46, 0x46, ...le32(22), 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x58, ...le32(10), 0, 0, 0, 0, ...le24(width - 1), ...le24(height - 1)])
}

/** A KTX2 header declaring `width × height` (the rest of the container is absent). */
function ktx2Header(width: number, height: number, layers = 0): Uint8Array {
  return new Uint8Array([0xab, 0x4b, 0x54, 0x58, 0x20, 0x32, 0x30, 0xbb, 0x0d, 0x0a, 0x1a, 0x0a, ...le32(37), ...le32(1), ...le32(width), ...le32(height), ...le32(0), ...le32(layers), ...le32(1), ...le32(1), ...le32(0)])
}

/** A GIF header declaring `width × height`. */
function gifHeader(width: number, height: number): Uint8Array {
  return new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, ...le16(width), ...le16(height), 0, 0, 0, 0x3b])
}

/** A real 1 × 1 PNG (decodes in every browser). */
export const TINY_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

function fromBase64(text: string): Uint8Array {
  const s = atob(text)
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  return out
}

function toBase64(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s)
}

/** Appends images to the binary chunk, each with a buffer view, an image and a texture. */
function withImages(base: { json: Json; bin: Uint8Array }, images: { bytes: Uint8Array; mimeType: string }[]): { json: Json; bin: Uint8Array } {
  const json = structuredClone(base.json)
  const parts: Uint8Array[] = [base.bin]
  let length = base.bin.length
  json.images = json.images ?? []
  json.textures = json.textures ?? []
  for (const image of images) {
    const pad = (4 - (length % 4)) % 4
    if (pad) {
      parts.push(new Uint8Array(pad))
      length += pad
    }
    json.bufferViews.push({ buffer: 0, byteOffset: length, byteLength: image.bytes.length })
    json.images.push({ bufferView: json.bufferViews.length - 1, mimeType: image.mimeType })
    json.textures.push({ source: json.images.length - 1 })
    parts.push(image.bytes)
    length += image.bytes.length
  }
  const bin = new Uint8Array(Math.ceil(length / 4) * 4)
  let o = 0
  for (const p of parts) {
    bin.set(p, o)
    o += p.length
  }
  json.buffers[0].byteLength = bin.length
  // The first material shows the first added texture, as an exporter would reference it.
  if (json.materials?.[0] && images.length) json.materials[0].pbrMetallicRoughness = { ...json.materials[0].pbrMetallicRoughness, baseColorTexture: { index: json.textures.length - images.length } }
  return { json, bin }
}

/** The shipped avatar with a real 1 × 1 PNG texture on its first material: must load. */
export function texturedAvatar(avatar: Uint8Array): Uint8Array {
  const textured = withImages(unpackGlb(avatar), [{ bytes: fromBase64(TINY_PNG_BASE64), mimeType: 'image/png' }])
  return packGlb(JSON.stringify(textured.json), textured.bin)
}

/** Where the default host's first indexed primitive keeps its indices, and its vertex count. */
function firstIndexAccessor(json: Json): { accessor: number; vertices: number } {
  for (const mesh of json.meshes) {
    for (const prim of mesh.primitives) {
      if (typeof prim.indices === 'number') return { accessor: prim.indices, vertices: json.accessors[prim.attributes.POSITION].count }
    }
  }
  throw new Error('the base avatar has no indexed primitive')
}

/** The corpus; `avatar` is the shipped default host (.vrm bytes), `recording` a shipped session's text. */
export function createHostileCorpus(avatar: Uint8Array, recording: string): HostileEntry[] {
  const out: HostileEntry[] = []
  const rng = createRng(16)
  const base = unpackGlb(avatar)
  const baseJsonText = JSON.stringify(base.json)
  const add = (name: string, bytes: Uint8Array, expect: VrmErrorCode | 'ok', note: string, extra: { expectName?: string; externalUrl?: string } = {}) =>
    out.push({ kind: 'avatar', name: `${String(out.length).padStart(3, '0')}-${name}.vrm`, bytes, expect, note, ...extra })
  /** The default host with its JSON changed by `mutate` (binary chunk kept). */
  const mutated = (mutate: (json: Json, bin: Uint8Array) => Uint8Array | void): Uint8Array => {
    const json = structuredClone(base.json)
    const bin = base.bin.slice()
    const replaced = mutate(json, bin)
    return packGlb(JSON.stringify(json), replaced ?? bin)
  }
  const nodeCount = base.json.nodes.length
  const root = base.json.scenes[base.json.scene ?? 0].nodes[0] as number

  // --- Container ------------------------------------------------------------------------------
  add('empty', new Uint8Array(0), 'not-glb', 'zero bytes')
  for (let i = 0; i < 5; i++) {
    const n = rng.int(1, 4096)
    const bytes = new Uint8Array(n)
    for (let k = 0; k < n; k++) bytes[k] = rng.int(0, 255)
    if (bytes[0] === 0x67) bytes[0] = 0 // never a GLB prefix by accident
    add(`random-${i}`, bytes, 'not-glb', `${n} random bytes`)
  }
  add('gltf-text', new TextEncoder().encode(baseJsonText), 'not-glb', 'a .gltf JSON text renamed .vrm')
  add('png-renamed', pngHeader(64, 64), 'not-glb', 'a PNG renamed .vrm')
  add('zip-renamed', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0]), 'not-glb', 'a ZIP renamed .vrm')
  for (const cut of [4, 11, 16, 19]) add(`cut-header-${cut}`, avatar.slice(0, cut), 'truncated-glb', `the first ${cut} bytes`)
  for (const fraction of [0.01, 0.3, 0.6, 0.99]) {
    const cut = Math.floor(avatar.length * fraction)
    add(`cut-${Math.round(fraction * 100)}pct`, avatar.slice(0, cut), 'truncated-glb', `cut at ${cut} of ${avatar.length} bytes`)
  }
  for (const version of [1, 3, 0xffffffff]) {
    const bytes = avatar.slice()
    new DataView(bytes.buffer).setUint32(4, version, true)
    add(`glb-version-${version}`, bytes, 'unsupported-glb-version', `GLB version ${version}`)
  }
  {
    const bytes = avatar.slice()
    new DataView(bytes.buffer).setUint32(8, avatar.length * 4, true)
    add('lying-total-length', bytes, 'truncated-glb', 'the header claims four times the file size')
  }
  {
    const bytes = avatar.slice()
    new DataView(bytes.buffer).setUint32(12, 0x7fffffff, true)
    add('lying-json-length', bytes, 'truncated-glb', 'the JSON chunk claims 2 GB')
  }
  {
    const bytes = avatar.slice()
    const view = new DataView(bytes.buffer)
    const binHeader = 20 + view.getUint32(12, true)
    view.setUint32(binHeader, 0x7ffffff0, true)
    add('lying-bin-length', bytes, 'truncated-glb', 'the binary chunk claims 2 GB')
  }
  {
    const bytes = avatar.slice()
    new DataView(bytes.buffer).setUint32(16, CHUNK_BIN, true)
    add('bin-chunk-first', bytes, 'missing-json-chunk', 'the first chunk is typed BIN')
  }
  add('json-syntax', packGlb(`{}}}${baseJsonText.slice(1)}`, base.bin), 'invalid-json', 'stray braces in the JSON')
  add('json-nan', packGlb(baseJsonText.replace(/"count":\d+/, '"count":NaN'), base.bin), 'invalid-json', 'NaN is not JSON')
  add('json-bad-utf8', packGlb(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), base.bin), 'invalid-json', 'invalid UTF-8 in the JSON chunk')
  add('json-array', packGlb('[1,2,3]'), 'invalid-gltf', 'the JSON is an array')
  add('json-null', packGlb('null'), 'invalid-gltf', 'the JSON is null')
  add('json-number', packGlb('1e999'), 'invalid-gltf', 'the JSON is Infinity')
  add('gltf-1', mutated((j) => void (j.asset.version = '1.0')), 'invalid-gltf', 'glTF 1.0')
  add('no-asset', mutated((j) => void delete j.asset), 'invalid-gltf', 'no asset block')

  // --- Node tree ------------------------------------------------------------------------------
  add('node-own-child', mutated((j) => void (j.nodes[root].children = [...(j.nodes[root].children ?? []), root])), 'node-cycle', 'the root lists itself as a child')
  add(
    'node-cycle-2',
    mutated((j) => {
      j.nodes.push({ name: 'a', children: [nodeCount + 1] }, { name: 'b', children: [nodeCount] })
    }),
    'node-cycle',
    'two nodes, each the child of the other (unreachable from the scene)',
  )
  add(
    'node-cycle-deep',
    mutated((j) => {
      // The root's descendant points back at the root: a cycle through the scene's tree.
      let n = root
      while (j.nodes[n].children?.length) n = j.nodes[n].children[0]
      j.nodes[n].children = [root]
    }),
    'node-cycle',
    'a leaf whose child is the scene root',
  )
  add(
    'node-two-parents',
    mutated((j) => {
      const child = j.nodes[root].children[0]
      j.nodes.push({ name: 'thief', children: [child] })
    }),
    'node-two-parents',
    'a node that is the child of two parents',
  )
  for (const depth of [129, 1000, 10_000]) {
    add(
      `node-chain-${depth}`,
      mutated((j) => {
        const start = j.nodes.length
        for (let k = 0; k < depth; k++) j.nodes.push(k + 1 < depth ? { name: `c${k}`, children: [start + k + 1] } : { name: `c${k}` })
        j.scenes[0].nodes.push(start)
      }),
      'node-too-deep',
      `a chain ${depth} nodes deep (GLTFLoader recursion: "Maximum call stack size exceeded")`,
    )
  }
  add(
    'nodes-20000',
    mutated((j) => {
      for (let k = 0; k < 20_000; k++) j.nodes.push({})
    }),
    'too-complex',
    '20,000 extra nodes',
  )
  for (const [label, value] of [
    ['past-end', nodeCount + 5],
    ['negative', -1],
    ['fraction', 1.5],
    ['string', '"3"'],
  ] as const) {
    add(`child-${label}`, mutated((j) => void (j.nodes[root].children = [...(j.nodes[root].children ?? []), typeof value === 'string' ? '3' : value])), 'bad-reference', `a child index that is ${label}`)
  }
  add('nodes-not-array', mutated((j) => void (j.nodes = { 0: {} })), 'invalid-gltf', 'nodes is an object')
  add('node-not-object', mutated((j) => void (j.nodes[1] = 'node')), 'invalid-gltf', 'a node that is a string')
  add('children-not-array', mutated((j) => void (j.nodes[root].children = 7)), 'invalid-gltf', 'children is a number')
  add('mesh-ref-past-end', mutated((j) => void (j.nodes.find((n: Json) => typeof n.mesh === 'number').mesh = 999)), 'bad-reference', 'a node whose mesh does not exist')
  add('skin-ref-past-end', mutated((j) => void (j.nodes.find((n: Json) => typeof n.skin === 'number').skin = 42)), 'bad-reference', 'a node whose skin does not exist')
  add('skin-joint-past-end', mutated((j) => void j.skins[0].joints.push(nodeCount + 100)), 'bad-reference', 'a skin joint that does not exist')
  add('scene-root-past-end', mutated((j) => void j.scenes[0].nodes.push(nodeCount + 1)), 'bad-reference', 'a scene root that does not exist')
  add('scene-index-past-end', mutated((j) => void (j.scene = 5)), 'bad-reference', 'the default scene does not exist')

  // --- Buffers, views, accessors ----------------------------------------------------------------
  add('view-past-buffer', mutated((j) => void (j.bufferViews[1].byteLength = base.bin.length * 2)), 'buffer-out-of-bounds', 'a buffer view longer than the buffer')
  add('view-offset-past-buffer', mutated((j) => void (j.bufferViews[2].byteOffset = base.bin.length)), 'buffer-out-of-bounds', 'a buffer view starting at the end')
  add('buffer-longer-than-bin', mutated((j) => void (j.buffers[0].byteLength = base.bin.length + 4096)), 'buffer-out-of-bounds', 'the buffer claims more bytes than the binary chunk has')
  add('view-buffer-past-end', mutated((j) => void (j.bufferViews[0].buffer = 3)), 'bad-reference', 'a view of a buffer that does not exist')
  add('accessor-count-lies', mutated((j) => void (j.accessors[1].count = j.accessors[1].count * 50)), 'accessor-out-of-bounds', 'an accessor 50 times longer than its view')
  add('accessor-offset-lies', mutated((j) => void (j.accessors[1].byteOffset = j.bufferViews[j.accessors[1].bufferView].byteLength)), 'accessor-out-of-bounds', 'an accessor starting past its view')
  add('accessor-stride-lies', mutated((j) => void (j.bufferViews[j.accessors[1].bufferView].byteStride = 252)), 'accessor-out-of-bounds', 'a stride that walks past the view')
  add('accessor-view-past-end', mutated((j) => void (j.accessors[0].bufferView = 9999)), 'bad-reference', 'an accessor of a view that does not exist')
  add('accessor-bad-type', mutated((j) => void (j.accessors[0].componentType = 5130)), 'invalid-gltf', 'a component type that does not exist (5130, double)')
  add('accessor-count-infinite', packGlb(baseJsonText.replace(/"count":\d+/, '"count":1e999'), base.bin), 'invalid-gltf', 'a count of Infinity')
  add('accessor-zero-filled-huge', mutated((j) => void j.accessors.push({ componentType: 5126, count: 16_000_000, type: 'MAT4' })), 'too-complex', 'a 1 GB accessor with no data (zero-filled by the loader)')
  add(
    'accessor-sparse-lies',
    mutated((j) => {
      j.accessors[1].sparse = { count: 10, indices: { bufferView: 0, byteOffset: j.bufferViews[0].byteLength - 4, componentType: 5125 }, values: { bufferView: 0 } }
    }),
    'accessor-out-of-bounds',
    'sparse indices past their view',
  )
  add(
    'accessors-70000',
    mutated((j) => {
      for (let k = 0; k < 70_000; k++) j.accessors.push(j.accessors[0])
    }),
    'too-complex',
    '70,000 accessors',
  )
  add(
    'index-past-vertices',
    mutated((j, bin) => {
      const { accessor, vertices } = firstIndexAccessor(j)
      const a = j.accessors[accessor]
      const v = j.bufferViews[a.bufferView]
      const at = (v.byteOffset ?? 0) + (a.byteOffset ?? 0)
      const view = new DataView(bin.buffer)
      if (a.componentType === 5123) view.setUint16(at + 2, Math.min(65535, vertices + 1000), true)
      else if (a.componentType === 5125) view.setUint32(at + 4, vertices + 1000, true)
      else view.setUint8(at + 1, 255)
      return bin
    }),
    'bad-index-value',
    'an index past the end of its vertices',
  )
  add('primitive-indices-past-end', mutated((j) => void (j.meshes[0].primitives[0].indices = 5000)), 'bad-reference', 'a primitive whose indices accessor does not exist')
  add('primitive-material-past-end', mutated((j) => void (j.meshes[0].primitives[0].material = 400)), 'bad-reference', 'a primitive whose material does not exist')
  add('primitive-attribute-past-end', mutated((j) => void (j.meshes[0].primitives[0].attributes.NORMAL = 77_777)), 'bad-reference', 'an attribute accessor that does not exist')
  add('meshes-primitives-missing', mutated((j) => void delete j.meshes[0].primitives), 'invalid-gltf', 'a mesh without primitives')
  add(
    'primitives-20000',
    mutated((j) => {
      const p = j.meshes[0].primitives[0]
      j.meshes[0].primitives = Array.from({ length: 20_000 }, () => p)
    }),
    'too-complex',
    '20,000 draw calls in one mesh',
  )
  add(
    'materials-2000',
    mutated((j) => {
      for (let k = 0; k < 2000; k++) j.materials.push({ name: `m${k}` })
    }),
    'too-complex',
    '2,000 materials',
  )
  add('required-draco', mutated((j) => void (j.extensionsRequired = ['KHR_draco_mesh_compression'])), 'unsupported-extension', 'Draco compression required (no decoder here)')
  add('required-meshopt', mutated((j) => void (j.extensionsRequired = ['EXT_meshopt_compression'])), 'unsupported-extension', 'meshopt compression required')

  // --- External and data URIs -------------------------------------------------------------------
  const EXTERNAL = 'https://tracker.invalid/pixel.png'
  add(
    'image-external-url',
    mutated((j) => {
      j.images = [{ uri: EXTERNAL }]
      j.textures = [{ source: 0 }]
    }),
    'external-uri',
    'an image fetched from the network',
    { externalUrl: EXTERNAL },
  )
  add(
    'image-relative-url',
    mutated((j) => {
      j.images = [{ uri: 'textures/skin.png' }]
      j.textures = [{ source: 0 }]
    }),
    'external-uri',
    'an image beside the file (resolved against the page)',
  )
  add('buffer-external-url', mutated((j) => void j.buffers.push({ uri: 'https://tracker.invalid/data.bin', byteLength: 16 })), 'external-uri', 'a buffer fetched from the network', {
    externalUrl: 'https://tracker.invalid/data.bin',
  })
  add('buffer-file-url', mutated((j) => void j.buffers.push({ uri: 'file:///etc/passwd', byteLength: 16 })), 'external-uri', 'a buffer from the local disk')
  add(
    'image-data-uri-not-base64',
    mutated((j) => {
      j.images = [{ uri: 'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg"/>' }]
      j.textures = [{ source: 0 }]
    }),
    'bad-data-uri',
    'a percent-encoded SVG data: URI',
  )
  add(
    'image-data-uri-garbage',
    mutated((j) => {
      j.images = [{ uri: 'data:image/png;base64,@@@@not base64@@@@' }]
      j.textures = [{ source: 0 }]
    }),
    'bad-data-uri',
    'a data: URI that is not base64',
  )
  add(
    'image-data-uri-bomb',
    mutated((j) => {
      j.images = [{ uri: `data:image/png;base64,${toBase64(pngHeader(60_000, 60_000))}` }]
      j.textures = [{ source: 0 }]
    }),
    'texture-too-large',
    'a 60000² PNG header in a data: URI',
  )

  // --- Textures: decompression bombs and bad images ------------------------------------------
  const image = (name: string, bytes: Uint8Array, mimeType: string, expect: VrmErrorCode, note: string) => {
    const t = withImages(base, [{ bytes, mimeType }])
    add(name, packGlb(JSON.stringify(t.json), t.bin), expect, note)
  }
  image('png-60000', pngHeader(60_000, 60_000), 'image/png', 'texture-too-large', 'a 57-byte PNG declaring 60000 × 60000 (13 GB decoded)')
  image('png-8192', pngHeader(8192, 8192), 'image/png', 'texture-too-large', 'an 8192² PNG')
  image('png-4097', pngHeader(4097, 4096), 'image/png', 'texture-too-large', 'one pixel over 4096²')
  image('png-wide', pngHeader(1_000_000, 1), 'image/png', 'texture-too-large', 'a PNG a million pixels wide')
  image('jpeg-20000', jpegHeader(20_000, 20_000), 'image/jpeg', 'texture-too-large', 'a JPEG declaring 20000²')
  image('webp-16384', webpHeader(16_384, 16_384), 'image/webp', 'texture-too-large', 'a WebP declaring 16384²')
  image('ktx2-8192', ktx2Header(8192, 8192), 'image/ktx2', 'texture-too-large', 'a KTX2 declaring 8192²')
  image('ktx2-layers', ktx2Header(2048, 2048, 64), 'image/ktx2', 'texture-too-large', 'a 2048² KTX2 with 64 layers')
  image('gif-huge', gifHeader(65_535, 65_535), 'image/gif', 'texture-too-large', 'a GIF declaring 65535²')
  image('png-zero', pngHeader(0, 0), 'image/png', 'bad-image', 'a PNG of 0 × 0')
  image('png-no-ihdr', pngHeader(16, 16).map((b, i) => (i === 12 ? 0x58 : b)), 'image/png', 'bad-image', 'a PNG whose first chunk is not IHDR')
  image('png-cut', pngHeader(16, 16).slice(0, 18), 'image/png', 'bad-image', 'a PNG cut inside its header')
  image('image-svg', new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="99999" height="99999"/>'), 'image/svg+xml', 'bad-image', 'an SVG (not a texture format)')
  image('image-random', new Uint8Array(64).map((_, i) => (i * 37 + 11) & 255), 'image/png', 'bad-image', 'random bytes labelled PNG')
  image('jpeg-no-frame', new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 8, 1, 2, 3, 4, 5, 6]), 'image/jpeg', 'bad-image', 'a JPEG with scan data before any frame header')
  {
    // Five 4096² textures: each is allowed, together 80 M pixels are over the 64 M budget.
    const t = withImages(
      base,
      Array.from({ length: 5 }, () => ({ bytes: pngHeader(4096, 4096), mimeType: 'image/png' })),
    )
    add('textures-total', packGlb(JSON.stringify(t.json), t.bin), 'texture-too-large', 'five 4096² textures (80 M pixels in all)')
  }
  {
    const t = withImages(
      base,
      Array.from({ length: 300 }, () => ({ bytes: pngHeader(64, 64), mimeType: 'image/png' })),
    )
    add('images-300', packGlb(JSON.stringify(t.json), t.bin), 'too-complex', '300 images')
  }
  add('texture-source-past-end', mutated((j) => void (j.textures = [{ source: 3 }])), 'bad-reference', 'a texture of an image that does not exist')
  add(
    'material-texture-past-end',
    mutated((j) => void (j.materials[0].pbrMetallicRoughness = { baseColorTexture: { index: 12 } })),
    'bad-reference',
    'a material showing a texture that does not exist',
  )
  add('image-view-past-end', mutated((j) => void (j.images = [{ bufferView: 4242, mimeType: 'image/png' }])), 'bad-reference', 'an image in a view that does not exist')

  // --- VRM level --------------------------------------------------------------------------------
  add('not-vrm', mutated((j) => void delete j.extensions), 'not-vrm', 'a plain glTF model')
  add('no-humanoid', mutated((j) => void delete j.extensions.VRMC_vrm.humanoid), 'missing-humanoid', 'no humanoid block')
  add('no-hips', mutated((j) => void delete j.extensions.VRMC_vrm.humanoid.humanBones.hips), 'missing-bone', 'no hips bone')
  add('bone-past-end', mutated((j) => void (j.extensions.VRMC_vrm.humanoid.humanBones.head.node = nodeCount + 3)), 'bad-node-index', 'the head bone points past the nodes')
  add(
    'bones-share-node',
    mutated((j) => void (j.extensions.VRMC_vrm.humanoid.humanBones.neck.node = j.extensions.VRMC_vrm.humanoid.humanBones.head.node)),
    'duplicate-bone-node',
    'neck and head on one node',
  )
  add(
    'expression-bind-past-end',
    mutated((j) => void (j.extensions.VRMC_vrm.expressions = { preset: { happy: { morphTargetBinds: [{ node: nodeCount + 9, index: 0, weight: 1 }] } } })),
    'bad-reference',
    'a face expression bound to a node that does not exist',
  )
  add(
    'spring-joint-past-end',
    mutated((j) => {
      j.extensionsUsed = [...(j.extensionsUsed ?? []), 'VRMC_springBone']
      j.extensions.VRMC_springBone = { specVersion: '1.0', springs: [{ joints: [{ node: 0 }, { node: -5 }] }] }
    }),
    'bad-reference',
    'a spring bone joint with a negative node',
  )
  add('humanbones-string', mutated((j) => void (j.extensions.VRMC_vrm.humanoid.humanBones = 'all of them')), 'missing-humanoid', 'humanBones is a string')

  // --- Names: accepted, but cleaned --------------------------------------------------------------
  const named = (label: string, raw: string, shown: string, note: string) =>
    add(label, mutated((j) => void (j.extensions.VRMC_vrm.meta.name = raw)), 'ok', note, { expectName: shown })
  named('name-huge', '主'.repeat(100_000), `${'主'.repeat(63)}…`, 'a 100,000-character name')
  named('name-bidi', 'Host\u202Egnp.exe\u202C', 'Hostgnp.exe', 'a right-to-left override (Trojan Source)')
  named('name-controls', 'Ho\u0000st\u0007\r\nName\u200B', 'Host Name', 'NUL, BEL, a line break and a zero-width space')
  // NFC first joins Z and the first accent (Ź); four of the remaining marks are kept.
  named('name-zalgo', `Z${'\u0301'.repeat(500)}algo`, '\u0179\u0301\u0301\u0301\u0301algo', '500 combining marks on one letter')

  // --- Recordings ---------------------------------------------------------------------------------
  const rec = (name: string, text: string, expect: ReplayErrorCode | 'ok', note: string) =>
    out.push({ kind: 'recording', name: `${String(out.length).padStart(3, '0')}-${name}.json`, text, expect, note })
  const parsed = JSON.parse(recording) as Json
  const withRec = (mutate: (r: Json) => void) => {
    const r = structuredClone(parsed)
    mutate(r)
    return JSON.stringify(r)
  }
  const framesAt = recording.indexOf('"frames":') + '"frames":'.length
  const eventsAt = recording.indexOf(',"events":')
  rec('empty', '', 'truncated', 'zero bytes')
  rec('whitespace', '   \n', 'truncated', 'only whitespace')
  for (const fraction of [0.001, 0.2, 0.5, 0.9999]) rec(`cut-${fraction}`, recording.slice(0, Math.max(1, Math.floor(recording.length * fraction))), 'truncated', `cut at ${fraction * 100}%`)
  rec('not-json-html', '<!doctype html><title>404</title>', 'not-json', 'an HTML error page')
  rec('not-json-nan', `${recording.slice(0, framesAt)}[[NaN]]${recording.slice(eventsAt)}`, 'not-json', 'NaN in the frames')
  rec('not-json-trailing', `${recording}garbage`, 'not-json', 'text after the document')
  rec('top-array', '[]', 'wrong-format', 'an array')
  rec('wrong-format', withRec((r) => void (r.format = 'something-else')), 'wrong-format', 'another format name')
  rec('iwer-shape', JSON.stringify({ schema: [], frames: [] }), 'wrong-format', 'an IWER ActionRecorder file')
  rec('version-99', withRec((r) => void (r.version = 99)), 'unknown-version', 'version 99')
  rec('no-meta', withRec((r) => void delete r.meta), 'missing-field', 'no meta')
  rec('meta-string', withRec((r) => void (r.meta = 'meta')), 'bad-field', 'meta is a string')
  rec('seed-negative', withRec((r) => void (r.meta.seed = -1)), 'bad-field', 'a negative seed')
  rec('frame-rate-infinite', `${recording.replace(/"frameRate":[\d.]+/, '"frameRate":1e999')}`, 'bad-field', 'a frame rate of Infinity')
  rec('description-huge', withRec((r) => void (r.meta.description = 'd'.repeat(5000))), 'oversize', 'a 5,000-character description (over every string limit)')
  rec('frames-object', withRec((r) => void (r.frames = { 0: [] })), 'bad-field', 'frames is an object')
  rec('frames-empty', withRec((r) => void (r.frames = [])), 'empty', 'no frames')
  rec('frames-ten-million', `${recording.slice(0, framesAt)}[${'0,'.repeat(9_999_999)}0]${recording.slice(eventsAt)}`, 'oversize', 'ten million frames under the byte limit')
  rec('frames-huge-number', withRec((r) => void (r.frames[0][1] = 1e300)), 'bad-number', 'a head position of 1e300 mm')
  rec('frames-string', withRec((r) => void (r.frames[0][1] = '1')), 'bad-frame', 'a number written as a string')
  rec('events-object', withRec((r) => void (r.events = {})), 'bad-field', 'events is an object')
  rec('events-200000', `${recording.slice(0, eventsAt)},"events":[${'0,'.repeat(199_999)}0]}`, 'bad-event', '200,000 events')
  rec('event-frame-past-end', withRec((r) => void r.events.push({ frame: 1e9, t: 0, type: 'x' })), 'bad-event', 'an event after the last frame')
  rec('event-type-bidi', withRec((r) => void r.events.push({ frame: r.frames.length - 1, t: 0, type: 'a\u202Eb' })), 'bad-event', 'an event type with a bidi override')
  rec('event-data-string-15mb', withRec((r) => void r.events.push({ frame: r.frames.length - 1, t: 0, type: 'note', data: { s: 'x'.repeat(15 * 1024 * 1024) } })), 'oversize', 'a 15 MB string in event data')
  rec('event-data-key-huge', withRec((r) => void r.events.push({ frame: r.frames.length - 1, t: 0, type: 'note', data: { ['k'.repeat(10_000)]: 1 } })), 'oversize', 'a 10,000-character key')
  rec(
    'event-data-deep',
    withRec((r) => {
      let d: unknown = 1
      for (let k = 0; k < 40; k++) d = [d]
      r.events.push({ frame: r.frames.length - 1, t: 0, type: 'deep', data: d })
    }),
    'bad-event',
    'event data 40 levels deep',
  )
  rec(
    'event-data-wide',
    withRec((r) => void r.events.push({ frame: r.frames.length - 1, t: 0, type: 'wide', data: Array.from({ length: 20_000 }, () => 0) })),
    'bad-event',
    '20,000 values in one event',
  )
  rec('junk-field-huge', recording.replace('{"format"', `{"junk":"${'j'.repeat(100_000)}","format"`), 'oversize', 'a 100,000-character unknown field')
  rec('bom', `\uFEFF${recording}`, 'ok', 'a byte-order mark (Windows editors): accepted')
  return out
}
