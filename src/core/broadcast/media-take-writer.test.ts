import { describe, expect, it } from 'vitest'
import { createMemoryMediaTakeStore, assembleMediaTake, type MediaTakeStore } from './media-take-store'
import { takeInfo } from './test-fixtures'
import { createMediaTakeWriter, type MediaTakeWriterStatus } from './media-take-writer'

const chunk = (n: number) => new Uint8Array(n)

describe('media take writer', () => {
  it('stores chunks in order as they come and keeps the summary current', async () => {
    const store = createMemoryMediaTakeStore<Uint8Array>()
    const writer = createMediaTakeWriter({ store, info: takeInfo('t1'), estimate: null, expectedBytesPerSecond: 1000 })
    writer.append(chunk(100), 100, 1000)
    writer.append(chunk(50), 50, 2000)
    // Before finish: a crash now would find an interrupted take with what was stored.
    await new Promise((r) => setTimeout(r, 0))
    const [midway] = await store.listTakes()
    expect(midway).toMatchObject({ id: 't1', state: 'recording', chunks: 2, bytes: 150, durationMs: 2000 })
    const info = await writer.finish(2300)
    expect(info).toMatchObject({ state: 'stopped', chunks: 2, bytes: 150, durationMs: 2300 })
    expect(assembleMediaTake(await store.loadChunks('t1')).bytes).toBe(150)
  })

  it('reports storage full before a write fails, and keeps writing into the margin', async () => {
    const inner = createMemoryMediaTakeStore<Uint8Array>()
    let usage = 0
    // The origin's usage grows as chunks are really stored.
    const store: MediaTakeStore<Uint8Array> = { ...inner, appendChunk: (id, c) => ((usage += c.bytes), inner.appendChunk(id, c)) }
    const quota = 30 * 1000 + 2 * 1024 * 1024 // 30 s at 1 kB/s above the reserve
    const statuses: MediaTakeWriterStatus[] = []
    const writer = createMediaTakeWriter({
      store,
      info: takeInfo('t2'),
      estimate: async () => ({ usage, quota }),
      expectedBytesPerSecond: 1000,
      warnSeconds: 15,
      onStatus: (s) => statuses.push(s),
    })
    for (let s = 1; s <= 25; s++) {
      writer.append(chunk(1000), 1000, s * 1000)
    }
    const info = await writer.finish(25_000)
    const levels = statuses.map((s) => s.storage.level)
    const firstLow = levels.indexOf('low')
    const firstFull = levels.indexOf('full')
    expect(firstLow).toBeGreaterThan(0)
    expect(firstFull).toBeGreaterThan(firstLow)
    // Nothing lost: every chunk handed over was stored.
    expect(info.chunks).toBe(25)
    expect(statuses[statuses.length - 1].writeError).toBeNull()
  })

  it('keeps a chunk that failed to store in memory, stores nothing after it, and retries on finish', async () => {
    const inner = createMemoryMediaTakeStore<Uint8Array>()
    let failing = false
    const store: MediaTakeStore<Uint8Array> = {
      ...inner,
      appendChunk: (id, c) => (failing ? Promise.reject(Object.assign(new Error('quota'), { name: 'QuotaExceededError' })) : inner.appendChunk(id, c)),
    }
    const writer = createMediaTakeWriter({ store, info: takeInfo('t3'), estimate: null, expectedBytesPerSecond: 1000 })
    writer.append(chunk(10), 10, 1000)
    await new Promise((r) => setTimeout(r, 0))
    failing = true
    writer.append(chunk(20), 20, 2000)
    writer.append(chunk(30), 30, 3000)
    await new Promise((r) => setTimeout(r, 0))
    expect(writer.status).toMatchObject({ storedChunks: 1, pendingChunks: 2, bytes: 60 })
    expect(writer.status.writeError).toMatch(/QuotaExceededError: quota/)
    expect(writer.allChunks().map((c) => c.bytes)).toEqual([10, 20, 30])
    failing = false
    const info = await writer.finish(3000)
    expect(info).toMatchObject({ state: 'stopped', chunks: 3, bytes: 60 })
    expect((await inner.loadChunks('t3')).map((c) => c.index)).toEqual([0, 1, 2])
  })

  it('leaves the take marked interrupted when chunks could not be stored at all', async () => {
    const inner = createMemoryMediaTakeStore<Uint8Array>()
    const store: MediaTakeStore<Uint8Array> = { ...inner, appendChunk: () => Promise.reject(new Error('disk gone')) }
    const writer = createMediaTakeWriter({ store, info: takeInfo('t4'), estimate: null, expectedBytesPerSecond: 1000 })
    writer.append(chunk(10), 10, 1000)
    const info = await writer.finish(1000)
    expect(info.state).toBe('recording')
    expect(writer.status.pendingChunks).toBe(1)
    expect(writer.allChunks()).toHaveLength(1)
  })
})
