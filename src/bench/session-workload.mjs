// @ts-check
// The shipped xr-sessions as the benchmark's workload (`npm run bench`, section "sessions"): each
// session under xr-sessions/ (found through its *.meta.json) is replayed deterministically — one
// recorded frame per app frame, clock and RNG from the recording, so every arm runs exactly the
// same frames of real experience work — in fresh pages, arms interleaved, at 1× and 4× CPU:
//
//   A      governor off, NO synthetic load   } real work: the primary evidence (issue #14)
//   C      Lingjing governor, NO synthetic load }
//   floor  governor off, every lever pinned at 0: run at 4× only where C misses more than 0.33 × A,
//          to measure the floor no governor can go below
//   A~ C~  as A and C plus the SYNTHETIC steady load ladder, at 1× (only with --sessions-synthetic)
//
// Only the app frames that replayed a recorded frame count (the harness tags each frame with the
// replay's frame index). Each run counts CPU over-budget frames (the frame callback's cost) and
// missed display frames (interval over 1.5 refresh periods), checks the session's expected outcome
// and reports its end state hash, so a workload that did not do what it should is visible next to
// its figures.
import { longestMissRun, missedFrames, percentile } from './frame-stats.mjs'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/** @typedef {{ name: string, meta: { experience: string, expected?: { snapshot?: Record<string, unknown> } }, frames: number }} ShippedSession */

/** @typedef {{ id: string, name: string, governor: string, load: boolean, pin: number | null, synthetic: boolean }} SessionArm */

/**
 * The arms of the sessions section. `pin` 0 holds every lever at its lowest level.
 * @type {SessionArm[]}
 */
export const SESSION_ARMS = [
  { id: 'A', name: 'governor off, real work only', governor: 'off', load: false, pin: null, synthetic: false },
  { id: 'C', name: 'Lingjing governor, real work only', governor: 'on', load: false, pin: null, synthetic: false },
  { id: 'A~', name: 'governor off + synthetic steady load', governor: 'off', load: true, pin: null, synthetic: true },
  { id: 'C~', name: 'Lingjing governor + synthetic steady load', governor: 'on', load: true, pin: null, synthetic: true },
]
/**
 * The floor arm: governor off, every lever at its lowest, real work only.
 * @type {SessionArm}
 */
export const FLOOR_ARM = { id: 'floor', name: 'every lever at its lowest (governor off)', governor: 'off', load: false, pin: 0, synthetic: false }
/** CPU throttles of the real-work arms. */
export const SESSION_THROTTLES = [1, 4]

/**
 * Every shipped session: `xr-sessions/NAME.meta.json` next to `NAME.json`, sorted by name.
 * @param {string} root repository root
 * @returns {ShippedSession[]}
 */
export function findShippedSessions(root) {
  const dir = join(root, 'xr-sessions')
  return /** @type {string[]} */ (readdirSync(dir, { recursive: true }))
    .map((file) => file.replace(/\\/g, '/'))
    .filter((file) => file.endsWith('.meta.json'))
    .sort()
    .map((file) => {
      const name = file.replace(/\.meta\.json$/, '')
      const recording = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'))
      return { name, meta: JSON.parse(readFileSync(join(dir, file), 'utf8')), frames: recording.frames.length }
    })
}

/**
 * The sessions a run replays: all of them, or with `quick` the shortest of each experience (the
 * Tianhe tasks alone are thousands of frames, minutes per arm on a small machine).
 * @param {ShippedSession[]} sessions
 * @param {boolean} quick
 * @returns {ShippedSession[]}
 */
export function selectSessions(sessions, quick) {
  if (!quick) return sessions
  /** @type {Map<string, ShippedSession>} */
  const shortest = new Map()
  for (const s of sessions) {
    const best = shortest.get(s.meta.experience)
    if (!best || s.frames < best.frames) shortest.set(s.meta.experience, s)
  }
  return sessions.filter((s) => shortest.get(s.meta.experience) === s)
}

/**
 * True when `actual` has every field of `expected` with the same value (objects recursively), the
 * rule of Playwright's toMatchObject that the e2e suite applies to the same metadata.
 * @param {unknown} actual
 * @param {unknown} expected
 * @returns {boolean}
 */
export function matchesPartially(actual, expected) {
  if (expected === null || typeof expected !== 'object') return Object.is(actual, expected)
  if (actual === null || typeof actual !== 'object') return false
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((v, i) => matchesPartially(actual[i], v))
  }
  const a = /** @type {Record<string, unknown>} */ (actual)
  return Object.entries(expected).every(([key, value]) => matchesPartially(a[key], value))
}


/**
 * Figures of one replay from the harness record: only the app frames that replayed a recorded frame.
 * @param {{ costs: number[], quality: number[], budgetMs: number, replayFrames: number[], phases: string[], phaseCosts: number[], intervals?: number[] }} run
 */
export function summariseReplayRun(run) {
  const P = run.phases.length
  /** @type {number[]} */ const costs = []
  /** @type {number[]} */ const quality = []
  /** @type {number[]} */ const intervals = []
  const phaseSums = new Array(P).fill(0)
  const seen = new Set()
  for (let i = 1; i < run.costs.length; i++) {
    const frame = run.replayFrames[i]
    // Entry i holds the cost of the app frame before it; that frame handed out `frame` if the index moved.
    if (frame < 0 || frame === run.replayFrames[i - 1]) continue
    seen.add(frame)
    costs.push(run.costs[i])
    quality.push(run.quality[i])
    // The interval ending at entry i spans the same app frame as its cost.
    if (run.intervals) intervals.push(run.intervals[i])
    for (let p = 0; p < P; p++) phaseSums[p] += run.phaseCosts[i * P + p]
  }
  const longest = longestMissRun(costs, run.budgetMs)
  const n = Math.max(1, costs.length)
  const meanCost = costs.reduce((a, b) => a + b, 0) / n
  /** @type {Record<string, number>} */ const phaseMeanMs = {}
  run.phases.forEach((phase, p) => (phaseMeanMs[phase] = phaseSums[p] / n))
  const over = costs.filter((c) => c > run.budgetMs).length
  const displayMissed = missedFrames(intervals, run.budgetMs).filter(Boolean).length
  return {
    frames: costs.length,
    distinctRecordedFrames: seen.size,
    budgetMs: run.budgetMs,
    overBudget: over,
    withinPct: (100 * (costs.length - over)) / n,
    meanMs: meanCost,
    p50Ms: percentile(costs, 50),
    p95Ms: percentile(costs, 95),
    p99Ms: percentile(costs, 99),
    maxMs: costs.length ? Math.max(...costs) : 0,
    longestMissRun: longest,
    meanQuality: quality.reduce((a, b) => a + b, 0) / n,
    phaseMeanMs,
    /** Frames whose display interval was over 1.5 refresh periods of the app's budget. */
    displayMissed,
    displayMissedPct: (100 * displayMissed) / Math.max(1, intervals.length),
    intervalP50Ms: percentile(intervals, 50),
    intervalP95Ms: percentile(intervals, 95),
  }
}

/**
 * Replays one session in one arm at one CPU throttle, in a fresh page.
 * @param {{ open: OpenPage, log: (...parts: unknown[]) => void }} deps
 * @param {ShippedSession} session
 * @param {SessionArm} arm
 * @param {number} throttle
 * @param {number} workPerMs
 */
async function replayOnce({ open, log }, session, arm, throttle, workPerMs) {
  const work = arm.load ? workPerMs : 0
  const { page, context, errors } = await open(`/?replay=${session.name}&replayMode=deterministic&bench=steady&workPerMs=${work}&governor=${arm.governor}&lang=en`, { throttle })
  if (arm.pin !== null) await page.evaluate((pin) => /** @type {any} */ (window).lingjingBench.pinLevels(pin), arm.pin)
  // The replay enters the recorded experience and its immersive session (VR or AR) by itself.
  await page.waitForFunction(() => /** @type {any} */ (window.lingjing?.snapshot().replay)?.ended === true, null, { timeout: 1_800_000, polling: 250 })
  // The last replayed frame's cost is recorded by the frame after it.
  const after = await page.evaluate(() => window.lingjing?.snapshot().frame.frames ?? 0)
  await page.waitForFunction((n) => (window.lingjing?.snapshot().frame.frames ?? 0) >= n, after + 2, { timeout: 120_000, polling: 100 })
  const run = await page.evaluate(() => /** @type {any} */ (window).lingjingBench.stop())
  const snap = await page.evaluate(() => window.lingjing?.snapshot())
  const replay = /** @type {any} */ (snap?.replay)
  const expected = session.meta.expected?.snapshot ?? {}
  const summary = summariseReplayRun(run)
  const entry = {
    session: session.name,
    experience: session.meta.experience,
    mode: /** @type {any} */ (snap?.xr)?.mode ?? null,
    arm: arm.id,
    armName: arm.name,
    synthetic: arm.synthetic,
    throttle,
    recordedFrames: session.frames,
    ...summary,
    outcomeOk: matchesPartially(snap, expected),
    stateHash: replay?.stateHash ?? '',
    pageErrors: errors,
    // Tianhe counts its worst frame per zone (both eyes); the content budget is checked per eye.
    zoneStats: /** @type {any} */ (snap)?.tianhe?.perZone ?? null,
    views: /** @type {any} */ (snap)?.tianhe?.views ?? 1,
    // Draw calls and triangles per eye where the app reports them (snapshot().render).
    render: /** @type {any} */ (snap)?.render ?? null,
  }
  log(
    `session ${session.name} ${throttle}× ${arm.id.padEnd(5)}: ${summary.frames}/${session.frames} frames, CPU p50 ${summary.p50Ms.toFixed(2)} p95 ${summary.p95Ms.toFixed(2)} ms, ` +
      `${summary.overBudget} over budget, ${summary.displayMissed} display misses (interval p50 ${summary.intervalP50Ms.toFixed(1)} ms), quality ${summary.meanQuality.toFixed(2)}, outcome ${entry.outcomeOk ? 'ok' : 'NOT MET'}`,
  )
  await context.close()
  return entry
}

/**
 * @typedef {(path: string, options?: { throttle?: number }) => Promise<{ page: import('@playwright/test').Page, context: import('@playwright/test').BrowserContext, errors: string[] }>} OpenPage
 */

/**
 * Whether C failed the real-work target against A for one session at one throttle: A misses more
 * than 1 % and C more than 0.33 × A, on CPU over-budget or display misses.
 * @param {any} a
 * @param {any} c
 */
export function sessionTargetMissed(a, c) {
  const fails = (/** @type {number} */ ma, /** @type {number} */ mc, /** @type {number} */ n) => ma > 0.01 * n && mc > 0.33 * ma
  return fails(a.overBudget, c.overBudget, a.frames) || fails(a.displayMissed, c.displayMissed, a.frames)
}

/**
 * Replays every shipped session in each arm at each throttle (interleaved, rotating the order), and
 * the floor arm at 4× wherever C did not meet the target there.
 * @param {{ root: string, quick: boolean, synthetic?: boolean, workPerMs: number, open: OpenPage, log: (...parts: unknown[]) => void }} options
 */
export async function runSessionWorkload({ root, quick, synthetic = false, workPerMs, open, log }) {
  const sessions = selectSessions(findShippedSessions(root), quick)
  const real = SESSION_ARMS.filter((arm) => !arm.synthetic)
  /** @type {Awaited<ReturnType<typeof replayOnce>>[]} */
  const runs = []
  let rotation = 0
  for (const session of sessions) {
    for (const throttle of SESSION_THROTTLES) {
      const order = real.map((_, i) => real[(i + rotation) % real.length])
      rotation++
      for (const arm of order) runs.push(await replayOnce({ open, log }, session, arm, throttle, workPerMs))
    }
    const at4 = (/** @type {string} */ id) => runs.find((r) => r.session === session.name && r.throttle === 4 && r.arm === id)
    if (sessionTargetMissed(at4('A'), at4('C'))) runs.push(await replayOnce({ open, log }, session, FLOOR_ARM, 4, workPerMs))
    if (synthetic) for (const arm of SESSION_ARMS.filter((a) => a.synthetic)) runs.push(await replayOnce({ open, log }, session, arm, 1, workPerMs))
  }
  return runs
}

/**
 * Sums of one experience's runs in one arm at one throttle (every session of it).
 * @param {any[]} runs
 */
function sumRuns(runs) {
  const frames = runs.reduce((n, r) => n + r.frames, 0)
  const phases = /** @type {Record<string, number>} */ ({})
  for (const r of runs) for (const [phase, ms] of Object.entries(r.phaseMeanMs)) phases[phase] = (phases[phase] ?? 0) + ms * r.frames
  return {
    frames,
    overBudget: runs.reduce((n, r) => n + r.overBudget, 0),
    displayMissed: runs.reduce((n, r) => n + r.displayMissed, 0),
    cpuP50Ms: percentile(runs.map((r) => r.p50Ms), 50),
    intervalP50Ms: percentile(runs.map((r) => r.intervalP50Ms), 50),
    budgetMs: runs[0]?.budgetMs ?? 0,
    meanQuality: runs.reduce((n, r) => n + r.meanQuality * r.frames, 0) / Math.max(1, frames),
    phaseMeanMs: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, v / Math.max(1, frames)])),
  }
}

/**
 * Per experience and throttle, arms A, C (and the floor where it ran), summed over its sessions.
 * @param {any[]} runs
 */
export function compareSessionArms(runs) {
  const rows = []
  const real = runs.filter((r) => !r.synthetic)
  for (const experience of [...new Set(real.map((r) => r.experience))]) {
    for (const throttle of [...new Set(real.map((r) => r.throttle))]) {
      const of = (/** @type {string} */ arm) => real.filter((r) => r.experience === experience && r.throttle === throttle && r.arm === arm)
      const [a, c, floor] = [of('A'), of('C'), of('floor')]
      if (a.length === 0 || c.length === 0) continue
      rows.push({ experience, throttle, A: sumRuns(a), C: sumRuns(c), floor: floor.length ? sumRuns(floor) : null })
    }
  }
  return rows
}

/**
 * What the floor is made of, in words, from its measured figures: which side keeps frames over.
 * @param {ReturnType<typeof sumRuns>} floor
 */
export function explainFloor(floor) {
  const parts = []
  if (floor.intervalP50Ms > 1.5 * floor.budgetMs) {
    parts.push(
      `GPU side: with every lever at its lowest the display interval p50 is ${floor.intervalP50Ms.toFixed(1)} ms, over the miss threshold ${(1.5 * floor.budgetMs).toFixed(1)} ms; ` +
        `only a faster rasteriser (a real GPU) or fewer pixels per view (viewport scale) lowers it`,
    )
  }
  if (floor.overBudget > 0.01 * floor.frames) {
    const [phase, ms] = Object.entries(floor.phaseMeanMs).sort((x, y) => y[1] - x[1])[0] ?? ['?', 0]
    parts.push(
      `CPU side: with every lever at its lowest ${floor.overBudget}/${floor.frames} frames are over the ${floor.budgetMs.toFixed(1)} ms budget (p50 ${floor.cpuP50Ms.toFixed(2)} ms); ` +
        `the largest phase is ${phase} at ${ms.toFixed(2)} ms a frame: less unscalable work there lowers it`,
    )
  }
  return parts.length ? parts.join('; ') : 'the floor itself fits: the governor leaves room it could take'
}

/**
 * The real-work targets: at 4×, in every experience where A misses more than 1 %, C's misses ≤ 0.33
 * × A's (display misses, and CPU over-budget frames), with the floor where it was measured.
 * @param {any[]} runs
 */
export function sessionTargets(runs) {
  const out = []
  for (const row of compareSessionArms(runs)) {
    if (row.throttle !== 4) continue
    for (const [kind, key] of /** @type {const} */ ([['display misses', 'displayMissed'], ['CPU over budget', 'overBudget']])) {
      const [a, c] = [row.A[key], row.C[key]]
      if (a <= 0.01 * row.A.frames) {
        out.push({ name: `real work ${row.experience} 4×: ${kind}, C / A`, value: `A ${a}/${row.A.frames} ≤ 1 %`, goal: '≤0.33 where A > 1 %', met: true })
        continue
      }
      const met = c / a <= 0.33
      // As rates: the floor runs once, A may have run more rounds.
      const floorRatio = row.floor ? row.floor[key] / row.floor.frames / (a / row.A.frames) : 0
      const floorNote = row.floor ? `; floor ${row.floor[key]}/${row.floor.frames} (${floorRatio.toFixed(3)} × A): ${explainFloor(row.floor)}` : ''
      out.push({ name: `real work ${row.experience} 4×: ${kind}, C / A`, value: `${(c / a).toFixed(3)}${met ? '' : floorNote}`, goal: '≤0.33 (or floor measured)', met })
      if (!met && row.floor) {
        // A floor above the target means no governor could meet it here; one below it means this one did not.
        out.push({ name: `real work ${row.experience} 4×: ${kind}, floor / A (every lever at its lowest)`, value: floorRatio.toFixed(3), goal: '>0.33 (then the floor, not the governor, limits C)', met: floorRatio > 0.33 })
      }
    }
  }
  return out
}

/**
 * Prints the sessions tables: every run, where the frame goes, and per session whether every arm
 * ended in the same state.
 * @param {Awaited<ReturnType<typeof runSessionWorkload>>} runs
 */
export function reportSessions(runs) {
  if (runs.length === 0) return
  console.log('\nSessions replayed (real work; arms A~ and C~ add the SYNTHETIC load ladder):')
  console.table(
    runs.map((r) => ({
      session: r.session,
      cpu: `${r.throttle}×`,
      arm: `${r.arm} ${r.armName}`,
      frames: `${r.frames}/${r.recordedFrames}`,
      'CPU over budget': r.overBudget,
      'CPU p50 / p95 ms': `${r.p50Ms.toFixed(2)} / ${r.p95Ms.toFixed(2)}`,
      'display missed': `${r.displayMissed} (${r.displayMissedPct.toFixed(1)}%)`,
      'interval p50 / p95 ms': `${r.intervalP50Ms.toFixed(1)} / ${r.intervalP95Ms.toFixed(1)}`,
      'longest CPU miss run': r.longestMissRun,
      'mean quality': r.meanQuality.toFixed(2),
      'draw calls / triangles per eye': r.render ? `${r.render.drawCallsPerEye} / ${r.render.trianglesPerEye}` : '',
      outcome: r.outcomeOk ? 'ok' : 'NOT MET',
    })),
  )
  // Where the frame goes: mean ms per phase over the replayed frames.
  console.table(
    runs.map((r) => ({
      session: r.session,
      cpu: `${r.throttle}×`,
      arm: r.arm,
      ...Object.fromEntries(Object.entries(r.phaseMeanMs).map(([phase, ms]) => [`${phase} ms`, Number(ms).toFixed(2)])),
      'mean ms': r.meanMs.toFixed(2),
    })),
  )
  console.table(
    compareSessionArms(runs).map((row) => ({
      experience: row.experience,
      cpu: `${row.throttle}×`,
      'A / C display missed': `${row.A.displayMissed} / ${row.C.displayMissed} of ${row.A.frames}`,
      'A / C CPU over budget': `${row.A.overBudget} / ${row.C.overBudget}`,
      'A / C quality': `${row.A.meanQuality.toFixed(2)} / ${row.C.meanQuality.toFixed(2)}`,
      floor: row.floor ? `display ${row.floor.displayMissed}, CPU ${row.floor.overBudget} of ${row.floor.frames}` : '',
    })),
  )
  /** @type {Map<string, typeof runs>} */
  const bySession = new Map()
  for (const r of runs) bySession.set(r.session, [...(bySession.get(r.session) ?? []), r])
  console.table(
    [...bySession].map(([session, list]) => ({
      session,
      'same end state in every arm': new Set(list.map((r) => r.stateHash)).size === 1 ? 'yes' : 'NO',
      'every frame replayed': list.every((r) => r.distinctRecordedFrames === r.recordedFrames) ? 'yes' : 'NO',
    })),
  )
}

/** Tianhe's content budget per eye, wherever the wearer looks (issue #5). */
export const CONTENT_BUDGET = { drawCallsPerEye: 100, trianglesPerEye: 750_000 }

/**
 * The worst frame per Tianhe zone over every replayed session and arm, per eye, against the
 * content budget. Zones no session entered are left out (their frame count is 0).
 * @param {{ zoneStats: Record<string, { drawCalls: number, triangles: number, frames: number }> | null, views: number, session: string }[]} runs
 */
export function summariseContentBudget(runs) {
  /** @type {Map<string, { zone: string, drawCallsPerEye: number, trianglesPerEye: number, frames: number, sessions: Set<string> }>} */
  const zones = new Map()
  for (const run of runs) {
    if (!run.zoneStats) continue
    const views = Math.max(1, run.views)
    for (const [zone, row] of Object.entries(run.zoneStats)) {
      if (row.frames === 0) continue
      const z = zones.get(zone) ?? { zone, drawCallsPerEye: 0, trianglesPerEye: 0, frames: 0, sessions: new Set() }
      z.drawCallsPerEye = Math.max(z.drawCallsPerEye, row.drawCalls / views)
      z.trianglesPerEye = Math.max(z.trianglesPerEye, row.triangles / views)
      z.frames += row.frames
      z.sessions.add(run.session)
      zones.set(zone, z)
    }
  }
  return [...zones.values()].map((z) => ({
    zone: z.zone,
    drawCallsPerEye: Math.ceil(z.drawCallsPerEye),
    trianglesPerEye: Math.ceil(z.trianglesPerEye),
    frames: z.frames,
    sessions: [...z.sessions].sort(),
    withinBudget: z.drawCallsPerEye <= CONTENT_BUDGET.drawCallsPerEye && z.trianglesPerEye <= CONTENT_BUDGET.trianglesPerEye,
  }))
}

/**
 * Prints the Tianhe content budget table (worst frame per zone, per eye).
 * @param {ReturnType<typeof summariseContentBudget>} zones
 */
export function reportContentBudget(zones) {
  if (zones.length === 0) return
  console.log(`Tianhe content budget (worst frame per zone while replaying the sessions; per eye ≤ ${CONTENT_BUDGET.drawCallsPerEye} draw calls, ≤ ${CONTENT_BUDGET.trianglesPerEye} triangles)`)
  console.table(
    zones.map((z) => ({
      zone: z.zone,
      'draw calls / eye': z.drawCallsPerEye,
      'triangles / eye': z.trianglesPerEye,
      frames: z.frames,
      'within budget': z.withinBudget ? 'yes' : 'NO',
    })),
  )
}
