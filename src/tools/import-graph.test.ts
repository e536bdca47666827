import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { analyse, DEFAULT_LAYERS, parseImports } from './import-graph.mjs'

const root = mkdtempSync(join(tmpdir(), 'import-graph-'))
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), text)
}
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('import graph', () => {
  it('finds static, re-export, side-effect and dynamic imports, not commented ones', () => {
    const text = [
      "import { a } from './a'",
      "import type { B } from '../b'",
      "export { c } from './c'",
      "import './d.css'",
      "const e = lazy(() => import('./e'))",
      "declare module './h' {}",
      "// import { f } from './f'",
      "/* import { g } from './g' */",
      "const s = 'import nothing'",
    ].join('\n')
    expect(parseImports(text).sort()).toEqual(['../b', './a', './c', './d.css', './e', './h'])
  })

  it('reports an upward arrow, a file cycle and a folder cycle, and a clean graph as clean', () => {
    write('core/math.ts', 'export const one = 1\n')
    write('scene/view.tsx', "import { one } from '../core/math'\nimport { tool } from '../shell/app'\nexport const v = one + tool\n")
    write('shell/app.tsx', "import { v } from '../scene/view'\nexport const tool = 2\nexport const w = v\n")
    write('shell/a/x.ts', "import { y } from '../b/y'\nexport const x = 1\nexport const z = y\n")
    write('shell/b/y.ts', "import { x } from '../a/x'\nexport const y = x\n")
    write('scene/view.test.ts', "import { h } from '../tools/helper'\nexport const t = h\n")
    write('tools/helper.ts', "import { v } from '../scene/view'\nexport const h = v\n")
    const result = analyse(root, ['core', 'scene', 'shell'])
    expect(result.upward).toEqual([{ from: 'scene/view.tsx', to: 'shell/app.tsx' }])
    expect(result.fileCycles).toEqual([
      ['scene/view.tsx', 'shell/app.tsx'],
      ['shell/a/x.ts', 'shell/b/y.ts'],
    ])
    expect(result.folderCycles).toEqual([
      ['scene', 'shell'],
      ['shell/a', 'shell/b'],
    ])
    expect(result.layerCounts).toContainEqual({ pair: 'scene -> core', count: 1 })
    expect(result.layerCounts).toContainEqual({ pair: 'scene -> (tools)', count: 1 })

    write('scene/view.tsx', "import { one } from '../core/math'\nexport const v = one\n")
    write('shell/b/y.ts', 'export const y = 1\n')
    const clean = analyse(root, ['core', 'scene', 'shell'])
    expect(clean.upward).toEqual([])
    expect(clean.fileCycles).toEqual([])
    expect(clean.folderCycles).toEqual([])
  })
})

describe("this repository's layers", () => {
  it('import downwards only and hold no cycle (src/README.md)', () => {
    const src = fileURLToPath(new URL('..', import.meta.url))
    const result = analyse(src, [...DEFAULT_LAYERS])
    expect(result.upward).toEqual([])
    expect(result.fileCycles).toEqual([])
    // Cycles among the folders outside the stack (e2e and its generators in tools) are not the layers' business.
    const inLayers = (folder: string) => (DEFAULT_LAYERS as readonly string[]).includes(folder.split('/')[0])
    expect(result.folderCycles.filter((cycle: string[]) => cycle.some(inLayers))).toEqual([])
  })
})
