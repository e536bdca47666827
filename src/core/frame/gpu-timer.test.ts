import { describe, expect, it } from 'vitest'
import { createGpuTimer, type TimerQueryExtension, type TimerQueryGL } from './gpu-timer'

const EXT: TimerQueryExtension = { TIME_ELAPSED_EXT: 0x88bf, GPU_DISJOINT_EXT: 0x8fbb, QUERY_COUNTER_BITS_EXT: 0x8864 }

interface FakeQuery {
  id: number
  state: 'idle' | 'open' | 'pending'
  ns: number
  readyAtFrame: number
}

/**
 * A fake WebGL2 context with the timer extension: a query's result (the ns the test queues) becomes
 * available `latency` frames after it ended; `disjointAt` frames raise GPU_DISJOINT_EXT once.
 */
function fakeGL(options: { latency?: number; bits?: number; extension?: boolean; maxQueries?: number } = {}) {
  const latency = options.latency ?? 2
  let frame = 0
  let created = 0
  let open: FakeQuery | null = null
  let disjoint = false
  const nsQueue: number[] = []
  const log: string[] = []
  const gl: TimerQueryGL & { QUERY_RESULT: number; QUERY_RESULT_AVAILABLE: number } = {
    QUERY_RESULT: 0x8866,
    QUERY_RESULT_AVAILABLE: 0x8867,
    getExtension: () => (options.extension === false ? null : EXT),
    createQuery() {
      if (options.maxQueries !== undefined && created >= options.maxQueries) return null
      return { id: created++, state: 'idle', ns: 0, readyAtFrame: 0 } satisfies FakeQuery
    },
    deleteQuery: () => log.push('delete'),
    beginQuery(target, query) {
      if (target !== EXT.TIME_ELAPSED_EXT) throw new Error('wrong target')
      if (open) throw new Error('INVALID_OPERATION: TIME_ELAPSED queries cannot nest')
      const q = query as FakeQuery
      if (q.state === 'pending') throw new Error('query still in flight')
      q.state = 'open'
      open = q
    },
    endQuery() {
      if (!open) throw new Error('no open query')
      open.state = 'pending'
      open.ns = nsQueue.shift() ?? 1_000_000
      open.readyAtFrame = frame + latency
      open = null
    },
    getQueryParameter(query, pname) {
      const q = query as FakeQuery
      if (pname === gl.QUERY_RESULT_AVAILABLE) return q.state === 'pending' && frame >= q.readyAtFrame
      if (pname === gl.QUERY_RESULT) {
        if (!(q.state === 'pending' && frame >= q.readyAtFrame)) throw new Error('stall: result read before it was available')
        q.state = 'idle'
        return q.ns
      }
      return null
    },
    getQuery: (_target, pname) => (pname === EXT.QUERY_COUNTER_BITS_EXT ? (options.bits ?? 64) : null),
    getParameter(pname) {
      if (pname !== EXT.GPU_DISJOINT_EXT) return null
      const d = disjoint
      disjoint = false // reading the flag clears it, as in GL
      return d
    },
  }
  return {
    gl,
    log,
    nextFrame: () => frame++,
    queueNs: (...ns: number[]) => nsQueue.push(...ns),
    raiseDisjoint: () => (disjoint = true),
  }
}

describe('GPU timer (EXT_disjoint_timer_query_webgl2)', () => {
  it('reads results a few frames late, in order, with the tag of the frame they measured', () => {
    const fake = fakeGL({ latency: 2 })
    const timer = createGpuTimer(fake.gl, { ringSize: 4 })
    expect(timer.source).toBe('timer-query')
    const got: [number, number][] = []
    const onResult = (ms: number, tag: number) => got.push([ms, tag])
    const newest: number[] = []
    for (let f = 1; f <= 6; f++) {
      newest.push(timer.poll(onResult))
      fake.queueNs(f * 1_000_000)
      timer.begin(f)
      timer.end()
      fake.nextFrame()
    }
    // Frame f's result is available two frames later: nothing for the first two polls.
    expect(newest).toEqual([-1, -1, 1, 2, 3, 4])
    expect(got).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ])
    expect(timer.lastMs).toBe(4)
    const s = timer.summary()
    expect(s).toMatchObject({ source: 'timer-query', results: 4, disjoint: 0, skipped: 0, counterBits: 64 })
    expect(s.p50Ms).toBe(2)
    expect(s.p95Ms).toBe(4)
    expect(s.recentMs).toEqual([1, 2, 3, 4])
  })

  it('wraps the ring and skips a frame rather than stall when every query is in flight', () => {
    const fake = fakeGL({ latency: 5 })
    const timer = createGpuTimer(fake.gl, { ringSize: 3 })
    const tags: number[] = []
    for (let f = 1; f <= 12; f++) {
      timer.poll((_ms, tag) => tags.push(tag))
      timer.begin(f)
      timer.end()
      fake.nextFrame()
    }
    // Three in flight at most; frames begun while the ring was full were not timed.
    // Frames 1-3 fill the ring; 4, 5 are skipped; frame 1's result frees a slot at frame 6; 9, 10 are skipped.
    expect(tags).toEqual([1, 2, 3, 6, 7])
    expect(timer.summary().skipped).toBe(4)
    // The fake throws on nesting, on a pending query's reuse and on reading before availability: none happened.
  })

  it('discards the result read with GPU_DISJOINT_EXT set, and every query still in flight', () => {
    const fake = fakeGL({ latency: 1 })
    const timer = createGpuTimer(fake.gl, { ringSize: 4 })
    const got: number[] = []
    for (let f = 1; f <= 3; f++) {
      timer.poll((ms) => got.push(ms))
      timer.begin(f)
      timer.end()
      fake.nextFrame()
    }
    expect(got).toEqual([1, 1]) // frames 1 and 2
    fake.raiseDisjoint()
    // Two in flight now (frames 3 and 4 after one more begin/end without a poll).
    timer.begin(4)
    timer.end()
    fake.nextFrame()
    expect(timer.poll((ms) => got.push(ms))).toBe(-1)
    expect(got).toEqual([1, 1])
    expect(timer.summary().disjoint).toBe(2)
    // Afterwards timing goes on normally.
    timer.begin(5)
    timer.end()
    fake.nextFrame()
    expect(timer.poll()).toBe(1)
  })

  it('reports source none, and does nothing, without the extension, without counter bits, or without queries', () => {
    for (const fake of [fakeGL({ extension: false }), fakeGL({ bits: 0 }), fakeGL({ maxQueries: 2 })]) {
      const timer = createGpuTimer(fake.gl, { ringSize: 4 })
      expect(timer.source).toBe('none')
      timer.begin(1)
      timer.end()
      fake.nextFrame()
      fake.nextFrame()
      expect(timer.poll()).toBe(-1)
      expect(timer.summary()).toMatchObject({ source: 'none', p50Ms: null, p95Ms: null, results: 0 })
    }
    expect(createGpuTimer(null).source).toBe('none')
    expect(() => createGpuTimer(null, { ringSize: 1 })).toThrow(RangeError)
  })

  it('dispose ends an open query and deletes the ring', () => {
    const fake = fakeGL()
    const timer = createGpuTimer(fake.gl, { ringSize: 3 })
    timer.begin(1)
    timer.dispose()
    expect(fake.log.filter((l) => l === 'delete')).toHaveLength(3)
    timer.begin(2) // no-op after dispose: the fake would throw on a deleted/nesting query otherwise
    timer.end()
    expect(timer.poll()).toBe(-1)
  })
})
