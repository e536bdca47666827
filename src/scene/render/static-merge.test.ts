import { Box3, BoxGeometry, CylinderGeometry, Group, InstancedMesh, Mesh, MeshBasicMaterial, MeshLambertMaterial, MeshStandardMaterial, PlaneGeometry, Texture, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { applyMaterialDetail, classifyMaterialDetail, createMaterialDetail } from './material-detail'
import { mergeStaticMeshes, staticMergeSummary, unmergeStaticMeshes } from './static-merge'

/** A set like the studio's: three lamp housings side by side (same material, two colours), a stage, a picked button, a moving part. */
function studioSet() {
  const root = new Group()
  root.position.set(0, 1, 0)
  const lamps: Mesh[] = []
  for (const [x, color] of [
    [-0.3, '#1c1c22'],
    [0, '#1c1c22'],
    [0.3, '#ff0000'],
  ] as const) {
    const lamp = new Mesh(new CylinderGeometry(0.1, 0.2, 0.3, 8), new MeshStandardMaterial({ color, metalness: 0.7, roughness: 0.35 }))
    lamp.position.set(x, 3, 0)
    lamp.rotation.x = 0.9
    root.add(lamp)
    lamps.push(lamp)
  }
  const stage = new Mesh(new CylinderGeometry(1.8, 1.9, 0.2, 16), new MeshStandardMaterial({ color: '#2a2140', roughness: 0.5, metalness: 0.2 }))
  root.add(stage)
  const button = new Mesh(new BoxGeometry(0.2, 0.1, 0.02), new MeshStandardMaterial({ color: '#1c1c22', metalness: 0.7, roughness: 0.35 }))
  button.userData.interactive = true
  root.add(button)
  const mover = new Group()
  mover.userData.dynamic = true
  const arm = new Mesh(new BoxGeometry(1, 0.1, 0.1), new MeshStandardMaterial({ color: '#1c1c22', metalness: 0.7, roughness: 0.35 }))
  mover.add(arm)
  root.add(mover)
  const glass = new Mesh(new PlaneGeometry(1, 1), new MeshBasicMaterial({ color: '#ffffff', transparent: true, opacity: 0.4 }))
  root.add(glass)
  root.updateMatrixWorld(true)
  return { root, lamps, stage, button, arm, glass }
}

/** World bounds from the vertices themselves (precise). */
function worldBox(mesh: Mesh) {
  mesh.updateWorldMatrix(true, false)
  return new Box3().setFromObject(mesh, true)
}

describe('static merge', () => {
  it('draws the lamps as one mesh, in place, their colours in vertex colours; the rest stays', () => {
    const set = studioSet()
    const before = set.lamps.map(worldBox)
    const merge = mergeStaticMeshes(set.root, 'studio')
    expect(merge.merged).toHaveLength(1)
    const merged = merge.merged[0]
    expect(merged.parent).toBe(set.root)
    expect(merged.userData.staticMerge).toEqual({ sources: 3 })
    expect(merge.sources).toEqual(set.lamps)
    for (const lamp of set.lamps) {
      expect(lamp.visible).toBe(false)
      expect(lamp.userData.mergedInto).toBe(merged)
    }
    // Kept: the stage (its material alone), the button (picked), the arm (moves), the glass (blended).
    for (const m of [set.stage, set.button, set.arm, set.glass]) expect(m.visible).toBe(true)
    expect(merge.keptBy).toEqual({ alone: 1, interactive: 1, dynamic: 1, transparent: 1 })
    expect(staticMergeSummary(merge)).toMatchObject({ drawsBefore: 7, drawsAfter: 5, merged: 1, sources: 3 })

    // The same place in the world: the merged geometry's bounds are the union of the lamps'.
    const union = before[0].clone().union(before[1]).union(before[2])
    const after = worldBox(merged)
    expect(after.min.distanceTo(union.min)).toBeLessThan(1e-5)
    expect(after.max.distanceTo(union.max)).toBeLessThan(1e-5)

    // White material with vertex colours: each lamp's vertices carry its own colour.
    const material = merged.material as MeshStandardMaterial
    expect(material).not.toBe(set.lamps[0].material)
    expect(material.vertexColors).toBe(true)
    expect(material.color.getHex()).toBe(0xffffff)
    expect(material.metalness).toBe(0.7)
    expect(material.roughness).toBe(0.35)
    const colors = merged.geometry.getAttribute('color')
    const perLamp = set.lamps[0].geometry.getAttribute('position').count
    expect(colors.count).toBe(perLamp * 3)
    const red = (set.lamps[2].material as MeshStandardMaterial).color
    expect(colors.getX(perLamp * 2)).toBeCloseTo(red.r, 6)
    expect(colors.getY(perLamp * 2)).toBeCloseTo(red.g, 6)
    const dark = (set.lamps[0].material as MeshStandardMaterial).color
    expect(colors.getX(0)).toBeCloseTo(dark.r, 6)
    // A texture-free material reads no uv: the merged geometry carries position, normal and colour only.
    expect(Object.keys(merged.geometry.attributes).sort()).toEqual(['color', 'normal', 'position'])
  })

  it('unmerge shows the sources again and frees the merged geometry and material', () => {
    const set = studioSet()
    const merge = mergeStaticMeshes(set.root)
    const merged = merge.merged[0]
    let geometryFreed = false
    let materialFreed = false
    merged.geometry.addEventListener('dispose', () => (geometryFreed = true))
    ;(merged.material as MeshStandardMaterial).addEventListener('dispose', () => (materialFreed = true))
    unmergeStaticMeshes(merge)
    expect(merged.parent).toBeNull()
    expect(geometryFreed).toBe(true)
    expect(materialFreed).toBe(true)
    for (const lamp of set.lamps) {
      expect(lamp.visible).toBe(true)
      expect(lamp.userData.mergedInto).toBeUndefined()
    }
    // A second merge of the same set finds the same group (the old merged mesh is gone).
    const again = mergeStaticMeshes(set.root)
    expect(again.merged).toHaveLength(1)
    expect(again.sources).toHaveLength(3)
  })

  it('meshes with pointer handlers (R3F) or under one are never merged', () => {
    const set = studioSet()
    ;(set.lamps[1] as unknown as { __r3f: { eventCount: number } }).__r3f = { eventCount: 1 }
    const merge = mergeStaticMeshes(set.root)
    expect(merge.sources).toEqual([set.lamps[0], set.lamps[2]])
    expect(set.lamps[1].visible).toBe(true)
  })

  it('textured materials merge only with meshes sharing the very same material, which keeps its colour and uv', () => {
    const root = new Group()
    const texture = new Texture()
    const shared = new MeshBasicMaterial({ map: texture, color: '#88aaff' })
    const a = new Mesh(new PlaneGeometry(1, 1), shared)
    const b = new Mesh(new PlaneGeometry(1, 1), shared)
    b.position.x = 2
    const other = new Mesh(new PlaneGeometry(1, 1), new MeshBasicMaterial({ map: texture, color: '#88aaff' }))
    root.add(a, b, other)
    const merge = mergeStaticMeshes(root)
    expect(merge.merged).toHaveLength(1)
    expect(merge.merged[0].material).toBe(shared)
    expect(shared.color.getHexString()).toBe('88aaff')
    expect(merge.merged[0].geometry.getAttribute('uv')).toBeDefined()
    expect(other.visible).toBe(true)
    // The shared material belongs to its sources: unmerging must not free it.
    let freed = false
    shared.addEventListener('dispose', () => (freed = true))
    unmergeStaticMeshes(merge)
    expect(freed).toBe(false)
  })

  it('small things far apart stay apart (merged, they would be culled as one); large ones lining a room merge', () => {
    const root = new Group()
    const material = () => new MeshStandardMaterial({ color: '#1c1c22', metalness: 0.7, roughness: 0.35 })
    // Lamps 5 m apart, 0.25 m each: drawing one would draw all three.
    for (const x of [-2.5, 0, 2.5]) {
      const lamp = new Mesh(new CylinderGeometry(0.11, 0.18, 0.3, 16), material())
      lamp.position.set(x, 3.3, 0)
      root.add(lamp)
    }
    // Panels 10 m long around a 3.4 m cabin: each is about as large as all of them.
    for (const a of [0, 1, 2, 3, 4, 5]) {
      const panel = new Mesh(new BoxGeometry(0.12, 0.7, 10), new MeshStandardMaterial({ color: '#eef0f3', roughness: 0.7 }))
      panel.position.set(Math.cos(a) * 3.2, Math.sin(a) * 3.2, 0)
      root.add(panel)
    }
    const merge = mergeStaticMeshes(root)
    expect(merge.merged).toHaveLength(1)
    expect(merge.merged[0].userData.staticMerge).toEqual({ sources: 6 })
    expect(merge.keptBy).toEqual({ alone: 3 })
  })

  it('leaves instanced, hidden, noMerge and mirrored meshes alone', () => {
    const root = new Group()
    const material = () => new MeshLambertMaterial({ color: '#ffffff' })
    const instanced = new InstancedMesh(new BoxGeometry(), material(), 4)
    const hidden = new Mesh(new BoxGeometry(), material())
    hidden.visible = false
    const earth = new Mesh(new BoxGeometry(), material())
    earth.userData.noMerge = true
    const mirrored = new Mesh(new BoxGeometry(), material())
    mirrored.scale.set(-1, 1, 1)
    const plain = new Mesh(new BoxGeometry(), material())
    root.add(instanced, hidden, earth, mirrored, plain)
    const merge = mergeStaticMeshes(root)
    expect(merge.merged).toHaveLength(0)
    expect(merge.keptBy).toEqual({ special: 2, hidden: 1, dynamic: 1, alone: 1 })
  })

  it('the material-detail lever acts on the merged mesh, counts the meshes it draws, and skips the hidden sources', () => {
    const set = studioSet()
    mergeStaticMeshes(set.root)
    const detail = createMaterialDetail(set.root)
    // Entries: the merged lamps, the stage, the button, the arm (standard materials, not hidden).
    expect(detail.entries).toHaveLength(4)
    expect(detail.meshes).toBe(6)
    expect(detail.entries.some((e) => e.mesh.userData.mergedInto)).toBe(false)
    applyMaterialDetail(detail, 0)
    expect(detail.simplified).toBe(6)
    const merged = detail.entries.find((e) => e.mesh.userData.staticMerge)!
    expect((merged.mesh.material as MeshLambertMaterial).isMeshLambertMaterial).toBe(true)
    // The Lambert twin keeps the vertex colours.
    expect((merged.mesh.material as MeshLambertMaterial).vertexColors).toBe(true)
    // "Small or far" is judged from the merged mesh's bounding sphere centre (the lamps, 3 m up in
    // the set), not from its origin (the set's).
    expect(merged.center.distanceTo(new Vector3(0, 3, 0))).toBeLessThan(0.2)
    applyMaterialDetail(detail, 2)
    classifyMaterialDetail(detail, 0, 4, 0)
    expect(merged.minor).toBe(false)
    classifyMaterialDetail(detail, 0, 4, 200)
    expect(merged.minor).toBe(true)
  })
})
