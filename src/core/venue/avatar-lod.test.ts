import { describe, expect, it } from 'vitest'
import { AVATAR_LOD_LEVELS, LOD_FULL, LOD_HYSTERESIS_M, LOD_LOW, LOD_NONE, MAX_FULL_AVATARS, createAvatarLod, updateAvatarLod, type AvatarLod } from './avatar-lod'

const TOP = AVATAR_LOD_LEVELS.length - 1

/** Fills `lod` with candidates keyed 0..n-1 at the given distances (all eligible unless listed). */
function fill(lod: AvatarLod, distances: number[], ineligible: number[] = []): void {
  lod.count = distances.length
  distances.forEach((d, i) => {
    lod.key[i] = i
    lod.distance[i] = d
    lod.eligible[i] = ineligible.includes(i) ? 0 : 1
  })
}

const ofDetail = (lod: AvatarLod, detail: number) => Array.from(lod.detail.subarray(0, lod.count)).flatMap((d, i) => (d === detail ? [i] : []))

describe('remote avatar LOD', () => {
  it('draws all 30 at the lowest level: the 4 nearest in full, 26 low, none hidden', () => {
    const lod = createAvatarLod(100)
    // 3.9 m down to 1.0 m: every one inside level 0's radius, the nearest last.
    fill(
      lod,
      Array.from({ length: 30 }, (_, i) => 3.9 - i * 0.1),
    )
    updateAvatarLod(lod, 0, 1)
    expect(lod.full).toBe(4)
    expect(lod.low).toBe(26)
    expect(ofDetail(lod, LOD_NONE)).toEqual([])
    expect(ofDetail(lod, LOD_FULL)).toEqual([26, 27, 28, 29])
    expect(lod.hands).toBe(false)
    expect(lod.arms).toBe(false)
  })

  it('draws up to the top count in full at full quality, the rest low', () => {
    const lod = createAvatarLod(100)
    fill(lod, Array.from({ length: 40 }, (_, i) => 1 + i))
    updateAvatarLod(lod, TOP, 1)
    expect(lod.full).toBe(MAX_FULL_AVATARS)
    expect(lod.low).toBe(40 - MAX_FULL_AVATARS)
    expect(lod.hands).toBe(true)
    expect(lod.arms).toBe(true)
    // Full quality has no radius: 32 m away is still full.
    expect(lod.detail[31]).toBe(LOD_FULL)
    expect(lod.detail[32]).toBe(LOD_LOW)
  })

  it('draws far visitors low at the lower levels even when the count allows full', () => {
    const lod = createAvatarLod(16)
    fill(lod, [1, 2, 3, 5, 8, 12])
    updateAvatarLod(lod, 0, 1) // 4 full within 4 m
    expect(ofDetail(lod, LOD_FULL)).toEqual([0, 1, 2])
    expect(ofDetail(lod, LOD_LOW)).toEqual([3, 4, 5])
  })

  it('leaves out only those it cannot draw (no pose, the host on stage)', () => {
    const lod = createAvatarLod(16)
    fill(lod, [1, 2, 3], [0])
    updateAvatarLod(lod, TOP, 1)
    expect(lod.detail[0]).toBe(LOD_NONE)
    expect(lod.tag[0]).toBe(0)
    expect(ofDetail(lod, LOD_FULL)).toEqual([1, 2])
  })

  it('does not flicker when two visitors are at nearly the same distance (hysteresis)', () => {
    const lod = createAvatarLod(16)
    // Level 0 draws 4 in full: candidates 0..3 near, 4 and 5 just behind the fourth.
    const d = [1, 1.2, 1.4, 2.0, 2.05, 2.1]
    fill(lod, d)
    updateAvatarLod(lod, 0, 1)
    expect(lod.detail[3]).toBe(LOD_FULL)
    expect(lod.detail[4]).toBe(LOD_LOW)
    // 3 and 4 swap places back and forth by a few cm: nobody changes detail.
    for (let f = 2; f < 40; f++) {
      lod.distance[3] = f % 2 ? 2.05 : 2.0
      lod.distance[4] = f % 2 ? 2.0 : 2.05
      updateAvatarLod(lod, 0, f)
      expect(lod.detail[3]).toBe(LOD_FULL)
      expect(lod.detail[4]).toBe(LOD_LOW)
    }
    // Once 4 is clearly nearer (by more than the margin), it takes the full slot.
    lod.distance[4] = 2.0 - LOD_HYSTERESIS_M - 0.01
    updateAvatarLod(lod, 0, 40)
    expect(lod.detail[4]).toBe(LOD_FULL)
    expect(lod.detail[3]).toBe(LOD_LOW)
  })

  it('keeps a full visitor full a little past the radius, then lets it go', () => {
    const lod = createAvatarLod(4)
    fill(lod, [3.9])
    updateAvatarLod(lod, 0, 1)
    expect(lod.detail[0]).toBe(LOD_FULL)
    lod.distance[0] = 4 + LOD_HYSTERESIS_M * 0.9
    updateAvatarLod(lod, 0, 2)
    expect(lod.detail[0]).toBe(LOD_FULL)
    lod.distance[0] = 4 + LOD_HYSTERESIS_M * 1.1
    updateAvatarLod(lod, 0, 3)
    expect(lod.detail[0]).toBe(LOD_LOW)
    // A new low visitor does not inherit hysteresis from a key it never had.
    lod.distance[0] = 4.2
    updateAvatarLod(lod, 0, 4)
    expect(lod.detail[0]).toBe(LOD_LOW)
  })

  it('updates low-detail visitors every 4th frame at level 0, every frame at full quality, and at once when who is low changes', () => {
    const lod = createAvatarLod(64)
    fill(lod, Array.from({ length: 10 }, (_, i) => 1 + i * 0.3))
    const due = (level: number, from: number, to: number) => {
      const out: number[] = []
      for (let f = from; f <= to; f++) {
        updateAvatarLod(lod, level, f)
        if (lod.lowDue) out.push(f)
      }
      return out
    }
    expect(due(0, 1, 12)).toEqual([1, 4, 8, 12]) // 1: the first frame, who is low is new
    expect(due(1, 13, 18)).toEqual([13, 14, 16, 18]) // 13: level 1 draws more in full, so who is low changed
    expect(due(TOP, 19, 22)).toEqual([19, 20, 21, 22])
    // A visitor joins at level 0: the stand-ins are rewritten on that frame, not 3 frames later.
    due(0, 23, 24)
    lod.count = 11
    lod.key[10] = 10
    lod.distance[10] = 3.5
    lod.eligible[10] = 1
    updateAvatarLod(lod, 0, 25)
    expect(lod.lowDue).toBe(true)
  })

  it('caps the name tags: every full visitor, then the nearest low ones', () => {
    const lod = createAvatarLod(100)
    fill(lod, Array.from({ length: 30 }, (_, i) => 1 + i * 0.1))
    updateAvatarLod(lod, 0, 1)
    expect(lod.tags).toBe(AVATAR_LOD_LEVELS[0].tags)
    const tagged = Array.from(lod.tag.subarray(0, 30)).flatMap((t, i) => (t ? [i] : []))
    expect(tagged).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    updateAvatarLod(lod, TOP, 2)
    expect(lod.tags).toBe(30)
  })

  it('is deterministic on ties: the lower key wins', () => {
    const lod = createAvatarLod(8)
    fill(lod, [2, 2, 2, 2, 2, 2])
    updateAvatarLod(lod, 0, 1)
    expect(ofDetail(lod, LOD_FULL)).toEqual([0, 1, 2, 3])
  })

  it('has levels that only get cheaper going down', () => {
    for (let l = 1; l < AVATAR_LOD_LEVELS.length; l++) {
      const a = AVATAR_LOD_LEVELS[l - 1]
      const b = AVATAR_LOD_LEVELS[l]
      expect(a.full).toBeLessThanOrEqual(b.full)
      expect(a.fullRadiusM).toBeLessThanOrEqual(b.fullRadiusM)
      expect(a.lowEvery).toBeGreaterThanOrEqual(b.lowEvery)
      expect(a.tags).toBeLessThanOrEqual(b.tags)
      // Each step down gives something up.
      expect(a.full < b.full || a.fullRadiusM < b.fullRadiusM || a.lowEvery > b.lowEvery || (!a.hands && b.hands) || (!a.arms && b.arms)).toBe(true)
    }
  })
})
