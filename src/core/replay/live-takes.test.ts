import { afterEach, describe, expect, it } from 'vitest'
import { createLiveTakeGuard, deleteTakeUnlessLive, type LiveTakeGuard, type LockManagerLike } from './live-takes'
import { createMemoryTakeStore, recoverAllTakes, type TakeInfo } from './take-store'

/**
 * The Web Locks semantics the guard relies on, shared by every "tab" of one origin: exclusive
 * locks by name, `ifAvailable` answers null when the name is held, a lock lasts until the
 * callback's promise settles.
 */
function createSharedLocks(): LockManagerLike {
  const held = new Set<string>()
  const waiting = new Map<string, (() => void)[]>()
  const run = async <T>(name: string, callback: (lock: unknown) => T | Promise<T>): Promise<T> => {
    held.add(name)
    try {
      return await callback({ name })
    } finally {
      held.delete(name)
      waiting.get(name)?.shift()?.()
    }
  }
  return {
    async request(name, options, callback) {
      if (held.has(name)) {
        if (options.ifAvailable) return callback(null)
        await new Promise<void>((resolve) => {
          const queue = waiting.get(name) ?? []
          queue.push(resolve)
          waiting.set(name, queue)
        })
      }
      return run(name, callback)
    },
  }
}

const guards: LiveTakeGuard[] = []
const track = (g: LiveTakeGuard) => (guards.push(g), g)
afterEach(() => {
  for (const g of guards.splice(0)) g.dispose()
})

const info = (id: string, state: TakeInfo['state'] = 'recording') =>
  ({ id, state, frames: 0, durationMs: 0, chunks: 0, meta: { recordedAt: `2025-01-01T00:00:0${id.length}Z` } }) as unknown as TakeInfo

describe('live takes across tabs (#16 item 2)', () => {
  it('with Web Locks, a take held by tab A is live for tab B until A releases it', async () => {
    const locks = createSharedLocks()
    const tabA = track(createLiveTakeGuard({ namespace: 'xr-sessions', locks }))
    const tabB = track(createLiveTakeGuard({ namespace: 'xr-sessions', locks }))
    expect(tabA.mechanism).toBe('web-locks')
    await tabA.hold('take-a')
    expect(await tabB.isLive('take-a')).toBe(true)
    expect(await tabB.isLive('take-b')).toBe(false)
    // Checking did not take the lock away from A.
    expect(await tabB.isLive('take-a')).toBe(true)
    tabA.release('take-a')
    await Promise.resolve()
    expect(await tabB.isLive('take-a')).toBe(false)
  })

  it('namespaces do not see each other (xr-sessions and broadcast takes)', async () => {
    const locks = createSharedLocks()
    const xr = track(createLiveTakeGuard({ namespace: 'xr-sessions', locks }))
    const media = track(createLiveTakeGuard({ namespace: 'broadcast', locks }))
    await xr.hold('same-id')
    expect(await media.isLive('same-id')).toBe(false)
  })

  it('recovery in tab B skips the take tab A is recording and still offers the interrupted one', async () => {
    const locks = createSharedLocks()
    const store = createMemoryTakeStore()
    await store.putTake(info('live'))
    await store.putTake(info('crashed'))
    const tabA = track(createLiveTakeGuard({ namespace: 'xr-sessions', locks }))
    const tabB = track(createLiveTakeGuard({ namespace: 'xr-sessions', locks }))
    await tabA.hold('live')
    const { takes } = await recoverAllTakes(store, { skip: (t) => tabB.isLive(t.id) })
    expect(takes.map((t) => t.info.id)).toEqual(['crashed'])
  })

  it('without Web Locks, a BroadcastChannel heartbeat tells tab B which take tab A records', async () => {
    const tabA = track(createLiveTakeGuard({ namespace: 'test-bc-1', locks: null, channel: new BroadcastChannel('lj-live-test-1'), heartbeatMs: 20, now: () => performance.now() }))
    const tabB = track(createLiveTakeGuard({ namespace: 'test-bc-1', locks: null, channel: new BroadcastChannel('lj-live-test-1'), heartbeatMs: 20, now: () => performance.now() }))
    expect(tabB.mechanism).toBe('broadcast-channel')
    await tabA.hold('take-a')
    // B just opened: it asks and waits for an answer (no heartbeat seen yet).
    expect(await tabB.isLive('take-a')).toBe(true)
    expect(await tabB.isLive('take-b')).toBe(false)
    tabA.release('take-a')
    // Once A stops, its heartbeat no longer names the take and the old sighting goes stale.
    await new Promise((resolve) => setTimeout(resolve, 120))
    expect(await tabB.isLive('take-a')).toBe(false)
  })

  it('with neither, only this tab’s own takes are live (nothing to ask)', async () => {
    const solo = track(createLiveTakeGuard({ namespace: 'xr-sessions', locks: null, channel: null }))
    expect(solo.mechanism).toBe('none')
    await solo.hold('mine')
    expect(await solo.isLive('mine')).toBe(true)
    expect(await solo.isLive('other')).toBe(false)
  })

  it('Delete in tab B refuses the take tab A is recording, and deletes it once A stopped', async () => {
    const locks = createSharedLocks()
    const store = createMemoryTakeStore()
    await store.putTake(info('live'))
    const tabA = track(createLiveTakeGuard({ namespace: 'broadcast', locks }))
    const tabB = track(createLiveTakeGuard({ namespace: 'broadcast', locks }))
    await tabA.hold('live')
    expect(await deleteTakeUnlessLive(store, tabB, 'live')).toBe(false)
    expect((await store.listTakes()).map((t) => t.id)).toEqual(['live'])
    tabA.release('live')
    await Promise.resolve()
    expect(await deleteTakeUnlessLive(store, tabB, 'live')).toBe(true)
    expect(await store.listTakes()).toEqual([])
  })
})
