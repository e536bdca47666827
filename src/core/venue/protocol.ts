/**
 * The venue's wire contract, shared by the Colyseus server (src/server) and the browser client.
 * Plain data only: no Colyseus import, so the client bundle and the Node tests share it.
 */

/** The rooms a visitor can be in; one per experience that is shared. */
export const VENUE_ROOMS = ['venue', 'livestream', 'tianhe'] as const

/** One of {@link VENUE_ROOMS}. */
export type VenueRoomName = (typeof VENUE_ROOMS)[number]

/**
 * Seats per room instance. A full instance is locked by Colyseus and `joinOrCreate` opens the
 * next one; the client is told its instance number. Tianhe's crew of three is a Shenzhou crew.
 */
export const VENUE_CAPACITY: Readonly<Record<VenueRoomName, number>> = {
  venue: 100,
  livestream: 60,
  tianhe: 3,
}

/** The URL path the app reaches the venue server under (proxied to it in dev and preview). */
export const VENUE_PATH = '/venue'

/** Roles a visitor can have in a room. */
export type VenueRole = 'visitor' | 'host' | 'audience' | 'crew'

/** Client → server message types. */
export const MSG = {
  /** Quantised head and hands: {@link POSE_LENGTH} int16 values (see pose.ts). */
  pose: 'pose',
  /** A line of chat; in the livestream room it becomes danmaku. */
  chat: 'chat',
  /** RTT probe: the client's own timestamp, echoed back as `pong`. */
  ping: 'ping',
  /** Livestream: ask to become the host (granted when nobody is). */
  claimHost: 'claimHost',
  /** Tianhe: mark a procedure step done (`taskId/stepId`, see crew-steps.ts); the server checks it exists and comes in order. */
  task: 'task',
  /** Tianhe: take a task item (`{ item, hand }`, see item-locks.ts); granted when nobody else holds it. */
  grab: 'grab',
  /**
   * Tianhe: let go of a held task item (`{ item, hand, state? }`); frees its lock. `state` (see
   * item-locks.ts, `ITEM_STATE_LENGTH`) when it was let go floating: every crew member's module
   * lets it drift from that state.
   */
  release: 'release',
  /** Tianhe: the lock holder's periodic report of a held item (`{ item, state }`), at {@link ITEM_REPORT_HZ} Hz. */
  item: 'item',
  /** Livestream host: quantised expression and viseme weights (see face.ts); only on change, ≤ 20 Hz. */
  face: 'face',
  /** Hub: ask Xiaoguan for a group photo (no payload); the server counts down for the whole room (see group-photo.ts). */
  photo: 'photo',
} as const

/** Server → client message types. */
export const SERVER_MSG = {
  pong: 'pong',
  /** A sanitised chat line: { from, name, text }. */
  chat: 'chat',
  /** Something the sender did was refused (not fatal): { reason }. */
  refused: 'refused',
} as const

/**
 * Close codes the server uses when it disconnects a client (4000–4999 reach the client's onLeave).
 * 4000 is Colyseus' own "consented leave".
 */
export const CLOSE = {
  /** Too many messages or bytes a second. */
  flood: 4008,
  /** A message that is not what the protocol allows (NaN pose, wrong type, wrong length). */
  malformed: 4009,
} as const

/** Limits the server enforces per client; the client stays well inside them. */
export const VENUE_LIMITS = {
  /** Poses a second the server accepts; more are dropped (a client sends 20). */
  maxPoseHz: 30,
  /** Messages a second, averaged; a client that exceeds the burst is disconnected. */
  messagesPerSecond: 60,
  messageBurst: 120,
  /** Bytes a second received from one client (poses are ~70 bytes). */
  bytesPerSecond: 16_384,
  byteBurst: 32_768,
  /** Chat lines: like danmaku, one a second with a small burst; extra lines are refused, not fatal. */
  chatPerSecond: 1,
  chatBurst: 3,
  /** Graphemes kept of a chat line and of a name (names stay far under schema's 255-byte trap). */
  chatGraphemes: 40,
  nameGraphemes: 24,
  /** Raw name or chat longer than this (UTF-16 units) is hostile, not a typo: refused outright. */
  maxRawText: 512,
  /** Tianhe item reports (held pose, release state) a second the server applies; more are dropped. */
  maxItemHz: 10,
  /** Largest WebSocket message the transport accepts (Colyseus' ws default). */
  maxPayload: 4096,
} as const

/** Seconds a dropped visitor's seat is kept for Colyseus reconnection before others see them leave. */
export const RECONNECT_SECONDS = 4

/**
 * Tianhe, after a server restart: seconds (from the room's return) a saved item lock waits for its
 * holder to come back before it is released. The restart's reconnection window: the client's
 * back-off (up to 2 s a try) on top of the seat hold, so a holder who is back in time keeps it.
 */
export const LOCK_RESTORE_SECONDS = 10

/** Hz at which the holder of a Tianhe task item reports its pose while holding it. */
export const ITEM_REPORT_HZ = 5

/** Hz at which the client sends its pose (the issue asks for 20–30). */
export const POSE_SEND_HZ = 20
