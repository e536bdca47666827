import { describe, expect, it } from 'vitest'
import { createFrameMetrics } from './metrics'
import { PHASE_COUNT } from './phases'

const phases = new Float64Array(PHASE_COUNT)

describe('frame metrics', () => {
  it('computes nearest-rank percentiles, mean and jitter exactly', () => {
    const m = createFrameMetrics(100)
    // Shuffled insertion order: the percentile must not depend on it.
    const order = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1)
    for (const c of order) m.record(c, phases, 10, 200, 10, 1)
    const s = m.summary()
    expect(s.frames).toBe(100)
    expect(s.p50Ms).toBe(50)
    expect(s.p95Ms).toBe(95)
    expect(s.p99Ms).toBe(99)
    expect(s.meanMs).toBe(50.5)
    expect(s.jitterMs).toBeCloseTo(Math.sqrt((100 * 100 - 1) / 12), 10) // std dev of 1..100
  })

  it('uses nearest rank on small windows', () => {
    const m = createFrameMetrics(10)
    for (const c of [5, 1, 3]) m.record(c, phases, 0, 100, 10, 1)
    const s = m.summary()
    expect(s.p50Ms).toBe(3) // rank ceil(1.5) = 2
    expect(s.p95Ms).toBe(5)
    expect(createFrameMetrics(4).summary().p99Ms).toBe(0) // empty window
  })

  it('wraps around, keeping only the window but counting totals', () => {
    const m = createFrameMetrics(4)
    for (let i = 1; i <= 10; i++) m.record(i, phases, 0, 5, 10, i / 10)
    expect(m.count).toBe(4)
    const out = new Float64Array(8)
    expect(m.copyFrameCosts(out)).toBe(4)
    expect(Array.from(out.subarray(0, 4))).toEqual([7, 8, 9, 10])
    const small = new Float64Array(2)
    expect(m.copyFrameCosts(small)).toBe(2)
    expect(Array.from(small)).toEqual([9, 10]) // newest, oldest first
    expect(m.copyQualityHistory(out)).toBe(4)
    expect(Array.from(out.subarray(0, 4))).toEqual([0.7, 0.8, 0.9, 1])
    const s = m.summary()
    expect(s.frames).toBe(10)
    expect(s.overBudget).toBe(5) // 6..10 > 5
    expect(s.p50Ms).toBe(8)
    expect(s.quality).toBe(1)
  })

  it('counts miss runs', () => {
    const m = createFrameMetrics(50)
    const costs = [5, 12, 12, 5, 12, 12, 12, 5, 12, 12]
    for (const c of costs) m.record(c, phases, 0, 10, 10, 1)
    const s = m.summary()
    expect(s.overBudget).toBe(7)
    expect(s.longestMissRun).toBe(3)
    expect(s.currentMissRun).toBe(2)
    m.record(5, phases, 0, 10, 10, 1)
    expect(m.summary().currentMissRun).toBe(0)
    expect(m.summary().longestMissRun).toBe(3)
  })

  it('counts stale frames from gaps over 1.5 refresh periods', () => {
    const m = createFrameMetrics(50)
    const period = 1000 / 72
    for (const gap of [0, period, period * 1.49, period * 1.51, period * 2, period * 3]) {
      m.record(5, phases, gap, period, period, 1)
    }
    expect(m.summary().staleFrames).toBe(3)
  })

  it('keeps per-phase percentiles and copies', () => {
    const m = createFrameMetrics(20)
    const p = new Float64Array(PHASE_COUNT)
    for (let i = 1; i <= 20; i++) {
      p[0] = i
      p[4] = 2 * i
      m.record(3 * i, p, 0, 100, 10, 1)
    }
    const s = m.summary()
    expect(s.phaseP50Ms.input).toBe(10)
    expect(s.phaseP95Ms.input).toBe(19)
    expect(s.phaseP50Ms.render).toBe(20)
    expect(s.phaseP95Ms.post).toBe(0)
    const out = new Float64Array(3)
    expect(m.copyPhaseCosts(4, out)).toBe(3)
    expect(Array.from(out)).toEqual([36, 38, 40])
    expect(() => m.copyPhaseCosts(6, out)).toThrow(RangeError)
  })

  it('resets', () => {
    const m = createFrameMetrics(8)
    for (let i = 0; i < 5; i++) m.record(20, phases, 100, 10, 10, 0.5)
    m.reset()
    const s = m.summary()
    expect([s.frames, s.overBudget, s.staleFrames, s.longestMissRun, s.p50Ms, s.quality]).toEqual([0, 0, 0, 0, 0, 1])
    expect(m.copyFrameCosts(new Float64Array(4))).toBe(0)
  })

  it('rejects a bad capacity', () => {
    expect(() => createFrameMetrics(0)).toThrow(RangeError)
    expect(() => createFrameMetrics(2.5)).toThrow(RangeError)
  })
})

describe('last frame cost', () => {
  it('reads the newest frame across the ring wrap', () => {
    const m = createFrameMetrics(3)
    expect(m.lastFrameCostMs).toBe(0)
    for (const c of [1, 2, 3, 4]) {
      m.record(c, phases, 10, 20, 10, 1)
      expect(m.lastFrameCostMs).toBe(c)
    }
  })
})
