// @ts-check
// `npm run bench -- --trace FILE`: the benchmark's figures for a frame-timing trace, the optional
// `timing` part of an xr-sessions recording (or that object alone), so a take recorded on a Quest
// is read like a benchmark run. Prints frames, CPU over budget, display misses, interval, GPU time,
// phase means and every lever's levels, and writes a plot (HTML and PNG) like the benchmark's.
//
// The format (written by the recorder; the replay ignores it):
//   { format: 'lingjing-frame-timing', version: 1, refreshHz, budgetMs, gpuSource, phases, levers,
//     columns: ['frame','cpuMs','intervalMs','missed','gpuMs', ...phases, ...'lever:ID'], rows }
// gpuMs is -1 on frames without a timer result; a lever column is -1 where the lever was not registered.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { longestMissRun, mean, MISS_PERIODS, percentile } from './frame-stats.mjs'

/** The trace format this reader understands. */
export const TRACE_FORMAT = 'lingjing-frame-timing'
/** The trace version this reader understands. */
export const TRACE_VERSION = 1
/** Columns every trace has, in this order, before the phases and levers. */
export const FIXED_COLUMNS = ['frame', 'cpuMs', 'intervalMs', 'missed', 'gpuMs']

/**
 * @typedef {{
 *   format: string, version: number, refreshHz: number, budgetMs: number, gpuSource: string,
 *   phases: string[], levers: { id: string, maxLevel: number }[], columns: string[], rows: number[][]
 * }} TimingTrace
 */

/** A trace that cannot be read: the message says what is wrong, in Chinese and English. */
export class TraceError extends Error {
  /**
   * @param {string} zh
   * @param {string} en
   */
  constructor(zh, en) {
    super(`${zh} / ${en}`)
    this.name = 'TraceError'
    this.zh = zh
    this.en = en
  }
}

/**
 * Reads a trace from JSON text: a recording with a `timing` part, or a bare timing object.
 * Throws {@link TraceError} naming the first problem found.
 * @param {string} text
 * @returns {TimingTrace}
 */
export function parseTimingTrace(text) {
  /** @type {unknown} */
  let data
  try {
    data = JSON.parse(text)
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    throw new TraceError(`不是有效的 JSON：${why}`, `not valid JSON: ${why}`)
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new TraceError('顶层应为 JSON 对象', 'the top level must be a JSON object')
  const object = /** @type {Record<string, unknown>} */ (data)
  // A recording carries it as `timing`; a bare timing object has rows of its own.
  const timing = object.timing !== undefined ? object.timing : object.format === TRACE_FORMAT || 'rows' in object ? object : undefined
  if (timing === undefined) {
    throw new TraceError(
      '没有帧时序数据：录制文件缺少 "timing" 部分（在头显上录制时开启帧时序记录）',
      'no frame timing: the recording has no "timing" part (record the take with frame timing on)',
    )
  }
  return validateTiming(timing)
}

/**
 * Checks a timing object field by field.
 * @param {unknown} value
 * @returns {TimingTrace}
 */
export function validateTiming(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TraceError('"timing" 应为对象', '"timing" must be an object')
  const t = /** @type {Record<string, unknown>} */ (value)
  if (t.format !== TRACE_FORMAT) throw new TraceError(`"format" 应为 "${TRACE_FORMAT}"，实际为 ${JSON.stringify(t.format)}`, `"format" must be "${TRACE_FORMAT}", got ${JSON.stringify(t.format)}`)
  if (t.version !== TRACE_VERSION) {
    throw new TraceError(`不支持的版本 ${JSON.stringify(t.version)}（本工具读取版本 ${TRACE_VERSION}）`, `unsupported version ${JSON.stringify(t.version)} (this reader reads version ${TRACE_VERSION})`)
  }
  for (const key of ['refreshHz', 'budgetMs']) {
    const v = t[key]
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new TraceError(`"${key}" 应为大于 0 的数，实际为 ${JSON.stringify(v)}`, `"${key}" must be a number above 0, got ${JSON.stringify(v)}`)
  }
  if (typeof t.gpuSource !== 'string') throw new TraceError('"gpuSource" 应为字符串', '"gpuSource" must be a string')
  if (!Array.isArray(t.phases) || !t.phases.every((p) => typeof p === 'string')) throw new TraceError('"phases" 应为字符串数组', '"phases" must be an array of strings')
  if (!Array.isArray(t.levers)) throw new TraceError('"levers" 应为数组', '"levers" must be an array')
  t.levers.forEach((lever, i) => {
    const l = /** @type {Record<string, unknown>} */ (lever ?? {})
    if (typeof l.id !== 'string' || typeof l.maxLevel !== 'number' || !Number.isInteger(l.maxLevel) || l.maxLevel < 1) {
      throw new TraceError(`levers[${i}] 应为 { id: 字符串, maxLevel: 正整数 }`, `levers[${i}] must be { id: string, maxLevel: positive integer }`)
    }
  })
  const levers = /** @type {{ id: string, maxLevel: number }[]} */ (t.levers)
  const phases = /** @type {string[]} */ (t.phases)
  const expected = [...FIXED_COLUMNS, ...phases, ...levers.map((l) => `lever:${l.id}`)]
  if (!Array.isArray(t.columns) || t.columns.length !== expected.length || expected.some((c, i) => /** @type {unknown[]} */ (t.columns)[i] !== c)) {
    throw new TraceError(`"columns" 应为 ${JSON.stringify(expected)}`, `"columns" must be ${JSON.stringify(expected)} (from the phases and levers)`)
  }
  if (!Array.isArray(t.rows)) throw new TraceError('"rows" 应为数组', '"rows" must be an array')
  if (t.rows.length === 0) throw new TraceError('"rows" 为空：没有录到帧', '"rows" is empty: no frames were recorded')
  const width = expected.length
  t.rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== width) throw new TraceError(`第 ${i} 行应有 ${width} 个数`, `row ${i} must have ${width} numbers`)
    const bad = row.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v))
    if (bad >= 0) throw new TraceError(`第 ${i} 行的 "${expected[bad]}" 不是有限数：${JSON.stringify(row[bad])}`, `row ${i}, column "${expected[bad]}" is not a finite number: ${JSON.stringify(row[bad])}`)
  })
  return /** @type {TimingTrace} */ (/** @type {unknown} */ (t))
}

/**
 * One column of a trace as numbers.
 * @param {TimingTrace} trace
 * @param {string} name
 */
export function traceColumn(trace, name) {
  const c = trace.columns.indexOf(name)
  return c < 0 ? [] : trace.rows.map((row) => row[c])
}

/**
 * The benchmark's figures for a trace.
 * @param {TimingTrace} trace
 */
export function summariseTrace(trace) {
  const cpu = traceColumn(trace, 'cpuMs')
  const intervalsAll = traceColumn(trace, 'intervalMs')
  // The first frame has no previous one: its interval is 0 and says nothing.
  const intervals = intervalsAll.filter((v) => v > 0)
  const missedFlags = traceColumn(trace, 'missed').map((v) => v !== 0)
  const gpu = traceColumn(trace, 'gpuMs').filter((v) => v >= 0)
  const n = trace.rows.length
  const over = cpu.filter((c) => c > trace.budgetMs).length
  const missed = missedFlags.filter(Boolean).length
  // The same rule from the intervals, as a check on the recorder's flag.
  const missedByInterval = intervalsAll.filter((v) => v > MISS_PERIODS * trace.budgetMs).length
  let longestMissed = 0
  let run = 0
  for (const m of missedFlags) {
    run = m ? run + 1 : 0
    longestMissed = Math.max(longestMissed, run)
  }
  /** @type {Record<string, number>} */
  const phaseMeanMs = {}
  for (const phase of trace.phases) phaseMeanMs[phase] = mean(traceColumn(trace, phase))
  const levers = trace.levers.map((lever) => {
    const levels = traceColumn(trace, `lever:${lever.id}`)
    const registered = levels.map((l, i) => ({ l, i })).filter(({ l }) => l >= 0)
    const atLevel = []
    for (let level = 0; level <= lever.maxLevel; level++) {
      const frames = registered.filter(({ l }) => l === level)
      atLevel.push({
        level,
        frames: frames.length,
        pct: (100 * frames.length) / Math.max(1, registered.length),
        // Wall time at the level: the display intervals of those frames.
        seconds: frames.reduce((s, { i }) => s + Math.max(0, intervalsAll[i]), 0) / 1000,
      })
    }
    return {
      id: lever.id,
      maxLevel: lever.maxLevel,
      framesRegistered: registered.length,
      meanLevel: mean(registered.map(({ l }) => l)),
      atLevel,
    }
  })
  return {
    frames: n,
    refreshHz: trace.refreshHz,
    budgetMs: trace.budgetMs,
    gpuSource: trace.gpuSource,
    cpuOverBudget: over,
    cpuOverBudgetPct: (100 * over) / n,
    cpuP50Ms: percentile(cpu, 50),
    cpuP95Ms: percentile(cpu, 95),
    longestCpuMissRun: longestMissRun(cpu, trace.budgetMs),
    displayMissed: missed,
    displayMissedPct: (100 * missed) / n,
    displayMissedByInterval: missedByInterval,
    longestDisplayMissRun: longestMissed,
    intervalP50Ms: percentile(intervals, 50),
    intervalP95Ms: percentile(intervals, 95),
    gpuFrames: gpu.length,
    gpuP50Ms: gpu.length ? percentile(gpu, 50) : null,
    gpuP95Ms: gpu.length ? percentile(gpu, 95) : null,
    phaseMeanMs,
    levers,
  }
}

/**
 * Prints a trace's figures as the benchmark prints a run.
 * @param {ReturnType<typeof summariseTrace>} s
 * @param {string} name
 */
export function reportTrace(s, name) {
  console.log(`\nFrame-timing trace ${name}: ${s.frames} frames at ${s.refreshHz} Hz, budget ${s.budgetMs.toFixed(2)} ms, GPU time from ${s.gpuSource}`)
  console.table({
    'CPU (frame callback)': {
      'over budget': `${s.cpuOverBudget} (${s.cpuOverBudgetPct.toFixed(1)}%)`,
      'p50 ms': s.cpuP50Ms.toFixed(2),
      'p95 ms': s.cpuP95Ms.toFixed(2),
      'longest miss run': s.longestCpuMissRun,
    },
    'display interval': {
      'over budget': `${s.displayMissed} missed (${s.displayMissedPct.toFixed(1)}%); ${s.displayMissedByInterval} by interval > ${MISS_PERIODS} × budget`,
      'p50 ms': s.intervalP50Ms.toFixed(2),
      'p95 ms': s.intervalP95Ms.toFixed(2),
      'longest miss run': s.longestDisplayMissRun,
    },
    'GPU time': {
      'over budget': `${s.gpuFrames} frames with a timer result`,
      'p50 ms': s.gpuP50Ms === null ? 'none' : s.gpuP50Ms.toFixed(2),
      'p95 ms': s.gpuP95Ms === null ? 'none' : s.gpuP95Ms.toFixed(2),
      'longest miss run': '',
    },
  })
  console.table(Object.fromEntries(Object.entries(s.phaseMeanMs).map(([phase, ms]) => [phase, { 'mean ms': ms.toFixed(3) }])))
  if (s.levers.length > 0) {
    console.table(
      s.levers.map((l) => ({
        lever: l.id,
        'frames registered': l.framesRegistered,
        'mean level': `${l.meanLevel.toFixed(2)} / ${l.maxLevel}`,
        ...Object.fromEntries(l.atLevel.map((a) => [`at ${a.level}`, `${a.pct.toFixed(0)}% (${a.seconds.toFixed(1)} s)`])),
      })),
    )
  }
}

/**
 * The trace as an HTML page with SVG plots: CPU, GPU and interval per frame against the budget and
 * the miss threshold, missed frames marked; below, every lever's level per frame.
 * @param {TimingTrace} trace
 * @param {string} name
 */
export function plotTrace(trace, name) {
  const width = 1100
  const height = 260
  const x = (/** @type {number} */ i) => 50 + (i / Math.max(1, trace.rows.length - 1)) * (width - 60)
  const cpu = traceColumn(trace, 'cpuMs')
  const interval = traceColumn(trace, 'intervalMs')
  const gpu = traceColumn(trace, 'gpuMs')
  const missed = traceColumn(trace, 'missed')
  const threshold = MISS_PERIODS * trace.budgetMs
  const maxY = Math.max(threshold * 1.5, percentile(interval, 99), percentile(cpu, 99)) * 1.1
  const y = (/** @type {number} */ v) => height - 20 - (Math.min(v, maxY) / maxY) * (height - 40)
  const line = (/** @type {number[]} */ values, /** @type {string} */ colour) => {
    const points = values.map((v, i) => (v >= 0 ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : null)).filter(Boolean)
    return points.length ? `<polyline fill="none" stroke="${colour}" stroke-width="1.2" points="${points.join(' ')}"/>` : ''
  }
  const marks = missed.map((m, i) => (m ? `<line x1="${x(i).toFixed(1)}" x2="${x(i).toFixed(1)}" y1="${height - 20}" y2="${height - 14}" stroke="#d9534f"/>` : '')).join('')
  const hline = (/** @type {number} */ v, /** @type {string} */ label) =>
    `<line x1="50" x2="${width - 10}" y1="${y(v)}" y2="${y(v)}" stroke="#000" stroke-dasharray="6 4"/><text x="52" y="${y(v) - 4}" font-size="11">${label}</text>`
  const timing = `<svg width="${width}" height="${height}" style="background:#fff;border:1px solid #ccc">
    ${hline(trace.budgetMs, `budget ${trace.budgetMs.toFixed(1)} ms`)}${hline(threshold, `miss threshold ${threshold.toFixed(1)} ms`)}
    <text x="4" y="16" font-size="11">${maxY.toFixed(0)} ms</text><text x="4" y="${height - 20}" font-size="11">0</text>
    ${line(interval, '#888')}${line(gpu, '#27ae60')}${line(cpu, '#2e86de')}${marks}</svg>`
  const leverHeight = 60
  const levers = trace.levers
    .map((lever) => {
      const levels = traceColumn(trace, `lever:${lever.id}`)
      const ly = (/** @type {number} */ l) => leverHeight - 8 - (l / lever.maxLevel) * (leverHeight - 16)
      const points = levels.map((l, i) => (l >= 0 ? `${x(i).toFixed(1)},${ly(l).toFixed(1)}` : null)).filter(Boolean)
      return `<div style="font-size:12px">${escapeHtml(lever.id)} (0–${lever.maxLevel})</div><svg width="${width}" height="${leverHeight}" style="background:#fff;border:1px solid #ccc"><polyline fill="none" stroke="#8e44ad" stroke-width="1.5" points="${points.join(' ')}"/></svg>`
    })
    .join('')
  const legend = '<span style="color:#888">■ display interval</span> &nbsp; <span style="color:#27ae60">■ GPU time</span> &nbsp; <span style="color:#2e86de">■ CPU (frame callback)</span> &nbsp; <span style="color:#d9534f">| missed display frame</span>'
  return `<!doctype html><meta charset="utf-8"><title>Lingjing frame-timing trace</title><body style="font-family:sans-serif;margin:16px"><h2>Frame-timing trace ${escapeHtml(name)}</h2><p>${legend}</p>${timing}<h3>Lever levels</h3>${levers}</body>`
}

/**
 * @param {string} text
 */
function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c)
}

/**
 * The command: read, print, plot. Returns the exit code (0, or 2 for a file that cannot be read).
 * @param {string} path
 * @param {string} outDir
 * @param {{ log: (...parts: unknown[]) => void, screenshot?: (html: string, file: string) => Promise<void> }} deps
 * @returns {Promise<number>}
 */
export async function runTraceCommand(path, outDir, { log, screenshot }) {
  if (!existsSync(path)) {
    console.error(`[bench] 找不到文件 ${path} / no such file: ${path} (give an xr-sessions recording with a "timing" part, or a bare timing object)`)
    return 2
  }
  /** @type {TimingTrace} */
  let trace
  try {
    trace = parseTimingTrace(readFileSync(path, 'utf8'))
  } catch (error) {
    if (!(error instanceof TraceError)) throw error
    console.error(`[bench] ${basename(path)}: ${error.message}`)
    console.error('[bench] 格式见 src/bench/README.md / the format is described in src/bench/README.md ("Frame-timing traces")')
    return 2
  }
  const name = basename(path).replace(/\.json$/, '')
  reportTrace(summariseTrace(trace), name)
  mkdirSync(outDir, { recursive: true })
  const html = plotTrace(trace, name)
  const htmlPath = resolve(outDir, `trace-${name}.html`)
  writeFileSync(htmlPath, html)
  if (screenshot) await screenshot(html, resolve(outDir, `trace-${name}.png`))
  log(`wrote ${htmlPath}${screenshot ? ' and its .png' : ''}`)
  return 0
}
