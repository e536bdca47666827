import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_OPEN_TIMEOUT_MS, DEFAULT_WARN_AFTER_MS, openStorePatiently, openStoreWithFallback } from './open-store'
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

describe('opening take storage patiently: slow is not failed', () => {
  const idbStore = () => ({ ...createMemoryTakeStore(), kind: 'indexeddb' as const })
  function slowOpen() {
    let resolveOpen: (s: TakeStore) => void = () => undefined
    const opening = new Promise<TakeStore>((resolve) => (resolveOpen = resolve))
    return { open: () => opening, resolve: (s: TakeStore) => resolveOpen(s) }
  }

  it('a store that opens late, before anything is recorded, is adopted and nobody is warned', async () => {
    vi.useFakeTimers()
    const slow = slowOpen()
    const warnings: string[] = []
    let current: TakeStore | null = null
    const opening = openStorePatiently(slow.open, createMemoryTakeStore, {
      adopt: (s) => ((current = s), true),
      warn: (e, failure) => warnings.push(`${failure}: ${e.en}`),
    })
    await vi.advanceTimersByTimeAsync(DEFAULT_OPEN_TIMEOUT_MS)
    const result = await opening
    expect(result.store.kind).toBe('memory')
    expect(result.failure).toBe('timeout')
    const idb = idbStore()
    slow.resolve(idb)
    await vi.advanceTimersByTimeAsync(DEFAULT_WARN_AFTER_MS)
    expect(current).toBe(idb)
    expect(warnings).toEqual([])
  })

  it('a store still pending is reported after warnAfterMs, and withdrawn when it opens and is adopted', async () => {
    vi.useFakeTimers()
    const slow = slowOpen()
    const warnings: string[] = []
    let withdrawn = 0
    const opening = openStorePatiently(slow.open, createMemoryTakeStore, {
      adopt: () => true,
      warn: (e, failure) => warnings.push(`${failure}: ${e.en}`),
      withdraw: () => withdrawn++,
    })
    await vi.advanceTimersByTimeAsync(DEFAULT_OPEN_TIMEOUT_MS)
    await opening
    await vi.advanceTimersByTimeAsync(DEFAULT_WARN_AFTER_MS - DEFAULT_OPEN_TIMEOUT_MS - 1)
    expect(warnings).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^timeout: .*did not open within 5 s/)
    slow.resolve(idbStore())
    await vi.advanceTimersByTimeAsync(0)
    expect(withdrawn).toBe(1)
  })

  it('a take starting in memory reports at once; a store opening later is refused while memory holds the take', async () => {
    vi.useFakeTimers()
    const slow = slowOpen()
    const warnings: string[] = []
    let withdrawn = 0
    const memory = createMemoryTakeStore()
    const opening = openStorePatiently(slow.open, () => memory, {
      adopt: async () => (await memory.listTakes()).length === 0,
      warn: (e) => warnings.push(e.en),
      withdraw: () => withdrawn++,
    })
    await vi.advanceTimersByTimeAsync(DEFAULT_OPEN_TIMEOUT_MS)
    const result = await opening
    await result.store.putTake({ id: 't', state: 'recording', frames: 0, durationMs: 0, chunks: 0, meta: {} as never })
    result.warnNow()
    result.warnNow()
    expect(warnings).toHaveLength(1)
    slow.resolve(idbStore())
    await vi.advanceTimersByTimeAsync(DEFAULT_WARN_AFTER_MS)
    expect(warnings).toHaveLength(1)
    expect(withdrawn).toBe(0)
  })

  it('a refusal is reported at once; a store in time is never reported; dispose stops the wait', async () => {
    const warnings: string[] = []
    const options = { adopt: () => true, warn: (_e: unknown, failure: string) => void warnings.push(failure) }
    await openStorePatiently(() => Promise.reject(new Error('denied')), createMemoryTakeStore, options)
    expect(warnings).toEqual(['refused'])
    const fast = await openStorePatiently(() => Promise.resolve(idbStore()), createMemoryTakeStore, options)
    expect(fast.store.kind).toBe('indexeddb')
    fast.warnNow()
    expect(warnings).toEqual(['refused'])
    vi.useFakeTimers()
    const slow = slowOpen()
    const opening = openStorePatiently(slow.open, createMemoryTakeStore, options)
    await vi.advanceTimersByTimeAsync(DEFAULT_OPEN_TIMEOUT_MS)
    ;(await opening).dispose()
    await vi.advanceTimersByTimeAsync(DEFAULT_WARN_AFTER_MS)
    expect(warnings).toEqual(['refused'])
  })
})
