import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_OPEN_TIMEOUT_MS, openStoreWithFallback } from './open-store'
import { createMemoryTakeStore, type TakeStore } from './take-store'

afterEach(() => {
  vi.useRealTimers()
})

describe('opening take storage (#16 item 5)', () => {
  it('a hung IndexedDB open times out with a clear bilingual error and the memory store', async () => {
    vi.useFakeTimers()
    let lateClosed = false
    const hung = new Promise<TakeStore>(() => undefined)
    const opening = openStoreWithFallback(() => hung, createMemoryTakeStore, {
      onLate: () => {
        lateClosed = true
      },
    })
    await vi.advanceTimersByTimeAsync(DEFAULT_OPEN_TIMEOUT_MS - 1)
    let settled = false
    void opening.then(() => (settled = true))
    await Promise.resolve()
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    const result = await opening
    expect(result.store.kind).toBe('memory')
    expect(result.failure).toBe('timeout')
    expect(result.error?.en).toMatch(/did not open within 5 s/)
    expect(result.error?.zh).toMatch(/5 秒/)
    expect(lateClosed).toBe(false)
  })

  it('an open that succeeds after the timeout is handed to onLate (to close), not used', async () => {
    vi.useFakeTimers()
    let resolveOpen: (s: TakeStore) => void = () => undefined
    const slow = new Promise<TakeStore>((resolve) => (resolveOpen = resolve))
    const late: TakeStore[] = []
    const result = openStoreWithFallback(() => slow, createMemoryTakeStore, { timeoutMs: 100, onLate: (s) => late.push(s) })
    await vi.advanceTimersByTimeAsync(100)
    expect((await result).failure).toBe('timeout')
    const idb = { ...createMemoryTakeStore(), kind: 'indexeddb' as const }
    resolveOpen(idb)
    await Promise.resolve()
    await Promise.resolve()
    expect(late).toEqual([idb])
  })

  it('private mode (IndexedDB refused) falls back to memory, says so, and the memory store records and recovers', async () => {
    const refused = () => Promise.reject(new DOMException('The user denied permission to access the database.', 'InvalidStateError'))
    const result = await openStoreWithFallback(refused, createMemoryTakeStore)
    expect(result.failure).toBe('refused')
    expect(result.store.kind).toBe('memory')
    expect(result.error?.en).toMatch(/reload would lose/)
    expect(result.error?.en).toMatch(/denied permission/)
    expect(result.error?.zh).toMatch(/刷新/)
    // The fallback is a working store.
    await result.store.putTake({ id: 't', state: 'recording', frames: 0, durationMs: 0, chunks: 0, meta: {} as never })
    expect((await result.store.listTakes()).map((t) => t.id)).toEqual(['t'])
  })

  it('a store that opens in time is used as is', async () => {
    const idb = { ...createMemoryTakeStore(), kind: 'indexeddb' as const }
    const result = await openStoreWithFallback(() => Promise.resolve(idb), createMemoryTakeStore)
    expect(result).toEqual({ store: idb, failure: null, error: null })
  })
})
