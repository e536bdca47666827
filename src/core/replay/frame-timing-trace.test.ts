import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { TIMING_BASE_COLUMNS, TIMING_FORMAT, TIMING_VERSION, type Recording, type RecordingTiming } from './recording-format'
import { createSyntheticRecording } from './synthetic-session'
import { validateRecording } from './validate-recording'
import { createFrameTimingTrace, type TracedLever } from './frame-timing-trace'
import { PHASE_COUNT, PHASES } from '../frame/phases'

const schema = JSON.parse(readFileSync(new URL('../../../xr-sessions/schema/recording.schema.json', import.meta.url), 'utf8'))

function lever(id: string, maxLevel: number, level: number): TracedLever {
  return { scaler: { id, maxLevel }, level }
}

/** A trace of `frames` rows: foveation throughout, a 'danmaku' lever from row 3 to row 5. */
function traceOf(frames: number): RecordingTiming {
  const trace = createFrameTimingTrace(2) // tiny, so the buffers grow during the take
  trace.start({ refreshHz: 72, budgetMs: 1000 / 72, gpuSource: 'timer-query' })
  const phases = new Float64Array(PHASE_COUNT)
  for (let f = 0; f < frames; f++) {
    for (let p = 0; p < PHASE_COUNT; p++) phases[p] = 0.1 * (p + 1) + f / 1000
    const levers = [lever('foveation', 3, 3 - (f % 4))]
    if (f >= 3 && f <= 5) levers.push(lever('danmaku', 2, 1))
    trace.append(f, 100 + f, 5.123456 + f, f === 0 ? 0 : 13.9, f === 4, phases, levers)
    if (f >= 2) trace.setGpu(100 + f - 2, 3.333333) // results come two frames late
  }
  const timing = trace.stop()
  if (!timing) throw new Error('no timing')
  return timing
}

function withTiming(timing: unknown, frames = 8): Recording {
  const rec = createSyntheticRecording({ frames, inputs: 'controllers' })
  ;(rec as { timing?: unknown }).timing = timing
  return rec
}

describe('frame timing trace (the timing part of a take)', () => {
  it('builds the fixed format: columns, rows per recorded frame, late GPU results, levers padded with -1', () => {
    const t = traceOf(8)
    expect(t.format).toBe(TIMING_FORMAT)
    expect(t.version).toBe(TIMING_VERSION)
    expect(t.refreshHz).toBe(72)
    expect(t.budgetMs).toBe(13.89)
    expect(t.phases).toEqual([...PHASES])
    expect(t.levers).toEqual([
      { id: 'foveation', maxLevel: 3 },
      { id: 'danmaku', maxLevel: 2 },
    ])
    expect(t.columns).toEqual([...TIMING_BASE_COLUMNS, ...PHASES, 'lever:foveation', 'lever:danmaku'])
    expect(t.rows.map((r) => r[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(t.rows.every((r) => r.length === t.columns.length)).toBe(true)
    expect(t.rows[1].slice(0, 5)).toEqual([1, 6.12, 13.9, 0, 3.33])
    expect(t.rows[4][3]).toBe(1) // missed
    expect(t.rows[7][4]).toBe(-1) // its GPU result had not arrived when the take stopped
    expect(t.rows[0][5]).toBe(0.1) // phase input, rounded to 0.01 ms
    const fov = t.columns.indexOf('lever:foveation')
    const dm = t.columns.indexOf('lever:danmaku')
    expect(t.rows.map((r) => r[fov])).toEqual([3, 2, 1, 0, 3, 2, 1, 0])
    expect(t.rows.map((r) => r[dm])).toEqual([-1, -1, -1, 1, 1, 1, -1, -1])
  })

  it('ignores rows out of order, and gives nothing when nothing was recorded or it was not started', () => {
    const trace = createFrameTimingTrace()
    const phases = new Float64Array(PHASE_COUNT)
    trace.append(0, 1, 1, 1, false, phases, []) // not started
    expect(trace.stop()).toBeNull()
    trace.start({ refreshHz: 90, budgetMs: 11.1, gpuSource: 'none' })
    expect(trace.stop()).toBeNull()
    trace.start({ refreshHz: 90, budgetMs: 11.1, gpuSource: 'none' })
    trace.append(5, 1, 1, 1, false, phases, [])
    trace.append(5, 2, 1, 1, false, phases, []) // same recorded frame twice: ignored
    trace.append(4, 3, 1, 1, false, phases, []) // backwards: ignored
    trace.append(6, 4, 1, 1, false, phases, [])
    expect(trace.rows).toBe(2)
    expect(trace.stop()?.rows.map((r) => r[0])).toEqual([5, 6])
  })

  it('a take with its timing part validates, and deterministic replay data is unchanged by it', () => {
    const timing = traceOf(8)
    const result = validateRecording(withTiming(timing))
    expect(result.ok).toBe(true)
    // Round trip through JSON text too (what a saved file is).
    expect(validateRecording(JSON.stringify(withTiming(timing))).ok).toBe(true)
  })

  it('refuses a broken timing part with a specific bilingual message', () => {
    const good = traceOf(8)
    const cases: [string, (t: RecordingTiming & Record<string, unknown>) => void, RegExp][] = [
      ['format', (t) => (t.format = 'x' as typeof TIMING_FORMAT), /timing\.format/],
      ['version', (t) => (t.version = 2 as typeof TIMING_VERSION), /timing\.version/],
      ['budget', (t) => (t.budgetMs = -1), /timing\.budgetMs/],
      ['gpuSource', (t) => (t.gpuSource = 'webgpu' as 'none'), /timing\.gpuSource/],
      ['columns', (t) => t.columns.pop(), /timing\.columns/],
      ['duplicate lever', (t) => t.levers.push({ id: 'foveation', maxLevel: 3 }), /appears twice/],
      ['row width', (t) => t.rows[2].pop(), /timing\.rows\[2\]/],
      ['NaN', (t) => (t.rows[1][1] = Number.NaN), /cpuMs must be a finite number/],
      ['negative time', (t) => (t.rows[1][2] = -3), /intervalMs must be 0\.\.60000 ms/],
      ['missed flag', (t) => (t.rows[1][3] = 2), /missed must be 0 or 1/],
      ['gpu', (t) => (t.rows[1][4] = -2), /gpuMs must be -1/],
      ['frame order', (t) => (t.rows[3][0] = 2), /frame must be a frame index .* above the previous row's 2/],
      ['frame past the end', (t) => (t.rows[7][0] = 8), /0\.\.7/],
      ['lever level', (t) => (t.rows[0][t.columns.indexOf('lever:foveation')] = 4), /lever:foveation must be a level -1\.\.3/],
      ['not an object', (t) => Object.assign(t, { rows: 'x' }), /timing\.rows/],
    ]
    for (const [name, mutate, pattern] of cases) {
      const t = structuredClone(good) as RecordingTiming & Record<string, unknown>
      mutate(t)
      const result = validateRecording(withTiming(t))
      expect(result.ok, name).toBe(false)
      if (result.ok) continue
      expect(result.error.code, name).toBe('bad-field')
      expect(result.error.message.en, name).toMatch(pattern)
      expect(result.error.message.zh, name).toMatch(/[\u4e00-\u9fff]/)
    }
    // More rows than frames.
    const result = validateRecording(withTiming(traceOf(8), 6))
    expect(result.ok).toBe(false)
    expect(result.ok ? '' : result.error.message.en).toMatch(/8 rows but the recording has only 6 frames/)
    expect(validateRecording(withTiming('nope')).ok).toBe(false)
  })

  it('matches the JSON schema: required fields, constants, base columns', () => {
    const def = schema.$defs.timing
    expect(schema.properties.timing.$ref).toBe('#/$defs/timing')
    const t = traceOf(4) as unknown as Record<string, unknown>
    expect(Object.keys(t).sort()).toEqual([...def.required].sort())
    expect(Object.keys(def.properties).sort()).toEqual([...def.required].sort())
    expect(def.properties.format.const).toBe(TIMING_FORMAT)
    expect(def.properties.version.const).toBe(TIMING_VERSION)
    expect(def.properties.columns.prefixItems.map((c: { const: string }) => c.const)).toEqual([...TIMING_BASE_COLUMNS])
  })
})
