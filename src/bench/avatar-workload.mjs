// @ts-check
// Remote visitors as the benchmark's workload (`npm run bench`, section "avatars"): the hub in VR
// (emulator, SwiftShader) with 0, 1, 10 and 30 real network visitors — colyseus.js bots in the
// runner's process, joined through the preview's embedded venue server, each sending a
// head-and-hands pose at 20 Hz from a ring 2–4 m in front of the viewer (every pose changes) — and
// per count three arms in the same page: governor off (every lever at full: up to 32 visitors drawn
// in full, with hands), "low" (governor off, every lever at full but `remote-avatars` at its lowest
// level: 4 nearest in full, the rest low-detail stand-ins updated every 4th frame) and governor on
// (it may lower `remote-avatars` along with the others). Each window reads
// `snapshot().venue.drawn`, so the table shows how many were drawn full and low. The 0-visitor windows are measured in the same run, at the
// start and again at the end, and every other count is given as a ratio against their mean, so
// the machine's drift lands on both. The page is `?benchRecord=1`: the frame recorder without a
// synthetic load, connected to the venue (a `?bench=` page never connects).
import { Client } from 'colyseus.js'
import { longestMissRun, percentile } from './frame-stats.mjs'

/** Remote-visitor counts, in the order measured; the trailing 0 is the second reference. */
export const AVATAR_COUNTS = [0, 1, 10, 30, 0]
/** Arms: the page's governor off (levers at full), off with `remote-avatars` at its lowest level, and on. */
export const AVATAR_ARMS = /** @type {const} */ (['off', 'low', 'on'])

/**
 * @typedef {'off' | 'low' | 'on'} AvatarArm
 * @typedef {{ full: number, low: number, tags: number, level: number }} AvatarDrawn
 * @typedef {{ count: number, arm: AvatarArm, frames: number, costP50Ms: number, costP95Ms: number, costMeanMs: number, overBudget: number, longestMissRun: number, intervalP50Ms: number, phaseMeanMs: Record<string, number>, remoteAvatarsLevel: number | null, quality: number, drawCallsPerEye: number | null, peersSeen: number, drawn: AvatarDrawn | null, budgetMs: number }} AvatarWindow
 * @typedef {{ count: number, arm: AvatarArm, costP50Ratio: number, costP95Ratio: number, meanRatio: number, intervalP50Ratio: number, extraMeanMs: number, extraPhaseMs: Record<string, number> }} AvatarRatio
 * @typedef {{ windows: AvatarWindow[], ratios: AvatarRatio[], budgetMs: number, framesPerWindow: number, warmupFrames: number }} AvatarResult
 */

/**
 * One bot's pose at tick `tick` in a ring of `n`: head bobbing, hands waving, all in mm and ×32767.
 * @param {number} i
 * @param {number} n
 * @param {number} tick
 */
export function botPose(i, n, tick) {
  const a = (i / Math.max(1, n)) * Math.PI - Math.PI
  const r = 2 + (i % 3)
  const x = Math.cos(a) * r
  const z = Math.sin(a) * r
  const t = tick / 20 + i
  const y = 1.6 + Math.sin(t) * 0.05
  const mm = (/** @type {number} */ v) => Math.round(v * 1000)
  return [mm(x), mm(y), mm(z), 0, 0, 0, 32767, mm(x - 0.3), mm(1.1 + Math.sin(t * 3) * 0.2), mm(z), 0, 0, 0, 32767, mm(x + 0.3), mm(1.1 + Math.cos(t * 3) * 0.2), mm(z), 0, 0, 0, 32767]
}

/**
 * Summarises one recorded window (warm-up already dropped) against the count's reference.
 * @param {{ costs: number[], intervals: number[], phases: string[], phaseCosts: number[], levers: string[], leverLevels: number[], quality: number[], budgetMs: number }} run
 */
export function summariseAvatarWindow(run) {
  const n = run.costs.length
  const phaseMeanMs = /** @type {Record<string, number>} */ ({})
  run.phases.forEach((phase, p) => {
    let sum = 0
    for (let i = 0; i < n; i++) sum += run.phaseCosts[i * run.phases.length + p]
    phaseMeanMs[phase] = n ? sum / n : 0
  })
  const lever = run.levers.indexOf('remote-avatars')
  let levelSum = 0
  let levelN = 0
  if (lever >= 0) {
    for (let i = 0; i < n; i++) {
      const level = run.leverLevels[i * run.levers.length + lever]
      if (level >= 0) {
        levelSum += level
        levelN++
      }
    }
  }
  return {
    frames: n,
    costP50Ms: percentile(run.costs, 50),
    costP95Ms: percentile(run.costs, 95),
    costMeanMs: n ? run.costs.reduce((a, b) => a + b, 0) / n : 0,
    overBudget: run.costs.filter((c) => c > run.budgetMs).length,
    longestMissRun: longestMissRun(run.costs, run.budgetMs),
    intervalP50Ms: percentile(run.intervals.filter((v) => v > 0), 50),
    phaseMeanMs,
    remoteAvatarsLevel: levelN ? levelSum / levelN : null,
    quality: n ? run.quality.reduce((a, b) => a + b, 0) / n : 1,
    budgetMs: run.budgetMs,
  }
}

/**
 * Each count's windows against the mean of the 0-visitor windows of the same arm.
 * @param {AvatarWindow[]} windows
 * @returns {AvatarRatio[]}
 */
export function avatarRatios(windows) {
  /** @type {AvatarRatio[]} */
  const out = []
  for (const arm of AVATAR_ARMS) {
    const refs = windows.filter((w) => w.arm === arm && w.count === 0)
    if (refs.length === 0) continue
    const mean = (/** @type {(w: AvatarWindow) => number} */ f) => refs.reduce((a, w) => a + f(w), 0) / refs.length
    const ref = { p50: mean((w) => w.costP50Ms), p95: mean((w) => w.costP95Ms), mean: mean((w) => w.costMeanMs), interval: mean((w) => w.intervalP50Ms) }
    const phases = Object.keys(refs[0].phaseMeanMs)
    for (const count of [...new Set(windows.filter((w) => w.arm === arm && w.count > 0).map((w) => w.count))]) {
      const ws = windows.filter((w) => w.arm === arm && w.count === count)
      const m = (/** @type {(w: AvatarWindow) => number} */ f) => ws.reduce((a, w) => a + f(w), 0) / ws.length
      /** @type {Record<string, number>} */
      const extraPhaseMs = {}
      for (const p of phases) extraPhaseMs[p] = m((w) => w.phaseMeanMs[p]) - mean((w) => w.phaseMeanMs[p])
      out.push({
        count,
        arm,
        costP50Ratio: m((w) => w.costP50Ms) / ref.p50,
        costP95Ratio: m((w) => w.costP95Ms) / ref.p95,
        meanRatio: m((w) => w.costMeanMs) / ref.mean,
        intervalP50Ratio: m((w) => w.intervalP50Ms) / ref.interval,
        extraMeanMs: m((w) => w.costMeanMs) - ref.mean,
        extraPhaseMs,
      })
    }
  }
  return out
}

/**
 * Runs the section: one page in VR, bots joining and leaving between windows.
 * @param {{ base: string, open: (path: string) => Promise<{ page: import('@playwright/test').Page, context: import('@playwright/test').BrowserContext, errors: string[] }>, frames: number, warmup: number, counts?: number[], log: (...parts: unknown[]) => void }} options
 * @returns {Promise<AvatarResult>}
 */
export async function runAvatarWorkload({ base, open, frames, warmup, counts = AVATAR_COUNTS, log }) {
  const { page, context } = await open('/?lang=en&governor=off&benchRecord=1&name=bench-viewer')
  /** @type {import('colyseus.js').Room[]} */
  const bots = []
  let tick = 0
  const timer = setInterval(() => {
    tick++
    bots.forEach((room, i) => room.send('pose', botPose(i, bots.length, tick)))
  }, 50)
  /** @type {AvatarWindow[]} */
  const windows = []
  try {
    await page.getByRole('button', { name: 'Enter VR' }).click()
    await page.waitForFunction(() => {
      const s = /** @type {any} */ (window).lingjing.snapshot()
      return s.xr.presenting && s.venue?.state === 'online'
    }, null, { timeout: 120_000 })
    for (const [k, count] of counts.entries()) {
      while (bots.length < count) bots.push(await new Client(`${base}/venue`).joinOrCreate('venue', { name: `bot ${bots.length}` }))
      while (bots.length > count) await /** @type {import('colyseus.js').Room} */ (bots.pop()).leave(true)
      await page.waitForFunction((n) => /** @type {any} */ (window).lingjing.snapshot().venue.peers.filter((/** @type {any} */ p) => p.lastUpdateMs >= 0).length === n, count, { timeout: 120_000, polling: 250 })
      for (const arm of k % 2 ? [...AVATAR_ARMS].reverse() : AVATAR_ARMS) {
        await page.evaluate((a) => {
          const levers = /** @type {any} */ (window).lingjing.levers
          levers.setGovernor(a === 'on')
          // Off: every lever back at full, so this arm draws up to 32 in full, with hands. Low: the
          // same, but the visitors at their lowest level, so only this lever differs.
          if (a !== 'on') levers.setAll(1)
          if (a === 'low') levers.set('remote-avatars', 0)
        }, arm)
        await page.evaluate(() => /** @type {any} */ (window).lingjingBench.start())
        await page.waitForFunction((n) => /** @type {any} */ (window).lingjingBench.recorded() >= n, warmup + frames, { timeout: 900_000, polling: 250 })
        const run = await page.evaluate(() => /** @type {any} */ (window).lingjingBench.stop())
        const snap = await page.evaluate(() => {
          const s = /** @type {any} */ (window).lingjing.snapshot()
          return { drawCallsPerEye: s.render?.drawCallsPerEye ?? null, peersSeen: s.venue.peers.filter((/** @type {any} */ p) => p.lastUpdateMs >= 0).length, drawn: s.venue.drawn ?? null }
        })
        // Drop the warm-up: the governor's reaction to the switch, and bots' first poses.
        const L = run.levers.length
        const P = run.phases.length
        const trimmed = {
          ...run,
          costs: run.costs.slice(warmup),
          intervals: run.intervals.slice(warmup),
          quality: run.quality.slice(warmup),
          phaseCosts: run.phaseCosts.slice(warmup * P),
          leverLevels: run.leverLevels.slice(warmup * L),
        }
        const w = { count, arm: /** @type {AvatarArm} */ (arm), ...summariseAvatarWindow(trimmed), ...snap }
        windows.push(w)
        log(`avatars: ${count} visitors, arm ${arm}: drawn ${drawnText(w.drawn)}, cost p50 ${w.costP50Ms.toFixed(2)} p95 ${w.costP95Ms.toFixed(2)} ms, ${w.overBudget}/${w.frames} over budget, interval p50 ${w.intervalP50Ms.toFixed(1)} ms, remote-avatars level ${w.remoteAvatarsLevel?.toFixed(2) ?? '—'}, quality ${w.quality.toFixed(2)}`)
      }
    }
  } finally {
    clearInterval(timer)
    for (const b of bots) await b.leave(true).catch(() => {})
    await context.close()
  }
  return { windows, ratios: avatarRatios(windows), budgetMs: windows[0]?.budgetMs ?? 0, framesPerWindow: frames, warmupFrames: warmup }
}

/**
 * How the visitors were drawn at the end of a window: full / low-detail (name tags shown).
 * @param {AvatarDrawn | null} d
 */
export function drawnText(d) {
  return d ? `${d.full} full / ${d.low} low (${d.tags} tags)` : '—'
}

/** @param {AvatarResult} r */
export function reportAvatars(r) {
  console.log(`\nremote visitors (hub in VR, real network bots; ${r.framesPerWindow} frames per window after ${r.warmupFrames} warm-up; budget ${r.budgetMs.toFixed(1)} ms; arms: governor off at full quality, "low" = off with remote-avatars at its lowest level, governor on):`)
  console.table(
    r.windows.map((w) => ({
      visitors: w.count,
      arm: w.arm,
      'cost p50 ms': w.costP50Ms.toFixed(2),
      'cost p95 ms': w.costP95Ms.toFixed(2),
      'over budget': `${w.overBudget}/${w.frames}`,
      'interval p50 ms': w.intervalP50Ms.toFixed(1),
      'input ms': (w.phaseMeanMs.input ?? 0).toFixed(3),
      'render ms': (w.phaseMeanMs.render ?? 0).toFixed(2),
      'avatars lever': w.remoteAvatarsLevel === null ? '—' : w.remoteAvatarsLevel.toFixed(2),
      drawn: drawnText(w.drawn),
      quality: w.quality.toFixed(2),
      'draws/eye': w.drawCallsPerEye,
    })),
  )
  console.log('against 0 visitors, same arm, same run (mean of the 0-visitor windows):')
  console.table(
    r.ratios.map((x) => ({
      visitors: x.count,
      arm: x.arm,
      'p50 ×': x.costP50Ratio.toFixed(3),
      'p95 ×': x.costP95Ratio.toFixed(3),
      'mean ×': x.meanRatio.toFixed(3),
      'interval p50 ×': x.intervalP50Ratio.toFixed(3),
      'extra mean ms': x.extraMeanMs.toFixed(2),
      'of which': Object.entries(x.extraPhaseMs)
        .filter(([, ms]) => Math.abs(ms) >= 0.05)
        .map(([p, ms]) => `${p} ${ms >= 0 ? '+' : ''}${ms.toFixed(2)}`)
        .join(', '),
    })),
  )
}

/**
 * Targets: with the governor on, 30 visitors cost at most 10 % more frame time (p50 and p95) than
 * none, and 30 visitors keep the governed p95 inside the budget.
 * @param {AvatarResult | null} r
 */
export function avatarTargets(r) {
  if (!r) return []
  const out = []
  const on30 = r.ratios.find((x) => x.arm === 'on' && x.count === 30)
  if (on30) {
    out.push({ name: 'avatars: 30 visitors / 0, governor on, frame cost p50', value: on30.costP50Ratio.toFixed(3), goal: '≤1.10', met: on30.costP50Ratio <= 1.1 })
    out.push({ name: 'avatars: 30 visitors / 0, governor on, frame cost p95', value: on30.costP95Ratio.toFixed(3), goal: '≤1.10', met: on30.costP95Ratio <= 1.1 })
  }
  const w30 = r.windows.filter((w) => w.arm === 'on' && w.count === 30)
  if (w30.length) {
    const p95 = Math.max(...w30.map((w) => w.costP95Ms))
    out.push({ name: 'avatars: 30 visitors, governor on, frame cost p95 within budget', value: `${p95.toFixed(2)} ms`, goal: `≤${r.budgetMs.toFixed(1)} ms`, met: p95 <= r.budgetMs })
  }
  return out
}
