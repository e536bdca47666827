import { VRMLoaderPlugin, type VRM } from '@pixiv/three-vrm'
import { readFileSync } from 'node:fs'
import { DoubleSide, MeshStandardMaterial, SkinnedMesh, Vector3 } from 'three'
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js'
import { describe, expect, it } from 'vitest'
import { createAvatarDetailLever, createMergedAvatarMeshes } from './avatar-merge'

async function loadDefault(): Promise<VRM> {
  const b = readFileSync('assets/avatars/lingjing-host.vrm')
  const loader = new GLTFLoader()
  loader.register((parser) => new VRMLoaderPlugin(parser))
  const gltf = await loader.parseAsync(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer, '')
  return gltf.userData.vrm as VRM
}

const skinnedMeshes = (vrm: VRM) => {
  const out: SkinnedMesh[] = []
  vrm.scene.traverse((o) => {
    if (o instanceof SkinnedMesh) out.push(o)
  })
  return out
}

describe('merged avatar meshes (the default host)', () => {
  it('merges the body and the head into one skinned mesh each, keeping the face (morph targets) as authored', async () => {
    const vrm = await loadDefault()
    const merged = createMergedAvatarMeshes(vrm.scene)
    expect(merged.sources.map((parts) => parts.map((p) => p.name))).toEqual([
      ['Body_1', 'Body_2', 'Body_3', 'Body_4', 'Body_5', 'Body_6'],
      ['Head_1', 'Head_2', 'Head_3', 'Head_4', 'Head_5'],
    ])
    merged.sources.forEach((parts, i) => {
      // Every vertex of every part, a double-sided part's twice (its back faces).
      const expected = parts.reduce((n, p) => n + p.geometry.getAttribute('position').count * ((p.material as MeshStandardMaterial).side === DoubleSide ? 2 : 1), 0)
      expect(merged.merged[i].geometry.getAttribute('position').count).toBe(expected)
      expect(merged.merged[i].skeleton).toBe(parts[0].skeleton)
      expect(merged.merged[i].parent).toBe(parts[0].parent)
    })
    // Each vertex carries its part's colour.
    const body = merged.merged[0]
    const colour = body.geometry.getAttribute('color')
    const first = merged.sources[0][0].material as MeshStandardMaterial
    expect([colour.getX(0), colour.getY(0), colour.getZ(0)]).toEqual([first.color.r, first.color.g, first.color.b].map(Math.fround))
  })

  it('moves exactly as the parts do when the skeleton is posed', async () => {
    const vrm = await loadDefault()
    const merged = createMergedAvatarMeshes(vrm.scene)
    const arm = vrm.humanoid.getRawBoneNode('leftUpperArm')!
    arm.rotation.set(0.4, -0.7, 1.1)
    const head = vrm.humanoid.getRawBoneNode('head')!
    head.rotation.set(-0.3, 0.5, 0)
    vrm.scene.updateMatrixWorld(true)
    merged.sources.forEach((parts, i) => {
      const mesh = merged.merged[i]
      mesh.skeleton.update()
      let offset = 0
      for (const part of parts) {
        const n = part.geometry.getAttribute('position').count
        for (let v = 0; v < n; v += 37) {
          const a = part.getVertexPosition(v, new Vector3())
          const b = mesh.getVertexPosition(offset + v, new Vector3())
          expect(b.distanceTo(a)).toBeLessThan(1e-6)
        }
        offset += n * ((part.material as MeshStandardMaterial).side === DoubleSide ? 2 : 1)
      }
    })
  })

  it('switches between the merged draw and the parts, with the parts\' first-person layers, and undoes itself', async () => {
    const vrm = await loadDefault()
    vrm.firstPerson!.setup()
    const before = skinnedMeshes(vrm).length
    const merged = createMergedAvatarMeshes(vrm.scene)
    expect(merged.merged.every((m) => !m.visible)).toBe(true)
    merged.setMerged(true)
    merged.sources.forEach((parts, i) => {
      expect(merged.merged[i].visible).toBe(true)
      expect(parts.every((p) => !p.visible)).toBe(true)
      expect(merged.merged[i].layers.mask).toBe(parts[0].layers.mask)
    })
    // The head is third-person only: hidden from the wearer's eyes, merged or not.
    expect(merged.merged[1].layers.mask).not.toBe(merged.merged[0].layers.mask)
    merged.setMerged(false)
    expect(merged.sources.flat().every((p) => p.visible)).toBe(true)
    merged.dispose()
    expect(skinnedMeshes(vrm).length).toBe(before)
  })

  it('is the avatar-detail lever: level 0 draws merged, full quality the parts', async () => {
    const vrm = await loadDefault()
    const merged = createMergedAvatarMeshes(vrm.scene)
    const lever = createAvatarDetailLever(merged)
    expect(lever.maxLevel).toBe(1)
    lever.apply(0)
    expect(merged.merged.every((m) => m.visible)).toBe(true)
    expect(merged.sources.flat().some((p) => p.visible)).toBe(false)
    lever.apply(1)
    expect(merged.merged.some((m) => m.visible)).toBe(false)
    expect(merged.sources.flat().every((p) => p.visible)).toBe(true)
  })
})
