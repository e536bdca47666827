import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { createFrameTimingTrace } from '../core/replay/frame-timing-trace'
import { PHASE_COUNT } from '../core/frame/phases'
import { parseTimingTrace, plotTrace, runTraceCommand, summariseTrace, TraceError } from './trace-report.mjs'

const PHASES = ['input', 'simulation', 'animation', 'jobs', 'render', 'post']

/** A trace of `rows` (frame, cpu, interval, missed, gpu, foveation level; phases all in render). */
function timing(rows: [number, number, number, number, number][], levels: number[]) {
  return {
    format: 'lingjing-frame-timing',
    version: 1,
    refreshHz: 72,
    budgetMs: 12,
    gpuSource: 'timer-query',
    phases: PHASES,
    levers: [{ id: 'foveation', maxLevel: 3 }],
    columns: ['frame', 'cpuMs', 'intervalMs', 'missed', 'gpuMs', ...PHASES, 'lever:foveation'],
    rows: rows.map(([f, cpu, interval, missed, gpu], i) => [f, cpu, interval, missed, gpu, 0, 0, 0, 0, cpu, 0, levels[i]]),
  }
}

const FIXTURE = timing(
  [
    [0, 5, 0, 0, -1],
    [1, 14, 12, 0, 3],
    [2, 4, 30, 1, 20],
    [3, 4, 25, 1, 19],
    [4, 6, 12, 0, -1],
  ],
  [3, 3, 2, 1, -1],
)

describe('frame-timing trace reader', () => {
  it('reads a recording with a timing part and a bare timing object alike', () => {
    const bare = parseTimingTrace(JSON.stringify(FIXTURE))
    const inRecording = parseTimingTrace(JSON.stringify({ format: 'lingjing-xr-session', version: 1, frames: [], timing: FIXTURE }))
    expect(inRecording).toEqual(bare)
    expect(bare.rows).toHaveLength(5)
  })

  it('computes the benchmark figures', () => {
    const s = summariseTrace(parseTimingTrace(JSON.stringify(FIXTURE)))
    expect(s.frames).toBe(5)
    expect(s.cpuOverBudget).toBe(1)
    expect(s.displayMissed).toBe(2)
    // 1.5 × 12 ms = 18 ms: the 30 and 25 ms intervals.
    expect(s.displayMissedByInterval).toBe(2)
    expect(s.longestDisplayMissRun).toBe(2)
    // The first frame's 0 interval is left out: 12, 12, 25, 30.
    expect(s.intervalP50Ms).toBe(12)
    expect(s.intervalP95Ms).toBe(30)
    // Only frames with a timer result: 3, 19, 20.
    expect(s.gpuFrames).toBe(3)
    expect(s.gpuP50Ms).toBe(19)
    expect(s.phaseMeanMs.render).toBeCloseTo((5 + 14 + 4 + 4 + 6) / 5)
    const fov = s.levers[0]
    expect(fov.framesRegistered).toBe(4)
    expect(fov.meanLevel).toBeCloseTo((3 + 3 + 2 + 1) / 4)
    expect(fov.atLevel.map((a) => a.frames)).toEqual([0, 1, 1, 2])
    // Time at level 3: frames 0 and 1 (intervals 0 and 12 ms).
    expect(fov.atLevel[3].seconds).toBeCloseTo(0.012)
  })

  it('has no GPU figures when no frame had a timer result', () => {
    const none = timing([[0, 5, 0, 0, -1], [1, 5, 14, 0, -1]], [3, 3])
    const s = summariseTrace(parseTimingTrace(JSON.stringify({ ...none, gpuSource: 'none' })))
    expect(s.gpuP50Ms).toBeNull()
    expect(s.gpuP95Ms).toBeNull()
  })

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['an array', '[]', /top level must be a JSON object/],
    ['a recording without timing', JSON.stringify({ format: 'lingjing-xr-session', frames: [] }), /no "timing" part/],
    ['a wrong format', JSON.stringify({ ...FIXTURE, format: 'other' }), /"format" must be/],
    ['a newer version', JSON.stringify({ ...FIXTURE, version: 2 }), /unsupported version 2/],
    ['a zero budget', JSON.stringify({ ...FIXTURE, budgetMs: 0 }), /"budgetMs" must be a number above 0/],
    ['columns out of step with the levers', JSON.stringify({ ...FIXTURE, levers: [] }), /"columns" must be/],
    ['a short row', JSON.stringify({ ...FIXTURE, rows: [[0, 1, 2]] }), /row 0 must have 12 numbers/],
    ['a string in a row', JSON.stringify({ ...FIXTURE, rows: [[0, '5', 0, 0, -1, 0, 0, 0, 0, 5, 0, 3]] }), /row 0, column "cpuMs" is not a finite number/],
    ['no rows', JSON.stringify({ ...FIXTURE, rows: [] }), /no frames were recorded/],
    ['a bad lever', JSON.stringify({ ...FIXTURE, levers: [{ id: 'foveation', maxLevel: 0 }] }), /levers\[0\] must be/],
  ])('rejects %s with a bilingual message', (_name, text, pattern) => {
    let error: unknown
    try {
      parseTimingTrace(text)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(TraceError)
    expect((error as TraceError).message).toMatch(pattern)
    // The Chinese half is there too.
    expect((error as TraceError).zh).toMatch(/[\u4e00-\u9fff]/)
  })

  it('plots CPU, GPU, interval, misses and every lever', () => {
    const html = plotTrace(parseTimingTrace(JSON.stringify(FIXTURE)), 'take')
    expect(html).toContain('miss threshold 18.0 ms')
    expect(html.match(/<polyline/g)).toHaveLength(4)
    expect(html).toContain('foveation (0–3)')
  })

  it('exits 2 on a malformed file and on a missing one, 0 on a good one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-'))
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, JSON.stringify({ ...FIXTURE, version: 9 }))
    const good = join(dir, 'good.json')
    writeFileSync(good, JSON.stringify({ frames: [], timing: FIXTURE }))
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const table = vi.spyOn(console, 'table').mockImplementation(() => {})
    const out = vi.spyOn(console, 'log').mockImplementation(() => {})
    const log = () => {}
    expect(await runTraceCommand(bad, dir, { log })).toBe(2)
    expect(errors.mock.calls.flat().join(' ')).toMatch(/unsupported version 9/)
    expect(await runTraceCommand(join(dir, 'nope.json'), dir, { log })).toBe(2)
    expect(await runTraceCommand(good, dir, { log })).toBe(0)
    expect(existsSync(join(dir, 'trace-good.html'))).toBe(true)
    expect(readFileSync(join(dir, 'trace-good.html'), 'utf8')).toContain('Frame-timing trace good')
    errors.mockRestore()
    table.mockRestore()
    out.mockRestore()
  })

  it('reads what the app trace recorder writes, late GPU results and a lever that came later included', () => {
    const trace = createFrameTimingTrace()
    trace.start({ refreshHz: 72, budgetMs: 13.89, gpuSource: 'timer-query' })
    const phases = new Float64Array(PHASE_COUNT).fill(1)
    const foveation = { scaler: { id: 'foveation', maxLevel: 3 }, level: 3 }
    const mirror = { scaler: { id: 'mirror', maxLevel: 2 }, level: 2 }
    trace.append(0, 10, 6, 0, false, phases, [foveation])
    trace.append(1, 11, 7, 13.9, false, phases, [foveation])
    foveation.level = 1
    trace.append(2, 12, 15, 41.7, true, phases, [foveation, mirror])
    // The timer's result for app frame 11 arrives frames late.
    trace.setGpu(11, 9.5)
    const timing = trace.stop()
    const s = summariseTrace(parseTimingTrace(JSON.stringify({ format: 'lingjing-xr-session', frames: [], timing })))
    expect(s.frames).toBe(3)
    expect(s.cpuOverBudget).toBe(1)
    expect(s.displayMissed).toBe(1)
    expect(s.displayMissedByInterval).toBe(1)
    expect(s.gpuFrames).toBe(1)
    expect(s.gpuP50Ms).toBe(9.5)
    expect(s.levers.map((l) => [l.id, l.framesRegistered, l.meanLevel])).toEqual([
      ['foveation', 3, 7 / 3],
      ['mirror', 1, 2],
    ])
  })
})
