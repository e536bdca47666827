import { Object3D, Quaternion, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { createPropsState, holdProp, type PropDef } from '../../core/avatar'
import { createInputSnapshot, type XRInputSnapshot } from '../../core/input/input-snapshot'
import { placeRigProps, squeezeRigProp } from './avatar-props'
import { createAvatarRig, fillRigFromSnapshot, updateRigBody, updateRigFace } from './avatar-rig'
import { createTestStage, loadDefaultHost } from './test-stage'

const DT = 1 / 72
const THUMB_UP = new Quaternion().setFromAxisAngle(new Vector3(1, 0, 0), Math.PI / 2)
// A microphone on a stand at world (-0.5, 1.1, 0.2): tracking (0.5, 0.9, -0.2) on the stage below.
const DEFS: PropDef[] = [
  { id: 'microphone', rest: new Vector3(-0.5, 1.1, 0.2), restRotation: new Quaternion(), gripPosition: new Vector3(-0.04, -0.02, 0), gripRotation: THUMB_UP },
  { id: 'card', rest: new Vector3(-0.5, 1.1, 0.05), restRotation: new Quaternion(), gripPosition: new Vector3(-0.035, -0.015, 0), gripRotation: THUMB_UP },
]

/** The livestream stage: tracking space raised 0.2 m and turned to face +Z; the props at the world root. */
async function stage() {
  const vrm = await loadDefaultHost()
  const { world, space } = createTestStage(vrm)
  const objects = DEFS.map(() => {
    const o = new Object3D()
    o.matrixAutoUpdate = false
    world.add(o)
    return o
  })
  world.updateMatrixWorld(true)
  return { world, space, objects, rig: createAvatarRig(vrm, space, null) }
}

function controllers(left: number[], right: number[]): XRInputSnapshot {
  const s = createInputSnapshot()
  s.head.position.set([0, 1.6, 0])
  s.sources.forEach((src, i) => {
    src.connected = true
    src.kind = 'controller'
    src.hasGamepad = true
    src.grip.position.set(i === 0 ? left : right)
  })
  return s
}

const worldOf = (o: Object3D) => new Vector3().setFromMatrixPosition(o.matrix)
const handOf = (o: Object3D) => new Vector3().setFromMatrixPosition(o.matrixWorld)

describe('studio props on the default host', () => {
  it('a squeeze at the stand takes the microphone, which then follows the right hand bone within 5 cm', async () => {
    const { world, space, objects, rig } = await stage()
    const props = createPropsState(DEFS)
    const scratch = new Vector3()
    // The controller where the microphone stands (tracking space), and far from it.
    expect(squeezeRigProp(props, 'right', new Float32Array([0.5, 0.3, 0.6]), space, scratch)).toBe('nothing')
    expect(squeezeRigProp(props, 'right', new Float32Array([0.5, 0.9, -0.2]), space, scratch)).toBe('grabbed')
    expect(props.heldBy).toEqual(['right', null])

    const s = controllers([-0.3, 1.0, -0.2], [0.25, 1.3, -0.35])
    for (let i = 0; i < 40; i++) {
      fillRigFromSnapshot(rig, s, DT)
      updateRigBody(rig, DT)
      placeRigProps(props, rig, objects)
      updateRigFace(rig, DT, null, 48000, 1024)
    }
    world.updateMatrixWorld()
    const mic = worldOf(objects[0])
    const hand = handOf(rig.hands[1])
    expect(mic.distanceTo(hand)).toBeLessThan(0.05)
    // Near the wearer's controller (world = tracking turned half round and raised), far from the stand.
    expect(mic.distanceTo(new Vector3(-0.25, 1.5, 0.35))).toBeLessThan(0.12)
    expect(mic.distanceTo(DEFS[0].rest)).toBeGreaterThan(0.3)
    // Unscaled, and the matrix world the renderer uses is the one written.
    expect(new Vector3().setFromMatrixScale(objects[0].matrixWorld).x).toBeCloseTo(1, 5)
    // The card stayed on its stand.
    expect(worldOf(objects[1]).toArray()).toEqual(DEFS[1].rest.toArray())
  })

  it('a prop in the left hand sits as the mirror image of the same prop in the right', async () => {
    const { objects, rig } = await stage()
    const props = createPropsState(DEFS)
    const run = (s: XRInputSnapshot) => {
      for (let i = 0; i < 40; i++) {
        fillRigFromSnapshot(rig, s, DT)
        updateRigBody(rig, DT)
        placeRigProps(props, rig, objects)
      }
      return worldOf(objects[1]).sub(handOf(rig.hands[props.heldBy[1] === 'left' ? 0 : 1]))
    }
    holdProp(props, 'right', 'card')
    const right = run(controllers([-0.3, 1.1, -0.3], [0.3, 1.1, -0.3]))
    holdProp(props, 'right', null)
    holdProp(props, 'left', 'card')
    const left = run(controllers([-0.3, 1.1, -0.3], [0.3, 1.1, -0.3]))
    // Symmetric pose: the card's offset from its hand mirrors across the body's midplane (world x).
    expect(left.x).toBeCloseTo(-right.x, 2)
    expect(left.y).toBeCloseTo(right.y, 2)
    expect(left.z).toBeCloseTo(right.z, 2)
    expect(right.length()).toBeGreaterThan(0.02)
  })
})
