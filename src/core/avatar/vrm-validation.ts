import type { Bilingual } from '../i18n/strings'
import type { HumanBoneName } from './humanoid'
import { REQUIRED_HUMAN_BONES, VRM0_BONE_TO_VRM1, isHumanBoneName } from './humanoid'

/**
 * Checks a user-supplied avatar before three-vrm sees it, so a bad file gets a specific,
 * bilingual explanation instead of a crash or a silently broken avatar:
 * GLB container (magic, version, chunk lengths) → size → glTF JSON → VRM extension
 * (0.x `VRM` or 1.0 `VRMC_vrm`) → required humanoid bones → node indices.
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
  const name = typeof rawName === 'string' ? rawName : ''

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
  return validateVrm(glb.json, { byteLength: buffer.byteLength, maxBytes })
}
