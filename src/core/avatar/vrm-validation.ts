import { sanitiseDanmakuText } from '../broadcast/danmaku'
import type { Bilingual } from '../i18n/strings'
import type { HumanBoneName } from './humanoid'
import { REQUIRED_HUMAN_BONES, VRM0_BONE_TO_VRM1, isHumanBoneName } from './humanoid'
import { readImageHeader } from './image-header'

/**
 * Checks a user-supplied avatar before three-vrm sees it, so a bad file gets a specific,
 * bilingual explanation instead of a crash or a silently broken avatar:
 * size → GLB container (magic, version, chunk lengths) → glTF JSON → structure (counts, every
 * index in range, the node tree a bounded tree, accessors and views inside their buffers, index
 * values inside their vertices, no external URI, texture sizes read from image headers within a
 * pixel budget; see {@link checkGltfStructure}) → VRM extension (0.x `VRM` or 1.0 `VRMC_vrm`) →
 * required humanoid bones → node indices. The name is cleaned (length, bidi and control
 * characters) with the danmaku text rules, since it is shown the same way.
 */

/** Default upper bound on an avatar file: 64 MB (larger avatars stall Quest's loader and memory). */
export const DEFAULT_MAX_VRM_BYTES = 64 * 1024 * 1024

/** Why a file was refused. */
export type VrmErrorCode =
  | 'too-large'
  | 'not-glb'
  | 'truncated-glb'
  | 'unsupported-glb-version'
  | 'missing-json-chunk'
  | 'invalid-json'
  | 'invalid-gltf'
  | 'not-vrm'
  | 'missing-humanoid'
  | 'missing-bone'
  | 'bad-node-index'
  | 'duplicate-bone-node'
  // Structure (checkGltfStructure): what GLTFLoader would otherwise trust.
  | 'too-complex'
  | 'bad-reference'
  | 'node-cycle'
  | 'node-two-parents'
  | 'node-too-deep'
  | 'buffer-out-of-bounds'
  | 'accessor-out-of-bounds'
  | 'bad-index-value'
  | 'external-uri'
  | 'bad-data-uri'
  | 'bad-image'
  | 'texture-too-large'
  | 'unsupported-extension'

/** A refusal: code for logic, message for people. */
export interface VrmError {
  code: VrmErrorCode
  message: Bilingual
}

/** Validation outcome. `bones` maps VRM 1.0 bone names to node indices (0.x names are mapped). */
export interface VrmValidation {
  ok: boolean
  version: '0.x' | '1.0' | null
  /** Avatar name from the VRM meta (1.0 `name`, 0.x `title`), '' when absent. */
  name: string
  bones: Partial<Record<HumanBoneName, number>>
  error?: VrmError
}

function err(code: VrmErrorCode, zh: string, en: string): VrmError {
  return { code, message: { zh, en } }
}

function refuse(error: VrmError, version: VrmValidation['version'] = null, name = ''): VrmValidation {
  return { ok: false, version, name, bones: {}, error }
}

/**
 * An avatar name fit to show: bidi overrides, control and invisible characters removed, one line,
 * at most {@link GLTF_LIMITS}.maxNameGraphemes graphemes; '' when nothing visible is left.
 */
export function cleanAvatarName(raw: unknown): string {
  if (typeof raw !== 'string') return ''
  // The cut bounds the cleaning work; a name is short, anything past 4096 units is never shown.
  return sanitiseDanmakuText(raw.slice(0, 4096), GLTF_LIMITS.maxNameGraphemes)?.text ?? ''
}

function formatMb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1)
}

/** Options of {@link validateVrm}. */
export interface VrmValidationOptions {
  /** File size in bytes, when known. */
  byteLength?: number
  /** Largest accepted size (default {@link DEFAULT_MAX_VRM_BYTES}). */
  maxBytes?: number
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function sizeError(byteLength: number, maxBytes: number): VrmError {
  return err(
    'too-large',
    `模型文件太大（${formatMb(byteLength)} MB，上限 ${formatMb(maxBytes)} MB）。请压缩贴图或减少多边形后重试。`,
    `The model file is too large (${formatMb(byteLength)} MB, limit ${formatMb(maxBytes)} MB). Compress its textures or reduce polygons and try again.`,
  )
}

/**
 * Validates a parsed glTF JSON object as a VRM. Returns `{ ok, version, name, bones, error? }`.
 * Pass `byteLength` to enforce the size limit here as well.
 */
export function validateVrm(json: unknown, options: VrmValidationOptions = {}): VrmValidation {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_VRM_BYTES
  if (options.byteLength !== undefined && options.byteLength > maxBytes) {
    return refuse(sizeError(options.byteLength, maxBytes))
  }
  if (!isRecord(json) || !isRecord(json.asset) || typeof json.asset.version !== 'string') {
    return refuse(
      err(
        'invalid-gltf',
        '文件内容不是有效的 glTF 模型（缺少 asset 信息）。请在建模软件中重新导出为 VRM。',
        'The file is not a valid glTF model (its asset block is missing). Export it as VRM again from your modelling tool.',
      ),
    )
  }
  if (!json.asset.version.startsWith('2.')) {
    return refuse(
      err(
        'invalid-gltf',
        `只支持 glTF 2.0 模型，此文件是 ${json.asset.version} 版本。`,
        `Only glTF 2.0 models are supported; this file is version ${json.asset.version}.`,
      ),
    )
  }

  const extensions = isRecord(json.extensions) ? json.extensions : {}
  const vrm1 = isRecord(extensions.VRMC_vrm) ? extensions.VRMC_vrm : null
  const vrm0 = !vrm1 && isRecord(extensions.VRM) ? extensions.VRM : null
  if (!vrm1 && !vrm0) {
    return refuse(
      err(
        'not-vrm',
        '这是普通的 glTF/GLB 模型，不是 VRM 虚拟形象。请用 VRoid Studio、UniVRM 或 Blender VRM 插件导出 VRM 文件。',
        'This is a plain glTF/GLB model, not a VRM avatar. Export a VRM file with VRoid Studio, UniVRM or the Blender VRM add-on.',
      ),
    )
  }
  const version: '0.x' | '1.0' = vrm1 ? '1.0' : '0.x'
  const ext = (vrm1 ?? vrm0) as Record<string, unknown>
  const meta = isRecord(ext.meta) ? ext.meta : {}
  const rawName = vrm1 ? meta.name : meta.title
  const name = cleanAvatarName(rawName)

  // Collect bone → node, in 1.0 names.
  const bones: Partial<Record<HumanBoneName, number>> = {}
  const humanoid = isRecord(ext.humanoid) ? ext.humanoid : null
  const missingHumanoid = (): VrmValidation =>
    refuse(
      err(
        'missing-humanoid',
        'VRM 文件缺少人形骨骼（humanoid）定义，无法驱动身体。请在导出时设置骨骼映射。',
        'The VRM file has no humanoid bone mapping, so the body cannot be driven. Set up the bone mapping when exporting.',
      ),
      version,
      name,
    )
  if (!humanoid) return missingHumanoid()
  const raw: [string, unknown][] = []
  if (vrm1) {
    if (!isRecord(humanoid.humanBones)) return missingHumanoid()
    for (const [bone, entry] of Object.entries(humanoid.humanBones)) raw.push([bone, isRecord(entry) ? entry.node : undefined])
  } else {
    if (!Array.isArray(humanoid.humanBones)) return missingHumanoid()
    for (const entry of humanoid.humanBones) {
      if (!isRecord(entry) || typeof entry.bone !== 'string') continue
      raw.push([VRM0_BONE_TO_VRM1[entry.bone] ?? entry.bone, entry.node])
    }
  }

  const nodeCount = Array.isArray(json.nodes) ? json.nodes.length : 0
  const usedBy = new Map<number, string>()
  for (const [bone, node] of raw) {
    if (!isHumanBoneName(bone)) continue // unknown names are ignored, as three-vrm does
    if (typeof node !== 'number' || !Number.isInteger(node) || node < 0 || node >= nodeCount) {
      return refuse(
        err(
          'bad-node-index',
          `骨骼 ${bone} 指向不存在的节点（${String(node)}，模型共有 ${nodeCount} 个节点）。文件可能已损坏，请重新导出。`,
          `Bone ${bone} points to a node that does not exist (${String(node)}; the model has ${nodeCount} nodes). The file may be damaged; export it again.`,
        ),
        version,
        name,
      )
    }
    const other = usedBy.get(node)
    if (other !== undefined && other !== bone) {
      return refuse(
        err(
          'duplicate-bone-node',
          `骨骼 ${other} 和 ${bone} 映射到了同一个节点。请在导出时修正骨骼映射。`,
          `Bones ${other} and ${bone} are mapped to the same node. Fix the bone mapping when exporting.`,
        ),
        version,
        name,
      )
    }
    usedBy.set(node, bone)
    bones[bone] = node
  }

  for (const bone of REQUIRED_HUMAN_BONES) {
    if (bones[bone] === undefined) {
      return refuse(
        err(
          'missing-bone',
          `缺少必需的骨骼：${bone}。VRM 需要髋部、脊柱、头部以及四肢的骨骼，请在导出时补全骨骼映射。`,
          `A required bone is missing: ${bone}. VRM needs hips, spine, head and the bones of all four limbs; complete the bone mapping when exporting.`,
        ),
        version,
        name,
      )
    }
  }
  return { ok: true, version, name, bones }
}

// ---------------------------------------------------------------------------------------------
// GLB container
// ---------------------------------------------------------------------------------------------

const GLB_MAGIC = 0x46546c67 // 'glTF' little-endian
const CHUNK_JSON = 0x4e4f534a // 'JSON'
const CHUNK_BIN = 0x004e4942 // 'BIN\0'
const HEADER_BYTES = 12
const CHUNK_HEADER_BYTES = 8

/** Result of {@link parseGlb}: the JSON chunk parsed, and where the binary chunk lies. */
export type GlbParse =
  | { ok: true; json: unknown; bin: { byteOffset: number; byteLength: number } | null }
  | { ok: false; error: VrmError }

function truncated(detailZh: string, detailEn: string): GlbParse {
  return {
    ok: false,
    error: err(
      'truncated-glb',
      `文件不完整（${detailZh}），可能下载或上传中断。请重新获取文件。`,
      `The file is incomplete (${detailEn}); the download or upload may have been cut off. Get the file again.`,
    ),
  }
}

/** Reads a GLB container (glTF binary, version 2): header, JSON chunk and optional BIN chunk. */
export function parseGlb(buffer: ArrayBuffer): GlbParse {
  const size = buffer.byteLength
  const view = new DataView(buffer)
  const bytes = new Uint8Array(buffer)
  // "glTF" in the first bytes of a short file: a cut-off GLB rather than some other format.
  const magicPrefix = [0x67, 0x6c, 0x54, 0x46]
  const startsLikeGlb = size > 0 && magicPrefix.slice(0, Math.min(4, size)).every((b, i) => bytes[i] === b)
  if (size < HEADER_BYTES) {
    if (startsLikeGlb) return truncated('文件头不足 12 字节', 'header shorter than 12 bytes')
    return notGlb(bytes)
  }
  if (view.getUint32(0, true) !== GLB_MAGIC) return notGlb(bytes)
  const version = view.getUint32(4, true)
  if (version !== 2) {
    return {
      ok: false,
      error: err(
        'unsupported-glb-version',
        `不支持的 GLB 版本 ${version}，只支持版本 2。请用较新的工具重新导出。`,
        `Unsupported GLB version ${version}; only version 2 is supported. Export it again with a current tool.`,
      ),
    }
  }
  const declared = view.getUint32(8, true)
  if (declared > size) return truncated(`声明 ${declared} 字节，实际 ${size} 字节`, `declares ${declared} bytes, has ${size}`)
  if (size < HEADER_BYTES + CHUNK_HEADER_BYTES) return truncated('缺少 JSON 块头', 'no JSON chunk header')
  const jsonLength = view.getUint32(12, true)
  const jsonType = view.getUint32(16, true)
  if (jsonType !== CHUNK_JSON) {
    return {
      ok: false,
      error: err(
        'missing-json-chunk',
        'GLB 文件的第一个数据块不是 JSON，文件格式有误。',
        'The first chunk of the GLB file is not JSON; the file is malformed.',
      ),
    }
  }
  const jsonStart = HEADER_BYTES + CHUNK_HEADER_BYTES
  if (jsonStart + jsonLength > Math.min(size, declared)) {
    return truncated('JSON 块超出文件末尾', 'JSON chunk runs past the end of the file')
  }
  let json: unknown
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(jsonStart, jsonStart + jsonLength))
    json = JSON.parse(text)
  } catch {
    return {
      ok: false,
      error: err(
        'invalid-json',
        'GLB 文件中的 JSON 数据无法解析，文件可能已损坏。',
        'The JSON inside the GLB file cannot be parsed; the file may be damaged.',
      ),
    }
  }
  let bin: { byteOffset: number; byteLength: number } | null = null
  const binHeader = jsonStart + jsonLength
  if (binHeader < declared) {
    if (binHeader + CHUNK_HEADER_BYTES > declared) return truncated('二进制块头不完整', 'binary chunk header cut off')
    const binLength = view.getUint32(binHeader, true)
    const binType = view.getUint32(binHeader + 4, true)
    if (binType === CHUNK_BIN) {
      if (binHeader + CHUNK_HEADER_BYTES + binLength > declared) {
        return truncated('二进制块超出文件末尾', 'binary chunk runs past the end of the file')
      }
      bin = { byteOffset: binHeader + CHUNK_HEADER_BYTES, byteLength: binLength }
    }
  }
  return { ok: true, json, bin }
}

function notGlb(bytes: Uint8Array): GlbParse {
  // A leading '{' is a .gltf JSON text; say so, since the fix differs.
  const isJsonText = bytes.length > 0 && bytes[0] === 0x7b
  return {
    ok: false,
    error: isJsonText
      ? err(
          'not-glb',
          '这是 .gltf 文本文件，不是 .vrm/.glb 二进制文件。请导出为 VRM 格式。',
          'This is a .gltf text file, not a binary .vrm/.glb file. Export it in VRM format.',
        )
      : err(
          'not-glb',
          '这不是 VRM 文件（缺少 glTF 二进制文件头）。请选择 .vrm 文件。',
          'This is not a VRM file (it has no glTF binary header). Choose a .vrm file.',
        ),
  }
}

/**
 * One-call check of a file's bytes: size limit, GLB container, then VRM contents.
 * Run it before handing the buffer to three-vrm's loader.
 */
export function validateVrmFile(buffer: ArrayBuffer, maxBytes: number = DEFAULT_MAX_VRM_BYTES): VrmValidation {
  if (buffer.byteLength > maxBytes) return refuse(sizeError(buffer.byteLength, maxBytes))
  const glb = parseGlb(buffer)
  if (!glb.ok) return refuse(glb.error)
  if (isRecord(glb.json)) {
    const structure = checkGltfStructure(glb.json, new Uint8Array(buffer), glb.bin)
    if (structure) return refuse(structure)
  }
  return validateVrm(glb.json, { byteLength: buffer.byteLength, maxBytes })
}

// ---------------------------------------------------------------------------------------------
// glTF structure: everything GLTFLoader would trust, checked before it sees the file
// ---------------------------------------------------------------------------------------------

/**
 * Bounds of an avatar's structure. VRoid Studio and UniVRM avatars stay far inside them (a few
 * hundred nodes, dozens of meshes and materials, a dozen 2048² textures); each bound stops a way
 * a small file can make the loader recurse, allocate or decode without limit.
 */
export interface GltfLimits {
  /** Deepest node chain (GLTFLoader builds the hierarchy recursively). */
  maxDepth: number
  maxNodes: number
  maxMeshes: number
  /** Primitives over all meshes (one draw call each). */
  maxPrimitives: number
  maxAccessors: number
  maxBufferViews: number
  maxMaterials: number
  maxImages: number
  maxTextures: number
  maxSkins: number
  maxAnimations: number
  /** Elements in one accessor (16.7 M vertices: far above any avatar). */
  maxAccessorCount: number
  /** Longest side of one texture, pixels (what every WebGL2 GPU, Quest's included, can upload). */
  maxTextureSide: number
  /** Decoded pixels of one texture: 4096² (with layers and faces for KTX2). */
  maxTexturePixels: number
  /**
   * Decoded pixels of all textures together: 64 M pixels is 256 MB of RGBA, about 340 MB with
   * mipmaps — what a Quest browser tab can spare for one avatar beside the studio; a VRoid avatar
   * with a dozen 2048² textures uses 50 M.
   */
  maxTotalPixels: number
  /** Decoded bytes of one `data:` URI (buffers and images). */
  maxDataUriBytes: number
  /** Longest avatar name kept, in graphemes (longer ones are cut with an ellipsis). */
  maxNameGraphemes: number
}

/** The limits {@link validateVrmFile} applies. */
export const GLTF_LIMITS: Readonly<GltfLimits> = {
  maxDepth: 128,
  maxNodes: 16_384,
  maxMeshes: 4096,
  maxPrimitives: 16_384,
  maxAccessors: 65_536,
  maxBufferViews: 65_536,
  maxMaterials: 1024,
  maxImages: 256,
  maxTextures: 512,
  maxSkins: 1024,
  maxAnimations: 256,
  maxAccessorCount: 1 << 24,
  maxTextureSide: 4096,
  maxTexturePixels: 4096 * 4096,
  maxTotalPixels: 64 * 1024 * 1024,
  maxDataUriBytes: 16 * 1024 * 1024,
  maxNameGraphemes: 64,
}

/** Extensions the app's loader has no decoder for: refused by name rather than failing inside. */
const UNSUPPORTED_REQUIRED = new Map<string, [string, string]>([
  ['KHR_draco_mesh_compression', ['Draco 网格压缩', 'Draco mesh compression']],
  ['EXT_meshopt_compression', ['meshopt 压缩', 'meshopt compression']],
  ['KHR_texture_basisu', ['KTX2/Basis 贴图', 'KTX2/Basis textures']],
])

const COMPONENT_BYTES: Record<number, number> = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 }
const TYPE_COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT2: 4, MAT3: 9, MAT4: 16 }

class Refusal {
  constructor(readonly error: VrmError) {}
}

function fail(code: VrmErrorCode, zh: string, en: string): never {
  throw new Refusal(err(code, zh, en))
}

/** The array under `key`, [] when absent; anything else is not glTF. */
function list(json: Record<string, unknown>, key: string): unknown[] {
  const v = json[key]
  if (v === undefined) return []
  if (!Array.isArray(v)) fail('invalid-gltf', `glTF 的 ${key} 应为数组。文件已损坏，请重新导出。`, `The glTF "${key}" must be an array. The file is damaged; export it again.`)
  return v
}

function entry(items: unknown[], i: number, what: string): Record<string, unknown> {
  const v = items[i]
  if (!isRecord(v)) fail('invalid-gltf', `${what} ${i} 不是对象。文件已损坏，请重新导出。`, `${what} ${i} is not an object. The file is damaged; export it again.`)
  return v
}

/** An index into another list: an integer in range, or absent when optional. */
function ref(value: unknown, length: number, where: string, target: string, optional = true): number | null {
  if (value === undefined && optional) return null
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= length) {
    fail(
      'bad-reference',
      `${where} 指向不存在的 ${target}（${String(value)}，共有 ${length} 个）。文件已损坏，请重新导出。`,
      `${where} points to a ${target} that does not exist (${String(value)}; there are ${length}). The file is damaged; export it again.`,
    )
  }
  return value
}

function count(items: unknown[], max: number, zhWhat: string, enWhat: string): void {
  if (items.length > max) {
    fail(
      'too-complex',
      `模型过于复杂：有 ${items.length} 个${zhWhat}，上限 ${max}。请在建模软件中简化后重新导出。`,
      `The model is too complex: it has ${items.length} ${enWhat}, the limit is ${max}. Simplify it in your modelling tool and export again.`,
    )
  }
}

/** A non-negative integer field, or the default when absent. */
function uint(obj: Record<string, unknown>, key: string, where: string, fallback: number): number {
  const v = obj[key]
  if (v === undefined) return fallback
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    fail('invalid-gltf', `${where}.${key} 应为非负整数，实际为 ${String(v).slice(0, 40)}。`, `${where}.${key} must be a non-negative integer, but it is ${String(v).slice(0, 40)}.`)
  }
  return v
}

/** Decodes a base64 `data:` URI (the only kind accepted), bounded. */
function decodeDataUri(uri: string, where: string, maxBytes: number): Uint8Array {
  const comma = uri.indexOf(',')
  const head = comma < 0 ? '' : uri.slice(5, comma)
  if (comma < 0 || !/;base64$/i.test(head)) {
    fail('bad-data-uri', `${where} 的 data: URI 不是 base64 编码。请重新导出（嵌入为 GLB 二进制）。`, `The data: URI of ${where} is not base64. Export again with the data embedded in the GLB.`)
  }
  const payload = uri.slice(comma + 1)
  const bytes = Math.floor((payload.length * 3) / 4)
  if (bytes > maxBytes) {
    fail(
      'bad-data-uri',
      `${where} 的 data: URI 太大（约 ${formatMb(bytes)} MB，上限 ${formatMb(maxBytes)} MB）。`,
      `The data: URI of ${where} is too large (about ${formatMb(bytes)} MB; the limit is ${formatMb(maxBytes)} MB).`,
    )
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) {
    fail('bad-data-uri', `${where} 的 data: URI 含有非 base64 字符。文件已损坏。`, `The data: URI of ${where} contains characters that are not base64. The file is damaged.`)
  }
  const text = atob(payload)
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i)
  return out
}

function externalUri(where: string, uri: string): never {
  const shown = uri.length > 80 ? `${uri.slice(0, 80)}…` : uri
  return fail(
    'external-uri',
    `${where} 引用了文件之外的地址（${shown}）。本地文件不会访问网络，请导出为把所有数据嵌入其中的 .vrm/.glb。`,
    `${where} refers to something outside the file (${shown}). A local file is never allowed to reach the network; export a .vrm/.glb with everything embedded.`,
  )
}

/**
 * Checks the parts of a glTF that GLTFLoader trusts: every index in range, the node tree a tree
 * (no cycles, no node its own child or the child of two parents, at most `maxDepth` deep), counts
 * bounded, every accessor and buffer view inside its buffer, index values inside their vertex
 * attributes, no external URI, images whose headers declare bounded sizes. Returns null when the
 * structure is sound, else the refusal. Never throws, allocates in proportion to the counts.
 */
export function checkGltfStructure(json: Record<string, unknown>, file: Uint8Array, bin: { byteOffset: number; byteLength: number } | null, limits: GltfLimits = GLTF_LIMITS): VrmError | null {
  try {
    checkStructure(json, file, bin, limits)
    return null
  } catch (e) {
    if (e instanceof Refusal) return e.error
    const detail = e instanceof Error ? e.message : String(e)
    return err('invalid-gltf', `模型结构无法读取（${detail}）。请重新导出。`, `The model structure could not be read (${detail}). Export it again.`)
  }
}

function checkStructure(json: Record<string, unknown>, file: Uint8Array, bin: { byteOffset: number; byteLength: number } | null, limits: GltfLimits): void {
  const required = json.extensionsRequired
  if (required !== undefined && !Array.isArray(required)) fail('invalid-gltf', 'glTF 的 extensionsRequired 应为数组。', 'The glTF "extensionsRequired" must be an array.')
  for (const name of (required as unknown[] | undefined) ?? []) {
    const known = typeof name === 'string' ? UNSUPPORTED_REQUIRED.get(name) : undefined
    if (known) {
      fail(
        'unsupported-extension',
        `模型使用了${known[0]}（${String(name)}），本应用不支持。请导出时关闭压缩。`,
        `The model uses ${known[1]} (${String(name)}), which this app does not support. Export it without that compression.`,
      )
    }
  }

  const nodes = list(json, 'nodes')
  const meshes = list(json, 'meshes')
  const accessors = list(json, 'accessors')
  const bufferViews = list(json, 'bufferViews')
  const buffers = list(json, 'buffers')
  const materials = list(json, 'materials')
  const images = list(json, 'images')
  const textures = list(json, 'textures')
  const samplers = list(json, 'samplers')
  const skins = list(json, 'skins')
  const scenes = list(json, 'scenes')
  const animations = list(json, 'animations')
  const cameras = list(json, 'cameras')
  count(nodes, limits.maxNodes, '节点', 'nodes')
  count(meshes, limits.maxMeshes, '网格', 'meshes')
  count(accessors, limits.maxAccessors, '访问器（accessor）', 'accessors')
  count(bufferViews, limits.maxBufferViews, '缓冲视图（bufferView）', 'buffer views')
  count(materials, limits.maxMaterials, '材质', 'materials')
  count(images, limits.maxImages, '图片', 'images')
  count(textures, limits.maxTextures, '贴图', 'textures')
  count(skins, limits.maxSkins, '蒙皮', 'skins')
  count(animations, limits.maxAnimations, '动画', 'animations')
  count(buffers, 64, '缓冲区（buffer）', 'buffers')
  count(samplers, 1024, '采样器', 'samplers')
  count(scenes, 64, '场景', 'scenes')
  count(cameras, 256, '相机', 'cameras')

  // --- Buffers: the GLB's binary chunk, or base64 data: URIs; nothing from the network. -------
  const bufferBytes: Uint8Array[] = []
  for (let i = 0; i < buffers.length; i++) {
    const buffer = entry(buffers, i, 'buffer')
    const byteLength = uint(buffer, 'byteLength', `buffers[${i}]`, -1)
    if (byteLength < 0) fail('invalid-gltf', `buffers[${i}] 缺少 byteLength。文件已损坏。`, `buffers[${i}] has no byteLength. The file is damaged.`)
    let data: Uint8Array
    if (buffer.uri === undefined) {
      if (i !== 0 || !bin) {
        fail('buffer-out-of-bounds', `buffers[${i}] 没有数据（GLB 中缺少二进制块）。文件不完整。`, `buffers[${i}] has no data (the GLB has no binary chunk for it). The file is incomplete.`)
      }
      data = file.subarray(bin.byteOffset, bin.byteOffset + bin.byteLength)
    } else if (typeof buffer.uri === 'string' && buffer.uri.startsWith('data:')) {
      data = decodeDataUri(buffer.uri, `buffers[${i}]`, limits.maxDataUriBytes)
    } else {
      externalUri(`buffers[${i}]`, String(buffer.uri))
    }
    if (byteLength > data.length) {
      fail(
        'buffer-out-of-bounds',
        `buffers[${i}] 声明 ${byteLength} 字节，实际只有 ${data.length} 字节。文件不完整或已损坏。`,
        `buffers[${i}] declares ${byteLength} bytes but has only ${data.length}. The file is incomplete or damaged.`,
      )
    }
    bufferBytes.push(data.subarray(0, byteLength))
  }

  // --- Buffer views inside their buffers. ------------------------------------------------------
  const viewRanges: { buffer: number; offset: number; length: number; stride: number }[] = []
  for (let i = 0; i < bufferViews.length; i++) {
    const view = entry(bufferViews, i, 'bufferView')
    const where = `bufferViews[${i}]`
    const buffer = ref(view.buffer, buffers.length, where, 'buffer', false) as number
    const offset = uint(view, 'byteOffset', where, 0)
    const length = uint(view, 'byteLength', where, -1)
    const stride = uint(view, 'byteStride', where, 0)
    if (length < 1) fail('invalid-gltf', `${where} 缺少有效的 byteLength。文件已损坏。`, `${where} has no valid byteLength. The file is damaged.`)
    if (stride !== 0 && (stride < 4 || stride > 252 || stride % 4 !== 0)) {
      fail('invalid-gltf', `${where} 的 byteStride ${stride} 无效（应为 4 到 252 之间 4 的倍数）。`, `${where} has an invalid byteStride ${stride} (a multiple of 4 from 4 to 252).`)
    }
    if (offset + length > bufferBytes[buffer].length) {
      fail(
        'buffer-out-of-bounds',
        `${where} 超出了缓冲区末尾（${offset} + ${length} > ${bufferBytes[buffer].length} 字节）。文件已损坏，请重新导出。`,
        `${where} runs past the end of its buffer (${offset} + ${length} > ${bufferBytes[buffer].length} bytes). The file is damaged; export it again.`,
      )
    }
    viewRanges.push({ buffer, offset, length, stride })
  }

  // --- Accessors inside their buffer views; zero-filled ones bounded too. ----------------------
  let zeroFilledBytes = 0
  const accessorInfo: { count: number; componentType: number; components: number }[] = []
  const checkRange = (where: string, viewIndex: number, byteOffset: number, n: number, elementBytes: number, strideOverride?: number) => {
    const view = viewRanges[viewIndex]
    const stride = strideOverride ?? (view.stride || elementBytes)
    const need = byteOffset + (n - 1) * stride + elementBytes
    if (need > view.length) {
      fail(
        'accessor-out-of-bounds',
        `${where} 读取的数据超出了它的缓冲视图（需要 ${need} 字节，只有 ${view.length} 字节）。文件已损坏，请重新导出。`,
        `${where} reads past the end of its buffer view (needs ${need} bytes, has ${view.length}). The file is damaged; export it again.`,
      )
    }
  }
  for (let i = 0; i < accessors.length; i++) {
    const a = entry(accessors, i, 'accessor')
    const where = `accessors[${i}]`
    const componentType = typeof a.componentType === 'number' ? a.componentType : -1
    const componentBytes = COMPONENT_BYTES[componentType]
    const components = typeof a.type === 'string' ? TYPE_COMPONENTS[a.type] : undefined
    if (!componentBytes || !components) {
      fail('invalid-gltf', `${where} 的数据类型无效（${String(a.componentType)} / ${String(a.type).slice(0, 20)}）。`, `${where} has an invalid data type (${String(a.componentType)} / ${String(a.type).slice(0, 20)}).`)
    }
    const n = uint(a, 'count', where, 0)
    if (n < 1 || n > limits.maxAccessorCount) {
      fail('too-complex', `${where} 的元素个数 ${n} 无效（1 到 ${limits.maxAccessorCount}）。`, `${where} has ${n} elements; 1 to ${limits.maxAccessorCount} are allowed.`)
    }
    const elementBytes = componentBytes * components
    const view = ref(a.bufferView, bufferViews.length, where, 'bufferView')
    if (view === null) zeroFilledBytes += n * elementBytes
    else checkRange(where, view, uint(a, 'byteOffset', where, 0), n, elementBytes)
    if (a.sparse !== undefined) {
      if (!isRecord(a.sparse) || !isRecord(a.sparse.indices) || !isRecord(a.sparse.values)) fail('invalid-gltf', `${where}.sparse 不完整。`, `${where}.sparse is incomplete.`)
      const sparseCount = uint(a.sparse, 'count', `${where}.sparse`, 0)
      if (sparseCount < 1 || sparseCount > n) fail('invalid-gltf', `${where}.sparse.count ${sparseCount} 无效。`, `${where}.sparse.count ${sparseCount} is invalid.`)
      const indexBytes = COMPONENT_BYTES[a.sparse.indices.componentType as number]
      if (!indexBytes || a.sparse.indices.componentType === 5126) fail('invalid-gltf', `${where}.sparse.indices 的类型无效。`, `${where}.sparse.indices has an invalid type.`)
      const iv = ref(a.sparse.indices.bufferView, bufferViews.length, `${where}.sparse.indices`, 'bufferView', false) as number
      checkRange(`${where}.sparse.indices`, iv, uint(a.sparse.indices, 'byteOffset', where, 0), sparseCount, indexBytes, indexBytes)
      const vv = ref(a.sparse.values.bufferView, bufferViews.length, `${where}.sparse.values`, 'bufferView', false) as number
      checkRange(`${where}.sparse.values`, vv, uint(a.sparse.values, 'byteOffset', where, 0), sparseCount, elementBytes, elementBytes)
    }
    accessorInfo.push({ count: n, componentType, components })
  }
  if (zeroFilledBytes > DEFAULT_MAX_VRM_BYTES) {
    fail('too-complex', `模型声明了 ${formatMb(zeroFilledBytes)} MB 没有数据的顶点数据。`, `The model declares ${formatMb(zeroFilledBytes)} MB of vertex data with no data behind it.`)
  }

  // --- Meshes: attribute and index accessors exist; index values inside the vertices. ---------
  let primitives = 0
  for (let m = 0; m < meshes.length; m++) {
    const mesh = entry(meshes, m, 'mesh')
    const prims = Array.isArray(mesh.primitives) ? mesh.primitives : fail('invalid-gltf', `meshes[${m}] 缺少 primitives。`, `meshes[${m}] has no primitives.`)
    primitives += prims.length
    if (primitives > limits.maxPrimitives) {
      fail(
        'too-complex',
        `模型过于复杂：网格图元超过 ${limits.maxPrimitives} 个。请在建模软件中合并网格后重新导出。`,
        `The model is too complex: it has more than ${limits.maxPrimitives} mesh primitives. Merge meshes in your modelling tool and export again.`,
      )
    }
    for (let p = 0; p < prims.length; p++) {
      const prim = entry(prims, p, `meshes[${m}].primitive`)
      const where = `meshes[${m}].primitives[${p}]`
      if (!isRecord(prim.attributes)) fail('invalid-gltf', `${where} 缺少 attributes。`, `${where} has no attributes.`)
      let vertices = Infinity
      for (const [name, value] of Object.entries(prim.attributes)) {
        const a = ref(value, accessors.length, `${where}.attributes.${name.slice(0, 32)}`, 'accessor', false) as number
        vertices = Math.min(vertices, accessorInfo[a].count)
      }
      if (Array.isArray(prim.targets)) {
        for (const target of prim.targets) {
          if (!isRecord(target)) fail('invalid-gltf', `${where} 的 morph target 无效。`, `${where} has an invalid morph target.`)
          for (const [name, value] of Object.entries(target)) ref(value, accessors.length, `${where}.targets.${name.slice(0, 32)}`, 'accessor', false)
        }
      }
      ref(prim.material, materials.length, `${where}.material`, 'material')
      const indices = ref(prim.indices, accessors.length, `${where}.indices`, 'accessor')
      if (indices !== null && Number.isFinite(vertices)) checkIndexValues(where, accessors, indices, accessorInfo[indices], viewRanges, bufferBytes, vertices)
    }
  }

  // --- Nodes: references, then the tree (parents, cycles, depth). ------------------------------
  const parent = new Int32Array(nodes.length).fill(-1)
  for (let i = 0; i < nodes.length; i++) {
    const node = entry(nodes, i, 'node')
    const where = `nodes[${i}]`
    ref(node.mesh, meshes.length, `${where}.mesh`, 'mesh')
    ref(node.skin, skins.length, `${where}.skin`, 'skin')
    ref(node.camera, cameras.length, `${where}.camera`, 'camera')
    if (node.children === undefined) continue
    if (!Array.isArray(node.children)) fail('invalid-gltf', `${where}.children 应为数组。`, `${where}.children must be an array.`)
    for (const c of node.children) {
      const child = ref(c, nodes.length, `${where}.children`, 'node', false) as number
      if (child === i) {
        fail('node-cycle', `节点 ${i} 把自己列为自己的子节点。文件已损坏，请重新导出。`, `Node ${i} lists itself as its own child. The file is damaged; export it again.`)
      }
      if (parent[child] !== -1) {
        fail(
          'node-two-parents',
          `节点 ${child} 同时是节点 ${parent[child]} 和节点 ${i} 的子节点；glTF 中每个节点只能有一个父节点。请重新导出。`,
          `Node ${child} is a child of both node ${parent[child]} and node ${i}; in glTF a node has one parent. Export it again.`,
        )
      }
      parent[child] = i
    }
  }
  // Each node has at most one parent, so following parents is a walk up a chain: it either ends
  // at a root (its depth known) or comes back to itself (a cycle). Depth is cached on the way.
  const depth = new Int32Array(nodes.length).fill(-1)
  const onPath = new Int32Array(nodes.length).fill(-1)
  const path: number[] = []
  for (let start = 0; start < nodes.length; start++) {
    if (depth[start] >= 0) continue
    path.length = 0
    let n = start
    while (n !== -1 && depth[n] < 0) {
      if (onPath[n] === start) {
        fail('node-cycle', `节点层级中有循环（节点 ${n} 是它自己的祖先）。文件已损坏，请重新导出。`, `The node hierarchy has a cycle (node ${n} is its own ancestor). The file is damaged; export it again.`)
      }
      onPath[n] = start
      path.push(n)
      n = parent[n]
    }
    let d = n === -1 ? 0 : depth[n]
    for (let k = path.length - 1; k >= 0; k--) {
      d++
      depth[path[k]] = d
      if (d > limits.maxDepth) {
        fail(
          'node-too-deep',
          `节点层级太深（超过 ${limits.maxDepth} 层）。请在建模软件中减少层级后重新导出。`,
          `The node hierarchy is too deep (more than ${limits.maxDepth} levels). Flatten it in your modelling tool and export again.`,
        )
      }
    }
  }
  for (let s = 0; s < scenes.length; s++) {
    const scene = entry(scenes, s, 'scene')
    if (scene.nodes === undefined) continue
    if (!Array.isArray(scene.nodes)) fail('invalid-gltf', `scenes[${s}].nodes 应为数组。`, `scenes[${s}].nodes must be an array.`)
    for (const n of scene.nodes) ref(n, nodes.length, `scenes[${s}].nodes`, 'node', false)
  }
  ref(json.scene, scenes.length, 'scene', 'scene')
  for (let s = 0; s < skins.length; s++) {
    const skin = entry(skins, s, 'skin')
    if (!Array.isArray(skin.joints)) fail('invalid-gltf', `skins[${s}] 缺少 joints。`, `skins[${s}] has no joints.`)
    for (const j of skin.joints) ref(j, nodes.length, `skins[${s}].joints`, 'node', false)
    ref(skin.skeleton, nodes.length, `skins[${s}].skeleton`, 'node')
    ref(skin.inverseBindMatrices, accessors.length, `skins[${s}].inverseBindMatrices`, 'accessor')
  }
  for (let a = 0; a < animations.length; a++) {
    const anim = entry(animations, a, 'animation')
    const samplersOf = Array.isArray(anim.samplers) ? anim.samplers : []
    for (const s of samplersOf) {
      if (!isRecord(s)) fail('invalid-gltf', `animations[${a}] 的采样器无效。`, `animations[${a}] has an invalid sampler.`)
      ref(s.input, accessors.length, `animations[${a}].samplers.input`, 'accessor', false)
      ref(s.output, accessors.length, `animations[${a}].samplers.output`, 'accessor', false)
    }
    for (const c of Array.isArray(anim.channels) ? anim.channels : []) {
      if (!isRecord(c) || !isRecord(c.target)) fail('invalid-gltf', `animations[${a}] 的通道无效。`, `animations[${a}] has an invalid channel.`)
      ref(c.sampler, samplersOf.length, `animations[${a}].channels.sampler`, 'sampler', false)
      ref(c.target.node, nodes.length, `animations[${a}].channels.target.node`, 'node')
    }
  }

  // --- Textures and materials reference what exists. ----------------------------------------
  for (let t = 0; t < textures.length; t++) {
    const texture = entry(textures, t, 'texture')
    ref(texture.source, images.length, `textures[${t}].source`, 'image')
    ref(texture.sampler, samplers.length, `textures[${t}].sampler`, 'sampler')
    if (isRecord(texture.extensions)) {
      for (const [name, ext] of Object.entries(texture.extensions)) {
        if (isRecord(ext) && ext.source !== undefined) ref(ext.source, images.length, `textures[${t}].extensions.${name.slice(0, 40)}.source`, 'image')
      }
    }
  }
  for (let m = 0; m < materials.length; m++) {
    const material = entry(materials, m, 'material')
    checkTextureRefs(material, textures.length, `materials[${m}]`, 0)
  }

  // --- VRM extensions point at nodes and meshes too (three-vrm follows them unchecked). --------
  const extensions = isRecord(json.extensions) ? json.extensions : {}
  for (const name of ['VRMC_vrm', 'VRMC_springBone', 'VRMC_node_constraint', 'VRM']) {
    if (isRecord(extensions[name])) checkVrmRefs(extensions[name], nodes.length, meshes.length, name)
  }

  // --- Images: embedded, and of a size that can be decoded. ----------------------------------
  let totalPixels = 0
  for (let i = 0; i < images.length; i++) {
    const image = entry(images, i, 'image')
    const where = `images[${i}]`
    let bytes: Uint8Array
    if (typeof image.uri === 'string') {
      if (!image.uri.startsWith('data:')) externalUri(where, image.uri)
      bytes = decodeDataUri(image.uri, where, limits.maxDataUriBytes)
    } else if (image.uri !== undefined) {
      fail('invalid-gltf', `${where}.uri 应为字符串。`, `${where}.uri must be a string.`)
    } else {
      const v = ref(image.bufferView, bufferViews.length, where, 'bufferView', false) as number
      const range = viewRanges[v]
      bytes = bufferBytes[range.buffer].subarray(range.offset, range.offset + range.length)
    }
    const header = readImageHeader(bytes)
    if (typeof header === 'string') {
      const why = header === 'unknown-format' ? ['不是 PNG、JPEG、WebP、KTX2、GIF 或 BMP', 'is not PNG, JPEG, WebP, KTX2, GIF or BMP'] : header === 'truncated' ? ['数据不完整', 'is cut off'] : ['文件头无效', 'has an invalid header']
      fail('bad-image', `贴图图片 ${i} ${why[0]}，无法使用。请把贴图另存为 PNG 或 JPEG 后重新导出。`, `Texture image ${i} ${why[1]}, so it cannot be used. Save the texture as PNG or JPEG and export again.`)
    }
    if (header.pixels > limits.maxTexturePixels || header.width > limits.maxTextureSide || header.height > limits.maxTextureSide) {
      fail(
        'texture-too-large',
        `贴图图片 ${i} 是 ${header.width} × ${header.height} 像素，超过单张贴图上限 ${limits.maxTextureSide} × ${limits.maxTextureSide}。解码它会耗尽头显的内存；请缩小贴图后重新导出。`,
        `Texture image ${i} is ${header.width} × ${header.height} pixels, over the ${limits.maxTextureSide} × ${limits.maxTextureSide} limit for one texture. Decoding it would exhaust a headset's memory; scale the texture down and export again.`,
      )
    }
    totalPixels += header.pixels
    if (totalPixels > limits.maxTotalPixels) {
      fail(
        'texture-too-large',
        `所有贴图加起来超过 ${Math.round(limits.maxTotalPixels / 1048576)} M 像素（到第 ${i} 张为止已有 ${Math.round(totalPixels / 1048576)} M）。请缩小或合并贴图后重新导出。`,
        `The textures together exceed ${Math.round(limits.maxTotalPixels / 1048576)} M pixels (${Math.round(totalPixels / 1048576)} M by image ${i}). Scale down or merge textures and export again.`,
      )
    }
  }
}

/**
 * Node and mesh references inside a VRM extension: `node`, `firstPersonBone`, `bones[]` (VRM 0.x
 * spring bones) are nodes, `mesh` is a mesh. An iterative walk over at most 100 000 values.
 */
function checkVrmRefs(root: Record<string, unknown>, nodeCount: number, meshCount: number, where: string): void {
  const stack: [unknown, string][] = [[root, `extensions.${where}`]]
  for (let budget = 100_000; stack.length > 0; budget--) {
    if (budget === 0) fail('too-complex', `VRM 扩展 ${where} 中的数据过多。`, `The VRM extension ${where} holds too much data.`)
    const [value, path] = stack.pop() as [unknown, string]
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}[${i}]`])
      continue
    }
    if (!isRecord(value)) continue
    for (const [key, v] of Object.entries(value)) {
      // The humanoid map is checked by validateVrm, which names the bone.
      if (key === 'humanoid') continue
      const at = `${path}.${key.slice(0, 40)}`
      // VRM 0.x writes -1 for "no node" in a few places; three-vrm treats it as absent.
      if ((key === 'node' || key === 'firstPersonBone') && v !== -1) ref(v, nodeCount, at, 'node')
      else if (key === 'mesh' && v !== -1) ref(v, meshCount, at, 'mesh')
      else if (key === 'bones' && Array.isArray(v)) v.forEach((b, i) => ref(b, nodeCount, `${at}[${i}]`, 'node', false))
      else if (typeof v === 'object' && v !== null) stack.push([v, at])
    }
  }
}

/** Every `{ index }` texture reference in a material (and its extensions), bounded in depth. */
function checkTextureRefs(value: Record<string, unknown>, textureCount: number, where: string, level: number): void {
  if (level > 6) return
  for (const [key, v] of Object.entries(value)) {
    if (!isRecord(v)) continue
    if (/texture$/i.test(key) && 'index' in v) ref(v.index, textureCount, `${where}.${key.slice(0, 40)}.index`, 'texture', false)
    else checkTextureRefs(v, textureCount, `${where}.${key.slice(0, 40)}`, level + 1)
  }
}

/** Reads an index accessor (when its data is in the file) and refuses an index past the vertices. */
function checkIndexValues(
  where: string,
  accessors: unknown[],
  index: number,
  info: { count: number; componentType: number; components: number },
  viewRanges: { buffer: number; offset: number; length: number; stride: number }[],
  bufferBytes: Uint8Array[],
  vertices: number,
): void {
  const a = accessors[index] as Record<string, unknown>
  if (info.components !== 1 || (info.componentType !== 5121 && info.componentType !== 5123 && info.componentType !== 5125)) {
    fail('invalid-gltf', `${where}.indices 应为无符号整数标量。`, `${where}.indices must be unsigned integer scalars.`)
  }
  if (typeof a.bufferView !== 'number' || a.sparse !== undefined) return
  const range = viewRanges[a.bufferView]
  const bytes = bufferBytes[range.buffer]
  const size = COMPONENT_BYTES[info.componentType]
  const stride = range.stride || size
  const start = range.offset + ((a.byteOffset as number | undefined) ?? 0)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let k = 0; k < info.count; k++) {
    const o = start + k * stride
    const v = size === 1 ? view.getUint8(o) : size === 2 ? view.getUint16(o, true) : view.getUint32(o, true)
    if (v >= vertices) {
      fail(
        'bad-index-value',
        `${where} 的第 ${k} 个索引是 ${v}，但网格只有 ${vertices} 个顶点。文件已损坏，请重新导出。`,
        `Index ${k} of ${where} is ${v}, but the mesh has only ${vertices} vertices. The file is damaged; export it again.`,
      )
    }
  }
}
