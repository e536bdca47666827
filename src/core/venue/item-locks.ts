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
