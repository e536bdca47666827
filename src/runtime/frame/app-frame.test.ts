import { describe, expect, it } from 'vitest'
import type { QualityScaler, TimerQueryGL } from '../../core/frame'
import { createManualClock } from '../../core/time/clock'
import { createAppFrame } from './app-frame'

function lever(id: string, maxLevel: number, costPerLevelMs: number, visualImpact: number) {
  const applied: number[] = []
  const scaler: QualityScaler = { id, label: { zh: id, en: id }, maxLevel, costPerLevelMs, visualImpact, apply: (l) => applied.push(l) }
  return { scaler, applied }
}

/** A WebGL2 stand-in with timer queries whose result (`gpuMs`) is ready one frame after it ended. */
function timerGL(gpuMs: () => number): TimerQueryGL & { tick(): void } {
  const ext = { TIME_ELAPSED_EXT: 1, GPU_DISJOINT_EXT: 2, QUERY_COUNTER_BITS_EXT: 3 }
  let frame = 0
  type Q = { ready: number; ns: number }
  let open: Q | null = null
  return {
    QUERY_RESULT: 10,
    QUERY_RESULT_AVAILABLE: 11,
    getExtension: () => ext,
    createQuery: () => ({ ready: Infinity, ns: 0 }),
    deleteQuery: () => undefined,
    beginQuery: (_t, q) => (open = q as Q),
    endQuery: () => {
      if (open) Object.assign(open, { ready: frame + 1, ns: gpuMs() * 1e6 })
      open = null
    },
    getQueryParameter: (q, pname) => (pname === 11 ? frame >= (q as Q).ready : (q as Q).ns),
    getQuery: () => 64,
    getParameter: () => false,
    tick: () => frame++,
  }
}

describe('app frame', () => {
  it('keeps one governor: a lever mounting or unmounting mid-run resets nothing else', () => {
    const clock = createManualClock()
    const frame = createAppFrame({ governor: true, clock })
    const a = lever('a', 3, 3, 0.3)
    const removeA = frame.addScaler(a.scaler)
    const governor = frame.governor
    frame.loop.setRenderer(() => clock.advance(20)) // 20 ms of render against 13.9: over budget
    let t = 0
    for (let f = 0; f < 3; f++) frame.runFrame((t += 14), undefined, t, NaN)
    expect(frame.levers[0].level).toBeLessThan(3)
    const levelA = frame.levers[0].level
    const smoothed = governor.smoothedCostMs
    // A danmaku feed connects: its lever mounts. Same governor, a keeps its level and history.
    const b = lever('b', 2, 1, 0.6)
    const removeB = frame.addScaler(b.scaler)
    expect(frame.governor).toBe(governor)
    expect(frame.levers.map((l) => [l.scaler.id, l.level])).toEqual([
      ['a', levelA],
      ['b', 2],
    ])
    expect(governor.smoothedCostMs).toBe(smoothed)
    expect(a.applied.at(-1)).toBe(levelA) // never reset to full quality
    // One definition of quality for every controller.
    expect(frame.quality()).toBe(governor.quality)
    frame.setLeverLevel(frame.levers[1], 1)
    expect(b.applied).toEqual([1])
    expect(frame.quality()).toBe(governor.quality)
    // Unmounting b restores its own full quality and nothing else.
    removeB()
    expect(b.applied).toEqual([1, 2])
    expect(frame.levers.map((l) => l.scaler.id)).toEqual(['a'])
    expect(frame.levers[0].level).toBe(levelA)
    removeB() // twice: harmless
    removeA()
    expect(frame.levers).toEqual([])
    expect(frame.quality()).toBe(1)
  })

  it('?governor=lowest holds every lever at its lowest level, including levers that mount later', () => {
    const clock = createManualClock()
    const frame = createAppFrame({ governor: false, lowest: true, clock })
    const a = lever('a', 3, 3, 0.3)
    frame.addScaler(a.scaler)
    expect(a.applied).toEqual([0])
    frame.loop.setRenderer(() => clock.advance(2)) // far inside the budget: a governor would raise quality
    let t = 0
    for (let f = 0; f < 200; f++) frame.runFrame((t += 14), undefined, t, NaN)
    const b = lever('b', 2, 1, 0.6)
    frame.addScaler(b.scaler)
    for (let f = 0; f < 200; f++) frame.runFrame((t += 14), undefined, t, NaN)
    expect(frame.levers.map((l) => [l.scaler.id, l.level])).toEqual([
      ['a', 0],
      ['b', 0],
    ])
    expect(a.applied).toEqual([0])
    expect(b.applied).toEqual([0])
    expect(frame.governorEnabled).toBe(false)
  })

  it('feeds the governor missed display frames and GPU time, and reports them', () => {
    const clock = createManualClock()
    const frame = createAppFrame({ governor: false, clock, frameBudgetMs: 400 })
    expect(frame.budget.budgetMs).toBe(400)
    const gl = timerGL(() => 500)
    frame.attachGpu(gl)
    expect(frame.gpu.source).toBe('timer-query')
    frame.loop.setRenderer(() => clock.advance(2))
    let t = 0
    for (let f = 0; f < 10; f++) {
      // Intervals alternate 550 / 650 ms: against a 400 ms budget, only 650 (> 600) misses.
      t += f % 2 === 0 ? 550 : 650
      frame.runFrame(t, undefined, t, NaN)
      gl.tick()
    }
    const d = frame.display.summary()
    expect(d.intervals).toBe(9)
    expect(d.missed).toBe(5) // frames 1, 3, 5, 7, 9
    expect(d.intervalP95Ms).toBe(650)
    const g = frame.gpu.summary()
    expect(g.source).toBe('timer-query')
    expect(g.p50Ms).toBe(500)
    const e = frame.governor.explain()
    expect(e.displayMisses).toBe(5)
    expect(e.smoothedGpuMs).toBe(500)
    expect(e.smoothedCostMs).toBeGreaterThan(300) // GPU time is the cost (EWMA rising to 500), not the 2 ms of CPU
  })

  it('appends a timing row for each recorded frame, with GPU results placed on the frame they measured', () => {
    const clock = createManualClock()
    const frame = createAppFrame({ governor: true, clock })
    const gl = timerGL(() => 3)
    frame.attachGpu(gl)
    frame.addScaler(lever('fov', 3, 0.6, 0.15).scaler)
    // The recorder marks frames from the input phase, as xr-sessions-service does.
    let recorded = 0
    let recording = false
    frame.loop.register({ name: 'recorder', phase: 'input', update: () => recording && frame.markRecordedFrame(recorded++) })
    frame.loop.setRenderer(() => clock.advance(4))
    let t = 0
    frame.runFrame((t += 14), undefined, t, NaN) // not recording yet
    frame.trace.start({ refreshHz: 72, budgetMs: frame.budget.budgetMs, gpuSource: frame.gpu.source })
    recording = true
    for (let f = 0; f < 5; f++) {
      frame.runFrame((t += 14), undefined, t, NaN)
      gl.tick()
    }
    const timing = frame.trace.stop()
    expect(timing?.gpuSource).toBe('timer-query')
    expect(timing?.rows.map((r) => r[0])).toEqual([0, 1, 2, 3, 4])
    expect(timing?.rows.map((r) => r[1])).toEqual([4, 4, 4, 4, 4]) // the frame's CPU cost
    expect(timing?.rows.map((r) => r[2])).toEqual([14, 14, 14, 14, 14])
    // Frame k's GPU result is read in frame k+1: every row but the last has it.
    expect(timing?.rows.map((r) => r[4])).toEqual([3, 3, 3, 3, -1])
    expect(timing?.columns.at(-1)).toBe('lever:fov')
    expect(timing?.rows.every((r) => r.at(-1) === 3)).toBe(true)
  })
})
