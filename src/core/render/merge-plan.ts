/**
 * Static-mesh merge plan: which meshes of a static set can share one draw call. Framework-free: the
 * caller (src/scene/render/static-merge.ts) describes each mesh as plain keys, this decides the
 * groups. Two meshes merge when everything but their colour is the same material (the colour goes
 * into vertex colours) and their geometries have the same attributes, so
 * `BufferGeometryUtils.mergeGeometries` accepts them. A mesh with a reason to stay stays on its own.
 */

/** Why a mesh is drawn on its own, never merged. */
export type KeepReason =
  /** Picked by a pointer or a raycast, or looked up by object (handlers, `userData.interactive`). */
  | 'interactive'
  /** Moves or changes per frame, or a lever changes it per object (`userData.dynamic`, `userData.noMerge`, or under such a node). */
  | 'dynamic'
  /** Blended: sorted back to front per object, which a merged mesh would break. */
  | 'transparent'
  /** Instanced, skinned or morphed: already one draw per set, or deformed per frame. */
  | 'special'
  /** An array of materials (geometry groups): one draw per group anyway. */
  | 'multi-material'
  /** Not drawn now; merging would draw it. */
  | 'hidden'
  /** No other mesh shares its material and layout: merging it alone saves nothing. */
  | 'alone'

/** One mesh as the plan sees it. */
export interface MergeCandidate {
  /** Everything that must be equal for two meshes to be one draw: material parameters other than colour, render order, layers. */
  readonly materialKey: string
  /** Geometry layout: attribute names, item sizes, array types, and whether it is indexed. */
  readonly layoutKey: string
  /** Vertex count (for the plan's totals). */
  readonly vertices: number
  /** Why the mesh must stay on its own, or null when it may join a group. */
  readonly keep: Exclude<KeepReason, 'alone'> | null
}

/** Meshes drawn as one: indices into the candidate list, in their original order. */
export interface MergeGroup {
  readonly materialKey: string
  readonly layoutKey: string
  readonly members: readonly number[]
  readonly vertices: number
}

/** The plan: the groups to merge, and every mesh left alone with the reason. */
export interface MergePlan {
  readonly groups: readonly MergeGroup[]
  readonly kept: readonly { readonly index: number; readonly reason: KeepReason }[]
  /** Draw calls of the set before and after (one per mesh, one per group). */
  readonly drawsBefore: number
  readonly drawsAfter: number
}

/** Default cap on one merged geometry's vertices; a bigger group is split (still far fewer draws). */
export const MAX_MERGED_VERTICES = 1 << 20

/**
 * Groups the candidates by material and layout, in the order each key first appears. A key shared
 * by a single mesh is kept ('alone'); a group over `maxVertices` is split into runs under the cap
 * (a mesh over the cap on its own is kept 'alone').
 */
export function createMergePlan(candidates: readonly MergeCandidate[], maxVertices = MAX_MERGED_VERTICES): MergePlan {
  const byKey = new Map<string, number[]>()
  const kept: { index: number; reason: KeepReason }[] = []
  candidates.forEach((c, index) => {
    if (c.keep) {
      kept.push({ index, reason: c.keep })
      return
    }
    const key = `${c.materialKey}\n${c.layoutKey}`
    const list = byKey.get(key)
    if (list) list.push(index)
    else byKey.set(key, [index])
  })
  const groups: MergeGroup[] = []
  for (const members of byKey.values()) {
    // Runs under the vertex cap, in order.
    let run: number[] = []
    let vertices = 0
    const close = () => {
      if (run.length >= 2) {
        const first = candidates[run[0]]
        groups.push({ materialKey: first.materialKey, layoutKey: first.layoutKey, members: run, vertices })
      } else {
        for (const index of run) kept.push({ index, reason: 'alone' })
      }
      run = []
      vertices = 0
    }
    for (const index of members) {
      const v = candidates[index].vertices
      if (run.length > 0 && vertices + v > maxVertices) close()
      run.push(index)
      vertices += v
    }
    close()
  }
  kept.sort((a, b) => a.index - b.index)
  return { groups, kept, drawsBefore: candidates.length, drawsAfter: groups.length + kept.length }
}

/**
 * A stable key from named fields (material parameters, layout entries): `name=value` pairs sorted
 * by name, so the order the caller lists them in does not matter.
 */
export function createMergeKey(fields: Readonly<Record<string, string | number | boolean | null>>): string {
  return Object.keys(fields)
    .sort()
    .map((name) => `${name}=${String(fields[name])}`)
    .join(';')
}
