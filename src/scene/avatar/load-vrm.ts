import { VRMLoaderPlugin, VRMUtils, type VRM } from '@pixiv/three-vrm'
import type { Mesh, Object3D } from 'three'
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js'
import { DEFAULT_MAX_VRM_BYTES, validateVrmFile, type VrmValidation } from '../../core/avatar'
import { cleanAvatarName } from '../../core/avatar/vrm-validation'
import { redactUrl } from '../../core/broadcast/redact-url'
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

/** Why a user avatar did not load: a validator code, or what went wrong getting the bytes. */
export type AvatarLoadFailure = string

/** Result of loading a user avatar: the avatar, or a specific bilingual reason. */
export type AvatarLoadResult = { ok: true; avatar: LoadedAvatar } | { ok: false; code: AvatarLoadFailure; message: Bilingual }

/** How long an `?avatar=` download may take, headers to last byte, before it is abandoned. */
export const AVATAR_DOWNLOAD_TIMEOUT_MS = 30_000

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
  // Cleaned like the validator does: the name is shown on screen and in the snapshot.
  const name = cleanAvatarName(meta?.metaVersion === '0' ? meta.title : meta?.name) || cleanAvatarName(fallbackName) || 'VRM'
  return { name, version }
}

function failure(v: VrmValidation): AvatarLoadResult {
  return { ok: false, code: v.error?.code ?? 'invalid', message: v.error?.message ?? { zh: '无法识别这个文件。', en: 'The file could not be recognised.' } }
}

/** A file or download refused by its size before it was read. */
function tooLarge(bytes: number, maxBytes: number): Extract<AvatarLoadResult, { ok: false }> {
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(1)
  return {
    ok: false,
    code: 'too-large',
    message: {
      zh: `模型文件太大（${mb(bytes)} MB，上限 ${mb(maxBytes)} MB），没有读取。请压缩贴图或减少多边形后重试。`,
      en: `The model file is too large (${mb(bytes)} MB, limit ${mb(maxBytes)} MB), so it was not read. Compress its textures or reduce polygons and try again.`,
    },
  }
}

/**
 * A picked or dropped file: its size is checked before a byte is read (a 2 GB file must not be
 * read into memory just to be refused), and a read failure (the file moved, a permission) is a
 * clear error instead of nothing.
 */
export async function readUserVrmFile(file: Pick<File, 'name' | 'size' | 'arrayBuffer'>, loader?: GLTFLoader, maxBytes = DEFAULT_MAX_VRM_BYTES): Promise<AvatarLoadResult> {
  if (file.size > maxBytes) return tooLarge(file.size, maxBytes)
  let buffer: ArrayBuffer
  try {
    buffer = await file.arrayBuffer()
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    return {
      ok: false,
      code: 'read-failed',
      message: {
        zh: `无法读取文件“${cleanAvatarName(file.name)}”（${detail}）。文件可能已被移动或没有读取权限；请重新选择文件。当前的虚拟形象保持不变。`,
        en: `The file "${cleanAvatarName(file.name)}" could not be read (${detail}). It may have been moved, or it cannot be read; pick it again. The current avatar stays.`,
      },
    }
  }
  return parseUserVrm(buffer, 'file', file.name, loader)
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
      return { ok: false, code: 'no-vrm-data', message: { zh: '文件通过了检查，但 three-vrm 没有读出 VRM 数据。', en: 'The file passed the check, but three-vrm found no VRM data in it.' } }
    }
    VRMUtils.combineSkeletons(gltf.scene)
    prepareVrm(vrm)
    const { name, version } = describeVrm(vrm, check.name || fallbackName)
    return { ok: true, avatar: { vrm, name, version, source } }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return {
      ok: false,
      code: 'parse-failed',
      message: { zh: `模型解析失败：${detail}。请在建模软件中重新导出。`, en: `The model could not be parsed: ${detail}. Export it again from your modelling tool.` },
    }
  }
}

/** Options of {@link downloadAvatar} (injected in tests). */
export interface AvatarDownloadOptions {
  fetch?: typeof fetch
  timeoutMs?: number
  maxBytes?: number
  /** Aborts the download (the experience unmounting). */
  signal?: AbortSignal
}

/**
 * Downloads `?avatar=URL` within bounds: the Content-Length is checked before the body is read,
 * the body is streamed and abandoned as soon as it passes the byte cap (a server may send no
 * length, or lie), and the whole download has a timeout; every path aborts the request.
 */
export async function downloadAvatar(url: string, options: AvatarDownloadOptions = {}): Promise<{ ok: true; buffer: ArrayBuffer } | Extract<AvatarLoadResult, { ok: false }>> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_VRM_BYTES
  const timeoutMs = options.timeoutMs ?? AVATAR_DOWNLOAD_TIMEOUT_MS
  const shown = redactUrl(url)
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, timeoutMs)
  const onAbort = () => controller.abort()
  options.signal?.addEventListener('abort', onAbort)
  const refuse = (code: string, zh: string, en: string) => ({ ok: false as const, code, message: { zh, en } })
  try {
    const response = await (options.fetch ?? fetch)(url, { signal: controller.signal })
    if (!response.ok) {
      controller.abort()
      return refuse('download-failed', `无法下载虚拟形象（HTTP ${response.status}）：${shown}。当前的虚拟形象保持不变。`, `The avatar could not be downloaded (HTTP ${response.status}): ${shown}. The current avatar stays.`)
    }
    const declared = Number(response.headers.get('Content-Length') ?? Number.NaN)
    if (Number.isFinite(declared) && declared > maxBytes) {
      controller.abort()
      return tooLarge(declared, maxBytes)
    }
    const body = response.body
    if (!body) {
      const buffer = await response.arrayBuffer()
      if (buffer.byteLength > maxBytes) return tooLarge(buffer.byteLength, maxBytes)
      return { ok: true, buffer }
    }
    const reader = body.getReader()
    const chunks: Uint8Array[] = []
    let total = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > maxBytes) {
        controller.abort()
        void reader.cancel().catch(() => {})
        return tooLarge(total, maxBytes)
      }
      chunks.push(value)
    }
    const bytes = new Uint8Array(total)
    let offset = 0
    for (const c of chunks) {
      bytes.set(c, offset)
      offset += c.byteLength
    }
    return { ok: true, buffer: bytes.buffer }
  } catch (error) {
    if (timedOut) {
      return refuse(
        'download-timeout',
        `下载虚拟形象超过 ${Math.round(timeoutMs / 1000)} 秒仍未完成，已放弃：${shown}。请检查网络或换一个地址。当前的虚拟形象保持不变。`,
        `The avatar download did not finish within ${Math.round(timeoutMs / 1000)} s and was abandoned: ${shown}. Check the connection or use another address. The current avatar stays.`,
      )
    }
    const detail = error instanceof Error ? error.message : String(error)
    return refuse('download-failed', `无法下载虚拟形象：${shown}（${detail}）。当前的虚拟形象保持不变。`, `The avatar could not be downloaded: ${shown} (${detail}). The current avatar stays.`)
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
  }
}

/** Downloads (bounded, see {@link downloadAvatar}) and validates an avatar from `?avatar=URL`. */
export async function fetchUserVrm(url: string, loader?: GLTFLoader, options: AvatarDownloadOptions = {}): Promise<AvatarLoadResult> {
  const download = await downloadAvatar(url, options)
  if (!download.ok) return download
  const fileName = url.split('/').pop()?.split('?')[0] || 'avatar.vrm'
  return parseUserVrm(download.buffer, 'url', fileName, loader)
}

/** Frees a user avatar's GPU resources when it is replaced (never the cached default). */
export function disposeVrm(vrm: VRM): void {
  VRMUtils.deepDispose(vrm.scene)
}
