import { describe, expect, it } from 'vitest'
import { missedFrames, recoveryFrames } from './frame-stats.mjs'
import { PROBE_QUADS, calibrateGpu, compareGpuArms, gpuTargets, plotGpu, summariseGpuRun } from './gpu-workload.mjs'

describe('display misses and recovery', () => {
  it('counts a frame as missed when its interval is over 1.5 periods', () => {
    expect(missedFrames([0, 10, 15, 15.1, 40], 10)).toEqual([false, false, false, true, true])
  })

  it('finds the first run of clean frames after the step', () => {
    const m = (s: string) => [...s].map((c) => c === 'x')
    // Step at 2: misses at 2..4, clean from 5 on.
    expect(recoveryFrames(m('..xxx' + '.'.repeat(10)), 2)).toBe(3)
    // Clean at once.
    expect(recoveryFrames(m('.'.repeat(15)), 2)).toBe(0)
    // A miss inside the window restarts it; the record ends before 10 clean frames.
    expect(recoveryFrames(m('..x....x......'), 2)).toBeNull()
    expect(recoveryFrames(m('..xx..'), 2, 2)).toBe(2)
  })
})

describe('GPU-bound section', () => {
  it('calibrates the budget and the synthetic step from the measured intervals', () => {
    const c = calibrateGpu({ fullP50Ms: 280, lowestP50Ms: 180, probeP50Ms: 212, probeQuads: 32 })
    // Threshold 60 % of the way from 180 to 280 ms: 240 ms, so the budget is 160 ms.
    expect(c.thresholdMs).toBeCloseTo(240)
    expect(c.frameBudgetMs).toBe(160)
    expect(c.perQuadMs).toBeCloseTo(1)
    // Half the 60 ms room between lowest and threshold, at 1 ms a quad.
    expect(c.stepQuads).toBe(30)
    expect(c.headroomToGovern).toBe(true)
    // Levers that save nothing measurable: nothing to govern.
    expect(calibrateGpu({ fullP50Ms: 182, lowestP50Ms: 180, probeP50Ms: 212 }).headroomToGovern).toBe(false)
  })

  it('falls back to the probe size when the probe is lost in noise, and refuses no measurement', () => {
    expect(calibrateGpu({ fullP50Ms: 200, lowestP50Ms: 180, probeP50Ms: 170 }).stepQuads).toBe(PROBE_QUADS)
    expect(() => calibrateGpu({ fullP50Ms: 200, lowestP50Ms: 0, probeP50Ms: 170 })).toThrow(/no lowest-quality interval/)
  })

  it('summarises a run: misses before and after the step, quality, recovery', () => {
    const intervals = [100, 100, 100, 100, 200, 200, 100, ...Array(10).fill(100)]
    const s = summariseGpuRun({ intervals, quality: intervals.map((_, i) => (i < 4 ? 1 : 0.5)), costs: intervals.map(() => 3) }, 100, 4)
    expect(s.missed).toBe(2)
    expect(s.missedBeforeStep).toBe(0)
    expect(s.missedAfterStep).toBe(2)
    expect(s.recoveryFrames).toBe(2)
    expect(s.meanQuality).toBeCloseTo((4 + 13 * 0.5) / 17)
    expect(s.intervalP50Ms).toBe(100)
    expect(s.intervalP95Ms).toBe(200)
  })

  it('compares arms summed over rounds and writes both targets', () => {
    const run = (arm: string, round: number, missed: number, q: number, recovery: number | null) => ({
      experience: 'hub',
      arm,
      round,
      frames: 100,
      missed,
      meanQuality: q,
      recoveryFrames: recovery,
      intervalP50Ms: 200,
      intervalP95Ms: 300,
    })
    const runs = [run('A', 0, 40, 1, null), run('C', 0, 10, 0.6, 5), run('C', 1, 2, 0.5, 9), run('A', 1, 20, 1, 30)]
    const [row] = compareGpuArms(runs)
    expect(row.A?.missed).toBe(60)
    expect(row.C?.missed).toBe(12)
    expect(row.missRatio).toBeCloseTo(0.2)
    expect(row.A?.recoveryFrames).toBeNull()
    expect(row.C?.recoveryFrames).toBe(9)
    const targets = gpuTargets({ calibration: [{ experience: 'hub', frameBudgetMs: 225, lowestQuality: 0 }], runs })
    expect(targets.map((t) => t.met)).toEqual([true, true])
    // Kept no more quality than all-lowest: the second target fails.
    const none = gpuTargets({ calibration: [{ experience: 'hub', frameBudgetMs: 225, lowestQuality: 0.55 }], runs })
    expect(none[1].met).toBe(false)
    // No floor ran (C met its target): no floor figure.
    expect(targets.some((t) => t.name.includes('floor'))).toBe(false)
  })

  it('writes the floor beside a missed target: every lever at its lowest against A', () => {
    const run = (arm: string, missed: number) => ({ experience: 'hub', arm, round: 0, frames: 100, missed, meanQuality: arm === 'A' ? 1 : 0.4, recoveryFrames: null, intervalP50Ms: 60, intervalP95Ms: 200 })
    const cal = [{ experience: 'hub', frameBudgetMs: 46, lowestQuality: 0 }]
    const [row] = compareGpuArms([run('A', 60), run('C', 30), run('floor', 24)])
    expect(row.floor?.missed).toBe(24)
    const high = gpuTargets({ calibration: cal, runs: [run('A', 60), run('C', 30), run('floor', 24)] })
    expect(high.map((t) => [t.value, t.met])).toEqual([['0.500', false], ['0.400', true], ['0.400 vs 0.000', true]])
    // A floor under the target: the governor, not the rasteriser, is what missed it.
    const low = gpuTargets({ calibration: cal, runs: [run('A', 60), run('C', 30), run('floor', 6)] })
    expect(low[1]).toMatchObject({ value: '0.100', met: false })
    // Compared as rates: A ran two rounds, the floor one (42 of 100 against 120 of 200 is 0.7, not 0.35).
    const rounds = gpuTargets({ calibration: cal, runs: [run('A', 60), { ...run('A', 60), round: 1 }, run('C', 60), run('floor', 42)] })
    expect(rounds[1]).toMatchObject({ value: '0.700', met: true })
  })

  it('plots every run of an experience against its miss threshold, with the step', () => {
    const cal = { experience: 'hub', thresholdMs: 240, frameBudgetMs: 160, stepQuads: 30 }
    const r = (arm: string, round: number) => ({ experience: 'hub', arm, round, intervals: [200, 210, 300, 220], stepAt: 2 })
    const html = plotGpu({ calibration: [cal], runs: [r('A', 0), r('C', 0), r('C', 1)] })
    expect(html.match(/<polyline/g)).toHaveLength(3)
    expect(html).toContain('miss threshold 240 ms')
    expect(html).toContain('synthetic GPU step (30 quads)')
  })
})
