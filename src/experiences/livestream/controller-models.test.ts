import { Group, Mesh } from 'three'
import { describe, expect, it } from 'vitest'
import { createControllerModelsLever } from './controller-models'

describe('controller-models lever', () => {
  it('hides every controller model at level 0 and shows them again at full, leaving hands and unloaded models alone', () => {
    const lever = createControllerModelsLever()
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
