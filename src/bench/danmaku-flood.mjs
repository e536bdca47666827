// @ts-check
// What a danmaku flood costs the main thread (issue 16 item 12), in Node, both pipelines side by
// side in one run so the ratio does not depend on how busy the machine is:
//
//   before  every frame parsed and sanitised (JSON.parse, regexes, grapheme segmentation), then
//           the rate limit — the order the engine used before the pre-parse checks
//   after   the engine as shipped: length check and buckets first, parse only what may be shown
//
// The flood: 200 JSON frames of 2,000 characters (Chinese text, each from its own author) all
// arriving within one frame, repeated with fresh engines, arms interleaved.
//
//   node src/bench/danmaku-flood.mjs [rounds]      (also the "danmaku" section of `npm run bench`)
import { runnerImport } from 'vite'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'

const FRAMES = 200

/**
 * Both pipelines over the same flood, `rounds` times each, interleaved after three warm-up rounds.
 * @param {number} rounds
 * @returns {Promise<{ frames: number, chars: number, rounds: number, shownPerFlood: number, beforeMedianMs: number, afterMedianMs: number, ratio: number }>}
 */
export async function measureDanmakuFlood(rounds) {
  const { module: danmaku } = await runnerImport('/src/core/broadcast/danmaku.ts', { logLevel: 'silent', configFile: false })
  const { createDanmakuEngine, createTokenBucket, parseDanmakuFrame, DANMAKU_DEFAULTS } = danmaku
  const frames = Array.from({ length: FRAMES }, (_, i) => JSON.stringify({ text: `${i} ${'弹幕洪水'.repeat(497)}`, author: `a${i}` }))
  const measure = (/** @type {string} */ text) => text.length * 20

  /** The former order: parse every frame, then the feed bucket. */
  const before = () => {
    const bucket = createTokenBucket(DANMAKU_DEFAULTS.ratePerSecond, DANMAKU_DEFAULTS.burst)
    let shown = 0
    for (const f of frames) {
      const parsed = parseDanmakuFrame(f, DANMAKU_DEFAULTS)
      if (parsed.ok && bucket.take(1000)) shown++
    }
    return shown
  }
  const after = () => {
    const engine = createDanmakuEngine(measure)
    let shown = 0
    for (const f of frames) if (engine.receive(f, 1000) === 'queued') shown++
    return shown
  }

  const times = { before: /** @type {number[]} */ ([]), after: /** @type {number[]} */ ([]) }
  let check = 0
  for (let r = 0; r < rounds + 3; r++) {
    for (const arm of r % 2 ? /** @type {const} */ (['after', 'before']) : /** @type {const} */ (['before', 'after'])) {
      const t0 = performance.now()
      check += arm === 'before' ? before() : after()
      const ms = performance.now() - t0
      if (r >= 3) times[arm].push(ms) // three warm-up rounds for the JIT
    }
  }
  const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const b = median(times.before)
  const a = median(times.after)
  return { frames: FRAMES, chars: frames[0].length, rounds, shownPerFlood: check / (rounds + 3) / 2, beforeMedianMs: b, afterMedianMs: a, ratio: b / a }
}

/** @param {Awaited<ReturnType<typeof measureDanmakuFlood>>} f */
export function reportDanmakuFlood(f) {
  console.log(`\ndanmaku flood: ${f.frames} frames × ${f.chars} chars, ${f.rounds} rounds, median per flood (shown ${f.shownPerFlood} each)`)
  console.log(`  before (parse, then rate limit): ${f.beforeMedianMs.toFixed(2)} ms`)
  console.log(`  after  (rate limit, then parse): ${f.afterMedianMs.toFixed(2)} ms`)
  console.log(`  ratio before/after: ${f.ratio.toFixed(1)}×`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  reportDanmakuFlood(await measureDanmakuFlood(Number(process.argv[2] ?? 30)))
}
