import { describe, expect, it } from 'vitest'
import { createRng } from '../time/rng'
import { createFrameSignals, createQualityGovernor, type QualityGovernorOptions, type QualityScaler } from './governor'

const BUDGET = 1000 / 72 // 13.89 ms; raise line 0.8 × = 11.11 ms

interface TestScaler extends QualityScaler {
  /** What a level really costs in the simulated scene (may differ from the declared estimate). */
  actualMs: number
  applied: number[]
}

function scaler(id: string, maxLevel: number, costPerLevelMs: number, visualImpact: number, actualMs = costPerLevelMs): TestScaler {
  const s: TestScaler = {
    id,
    label: { zh: id + '（中）', en: id },
    maxLevel,
    costPerLevelMs,
    visualImpact,
    actualMs,
    applied: [],
    apply(level) {
      s.applied.push(level)
    },
  }
  return s
}

/** Four levers worth 9.5 ms at full quality. Drop order (ms saved per visual impact): lod, shadows, foveation, post. */
function standardScalers(): TestScaler[] {
  return [
    scaler('post', 1, 1.0, 0.9),
    scaler('foveation', 3, 0.5, 0.3),
    scaler('lod', 2, 2.0, 0.5),
    scaler('shadows', 2, 1.5, 0.6),
  ]
}

/** A scene whose frame cost is base + Σ level × actual cost per level. */
function simulate(scalers: TestScaler[], options: Partial<QualityGovernorOptions> = {}) {
  const governor = createQualityGovernor({ scalers, ...options })
  const cost = (base: number) => {
    let c = base
    scalers.forEach((s, i) => (c += governor.levels[i] * s.actualMs))
    return c
  }
  /** Runs frames at `base` load; returns the cost of each frame. */
  const run = (frames: number, base: number | ((f: number) => number)) => {
    const costs: number[] = []
    for (let f = 0; f < frames; f++) {
      const c = cost(typeof base === 'number' ? base : base(f))
      costs.push(c)
      governor.update(c, BUDGET)
    }
    return costs
  }
  return { governor, cost, run }
}

describe('quality governor', () => {
  it('holds full quality within budget', () => {
    const scalers = standardScalers()
    const { governor, run } = simulate(scalers)
    run(300, 3) // 12.5 ms: within budget, not under the raise line
    expect(governor.quality).toBe(1)
    expect(scalers.every((s) => s.applied.length === 0)).toBe(true)
  })

  it('drops within two over-budget frames of a load step, cheapest visual cost first', () => {
    const scalers = standardScalers()
    const { governor, run } = simulate(scalers)
    run(100, 3)
    run(1, 6) // 15.5 ms: first miss
    expect(governor.quality).toBe(1)
    run(1, 6) // second miss: panic
    expect(governor.quality).toBeLessThan(1)
    expect(scalers[2].applied).toEqual([1]) // lod: most ms per unit of visual impact
    expect(governor.explain().state).toBe('panic')
  })

  it('recovers to under budget within 8 frames after a large step, and stays there', () => {
    const scalers = standardScalers()
    const { run } = simulate(scalers)
    run(100, 3)
    const costs = run(300, 9) // 18.5 ms > 1.3 × budget: two steps at once, then one more after cooldown
    const firstUnder = costs.findIndex((c) => c <= BUDGET)
    expect(firstUnder).toBeGreaterThanOrEqual(0)
    expect(firstUnder + 1).toBeLessThanOrEqual(8)
    expect(costs.slice(firstUnder).every((c) => c <= BUDGET)).toBe(true)
    expect(scalers[2].applied).toEqual([1, 0])
  })

  it('waits cooldownFrames between drops', () => {
    const scalers = standardScalers()
    const { governor, run } = simulate(scalers, { cooldownFrames: 4 })
    run(1, 30) // hopeless overload
    const changes: number[] = []
    let last = governor.quality
    for (let f = 1; f <= 30; f++) {
      run(1, 30)
      if (governor.quality !== last) changes.push(f)
      last = governor.quality
    }
    for (let i = 1; i < changes.length; i++) expect(changes[i] - changes[i - 1]).toBeGreaterThanOrEqual(5)
  })

  it('does not raise while headroom is not sustained', () => {
    const scalers = standardScalers()
    const { governor, run } = simulate(scalers)
    run(10, 9) // lowers a few levels
    const levels = Array.from(governor.levels)
    // Mostly deep headroom, but every 60th frame lands above the raise line (still within budget).
    run(600, (f) => (f % 60 === 59 ? 13 : 0))
    expect(Array.from(governor.levels)).toEqual(levels)
    expect(governor.explain().reason.en).toMatch(/raising needs 90|Within budget/)
  })

  it('raises one step per sustained headroom period, highest visual impact first', () => {
    const scalers = standardScalers()
    const { governor, run } = simulate(scalers)
    run(100, 3)
    run(300, 9)
    const before = Array.from(governor.levels)
    expect(before[0]).toBe(1) // post untouched so far
    run(89, 0)
    expect(Array.from(governor.levels)).toEqual(before)
    // Force post down too, to check the raise order: lower everything with a long overload.
    const all = simulate(standardScalers())
    all.run(200, 40)
    expect(Array.from(all.governor.levels)).toEqual([0, 0, 0, 0])
    const order: string[] = []
    const prev = Array.from(all.governor.levels)
    for (let f = 0; f < 2000; f++) {
      all.run(1, 0)
      all.governor.levels.forEach((lv, i) => {
        if (lv > prev[i]) order.push(all.governor.explain().scalers[i].id)
        prev[i] = lv
      })
    }
    expect(order.slice(0, 3)).toEqual(['post', 'shadows', 'shadows'])
    expect(all.governor.quality).toBe(1) // 9.5 ms at full quality fits under the raise line
    expect(all.governor.flips).toBe(1)
  })

  it('raises exactly after raiseAfterFrames of headroom', () => {
    const scalers = standardScalers()
    const { governor, run } = simulate(scalers, { raiseAfterFrames: 90 })
    run(3, 9)
    const q = governor.quality
    run(89, 0)
    expect(governor.quality).toBe(q)
    run(1, 0)
    expect(governor.quality).toBeGreaterThan(q)
    expect(governor.explain().state).toBe('raising')
  })

  it('does not raise when the predicted cost would leave headroom', () => {
    const scalers = [scaler('lod', 2, 2.0, 0.5)]
    const { governor, run } = simulate(scalers)
    run(10, 11) // 15 ms → drop to level 1 (13 ms)
    run(600, 8) // 10 ms: under the raise line, but 10 + 2 = 12 > 11.11
    expect(Array.from(governor.levels)).toEqual([1])
    expect(governor.flips).toBe(0)
    expect(governor.explain().reason.en).toMatch(/predicted/)
  })

  it('steady load just above what full quality holds: at most 2 flips in 600 frames', () => {
    const rng = createRng(7)
    const noisy = (base: number) => () => base + rng.range(-0.3, 0.3)
    // Accurate cost estimates: the prediction alone prevents any raise.
    const a = simulate(standardScalers())
    a.run(600, noisy(4.6)) // full = 14.1 ms
    expect(a.governor.flips).toBeLessThanOrEqual(2)
    // Declared cost 8× too low: one mistaken raise, then the learned cost blocks it.
    const b = simulate([scaler('x', 2, 0.5, 0.5, 4)])
    const costs = b.run(600, noisy(6.2)) // full = 14.2 ms, one level down = 10.2 ms
    expect(b.governor.flips).toBeLessThanOrEqual(2)
    expect(costs.slice(300).every((c) => c <= BUDGET)).toBe(true)
  })

  it('doubles the raise wait after a raise that caused a drop', () => {
    const x = scaler('x', 2, 0.5, 0.5, 4)
    const { governor, run } = simulate([x])
    for (let f = 0; f < 300 && x.applied.length < 3; f++) run(1, 6.2) // drop, mistaken raise, drop again
    expect(x.applied).toEqual([1, 2, 1])
    expect(governor.flips).toBe(2)
    // Much lighter scene now: raising is predicted safe even with the learned 4 ms, but the wait is 2 × 90.
    let raisedAt = -1
    for (let f = 1; f <= 400 && raisedAt < 0; f++) {
      run(1, 0)
      if (governor.levels[0] === 2) raisedAt = f
    }
    expect(raisedAt).toBe(180)
  })

  it('drops on smoothed error even without consecutive misses', () => {
    const scalers = standardScalers()
    // Panic and miss-rate rules off: this isolates the smoothed-error rule.
    const { governor, run } = simulate(scalers, { panicMisses: 100, missesToDrop: 100 })
    // Alternating 12.5 / 20.5 ms: mean 16.5 ms, 19% over budget.
    let f = 0
    for (; f < 100 && governor.quality === 1; f++) run(1, f % 2 === 0 ? 3 : 11)
    expect(governor.quality).toBeLessThan(1)
    expect(f).toBeLessThan(20)
    const e = governor.explain()
    expect(e.state).toBe('lowering')
    expect(e.reason.en).toMatch(/^Smoothed overrun \d+% ≥ 15%: lowered lod/)
  })

  it('drops on a miss rate (2 of 32 frames) even when the average fits and misses never come in a row', () => {
    const scalers = standardScalers()
    const { governor, run } = simulate(scalers)
    // Full quality costs 9.5 ms over the base: 8.5 ms most frames, an isolated 14.5 ms spike every
    // 16th (mean 8.9 ms, far under the budget and the smoothed-error line).
    const base = (f: number) => (f % 16 === 15 ? 5 : -1)
    let f = 0
    for (; f < 64 && governor.quality === 1; f++) run(1, base(f))
    // The second spike (frame 31) is the trigger.
    expect(f).toBe(32)
    expect(governor.explain().reason.en).toMatch(/^2 of the last 32 frames over budget: lowered/)
    // A single isolated miss in a window is tolerated as noise.
    const quiet = simulate(standardScalers())
    quiet.run(40, (f: number) => (f === 20 ? 5 : -1))
    expect(quiet.governor.quality).toBe(1)
  })

  it('disabled: tracks but changes nothing; enabling takes over', () => {
    const scalers = standardScalers()
    const { governor, run } = simulate(scalers, { enabled: false })
    run(300, 20)
    expect(scalers.every((s) => s.applied.length === 0)).toBe(true)
    expect(governor.quality).toBe(1)
    expect(governor.smoothedCostMs).toBeGreaterThan(25)
    const e = governor.explain()
    expect(e.enabled).toBe(false)
    expect(e.reason.en).toMatch(/disabled/)
    governor.setEnabled(true)
    run(2, 20)
    expect(governor.quality).toBeLessThan(1)
  })

  it('reports exhaustion when every lever is at its lowest', () => {
    const { governor, run } = simulate(standardScalers())
    run(300, 40)
    expect(governor.exhausted).toBe(true)
    expect(governor.explain().reason.en).toMatch(/lowest/)
  })

  it('explains itself in Chinese and English', () => {
    const { governor, run } = simulate(standardScalers())
    run(50, 3)
    run(2, 9)
    const e = governor.explain()
    expect(e.reason.zh).toMatch(/[\u4e00-\u9fff]/)
    expect(e.reason.zh).toContain('lod（中）')
    expect(e.reason.en).toMatch(/over budget.*lowered lod/)
    expect(e.scalers.map((s) => [s.id, s.level, s.maxLevel])).toEqual([
      ['post', 1, 1],
      ['foveation', 3, 3],
      ['lod', 0, 2],
      ['shadows', 2, 2],
    ])
    expect(e.scalers[0].label).toEqual({ zh: 'post（中）', en: 'post' })
    expect(e.lastChangeFrame).toBe(52)
  })

  it('reset restores full quality and applies the changed levers', () => {
    const scalers = standardScalers()
    const { governor, run } = simulate(scalers)
    run(20, 12)
    governor.reset()
    expect(governor.quality).toBe(1)
    expect(Array.from(governor.levels)).toEqual([1, 3, 2, 2])
    expect(scalers[2].applied.at(-1)).toBe(2)
    expect(scalers[0].applied).toEqual([]) // untouched lever is not re-applied
    expect(governor.flips).toBe(0)
  })

  it('validates options', () => {
    expect(() => createQualityGovernor({ scalers: [scaler('a', -1, 1, 0.5)] })).toThrow(RangeError)
    expect(() => createQualityGovernor({ scalers: [scaler('a', 1, 1, 2)] })).toThrow(RangeError)
    expect(() => createQualityGovernor({ scalers: [], headroomRaise: 0 })).toThrow(RangeError)
    const empty = createQualityGovernor({ scalers: [] })
    empty.update(50, BUDGET)
    empty.update(50, BUDGET)
    expect(empty.quality).toBe(1)
    expect(empty.exhausted).toBe(true)
  })

  it('drops on missed display frames while the CPU cost is low, one step per cooldown', () => {
    const scalers = standardScalers()
    const governor = createQualityGovernor({ scalers })
    const signals = createFrameSignals()
    signals.intervalMs = BUDGET
    for (let f = 0; f < 100; f++) governor.update(3, BUDGET, signals)
    expect(governor.quality).toBe(1)
    // GPU-bound: the callback costs 3 ms, but every frame misses its display slot.
    signals.intervalMs = 2 * BUDGET
    signals.missed = true
    const changes: number[] = []
    let last = governor.quality
    for (let f = 1; f <= 40; f++) {
      governor.update(3, BUDGET, signals)
      if (governor.quality !== last) changes.push(f)
      last = governor.quality
    }
    expect(changes[0]).toBe(2) // panic after two missed frames
    // Cooldown holds between drops, and a 3 ms cost never triggers the two-step fast drop.
    for (let i = 1; i < changes.length; i++) expect(changes[i] - changes[i - 1]).toBeGreaterThanOrEqual(5)
    const e = governor.explain()
    expect(e.displayMisses).toBe(40)
    expect(e.smoothedCostMs).toBeLessThan(BUDGET) // the CPU side really looked fine
    // Missed frames never count as headroom: no raise while they go on.
    expect(governor.flips).toBe(0)
  })

  it('explains a display-miss drop in both languages', () => {
    const governor = createQualityGovernor({ scalers: standardScalers() })
    const signals = createFrameSignals()
    signals.missed = true
    signals.intervalMs = 40
    governor.update(2, BUDGET, signals)
    governor.update(2, BUDGET, signals)
    const r = governor.explain().reason
    expect(r.en).toMatch(/missed their display slot.*lowered lod/)
    expect(r.zh).toMatch(/显示时机.*lod（中）/)
  })

  it('takes the GPU time as the cost when it is larger than the CPU cost, and holds a late result briefly', () => {
    const governor = createQualityGovernor({ scalers: standardScalers(), enabled: false })
    const signals = createFrameSignals()
    signals.gpuMs = 20
    governor.update(4, BUDGET, signals)
    expect(governor.smoothedCostMs).toBe(20)
    signals.gpuMs = -1 // no new result for a few frames: the last one still stands for the GPU side
    for (let f = 0; f < 8; f++) governor.update(4, BUDGET, signals)
    expect(governor.smoothedCostMs).toBeCloseTo(20, 6)
    for (let f = 0; f < 60; f++) governor.update(4, BUDGET, signals) // the timer went quiet: CPU only
    expect(governor.smoothedCostMs).toBeLessThan(4.5)
    signals.gpuMs = 2 // GPU below CPU: CPU is the cost
    governor.update(6, BUDGET, signals)
    const e = governor.explain()
    expect(e.smoothedGpuMs).not.toBeNull()
    expect(e.gpuBoundFrames).toBe(9)
    // Enabled, a GPU over budget drops quality although the callback is cheap.
    const on = createQualityGovernor({ scalers: standardScalers() })
    const gpu = createFrameSignals()
    gpu.gpuMs = 14.5 // over budget, under the smoothed-error line: the panic rule acts
    on.update(3, BUDGET, gpu)
    on.update(3, BUDGET, gpu)
    expect(on.quality).toBeLessThan(1)
    expect(on.explain().reason.en).toMatch(/2 frames in a row over budget/)
  })

  it('learns a lever saving from the GPU time across its level changes', () => {
    // Declared: lod saves 2 ms per level, shadows 1.5 ms. Really (on the GPU): lod 0.2 ms, shadows 4 ms.
    const lod = scaler('lod', 2, 2.0, 0.5, 0.2)
    const shadows = scaler('shadows', 2, 1.5, 0.6, 4)
    const all = [lod, shadows]
    const governor = createQualityGovernor({ scalers: all })
    const signals = createFrameSignals()
    const gpuOf = (base: number) => all.reduce((c, s, i) => c + governor.levels[i] * s.actualMs, base)
    // GPU results arrive two frames late, like the timer's.
    const history: number[] = []
    const frame = (base: number) => {
      history.push(gpuOf(base))
      signals.gpuMs = history.length > 2 ? history[history.length - 3] : -1
      governor.update(2, BUDGET, signals)
    }
    // Alternate overload and headroom, so levers go down and come back up many times.
    for (let cycle = 0; cycle < 12; cycle++) {
      for (let f = 0; f < 40; f++) frame(8)
      for (let f = 0; f < 400; f++) frame(0)
    }
    const e = governor.explain()
    const learned = Object.fromEntries(e.scalers.map((s) => [s.id, s]))
    expect(learned.lod.learnedSamples + learned.shadows.learnedSamples).toBeGreaterThan(2)
    // The learned savings moved from the declared values towards the real ones.
    expect(learned.shadows.learnedSamples).toBeGreaterThan(0)
    expect(learned.shadows.costPerLevelMs).toBeGreaterThan(3) // declared 1.5, really 4
    expect(learned.lod.costPerLevelMs).toBeLessThan(2) // declared 2, really 0.2
    // ...so the lever that really saves GPU time is now the one dropped first.
    const before = Array.from(governor.levels)
    for (let f = 0; f < 20 && Array.from(governor.levels).join() === before.join(); f++) frame(12)
    expect(before).toEqual([2, 2])
    expect(governor.levels[0]).toBe(2)
    expect(governor.levels[1]).toBeLessThan(2)
  })

  it('learns from the display interval when there is no GPU timer', () => {
    const x = scaler('x', 2, 0.5, 0.5, 0)
    const governor = createQualityGovernor({ scalers: [x] })
    const signals = createFrameSignals()
    // No timer queries: each level of x costs the display 13.9 ms. A CPU load step now and then
    // makes the governor drop x and raise it again; the missed flag stays off to isolate learning.
    for (let cycle = 0; cycle < 8; cycle++) {
      for (let f = 0; f < 340; f++) {
        signals.intervalMs = BUDGET * (1 + governor.levels[0])
        governor.update(f < 40 ? 16 : 2, BUDGET, signals)
      }
    }
    const s = governor.explain().scalers[0]
    expect(s.learnedSamples).toBeGreaterThan(0)
    expect(s.costPerLevelMs).toBeGreaterThan(BUDGET / 2) // learned: far more than the 0.5 ms declared
  })

  it('owns its levers: adding and removing mid-run keeps the others, the smoothed cost and the cooldown', () => {
    const a = scaler('a', 3, 2, 0.3)
    const b = scaler('b', 2, 1, 0.6)
    const governor = createQualityGovernor({ scalers: [a] })
    for (let f = 0; f < 50; f++) governor.update(9, BUDGET)
    for (let f = 0; f < 2; f++) governor.update(16, BUDGET) // panic: a drops to 2
    expect(Array.from(governor.levels)).toEqual([2])
    const smoothed = governor.smoothedCostMs
    const frame = governor.frame
    // A lever mounts mid-run (a danmaku feed connects): nothing else changes.
    governor.add(b)
    expect(Array.from(governor.levels)).toEqual([2, 2])
    expect(governor.smoothedCostMs).toBe(smoothed)
    expect(governor.frame).toBe(frame)
    expect(a.applied).toEqual([1 + 1]) // a was applied once (the drop); never reset to 3
    expect(b.applied).toEqual([]) // a new lever is assumed at full quality
    // Cooldown survives the add: still over budget, but no drop until 4 frames have passed.
    governor.update(16, BUDGET)
    expect(governor.explain().reason.en).toMatch(/waiting 4 frames/)
    // Quality is the one definition, over both levers.
    const w = (s: QualityScaler) => s.visualImpact + 0.05
    expect(governor.quality).toBeCloseTo((w(a) * (2 / 3) + w(b) * 1) / (w(a) + w(b)), 12)
    // Remove b mid-run while a is lowered: a keeps its level; re-adding b starts it at full quality.
    for (let f = 0; f < 10; f++) governor.update(16, BUDGET)
    const levelsBefore = Array.from(governor.levels)
    governor.remove('b')
    expect(Array.from(governor.levels)).toEqual([levelsBefore[0]])
    expect(governor.remove('b')).toBe(false)
    governor.add(b)
    expect(governor.levels[1]).toBe(2)
    expect(() => governor.add(b)).toThrow(/registered twice/)
    // Remove a lever at level 0 (everything dropped): the rest keeps its levels and its history.
    for (let f = 0; f < 200; f++) governor.update(40, BUDGET)
    expect(Array.from(governor.levels)).toEqual([0, 0])
    const flips = governor.flips
    governor.remove('a')
    expect(Array.from(governor.levels)).toEqual([0])
    expect(governor.flips).toBe(flips)
    expect(governor.quality).toBe(0)
    // With a gone, the governor raises b by itself once there is headroom.
    for (let f = 0; f < 400; f++) governor.update(1, BUDGET)
    expect(Array.from(governor.levels)).toEqual([2])
    expect(governor.quality).toBe(1)
  })

  it('setLevel lets another controller drive a lever (baseline arm), with the same quality measure', () => {
    const a = scaler('a', 4, 1, 0.5)
    const governor = createQualityGovernor({ scalers: [a, scaler('b', 1, 1, 0)], enabled: false })
    governor.setLevel('a', 2)
    governor.setLevel('a', 2) // unchanged: not applied again
    governor.setLevel('missing', 1) // unknown id: ignored
    expect(a.applied).toEqual([2])
    expect(governor.quality).toBeCloseTo((0.55 * 0.5 + 0.05) / 0.6, 12)
    governor.setLevel('a', 99)
    expect(governor.levels[0]).toBe(4)
  })
})
