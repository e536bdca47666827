import { describe, expect, it } from 'vitest'
import { REQUIRED_HUMAN_BONES } from './humanoid'
import { DEFAULT_MAX_VRM_BYTES, parseGlb, validateVrm, validateVrmFile } from './vrm-validation'

const BONES = [...REQUIRED_HUMAN_BONES, 'chest', 'neck', 'leftThumbMetacarpal']

function vrm1(mutate?: (humanBones: Record<string, { node: number }>) => void) {
  const humanBones: Record<string, { node: number }> = {}
  BONES.forEach((b, i) => (humanBones[b] = { node: i + 1 }))
  mutate?.(humanBones)
  return {
    asset: { version: '2.0', generator: 'test' },
    nodes: Array.from({ length: BONES.length + 1 }, (_, i) => ({ name: `n${i}` })),
    extensionsUsed: ['VRMC_vrm'],
    extensions: { VRMC_vrm: { specVersion: '1.0', meta: { name: '小关主播' }, humanoid: { humanBones } } },
  }
}

function vrm0() {
  const names = [...REQUIRED_HUMAN_BONES, 'chest', 'neck', 'leftThumbProximal', 'leftThumbIntermediate']
  return {
    asset: { version: '2.0' },
    nodes: Array.from({ length: names.length }, () => ({})),
    extensions: {
      VRM: {
        meta: { title: 'Old Host', version: '1' },
        humanoid: { humanBones: names.map((bone, node) => ({ bone, node, useDefaultValues: true })) },
      },
    },
  }
}

/** Packs glTF JSON (and an optional binary chunk) into a GLB buffer. */
function glb(json: unknown, bin?: Uint8Array, version = 2): ArrayBuffer {
  let text = JSON.stringify(json)
  while (new TextEncoder().encode(text).length % 4 !== 0) text += ' '
  const jsonBytes = new TextEncoder().encode(text)
  const binPadded = bin ? new Uint8Array(Math.ceil(bin.length / 4) * 4) : null
  if (bin && binPadded) binPadded.set(bin)
  const total = 12 + 8 + jsonBytes.length + (binPadded ? 8 + binPadded.length : 0)
  const buf = new ArrayBuffer(total)
  const view = new DataView(buf)
  const bytes = new Uint8Array(buf)
  view.setUint32(0, 0x46546c67, true)
  view.setUint32(4, version, true)
  view.setUint32(8, total, true)
  view.setUint32(12, jsonBytes.length, true)
  view.setUint32(16, 0x4e4f534a, true)
  bytes.set(jsonBytes, 20)
  if (binPadded) {
    const o = 20 + jsonBytes.length
    view.setUint32(o, binPadded.length, true)
    view.setUint32(o + 4, 0x004e4942, true)
    bytes.set(binPadded, o + 8)
  }
  return buf
}

describe('validateVrm', () => {
  it('accepts a VRM 1.0 model and reads its name and bones', () => {
    const r = validateVrm(vrm1())
    expect(r).toMatchObject({ ok: true, version: '1.0', name: '小关主播' })
    expect(r.error).toBeUndefined()
    expect(r.bones.hips).toBe(1)
    expect(r.bones.leftThumbMetacarpal).toBe(BONES.length)
  })

  it('accepts a VRM 0.x model and maps its thumb names to 1.0', () => {
    const r = validateVrm(vrm0())
    expect(r).toMatchObject({ ok: true, version: '0.x', name: 'Old Host' })
    const n = REQUIRED_HUMAN_BONES.length
    expect(r.bones.leftThumbMetacarpal).toBe(n + 2)
    expect(r.bones.leftThumbProximal).toBe(n + 3)
  })

  it('names a missing required bone', () => {
    const r = validateVrm(vrm1((h) => delete h.leftFoot))
    expect(r.ok).toBe(false)
    expect(r.version).toBe('1.0')
    expect(r.error?.code).toBe('missing-bone')
    expect(r.error?.message.en).toContain('leftFoot')
    expect(r.error?.message.zh).toContain('leftFoot')
  })

  it('rejects node indices out of range, non-integers and shared nodes', () => {
    expect(validateVrm(vrm1((h) => (h.head = { node: 99 }))).error?.code).toBe('bad-node-index')
    expect(validateVrm(vrm1((h) => (h.head = { node: -1 }))).error?.code).toBe('bad-node-index')
    expect(validateVrm(vrm1((h) => (h.head = { node: 1.5 }))).error?.code).toBe('bad-node-index')
    expect(validateVrm(vrm1((h) => (h.head = { node: 1 }))).error?.code).toBe('duplicate-bone-node')
  })

  it('tells a plain glTF, a broken glTF and a missing humanoid apart', () => {
    const plain = { asset: { version: '2.0' }, nodes: [] }
    expect(validateVrm(plain).error?.code).toBe('not-vrm')
    expect(validateVrm({ nodes: [] }).error?.code).toBe('invalid-gltf')
    expect(validateVrm({ asset: { version: '1.0' } }).error?.code).toBe('invalid-gltf')
    expect(validateVrm(null).error?.code).toBe('invalid-gltf')
    const noHumanoid = vrm1() as { extensions: { VRMC_vrm: Record<string, unknown> } }
    delete noHumanoid.extensions.VRMC_vrm.humanoid
    expect(validateVrm(noHumanoid).error?.code).toBe('missing-humanoid')
  })

  it('enforces the size limit (64 MB by default)', () => {
    expect(DEFAULT_MAX_VRM_BYTES).toBe(64 * 1024 * 1024)
    const r = validateVrm(vrm1(), { byteLength: 65 * 1024 * 1024 })
    expect(r.error?.code).toBe('too-large')
    expect(r.error?.message.en).toContain('65.0 MB')
    expect(validateVrm(vrm1(), { byteLength: 2000, maxBytes: 1000 }).error?.code).toBe('too-large')
    expect(validateVrm(vrm1(), { byteLength: 63 * 1024 * 1024 }).ok).toBe(true)
  })
})

describe('parseGlb / validateVrmFile', () => {
  it('reads the JSON and binary chunks of a valid GLB', () => {
    const buf = glb(vrm1(), new Uint8Array([1, 2, 3, 4, 5]))
    const parsed = parseGlb(buf)
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect(parsed.json).toEqual(vrm1())
    expect(parsed.bin?.byteLength).toBe(8)
    expect(new Uint8Array(buf, parsed.bin!.byteOffset, 5)).toEqual(new Uint8Array([1, 2, 3, 4, 5]))
    expect(validateVrmFile(buf)).toMatchObject({ ok: true, version: '1.0' })
    expect(validateVrmFile(glb(vrm0()))).toMatchObject({ ok: true, version: '0.x' })
  })

  it('says "not a GLB" for other files, with a hint for .gltf text', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0, 0]).buffer
    expect(parseGlb(png)).toMatchObject({ ok: false, error: { code: 'not-glb' } })
    const text = new TextEncoder().encode('{"asset":{"version":"2.0"}}')
    const r = parseGlb(text.buffer as ArrayBuffer)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message.en).toContain('.gltf')
    expect(parseGlb(new ArrayBuffer(0))).toMatchObject({ ok: false, error: { code: 'not-glb' } })
  })

  it('says "truncated" for cut-off files', () => {
    const full = glb(vrm1(), new Uint8Array(64))
    for (const cut of [3, 11, 16, 40, full.byteLength - 10]) {
      expect(parseGlb(full.slice(0, cut))).toMatchObject({ ok: false, error: { code: 'truncated-glb' } })
    }
    expect(validateVrmFile(full.slice(0, 40)).error?.code).toBe('truncated-glb')
  })

  it('rejects other GLB versions, a missing JSON chunk and broken JSON', () => {
    expect(parseGlb(glb(vrm1(), undefined, 1))).toMatchObject({ ok: false, error: { code: 'unsupported-glb-version' } })
    const buf = glb(vrm1())
    new DataView(buf).setUint32(16, 0x004e4942, true)
    expect(parseGlb(buf)).toMatchObject({ ok: false, error: { code: 'missing-json-chunk' } })
    const broken = glb(vrm1())
    new Uint8Array(broken)[20] = 0x7d // '}' where '{' was
    expect(parseGlb(broken)).toMatchObject({ ok: false, error: { code: 'invalid-json' } })
  })

  it('checks size before parsing', () => {
    const buf = glb(vrm1())
    expect(validateVrmFile(buf, 100).error?.code).toBe('too-large')
  })
})
