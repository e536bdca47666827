import { Box3 } from 'three'
import { describe, expect, it } from 'vitest'
import { VENUE_AVATARS } from '../../core/venue/visitor'
import { avatarIndex, createAvatarFeatures } from './avatar-features'

describe('venue avatar features', () => {
  it('builds one feature per body, in the order of VENUE_AVATARS, each on the head', () => {
    const features = createAvatarFeatures()
    expect(features.map((f) => f.avatar)).toEqual([...VENUE_AVATARS])
    for (const f of features) {
      f.geometry.computeBoundingBox()
      const box = f.geometry.boundingBox as Box3
      // Within a head-sized neighbourhood of the head's centre (a 0.12 m sphere; antennae and beak reach out).
      expect(box.isEmpty(), f.avatar).toBe(false)
      expect(Math.max(...box.max.toArray(), ...box.min.toArray().map((v) => -v)), f.avatar).toBeLessThan(0.3)
    }
    // The bodies differ: no two features share their extent.
    const extents = features.map((f) => f.geometry.boundingBox!.getSize(f.geometry.boundingBox!.min.clone()).toArray().map((v) => v.toFixed(3)).join())
    expect(new Set(extents).size).toBe(features.length)
    // The astronaut's visor is in front (−Z), the panda's ears and the antennae on top.
    const of = (a: string) => features.find((f) => f.avatar === a)!.geometry.boundingBox!
    expect(of('astronaut').max.z).toBeLessThan(0)
    expect(of('panda').min.y).toBeGreaterThan(0)
    expect(of('xiaoguan').min.y).toBeGreaterThan(0)
    expect(of('crane').min.z).toBeLessThan(-0.15)
  })

  it('maps a body to its feature, and an unknown one to the first', () => {
    expect(VENUE_AVATARS.map(avatarIndex)).toEqual(VENUE_AVATARS.map((_, i) => i))
    expect(avatarIndex('dragon')).toBe(0)
  })
})
