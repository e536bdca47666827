#!/usr/bin/env node
// Import graph of src/: which layer imports which, every upward arrow, every cycle (files and folders).
// No dependencies, so it runs before `npm install` and on any checkout (before/after a refactor).
//
// Usage: node src/tools/import-graph.mjs [--root src] [--layers core,runtime,scene,experiences,shell] [--json]
// Layers are top-level folders of the root, lowest first; `.` names the files directly in the root.
// Folders not listed (bench, tools, e2e, server) are outside the stack: they may import any layer, and a layer
// importing them counts as an upward arrow (except from a unit test, which may use them as fixtures: such edges
// are left out of the cycles too). Exit code 1 when there is an upward arrow or a cycle.

import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs'
import { join, relative, dirname, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Default layer order, lowest first. */
export const DEFAULT_LAYERS = ['core', 'runtime', 'scene', 'experiences', 'shell']

const TEST = /\.test\.(ts|tsx|mjs)$/
const SOURCE = /\.(ts|tsx|mts|mjs|js)$/
const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.mjs', '.js', '/index.ts', '/index.tsx', '/index.mjs', '/index.js']
// Static `import … from`, `export … from`, bare `import '…'`, `import('…')` (also inside type positions).
const IMPORT_PATTERNS = [
  /\bimport\s+(?:type\s+)?[^'"`;()]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bexport\s+(?:type\s+)?[^'"`;()]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  // Module augmentation (`declare module '../x' { … }`) depends on that module as much as an import does.
  /\bdeclare\s+module\s*['"]([^'"]+)['"]/g,
]

/** Removes comments so commented-out imports and prose do not count (strings are kept). */
export function stripComments(text) {
  let out = ''
  let i = 0
  while (i < text.length) {
    const c = text[i]
    const next = text[i + 1]
    if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2)
      i = end < 0 ? text.length : end + 2
    } else if (c === "'" || c === '"' || c === '`') {
      const start = i++
      while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1
      out += text.slice(start, ++i)
    } else {
      out += c
      i++
    }
  }
  return out
}

/** Every module specifier a source text imports (static, re-export, side-effect and dynamic). */
export function parseImports(text) {
  const code = stripComments(text)
  const found = new Set()
  for (const pattern of IMPORT_PATTERNS) {
    for (const m of code.matchAll(pattern)) found.add(m[1])
  }
  return [...found]
}

function listSources(dir) {
  const files = []
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) files.push(...listSources(path))
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) files.push(path)
  }
  return files
}

function resolveRelative(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier.replace(/\?.*$/, ''))
  for (const ext of EXTENSIONS) {
    const candidate = base + ext
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  // `./x.js` written for a `./x.ts` source.
  const noJs = base.replace(/\.js$/, '')
  for (const ext of ['.ts', '.tsx']) if (existsSync(noJs + ext)) return noJs + ext
  return null
}

/** Folder part of a root-relative path, with `/` separators ('.' for root files). */
function folderOf(rel) {
  const d = dirname(rel)
  return d === '' ? '.' : d
}

/** Top-level folder of a root-relative path ('.' for files directly in the root). */
function topOf(rel) {
  const parts = rel.split('/')
  return parts.length === 1 ? '.' : parts[0]
}

/** Strongly connected components with more than one member (Tarjan), each sorted; sorted by first member. */
export function findCycles(nodes, edges) {
  const index = new Map()
  const low = new Map()
  const onStack = new Set()
  const stack = []
  const out = []
  let counter = 0
  const visit = (root) => {
    // Iterative Tarjan: deep import chains would overflow the call stack otherwise.
    const work = [[root, 0]]
    index.set(root, counter)
    low.set(root, counter++)
    stack.push(root)
    onStack.add(root)
    while (work.length) {
      const frame = work[work.length - 1]
      const [v, i] = frame
      const targets = [...(edges.get(v) ?? [])]
      if (i < targets.length) {
        frame[1]++
        const w = targets[i]
        if (!index.has(w)) {
          index.set(w, counter)
          low.set(w, counter++)
          stack.push(w)
          onStack.add(w)
          work.push([w, 0])
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)))
        continue
      }
      work.pop()
      if (work.length) {
        const parent = work[work.length - 1][0]
        low.set(parent, Math.min(low.get(parent), low.get(v)))
      }
      if (low.get(v) === index.get(v)) {
        const scc = []
        let w
        do {
          w = stack.pop()
          onStack.delete(w)
          scc.push(w)
        } while (w !== v)
        if (scc.length > 1) out.push(scc.sort())
      }
    }
  }
  for (const n of [...nodes].sort()) if (!index.has(n)) visit(n)
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1))
}

/**
 * Builds the import graph of `root` and classifies it against `layers` (lowest first).
 * Returns file edges, per-layer edge counts, upward arrows, and file and folder cycles.
 */
export function analyse(root, layers = DEFAULT_LAYERS) {
  const absRoot = resolve(root)
  const rel = (p) => relative(absRoot, p).split(sep).join('/')
  const files = listSources(absRoot)
  const fileEdges = new Map()
  const edgeList = []
  for (const file of files) {
    const from = rel(file)
    const targets = new Set()
    for (const spec of parseImports(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue
      const target = resolveRelative(file, spec)
      if (!target || !target.startsWith(absRoot + sep)) continue
      const to = rel(target)
      if (to === from || targets.has(to)) continue
      targets.add(to)
      edgeList.push({ from, to })
    }
    fileEdges.set(from, targets)
  }
  const rank = (rel) => {
    const top = topOf(rel)
    const i = layers.indexOf(top)
    return i < 0 ? Infinity : i
  }
  const layerName = (rel) => (layers.includes(topOf(rel)) ? topOf(rel) : `(${topOf(rel)})`)
  const layerCounts = new Map()
  const upward = []
  // A unit test may use the generators and servers outside the stack as fixtures (never a higher layer): such an
  // edge is neither an upward arrow nor part of a cycle.
  const isFixture = ({ from, to }) => TEST.test(from) && rank(from) !== Infinity && rank(to) === Infinity
  for (const edge of edgeList) {
    const { from, to } = edge
    const key = `${layerName(from)} -> ${layerName(to)}`
    layerCounts.set(key, (layerCounts.get(key) ?? 0) + 1)
    // A file outside the stack may import anything; a layer may import itself and anything below it.
    if (rank(from) !== Infinity && rank(to) > rank(from) && !isFixture(edge)) upward.push({ from, to })
  }
  for (const edge of edgeList) if (isFixture(edge)) fileEdges.get(edge.from).delete(edge.to)
  const folderEdges = new Map()
  for (const { from, to } of edgeList.filter((e) => !isFixture(e))) {
    const a = folderOf(from)
    const b = folderOf(to)
    if (a === b) continue
    if (!folderEdges.has(a)) folderEdges.set(a, new Set())
    folderEdges.get(a).add(b)
  }
  const folders = new Set(files.map((f) => folderOf(rel(f))))
  return {
    files: files.length,
    edges: edgeList.length,
    layerCounts: [...layerCounts].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([pair, count]) => ({ pair, count })),
    upward: upward.sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1)),
    fileCycles: findCycles(new Set(fileEdges.keys()), fileEdges),
    folderCycles: findCycles(folders, folderEdges),
  }
}

/** Human-readable report of `analyse`'s result. */
export function formatReport(result, layers) {
  const lines = []
  lines.push(`layers (lowest first): ${layers.join(' <- ')}`)
  lines.push(`${result.files} files, ${result.edges} relative imports`)
  lines.push('', 'edges per layer pair:')
  for (const { pair, count } of result.layerCounts) lines.push(`  ${pair}: ${count}`)
  lines.push('', `upward imports (lower layer -> higher or outside): ${result.upward.length}`)
  for (const { from, to } of result.upward) lines.push(`  ${from} -> ${to}`)
  lines.push('', `file cycles: ${result.fileCycles.length}`)
  for (const scc of result.fileCycles) lines.push(`  [${scc.join(', ')}]`)
  lines.push('', `folder cycles: ${result.folderCycles.length}`)
  for (const scc of result.folderCycles) lines.push(`  [${scc.join(', ')}]`)
  return lines.join('\n')
}

function main(argv) {
  const arg = (name, fallback) => {
    const i = argv.indexOf(name)
    return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback
  }
  const root = arg('--root', 'src')
  const layers = arg('--layers', DEFAULT_LAYERS.join(',')).split(',').filter(Boolean)
  if (!existsSync(root)) {
    console.error(`import-graph: no folder "${root}" / 找不到目录 "${root}"; pass --root <folder>`)
    return 2
  }
  const result = analyse(root, layers)
  console.log(argv.includes('--json') ? JSON.stringify(result, null, 2) : formatReport(result, layers))
  return result.upward.length + result.fileCycles.length + result.folderCycles.length === 0 ? 0 : 1
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2))
}
