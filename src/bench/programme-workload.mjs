// @ts-check
// The programme camera as the benchmark's workload (`npm run bench`, section "programme"): the
// livestream room in VR through the emulator, recording the 720p programme (so the whole chain
// runs: camera render, output pass, asynchronous readback into the broadcast canvas, previews),
// at 1× and 4× CPU, arms interleaved:
//
//   A  governor off        (what the programme costs a headset frame when nobody governs it)
//   C  Lingjing governor   (what the governor does to it: the levels it picks, the misses left)
//
// No synthetic load: the figures are the room's own work plus the programme's. The programme's
// cost is counted inside the loop (snapshot().broadcast.programme.cost, totals whose differences
// over the run are divided here), separately from the frame cost the loop measures.

/** The arms of the programme section. */
import { longestMissRun, percentile } from './frame-stats.mjs'
export const PROGRAMME_ARMS = [
  { id: 'A', name: 'governor off', governor: 'off' },
  { id: 'C', name: 'Lingjing governor', governor: 'on' },
]


/**
 * @typedef {{ renderMsTotal: number, jobsRun: number, previewMsTotal: number, captureMsTotal: number, captures: number, captureSteps: number }} ProgrammeCost
 * @typedef {{ costs: number[], quality: number[], budgetMs: number, levers: string[], leverLevels: number[] }} HarnessRun
 * @typedef {{ path: string, reason: string, screenDraws: number, layerDraws: number, layerCopyMs: number }} MonitorCounters
 * @typedef {{ drawCalls: number, views: number }} RenderCounters
 */

/**
 * The programme monitor's figures over a run, from `snapshot().broadcast.monitor` at the start and
 * end of the record: its draw calls per headset frame (the screen mesh, once per view it is drawn
 * in) against all draw calls of the last frame, and on the XR-layer path the copies into the layer
 * and their JS cost. Only the path the browser took is measured: the emulator has no WebXR layers,
 * so here that is the texture path, whose monitor has no update of its own (the mesh samples the
 * output target directly) and so no copies.
 * @param {number} frames headset frames in the record
 * @param {MonitorCounters} before
 * @param {MonitorCounters} after
 * @param {RenderCounters | null} render `snapshot().render` at the end (draw calls of the last frame, all views)
 */
export function summariseMonitor(frames, before, after, render) {
  const n = Math.max(1, frames)
  const copies = after.layerDraws - before.layerDraws
  return {
    path: after.path,
    reason: after.reason,
    /** The monitor's draw calls per headset frame (all views together). */
    drawsPerHeadsetFrame: (after.screenDraws - before.screenDraws) / n,
    /** All draw calls of the last frame (all views), for scale. */
    frameDrawCalls: render ? render.drawCalls : null,
    views: render ? render.views : null,
    /** Copies of the programme picture into the layer per headset frame (0 on the texture path). */
    layerCopiesPerHeadsetFrame: copies / n,
    /** JS cost of one copy, ms (null when nothing was copied). */
    layerCopyMs: copies ? (after.layerCopyMs - before.layerCopyMs) / copies : null,
  }
}

/**
 * The level a lever held in each recorded frame (-1 where it was not registered).
 * @param {HarnessRun} run
 * @param {string} id
 * @returns {number[]}
 */
export function leverTrace(run, id) {
  const L = run.levers.length
  const l = run.levers.indexOf(id)
  if (l < 0) return []
  return run.costs.map((_, i) => run.leverLevels[i * L + l])
}

/**
 * Figures of one programme run: headset frames against the budget, and the programme's own cost
 * from the loop's counters (`before`/`after` are the totals at the start and end of the record).
 * @param {HarnessRun} run
 * @param {ProgrammeCost} before
 * @param {ProgrammeCost} after
 */
export function summariseProgrammeRun(run, before, after) {
  const { costs, budgetMs } = run
  const n = Math.max(1, costs.length)
  const within = costs.filter((c) => c <= budgetMs).length
  const longest = longestMissRun(costs, budgetMs)
  const d = (/** @type {keyof ProgrammeCost} */ k) => after[k] - before[k]
  const jobs = d('jobsRun')
  const captures = d('captures')
  const programmeMs = d('renderMsTotal') + d('captureMsTotal') + d('previewMsTotal')
  const levels = leverTrace(run, 'programme-camera').filter((l) => l >= 0)
  const previews = leverTrace(run, 'camera-previews').filter((l) => l >= 0)
  const firstDrop = levels.findIndex((l) => l < levels[0])
  /** @type {number | null} */
  const framesToFirstProgrammeDrop = firstDrop < 0 ? null : firstDrop
  return {
    frames: costs.length,
    withinPct: (100 * within) / n,
    overBudget: costs.length - within,
    longestMissRun: longest,
    p50Ms: percentile(costs, 50),
    p95Ms: percentile(costs, 95),
    meanFrameMs: costs.reduce((a, b) => a + b, 0) / n,
    programmeFrames: jobs,
    programmeFramesPer100: (100 * jobs) / n,
    /** JS cost of one programme frame: camera render, output pass, readback start. */
    renderMsPerProgrammeFrame: jobs ? d('renderMsTotal') / jobs : 0,
    /** Copying one finished readback into the broadcast canvas. */
    captureMsPerFrame: captures ? d('captureMsTotal') / captures : 0,
    /** One capture step: what the copy adds to the frame it runs in. */
    captureMsPerStep: d('captureSteps') ? d('captureMsTotal') / d('captureSteps') : 0,
    captures,
    /** Everything the programme cost, spread over the headset frames of the run. */
    programmeMsPerHeadsetFrame: programmeMs / n,
    programmeShareOfFrame: programmeMs / Math.max(1e-9, costs.reduce((a, b) => a + b, 0)),
    programmeLevelStart: levels[0] ?? null,
    programmeLevelEnd: levels.at(-1) ?? null,
    programmeLevelMin: levels.length ? Math.min(...levels) : null,
    programmeLevelMean: levels.length ? levels.reduce((a, b) => a + b, 0) / levels.length : null,
    /** Frames from the start of the record to the governor's first cut of the programme. */
    framesToFirstProgrammeDrop,
    previewsLevelEnd: previews.at(-1) ?? null,
    budgetMs,
  }
}

/**
 * Starts recording the 720p programme in the livestream room (so the readback into the broadcast
 * canvas runs too) and waits until it records (after the 3 s countdown).
 * @param {import('@playwright/test').Page} page
 */
export async function startProgrammeRecording(page) {
  await page.evaluate(() => {
    // The panel starts folded on the benchmark's small viewport: unfold it first.
    const panel = document.querySelector('[data-testid="broadcast-panel"]')
    if (panel?.getAttribute('data-open') === 'false') /** @type {HTMLButtonElement} */ (panel.querySelector('.dom-panel-title')).click()
  })
  await page.evaluate(() => {
    const button = Array.from(document.querySelectorAll('[data-testid="broadcast-panel"] button'), (b) => /** @type {HTMLButtonElement} */ (b)).find((b) => b.textContent?.includes('● Record'))
    if (!button) throw new Error('no Record button in the broadcast panel')
    button.click()
  })
  await page.waitForFunction(() => /** @type {any} */ (window).lingjing.snapshot().broadcast.recording.state === 'recording', null, { timeout: 60_000, polling: 200 })
}

/**
 * The floor of the programme target: the room recording with every lever pinned at its lowest
 * (governor off). Run at 4× when C misses more than 0.33 × A: no governor can go below it.
 */
export const PROGRAMME_FLOOR_ARM = { id: 'floor', name: 'every lever at its lowest (governor off)', governor: 'off', pin: 0 }

/**
 * @typedef {(path: string) => Promise<{ page: import('@playwright/test').Page, context: import('@playwright/test').BrowserContext, cdp: import('@playwright/test').CDPSession, errors: string[] }>} OpenPage
 */

/**
 * One run of the section in a fresh page.
 * @param {{ frames: number, warmup: number, open: OpenPage, log: (...parts: unknown[]) => void }} deps
 * @param {{ id: string, name: string, governor: string, pin?: number }} arm
 * @param {number} throttle
 * @param {number} round
 */
async function runProgrammeOnce({ frames, warmup, open, log }, arm, throttle, round) {
  const { page, context, cdp, errors } = await open(`/livestream?bench=steady&workPerMs=0&governor=${arm.governor}&lang=en`)
  if (arm.pin !== undefined) await page.evaluate((pin) => /** @type {any} */ (window).lingjingBench.pinLevels(pin), arm.pin)
  await page.getByRole('button', { name: 'Enter VR' }).click({ timeout: 120_000 })
  await page.waitForFunction(() => /** @type {any} */ (window).lingjing.snapshot().xr.presenting, null, { timeout: 60_000 })
  await startProgrammeRecording(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle })
  await page.evaluate(() => /** @type {any} */ (window).lingjingBench.start())
  // The counters at the end of the warm-up, read from the snapshot in one go with the record index.
  await page.waitForFunction((n) => /** @type {any} */ (window).lingjingBench.recorded() >= n, warmup, { timeout: 600_000, polling: 100 })
  const before = await page.evaluate(() => ({ at: /** @type {any} */ (window).lingjingBench.recorded(), cost: /** @type {any} */ (window).lingjing.snapshot().broadcast.programme.cost, monitor: /** @type {any} */ (window).lingjing.snapshot().broadcast.monitor }))
  await page.waitForFunction((n) => /** @type {any} */ (window).lingjingBench.recorded() >= n, before.at + frames, { timeout: 900_000, polling: 250 })
  const end = await page.evaluate(() => {
    const snap = /** @type {any} */ (window).lingjing.snapshot()
    return { run: /** @type {any} */ (window).lingjingBench.stop(), cost: snap.broadcast.programme.cost, programme: snap.broadcast.programme, monitor: snap.broadcast.monitor, render: snap.render ?? null }
  })
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 })
  const L = end.run.levers.length
  const P = end.run.phases.length
  const run = {
    ...end.run,
    costs: end.run.costs.slice(before.at),
    quality: end.run.quality.slice(before.at),
    leverLevels: end.run.leverLevels.slice(before.at * L),
    phaseCosts: end.run.phaseCosts.slice(before.at * P),
  }
  const summary = summariseProgrammeRun(run, before.cost, end.cost)
  // From the moment the throttle was set (the warm-up included): how soon the governor cut the programme.
  const trace = leverTrace(end.run, 'programme-camera')
  const firstCut = trace.findIndex((l) => l >= 0 && l < trace[0])
  summary.framesToFirstProgrammeDrop = firstCut < 0 ? null : firstCut
  const endLevel = { width: end.programme.width, height: end.programme.height, fps: end.programme.fps }
  // The monitor's counters span the whole record (before.at → the stop), as the programme's do.
  const monitor = summariseMonitor(run.costs.length, before.monitor, end.monitor, end.render)
  log(
    `programme ${throttle}× ${arm.id}: ${summary.withinPct.toFixed(1)}% within, p95 ${summary.p95Ms.toFixed(2)} ms, programme ${summary.renderMsPerProgrammeFrame.toFixed(2)} ms/frame + capture ${summary.captureMsPerFrame.toFixed(2)} ms (${summary.captureMsPerStep.toFixed(2)} ms/step), ends at ${endLevel.width}×${endLevel.height}@${endLevel.fps}`,
  )
  await context.close()
  return { arm: arm.id, armName: arm.name, throttle, round, ...summary, phaseMeanMs: phaseMeans(run), endLevel, monitor, pageErrors: errors }
}

/**
 * Mean ms per phase over a run's frames (where the room's own cost goes).
 * @param {{ phases: string[], phaseCosts: number[], costs: number[] }} run
 * @returns {Record<string, number>}
 */
export function phaseMeans(run) {
  const P = run.phases.length
  const n = Math.max(1, run.costs.length)
  /** @type {Record<string, number>} */ const out = {}
  run.phases.forEach((phase, p) => {
    let sum = 0
    for (let i = 0; i < run.costs.length; i++) sum += run.phaseCosts[i * P + p] ?? 0
    out[phase] = sum / n
  })
  return out
}

/**
 * Runs the section: per CPU throttle and round, both arms in fresh pages, the order alternating
 * (A C, then C A), so a burst of noise from a shared machine lands on both arms alike. Where C
 * misses more than 0.33 × A at 4×, the floor arm runs once to measure what no governor can beat;
 * `floor: 'always'` (`--programme-floor`) runs it at 4× whatever C did, to measure the room's own cost.
 * @param {{ frames: number, warmup: number, throttles: number[], rounds: number, floor?: 'auto' | 'always', open: OpenPage, log: (...parts: unknown[]) => void }} options
 */
export async function runProgrammeWorkload({ frames, warmup, throttles, rounds, floor = 'auto', open, log }) {
  const results = []
  let rotation = 0
  for (const throttle of throttles) {
    for (let round = 0; round < rounds; round++) {
      const order = PROGRAMME_ARMS.map((_, i) => PROGRAMME_ARMS[(i + rotation) % PROGRAMME_ARMS.length])
      rotation++
      for (const arm of order) results.push(await runProgrammeOnce({ frames, warmup, open, log }, arm, throttle, round))
    }
    const target = programmeTargets(results.filter((r) => r.throttle === throttle))[0]
    if (throttle === 4 && target && (!target.met || floor === 'always')) results.push(await runProgrammeOnce({ frames, warmup, open, log }, PROGRAMME_FLOOR_ARM, throttle, 0))
  }
  return results
}

/**
 * Prints the section's table and the C/A comparison per throttle.
 * @param {Array<ReturnType<typeof summariseProgrammeRun> & { arm: string, armName: string, throttle: number, round: number, endLevel: { width: number, height: number, fps: number }, monitor?: ReturnType<typeof summariseMonitor> }>} runs
 */
export function reportProgramme(runs) {
  if (runs.length === 0) return
  console.log('\nProgramme camera (livestream room, recording 720p, in VR through the emulator):')
  console.table(
    runs.map((r) => ({
      cpu: `${r.throttle}×`,
      arm: `${r.arm} ${r.armName}`,
      round: r.round,
      frames: r.frames,
      'within %': r.withinPct.toFixed(1),
      'over budget': r.overBudget,
      'p95 ms': r.p95Ms.toFixed(2),
      'programme ms / programme frame': r.renderMsPerProgrammeFrame.toFixed(2),
      'capture ms / frame': r.captureMsPerFrame.toFixed(2),
      'capture ms / step': r.captureMsPerStep.toFixed(2),
      'programme ms / headset frame': r.programmeMsPerHeadsetFrame.toFixed(2),
      'share of frame': `${(100 * r.programmeShareOfFrame).toFixed(0)}%`,
      'programme frames / 100': r.programmeFramesPer100.toFixed(0),
      'level start→end (min)': `${r.programmeLevelStart}→${r.programmeLevelEnd} (${r.programmeLevelMin})`,
      'ends at': `${r.endLevel.width}×${r.endLevel.height}@${r.endLevel.fps}`,
      'first cut after': r.framesToFirstProgrammeDrop ?? '',
      previews: r.previewsLevelEnd,
    })),
  )
  const withMonitor = runs.flatMap((r) => (r.monitor ? [{ ...r, monitor: r.monitor }] : []))
  if (withMonitor.length === 0) return
  console.log('\nProgramme monitor (the path each run took; the XR-layer path needs WebXR Layers, which the emulator has not: not measured here):')
  console.table(
    withMonitor.map((r) => ({
      cpu: `${r.throttle}×`,
      arm: r.arm,
      round: r.round,
      path: `${r.monitor.path} (${r.monitor.reason})`,
      'monitor draws / headset frame': r.monitor.drawsPerHeadsetFrame.toFixed(2),
      'all draws, last frame': r.monitor.frameDrawCalls ?? '',
      views: r.monitor.views ?? '',
      'layer copies / headset frame': r.monitor.layerCopiesPerHeadsetFrame.toFixed(2),
      'ms / layer copy': r.monitor.layerCopyMs === null ? '' : r.monitor.layerCopyMs.toFixed(3),
      'headset frame p50 ms': r.p50Ms.toFixed(2),
    })),
  )
}

/**
 * The section's targets: with the governor, the programme gives way before headset frames do.
 * @param {any[]} runs
 */
export function programmeTargets(runs) {
  const out = []
  for (const throttle of [...new Set(runs.map((r) => r.throttle))]) {
    // Summed over the rounds: misses, and the programme's ms spread over every headset frame.
    const of = (/** @type {string} */ arm) => runs.filter((r) => r.arm === arm && r.throttle === throttle)
    const [a, c] = [of('A'), of('C')]
    if (a.length === 0 || c.length === 0) continue
    const misses = (/** @type {any[]} */ list) => list.reduce((n, r) => n + r.overBudget, 0)
    const msPerFrame = (/** @type {any[]} */ list) => list.reduce((n, r) => n + r.programmeMsPerHeadsetFrame * r.frames, 0) / Math.max(1, list.reduce((n, r) => n + r.frames, 0))
    const [ma, mc] = [misses(a), misses(c)]
    const cMet = ma ? mc / ma <= 0.33 : mc === 0
    out.push({
      name: `programme: C misses / A misses at ${throttle}×`,
      value: ma ? (mc / ma).toFixed(3) : `${mc}/${ma}`,
      goal: '≤0.33',
      met: cMet,
    })
    const [pa, pc] = [msPerFrame(a), msPerFrame(c)]
    out.push({
      name: `programme: C programme ms per headset frame / A at ${throttle}×`,
      value: pa ? (pc / pa).toFixed(3) : 'n/a',
      goal: 'lower when A misses',
      met: ma === 0 || pc < pa,
    })
    const floor = of('floor')
    if (floor.length > 0 && ma > 0) {
      // What the room costs with nothing left to lower: the governor cannot beat this ratio.
      // As rates: the floor runs once, A every round.
      const frames = (/** @type {any[]} */ list) => list.reduce((n, r) => n + r.frames, 0)
      const floorRatio = misses(floor) / Math.max(1, frames(floor)) / (ma / Math.max(1, frames(a)))
      const f = floor[0]
      const [phase, ms] = Object.entries(f.phaseMeanMs ?? {}).sort((x, y) => Number(y[1]) - Number(x[1]))[0] ?? ['?', 0]
      // Draw calls per eye of the main render at the lowest level (the room's own draws).
      const drawsPerEye = f.monitor?.frameDrawCalls != null && f.monitor.views ? ` ${(f.monitor.frameDrawCalls / f.monitor.views).toFixed(0)} draws per eye;` : ''
      out.push({
        name: `programme floor at ${throttle}×: misses with every lever at its lowest / A misses`,
        value:
          `${floorRatio.toFixed(3)} (room at lowest: p50 ${f.p50Ms.toFixed(2)} ms against ${f.budgetMs.toFixed(1)} ms; largest phase ${phase} ${Number(ms).toFixed(2)} ms;${drawsPerEye} ` +
          `programme ${f.programmeMsPerHeadsetFrame.toFixed(2)} ms/headset frame; lowering the room's own ${phase} work lowers the floor)`,
        // Measured on request (--programme-floor) when C met its target: a figure, not a target then.
        goal: cMet ? 'measured (C met ≤0.33)' : '>0.33 (then the floor, not the governor, limits C)',
        met: cMet || floorRatio > 0.33,
      })
    }
  }
  return out
}
