import { describe, expect, it } from 'vitest'
import { createInputSnapshot } from '../input/input-snapshot'
import { createStateHasher, hashInputSnapshot } from './state-hash'
import { type RecordingChunk, type RecordingMetaInput } from './recording-format'
import { createReplayPlayer } from './replay-player'
import { DEFAULT_PART_BYTES, createSessionRecorder } from './session-recorder'
import { fillSyntheticSnapshot, type SyntheticSessionOptions } from './synthetic-session'
import { createMemoryTakeStore, recoverTake, type TakeStore } from './take-store'
import { DEFAULT_MAX_BYTES, validateRecording } from './validate-recording'

const META: RecordingMetaInput = {
  device: 'IWER Meta Quest 3',
  appVersion: '0.1.0',
  experience: 'hub',
  seed: 1234,
  recordedAt: '2025-05-01T10:00:00.000Z',
  frameRate: 72,
  mode: 'immersive-vr',
}

const SESSION: SyntheticSessionOptions = { frames: 200, inputs: 'mixed' }

/** Records `frames` synthetic frames at 72 Hz of wall time (the flush clock). */
function recordFrames(recorder: ReturnType<typeof createSessionRecorder>, from: number, to: number, onFrame?: (f: number) => void): void {
  const snap = createInputSnapshot()
  for (let f = from; f < to; f++) {
    fillSyntheticSnapshot(snap, f, SESSION)
    snap.timeMs = 5000 + (f * 1000) / 72
    recorder.appendFrame(snap, 5000 + (f * 1000) / 72)
    onFrame?.(f)
  }
}

/** Input hash a deterministic replay computes: every frame handed out, in order. */
function replayInputHash(recording: unknown): string {
  const player = createReplayPlayer(recording, { mode: 'deterministic' })
  const snap = createInputSnapshot()
  const hasher = createStateHasher()
  while (!player.ended) {
    player.advance(snap)
    hashInputSnapshot(hasher, snap)
  }
  return hasher.hex()
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('session recorder', () => {
  it('persists chunks while recording and stops with a take that replays to the same input hash', async () => {
    const store = createMemoryTakeStore()
    const recorder = createSessionRecorder({ store, chunkSize: 50, flushIntervalMs: 10_000 })
    recorder.start('take-1', META)
    recordFrames(recorder, 0, 120)
    await recorder.flush()
    // Flushing writes the partial third chunk too: everything appended is in the store.
    expect(recorder.persistedFrames).toBe(120)
    expect((await store.loadChunks('take-1')).map((c) => c.frames.length)).toEqual([50, 50, 20])
    recordFrames(recorder, 120, 200)
    const info = await recorder.stop()
    expect(recorder.recording).toBe(false)
    expect(info).toMatchObject({ id: 'take-1', state: 'stopped', frames: 200 })
    expect((await store.listTakes())[0]).toMatchObject({ id: 'take-1', state: 'stopped', frames: 200 })

    const recovered = await recoverTake(store, info)
    if (!recovered.ok) throw new Error(recovered.error.message.en)
    expect(recovered.recording.frames).toHaveLength(200)
    // Chunked storage and the in-memory build are the same recording.
    expect(recovered.recording).toEqual(recorder.build())
    expect(validateRecording(JSON.stringify(recovered.recording)).ok).toBe(true)
    expect(recorder.inputHash).toBe(replayInputHash(recovered.recording))
    expect(recorder.inputHash).not.toBe(createStateHasher().hex())
  })

  it('flushes partial chunks on the wall-clock interval, so a crash loses at most about that long', async () => {
    const store = createMemoryTakeStore()
    const recorder = createSessionRecorder({ store, chunkSize: 300, flushIntervalMs: 1000 })
    recorder.start('crash', META)
    recordFrames(recorder, 0, 160) // 2.2 s of wall time, no full chunk of 300
    await settle()
    await settle()
    // Never stopped: this is what the next visit finds.
    const [info] = await store.listTakes()
    expect(info.state).toBe('recording')
    expect(info.frames).toBeGreaterThanOrEqual(144) // flushed at 1 s and 2 s
    const recovered = await recoverTake(store, info)
    if (!recovered.ok) throw new Error(recovered.error.message.en)
    expect(recovered.recording.frames.length).toBe(info.frames)
    expect(recovered.recording.meta).toMatchObject({ experience: 'hub', seed: 1234, device: 'IWER Meta Quest 3' })
  })

  it('retries a chunk whose write failed, keeping the stored run gap-free', async () => {
    const memory = createMemoryTakeStore()
    let failures = 1
    // A store whose first chunk write fails, as a busy or full database can.
    const flaky: TakeStore = {
      ...memory,
      kind: 'indexeddb',
      putChunk(takeId: string, chunk: RecordingChunk) {
        if (failures > 0) {
          failures--
          return Promise.reject(new Error('QuotaExceededError'))
        }
        return memory.putChunk(takeId, chunk)
      },
    }
    const recorder = createSessionRecorder({ store: flaky, chunkSize: 40, flushIntervalMs: 10_000 })
    recorder.start('flaky', META)
    recordFrames(recorder, 0, 40)
    await settle()
    await settle()
    expect(recorder.lastError).toBe('QuotaExceededError')
    expect(recorder.pendingChunks).toBe(1)
    recordFrames(recorder, 40, 100)
    const info = await recorder.stop()
    expect(recorder.lastError).toBeNull()
    expect(info.frames).toBe(100)
    const recovered = await recoverTake(memory, info)
    expect(recovered.ok && recovered.recording.frames.length).toBe(100)
  })

  it('keeps app events on the frame timeline and refuses events that would make the file invalid', async () => {
    const store = createMemoryTakeStore()
    const recorder = createSessionRecorder({ store, chunkSize: 30 })
    expect(recorder.recordEvent('marker')).toBe('not-recording')
    recorder.start('events', META)
    recordFrames(recorder, 0, 70, (f) => {
      if (f === 10) expect(recorder.recordEvent('task-step', { step: 1, done: [true, null] })).toBeNull()
      if (f === 50) expect(recorder.recordEvent('experience', { id: 'tianhe' })).toBeNull()
    })
    expect(recorder.recordEvent('has space')).toBe('bad-type')
    expect(recorder.recordEvent('x'.repeat(65))).toBe('bad-type')
    expect(recorder.recordEvent('nan', { v: Number.NaN })).toBe('bad-data')
    let deep: unknown = 1
    for (let i = 0; i < 20; i++) deep = [deep]
    expect(recorder.recordEvent('deep', deep as never)).toBe('bad-data')
    // What the player would refuse is refused here: no string or key over the validator's limit.
    expect(recorder.recordEvent('long', { note: 'x'.repeat(5000) })).toBe('bad-data')
    expect(recorder.recordEvent('long-key', { ['k'.repeat(5000)]: 1 })).toBe('bad-data')
    const info = await recorder.stop()
    const recovered = await recoverTake(store, info)
    if (!recovered.ok) throw new Error(recovered.error.message.en)
    expect(recovered.recording.events.map((e) => [e.frame, e.type])).toEqual([
      [10, 'task-step'],
      [50, 'experience'],
    ])
    expect(recovered.recording.events[0].data).toEqual({ step: 1, done: [true, null] })
  })

  it('reports a take whose first chunk is lost instead of offering a broken file', async () => {
    const store = createMemoryTakeStore()
    const recorder = createSessionRecorder({ store, chunkSize: 20 })
    recorder.start('lost', META)
    recordFrames(recorder, 0, 60)
    const info = await recorder.stop()
    // Simulate losing chunk 0: rebuild the store without it.
    const damaged = createMemoryTakeStore()
    await damaged.putTake(info)
    for (const chunk of await store.loadChunks('lost')) if (chunk.index !== 0) await damaged.putChunk('lost', chunk)
    const recovered = await recoverTake(damaged, info)
    expect(recovered.ok).toBe(false)
    if (!recovered.ok) {
      expect(recovered.error.code).toBe('bad-chunk')
      expect(recovered.error.message.zh).toContain('第 0 帧')
    }
    await store.deleteTake('lost')
    expect(await store.listTakes()).toEqual([])
    expect(await store.loadChunks('lost')).toEqual([])
  })

  it('refuses a second start while recording', () => {
    const recorder = createSessionRecorder({ store: createMemoryTakeStore() })
    recorder.start('a', META)
    expect(() => recorder.start('b', META)).toThrow(/already/)
  })
})

describe('session recorder and other tabs (#16 item 2)', () => {
  it('holds the take live from before its record is stored until it stopped', async () => {
    const events: string[] = []
    const store = createMemoryTakeStore()
    const watched: TakeStore = {
      ...store,
      async putTake(info) {
        events.push(`put:${info.state}`)
        return store.putTake(info)
      },
    }
    const guard = {
      async hold(id: string) {
        events.push(`hold:${id}`)
      },
      release(id: string) {
        events.push(`release:${id}`)
      },
    }
    const recorder = createSessionRecorder({ store: watched, chunkSize: 50, guard })
    recorder.start('take-g', META)
    recordFrames(recorder, 0, 60)
    await recorder.stop()
    expect(events[0]).toBe('hold:take-g')
    expect(events[1]).toBe('put:recording')
    expect(events.at(-1)).toBe('release:take-g')
    expect(events.at(-2)).toBe('put:stopped')
  })
})

describe('long takes roll over into parts the player accepts (#16 item 4)', () => {
  /** Records `seconds` of two-hand tracking at 72 Hz into `recorder`. */
  function recordHands(recorder: ReturnType<typeof createSessionRecorder>, frames: number): void {
    const snap = createInputSnapshot()
    for (let f = 0; f < frames; f++) {
      fillSyntheticSnapshot(snap, f, { frames, inputs: 'hands' })
      snap.timeMs = 5000 + (f * 1000) / 72
      recorder.appendFrame(snap, snap.timeMs)
      if (f % 500 === 0) recorder.recordEvent('task-step', { frame: f })
    }
  }

  it('the builder knows the exact JSON size of what it would build', () => {
    const recorder = createSessionRecorder({ store: createMemoryTakeStore() })
    recorder.start('size', META)
    recordHands(recorder, 300)
    expect(recorder.partBytes).toBe(JSON.stringify(recorder.build()).length)
  })

  it('a hand-tracking take longer than one file splits into parts, each under the limit and playable', async () => {
    const store = createMemoryTakeStore()
    // A small limit stands in for 20 MB (same code path, a fraction of the frames).
    const maxPartBytes = 400_000
    const parts: { id: string; part: number; text: string; inputHash: string }[] = []
    const recorder = createSessionRecorder({
      store,
      chunkSize: 72,
      maxPartBytes,
      onPart: (p) => {
        parts.push({ id: p.info.id, part: p.part, text: JSON.stringify(p.build()), inputHash: p.inputHash })
      },
    })
    recorder.start('long', META)
    recordHands(recorder, 1500)
    const last = await recorder.stop()
    const lastText = JSON.stringify(recorder.build())
    expect(parts.length).toBeGreaterThanOrEqual(2)
    expect(parts.map((p) => p.part)).toEqual(parts.map((_, i) => i + 1))
    expect(parts.map((p) => p.id)).toEqual(parts.map((_, i) => (i === 0 ? 'long' : `long-part${i + 1}`)))
    expect(last.id).toBe(`long-part${parts.length + 1}`)
    let frames = 0
    for (const text of [...parts.map((p) => p.text), lastText]) {
      expect(text.length).toBeLessThanOrEqual(maxPartBytes)
      const checked = validateRecording(text, { maxBytes: maxPartBytes })
      expect(checked.ok).toBe(true)
      if (checked.ok) frames += checked.recording.frames.length
    }
    // No frame is lost at a boundary.
    expect(frames).toBe(1500)
    // Each finished part replays to the input hash the recorder computed for it.
    expect(replayInputHash(parts[0].text)).toBe(parts[0].inputHash)
    // Every part is stored whole and marked stopped: nothing is offered as interrupted.
    const stored = await store.listTakes()
    expect(stored.map((t) => t.state)).toEqual(stored.map(() => 'stopped'))
    expect(stored.reduce((n, t) => n + t.frames, 0)).toBe(1500)
  })

  it('at the real limits, four and a half minutes of hands make a first part the player accepts', () => {
    let first: string | null = null
    const recorder = createSessionRecorder({ store: createMemoryTakeStore(), onPart: (p) => (first ??= JSON.stringify(p.build())) })
    recorder.start('real', META)
    recordHands(recorder, 72 * 270)
    expect(recorder.part).toBe(2)
    expect(first!.length).toBeLessThanOrEqual(DEFAULT_PART_BYTES)
    expect(first!.length).toBeGreaterThan(DEFAULT_PART_BYTES - 8 * 1024)
    expect(validateRecording(first!).ok).toBe(true)
  }, 120_000)

  it('the default part limit leaves room for the timing trace under the player limit', () => {
    expect(DEFAULT_PART_BYTES).toBeLessThan(DEFAULT_MAX_BYTES)
    expect(DEFAULT_MAX_BYTES - DEFAULT_PART_BYTES).toBeGreaterThanOrEqual(1024 * 1024)
  })
})
