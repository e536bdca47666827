/**
 * Which remote visitor is drawn in full and which as a cheap stand-in (issue 18: "remote avatars
 * are a governed lever: update rate, IK detail, LOD, how many are drawn in full"). Nobody vanishes:
 * a visitor past the full-detail count, or (at lower levels) far from the viewer, is drawn in LOW
 * detail; only a visitor with nothing to draw (no pose yet) or one the room draws otherwise (the
 * livestream host on stage, as their VRM) is left out.
 *
 * Pure and allocation-free after creation: the scene fills the inputs of each candidate (a stable
 * key, the distance to the viewer, eligible or not) once a frame and reads the detail, the name-tag
 * flag and whether the low-detail visitors are due for an update this frame.
 */

/** Not drawn here (no pose yet, or the livestream host on stage). */
export const LOD_NONE = 0
/** A cheap stand-in: one instanced low-poly head and body, coloured, no hands or features. */
export const LOD_LOW = 1
/** The full avatar: head, body, the body's features, hands (levels > 0) and IK arms (levels ≥ 2). */
export const LOD_FULL = 2

/** One level of the `remote-avatars` lever. */
export interface AvatarLodLevel {
  /** At most this many visitors drawn in full (the nearest). */
  full: number
  /** A visitor farther than this (metres) is drawn low even when the count allows full. */
  fullRadiusM: number
  /** Low-detail visitors' matrices are written every this many frames (full ones every frame). */
  lowEvery: number
  /** Full-detail visitors show their tracked hands. */
  hands: boolean
  /** Full-detail visitors' arms, shoulder to hand, with elbows solved by two-bone IK (core/venue/remote-arms.ts). */
  arms: boolean
  /** At most this many name tags (full-detail visitors first, then the nearest low ones). */
  tags: number
}

/**
 * The lever's levels, 0 (cheapest) to the last (full quality). Each step down draws fewer in full,
 * then pulls the full-detail radius in and updates the stand-ins less often; the IK arms go below
 * level 2, the hands at level 0.
 */
export const AVATAR_LOD_LEVELS: readonly AvatarLodLevel[] = [
  { full: 4, fullRadiusM: 4, lowEvery: 4, hands: false, arms: false, tags: 8 },
  { full: 8, fullRadiusM: 6, lowEvery: 2, hands: true, arms: false, tags: 12 },
  { full: 12, fullRadiusM: 10, lowEvery: 2, hands: true, arms: true, tags: 20 },
  { full: 20, fullRadiusM: Infinity, lowEvery: 1, hands: true, arms: true, tags: 32 },
  { full: 32, fullRadiusM: Infinity, lowEvery: 1, hands: true, arms: true, tags: 48 },
]

/** The most visitors ever drawn in full (the top level's count): the full meshes' capacity. */
export const MAX_FULL_AVATARS = AVATAR_LOD_LEVELS[AVATAR_LOD_LEVELS.length - 1].full

/**
 * A full-detail visitor keeps full detail until a low-detail one is this much nearer (metres), and
 * stays full this far past the radius: two visitors at nearly the same distance do not flicker.
 */
export const LOD_HYSTERESIS_M = 0.5

/** Inputs (written by the caller each frame), outputs (written by {@link updateAvatarLod}) and state. */
export interface AvatarLod {
  /** Most candidates per frame. */
  readonly capacity: number
  /** Keys are 0..keyCapacity-1 (the caller's peer slots). */
  readonly keyCapacity: number
  /** Input: candidates this frame (entries 0..count-1 below). */
  count: number
  /** Input: each candidate's stable key (its pose slot): hysteresis follows it across frames. */
  readonly key: Int32Array
  /** Input: metres from the viewer's head. */
  readonly distance: Float32Array
  /** Input: 1 when it can be drawn here (has a pose, not the host on stage). */
  readonly eligible: Uint8Array
  /** Output: {@link LOD_NONE}, {@link LOD_LOW} or {@link LOD_FULL} per candidate. */
  readonly detail: Uint8Array
  /** Output: 1 when the candidate's name tag shows. */
  readonly tag: Uint8Array
  /** Output: how many are full, low and tagged. */
  full: number
  low: number
  tags: number
  /** Output: the low-detail visitors' matrices are due this frame (their rate, or who is low changed). */
  lowDue: boolean
  /** Output: the level's hands flag. */
  hands: boolean
  /** Output: the level's arms flag. */
  arms: boolean
  /** State: keys that were full last frame (hysteresis), and the low keys in order last frame. */
  readonly wasFull: Uint8Array
  readonly isFull: Uint8Array
  readonly lowKeys: Int32Array
  lowKeyCount: number
  /** State: candidate indices sorted by effective distance (scratch, reused). */
  readonly order: Int32Array
  readonly effective: Float32Array
}

/** Creates the LOD state for up to `capacity` candidates with keys below `keyCapacity`. */
export function createAvatarLod(capacity: number, keyCapacity = capacity): AvatarLod {
  return {
    capacity,
    keyCapacity,
    count: 0,
    key: new Int32Array(capacity),
    distance: new Float32Array(capacity),
    eligible: new Uint8Array(capacity),
    detail: new Uint8Array(capacity),
    tag: new Uint8Array(capacity),
    full: 0,
    low: 0,
    tags: 0,
    lowDue: true,
    hands: true,
    arms: true,
    wasFull: new Uint8Array(keyCapacity),
    isFull: new Uint8Array(keyCapacity),
    lowKeys: new Int32Array(capacity).fill(-1),
    lowKeyCount: -1,
    order: new Int32Array(capacity),
    effective: new Float32Array(capacity),
  }
}

/**
 * Decides each candidate's detail for lever `level` on frame `frame` (a frame counter, so a replay
 * and a live run update the stand-ins on the same frames). The nearest eligible candidates within
 * the level's radius are full, up to its count; every other eligible one is low. A candidate full
 * last frame counts {@link LOD_HYSTERESIS_M} nearer. Ties go to the lower key (deterministic).
 */
export function updateAvatarLod(lod: AvatarLod, level: number, frame: number): void {
  const spec = AVATAR_LOD_LEVELS[Math.max(0, Math.min(AVATAR_LOD_LEVELS.length - 1, Math.round(level)))]
  const { key, distance, eligible, detail, tag, order, effective, wasFull, isFull } = lod
  const n = Math.min(lod.count, lod.capacity)
  // Effective distances, and the eligible candidates sorted by them (insertion sort: n is small
  // and it allocates nothing).
  let m = 0
  for (let i = 0; i < n; i++) {
    detail[i] = LOD_NONE
    tag[i] = 0
    if (!eligible[i]) continue
    const d = distance[i]
    effective[i] = wasFull[key[i]] ? d - LOD_HYSTERESIS_M : d
    let j = m++
    while (j > 0) {
      const prev = order[j - 1]
      if (effective[prev] < effective[i] || (effective[prev] === effective[i] && key[prev] < key[i])) break
      order[j] = prev
      j--
    }
    order[j] = i
  }
  isFull.fill(0)
  let full = 0
  for (let r = 0; r < m; r++) {
    const i = order[r]
    if (full < spec.full && effective[i] <= spec.fullRadiusM) {
      detail[i] = LOD_FULL
      isFull[key[i]] = 1
      full++
    } else detail[i] = LOD_LOW
  }
  // Name tags: every full one, then the nearest low ones, up to the level's cap.
  let tags = 0
  for (let r = 0; r < m && tags < spec.tags; r++) {
    const i = order[r]
    if (detail[i] === LOD_FULL) {
      tag[i] = 1
      tags++
    }
  }
  for (let r = 0; r < m && tags < spec.tags; r++) {
    const i = order[r]
    if (detail[i] === LOD_LOW) {
      tag[i] = 1
      tags++
    }
  }
  // The stand-ins are due on their rate's frames, and at once whenever who is low (or in which
  // instance, i.e. the order) changed, so nobody is drawn in another's place.
  let low = 0
  let changed = false
  for (let i = 0; i < n; i++) {
    if (detail[i] !== LOD_LOW) continue
    if (lod.lowKeys[low] !== key[i]) {
      lod.lowKeys[low] = key[i]
      changed = true
    }
    low++
  }
  if (low !== lod.lowKeyCount) changed = true
  lod.lowKeyCount = low
  wasFull.set(isFull)
  lod.full = full
  lod.low = low
  lod.tags = tags
  lod.hands = spec.hands
  lod.arms = spec.arms
  lod.lowDue = changed || frame % spec.lowEvery === 0
}
