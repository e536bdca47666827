import { Float32BufferAttribute, Material, Matrix4, Mesh, Vector3, type BufferAttribute, type BufferGeometry, type Object3D } from 'three'
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js'
import { createMergeKey, createMergePlan, type KeepReason, type MergeCandidate, type MergePlan } from '../../core/render/merge-plan'

/**
 * Static meshes merged: the meshes of a set that never move, are never picked and never change
 * material per frame, drawn as one mesh per material (`BufferGeometryUtils.mergeGeometries`).
 * Meshes whose materials differ only in colour share one: the colour goes into vertex colours and
 * the merged material is the first one's clone in white. The originals stay in the graph, hidden
 * (`userData.mergedInto`), so React keeps owning them; {@link unmergeStaticMeshes} shows them again
 * and frees what the merge made. The plan (which meshes group) is src/core/render/merge-plan.ts.
 */

/** `userData` of a merged mesh: how many source meshes it draws. */
export interface MergedMeshData {
  staticMerge: { sources: number }
}

/** What {@link mergeStaticMeshes} did. */
export interface StaticMerge {
  readonly root: Object3D
  /** The merged meshes, children of `root` (geometry in `root`'s space). */
  readonly merged: readonly Mesh[]
  /** The meshes now drawn by a merged mesh (hidden). */
  readonly sources: readonly Mesh[]
  readonly plan: MergePlan
  /** Why each mesh not merged was kept, by reason (for diagnostics). */
  readonly keptBy: Readonly<Partial<Record<KeepReason, number>>>
}

// Built-in materials whose colour can go into vertex colours when they have no texture.
const BAKEABLE = new Set(['MeshBasicMaterial', 'MeshLambertMaterial', 'MeshPhongMaterial', 'MeshStandardMaterial'])
const TEXTURE_SLOTS = ['map', 'alphaMap', 'aoMap', 'bumpMap', 'emissiveMap', 'envMap', 'lightMap', 'metalnessMap', 'normalMap', 'roughnessMap', 'specularMap', 'displacementMap'] as const
// Attributes the merged geometry keeps: a texture-free built-in material reads no uv.
const BAKED_ATTRIBUTES = ['position', 'normal']

type AnyMaterial = Material & Record<string, unknown> & { color?: { r: number; g: number; b: number; getHex(): number }; vertexColors?: boolean }

/** Whether the material's colour can be baked into vertex colours (a plain built-in material, no textures, no vertex colours of its own). */
function bakeable(material: AnyMaterial): boolean {
  if (!BAKEABLE.has(material.type) || material.vertexColors || !material.color) return false
  if (material.clippingPlanes) return false
  // A material with shader hooks (onBeforeCompile) has its own program: only the same instance may share it.
  if (material.onBeforeCompile !== Material.prototype.onBeforeCompile) return false
  return TEXTURE_SLOTS.every((slot) => !material[slot])
}

/** The material's key with its colour left out (baked), or its identity (shared as is). */
function materialKey(mesh: Mesh, material: AnyMaterial, baked: boolean): string {
  const object = { renderOrder: mesh.renderOrder, layers: mesh.layers.mask, cast: mesh.castShadow, receive: mesh.receiveShadow }
  if (!baked) return createMergeKey({ ...object, material: material.uuid })
  const fields: Record<string, string | number | boolean | null> = { ...object, type: material.type, defines: JSON.stringify(material.defines ?? {}) }
  const params = ['side', 'opacity', 'toneMapped', 'depthWrite', 'depthTest', 'colorWrite', 'blending', 'alphaTest', 'fog', 'wireframe', 'flatShading', 'polygonOffset', 'polygonOffsetFactor', 'polygonOffsetUnits', 'roughness', 'metalness', 'envMapIntensity', 'emissiveIntensity', 'shininess', 'reflectivity', 'dithering', 'premultipliedAlpha', 'visible']
  for (const p of params) if (p in material) fields[p] = material[p] as string | number | boolean
  const emissive = material.emissive as { getHex(): number } | undefined
  if (emissive) fields.emissive = emissive.getHex()
  const specular = material.specular as { getHex(): number } | undefined
  if (specular) fields.specular = specular.getHex()
  return createMergeKey(fields)
}

function layoutKey(geometry: BufferGeometry, baked: boolean): string {
  const names = Object.keys(geometry.attributes).filter((n) => !baked || BAKED_ATTRIBUTES.includes(n)).sort()
  const parts = names.map((n) => {
    const a = geometry.attributes[n] as BufferAttribute
    return `${n}:${a.itemSize}:${a.array.constructor.name}:${a.normalized}`
  })
  if (baked) parts.push('color')
  return `${parts.join(',')}|${geometry.index ? 'indexed' : 'flat'}`
}

interface Found {
  mesh: Mesh
  baked: boolean
}

function hasHandlers(object: Object3D): boolean {
  const instance = (object as { __r3f?: { eventCount?: number } }).__r3f
  return (instance?.eventCount ?? 0) > 0
}

/**
 * Merges the static meshes under `root`. Left alone: anything picked by pointer (R3F handlers on it
 * or an ancestor, or `userData.interactive`), anything under `userData.dynamic` (as freezeStatic) or
 * `userData.noMerge` (a lever changes its geometry or material per object, e.g. Earth's detail),
 * hidden, transparent, instanced, skinned, morphed, mirrored or multi-material meshes, a
 * material nothing else shares, and small things far apart (merged, they would be culled as one:
 * see MAX_MERGED_SPREAD in the plan). Call it once the set is built; call {@link unmergeStaticMeshes}
 * before the set changes or goes.
 */
export function mergeStaticMeshes(root: Object3D, name = root.name || 'static'): StaticMerge {
  root.updateWorldMatrix(true, true)
  const toRoot = new Matrix4().copy(root.matrixWorld).invert()
  const centre = new Vector3()
  const found: Found[] = []
  const candidates: MergeCandidate[] = []
  const visit = (object: Object3D, interactive: boolean, dynamic: boolean, hidden: boolean) => {
    if ((object.userData as Partial<MergedMeshData>).staticMerge) return
    const isInteractive = interactive || hasHandlers(object) || object.userData.interactive === true
    const isDynamic = dynamic || object.userData.dynamic === true || object.userData.noMerge === true
    const isHidden = hidden || !object.visible
    const mesh = object as Mesh
    if (mesh.isMesh) {
      const material = mesh.material as AnyMaterial | AnyMaterial[]
      let keep: MergeCandidate['keep'] = null
      let baked = false
      let key = ''
      if (isInteractive) keep = 'interactive'
      else if (isDynamic) keep = 'dynamic'
      else if (isHidden) keep = 'hidden'
      else if (Array.isArray(material)) keep = 'multi-material'
      else if ((mesh as { isInstancedMesh?: boolean }).isInstancedMesh || (mesh as { isSkinnedMesh?: boolean }).isSkinnedMesh || mesh.morphTargetInfluences || Object.keys(mesh.geometry.morphAttributes).length > 0 || mesh.matrixWorld.determinant() < 0) keep = 'special'
      else if (material.transparent) keep = 'transparent'
      else {
        baked = bakeable(material)
        key = materialKey(mesh, material, baked)
      }
      found.push({ mesh, baked })
      if (!mesh.geometry.boundingSphere) mesh.geometry.computeBoundingSphere()
      const bounds = mesh.geometry.boundingSphere
      let sphere: MergeCandidate['sphere']
      if (bounds) {
        centre.copy(bounds.center).applyMatrix4(mesh.matrixWorld)
        sphere = [centre.x, centre.y, centre.z, bounds.radius * mesh.matrixWorld.getMaxScaleOnAxis()]
      }
      candidates.push({ materialKey: key, layoutKey: keep ? '' : layoutKey(mesh.geometry, baked), vertices: mesh.geometry.getAttribute('position')?.count ?? 0, keep, sphere })
    }
    for (const child of object.children) visit(child, isInteractive, isDynamic, isHidden)
  }
  visit(root, false, false, false)
  const plan = createMergePlan(candidates)
  const merged: Mesh[] = []
  const sources: Mesh[] = []
  const relative = new Matrix4()
  plan.groups.forEach((group, g) => {
    const first = found[group.members[0]]
    const geometries: BufferGeometry[] = []
    for (const i of group.members) {
      const { mesh, baked } = found[i]
      const geometry = mesh.geometry.clone()
      if (baked) {
        for (const attribute of Object.keys(geometry.attributes)) if (!BAKED_ATTRIBUTES.includes(attribute)) geometry.deleteAttribute(attribute)
        const color = (mesh.material as AnyMaterial).color!
        const count = geometry.getAttribute('position').count
        const colors = new Float32Array(count * 3)
        for (let v = 0; v < count * 3; v += 3) {
          colors[v] = color.r
          colors[v + 1] = color.g
          colors[v + 2] = color.b
        }
        geometry.setAttribute('color', new Float32BufferAttribute(colors, 3))
      }
      geometry.applyMatrix4(relative.multiplyMatrices(toRoot, mesh.matrixWorld))
      geometries.push(geometry)
    }
    const geometry = mergeGeometries(geometries, false)
    for (const g2 of geometries) g2.dispose()
    // The plan only groups layouts mergeGeometries accepts; if it still refuses, the sources stay drawn.
    if (!geometry) return
    geometry.computeBoundingSphere()
    const source = first.mesh.material as AnyMaterial
    let material: Material = source
    if (first.baked) {
      const copy = source.clone() as AnyMaterial
      ;(copy.color as unknown as { setRGB(r: number, g: number, b: number): void }).setRGB(1, 1, 1)
      copy.vertexColors = true
      copy.name = `${name}:merged:${source.name || source.type}`
      material = copy
    }
    const mesh = new Mesh(geometry, material)
    mesh.name = `${name}:merged-${g}`
    mesh.renderOrder = first.mesh.renderOrder
    mesh.layers.mask = first.mesh.layers.mask
    mesh.castShadow = first.mesh.castShadow
    mesh.receiveShadow = first.mesh.receiveShadow
    // In root's space: its own transform is the identity, composed once.
    mesh.matrixAutoUpdate = false
    const data: MergedMeshData = { staticMerge: { sources: group.members.length } }
    Object.assign(mesh.userData, data)
    root.add(mesh)
    mesh.updateMatrixWorld(true)
    merged.push(mesh)
    for (const i of group.members) {
      const m = found[i].mesh
      m.visible = false
      m.userData.mergedInto = mesh
      sources.push(m)
    }
  })
  const keptBy: Partial<Record<KeepReason, number>> = {}
  for (const k of plan.kept) keptBy[k.reason] = (keptBy[k.reason] ?? 0) + 1
  return { root, merged, sources, plan, keptBy }
}

/** Shows the source meshes again, removes the merged ones and frees their geometry and baked materials. */
export function unmergeStaticMeshes(merge: StaticMerge): void {
  for (const mesh of merge.sources) {
    mesh.visible = true
    delete mesh.userData.mergedInto
  }
  for (const mesh of merge.merged) {
    mesh.removeFromParent()
    mesh.geometry.dispose()
    // A baked material is the merge's own clone; a shared one belongs to its sources.
    if (!merge.sources.some((s) => s.material === mesh.material)) (mesh.material as Material).dispose()
  }
}

/** The snapshot figures of a merge: draws of the set before → after, and why meshes were kept. */
export function staticMergeSummary(merge: StaticMerge): { drawsBefore: number; drawsAfter: number; merged: number; sources: number; kept: Partial<Record<KeepReason, number>> } {
  return { drawsBefore: merge.plan.drawsBefore, drawsAfter: merge.plan.drawsAfter, merged: merge.merged.length, sources: merge.sources.length, kept: { ...merge.keptBy } }
}
