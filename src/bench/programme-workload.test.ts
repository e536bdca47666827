import { describe, expect, it } from 'vitest'
import { leverTrace, programmeTargets, summariseMonitor, summariseProgrammeRun } from './programme-workload.mjs'

const cost = (renderMsTotal: number, jobsRun: number, captureMsTotal = 0, captures = 0, previewMsTotal = 0, captureSteps = 0) => ({ renderMsTotal, jobsRun, captureMsTotal, captures, previewMsTotal, captureSteps })

/** A harness record with two levers, the programme's stepping down from 4 to 2. */
function record() {
  const costs = [8, 9, 15, 16, 10, 9]
  const programme = [4, 4, 4, 3, 2, 2]
  const previews = [2, 2, 0, 0, 0, 0]
  return {
    costs,
    quality: costs.map(() => 1),
    budgetMs: 13.9,
    levers: ['dust', 'programme-camera', 'camera-previews'],
    leverLevels: costs.flatMap((_, i) => [1, programme[i], previews[i]]),
  }
}

describe('programme workload of the benchmark', () => {
  it('reads one lever out of the frame-major level record', () => {
    expect(leverTrace(record(), 'programme-camera')).toEqual([4, 4, 4, 3, 2, 2])
    expect(leverTrace(record(), 'camera-previews')).toEqual([2, 2, 0, 0, 0, 0])
    expect(leverTrace(record(), 'missing')).toEqual([])
  })

  it("divides the loop's cost totals over the run, and finds the governor's first cut", () => {
    const s = summariseProgrammeRun(record(), cost(100, 10, 20, 5, 4, 40), cost(112, 14, 26, 8, 7, 52))
    expect(s.frames).toBe(6)
    expect(s.overBudget).toBe(2)
    expect(s.longestMissRun).toBe(2)
    expect(s.programmeFrames).toBe(4)
    expect(s.renderMsPerProgrammeFrame).toBeCloseTo(3)
    expect(s.captureMsPerFrame).toBeCloseTo(2)
    expect(s.captureMsPerStep).toBeCloseTo(0.5)
    // (12 + 6 + 3) ms over 6 headset frames of 67 ms in all.
    expect(s.programmeMsPerHeadsetFrame).toBeCloseTo(21 / 6)
    expect(s.programmeShareOfFrame).toBeCloseTo(21 / 67)
    expect([s.programmeLevelStart, s.programmeLevelEnd, s.programmeLevelMin]).toEqual([4, 2, 2])
    expect(s.framesToFirstProgrammeDrop).toBe(3)
    expect(s.previewsLevelEnd).toBe(0)
  })

  it('compares the governed arm with the ungoverned one per throttle', () => {
    const base = summariseProgrammeRun(record(), cost(0, 0), cost(12, 4))
    const targets = programmeTargets([
      { ...base, arm: 'A', throttle: 4, overBudget: 40, programmeMsPerHeadsetFrame: 4 },
      { ...base, arm: 'C', throttle: 4, overBudget: 4, programmeMsPerHeadsetFrame: 1 },
      // A second round: summed with the first, not compared on its own.
      { ...base, arm: 'A', throttle: 4, overBudget: 20, programmeMsPerHeadsetFrame: 2 },
      { ...base, arm: 'C', throttle: 4, overBudget: 26, programmeMsPerHeadsetFrame: 2 },
    ])
    expect(targets.map((t) => [t.value, t.met])).toEqual([
      ['0.500', false],
      ['0.500', true],
    ])
  })
})

describe('programme floor of the benchmark', () => {
  it('gives the floor row its ratio to A, the room at its lowest and its draw calls per eye', () => {
    const base = summariseProgrammeRun(record(), cost(0, 0), cost(12, 4))
    const [, , floor] = programmeTargets([
      { ...base, arm: 'A', throttle: 4, overBudget: 40 },
      { ...base, arm: 'C', throttle: 4, overBudget: 20 },
      { ...base, arm: 'floor', throttle: 4, overBudget: 16, phaseMeanMs: { input: 0.5, render: 4.2 }, monitor: { frameDrawCalls: 48, views: 2 } },
    ])
    expect(floor.value).toContain('0.400 (room at lowest: p50 9.00 ms')
    expect(floor.value).toContain('largest phase render 4.20 ms; 24 draws per eye;')
    expect(floor.met).toBe(true)
  })

  it('reports a floor measured on request beside a C that met its target as a figure, not a failed target', () => {
    const base = summariseProgrammeRun(record(), cost(0, 0), cost(12, 4))
    const [c, , floor] = programmeTargets([
      { ...base, arm: 'A', throttle: 4, overBudget: 40 },
      { ...base, arm: 'C', throttle: 4, overBudget: 8 },
      { ...base, arm: 'floor', throttle: 4, overBudget: 6, phaseMeanMs: { render: 4 } },
    ])
    expect([c.value, c.met]).toEqual(['0.200', true])
    expect(floor.value).toMatch(/^0\.150 /)
    expect([floor.goal, floor.met]).toEqual(['measured (C met ≤0.33)', true])
  })
})

describe('programme monitor figures of the benchmark', () => {
  const counters = (screenDraws: number, layerDraws = 0, layerCopyMs = 0, path = 'texture', reason = 'layers-unsupported') => ({ path, reason, screenDraws, layerDraws, layerCopyMs })

  it('divides the texture path monitor draws over the headset frames, with no layer copies', () => {
    // 300 frames, two views each: the screen drawn once per eye.
    const m = summariseMonitor(300, counters(1000), counters(1600), { drawCalls: 212, views: 2 })
    expect(m).toEqual({ path: 'texture', reason: 'layers-unsupported', drawsPerHeadsetFrame: 2, frameDrawCalls: 212, views: 2, layerCopiesPerHeadsetFrame: 0, layerCopyMs: null })
  })

  it('gives the layer path its copies per headset frame and the cost of one copy', () => {
    const m = summariseMonitor(90, counters(0, 10, 2, 'xr-layer', 'layers-supported'), counters(180, 40, 5, 'xr-layer', 'layers-supported'), null)
    expect(m.layerCopiesPerHeadsetFrame).toBeCloseTo(30 / 90)
    expect(m.layerCopyMs).toBeCloseTo(0.1)
    expect([m.frameDrawCalls, m.views]).toEqual([null, null])
  })
})
