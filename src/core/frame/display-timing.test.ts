import { describe, expect, it } from 'vitest'
import { createDisplayTiming, MAX_INTERVAL_MS } from './display-timing'
import { createFrameSignals } from './governor'

const PERIOD = 1000 / 72 // 13.89 ms; missed above 20.83 ms

describe('display timing (missed display frames)', () => {
  it('counts a frame as missed when its interval is over 1.5 refresh periods', () => {
    const d = createDisplayTiming()
    const signals = createFrameSignals()
    let t = 1000
    d.update(t, NaN, PERIOD, signals) // first frame: no interval
    expect(signals.intervalMs).toBe(0)
    for (let i = 0; i < 10; i++) d.update((t += PERIOD), NaN, PERIOD, signals)
    expect(d.missed).toBe(0)
    d.update((t += 2 * PERIOD), NaN, PERIOD, signals) // one display slot skipped
    expect(signals.missed).toBe(true)
    expect(signals.intervalMs).toBeCloseTo(2 * PERIOD, 6)
    d.update((t += 1.5 * PERIOD), NaN, PERIOD, signals) // exactly 1.5 periods: not over
    expect(signals.missed).toBe(false)
    expect(d.missed).toBe(1)
    const s = d.summary()
    expect(s.intervals).toBe(12)
    expect(s.missedPct).toBeCloseTo((1 / 12) * 100, 6)
    expect(s.intervalP50Ms).toBeCloseTo(PERIOD, 6)
    expect(s.intervalP95Ms).toBeCloseTo(2 * PERIOD, 6)
    expect(s.source).toBe('callback-time')
  })

  it('lists the window\'s intervals oldest first, so a reader can take the frames since its mark', () => {
    const d = createDisplayTiming(4)
    let t = 0
    d.update(t, NaN, PERIOD)
    for (const gap of [10, 20, 30.04, 40, 50]) d.update((t += gap), NaN, PERIOD)
    const s = d.summary()
    // Capacity 4: the oldest interval (10) has left the window; the values keep their order.
    expect(s.recentMs).toEqual([20, 30, 40, 50])
    expect(s.intervals).toBe(5)
    // A mark taken at 3 intervals: the 2 since are the newest 2.
    expect(s.recentMs.slice(-(s.intervals - 3))).toEqual([40, 50])
    expect(s.intervalP50Ms).toBeCloseTo(30.04, 6)
  })

  it('prefers deltas of the predicted display time when both frames have it', () => {
    const d = createDisplayTiming()
    const signals = createFrameSignals()
    // Callbacks jitter (the rAF time), the predicted display time steps by whole periods.
    d.update(100, 500, PERIOD, signals)
    d.update(100 + 30, 500 + PERIOD, PERIOD, signals) // callback gap 30 ms would be a miss
    expect(signals.intervalMs).toBeCloseTo(PERIOD, 6)
    expect(signals.missed).toBe(false)
    d.update(100 + 36, 500 + 3 * PERIOD, PERIOD, signals) // two slots skipped, though the callback gap is 6 ms
    expect(signals.missed).toBe(true)
    expect(d.summary().source).toBe('predicted-display-time')
    // A frame without a predicted time falls back to the callback time for that interval.
    d.update(150, NaN, PERIOD, signals)
    expect(signals.intervalMs).toBeCloseTo(14, 6)
    expect(d.summary().source).toBe('callback-time')
  })

  it('judges against the period it is given (the ?frameBudgetMs override)', () => {
    const d = createDisplayTiming()
    let t = 0
    d.update(t, NaN, 400)
    for (let i = 0; i < 5; i++) d.update((t += 550), NaN, 400) // 550 < 600: not missed at a 400 ms budget
    expect(d.missed).toBe(0)
    d.update((t += 650), NaN, 400)
    expect(d.missed).toBe(1)
  })

  it('treats pauses and restarts as no interval, not as missed frames', () => {
    const d = createDisplayTiming()
    const signals = createFrameSignals()
    d.update(0, NaN, PERIOD, signals)
    d.update(MAX_INTERVAL_MS + 100, NaN, PERIOD, signals) // hidden tab
    expect(signals.intervalMs).toBe(0)
    expect(d.missed).toBe(0)
    d.restart() // e.g. a session starts: another clock
    d.update(10, NaN, PERIOD, signals)
    expect(signals.intervalMs).toBe(0)
    expect(d.intervals).toBe(0)
    d.update(10 + PERIOD, NaN, PERIOD, signals)
    expect(d.intervals).toBe(1)
    expect(d.summary().intervalP50Ms).toBeCloseTo(PERIOD, 6)
    d.reset()
    expect(d.summary()).toMatchObject({ intervalP50Ms: null, intervalP95Ms: null, missed: 0, missedPct: 0, intervals: 0 })
  })

  it('keeps a window of the newest intervals for the percentiles', () => {
    const d = createDisplayTiming(4)
    let t = 0
    d.update(t, NaN, PERIOD)
    for (const gap of [100, 100, 100, 10, 10, 10, 10]) d.update((t += gap), NaN, PERIOD)
    const out = new Float64Array(8)
    expect(d.copyIntervals(out)).toBe(4)
    expect(Array.from(out.subarray(0, 4))).toEqual([10, 10, 10, 10])
    expect(d.summary().intervalP95Ms).toBe(10)
    expect(d.missed).toBe(3) // totals cover every frame, not only the window
    expect(() => createDisplayTiming(0)).toThrow(RangeError)
  })
})
