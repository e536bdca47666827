import { sanitiseDanmakuText } from '../broadcast/danmaku.ts'
import { VENUE_LIMITS, VENUE_ROOMS, type VenueRoomName } from './protocol.ts'

/** The built-in bodies a visitor can pick (VRM/Xiaoguan-style; the livestream host keeps their own VRM). */
export const VENUE_AVATARS = ['xiaoguan', 'astronaut', 'panda', 'crane'] as const

/** One of {@link VENUE_AVATARS}. */
export type VenueAvatar = (typeof VENUE_AVATARS)[number]

/** Colours offered for an avatar (also the default palette, picked by a seed). */
export const VENUE_COLOURS = ['#e4572e', '#17bebb', '#ffc914', '#76b041', '#7e5bef', '#ff7eb6'] as const

/** What a visitor says about themself when joining, after sanitising. */
export interface VisitorProfile {
  name: string
  avatar: VenueAvatar
  colour: string
  experience: VenueRoomName
}

/** A join refused: a machine reason plus the bilingual text the client shows. */
export interface ProfileRefusal {
  reason: 'name-hostile' | 'name-type'
  message: { zh: string; en: string }
}

/**
 * Sanitises untrusted join options into a {@link VisitorProfile}. Names get the danmaku
 * cleaning (controls, bidi overrides, invisibles, Zalgo) and are cut to
 * {@link VENUE_LIMITS.nameGraphemes}; an empty name becomes "访客 Visitor"; an unknown avatar or
 * colour falls back to the first one. A name far longer than any real one (over
 * {@link VENUE_LIMITS.maxRawText} UTF-16 units) is refused: it is an attack, not a typo.
 */
export function sanitiseProfile(options: unknown, experience: VenueRoomName): VisitorProfile | ProfileRefusal {
  const o = (options && typeof options === 'object' ? options : {}) as Record<string, unknown>
  const rawName = o.name ?? ''
  if (typeof rawName !== 'string') {
    return { reason: 'name-type', message: { zh: '名字必须是文字。', en: 'The name must be text.' } }
  }
  if (rawName.length > VENUE_LIMITS.maxRawText) {
    return {
      reason: 'name-hostile',
      message: {
        zh: `名字太长（${rawName.length} 个字符，最多 ${VENUE_LIMITS.nameGraphemes} 个字）。请换一个短名字再进入。`,
        en: `The name is too long (${rawName.length} characters; at most ${VENUE_LIMITS.nameGraphemes}). Pick a shorter name and enter again.`,
      },
    }
  }
  const name = sanitiseDanmakuText(rawName, VENUE_LIMITS.nameGraphemes)?.text ?? '访客 Visitor'
  const avatar = (VENUE_AVATARS as readonly string[]).includes(o.avatar as string) ? (o.avatar as VenueAvatar) : VENUE_AVATARS[0]
  const colour = typeof o.colour === 'string' && /^#[0-9a-fA-F]{6}$/.test(o.colour) ? o.colour.toLowerCase() : VENUE_COLOURS[0]
  return { name, avatar, colour, experience }
}

/** True when `value` names a venue room. */
export function isVenueRoom(value: unknown): value is VenueRoomName {
  return typeof value === 'string' && (VENUE_ROOMS as readonly string[]).includes(value)
}

/**
 * Sanitises a chat line like a danmaku comment; null when nothing visible is left or the raw
 * text is hostile (non-string or over {@link VENUE_LIMITS.maxRawText} units).
 */
export function sanitiseChat(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > VENUE_LIMITS.maxRawText) return null
  return sanitiseDanmakuText(raw, VENUE_LIMITS.chatGraphemes)?.text ?? null
}
