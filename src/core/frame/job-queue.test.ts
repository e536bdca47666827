import { describe, expect, it } from 'vitest'
import { createManualClock, type ManualClock } from '../time/clock'
import { createJobQueue, createRoundRobin, type Job } from './job-queue'

/** A job whose every step advances the clock by `costMs`, finishing after `steps` steps. */
function makeJob(clock: ManualClock, name: string, opts: { steps: number; costMs: number; priority?: number; estimateMs?: number; deadlineMs?: number; log?: string[] }): Job & { done: number } {
  const job = {
    name,
    priority: opts.priority ?? 0,
    estimateMs: opts.estimateMs ?? opts.costMs,
    deadlineMs: opts.deadlineMs,
    done: 0,
    step() {
      clock.advance(opts.costMs)
      opts.log?.push(name)
      job.done++
      return job.done >= opts.steps
    },
  }
  return job
}

describe('job queue', () => {
  it('respects the slice and resumes next frame', () => {
    const clock = createManualClock()
    const q = createJobQueue(clock)
    const job = makeJob(clock, 'parse', { steps: 10, costMs: 1 })
    const handle = q.enqueue(job)
    expect(q.run(3.5)).toBe(3) // a fourth 1 ms step would end at 4 > 3.5
    expect(job.done).toBe(3)
    expect(q.run(3.5)).toBe(3)
    expect(job.done).toBe(6)
    q.run(100)
    expect(job.done).toBe(10)
    expect(handle.done).toBe(true)
    expect(q.size).toBe(0)
    const st = q.stats()
    expect(st).toMatchObject({ ran: 3, steps: 10, overran: 0, pending: 0, completed: 1 })
  })

  it('does not start a step that is expected to overrun', () => {
    const clock = createManualClock()
    const q = createJobQueue(clock)
    const job = makeJob(clock, 'big', { steps: 5, costMs: 4 })
    q.enqueue(job)
    expect(q.run(3)).toBe(0)
    expect(q.run(0)).toBe(0)
    expect(job.done).toBe(0)
    expect(q.run(4)).toBe(4)
    expect(job.done).toBe(1)
  })

  it('runs higher priority first, FIFO among equals', () => {
    const clock = createManualClock()
    const log: string[] = []
    const q = createJobQueue(clock, { agingPerMs: 0 })
    q.enqueue(makeJob(clock, 'low', { steps: 1, costMs: 1, priority: 0, log }))
    q.enqueue(makeJob(clock, 'high', { steps: 1, costMs: 1, priority: 5, log }))
    q.enqueue(makeJob(clock, 'mid-a', { steps: 1, costMs: 1, priority: 2, log }))
    q.enqueue(makeJob(clock, 'mid-b', { steps: 1, costMs: 1, priority: 2, log }))
    q.run(10)
    expect(log).toEqual(['high', 'mid-a', 'mid-b', 'low'])
  })

  it('aging prevents starvation of a low-priority job under a flood of high-priority ones', () => {
    const clock = createManualClock()
    const q = createJobQueue(clock, { agingPerMs: 0.01 }) // +1 priority per 100 ms waited
    const low = makeJob(clock, 'low', { steps: 1, costMs: 1, priority: 0 })
    q.enqueue(low)
    let frame = 0
    for (; frame < 200 && low.done === 0; frame++) {
      // Every frame brings fresh high-priority work that would fill the whole slice.
      for (let k = 0; k < 4; k++) q.enqueue(makeJob(clock, 'flood', { steps: 1, costMs: 1, priority: 3 }))
      q.run(3)
      clock.advance(10)
    }
    expect(low.done).toBe(1)
    expect(frame).toBeLessThan(40) // waited ~300 ms for +3 priority, then ran
  })

  it('a past-deadline job jumps ahead and gets at least one step even when it does not fit', () => {
    const clock = createManualClock()
    const log: string[] = []
    const q = createJobQueue(clock, { agingPerMs: 0 })
    q.enqueue(makeJob(clock, 'urgent', { steps: 2, costMs: 5, priority: 0, deadlineMs: 20, log }))
    for (let i = 0; i < 3; i++) q.enqueue(makeJob(clock, 'hi', { steps: 100, costMs: 1, priority: 9, log }))
    q.run(2)
    expect(log).toEqual(['hi', 'hi'])
    clock.set(25)
    log.length = 0
    q.run(2) // urgent is overdue: one forced step (overrun), then no more forced steps this run
    expect(log[0]).toBe('urgent')
    expect(log.filter((n) => n === 'urgent')).toHaveLength(1)
    expect(q.stats().forced).toBe(1)
    expect(q.stats().overran).toBeGreaterThanOrEqual(1)
  })

  it('a job whose step never fits is forced after maxDeferrals runs, while smaller jobs backfill', () => {
    const clock = createManualClock()
    const log: string[] = []
    const q = createJobQueue(clock, { agingPerMs: 0, maxDeferrals: 5 })
    const big = makeJob(clock, 'big', { steps: 1, costMs: 8, priority: 5, log })
    q.enqueue(big)
    q.enqueue(makeJob(clock, 'small', { steps: 1000, costMs: 1, priority: 0, log }))
    for (let i = 0; i < 4; i++) q.run(3)
    expect(big.done).toBe(0)
    expect(log.filter((n) => n === 'small')).toHaveLength(12)
    q.run(3) // fifth refusal: the job becomes overdue and gets its one forced step in this run
    expect(big.done).toBe(1)
    expect(q.stats().forced).toBe(1)
  })

  it('adapts the estimate to measured step cost', () => {
    const clock = createManualClock()
    const q = createJobQueue(clock)
    const job = makeJob(clock, 'underestimated', { steps: 1000, costMs: 2, estimateMs: 0.5 })
    q.enqueue(job)
    for (let i = 0; i < 10; i++) q.run(5)
    expect(job.estimateMs).toBeGreaterThan(1.9)
    expect(job.estimateMs).toBeLessThanOrEqual(2)
    const before = q.stats().overran
    q.run(5) // 2 steps fit (4 ms); a third would overrun and is not started
    expect(q.stats().overran).toBe(before)
  })

  it('cancel removes a pending job and is idempotent', () => {
    const clock = createManualClock()
    const q = createJobQueue(clock)
    const a = makeJob(clock, 'a', { steps: 3, costMs: 1 })
    const b = makeJob(clock, 'b', { steps: 3, costMs: 1 })
    const ha = q.enqueue(a)
    q.enqueue(b)
    ha.cancel()
    ha.cancel()
    expect(ha.done && ha.cancelled).toBe(true)
    expect(q.size).toBe(1)
    q.run(100)
    expect(a.done).toBe(0)
    expect(b.done).toBe(3)
    expect(q.stats().cancelled).toBe(1)
  })

  it('isolates a throwing job and lets a step cancel another job', () => {
    const clock = createManualClock()
    const q = createJobQueue(clock, { agingPerMs: 0 })
    const victim = makeJob(clock, 'victim', { steps: 5, costMs: 1, priority: 0 })
    const hv = q.enqueue(victim)
    q.enqueue({
      name: 'bad',
      priority: 9,
      estimateMs: 0,
      step() {
        hv.cancel()
        throw new Error('boom')
      },
    })
    const ok = makeJob(clock, 'ok', { steps: 1, costMs: 1, priority: 1 })
    q.enqueue(ok)
    q.run(10)
    expect(ok.done).toBe(1)
    expect(victim.done).toBe(0)
    expect(q.stats()).toMatchObject({ failed: 1, lastError: 'bad: boom', pending: 0 })
  })

  it('validates jobs and bounds steps when the clock stands still', () => {
    const clock = createManualClock()
    const q = createJobQueue(clock, { maxStepsPerRun: 50 })
    expect(() => q.enqueue({ name: 'x', priority: NaN, estimateMs: 1, step: () => true })).toThrow(RangeError)
    let n = 0
    q.enqueue({ name: 'free', priority: 0, estimateMs: 0, step: () => (n++, false) })
    q.run(1)
    expect(n).toBe(50)
    q.clear()
    expect(q.size).toBe(0)
  })
})

describe('round robin', () => {
  it('covers all items fairly across frames, continuing where it stopped', () => {
    const items = [0, 1, 2, 3, 4, 5, 6]
    const counts = new Array(items.length).fill(0)
    const order: number[] = []
    const rr = createRoundRobin(items, (i) => {
      counts[i]++
      order.push(i)
    })
    expect(rr.run(3)).toBe(3)
    expect(rr.run(3)).toBe(3)
    expect(order).toEqual([0, 1, 2, 3, 4, 5])
    for (let f = 0; f < 68; f++) rr.run(3)
    // 70 frames × 3 = 210 updates over 7 items: exactly 30 each.
    expect(counts).toEqual(new Array(7).fill(30))
    expect(rr.run(100)).toBe(7) // never an item twice per call
  })

  it('stops when the time slice is used and needs a clock for it', () => {
    const clock = createManualClock()
    const items = ['a', 'b', 'c', 'd']
    const seen: string[] = []
    const rr = createRoundRobin(items, (s) => {
      seen.push(s)
      clock.advance(2)
    })
    expect(rr.run(10, 3, clock)).toBe(2) // 0 ms → a, 2 ms → b, 4 ms ≥ 3 stop
    expect(rr.run(10, 0, clock)).toBe(0)
    expect(rr.run(10, 4, clock)).toBe(2)
    expect(seen).toEqual(['a', 'b', 'c', 'd'])
    expect(rr.cursor).toBe(0)
    expect(() => rr.run(1, 5)).toThrow(TypeError)
  })

  it('follows a list that shrinks and survives a throwing item', () => {
    const items = [1, 2, 3, 4]
    const seen: number[] = []
    const rr = createRoundRobin(items, (x) => {
      if (x === 2) throw new Error('bad item')
      seen.push(x)
    })
    rr.run(1)
    expect(() => rr.run(1)).toThrow('bad item')
    items.length = 2 // cursor (2) is now past the end
    rr.run(1)
    expect(seen).toEqual([1, 1])
    expect(createRoundRobin([], () => {}).run(5)).toBe(0)
  })
})
