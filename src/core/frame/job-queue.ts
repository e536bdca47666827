/**
 * Deferred, time-sliced work: things that must happen but not necessarily this frame (texture
 * pre-uploads, shader warm-up, chunked parsing, cache pruning). Each frame the frame loop hands the
 * queue whatever time is left after simulation/animation and before the predicted render cost.
 *
 * Scheduling (one `run(sliceMs)`):
 * - Most urgent job first. Overdue jobs (past `deadlineMs`, or refused `maxDeferrals` times because
 *   their step never fitted) come first, earliest deadline first; then effective priority =
 *   priority + ms waited since the job last ran a step × `agingPerMs`, so a low-priority job under
 *   a flood of high-priority ones still rises to the top (aging, as in classic schedulers).
 * - A step starts only if the remaining slice ≥ the job's measured estimate: like React's scheduler
 *   yielding at 5 ms, we never start work we expect to overrun. The one exception: one step per run
 *   for the most urgent overdue job, so deadlines hold even when slices are tiny (bounded overrun).
 * - When the top job does not fit, smaller jobs that do fit run instead (backfill); the refused job
 *   counts a deferral, and after `maxDeferrals` it becomes overdue, so backfill cannot starve it.
 * - Each step is timed with the injected clock; the job's `estimateMs` is refined by an EWMA.
 *
 * `run` never allocates; `enqueue` allocates one entry and one handle (it is not a per-frame call).
 */
import type { Clock } from '../time/clock'

/** A unit of deferred work, performed in bounded steps. */
export interface Job {
  /** For diagnostics. */
  readonly name: string
  /** Higher runs first. */
  priority: number
  /** Clock time by which the job should have run; once past, it jumps ahead of every non-overdue job. */
  deadlineMs?: number
  /** Expected cost of one step, ms. The queue refines it in place from measurements (EWMA). */
  estimateMs: number
  /** Does one bounded slice of work; returns true when the whole job is finished. */
  step(): boolean
}

/** Returned by {@link JobQueue.enqueue}. */
export interface JobHandle {
  /** Removes the job if it has not finished; a no-op otherwise. */
  cancel(): void
  /** True once the job finished, was cancelled, or failed. */
  readonly done: boolean
  /** True if the job was cancelled before finishing. */
  readonly cancelled: boolean
}

/** Counters for diagnostics. */
export interface JobQueueStats {
  /** `run` calls. */
  ran: number
  /** Steps executed. */
  steps: number
  /** Steps that ended past the slice they were given. */
  overran: number
  /** Steps started despite not fitting, because the job was overdue. */
  forced: number
  /** Jobs waiting. */
  pending: number
  /** Jobs finished. */
  completed: number
  /** Jobs cancelled. */
  cancelled: number
  /** Jobs removed because `step` threw. */
  failed: number
  /** Message of the last step that threw, or null. */
  lastError: string | null
}

/** Options of {@link createJobQueue}. */
export interface JobQueueOptions {
  /** Priority gained per ms waited (default 0.001: one priority point per second). */
  agingPerMs?: number
  /** Refusals (top job did not fit) after which a job is treated as overdue (default 30 runs ≈ 0.4 s at 72 Hz). */
  maxDeferrals?: number
  /** Safety cap on steps per run, in case a clock does not advance (default 1000). */
  maxStepsPerRun?: number
  /** Weight of the newest measurement in a job's estimate (default 0.3). */
  estimateAlpha?: number
}

/** A time-sliced job queue; see {@link createJobQueue}. */
export interface JobQueue {
  /** Adds a job (allocates; not per frame). */
  enqueue(job: Job): JobHandle
  /** Runs job steps within `sliceMs`; returns the ms spent. No allocation. */
  run(sliceMs: number): number
  /** Jobs waiting. */
  readonly size: number
  /** Cancels every pending job. */
  clear(): void
  /** Counters snapshot (allocates). */
  stats(): JobQueueStats
}

interface Entry {
  job: Job
  seq: number
  /** When the job last ran a step (or was enqueued): the start of its current wait. */
  waitSinceMs: number
  deferrals: number
  /** `ran` counter value of the last run in which the job was refused, so one run counts once. */
  deferredInRun: number
  done: boolean
  cancelled: boolean
}

const NO_ENTRY = -1

/** Creates a job queue timed by `clock`. */
export function createJobQueue(clock: Clock, options: JobQueueOptions = {}): JobQueue {
  const agingPerMs = options.agingPerMs ?? 0.001
  const maxDeferrals = options.maxDeferrals ?? 30
  const maxStepsPerRun = options.maxStepsPerRun ?? 1000
  const alpha = options.estimateAlpha ?? 0.3
  if (!(agingPerMs >= 0)) throw new RangeError(`agingPerMs must be >= 0, got ${String(agingPerMs)}`)
  if (!(maxDeferrals >= 1)) throw new RangeError(`maxDeferrals must be >= 1, got ${String(maxDeferrals)}`)
  if (!(maxStepsPerRun >= 1)) throw new RangeError(`maxStepsPerRun must be >= 1, got ${String(maxStepsPerRun)}`)
  if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`estimateAlpha must be in (0, 1], got ${String(alpha)}`)

  const entries: Entry[] = []
  let seq = 0
  let ran = 0
  let steps = 0
  let overran = 0
  let forced = 0
  let completed = 0
  let cancelledCount = 0
  let failed = 0
  let lastError: string | null = null

  function isOverdue(e: Entry, now: number): boolean {
    const d = e.job.deadlineMs
    return (d !== undefined && now >= d) || e.deferrals >= maxDeferrals
  }

  // Overdue deadline for ordering; jobs overdue only by deferrals sort after real deadlines.
  function overdueKey(e: Entry): number {
    const d = e.job.deadlineMs
    return d === undefined ? Infinity : d
  }

  /** True if entry a is more urgent than entry b (both live). */
  function moreUrgent(a: Entry, b: Entry, now: number): boolean {
    const ao = isOverdue(a, now)
    const bo = isOverdue(b, now)
    if (ao !== bo) return ao
    if (ao) {
      const ak = overdueKey(a)
      const bk = overdueKey(b)
      if (ak !== bk) return ak < bk
    }
    const ap = a.job.priority + (now - a.waitSinceMs) * agingPerMs
    const bp = b.job.priority + (now - b.waitSinceMs) * agingPerMs
    if (ap !== bp) return ap > bp
    return a.seq < b.seq // FIFO among equals, for determinism
  }

  // Swap-remove: order does not matter because every pick scans all entries.
  function removeAt(i: number): void {
    const last = entries.length - 1
    entries[i] = entries[last]
    entries.pop()
  }

  /** Index of the most urgent entry, optionally only among those whose estimate fits `fitMs`. */
  function pick(now: number, fitMs: number): number {
    let best = NO_ENTRY
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]
      if (e.job.estimateMs > fitMs) continue
      if (best === NO_ENTRY || moreUrgent(e, entries[best], now)) best = i
    }
    return best
  }

  function enqueue(job: Job): JobHandle {
    if (typeof job.step !== 'function') throw new TypeError(`job ${String(job.name)} has no step()`)
    if (!Number.isFinite(job.priority)) throw new RangeError(`job ${job.name}: priority must be finite`)
    if (!(job.estimateMs >= 0) || !Number.isFinite(job.estimateMs)) {
      throw new RangeError(`job ${job.name}: estimateMs must be a finite number >= 0`)
    }
    const entry: Entry = {
      job,
      seq: seq++,
      waitSinceMs: clock.now(),
      deferrals: 0,
      deferredInRun: -1,
      done: false,
      cancelled: false,
    }
    entries.push(entry)
    return {
      cancel() {
        if (entry.done) return
        entry.done = true
        entry.cancelled = true
        cancelledCount++
        const i = entries.indexOf(entry)
        if (i >= 0) removeAt(i)
      },
      get done() {
        return entry.done
      },
      get cancelled() {
        return entry.cancelled
      },
    }
  }

  function run(sliceMs: number): number {
    ran++
    const start = clock.now()
    // One clock read per step: the end of one step is the start of the next (nothing runs between).
    let now = start
    let forcedThisRun = false
    for (let n = 0; n < maxStepsPerRun && entries.length > 0; n++) {
      const remaining = sliceMs - (now - start)
      let i = pick(now, Infinity)
      const top = entries[i]
      const fits = remaining > 0 && top.job.estimateMs <= remaining
      let isForced = false
      if (!fits) {
        if (!forcedThisRun && isOverdue(top, now)) {
          isForced = true // one bounded overrun per run keeps deadlines from slipping forever
        } else {
          if (top.deferredInRun !== ran) {
            top.deferredInRun = ran
            top.deferrals++
          }
          if (remaining <= 0) break
          i = pick(now, remaining) // backfill with work that fits
          if (i === NO_ENTRY) break
        }
      }
      const e = entries[i]
      const job = e.job
      let finished = false
      let threw = false
      try {
        finished = job.step()
      } catch (err) {
        threw = true
        lastError = job.name + ': ' + (err instanceof Error ? err.message : String(err))
      }
      const end = clock.now()
      steps++
      if (isForced) {
        forced++
        forcedThisRun = true
      }
      if (end - start > sliceMs) overran++
      job.estimateMs += alpha * (end - now - job.estimateMs)
      now = end
      e.waitSinceMs = end
      e.deferrals = 0
      if ((finished || threw) && !e.cancelled) {
        e.done = true
        if (threw) failed++
        else completed++
        // The step may have enqueued or cancelled jobs, so find the entry again rather than trust i.
        const at = entries.indexOf(e)
        if (at >= 0) removeAt(at)
      }
    }
    return now - start
  }

  return {
    enqueue,
    run,
    get size() {
      return entries.length
    },
    clear() {
      for (let i = 0; i < entries.length; i++) {
        entries[i].done = true
        entries[i].cancelled = true
        cancelledCount++
      }
      entries.length = 0
    },
    stats() {
      return {
        ran,
        steps,
        overran,
        forced,
        pending: entries.length,
        completed,
        cancelled: cancelledCount,
        failed,
        lastError,
      }
    },
  }
}

/** Amortised round-robin updater; see {@link createRoundRobin}. */
export interface RoundRobin {
  /**
   * Updates up to `maxItems` items (never the same item twice in one call), continuing where the
   * previous call stopped. With `sliceMs` and `clock`, stops before an item once `sliceMs` has
   * elapsed (so `sliceMs <= 0` updates nothing). Returns how many items were updated. No allocation.
   */
  run(maxItems: number, sliceMs?: number, clock?: Clock): number
  /** Index of the next item to update. */
  readonly cursor: number
  /** Starts again from the first item. */
  reset(): void
}

/**
 * Round-robin amortisation: N things (distant NPCs, probes, secondary cameras) each updated every
 * few frames within a per-frame allowance. `items` is read live, so the caller may add or remove
 * items; the cursor wraps when the list shrinks.
 */
export function createRoundRobin<T>(items: T[], update: (item: T) => void): RoundRobin {
  let cursor = 0
  return {
    run(maxItems, sliceMs = Infinity, clock) {
      const len = items.length
      if (len === 0) return 0
      if (sliceMs !== Infinity && clock === undefined) {
        throw new TypeError('round robin: a time slice needs a clock')
      }
      const limit = maxItems < len ? maxItems : len
      const start = clock === undefined ? 0 : clock.now()
      let done = 0
      while (done < limit) {
        if (clock !== undefined && clock.now() - start >= sliceMs) break
        if (cursor >= len) cursor = 0
        const item = items[cursor]
        // Advance first, so an item that throws does not block the ones after it.
        cursor++
        done++
        update(item)
      }
      if (cursor >= len) cursor = 0
      return done
    },
    get cursor() {
      return cursor
    },
    reset() {
      cursor = 0
    },
  }
}
