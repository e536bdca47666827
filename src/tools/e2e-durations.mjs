// @ts-check
// Reads Playwright's JSON report (test-results/e2e-report.json, written by every e2e run) and
// prints each spec file's time and its slowest tests, so the suite's time can be read per spec.
//
//   node src/tools/e2e-durations.mjs [report.json] [--top N]
import { readFileSync } from 'node:fs'

const args = process.argv.slice(2)
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? 'test-results/e2e-report.json'
const topIndex = args.indexOf('--top')
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 10

/** @typedef {{ title: string, file?: string, specs?: any[], suites?: Suite[] }} Suite */
const report = JSON.parse(readFileSync(file, 'utf8'))
/** @type {{ file: string, title: string, ms: number, status: string }[]} */
const tests = []
/** @param {Suite} suite @param {string[]} path */
function walk(suite, path) {
  for (const spec of suite.specs ?? []) {
    for (const t of spec.tests ?? []) {
      const results = t.results ?? []
      const ms = results.reduce((/** @type {number} */ a, /** @type {{ duration: number }} */ r) => a + r.duration, 0)
      tests.push({ file: spec.file ?? suite.file ?? '?', title: [...path, spec.title].join(' › '), ms, status: results.at(-1)?.status ?? 'skipped' })
    }
  }
  for (const s of suite.suites ?? []) walk(s, suite.file ? [...path, s.title] : path)
}
for (const s of report.suites ?? []) walk(s, [])

const min = (/** @type {number} */ ms) => `${(ms / 60000).toFixed(1)} min`
/** @type {Map<string, { ms: number, n: number }>} */
const perFile = new Map()
for (const t of tests) {
  const f = perFile.get(t.file) ?? { ms: 0, n: 0 }
  f.ms += t.ms
  f.n++
  perFile.set(t.file, f)
}
const total = tests.reduce((a, t) => a + t.ms, 0)
console.log(`${tests.length} tests, ${min(total)} in tests (wall ${min(report.stats?.duration ?? 0)}, including the build and the preview server)`)
console.table([...perFile].sort((a, b) => b[1].ms - a[1].ms).map(([file, f]) => ({ file, tests: f.n, time: min(f.ms) })))
console.log(`slowest ${top}:`)
console.table(tests.sort((a, b) => b.ms - a.ms).slice(0, top).map((t) => ({ test: `${t.file} › ${t.title}`.slice(0, 110), s: (t.ms / 1000).toFixed(0), status: t.status })))
