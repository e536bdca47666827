/**
 * The group photo's countdown in xr-sessions takes. The countdown reaches a client from the room
 * (or its own timer offline), not from its input, so a take records each change as an event and
 * its replay plays the same countdown at the same frames.
 */
import { GROUP_PHOTO_COUNTDOWN_S, type GroupPhotoState } from './group-photo'

/** The event type a take records the countdown under. */
export const GROUP_PHOTO_EVENT = 'venue-photo'

/** Longest id or name accepted from a file (as the peer events). */
const MAX_TEXT = 64

/** Encodes a countdown change as event data: `[seq, by, byName, left]`. */
export function encodeGroupPhotoEvent(state: GroupPhotoState): [number, string, string, number] {
  return [state.seq, state.by, state.byName, state.left]
}

/** Decodes event data from a file; null when it is not a countdown change this app could have written. */
export function decodeGroupPhotoEvent(data: unknown): GroupPhotoState | null {
  if (!Array.isArray(data) || data.length !== 4) return null
  const [seq, by, byName, left] = data as unknown[]
  if (!Number.isInteger(seq) || (seq as number) < 0 || (seq as number) > 0xffff) return null
  if (typeof by !== 'string' || by.length > MAX_TEXT || typeof byName !== 'string' || byName.length > MAX_TEXT) return null
  if (!Number.isInteger(left) || (left as number) < 0 || (left as number) > GROUP_PHOTO_COUNTDOWN_S) return null
  return { seq: seq as number, by, byName, left: left as number }
}
