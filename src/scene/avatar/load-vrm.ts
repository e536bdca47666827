import { VRMLoaderPlugin, VRMUtils, type VRM } from '@pixiv/three-vrm'
import type { Mesh, Object3D } from 'three'
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js'
import { validateVrmFile, type VrmValidation } from '../../core/avatar'
import type { Bilingual } from '../../core/i18n/strings'

/** Where the project's own default host lives (written by src/tools/make-default-avatar.mjs). */
export const DEFAULT_AVATAR_URL = '/assets/avatars/lingjing-host.vrm'

/** A loaded, prepared avatar and where it came from. */
export interface LoadedAvatar {
  vrm: VRM
  /** Display name from the VRM meta (or the file name). */
  name: string
  version: '0.x' | '1.0'
  source: 'default' | 'url' | 'file'
}

/** Result of loading a user avatar: the avatar, or a specific bilingual reason. */
export type AvatarLoadResult = { ok: true; avatar: LoadedAvatar } | { ok: false; message: Bilingual }

/** Registers three-vrm on a GLTF loader (for r3f's `useLoader` extension argument, too). */
export function registerVrm(loader: GLTFLoader): void {
  loader.register((parser) => new VRMLoaderPlugin(parser))
}

/** A GLTF loader that understands VRM 0.x and 1.0. */
export function createVrmLoader(): GLTFLoader {
  const loader = new GLTFLoader()
  registerVrm(loader)
  return loader
}

const prepared = new WeakSet<VRM>()

/**
 * One-time setup after parsing: VRM 0.x faces -Z, so turn it to face +Z like 1.0; skinned meshes
 * are not frustum-culled (their bounds do not follow the bones); the normalized pose is reset so
 * rest positions can be read. Safe to call again on a cached VRM.
 */
export function prepareVrm(vrm: VRM): VRM {
  if (!prepared.has(vrm)) {
    prepared.add(vrm)
    if (vrm.meta?.metaVersion === '0') VRMUtils.rotateVRM0(vrm)
    vrm.scene.traverse((o: Object3D) => {
      if ((o as Mesh).isMesh) o.frustumCulled = false
    })
  }
  vrm.humanoid.resetNormalizedPose()
  vrm.scene.scale.setScalar(1)
  return vrm
}

/** Name and version of a loaded VRM for display and diagnostics. */
export function describeVrm(vrm: VRM, fallbackName: string): { name: string; version: '0.x' | '1.0' } {
  const meta = vrm.meta
  const version = meta?.metaVersion === '0' ? '0.x' : '1.0'
  const name = (meta?.metaVersion === '0' ? meta.title : meta?.name) || fallbackName
  return { name, version }
}

function failure(v: VrmValidation): AvatarLoadResult {
  return { ok: false, message: v.error?.message ?? { zh: '无法识别这个文件。', en: 'The file could not be recognised.' } }
}

/**
 * Validates a user file with the core's checks (size, GLB container, humanoid) and only then hands
 * it to three-vrm. A file that passes validation but still fails to parse gets its own message.
 */
export async function parseUserVrm(
  buffer: ArrayBuffer,
  source: 'url' | 'file',
  fallbackName: string,
  loader: GLTFLoader = createVrmLoader(),
): Promise<AvatarLoadResult> {
  const check = validateVrmFile(buffer)
  if (!check.ok) return failure(check)
  try {
    const gltf = await loader.parseAsync(buffer, '')
    const vrm = gltf.userData.vrm as VRM | undefined
    if (!vrm) {
      return { ok: false, message: { zh: '文件通过了检查，但 three-vrm 没有读出 VRM 数据。', en: 'The file passed the check, but three-vrm found no VRM data in it.' } }
    }
    VRMUtils.combineSkeletons(gltf.scene)
    prepareVrm(vrm)
    const { name, version } = describeVrm(vrm, check.name || fallbackName)
    return { ok: true, avatar: { vrm, name, version, source } }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return {
      ok: false,
      message: { zh: `模型解析失败：${detail}。请在建模软件中重新导出。`, en: `The model could not be parsed: ${detail}. Export it again from your modelling tool.` },
    }
  }
}

/** Downloads and validates an avatar from `?avatar=URL`. */
export async function fetchUserVrm(url: string, loader?: GLTFLoader): Promise<AvatarLoadResult> {
  let buffer: ArrayBuffer
  try {
    const response = await fetch(url)
    if (!response.ok) {
      return {
        ok: false,
        message: { zh: `无法下载虚拟形象（HTTP ${response.status}）：${url}`, en: `The avatar could not be downloaded (HTTP ${response.status}): ${url}` },
      }
    }
    buffer = await response.arrayBuffer()
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return { ok: false, message: { zh: `无法下载虚拟形象：${url}（${detail}）`, en: `The avatar could not be downloaded: ${url} (${detail})` } }
  }
  const fileName = url.split('/').pop()?.split('?')[0] || url
  return parseUserVrm(buffer, 'url', fileName, loader)
}

/** Frees a user avatar's GPU resources when it is replaced (never the cached default). */
export function disposeVrm(vrm: VRM): void {
  VRMUtils.deepDispose(vrm.scene)
}
