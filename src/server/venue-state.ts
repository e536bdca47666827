import { schema, type SchemaType } from '@colyseus/schema'

/**
 * One visitor as every other visitor sees them. Declared with schema 3's decorator-free
 * `schema({...})`, so neither the server build nor tsconfig needs experimental decorators
 * (with decorators and `useDefineForClassFields` left on, state silently fails to sync).
 */
export const VisitorState = schema(
  {
    id: 'string',
    name: 'string',
    avatar: 'string',
    colour: 'string',
    experience: 'string',
    role: 'string',
    /** Quantised head and hands (src/core/venue/pose.ts); patches carry only changed entries. */
    pose: { array: 'int16' },
    /** Poses accepted so far (wraps); a receiver sees a new pose even when the values repeat. */
    poseSeq: 'uint16',
    /** Livestream host only: expression and viseme weights as bytes (src/core/venue/face.ts); empty for others. */
    face: { array: 'uint8' },
    /** Livestream audience: seat index in the audience area (src/core/venue/seating.ts); -1 for none. */
    seat: 'int16',
    /** False while the visitor's seat is held for reconnection. */
    connected: 'boolean',
  },
  'VisitorState',
)

/** An instance of {@link VisitorState}. */
export type VisitorState = SchemaType<typeof VisitorState>

/** Tianhe: one item lock (src/core/venue/item-locks.ts): who holds the item, and in which hand. */
export const ItemLockState = schema(
  {
    holder: 'string',
    name: 'string',
    hand: 'string',
  },
  'ItemLockState',
)

/** An instance of {@link ItemLockState}. */
export type ItemLockState = SchemaType<typeof ItemLockState>

/**
 * Tianhe: the last state of a task item a crew member held (src/core/venue/item-locks.ts,
 * `ITEM_STATE_LENGTH` float64 entries: position, orientation, velocity, spin, module space).
 * `free` once its holder let it go floating (every module drifts it from `s`); `seq` goes up with
 * every report, so a receiver applies each release once even when the numbers repeat.
 */
export const ItemDriftState = schema(
  {
    s: { array: 'float64' },
    free: 'boolean',
    seq: 'uint16',
  },
  'ItemDriftState',
)

/** An instance of {@link ItemDriftState}. */
export type ItemDriftState = SchemaType<typeof ItemDriftState>

/** The state of one room instance; the server is its only writer. */
export const VenueRoomState = schema(
  {
    /** Which instance of this room (1, 2, ...): a full room opens another. */
    instance: 'uint16',
    visitors: { map: VisitorState },
    /** Livestream: the session id holding the host role ('' when none). */
    hostId: 'string',
    /** Tianhe: completed step `taskId/stepId` (src/core/tianhe/crew-steps.ts) → name of the crew member who did it. */
    tasks: { map: 'string' },
    /** Tianhe: task item id → its lock, while a crew member holds it. */
    locks: { map: ItemLockState },
    /** Hub: group photos asked for so far (src/core/venue/group-photo.ts); a new one bumps it. */
    photoSeq: 'uint16',
    /** Hub: session id of the visitor whose photo is counting down ('' when none). */
    photoBy: 'string',
    /** Hub: their name, for Xiaoguan's line (the visitor may leave before the line is said). */
    photoByName: 'string',
    /** Hub: seconds left of the countdown (3 … 1), 0 at the shutter. */
    photoLeft: 'uint8',
    /** Tianhe: task item id → its last reported state (held pose, or the release it drifts from). */
    items: { map: ItemDriftState },
  },
  'VenueRoomState',
)

/** An instance of {@link VenueRoomState}. */
export type VenueRoomState = SchemaType<typeof VenueRoomState>
