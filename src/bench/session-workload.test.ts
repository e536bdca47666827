import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { explainFloor, findShippedSessions, matchesPartially, selectSessions, sessionTargetMissed, sessionTargets, summariseContentBudget, summariseReplayRun } from './session-workload.mjs'

const PHASES = ['input', 'simulation', 'animation', 'jobs', 'render', 'post']

/** A harness record: entry i holds the cost of app frame i − 1 and the replay index after it. */
function record(costs: number[], replayFrames: number[]) {
  return {
    costs,
    quality: costs.map(() => 1),
    budgetMs: 10,
    replayFrames,
    phases: PHASES,
    // Animation carries the whole cost, render a fixed 1 ms.
    phaseCosts: costs.flatMap((c) => [0, 0, c - 1, 0, 1, 0]),
  }
}

describe('sessions workload of the benchmark', () => {
  it('counts exactly the app frames that replayed a recorded frame', () => {
    // Loading (-1), waiting (-1), frames 0..3 with a held frame after 1, then the end (3 stays).
    const run = record([50, 40, 5, 6, 30, 12, 7, 99, 99], [-1, -1, 0, 1, 1, 2, 3, 3, 3])
    const s = summariseReplayRun(run)
    // Entries 2, 3, 5, 6 moved the index: the costs of the frames that handed out 0, 1, 2, 3.
    expect(s.frames).toBe(4)
    expect(s.distinctRecordedFrames).toBe(4)
    expect(s.overBudget).toBe(1)
    expect(s.p50Ms).toBe(6)
    expect(s.maxMs).toBe(12)
    expect(s.longestMissRun).toBe(1)
    expect(s.meanMs).toBeCloseTo((5 + 6 + 12 + 7) / 4, 10)
    expect(s.phaseMeanMs.render).toBe(1)
    expect(s.phaseMeanMs.animation).toBeCloseTo((4 + 5 + 11 + 6) / 4, 5)
  })

  it('matches a snapshot against expected fields the way toMatchObject does', () => {
    const snap = { experience: 'mascot', xr: { presenting: true, mode: 'immersive-ar' }, mascot: { placed: true, position: [1, 0, 2] } }
    expect(matchesPartially(snap, { experience: 'mascot', xr: { mode: 'immersive-ar' } })).toBe(true)
    expect(matchesPartially(snap, { mascot: { position: [1, 0, 2] } })).toBe(true)
    expect(matchesPartially(snap, { xr: { mode: 'immersive-vr' } })).toBe(false)
    expect(matchesPartially(snap, { mascot: { animation: 'wave' } })).toBe(false)
    expect(matchesPartially(snap, { mascot: { position: [1, 0] } })).toBe(false)
  })

  it('finds every shipped session through its metadata file, with its frame count', () => {
    const root = mkdtempSync(join(tmpdir(), 'lingjing-sessions-'))
    mkdirSync(join(root, 'xr-sessions', 'b'), { recursive: true })
    writeFileSync(join(root, 'xr-sessions', 'b', 'two.json'), JSON.stringify({ frames: [[], []] }))
    writeFileSync(join(root, 'xr-sessions', 'b', 'two.meta.json'), JSON.stringify({ experience: 'hub' }))
    // A recording without metadata is not a shipped session.
    writeFileSync(join(root, 'xr-sessions', 'loose.json'), JSON.stringify({ frames: [[]] }))
    expect(findShippedSessions(root)).toEqual([{ name: 'b/two', meta: { experience: 'hub' }, frames: 2 }])
  })

  it('a quick run replays the shortest session of each experience only', () => {
    const session = (name: string, experience: string, frames: number) => ({ name, meta: { experience }, frames })
    const all = [session('hub/a', 'hub', 90), session('tianhe/long', 'tianhe', 1000), session('tianhe/short', 'tianhe', 270), session('mascot/b', 'mascot', 60)]
    expect(selectSessions(all, false)).toEqual(all)
    expect(selectSessions(all, true).map((s) => s.name)).toEqual(['hub/a', 'tianhe/short', 'mascot/b'])
  })

  it('the content budget takes the worst frame per zone and eye over every run, and flags a zone over it', () => {
    const zoneStats = (calls: number, tris: number, frames = 10) => ({ drawCalls: calls, triangles: tris, frames })
    const runs = [
      { session: 's1', views: 2, zoneStats: { 'node-cabin': zoneStats(80, 100_000), 'large-column': zoneStats(0, 0, 0) } },
      { session: 's2', views: 2, zoneStats: { 'node-cabin': zoneStats(120, 90_000), 'large-column': zoneStats(202, 60_000) } },
      { session: 'hub', views: 2, zoneStats: null },
    ]
    const zones = summariseContentBudget(runs)
    expect(zones).toEqual([
      { zone: 'node-cabin', drawCallsPerEye: 60, trianglesPerEye: 50_000, frames: 20, sessions: ['s1', 's2'], withinBudget: true },
      { zone: 'large-column', drawCallsPerEye: 101, trianglesPerEye: 30_000, frames: 10, sessions: ['s2'], withinBudget: false },
    ])
  })

  it('counts display misses over the replayed frames only, against 1.5 × the budget', () => {
    const run = { ...record([50, 40, 5, 6, 30, 12, 7, 99, 99], [-1, -1, 0, 1, 1, 2, 3, 3, 3]), intervals: [900, 900, 10, 16, 99, 14, 40, 99, 99] }
    const s = summariseReplayRun(run)
    // The replayed entries 2, 3, 5, 6 have intervals 10, 16, 14, 40: only 16 and 40 are over 15 ms.
    expect(s.displayMissed).toBe(2)
    expect(s.displayMissedPct).toBe(50)
    expect(s.intervalP95Ms).toBe(40)
  })

  it('the real-work target: C ≤ 0.33 × A at 4× where A misses more than 1 %, with the floor when it is not met', () => {
    const phaseMeanMs = { input: 0.1, simulation: 0.2, animation: 9, jobs: 0, render: 4, post: 0 }
    const run = (arm: string, throttle: number, over: number, displayMissed: number, extra: object = {}) => ({
      experience: 'tianhe', session: 'tianhe/x', arm, throttle, synthetic: false, frames: 100, overBudget: over, displayMissed,
      p50Ms: 12, intervalP50Ms: 14, budgetMs: 13.9, meanQuality: 1, phaseMeanMs, ...extra,
    })
    expect(sessionTargetMissed(run('A', 4, 50, 0), run('C', 4, 10, 0))).toBe(false)
    expect(sessionTargetMissed(run('A', 4, 50, 0), run('C', 4, 20, 0))).toBe(true)
    // A at 1 % or less: no target to fail.
    expect(sessionTargetMissed(run('A', 4, 1, 1), run('C', 4, 1, 1))).toBe(false)
    const targets = sessionTargets([run('A', 1, 5, 0), run('C', 1, 5, 0), run('A', 4, 50, 0), run('C', 4, 30, 0), run('floor', 4, 28, 0, { p50Ms: 13.5 })])
    // Only 4× counts: display (A at 0: no target) and CPU (0.6, not met, floor explained).
    expect(targets).toHaveLength(3)
    expect(targets[0].met).toBe(true)
    expect(targets[1].met).toBe(false)
    expect(targets[1].value).toMatch(/^0\.600; floor 28\/100 \(0\.560 × A\)/)
    expect(targets[1].value).toMatch(/largest phase is animation at 9\.00 ms/)
    // The floor's own row: above 0.33 × A, so the floor, not the governor, keeps C from the target.
    expect(targets[2]).toMatchObject({ value: '0.560', met: true })
    const low = sessionTargets([run('A', 4, 50, 0), run('C', 4, 30, 0), run('floor', 4, 5, 0)])
    expect(low[2]).toMatchObject({ value: '0.100', met: false })
  })

  it('says which side the floor is on, from its figures', () => {
    const floor = { frames: 100, overBudget: 0, displayMissed: 100, cpuP50Ms: 5, intervalP50Ms: 180, budgetMs: 13.9, meanQuality: 0, phaseMeanMs: { render: 3 } }
    expect(explainFloor(floor)).toMatch(/GPU side: .* 180\.0 ms, over the miss threshold 20\.9 ms/)
    expect(explainFloor(floor)).not.toMatch(/CPU side/)
    expect(explainFloor({ ...floor, intervalP50Ms: 14, overBudget: 40 })).toMatch(/^CPU side: .*40\/100 frames .*largest phase is render at 3\.00 ms/)
  })
})
