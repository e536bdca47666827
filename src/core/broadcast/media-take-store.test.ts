import { describe, expect, it } from 'vitest'
import { assembleMediaTake, createMemoryMediaTakeStore, recoverInterruptedMediaTakes } from './media-take-store'
import { takeInfo } from './test-fixtures'

const bytes = (...values: number[]) => Uint8Array.from(values)

describe('media take store (memory)', () => {
  it('appends chunks, lists takes oldest first, loads chunks in order, deletes', async () => {
    const store = createMemoryMediaTakeStore<Uint8Array>()
    await store.putTake(takeInfo('b', '2026-01-02T00:00:00.000Z'))
    await store.putTake(takeInfo('a', '2026-01-01T00:00:00.000Z'))
    await store.appendChunk('a', { index: 1, bytes: 2, data: bytes(3, 4) })
    await store.appendChunk('a', { index: 0, bytes: 2, data: bytes(1, 2) })
    expect((await store.listTakes()).map((t) => t.id)).toEqual(['a', 'b'])
    expect((await store.loadChunks('a')).map((c) => c.index)).toEqual([0, 1])
    expect(await store.loadChunks('b')).toEqual([])
    await store.deleteTake('a')
    expect((await store.listTakes()).map((t) => t.id)).toEqual(['b'])
    expect(await store.loadChunks('a')).toEqual([])
    await store.deleteTake('missing')
  })

  it('copies summaries so a caller cannot change what is stored', async () => {
    const store = createMemoryMediaTakeStore<Uint8Array>()
    const info = takeInfo('a')
    await store.putTake(info)
    info.bytes = 99
    const [listed] = await store.listTakes()
    listed.bytes = 42
    expect((await store.listTakes())[0].bytes).toBe(0)
  })
})

describe('assembleMediaTake', () => {
  it('joins the gap-free run from chunk 0 and says where a gap cut it', () => {
    const chunks = [0, 1, 2, 4, 5].map((index) => ({ index, bytes: 10, data: index }))
    const a = assembleMediaTake(chunks)
    expect(a.parts).toEqual([0, 1, 2])
    expect(a.bytes).toBe(30)
    expect(a.gapAt).toBe(3)
    expect(a.dropped).toBe(2)
  })

  it('returns nothing usable without chunk 0, and everything when complete', () => {
    expect(assembleMediaTake([{ index: 1, bytes: 5, data: 'x' }]).parts).toEqual([])
    const full = assembleMediaTake([2, 0, 1].map((index) => ({ index, bytes: 1, data: index })))
    expect(full).toEqual({ parts: [0, 1, 2], bytes: 3, gapAt: -1, dropped: 0 })
  })
})

describe('recovering interrupted media takes with another tab open (#16 item 2)', () => {
  it('marks a crashed take recovered, leaves the take another tab is recording alone', async () => {
    const store = createMemoryMediaTakeStore<Uint8Array>()
    await store.putTake({ ...takeInfo('crashed', '2026-01-01T00:00:00.000Z'), state: 'recording' })
    await store.putTake({ ...takeInfo('live', '2026-01-02T00:00:00.000Z'), state: 'recording' })
    await store.putTake({ ...takeInfo('done', '2026-01-03T00:00:00.000Z'), state: 'stopped' })
    const result = await recoverInterruptedMediaTakes(store, { isLive: async (id) => id === 'live' })
    expect(result).toEqual({ recovered: ['crashed'], live: ['live'] })
    const byId = new Map((await store.listTakes()).map((t) => [t.id, t]))
    expect(byId.get('crashed')).toMatchObject({ state: 'stopped', recovered: true })
    expect(byId.get('live')).toMatchObject({ state: 'recording' })
    expect(byId.get('live')?.recovered).toBeUndefined()
    expect(byId.get('done')?.recovered).toBeUndefined()
  })

  it('marks a recovered take empty when the check says it holds no frame, and one failing check does not stop the rest', async () => {
    const store = createMemoryMediaTakeStore<Uint8Array>()
    await store.putTake({ ...takeInfo('a', '2026-01-01T00:00:00.000Z'), state: 'recording' })
    await store.putTake({ ...takeInfo('b', '2026-01-02T00:00:00.000Z'), state: 'recording' })
    const result = await recoverInterruptedMediaTakes(store, {
      isLive: async () => false,
      isEmpty: async (info) => {
        if (info.id === 'a') throw new Error('unreadable')
        return true
      },
    })
    expect(result.recovered).toEqual(['a', 'b'])
    const byId = new Map((await store.listTakes()).map((t) => [t.id, t]))
    expect(byId.get('a')?.empty).toBeUndefined()
    expect(byId.get('b')?.empty).toBe(true)
  })
})
