import { describe, expect, it } from 'vitest'
import { createInputSnapshot } from '../input/input-snapshot'
import { assembleRecording, type RecordingChunk, type RecordingMetaInput } from './recording-format'
import { createSessionRecorder } from './session-recorder'
import { fillSyntheticSnapshot } from './synthetic-session'
import { createMemoryTakeStore, createRawTakeDump, describeTake, recoverAllTakes, recoverTake, type TakeInfo, type TakeStore } from './take-store'

const META: RecordingMetaInput = {
  device: 'IWER Meta Quest 3',
  appVersion: '0.1.0',
  experience: 'hub',
  seed: 7,
  recordedAt: '2025-05-01T10:00:00.000Z',
  frameRate: 72,
  mode: 'immersive-vr',
}

/** Records a clean take of `frames` frames in chunks of 50 and returns its summary. */
async function recordTake(store: TakeStore, id: string, frames: number, recordedAt = META.recordedAt): Promise<TakeInfo> {
  const recorder = createSessionRecorder({ store, chunkSize: 50, flushIntervalMs: 1e9 })
  recorder.start(id, { ...META, recordedAt })
  const snap = createInputSnapshot()
  for (let f = 0; f < frames; f++) {
    fillSyntheticSnapshot(snap, f, { frames, inputs: 'mixed' })
    snap.timeMs = (f * 1000) / 72
    recorder.appendFrame(snap, f)
  }
  recorder.recordEvent('task', { id: 'a' })
  return recorder.stop()
}

/** Replaces one stored chunk of a take with `edit(chunk)` (storage corruption, not a recorder path). */
async function corruptChunk(store: TakeStore, id: string, index: number, edit: (chunk: RecordingChunk) => unknown): Promise<void> {
  const chunks = await store.loadChunks(id)
  await store.putChunk(id, { ...(edit(chunks[index]) as RecordingChunk), index } as RecordingChunk)
}

describe('corrupt takes never hide good ones (#16 item 1)', () => {
  it('assembleRecording never throws a TypeError on null meta, null chunks or null events', () => {
    const good = { format: 'lingjing-xr-session-chunk', version: 1, index: 0, firstFrame: 0, frames: [], events: [] }
    const cases: unknown[][] = [
      [{ ...good, meta: null }],
      [null, { ...good, meta: null }],
      [{ ...good, meta: { experience: 'hub' }, events: [null] }],
      [{ ...good, index: 'x', firstFrame: null, meta: {} }],
      [{ ...good, meta: {}, frames: [null], events: [{ frame: null }] }],
    ]
    for (const chunks of cases) {
      let thrown: unknown = null
      try {
        assembleRecording(chunks as RecordingChunk[])
      } catch (err) {
        thrown = err
      }
      if (thrown) expect((thrown as Error).name).toBe('ReplayError')
    }
  })

  it('a chunk with meta null or a null event is cut off, and the chunks before it are kept', async () => {
    const store = createMemoryTakeStore()
    const info = await recordTake(store, 'take', 160)
    await corruptChunk(store, 'take', 2, (c) => ({ ...c, meta: null }))
    const result = await recoverTake(store, info)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.recording.frames.length).toBe(100)

    const store2 = createMemoryTakeStore()
    const info2 = await recordTake(store2, 'take', 160)
    await corruptChunk(store2, 'take', 1, (c) => ({ ...c, events: [null, ...c.events] }))
    const result2 = await recoverTake(store2, info2)
    expect(result2.ok).toBe(true)
    if (result2.ok) expect(result2.recording.frames.length).toBeGreaterThanOrEqual(50)
  })

  it('a bad frame in a later chunk keeps every frame before it', async () => {
    const store = createMemoryTakeStore()
    const info = await recordTake(store, 'take', 160)
    await corruptChunk(store, 'take', 2, (c) => {
      const frames = c.frames.slice()
      frames[7] = ['not', 'a', 'frame'] as never
      return { ...c, frames }
    })
    const result = await recoverTake(store, info)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.recording.frames.length).toBe(107)
    expect(result.damage?.path).toMatch(/^frames\[107\]/)
  })

  it('a take whose first chunk is broken comes back damaged, never as an exception', async () => {
    const store = createMemoryTakeStore()
    const info = await recordTake(store, 'take', 60)
    await corruptChunk(store, 'take', 0, (c) => ({ ...c, meta: null, events: [null] }))
    const result = await recoverTake(store, info)
    expect(result.ok).toBe(false)
  })

  it('a record without meta neither breaks listTakes nor hides the good takes around it', async () => {
    const store = createMemoryTakeStore()
    await recordTake(store, 'early', 60, '2025-05-01T09:00:00.000Z')
    await recordTake(store, 'late', 60, '2025-05-01T11:00:00.000Z')
    await store.putTake({ id: 'broken', meta: null, state: 'recording' } as unknown as TakeInfo)
    await store.putChunk('broken', { index: 0, meta: null, frames: null, events: [null] } as unknown as RecordingChunk)
    const listed = await store.listTakes()
    expect(listed.map((t) => t.id).sort()).toEqual(['broken', 'early', 'late'])
    const { takes, error } = await recoverAllTakes(store)
    expect(error).toBeNull()
    const byId = new Map(takes.map((t) => [t.info.id, t]))
    expect(byId.get('early')?.ok).toBe(true)
    expect(byId.get('late')?.ok).toBe(true)
    expect(byId.get('broken')?.ok).toBe(false)
    // The summary of a broken record is still printable.
    const summary = describeTake(byId.get('broken')!.info)
    expect(summary.experience).toBe('?')
    expect(typeof summary.recordedAt).toBe('string')
  })

  it('one take whose chunks cannot be read does not stop the others', async () => {
    const inner = createMemoryTakeStore()
    await recordTake(inner, 'a', 60, '2025-05-01T09:00:00.000Z')
    await recordTake(inner, 'b', 60, '2025-05-01T10:00:00.000Z')
    const store: TakeStore = {
      ...inner,
      async loadChunks(id) {
        if (id === 'a') throw new TypeError('boom')
        return inner.loadChunks(id)
      },
    }
    const { takes } = await recoverAllTakes(store)
    expect(takes.map((t) => [t.info.id, t.ok])).toEqual([
      ['a', false],
      ['b', true],
    ])
  })

  it('the raw dump of a damaged take is JSON holding its record and every stored chunk', async () => {
    const store = createMemoryTakeStore()
    await store.putTake({ id: 'broken', meta: null } as unknown as TakeInfo)
    await store.putChunk('broken', { index: 0, meta: null, frames: [[1, 2, 3]], events: [null], big: 10n } as unknown as RecordingChunk)
    const text = await createRawTakeDump(store, 'broken')
    const parsed = JSON.parse(text) as { format: string; take: unknown; chunks: unknown[] }
    expect(parsed.format).toBe('lingjing-xr-session-raw')
    expect(parsed.take).toEqual({ id: 'broken', meta: null })
    expect(parsed.chunks).toHaveLength(1)
  })
})
