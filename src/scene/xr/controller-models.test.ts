import { Box3, BoxGeometry, Group, Mesh, MeshStandardMaterial } from 'three'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MERGED_TWIN_NAME, createControllerModelsLever, mergeControllerModel } from './controller-models'

/** A stand-in for a loaded Touch model: a body and five parts sharing one material, some moved. */
function touchModel(material = new MeshStandardMaterial()) {
  const model = new Group()
  const body = new Mesh(new BoxGeometry(0.05, 0.1, 0.05), material)
  model.add(body)
  const parts: Mesh[] = [body]
  for (let i = 0; i < 5; i++) {
    const node = new Group()
    node.position.set(0.01 * i, 0.05, -0.02)
    node.rotation.x = 0.3 * i
    const part = new Mesh(new BoxGeometry(0.01, 0.01, 0.01), material)
    node.add(part)
    body.add(node)
    parts.push(part)
  }
  model.position.set(1, 1.2, -0.4)
  return { model, parts }
}

afterEach(() => vi.useRealTimers())

describe('controller-models lever, hide (livestream)', () => {
  it('hides every controller model at level 0 and shows them again at full, leaving hands and unloaded models alone', () => {
    const lever = createControllerModelsLever('hide')
    const left = new Group()
    const right = new Group()
    const hand = new Mesh()
    const states = [
      { type: 'controller', object: left },
      { type: 'controller', object: right },
      { type: 'hand', object: hand },
      // A controller whose model has not loaded yet.
      { type: 'controller' },
    ]
    expect(lever.scaler.maxLevel).toBe(1)
    // At full quality nothing changes.
    expect(lever.sync(states)).toBe(0)
    lever.scaler.apply(0)
    expect(lever.sync(states)).toBe(2)
    expect([left.visible, right.visible, hand.visible]).toEqual([false, false, true])
    // Once applied, a frame changes nothing (no per-frame writes).
    expect(lever.sync(states)).toBe(0)
    // A model that loads while the level is 0 is hidden on its next frame.
    const late = new Group()
    expect(lever.sync([...states, { type: 'controller', object: late }])).toBe(1)
    expect(late.visible).toBe(false)
    lever.scaler.apply(1)
    expect(lever.sync(states)).toBe(2)
    expect([left.visible, right.visible]).toEqual([true, true])
  })
})

describe('controller-models lever, merge (hub, Tianhe)', () => {
  it('merges a model into one mesh in its own space, with the shared material, covering every part', () => {
    const { model, parts } = touchModel()
    const merged = mergeControllerModel(model)!
    expect(merged.parts).toEqual(parts)
    expect(merged.mesh.parent).toBe(model)
    expect(merged.mesh.material).toBe(parts[0].material)
    expect(merged.mesh.visible).toBe(false)
    const vertices = parts.reduce((n, p) => n + p.geometry.getAttribute('position').count, 0)
    expect(merged.mesh.geometry.getAttribute('position').count).toBe(vertices)
    // Where the parts are in the world, the twin is too (the model's own transform applies once).
    model.updateWorldMatrix(true, true)
    const partsBox = new Box3()
    for (const p of parts) partsBox.union(new Box3().setFromObject(p))
    const twinBox = new Box3().setFromObject(merged.mesh)
    expect(twinBox.min.distanceTo(partsBox.min)).toBeLessThan(1e-6)
    expect(twinBox.max.distanceTo(partsBox.max)).toBeLessThan(1e-6)
    // Built once: a later call (another mount of the cached model) reuses it.
    expect(mergeControllerModel(model)!.mesh).toBe(merged.mesh)
    expect(model.children.filter((c) => c.name === MERGED_TWIN_NAME)).toHaveLength(1)
  })

  it('leaves a model whose parts do not share one material as it is', () => {
    const { model, parts } = touchModel()
    parts[3].material = new MeshStandardMaterial()
    expect(mergeControllerModel(model)).toBeNull()
    expect(model.children.some((c) => c.name === MERGED_TWIN_NAME)).toBe(false)
  })

  it('draws each controller as its twin at level 0 and as its parts at full; the twin is built outside the frame', () => {
    vi.useFakeTimers()
    const lever = createControllerModelsLever('merge')
    const left = touchModel()
    const right = touchModel()
    const states = [
      { type: 'controller', object: left.model },
      { type: 'controller', object: right.model },
      { type: 'hand', object: new Mesh() },
    ]
    lever.scaler.apply(0)
    // First sight: the twins are scheduled, nothing changes in this frame.
    expect(lever.sync(states)).toBe(0)
    expect(left.parts.every((p) => p.visible)).toBe(true)
    vi.runAllTimers()
    expect(lever.sync(states)).toBe(2)
    const twin = (m: Group) => m.children.find((c) => c.name === MERGED_TWIN_NAME)!
    expect(twin(left.model).visible).toBe(true)
    expect(left.parts.some((p) => p.visible)).toBe(false)
    expect(right.parts.some((p) => p.visible)).toBe(false)
    expect(lever.sync(states)).toBe(0)
    expect(lever.describe()).toEqual({ mode: 'merge', level: 0, models: 2, merged: 2 })
    lever.scaler.apply(1)
    expect(lever.sync(states)).toBe(2)
    expect(lever.describe()).toEqual({ mode: 'merge', level: 1, models: 2, merged: 0 })
    expect(twin(left.model).visible).toBe(false)
    expect(left.parts.every((p) => p.visible)).toBe(true)
  })
})
