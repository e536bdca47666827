import type { Bilingual } from '../i18n/strings'
import { isHumanBoneName } from './humanoid'
import { checkGltfStructure, cleanAvatarName, parseGlb, type VrmErrorCode } from './vrm-validation'

/**
 * Checks a user's VRM Animation (`.vrma`) before three-vrm-animation sees a byte of it, with the
 * same container and structure checks as an avatar (vrm-validation.ts: GLB, bounded counts, every
 * index in range, no external URI, no node cycles …), then what an animation needs: the
 * `VRMC_vrm_animation` extension, humanoid bones, at least one animation, a bounded length.
 */

/** Largest `.vrma` accepted: 8 MB (a minute of full-body motion capture at 60 fps is ~3 MB). */
export const DEFAULT_MAX_VRMA_BYTES = 8 * 1024 * 1024

/** Longest animation accepted, seconds (an emote, not a film). */
export const MAX_VRMA_SECONDS = 60

/** Why an animation file was refused. */
export type VrmaErrorCode = VrmErrorCode | 'not-vrma' | 'vrma-no-humanoid' | 'vrma-no-animation' | 'vrma-too-long'

/** Outcome of {@link validateVrmaFile}. */
export interface VrmaValidation {
  ok: boolean
  /** The animation's name (cleaned), '' when it has none. */
  name: string
  /** Length of its longest animation, seconds. */
  duration: number
  error?: { code: VrmaErrorCode; message: Bilingual }
}

function refuse(code: VrmaErrorCode, zh: string, en: string): VrmaValidation {
  return { ok: false, name: '', duration: 0, error: { code, message: { zh, en } } }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Validates a `.vrma` file completely; see the file header. */
export function validateVrmaFile(buffer: ArrayBuffer, maxBytes: number = DEFAULT_MAX_VRMA_BYTES): VrmaValidation {
  if (buffer.byteLength > maxBytes) {
    const mb = (n: number) => (n / (1024 * 1024)).toFixed(1)
    return refuse(
      'too-large',
      `动作文件太大（${mb(buffer.byteLength)} MB，上限 ${mb(maxBytes)} MB），没有读取。请缩短动作或降低关键帧密度后重新导出。`,
      `The animation file is too large (${mb(buffer.byteLength)} MB, limit ${mb(maxBytes)} MB), so it was not read. Shorten it or reduce its keyframes and export it again.`,
    )
  }
  const glb = parseGlb(buffer)
  if (!glb.ok) return { ok: false, name: '', duration: 0, error: glb.error }
  const json = glb.json
  if (!isRecord(json)) return refuse('invalid-gltf', '文件内容不是有效的 glTF。', 'The file is not valid glTF.')
  const structure = checkGltfStructure(json, new Uint8Array(buffer), glb.bin)
  if (structure) return { ok: false, name: '', duration: 0, error: structure }

  const ext = isRecord(json.extensions) ? json.extensions.VRMC_vrm_animation : null
  if (!isRecord(ext)) {
    const isAvatar = isRecord(json.extensions) && (isRecord(json.extensions.VRMC_vrm) || isRecord(json.extensions.VRM))
    return refuse(
      'not-vrma',
      isAvatar ? '这是 VRM 虚拟形象，不是 VRM 动作（.vrma）。请用“载入 VRM 文件”加载虚拟形象。' : '这不是 VRM 动作文件（缺少 VRMC_vrm_animation 扩展）。请用 VRM 动作导出工具（如 UniVRM、VRM Animation Exporter）导出 .vrma。',
      isAvatar
        ? 'This is a VRM avatar, not a VRM Animation (.vrma). Load avatars with "Load a VRM file".'
        : 'This is not a VRM Animation file (no VRMC_vrm_animation extension). Export a .vrma with a VRM Animation exporter (UniVRM, VRM Animation Exporter).',
    )
  }
  const humanBones = isRecord(ext.humanoid) && isRecord(ext.humanoid.humanBones) ? ext.humanoid.humanBones : null
  const nodeCount = Array.isArray(json.nodes) ? json.nodes.length : 0
  const bones = humanBones ? Object.entries(humanBones).filter(([name, b]) => isHumanBoneName(name) && isRecord(b) && Number.isInteger(b.node) && (b.node as number) >= 0 && (b.node as number) < nodeCount) : []
  if (bones.length === 0) {
    return refuse('vrma-no-humanoid', '动作文件没有可用的人形骨骼映射，无法套用到虚拟形象上。请在导出时包含 humanoid 骨骼。', 'The animation maps no humanoid bones, so it cannot drive an avatar. Include the humanoid bones when you export it.')
  }
  const animations = Array.isArray(json.animations) ? json.animations : []
  const accessors = Array.isArray(json.accessors) ? json.accessors : []
  let duration = 0
  for (const animation of animations) {
    const samplers = isRecord(animation) && Array.isArray(animation.samplers) ? animation.samplers : []
    for (const sampler of samplers) {
      const input = isRecord(sampler) ? accessors[sampler.input as number] : null
      const max = isRecord(input) && Array.isArray(input.max) ? Number(input.max[0]) : Number.NaN
      if (!Number.isFinite(max) || max < 0) {
        return refuse('invalid-gltf', '动作的时间轴缺少有效的结束时间（accessor.max）。请重新导出。', 'An animation time track has no valid end time (accessor.max). Export the animation again.')
      }
      duration = Math.max(duration, max)
    }
  }
  if (animations.length === 0 || duration <= 0) {
    return refuse('vrma-no-animation', '文件里没有动作（animations 为空）。', 'The file holds no animation (its animations list is empty).')
  }
  if (duration > MAX_VRMA_SECONDS) {
    return refuse(
      'vrma-too-long',
      `动作长 ${duration.toFixed(1)} 秒，上限 ${MAX_VRMA_SECONDS} 秒。表情动作请剪短后重新导出。`,
      `The animation is ${duration.toFixed(1)} s long; the limit is ${MAX_VRMA_SECONDS} s. Trim the emote and export it again.`,
    )
  }
  const first = animations[0]
  const name = isRecord(first) ? cleanAvatarName(first.name) : ''
  return { ok: true, name, duration }
}
