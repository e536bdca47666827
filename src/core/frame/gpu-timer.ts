/**
 * GPU time per frame from `EXT_disjoint_timer_query_webgl2`, where the browser exposes it.
 *
 * One TIME_ELAPSED query brackets each frame's GL work (`begin` before the frame loop, `end` after
 * its post phase). Results arrive a few frames late, so the queries live in a small ring and
 * `poll` reads only those whose QUERY_RESULT_AVAILABLE is true: never a stall. GPU_DISJOINT_EXT is
 * read *after* a result is available (KhronosGroup/WebGL#3497); when it is set, that result and
 * every query still in flight are discarded (their timings may span the disjoint event).
 *
 * TIME_ELAPSED queries cannot nest: nothing else in the app may use them (three's WebGLRenderer
 * does not; only the WebGL backend of WebGPURenderer has timestamp queries).
 *
 * The GL is passed in as the minimal {@link TimerQueryGL} interface so this stays DOM-free and
 * testable with a fake. No allocation per frame once the ring's queries exist.
 */

/** The parts of `EXT_disjoint_timer_query_webgl2` this uses. */
export interface TimerQueryExtension {
  readonly TIME_ELAPSED_EXT: number
  readonly GPU_DISJOINT_EXT: number
  readonly QUERY_COUNTER_BITS_EXT: number
}

/** The parts of a WebGL2 context this uses (a real `WebGL2RenderingContext` satisfies it). */
export interface TimerQueryGL {
  readonly QUERY_RESULT: number
  readonly QUERY_RESULT_AVAILABLE: number
  getExtension(name: 'EXT_disjoint_timer_query_webgl2'): TimerQueryExtension | null
  createQuery(): object | null
  deleteQuery(query: object | null): void
  beginQuery(target: number, query: object): void
  endQuery(target: number): void
  getQueryParameter(query: object, pname: number): unknown
  getQuery(target: number, pname: number): unknown
  getParameter(pname: number): unknown
}

/** Where GPU times come from: the timer extension, or nowhere. */
export type GpuTimeSource = 'timer-query' | 'none'

/** Snapshot of the timer (the snapshot's `frame.gpu` plus counters). */
export interface GpuTimerSummary {
  source: GpuTimeSource
  /** Nearest-rank median of GPU time over the window, ms (null without results). */
  p50Ms: number | null
  /** Nearest-rank p95 of GPU time over the window, ms (null without results). */
  p95Ms: number | null
  /** Results read (total). */
  results: number
  /** Results thrown away because GPU_DISJOINT_EXT was set (total). */
  disjoint: number
  /** Frames not timed because every query of the ring was still in flight (total). */
  skipped: number
  /** QUERY_COUNTER_BITS_EXT of TIME_ELAPSED_EXT (0 without the extension). */
  counterBits: number
  /** The window's GPU times, oldest first, ms (0.1 ms steps); the newest `results - r0` are those since a reader's mark `r0`. */
  recentMs: number[]
}

/** The timer; see {@link createGpuTimer}. */
export interface GpuTimer {
  readonly source: GpuTimeSource
  /**
   * Starts timing this frame's GL work (skips the frame when the ring is full). `tag` (e.g. the
   * frame number) comes back with the result. No allocation.
   */
  begin(tag?: number): void
  /** Ends the frame's query, if one was begun. */
  end(): void
  /**
   * Reads every query whose result is available, oldest first, stopping at the first that is not.
   * Returns the newest valid GPU time read now, ms, or -1 when none; `onResult` gets every valid
   * result with its frame's tag. No allocation.
   */
  poll(onResult?: (gpuMs: number, tag: number) => void): number
  /** Newest valid GPU time, ms (-1 before the first). */
  readonly lastMs: number
  summary(): GpuTimerSummary
  /** Copies the newest min(count, out.length) GPU times, oldest first, into `out`; returns how many. */
  copyTimes(out: Float64Array): number
  /** Deletes the queries (context teardown). The timer then reports nothing. */
  dispose(): void
}

/** Queries in flight at most: results typically come 2–3 frames late. */
export const DEFAULT_RING_SIZE = 6

function nearestRank(sorted: Float64Array, n: number, p: number): number {
  let rank = Math.ceil((p * n) / 100)
  if (rank < 1) rank = 1
  if (rank > n) rank = n
  return sorted[rank - 1]
}

/**
 * Creates a GPU timer on `gl`, or a no-op timer with source 'none' when `gl` is null, the extension
 * is missing, its TIME_ELAPSED counter has 0 bits, or queries cannot be created (lost context).
 */
export function createGpuTimer(gl: TimerQueryGL | null, options: { ringSize?: number; window?: number } = {}): GpuTimer {
  const ringSize = options.ringSize ?? DEFAULT_RING_SIZE
  const window = options.window ?? 600
  if (!(Number.isInteger(ringSize) && ringSize >= 2)) throw new RangeError(`ringSize must be an integer >= 2, got ${ringSize}`)
  if (!(Number.isInteger(window) && window >= 1)) throw new RangeError(`window must be a positive integer, got ${window}`)
  let ext: TimerQueryExtension | null = null
  let counterBits = 0
  try {
    ext = gl ? gl.getExtension('EXT_disjoint_timer_query_webgl2') : null
    if (gl && ext) {
      const bits = gl.getQuery(ext.TIME_ELAPSED_EXT, ext.QUERY_COUNTER_BITS_EXT)
      counterBits = typeof bits === 'number' ? bits : 0
    }
  } catch {
    ext = null
  }
  const queries: (object | null)[] = []
  if (gl && ext && counterBits > 0) {
    for (let i = 0; i < ringSize; i++) {
      const q = gl.createQuery()
      if (!q) break
      queries.push(q)
    }
    if (queries.length < ringSize) {
      for (const q of queries) gl.deleteQuery(q)
      queries.length = 0
    }
  }
  let active = queries.length === ringSize
  const source: GpuTimeSource = active ? 'timer-query' : 'none'
  // Ring: queries[(tail .. head-1) mod size] are in flight, oldest at tail.
  const tags = new Int32Array(ringSize)
  let head = 0
  let tail = 0
  let inFlight = 0
  let open = false
  const times = new Float64Array(window)
  const scratch = new Float64Array(window)
  const last = new Float64Array(1)
  last[0] = -1
  let timesHead = 0
  let timesCount = 0
  let results = 0
  let disjoint = 0
  let skipped = 0

  function discardAll(): void {
    tail = head
    inFlight = 0
  }

  const api: GpuTimer = {
    source,
    begin(tag = 0) {
      if (!active || open || !gl || !ext) return
      if (inFlight === ringSize) {
        skipped++
        return
      }
      const q = queries[head] as object
      tags[head] = tag
      gl.beginQuery(ext.TIME_ELAPSED_EXT, q)
      open = true
    },
    end() {
      if (!open || !gl || !ext) return
      gl.endQuery(ext.TIME_ELAPSED_EXT)
      open = false
      head = head + 1 === ringSize ? 0 : head + 1
      inFlight++
    },
    poll(onResult) {
      if (!active || !gl || !ext) return -1
      let newest = -1
      while (inFlight > 0) {
        const q = queries[tail] as object
        if (gl.getQueryParameter(q, gl.QUERY_RESULT_AVAILABLE) !== true) break
        const ns = gl.getQueryParameter(q, gl.QUERY_RESULT)
        const tag = tags[tail]
        tail = tail + 1 === ringSize ? 0 : tail + 1
        inFlight--
        // Read after availability: a disjoint event invalidates this result and those still in flight.
        if (gl.getParameter(ext.GPU_DISJOINT_EXT) === true) {
          disjoint += 1 + inFlight
          discardAll()
          break
        }
        if (typeof ns !== 'number' || !(ns >= 0)) continue
        const ms = ns / 1e6
        times[timesHead] = ms
        timesHead = timesHead + 1 === window ? 0 : timesHead + 1
        if (timesCount < window) timesCount++
        results++
        newest = ms
        if (onResult !== undefined) onResult(ms, tag)
      }
      if (newest >= 0) last[0] = newest
      return newest
    },
    get lastMs() {
      return last[0]
    },
    summary() {
      const n = api.copyTimes(scratch)
      const recentMs = Array.from(scratch.subarray(0, n), (ms) => Math.round(ms * 10) / 10)
      const sorted = scratch.subarray(0, n)
      sorted.sort()
      return {
        source,
        p50Ms: n > 0 ? nearestRank(sorted, n, 50) : null,
        p95Ms: n > 0 ? nearestRank(sorted, n, 95) : null,
        results,
        disjoint,
        skipped,
        counterBits,
        recentMs,
      }
    },
    copyTimes(out) {
      const n = timesCount < out.length ? timesCount : out.length
      let idx = timesHead - n
      if (idx < 0) idx += window
      for (let i = 0; i < n; i++) {
        out[i] = times[idx]
        idx++
        if (idx === window) idx = 0
      }
      return n
    },
    dispose() {
      if (gl && open && ext) gl.endQuery(ext.TIME_ELAPSED_EXT)
      open = false
      if (gl) for (const q of queries) gl.deleteQuery(q)
      queries.length = 0
      active = false
      discardAll()
    },
  }
  return api
}
