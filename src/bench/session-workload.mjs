// @ts-check
// The shipped xr-sessions as the benchmark's workload (`npm run bench`, section "sessions"): each
// session under xr-sessions/ (found through its *.meta.json) is replayed deterministically — one
// recorded frame per app frame, clock and RNG from the recording, so every arm runs exactly the
// same frames of real experience work — in fresh pages, arms interleaved:
//
//   own   governor off, no synthetic load  (what the session's own app work costs here)
//   A     governor off, steady load ladder (1 ms unscalable + 10 ms × quality at 1× CPU)
//   C     Lingjing governor, same load
//
// Only the app frames that replayed a recorded frame count (the harness tags each frame with the
// replay's frame index). Each run also checks the session's expected outcome and reports its end
// state hash, so a workload that did not do what it should is visible next to its figures.
import { longestMissRun, percentile } from './frame-stats.mjs'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/** @typedef {{ name: string, meta: { experience: string, expected?: { snapshot?: Record<string, unknown> } }, frames: number }} ShippedSession */

/** The arms of the sessions section (`quick` leaves out `own`). */
export const SESSION_ARMS = [
  { id: 'own', name: 'governor off, no synthetic load', governor: 'off', load: false },
  { id: 'A', name: 'governor off, steady load', governor: 'off', load: true },
  { id: 'C', name: 'Lingjing governor, steady load', governor: 'on', load: true },
]

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
 * @param {{ costs: number[], quality: number[], budgetMs: number, replayFrames: number[], phases: string[], phaseCosts: number[] }} run
 */
export function summariseReplayRun(run) {
  const P = run.phases.length
  /** @type {number[]} */ const costs = []
  /** @type {number[]} */ const quality = []
  const phaseSums = new Array(P).fill(0)
  const seen = new Set()
  for (let i = 1; i < run.costs.length; i++) {
    const frame = run.replayFrames[i]
    // Entry i holds the cost of the app frame before it; that frame handed out `frame` if the index moved.
    if (frame < 0 || frame === run.replayFrames[i - 1]) continue
    seen.add(frame)
    costs.push(run.costs[i])
    quality.push(run.quality[i])
    for (let p = 0; p < P; p++) phaseSums[p] += run.phaseCosts[i * P + p]
  }
  const longest = longestMissRun(costs, run.budgetMs)
  const n = Math.max(1, costs.length)
  const meanCost = costs.reduce((a, b) => a + b, 0) / n
  /** @type {Record<string, number>} */ const phaseMeanMs = {}
  run.phases.forEach((phase, p) => (phaseMeanMs[phase] = phaseSums[p] / n))
  const over = costs.filter((c) => c > run.budgetMs).length
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
  }
}

/**
 * Replays every shipped session in each arm (interleaved, rotating the order per session).
 * @param {{
 *   root: string,
 *   quick: boolean,
 *   workPerMs: number,
 *   open: (path: string) => Promise<{ page: import('@playwright/test').Page, context: import('@playwright/test').BrowserContext, errors: string[] }>,
 *   log: (...parts: unknown[]) => void,
 * }} options
 */
export async function runSessionWorkload({ root, quick, workPerMs, open, log }) {
  const sessions = selectSessions(findShippedSessions(root), quick)
  const arms = quick ? SESSION_ARMS.filter((arm) => arm.id !== 'own') : SESSION_ARMS
  const runs = []
  let rotation = 0
  for (const session of sessions) {
    const order = arms.map((_, i) => arms[(i + rotation) % arms.length])
    rotation++
    for (const arm of order) {
      const work = arm.load ? workPerMs : 0
      const { page, context, errors } = await open(`/?replay=${session.name}&replayMode=deterministic&bench=steady&workPerMs=${work}&governor=${arm.governor}&lang=en`)
      // The replay enters the recorded experience and its immersive session (VR or AR) by itself.
      await page.waitForFunction(() => /** @type {any} */ (window.lingjing?.snapshot().replay)?.ended === true, null, { timeout: 600_000, polling: 250 })
      // The last replayed frame's cost is recorded by the frame after it.
      const after = await page.evaluate(() => window.lingjing?.snapshot().frame.frames ?? 0)
      await page.waitForFunction((n) => (window.lingjing?.snapshot().frame.frames ?? 0) >= n, after + 2, { timeout: 60_000, polling: 100 })
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
        recordedFrames: session.frames,
        ...summary,
        outcomeOk: matchesPartially(snap, expected),
        stateHash: replay?.stateHash ?? '',
        pageErrors: errors,
        // Tianhe counts its worst frame per zone (both eyes); the content budget is checked per eye.
        zoneStats: /** @type {any} */ (snap)?.tianhe?.perZone ?? null,
        views: /** @type {any} */ (snap)?.tianhe?.views ?? 1,
      }
      runs.push(entry)
      log(
        `session ${session.name} ${arm.id.padEnd(3)}: ${summary.frames}/${session.frames} frames, p50 ${summary.p50Ms.toFixed(2)} ms, p95 ${summary.p95Ms.toFixed(2)} ms, ` +
          `${summary.overBudget} over budget, quality ${summary.meanQuality.toFixed(2)}, outcome ${entry.outcomeOk ? 'ok' : 'NOT MET'}`,
      )
      await context.close()
    }
  }
  return runs
}

/**
 * Prints the sessions table and, per session, whether every arm ended in the same state.
 * @param {Awaited<ReturnType<typeof runSessionWorkload>>} runs
 */
export function reportSessions(runs) {
  if (runs.length === 0) return
  console.table(
    runs.map((r) => ({
      session: r.session,
      mode: r.mode,
      arm: `${r.arm} ${r.armName}`,
      frames: `${r.frames}/${r.recordedFrames}`,
      'within %': r.withinPct.toFixed(1),
      'over budget': r.overBudget,
      'p50 ms': r.p50Ms.toFixed(2),
      'p95 ms': r.p95Ms.toFixed(2),
      'p99 ms': r.p99Ms.toFixed(2),
      'longest miss run': r.longestMissRun,
      'mean quality': r.meanQuality.toFixed(2),
      outcome: r.outcomeOk ? 'ok' : 'NOT MET',
    })),
  )
  // Where the frame goes: mean ms per phase over the replayed frames.
  console.table(
    runs.map((r) => ({
      session: r.session,
      arm: r.arm,
      ...Object.fromEntries(Object.entries(r.phaseMeanMs).map(([phase, ms]) => [`${phase} ms`, ms.toFixed(2)])),
      'mean ms': r.meanMs.toFixed(2),
    })),
  )
  /** @type {Map<string, typeof runs>} */
  const bySession = new Map()
  for (const r of runs) bySession.set(r.session, [...(bySession.get(r.session) ?? []), r])
  console.table(
    [...bySession].map(([session, list]) => {
      const a = list.find((r) => r.arm === 'A')
      const c = list.find((r) => r.arm === 'C')
      return {
        session,
        'C/A misses': a && c ? (a.overBudget ? (c.overBudget / a.overBudget).toFixed(3) : `${c.overBudget}/${a.overBudget}`) : '',
        'C/A p95': a && c && a.p95Ms ? (c.p95Ms / a.p95Ms).toFixed(3) : '',
        'same end state in every arm': new Set(list.map((r) => r.stateHash)).size === 1 ? 'yes' : 'NO',
        'every frame replayed': list.every((r) => r.distinctRecordedFrames === r.recordedFrames) ? 'yes' : 'NO',
      }
    }),
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
