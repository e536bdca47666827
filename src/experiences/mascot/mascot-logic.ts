import type { Language } from '../../core/app/options'
import type { Bilingual } from '../../core/i18n/strings'

/** Xiaoguan's animation clips, as named in assets/xiaoguan/xiaoguan.glb. */
export const XIAOGUAN_CLIPS = ['fly-in', 'hover-idle', 'wave', 'point', 'nod', 'dance', 'photo-pose', 'fly-away'] as const
/** One clip name. */
export type XiaoguanClip = (typeof XIAOGUAN_CLIPS)[number]

/** Xiaoguan's outfits (toggleable node groups in the GLB). */
export const XIAOGUAN_OUTFITS = ['gamer', 'astronaut'] as const
/** One outfit name. */
export type XiaoguanOutfit = (typeof XIAOGUAN_OUTFITS)[number]

/** Clips that loop until something else is asked for. */
export const LOOPING_CLIPS: ReadonlySet<XiaoguanClip> = new Set(['hover-idle', 'dance'])

/**
 * What plays when a one-shot clip ends: everything settles back to hovering, except flying away
 * (Xiaoguan is gone: null, nothing plays).
 */
export function clipAfter(clip: XiaoguanClip): XiaoguanClip | null {
  if (clip === 'fly-away') return null
  return 'hover-idle'
}

/** The outfit after `current` in the cycle. */
export function nextOutfit(current: XiaoguanOutfit): XiaoguanOutfit {
  return XIAOGUAN_OUTFITS[(XIAOGUAN_OUTFITS.indexOf(current) + 1) % XIAOGUAN_OUTFITS.length]
}

/** A tap on Xiaoguan alternates between waving and dancing. */
export function clipForTap(tapCount: number): XiaoguanClip {
  return tapCount % 2 === 0 ? 'wave' : 'dance'
}

/** A screen point of a two-finger gesture. */
export interface GesturePoint {
  x: number
  y: number
}

/**
 * Scale factor and twist (radians, counter-clockwise on screen positive) of a two-finger gesture
 * from its start to now: the ratio of finger distances, the change of the angle between them.
 */
export function pinchTwist(startA: GesturePoint, startB: GesturePoint, nowA: GesturePoint, nowB: GesturePoint): { scale: number; twist: number } {
  const d0 = Math.hypot(startB.x - startA.x, startB.y - startA.y)
  const d1 = Math.hypot(nowB.x - nowA.x, nowB.y - nowA.y)
  const a0 = Math.atan2(startB.y - startA.y, startB.x - startA.x)
  const a1 = Math.atan2(nowB.y - nowA.y, nowB.x - nowA.x)
  let twist = a1 - a0
  // Wrap to (-π, π]: crossing the ±π seam is a small turn, not a full one.
  while (twist > Math.PI) twist -= Math.PI * 2
  while (twist <= -Math.PI) twist += Math.PI * 2
  // Screen y grows downward: an on-screen counter-clockwise twist is a negative angle there.
  return { scale: d0 > 1 ? d1 / d0 : 1, twist: -twist }
}

/** Smallest and largest size Xiaoguan can be pinched to (× its default AR size). */
export const SCALE_LIMITS = { min: 0.4, max: 3 } as const

/** Clamps a pinched scale to the limits. */
export function clampScale(scale: number): number {
  return Math.min(SCALE_LIMITS.max, Math.max(SCALE_LIMITS.min, scale))
}

/** The part of a SpeechSynthesisVoice the voice picker reads. */
export interface VoiceLike {
  lang: string
  name: string
  default?: boolean
}

/**
 * The voice for a language: a default voice of that language first, then any of it (BCP 47 tags
 * like zh-CN, zh-TW, cmn-Hans-CN, en-GB), or null: then the line stays text only.
 */
export function pickVoice<V extends VoiceLike>(voices: readonly V[], lang: Language): V | null {
  const prefixes = lang === 'zh' ? ['zh', 'cmn', 'yue'] : ['en']
  const matching = voices.filter((v) => prefixes.some((p) => v.lang.toLowerCase().replace('_', '-').startsWith(p)))
  return matching.find((v) => v.default) ?? matching[0] ?? null
}

/** Xiaoguan's lines, in both languages. */
export const LINES = {
  placeHint: { zh: '对准地面或桌面，点一下把我放下来！', en: 'Aim at the floor or a table and tap to place me!' },
  hello: { zh: '你好！我是小关。点点我！', en: "Hi! I'm Xiaoguan. Tap me!" },
  wave: { zh: '嗨～你好呀！', en: 'Hello there!' },
  dance: { zh: '一起跳舞吧！', en: "Let's dance!" },
  photo: { zh: '茄子！照片已保存。', en: 'Say cheese! Photo saved.' },
  photoNoCamera: { zh: '照片已保存（这个浏览器拍不到真实画面，只有我）。', en: 'Photo saved (this browser cannot capture the real world, so it is just me).' },
  outfit: { zh: '换装完成！', en: 'New outfit!' },
  flyAway: { zh: '拜拜！再点“放置”叫我回来。', en: 'Bye! Tap “Place” to call me back.' },
  noSurface: { zh: '还没找到平面，慢慢移动手机扫一扫。', en: 'No surface found yet: move the phone slowly to scan.' },
  stage: { zh: '你好！我是小关。进入 AR 把我放到真实桌面上吧！', en: "Hi! I'm Xiaoguan. Enter AR and put me on a real table!" },
} satisfies Record<string, Bilingual>

/** Name of the n-th photo file (1-based), JPEG. */
export function photoFileName(count: number): string {
  return `xiaoguan-photo-${String(count).padStart(3, '0')}.jpg`
}

/**
 * Crop of a source image that fills a target aspect ratio (like CSS object-fit: cover), so the
 * camera picture behind Xiaoguan is not stretched.
 */
export function coverCrop(srcW: number, srcH: number, dstW: number, dstH: number): { sx: number; sy: number; sw: number; sh: number } {
  const srcAspect = srcW / srcH
  const dstAspect = dstW / dstH
  if (srcAspect > dstAspect) {
    const sw = srcH * dstAspect
    return { sx: (srcW - sw) / 2, sy: 0, sw, sh: srcH }
  }
  const sh = srcW / dstAspect
  return { sx: 0, sy: (srcH - sh) / 2, sw: srcW, sh }
}
