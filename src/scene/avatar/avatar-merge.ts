import { BufferAttribute, BufferGeometry, DoubleSide, MeshStandardMaterial, SkinnedMesh, type Object3D } from 'three'
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js'
import type { QualityScaler } from '../../core/frame'

/** The attributes a merged avatar mesh keeps (untextured, unmorphed parts read no uv). */
const KEEP = ['position', 'normal', 'skinIndex', 'skinWeight'] as const

/** The avatar's parts drawn merged (one skinned draw per group) or as authored. */
export interface MergedAvatarMeshes {
  /** One merged mesh per group of parts (added beside them, hidden until {@link MergedAvatarMeshes.setMerged}). */
  readonly merged: readonly SkinnedMesh[]
  /** The parts each merged mesh draws, in the same order. */
  readonly sources: readonly (readonly SkinnedMesh[])[]
  /** Draws the merged meshes (true) or the authored parts (false); copies the parts' layers (first-person setup) each time. */
  setMerged(on: boolean): void
  /** Removes the merged meshes from the avatar, frees them and shows the authored parts. */
  dispose(): void
}

/** A part that can be drawn merged: skinned, one plain untextured standard material, no morph targets. */
function mergeable(object: Object3D): object is SkinnedMesh {
  if (!(object instanceof SkinnedMesh) || Array.isArray(object.material)) return false
  const m = object.material
  if (!(m instanceof MeshStandardMaterial) || m.transparent || m.vertexColors) return false
  if (m.map || m.emissiveMap || m.normalMap || m.roughnessMap || m.metalnessMap || m.alphaMap || m.aoMap || m.bumpMap || m.lightMap) return false
  const g = object.geometry
  if (Object.keys(g.morphAttributes).length > 0 || !g.index) return false
  return KEEP.every((name) => g.getAttribute(name) !== undefined)
}

/** One part's geometry with only {@link KEEP} and its material's colour per vertex; a double-sided part gets its back faces as triangles of their own. */
function partGeometry(part: SkinnedMesh): BufferGeometry {
  const source = part.geometry
  const material = part.material as MeshStandardMaterial
  const doubled = material.side === DoubleSide
  const g = new BufferGeometry()
  for (const name of KEEP) g.setAttribute(name, source.getAttribute(name).clone())
  const count = g.getAttribute('position').count
  const colour = new Float32Array(count * 3)
  for (let i = 0; i < count; i++) colour.set([material.color.r, material.color.g, material.color.b], i * 3)
  g.setAttribute('color', new BufferAttribute(colour, 3))
  const index = Array.from(source.index!.array)
  if (!doubled) {
    g.setIndex(index)
    return g
  }
  // Back faces: the same vertices again with the normal flipped, triangles wound the other way.
  const flipped = new BufferGeometry()
  for (const name of [...KEEP, 'color']) {
    const a = g.getAttribute(name)
    // The same array type as the part's (mergeGeometries wants one type per attribute).
    const array = new (a.array.constructor as Float32ArrayConstructor)(a.count * a.itemSize * 2)
    array.set(a.array)
    array.set(a.array, a.count * a.itemSize)
    flipped.setAttribute(name, new BufferAttribute(array, a.itemSize, a.normalized))
  }
  const normal = flipped.getAttribute('normal')
  for (let i = count; i < count * 2; i++) normal.setXYZ(i, -normal.getX(i), -normal.getY(i), -normal.getZ(i))
  const back: number[] = []
  for (let t = 0; t < index.length; t += 3) back.push(index[t] + count, index[t + 2] + count, index[t + 1] + count)
  flipped.setIndex([...index, ...back])
  return flipped
}

/**
 * Groups the avatar's mergeable parts by node (parts of one glTF mesh: same parent, transform,
 * skeleton and bind matrix) and builds one skinned mesh per group of two or more: the parts'
 * colours as vertex colours, one standard material (the parts' mean roughness and metalness),
 * bound to the same skeleton, so it moves exactly as the parts do. Emissive tints and per-part
 * roughness are what the merged draw gives up. Parts with textures or morph targets (the face's
 * expressions) stay as they are.
 */
export function createMergedAvatarMeshes(root: Object3D): MergedAvatarMeshes {
  const groups = new Map<string, SkinnedMesh[]>()
  root.traverse((object) => {
    if (!mergeable(object) || !object.parent) return
    const key = `${object.parent.uuid}:${object.skeleton.uuid}`
    const list = groups.get(key)
    const first = list?.[0]
    if (first && (!first.matrix.equals(object.matrix) || !first.bindMatrix.equals(object.bindMatrix))) return
    if (list) list.push(object)
    else groups.set(key, [object])
  })
  const merged: SkinnedMesh[] = []
  const sources: SkinnedMesh[][] = []
  for (const parts of groups.values()) {
    if (parts.length < 2) continue
    const geometry = mergeGeometries(parts.map(partGeometry))
    if (!geometry) continue
    const materials = parts.map((p) => p.material as MeshStandardMaterial)
    const material = new MeshStandardMaterial({
      vertexColors: true,
      roughness: materials.reduce((s, m) => s + m.roughness, 0) / materials.length,
      metalness: materials.reduce((s, m) => s + m.metalness, 0) / materials.length,
    })
    const first = parts[0]
    const mesh = new SkinnedMesh(geometry, material)
    mesh.name = `${first.parent!.name}:merged`
    mesh.position.copy(first.position)
    mesh.quaternion.copy(first.quaternion)
    mesh.scale.copy(first.scale)
    mesh.frustumCulled = first.frustumCulled
    mesh.bind(first.skeleton, first.bindMatrix)
    mesh.visible = false
    first.parent!.add(mesh)
    merged.push(mesh)
    sources.push(parts)
  }
  const setMerged = (on: boolean) => {
    for (let i = 0; i < merged.length; i++) {
      merged[i].layers.mask = sources[i][0].layers.mask
      merged[i].visible = on
      for (const part of sources[i]) part.visible = !on
    }
  }
  return {
    merged,
    sources,
    setMerged,
    dispose() {
      setMerged(false)
      for (const mesh of merged) {
        mesh.removeFromParent()
        mesh.geometry.dispose()
        ;(mesh.material as MeshStandardMaterial).dispose()
      }
    },
  }
}

/**
 * The 'avatar-detail' lever: level 0 draws the avatar merged (the default host: its body in one
 * draw call instead of six, its head in one instead of five; every part is drawn once per eye and
 * again in the programme and the mirror), full quality draws the parts as authored.
 */
export function createAvatarDetailLever(merged: MergedAvatarMeshes): QualityScaler {
  return {
    id: 'avatar-detail',
    label: { zh: '主播模型细节', en: 'Host avatar detail' },
    maxLevel: 1,
    // Declared first estimate; the governor learns the real saving online.
    costPerLevelMs: 0.5,
    visualImpact: 0.1,
    apply(level) {
      merged.setMerged(level === 0)
    },
  }
}
