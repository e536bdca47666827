import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { buildXiaoguanGlb } from '../../tools/make-xiaoguan.mjs'
import { outfitsOf, readGlbJson } from './glb-json'
import { XIAOGUAN_CLIPS, XIAOGUAN_OUTFITS } from './mascot-logic'

const ASSET = fileURLToPath(new URL('../../../assets/xiaoguan/xiaoguan.glb', import.meta.url))

describe('xiaoguan.glb', () => {
  const bytes = new Uint8Array(readFileSync(ASSET))
  const json = readGlbJson(bytes)

  it('is the output of the generator (re-running gives the same bytes: deterministic and up to date)', () => {
    const built = buildXiaoguanGlb() as Uint8Array
    expect(built.byteLength).toBe(bytes.byteLength)
    expect(Buffer.compare(Buffer.from(built), Buffer.from(bytes))).toBe(0)
  })

  it('is small and cheap', () => {
    expect(bytes.byteLength).toBeLessThan(300 * 1024)
    const drawCalls = json.meshes.reduce((n, mesh) => n + mesh.primitives.length, 0)
    expect(drawCalls).toBeLessThanOrEqual(16)
  })

  it('has every animation clip the app plays, each with channels', () => {
    const names = (json.animations ?? []).map((a) => a.name)
    expect([...names].sort()).toEqual([...XIAOGUAN_CLIPS].sort())
    for (const animation of json.animations ?? []) expect(animation.channels.length, animation.name).toBeGreaterThan(0)
  })

  it('has both outfits as toggleable nodes and the rig the clips drive', () => {
    expect(outfitsOf(json)).toEqual([...XIAOGUAN_OUTFITS].sort())
    const names = json.nodes.map((n) => n.name)
    for (const rig of ['xiaoguan', 'hips', 'head', 'arm_L', 'arm_R', 'halo']) expect(names).toContain(rig)
    expect(names.filter((n) => n?.startsWith('outfit_gamer_'))).toHaveLength(2)
    expect(names.filter((n) => n?.startsWith('outfit_astronaut_'))).toHaveLength(2)
  })

  it('refuses a file that is not a GLB, with a reason', () => {
    expect(() => readGlbJson(new TextEncoder().encode('{"asset":{"version":"2.0"}} not binary'))).toThrow(/bad magic/)
  })
})
