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
  /** World bounding sphere (x, y, z, radius); without it the mesh groups by keys alone. */
  readonly sphere?: readonly [number, number, number, number]
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
 * Small things far apart stay apart: a mesh joins a group only while the group's bounding sphere
 * stays within this many times its largest member's radius. A merged mesh is culled as one, so
 * three lamp housings 5 m apart, merged, are drawn whenever any part of that 5 m sphere is in view
 * (measured: one draw more in the livestream host's view, where none of them was drawn); ribs,
 * panels and rails that line a whole cabin are each about as large as the group.
 */
export const MAX_MERGED_SPREAD = 3

type Sphere = [number, number, number, number]

/** The smallest sphere around two spheres (writes `out`). */
export function enclosingSphere(a: readonly [number, number, number, number], b: readonly [number, number, number, number], out: Sphere): Sphere {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const dz = b[2] - a[2]
  const d = Math.sqrt(dx * dx + dy * dy + dz * dz)
  const inner = d + b[3] <= a[3] ? a : d + a[3] <= b[3] ? b : null
  if (inner) {
    out[0] = inner[0]
    out[1] = inner[1]
    out[2] = inner[2]
    out[3] = inner[3]
    return out
  }
  const r = (d + a[3] + b[3]) / 2
  const t = (r - a[3]) / d
  out[0] = a[0] + dx * t
  out[1] = a[1] + dy * t
  out[2] = a[2] + dz * t
  out[3] = r
  return out
}

/**
 * Groups the candidates by material and layout, in the order each key first appears, then by
 * place (see {@link MAX_MERGED_SPREAD}). A group of a single mesh is kept ('alone'); a group over
 * `maxVertices` is split into runs under the cap (a mesh over the cap on its own is kept 'alone').
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
  for (const keyed of byKey.values()) for (const members of clusters(candidates, keyed)) {
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

// Splits one key's meshes into clusters whose enclosing sphere stays within the spread (greedy, in order).
function clusters(candidates: readonly MergeCandidate[], members: readonly number[]): number[][] {
  const out: { members: number[]; sphere: Sphere | null; largest: number }[] = []
  const joined: Sphere = [0, 0, 0, 0]
  for (const index of members) {
    const sphere = candidates[index].sphere
    let placed = false
    for (const cluster of out) {
      if (!sphere || !cluster.sphere) {
        // Without bounds, by keys alone (only with others without bounds).
        if (!sphere && !cluster.sphere) {
          cluster.members.push(index)
          placed = true
          break
        }
        continue
      }
      enclosingSphere(cluster.sphere, sphere, joined)
      const largest = Math.max(cluster.largest, sphere[3])
      if (joined[3] <= MAX_MERGED_SPREAD * largest) {
        cluster.members.push(index)
        cluster.sphere = [joined[0], joined[1], joined[2], joined[3]]
        cluster.largest = largest
        placed = true
        break
      }
    }
    if (!placed) out.push({ members: [index], sphere: sphere ? [sphere[0], sphere[1], sphere[2], sphere[3]] : null, largest: sphere ? sphere[3] : 0 })
  }
  return out.map((c) => c.members)
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
