import { Group, Object3D, Scene } from 'three'
import { describe, expect, it } from 'vitest'
import { createSceneMatrices, freezeStatic, holdSceneMatrices, releaseSceneMatrices } from './scene-matrices'

describe('scene matrices', () => {
  it('updates the world matrices once and holds them for the renders of the frame, then gives three its default back', () => {
    const scene = new Scene()
    const child = new Object3D()
    scene.add(child)
    child.position.set(1, 2, 3)
    const state = createSceneMatrices()
    holdSceneMatrices(state, scene)
    expect(child.matrixWorld.elements.slice(12, 15)).toEqual([1, 2, 3])
    expect(scene.matrixWorldAutoUpdate).toBe(false)
    // A move after the hold is not seen until the next frame's hold.
    child.position.set(4, 5, 6)
    releaseSceneMatrices(state, scene)
    expect(scene.matrixWorldAutoUpdate).toBe(true)
    expect(child.matrixWorld.elements[12]).toBe(1)
    holdSceneMatrices(state, scene)
    expect(child.matrixWorld.elements[12]).toBe(4)
    expect(state.frames).toBe(2)
    // Releasing twice (unmount after the render phase) changes nothing.
    releaseSceneMatrices(state, scene)
    releaseSceneMatrices(state, scene)
    expect(scene.matrixWorldAutoUpdate).toBe(true)
  })

  it('freezes a static subtree with its matrices composed, skipping dynamic branches', () => {
    const root = new Group()
    const prop = new Object3D()
    prop.position.set(0, 1, 0)
    const moving = new Object3D()
    moving.userData.dynamic = true
    const underMoving = new Object3D()
    moving.add(underMoving)
    root.add(prop, moving)
    expect(freezeStatic(root)).toBe(2)
    expect([root.matrixAutoUpdate, prop.matrixAutoUpdate, moving.matrixAutoUpdate, underMoving.matrixAutoUpdate]).toEqual([false, false, true, true])
    expect(prop.matrix.elements[13]).toBe(1)
    // Freezing again counts nothing new.
    expect(freezeStatic(root)).toBe(0)
  })
})
