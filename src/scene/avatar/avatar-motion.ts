import type { VRM, VRMHumanBoneName } from '@pixiv/three-vrm'
import { VRMAnimationLoaderPlugin, VRMLookAtQuaternionProxy, createVRMAnimationClip, type VRMAnimation } from '@pixiv/three-vrm-animation'
import { AnimationMixer, LoopOnce, LoopRepeat, Quaternion, type AnimationAction, type Object3D } from 'three'
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js'
import { createEmotePlayer, playEmote, updateEmotePlayer, type EmotePlayer } from '../../core/avatar'
import { DEFAULT_MAX_VRMA_BYTES, validateVrmaFile } from '../../core/avatar/vrma-validation'
import { cleanAvatarName } from '../../core/avatar/vrm-validation'
import type { Bilingual } from '../../core/i18n/strings'

/**
 * The host's body animation under the IK: a looping breathing idle and emotes, VRM Animation
 * clips (`.vrma`, @pixiv/three-vrm-animation) played by one AnimationMixer on the avatar. Order in
 * a frame (avatar-rig.ts `updateRigBody`):
 *
 * 1. {@link updateMotionBeforeIK}: the mixer poses the normalized bones (idle weighted 1 − w, the
 *    emote w); the pose of the bones the IK driver writes is kept aside; torso bones the driver
 *    does not write go back to rest while the head is tracked (they would carry the head off it).
 * 2. The IK driver: head, spine and tracked hands on the trackers. Bones it does not write
 *    (shoulders, fingers of an untracked hand …) keep the animation, and the arm IK reaches the
 *    controllers from wherever the animated shoulders put the arms.
 * 3. {@link applyMotionAfterIK}: the driver's bones that no tracker owns — an arm whose hand is
 *    not tracked, the spine and head when the head is not (the flat-screen host) — take the
 *    animation's pose. So the emote drives what the trackers don't; the trackers always win.
 */

/** The shipped clips (written by src/tools/make-vrma.mjs, CC0). */
export const SHIPPED_ANIMATIONS = ['idle', 'wave', 'bow', 'clap', 'cheer', 'thinking'] as const

/** URL of a shipped clip. */
export function animationUrl(name: (typeof SHIPPED_ANIMATIONS)[number]): string {
  return `/assets/animations/${name}.vrma`
}

/** A GLTFLoader class of its own for `.vrma` (r3f's useLoader keeps one loader per class). */
export class VrmaLoader extends GLTFLoader {
  constructor() {
    super()
    this.register((parser) => new VRMAnimationLoaderPlugin(parser))
  }
}

/** The driver-written bones, in groups by the tracker that owns them. */
const TORSO_DRIVEN: readonly VRMHumanBoneName[] = ['spine', 'neck', 'head']
const ARM: Record<'left' | 'right', readonly VRMHumanBoneName[]> = {
  left: ['leftUpperArm', 'leftLowerArm', 'leftHand'],
  right: ['rightUpperArm', 'rightLowerArm', 'rightHand'],
}

interface BoneSlot {
  readonly bone: Object3D
  /** The animation's pose of this bone this frame (kept before the IK overwrites it). */
  readonly pose: Quaternion
}

/** A live motion layer on one VRM. */
export interface AvatarMotion {
  readonly mixer: AnimationMixer
  readonly idle: AnimationAction | null
  /** Emotes by name: their action and clip length. */
  readonly emotes: Map<string, { action: AnimationAction; duration: number }>
  readonly player: EmotePlayer
  /** The emote action playing (or fading), or null. */
  current: AnimationAction | null
  readonly torso: readonly BoneSlot[]
  /** The torso bone the driver leaves alone (chest when it drives upperChest), reset while the head is tracked. */
  readonly torsoUndriven: readonly Object3D[]
  readonly arms: { left: readonly BoneSlot[]; right: readonly BoneSlot[] }
}

/** Which parts the trackers own this frame. */
export interface MotionOwnership {
  head: boolean
  left: boolean
  right: boolean
}

/**
 * Builds the motion layer of `vrm` from parsed animations (name → VRMAnimation; `idle` loops, the
 * rest are emotes). Allocates (clips, actions); call when the rig is built, never per frame.
 */
export function createAvatarMotion(vrm: VRM, animations: ReadonlyMap<string, VRMAnimation>): AvatarMotion {
  // createVRMAnimationClip looks for a named look-at proxy on the scene (and warns without one).
  if (vrm.lookAt && !vrm.scene.children.some((o) => o instanceof VRMLookAtQuaternionProxy)) {
    const proxy = new VRMLookAtQuaternionProxy(vrm.lookAt)
    proxy.name = 'VRMLookAtQuaternionProxy'
    vrm.scene.add(proxy)
  }
  const mixer = new AnimationMixer(vrm.scene)
  let idle: AnimationAction | null = null
  const emotes = new Map<string, { action: AnimationAction; duration: number }>()
  for (const [name, animation] of animations) {
    const clip = createVRMAnimationClip(animation, vrm)
    clip.name = name
    const action = mixer.clipAction(clip)
    if (name === 'idle') {
      action.setLoop(LoopRepeat, Infinity)
      action.play()
      idle = action
    } else {
      action.setLoop(LoopOnce, 1)
      action.clampWhenFinished = true
      emotes.set(name, { action, duration: clip.duration })
    }
  }
  const node = (name: VRMHumanBoneName) => vrm.humanoid.getNormalizedBoneNode(name)
  const slots = (names: readonly VRMHumanBoneName[]): BoneSlot[] =>
    names.flatMap((n) => {
      const bone = node(n)
      return bone ? [{ bone, pose: new Quaternion() }] : []
    })
  const upperChest = node('upperChest')
  const chest = node('chest')
  // The driver writes upperChest when there is one, else chest (avatar-driver.ts).
  const torsoNames: VRMHumanBoneName[] = [...TORSO_DRIVEN, upperChest ? 'upperChest' : 'chest']
  return {
    mixer,
    idle,
    emotes,
    player: createEmotePlayer(),
    current: null,
    torso: slots(torsoNames),
    torsoUndriven: upperChest && chest ? [chest] : [],
    arms: { left: slots(ARM.left), right: slots(ARM.right) },
  }
}

/**
 * Starts an emote by name from its beginning; false when this motion has no such emote. The
 * mixer action is restarted here (an event, not per frame).
 */
export function playMotionEmote(motion: AvatarMotion, name: string): boolean {
  const emote = motion.emotes.get(name)
  if (!emote) return false
  if (motion.current && motion.current !== emote.action) motion.current.stop()
  emote.action.reset()
  emote.action.setEffectiveWeight(0)
  emote.action.play()
  motion.current = emote.action
  playEmote(motion.player, name, emote.duration)
  return true
}

/** Step 1 (see the file header): advance the mixer and keep the animated pose aside. */
export function updateMotionBeforeIK(motion: AvatarMotion, dt: number, own: MotionOwnership): void {
  const w = updateEmotePlayer(motion.player, dt)
  if (motion.current) {
    if (motion.player.active) motion.current.setEffectiveWeight(w)
    else {
      motion.current.stop()
      motion.current = null
    }
  }
  if (motion.idle) motion.idle.setEffectiveWeight(1 - w)
  motion.mixer.update(dt)
  keep(motion.torso)
  keep(motion.arms.left)
  keep(motion.arms.right)
  if (own.head) for (let i = 0; i < motion.torsoUndriven.length; i++) motion.torsoUndriven[i].quaternion.identity()
}

/** Step 3 (see the file header): the driver's bones no tracker owns take the animation. */
export function applyMotionAfterIK(motion: AvatarMotion, own: MotionOwnership): void {
  if (!own.head) restore(motion.torso)
  if (!own.left) restore(motion.arms.left)
  if (!own.right) restore(motion.arms.right)
}

function keep(slots: readonly BoneSlot[]): void {
  for (let i = 0; i < slots.length; i++) slots[i].pose.copy(slots[i].bone.quaternion)
}

function restore(slots: readonly BoneSlot[]): void {
  for (let i = 0; i < slots.length; i++) slots[i].bone.quaternion.copy(slots[i].pose)
}

/** Stops the mixer and forgets its bindings (the rig is rebuilt or the avatar replaced). */
export function disposeAvatarMotion(motion: AvatarMotion, vrm: VRM): void {
  motion.mixer.stopAllAction()
  motion.mixer.uncacheRoot(vrm.scene)
}

// ---------------------------------------------------------------------------------------------
// A user's own .vrma
// ---------------------------------------------------------------------------------------------

/** Result of loading a user's `.vrma`: its name and animation, or a bilingual reason. */
export type EmoteLoadResult = { ok: true; name: string; animation: VRMAnimation; duration: number } | { ok: false; code: string; message: Bilingual }

/**
 * Validates a user's `.vrma` (vrma-validation.ts: the avatar's container and structure checks,
 * then the animation's own) and only then hands it to three-vrm-animation.
 */
export async function parseUserVrma(buffer: ArrayBuffer, fileName: string, loader: GLTFLoader = new VrmaLoader()): Promise<EmoteLoadResult> {
  const check = validateVrmaFile(buffer)
  if (!check.ok) {
    return { ok: false, code: check.error?.code ?? 'invalid', message: check.error?.message ?? { zh: '无法识别这个动作文件。', en: 'The animation file could not be recognised.' } }
  }
  try {
    const gltf = await loader.parseAsync(buffer, '')
    const animation = (gltf.userData.vrmAnimations as VRMAnimation[] | undefined)?.[0]
    if (!animation) {
      return { ok: false, code: 'no-vrma-data', message: { zh: '文件通过了检查，但没有读出 VRM 动作数据。', en: 'The file passed the check, but no VRM Animation data was found in it.' } }
    }
    const base = fileName.replace(/\.[^.]*$/, '')
    const name = cleanAvatarName(base) || check.name || 'emote'
    return { ok: true, name, animation, duration: animation.duration }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return { ok: false, code: 'parse-failed', message: { zh: `动作解析失败：${detail}。请重新导出。`, en: `The animation could not be parsed: ${detail}. Export it again.` } }
  }
}

/** A picked or dropped `.vrma`: size checked before reading, a read failure explained. */
export async function readUserVrmaFile(file: Pick<File, 'name' | 'size' | 'arrayBuffer'>, loader?: GLTFLoader): Promise<EmoteLoadResult> {
  if (file.size > DEFAULT_MAX_VRMA_BYTES) {
    const mb = (n: number) => (n / (1024 * 1024)).toFixed(1)
    return {
      ok: false,
      code: 'too-large',
      message: {
        zh: `动作文件太大（${mb(file.size)} MB，上限 ${mb(DEFAULT_MAX_VRMA_BYTES)} MB），没有读取。`,
        en: `The animation file is too large (${mb(file.size)} MB, limit ${mb(DEFAULT_MAX_VRMA_BYTES)} MB), so it was not read.`,
      },
    }
  }
  let buffer: ArrayBuffer
  try {
    buffer = await file.arrayBuffer()
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    return {
      ok: false,
      code: 'read-failed',
      message: { zh: `无法读取文件“${cleanAvatarName(file.name)}”（${detail}）。请重新选择文件。`, en: `The file "${cleanAvatarName(file.name)}" could not be read (${detail}). Pick it again.` },
    }
  }
  return parseUserVrma(buffer, file.name, loader)
}
