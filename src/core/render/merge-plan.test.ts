import { describe, expect, it } from 'vitest'
import { MAX_MERGED_SPREAD, createMergeKey, createMergePlan, enclosingSphere, type MergeCandidate } from './merge-plan'

function mesh(materialKey: string, layoutKey = 'p,n', vertices = 24, keep: MergeCandidate['keep'] = null): MergeCandidate {
  return { materialKey, layoutKey, vertices, keep }
}

describe('merge plan', () => {
  it('groups meshes by material and layout, in the order each group first appears', () => {
    const plan = createMergePlan([mesh('std/r0.5'), mesh('lambert'), mesh('std/r0.5'), mesh('lambert'), mesh('std/r0.5')])
    expect(plan.groups.map((g) => g.members)).toEqual([
      [0, 2, 4],
      [1, 3],
    ])
    expect(plan.groups[0].vertices).toBe(72)
    expect(plan.kept).toEqual([])
    expect(plan.drawsBefore).toBe(5)
    expect(plan.drawsAfter).toBe(2)
  })

  it('never merges across geometry layouts (mergeGeometries would refuse them)', () => {
    const plan = createMergePlan([mesh('m', 'p,n,uv'), mesh('m', 'p,n'), mesh('m', 'p,n,uv')])
    expect(plan.groups.map((g) => g.members)).toEqual([[0, 2]])
    expect(plan.kept).toEqual([{ index: 1, reason: 'alone' }])
    expect(plan.drawsAfter).toBe(2)
  })

  it('keeps interactive, dynamic, transparent and hidden meshes on their own, with the reason', () => {
    const plan = createMergePlan([mesh('m'), mesh('m', 'p,n', 24, 'interactive'), mesh('m', 'p,n', 24, 'dynamic'), mesh('m'), mesh('m', 'p,n', 24, 'transparent'), mesh('m', 'p,n', 24, 'hidden')])
    expect(plan.groups.map((g) => g.members)).toEqual([[0, 3]])
    expect(plan.kept).toEqual([
      { index: 1, reason: 'interactive' },
      { index: 2, reason: 'dynamic' },
      { index: 4, reason: 'transparent' },
      { index: 5, reason: 'hidden' },
    ])
    expect(plan.drawsBefore).toBe(6)
    expect(plan.drawsAfter).toBe(5)
  })

  it('a material used once is not merged (no draw saved)', () => {
    const plan = createMergePlan([mesh('a'), mesh('b')])
    expect(plan.groups).toEqual([])
    expect(plan.kept).toEqual([
      { index: 0, reason: 'alone' },
      { index: 1, reason: 'alone' },
    ])
    expect(plan.drawsAfter).toBe(plan.drawsBefore)
  })

  it('splits a group over the vertex cap into runs under it; a lone leftover stays alone', () => {
    const plan = createMergePlan([mesh('m', 'p', 40), mesh('m', 'p', 40), mesh('m', 'p', 40), mesh('m', 'p', 40), mesh('m', 'p', 40)], 100)
    expect(plan.groups.map((g) => g.members)).toEqual([
      [0, 1],
      [2, 3],
    ])
    expect(plan.kept).toEqual([{ index: 4, reason: 'alone' }])
    expect(plan.drawsAfter).toBe(3)
  })

  it('by place: a mesh joins a group only while the group stays within the spread of its largest member', () => {
    const at = (x: number, r: number): MergeCandidate => ({ ...mesh('m'), sphere: [x, 0, 0, r] })
    // Two lamps side by side merge; a third 5 m away starts its own group and stays alone.
    const lamps = createMergePlan([at(0, 0.25), at(0.3, 0.25), at(5, 0.25)])
    expect(lamps.groups.map((g) => g.members)).toEqual([[0, 1]])
    expect(lamps.kept).toEqual([{ index: 2, reason: 'alone' }])
    // Rails as long as the cabin, side by side: one group.
    const rails = createMergePlan([at(-3, 5), at(0, 5), at(3, 5)])
    expect(rails.groups.map((g) => g.members)).toEqual([[0, 1, 2]])
    // Far apart but each in a cluster of its own kind: two groups.
    const pairs = createMergePlan([at(0, 0.2), at(20, 0.2), at(0.2, 0.2), at(20.2, 0.2)])
    expect(pairs.groups.map((g) => g.members)).toEqual([
      [0, 2],
      [1, 3],
    ])
    expect(MAX_MERGED_SPREAD).toBeGreaterThan(1)
  })

  it('the enclosing sphere of two spheres holds both, and is one of them when it holds the other', () => {
    const out: [number, number, number, number] = [0, 0, 0, 0]
    expect(enclosingSphere([0, 0, 0, 1], [3, 0, 0, 1], out)).toEqual([1.5, 0, 0, 2.5])
    expect(enclosingSphere([0, 0, 0, 5], [1, 0, 0, 1], out)).toEqual([0, 0, 0, 5])
    expect(enclosingSphere([1, 0, 0, 1], [0, 0, 0, 5], out)).toEqual([0, 0, 0, 5])
  })

  it('an empty set plans nothing', () => {
    expect(createMergePlan([])).toEqual({ groups: [], kept: [], drawsBefore: 0, drawsAfter: 0 })
  })

  it('keys do not depend on the order the fields are listed in, and differ when a value does', () => {
    expect(createMergeKey({ type: 'MeshStandardMaterial', roughness: 0.5, side: 0 })).toBe(createMergeKey({ side: 0, roughness: 0.5, type: 'MeshStandardMaterial' }))
    expect(createMergeKey({ roughness: 0.5 })).not.toBe(createMergeKey({ roughness: 0.6 }))
    expect(createMergeKey({ map: null })).toBe('map=null')
  })
})
