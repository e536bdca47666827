import { describe, expect, it } from 'vitest'
import { avatarRatios, avatarTargets, botPose, drawnText, summariseAvatarWindow } from './avatar-workload.mjs'

/** A recorder run of four frames, two phases, two levers (remote-avatars second, 3 then 0). */
function run(costs: number[], input: number[]) {
  return {
    costs,
    intervals: [0, 20, 30, 40],
    quality: [1, 1, 0.5, 0.5],
    budgetMs: 13.9,
    phases: ['input', 'render'],
    phaseCosts: costs.flatMap((c, i) => [input[i], c - input[i]]),
    levers: ['stars', 'remote-avatars'],
    leverLevels: [2, 3, 2, 3, 2, 0, -1, 0],
  }
}

const window = (count: number, arm: 'off' | 'low' | 'on', costs: number[], input = [1, 1, 1, 1]) => ({ count, arm, ...summariseAvatarWindow(run(costs, input)), drawCallsPerEye: 10, peersSeen: count, drawn: null })

describe('remote-visitor bench section', () => {
  it('summarises a window: percentiles, phases, the avatar lever, intervals without the first', () => {
    const w = summariseAvatarWindow(run([4, 6, 8, 16], [1, 2, 3, 4]))
    expect(w).toMatchObject({ frames: 4, costP50Ms: 6, costP95Ms: 16, costMeanMs: 8.5, overBudget: 1, longestMissRun: 1, intervalP50Ms: 30, quality: 0.75 })
    expect(w.phaseMeanMs).toEqual({ input: 2.5, render: 6 })
    expect(w.remoteAvatarsLevel).toBe(1.5)
  })

  it('gives each count against the mean of the 0-visitor windows of its own arm', () => {
    const ws = [window(0, 'off', [4, 4, 4, 4]), window(0, 'on', [2, 2, 2, 2]), window(30, 'off', [8, 8, 8, 8], [3, 3, 3, 3]), window(30, 'on', [3, 3, 3, 3]), window(0, 'off', [6, 6, 6, 6]), window(0, 'on', [2, 2, 2, 2])]
    const ratios = avatarRatios(ws)
    const off = ratios.find((r) => r.arm === 'off' && r.count === 30)!
    expect(off.costP50Ratio).toBeCloseTo(8 / 5)
    expect(off.extraMeanMs).toBeCloseTo(3)
    expect(off.extraPhaseMs.input).toBeCloseTo(2)
    expect(off.extraPhaseMs.render).toBeCloseTo(1)
    const on = ratios.find((r) => r.arm === 'on' && r.count === 30)!
    expect(on.costP50Ratio).toBeCloseTo(1.5)
    const targets = avatarTargets({ windows: ws, ratios, budgetMs: 13.9, framesPerWindow: 4, warmupFrames: 0 })
    expect(targets.map((t) => t.met)).toEqual([false, false, true])
    expect(avatarTargets(null)).toEqual([])
  })

  it('gives the lowest-level arm its own ratios, and says how many were drawn full and low', () => {
    const ws = [window(0, 'off', [4, 4, 4, 4]), window(0, 'low', [4, 4, 4, 4]), window(30, 'off', [8, 8, 8, 8]), window(30, 'low', [5, 5, 5, 5])]
    const low = avatarRatios(ws).find((r) => r.arm === 'low' && r.count === 30)!
    expect(low.costP50Ratio).toBeCloseTo(1.25)
    expect(low.extraMeanMs).toBeCloseTo(1)
    expect(drawnText({ full: 4, low: 26, tags: 8, level: 0 })).toBe('4 full / 26 low (8 tags)')
    expect(drawnText(null)).toBe('—')
  })

  it('sends valid poses: int16 mm within ±30 m and unit quaternions', () => {
    for (let i = 0; i < 30; i++) {
      const pose = botPose(i, 30, 17)
      expect(pose).toHaveLength(21)
      for (const v of pose) expect(Number.isInteger(v) && Math.abs(v) <= 32767).toBe(true)
    }
  })
})
