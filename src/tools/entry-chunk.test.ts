import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { stripComments } from './import-graph.mjs'

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..')

// Value imports and re-exports only: `import type`, `export type` and all-type brace lists are
// erased by the compiler; `import()` starts a chunk of its own.
const STATIC = /(?:^|[;\n])\s*(import|export)\s+(?!type\s)([^'";]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]/g

function valueImports(file: string): string[] {
  const out: string[] = []
  for (const m of stripComments(readFileSync(file, 'utf8')).matchAll(STATIC)) {
    const clause = m[2] ?? ''
    const spec = m[3] ?? m[4]
    const braces = /^\{([^}]*)\}$/.exec(clause.trim())
    // `import { type A, type B } from` brings in nothing at run time.
    if (braces && braces[1].split(',').every((name) => name.trim() === '' || name.trim().startsWith('type '))) continue
    if (spec.startsWith('.')) out.push(spec)
  }
  return out
}

function resolveSource(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec)
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (existsSync(candidate) && statSync(candidate).isFile() && /\.tsx?$/.test(candidate)) return candidate
  }
  return null
}

/**
 * Every source file the entry reaches through static value imports (what the entry chunk can
 * hold), each with the file that first imported it (to name the path in a failure).
 */
function staticClosure(entry: string): Map<string, string | null> {
  const rel = (f: string) => relative(SRC, f).replace(/\\/g, '/')
  const seen = new Map<string, string | null>()
  const todo: [string, string | null][] = [[entry, null]]
  while (todo.length > 0) {
    const [file, from] = todo.shift()!
    if (seen.has(rel(file))) continue
    seen.set(rel(file), from)
    for (const spec of valueImports(file)) {
      const next = resolveSource(file, spec)
      if (next) todo.push([next, rel(file)])
    }
  }
  return seen
}

/** The import path from the entry to `file`. */
function pathTo(closure: Map<string, string | null>, file: string): string {
  const chain = [file]
  for (let at = closure.get(file); at; at = closure.get(at)) chain.unshift(at)
  return chain.join(' → ')
}

describe('the entry chunk', () => {
  it('reaches no recording code: the recorder, the replay loader, the format, validator and player load on first use', () => {
    const closure = staticClosure(resolve(SRC, 'shell/main.tsx'))
    // The walk itself works: the facade that loads them is in the entry.
    expect(closure.has('runtime/replay/xr-sessions-service.ts')).toBe(true)
    // (recording-format.ts is reached for its timing-trace constants only, which is all the bundler keeps of it.)
    const lazy = [
      'runtime/replay/take-recorder.ts',
      'runtime/replay/replay-loader.ts',
      'core/replay/validate-recording.ts',
      'core/replay/replay-player.ts',
      'core/replay/session-recorder.ts',
      'core/replay/take-store.ts',
    ]
    expect(lazy.filter((file) => closure.has(file)).map((file) => pathTo(closure, file))).toEqual([])
  })
})
