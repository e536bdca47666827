import { MeshLambertMaterial, MeshStandardMaterial, Vector3, type Material, type Mesh, type Object3D } from 'three'

/**
 * Material detail: physically based materials (MeshStandardMaterial: GGX specular, one light loop
 * per fragment) swapped for a Lambert twin (diffuse only) on things that are small or far on
 * screen, or on everything at the lowest level. The twin is built once per material, so a level
 * change is a pointer swap per mesh; no allocation, no shader compile (see {@link precompileTwins}).
 */

/** Levels of the material-detail lever: 0 every material simple, 1 small or far ones, 2 full. */
export const MATERIAL_DETAIL_MAX_LEVEL = 2

/** Below this angular size (bounding radius over distance, radians) a mesh counts as small on screen. */
export const SMALL_ON_SCREEN = 0.12

/** One swappable mesh. */
export interface DetailEntry {
  readonly mesh: Mesh
  readonly full: MeshStandardMaterial
  readonly simple: MeshLambertMaterial
  /** World-space bounding radius (set at collection; the studio's props do not scale). */
  readonly radius: number
  /** Bounding-sphere centre in the mesh's own space (a merged mesh's origin is its set's, not its parts'). */
  readonly center: Vector3
  /** Meshes of the set it draws: 1, or the sources of a merged mesh (src/scene/render/static-merge.ts). */
  readonly sources: number
  /** Small or far on screen at the last evaluation. */
  minor: boolean
}

/** The swappable meshes under a root, and the level they are at. */
export interface MaterialDetail {
  readonly entries: readonly DetailEntry[]
  level: number
  /** Meshes of the set the lever covers (a merged mesh counts its sources). */
  readonly meshes: number
  /** Meshes of the set currently drawn with their simple twin (counted as in `meshes`). */
  simplified: number
}

/**
 * The Lambert twin of a standard material: same colour, maps, emissive, transparency and sidedness.
 * Metals have no diffuse term in the standard model (and no environment map here), so they read
 * dark: the twin's diffuse is dimmed by the metalness to keep the look.
 */
export function createSimpleTwin(material: MeshStandardMaterial): MeshLambertMaterial {
  const twin = new MeshLambertMaterial({
    name: `${material.name || material.type}:lambert`,
    color: material.color.clone().multiplyScalar(1 - 0.75 * material.metalness),
    map: material.map,
    emissive: material.emissive.clone(),
    emissiveIntensity: material.emissiveIntensity,
    emissiveMap: material.emissiveMap,
    transparent: material.transparent,
    opacity: material.opacity,
    side: material.side,
    vertexColors: material.vertexColors,
    toneMapped: material.toneMapped,
    depthWrite: material.depthWrite,
    depthTest: material.depthTest,
    alphaTest: material.alphaTest,
    flatShading: material.flatShading,
    fog: material.fog,
  })
  return twin
}

/**
 * Collects every mesh under `root` drawn with one MeshStandardMaterial (skinned and morphed meshes
 * and multi-material meshes are left alone), building one twin per distinct material. A merged
 * mesh is one entry (its twin keeps the vertex colours); the hidden meshes it draws are skipped.
 */
export function createMaterialDetail(root: Object3D): MaterialDetail {
  const twins = new Map<MeshStandardMaterial, MeshLambertMaterial>()
  const entries: DetailEntry[] = []
  root.updateWorldMatrix(true, true)
  root.traverse((object) => {
    const mesh = object as Mesh
    if (!mesh.isMesh || Array.isArray(mesh.material)) return
    const material = mesh.material as Material
    if (!(material as MeshStandardMaterial).isMeshStandardMaterial || (material as { isMeshPhysicalMaterial?: boolean }).isMeshPhysicalMaterial) return
    if ((mesh as { isSkinnedMesh?: boolean }).isSkinnedMesh || mesh.morphTargetInfluences) return
    if (mesh.userData.mergedInto) return
    const full = material as MeshStandardMaterial
    let simple = twins.get(full)
    if (!simple) {
      simple = createSimpleTwin(full)
      twins.set(full, simple)
    }
    if (!mesh.geometry.boundingSphere) mesh.geometry.computeBoundingSphere()
    const scale = mesh.matrixWorld.getMaxScaleOnAxis()
    const sphere = mesh.geometry.boundingSphere
    const sources = (mesh.userData.staticMerge as { sources: number } | undefined)?.sources ?? 1
    entries.push({ mesh, full, simple, radius: (sphere?.radius ?? 1) * scale, center: sphere ? sphere.center.clone() : new Vector3(), sources, minor: false })
  })
  return { entries, level: MATERIAL_DETAIL_MAX_LEVEL, meshes: entries.reduce((n, e) => n + e.sources, 0), simplified: 0 }
}

/** Puts each mesh on the material its level and on-screen size call for. No allocation. */
export function applyMaterialDetail(detail: MaterialDetail, level: number): void {
  detail.level = level
  let simplified = 0
  for (let i = 0; i < detail.entries.length; i++) {
    const e = detail.entries[i]
    const simple = level <= 0 || (level < MATERIAL_DETAIL_MAX_LEVEL && e.minor)
    const material = simple ? e.simple : e.full
    if (e.mesh.material !== material) e.mesh.material = material
    if (simple) simplified += e.sources
  }
  detail.simplified = simplified
}

/**
 * Re-decides which meshes are small or far as seen from a viewer at (x, y, z): angular size =
 * bounding radius / distance to the bounding sphere's centre. No allocation (reads matrixWorld elements).
 */
export function classifyMaterialDetail(detail: MaterialDetail, x: number, y: number, z: number): void {
  for (let i = 0; i < detail.entries.length; i++) {
    const e = detail.entries[i]
    const m = e.mesh.matrixWorld.elements
    const c = e.center
    const dx = m[0] * c.x + m[4] * c.y + m[8] * c.z + m[12] - x
    const dy = m[1] * c.x + m[5] * c.y + m[9] * c.z + m[13] - y
    const dz = m[2] * c.x + m[6] * c.y + m[10] * c.z + m[14] - z
    const distance = Math.sqrt(dx * dx + dy * dy + dz * dz)
    e.minor = distance > 0 && e.radius / distance < SMALL_ON_SCREEN
  }
}

/** Every simple twin once. */
export function twinMaterials(detail: MaterialDetail): MeshLambertMaterial[] {
  return [...new Set(detail.entries.map((e) => e.simple))]
}

/** Frees the twins (the full materials belong to their meshes); puts every mesh back on its full material. */
export function disposeMaterialDetail(detail: MaterialDetail): void {
  for (const e of detail.entries) e.mesh.material = e.full
  for (const twin of twinMaterials(detail)) twin.dispose()
}
