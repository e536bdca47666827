/**
 * Item locks for a crew (issue 18, Tianhe together): a task item held by one crew member is
 * locked for the others. The server grants and releases locks ({@link decideGrab},
 * {@link decideRelease}, {@link locksHeldBy} on disconnect); every client reads the same table to
 * refuse a grab of an item someone else holds ({@link lockedByOther}) and to say who holds it
 * ({@link heldByHint}). Plain data over any map with `get` and `forEach` (a Map, Colyseus'
 * MapSchema), so the server and the browser share the rules.
 */

/** Which hand holds an item. */
export type LockHand = 'left' | 'right'

/** One lock as the room state carries it. */
export interface ItemLock {
  /** Session id of the crew member holding the item. */
  holder: string
  /** Their (sanitised) name, for "held by …". */
  name: string
  hand: LockHand
}

/** A lock as any table holds it (the room state's `hand` is a plain string). */
export type ItemLockLike = Pick<ItemLock, 'holder' | 'name'> & { hand: string }

/** The lock table: item id → lock (read-only view). */
export interface LockTable<L extends ItemLockLike = ItemLockLike> {
  get(item: string): L | undefined
  forEach(cb: (lock: L, item: string) => void): void
}

/** Why a grab is refused (the `refused` reason the server sends). */
export type LockRefusal = 'item-unknown' | 'item-held' | 'hand-full'

/** A grab or release request as it arrives: `{ item, hand }`; anything else is malformed. */
export interface LockRequest {
  item: string
  hand: LockHand
}

const ITEM = /^[a-z0-9-]{1,32}$/

/** Parses a client's `{ item, hand }`; null when malformed (the server disconnects for that). */
export function parseLockRequest(data: unknown): LockRequest | null {
  if (typeof data !== 'object' || data === null) return null
  const { item, hand } = data as { item?: unknown; hand?: unknown }
  if (typeof item !== 'string' || !ITEM.test(item) || (hand !== 'left' && hand !== 'right')) return null
  return { item, hand }
}

/**
 * Whether `holder` may take `item` in `hand`: 'granted' (write the lock), 'already' (they hold it:
 * nothing to do), or why not. `known` says which ids are lockable items (the world's task items).
 */
export function decideGrab(locks: LockTable, known: (item: string) => boolean, holder: string, request: LockRequest): 'granted' | 'already' | LockRefusal {
  if (!known(request.item)) return 'item-unknown'
  const lock = locks.get(request.item)
  if (lock) return lock.holder === holder ? 'already' : 'item-held'
  let handBusy = false
  locks.forEach((l) => {
    if (l.holder === holder && l.hand === request.hand) handBusy = true
  })
  return handBusy ? 'hand-full' : 'granted'
}

/** True when `holder` holds `item` (only the holder releases a lock). */
export function decideRelease(locks: LockTable, holder: string, item: string): boolean {
  return locks.get(item)?.holder === holder
}

/** Items `holder` holds: released when they drop out or leave. */
export function locksHeldBy(locks: LockTable, holder: string): string[] {
  const out: string[] = []
  locks.forEach((l, item) => {
    if (l.holder === holder) out.push(item)
  })
  return out
}

/** The lock on `item` when someone other than `self` holds it, else null. */
export function lockedByOther<L extends ItemLockLike>(locks: LockTable<L>, self: string | null, item: string): L | null {
  const lock = locks.get(item)
  return lock && lock.holder !== self ? lock : null
}

/** The bilingual hint a crew member gets when they reach for an item another one holds. */
export function heldByHint(name: string): { zh: string; en: string } {
  return { zh: `由 ${name} 拿着`, en: `Held by ${name}` }
}

/**
 * Entries of a loose item's state on the wire and in the room: position (3, m), orientation (4,
 * a unit quaternion), linear velocity (3, m/s), angular velocity (3, rad/s), all in module space
 * (the same for every crew member). Sent as plain numbers (msgpack float64) and kept as float64,
 * so every crew member starts the drift from exactly the numbers the holder's module let go with.
 */
export const ITEM_STATE_LENGTH = 13

/** Bounds of an item state: beyond them a client is lying (or broken) and is disconnected. */
export const ITEM_STATE_LIMITS = {
  /** |coordinate| (m): the module is ~17 m long; the venue's pose bound is 30 m. */
  maxPosition: 30,
  /** Speed (m/s): the loose-item model caps drift at 4; a hand's velocity may briefly be more. */
  maxSpeed: 10,
  /** Spin (rad/s): a thrown thing tumbles at 3 × its speed. */
  maxSpin: 60,
  /** | |q| − 1 | allowed (a quaternion normalised in float32 on the way is still fine). */
  unitTolerance: 0.01,
} as const

/** Why an item state is malformed (null: valid). */
export function validateItemState(values: unknown): string | null {
  if (!Array.isArray(values) || values.length !== ITEM_STATE_LENGTH) return `item state must be ${ITEM_STATE_LENGTH} numbers`
  for (const v of values) if (typeof v !== 'number' || !Number.isFinite(v)) return 'item state must be finite numbers'
  const s = values as number[]
  const { maxPosition, maxSpeed, maxSpin, unitTolerance } = ITEM_STATE_LIMITS
  if (Math.abs(s[0]) > maxPosition || Math.abs(s[1]) > maxPosition || Math.abs(s[2]) > maxPosition) return 'item position out of bounds'
  if (Math.abs(Math.hypot(s[3], s[4], s[5], s[6]) - 1) > unitTolerance) return 'item orientation is not a unit quaternion'
  if (Math.hypot(s[7], s[8], s[9]) > maxSpeed) return 'item speed out of bounds'
  if (Math.hypot(s[10], s[11], s[12]) > maxSpin) return 'item spin out of bounds'
  return null
}

/** A holder's report of an item: `{ item, state }` (while held: its pose, periodically). */
export interface ItemStateReport {
  item: string
  state: number[]
}

/** Parses `{ item, state }`; null when malformed (the server disconnects for that). */
export function parseItemState(data: unknown): ItemStateReport | null {
  if (typeof data !== 'object' || data === null) return null
  const { item, state } = data as { item?: unknown; state?: unknown }
  if (typeof item !== 'string' || !ITEM.test(item) || validateItemState(state) !== null) return null
  return { item, state: state as number[] }
}

/** A release: `{ item, hand }` and, when the item was let go floating, `state` (where and how it left the hand). */
export interface ReleaseRequest extends LockRequest {
  state: number[] | null
}

/** Parses a release; `state` is optional but, when present, must be a valid item state. Null when malformed. */
export function parseRelease(data: unknown): ReleaseRequest | null {
  const request = parseLockRequest(data)
  if (!request) return null
  const state = (data as { state?: unknown }).state
  if (state === undefined || state === null) return { ...request, state: null }
  return validateItemState(state) === null ? { ...request, state: state as number[] } : null
}

/**
 * Brings an item state inside {@link ITEM_STATE_LIMITS} in place (a wild flick of the hand, a
 * quaternion drifted off unit): the holder sends, and drifts from, the clamped numbers, so the
 * server never has reason to drop it and every module starts from the same state. Returns `s`.
 */
export function clampItemState<T extends { [i: number]: number }>(s: T): T {
  const { maxPosition, maxSpeed, maxSpin } = ITEM_STATE_LIMITS
  for (let i = 0; i < ITEM_STATE_LENGTH; i++) if (!Number.isFinite(s[i])) s[i] = i === 6 ? 1 : 0
  for (let i = 0; i < 3; i++) s[i] = Math.max(-maxPosition, Math.min(maxPosition, s[i]))
  const q = Math.hypot(s[3], s[4], s[5], s[6])
  if (q < 1e-6) {
    s[3] = s[4] = s[5] = 0
    s[6] = 1
  } else for (let i = 3; i < 7; i++) s[i] /= q
  const scale = (at: number, max: number) => {
    const n = Math.hypot(s[at], s[at + 1], s[at + 2])
    // A hair under the bound, so float rounding on the way never lands it just over.
    if (n > max) for (let i = at; i < at + 3; i++) s[i] *= (max * 0.999) / n
  }
  scale(7, maxSpeed)
  scale(10, maxSpin)
  return s
}

/**
 * A lock as kept across a server restart: the holder is named by their crew key (stable across
 * the holder's sessions: a restarted server gives every visitor a new session id), with the name
 * and hand the others see meanwhile.
 */
export interface SavedLock {
  key: string
  name: string
  hand: LockHand
}

const CREW_KEY = /^[A-Za-z0-9_-]{8,64}$/

/** A visitor's crew key from the join options; null when absent or not a plain token. */
export function parseCrewKey(value: unknown): string | null {
  return typeof value === 'string' && CREW_KEY.test(value) ? value : null
}

/**
 * The lock table as the task store keeps it (item → JSON of a {@link SavedLock}); a lock whose
 * holder has no crew key (or no holder: still waiting to be reclaimed) is kept under `keyOf`'s
 * answer, and left out when that is null.
 */
export function saveLocks(locks: LockTable, keyOf: (holder: string, item: string) => string | null): Record<string, string> {
  const out: Record<string, string> = {}
  locks.forEach((l, item) => {
    const key = keyOf(l.holder, item)
    if (key && (l.hand === 'left' || l.hand === 'right')) out[item] = JSON.stringify({ key, name: l.name, hand: l.hand } satisfies SavedLock)
  })
  return out
}

/** Reads what {@link saveLocks} wrote; anything malformed (a hand-edited file) is dropped, not trusted. */
export function loadSavedLocks(saved: Record<string, string>): Map<string, SavedLock> {
  const out = new Map<string, SavedLock>()
  for (const [item, json] of Object.entries(saved)) {
    if (!ITEM.test(item)) continue
    try {
      const v = JSON.parse(json) as Partial<SavedLock>
      const key = parseCrewKey(v?.key)
      if (key && typeof v.name === 'string' && v.name.length <= 64 && (v.hand === 'left' || v.hand === 'right')) out.set(item, { key, name: v.name, hand: v.hand })
    } catch {
      // Not JSON: dropped.
    }
  }
  return out
}

/** The items of `pending` saved under `key` (their holder is back): removed from `pending` and returned. */
export function claimSavedLocks(pending: Map<string, SavedLock>, key: string): string[] {
  const out: string[] = []
  for (const [item, lock] of pending) if (lock.key === key) out.push(item)
  for (const item of out) pending.delete(item)
  return out
}
