import { Matrix4, Quaternion, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { createPropsState, heldPropMatrix, holdProp, nearestPropInReach, propsReadout, restingPropMatrix, squeezeProp, type PropDef } from './props'

// Three props 10 cm apart on a stand; a fake hand moves between them.
const DEFS: PropDef[] = [
  { id: 'microphone', rest: new Vector3(0.5, 1, 0.2), restRotation: new Quaternion(), gripPosition: new Vector3(-0.04, -0.02, 0), gripRotation: new Quaternion().setFromAxisAngle(new Vector3(1, 0, 0), Math.PI / 2) },
  { id: 'card', rest: new Vector3(0.5, 1, 0.1), restRotation: new Quaternion(), gripPosition: new Vector3(-0.03, -0.02, 0.01), gripRotation: new Quaternion() },
  { id: 'model', rest: new Vector3(0.5, 1, 0), restRotation: new Quaternion(), gripPosition: new Vector3(-0.04, -0.03, 0), gripRotation: new Quaternion() },
]

describe('props within reach', () => {
  it('offers the nearest resting prop within reach, nothing beyond it, and never a held one', () => {
    const s = createPropsState(DEFS)
    expect(nearestPropInReach(s, new Vector3(0.52, 1.02, 0.17))).toBe(0)
    expect(nearestPropInReach(s, new Vector3(0.5, 1, 0.06))).toBe(1)
    expect(nearestPropInReach(s, new Vector3(0.5, 1.3, 0.1))).toBe(-1)
    expect(nearestPropInReach(s, new Vector3(0.5, 1.3, 0.1), 0.35)).toBe(1)
    s.heldBy[1] = 'left'
    expect(nearestPropInReach(s, new Vector3(0.5, 1, 0.12))).toBe(0)
  })
})

describe('squeeze state machine', () => {
  it('grabs with one squeeze, releases back to the stand with the next, and ignores an empty squeeze', () => {
    const s = createPropsState(DEFS)
    const near = new Vector3(0.5, 1.05, 0.2)
    expect(squeezeProp(s, 'right', new Vector3(0, 1, 0))).toBe('nothing')
    expect(squeezeProp(s, 'right', near)).toBe('grabbed')
    expect(propsReadout(s)).toEqual([
      { id: 'microphone', heldBy: 'right' },
      { id: 'card', heldBy: null },
      { id: 'model', heldBy: null },
    ])
    // The other hand at the same place cannot take the held microphone; it gets the card instead.
    expect(squeezeProp(s, 'left', near)).toBe('grabbed')
    expect(s.heldBy).toEqual(['right', 'left', null])
    // Anywhere: a holding hand's squeeze puts its prop back on its stand.
    expect(squeezeProp(s, 'right', new Vector3(-3, 0, 0))).toBe('released')
    expect(s.heldBy).toEqual([null, 'left', null])
  })

  it('the panel puts a prop in a hand, swaps it, moves it from the other hand, and empties the hand', () => {
    const s = createPropsState(DEFS)
    holdProp(s, 'right', 'card')
    expect(s.heldBy).toEqual([null, 'right', null])
    holdProp(s, 'right', 'model')
    expect(s.heldBy).toEqual([null, null, 'right'])
    holdProp(s, 'left', 'model')
    expect(s.heldBy).toEqual([null, null, 'left'])
    holdProp(s, 'left', null)
    expect(s.heldBy).toEqual([null, null, null])
  })
})

describe('held prop placement', () => {
  it('follows the hand bone with the grip offset, without the avatar scale, mirrored for the left hand', () => {
    const s = createPropsState(DEFS)
    holdProp(s, 'right', 'microphone')
    // A hand at (1, 2, 3), turned 90° about Y, on an avatar scaled by 1.2.
    const turn = new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), Math.PI / 2)
    const hand = new Matrix4().compose(new Vector3(1, 2, 3), turn, new Vector3(1.2, 1.2, 1.2))
    const out = heldPropMatrix(s, 0, hand, new Matrix4())
    const p = new Vector3()
    const q = new Quaternion()
    const scale = new Vector3()
    out.decompose(p, q, scale)
    // Offset (-0.04, -0.02, 0) turned 90° about Y is (0, -0.02, 0.04).
    expect(p.x).toBeCloseTo(1, 6)
    expect(p.y).toBeCloseTo(1.98, 6)
    expect(p.z).toBeCloseTo(3.04, 6)
    expect(scale.x).toBeCloseTo(1, 6)
    expect(p.distanceTo(new Vector3(1, 2, 3))).toBeLessThan(0.05)
    expect(q.angleTo(turn.clone().multiply(DEFS[0].gripRotation))).toBeLessThan(1e-6)

    // The left hand: the offset's x mirrored (identity hand: the grip sits at +x).
    holdProp(s, 'left', 'microphone')
    heldPropMatrix(s, 0, new Matrix4(), out).decompose(p, q, scale)
    expect([p.x, p.y, p.z].map((n) => Math.round(n * 1000) / 1000)).toEqual([0.04, -0.02, 0])
    // A rotation about X (the mirror's normal) is its own mirror image.
    expect(q.angleTo(new Quaternion().setFromAxisAngle(new Vector3(1, 0, 0), Math.PI / 2))).toBeLessThan(1e-6)
  })

  it('a resting prop sits at its place on the stand', () => {
    const s = createPropsState(DEFS)
    const p = new Vector3().setFromMatrixPosition(restingPropMatrix(s, 2, new Matrix4()))
    expect(p.toArray()).toEqual([0.5, 1, 0])
  })
})
