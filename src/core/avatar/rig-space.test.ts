import { Group, Matrix4, Object3D, Quaternion, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import {
  captureRestRotation,
  gripToHandTarget,
  setBonePoseRotation,
  setBoneTrackingPosition,
  wristJointToHandTarget,
  xrViewToPoseRotation,
} from './rig-space'

const basis = (x: Vector3, y: Vector3, z: Vector3) =>
  new Quaternion().setFromRotationMatrix(new Matrix4().makeBasis(x, y, z))

describe('rig-space conventions', () => {
  it('turns a WebXR view (looking down -Z) into an avatar facing the same way', () => {
    const pose = xrViewToPoseRotation(new Quaternion(), new Quaternion())
    expect(new Vector3(0, 0, 1).applyQuaternion(pose).distanceTo(new Vector3(0, 0, -1))).toBeLessThan(1e-9)
  })

  it('maps controller grips held like a T-posed avatar hand to the rest hand', () => {
    // Left hand at rest: fingers +X, palm down, thumb +Z. Grip: +X out of the left palm (-Y),
    // -Z toward the thumb; Y completes the frame.
    const leftGrip = basis(new Vector3(0, -1, 0), new Vector3(-1, 0, 0), new Vector3(0, 0, -1))
    const pos = new Vector3()
    const rot = new Quaternion()
    gripToHandTarget('left', new Vector3(1, 1.4, 0), leftGrip, pos, rot)
    expect(rot.angleTo(new Quaternion())).toBeLessThan(1e-6)
    expect(pos.distanceTo(new Vector3(0.93, 1.415, 0))).toBeLessThan(1e-9) // wrist 7 cm toward the body
    // Right hand at rest: fingers -X; grip +X out of the back of the right hand (+Y).
    const rightGrip = basis(new Vector3(0, 1, 0), new Vector3(1, 0, 0), new Vector3(0, 0, -1))
    gripToHandTarget('right', new Vector3(-1, 1.4, 0), rightGrip, pos, rot)
    expect(rot.angleTo(new Quaternion())).toBeLessThan(1e-6)
    expect(pos.distanceTo(new Vector3(-0.93, 1.415, 0))).toBeLessThan(1e-9)
    // Outputs may alias inputs.
    const p = new Vector3(1, 1.4, 0)
    const q = leftGrip.clone()
    gripToHandTarget('left', p, q, p, q)
    expect(p.distanceTo(new Vector3(0.93, 1.415, 0))).toBeLessThan(1e-9)
  })

  it('maps tracked wrist joints (-Z to the fingers, +Y out of the back) to the rest hand', () => {
    const rot = new Quaternion()
    const pos = new Vector3()
    const left = basis(new Vector3(0, 0, 1), new Vector3(0, 1, 0), new Vector3(-1, 0, 0))
    wristJointToHandTarget('left', new Vector3(0.6, 1.4, 0), left, pos, rot)
    expect(rot.angleTo(new Quaternion())).toBeLessThan(1e-6)
    const right = basis(new Vector3(0, 0, -1), new Vector3(0, 1, 0), new Vector3(1, 0, 0))
    wristJointToHandTarget('right', new Vector3(-0.6, 1.4, 0), right, pos, rot)
    expect(rot.angleTo(new Quaternion())).toBeLessThan(1e-6)
  })

  it('sets bone rotations and positions from tracking space under any parents', () => {
    const space = new Group()
    space.position.set(1, 2, 3)
    space.quaternion.setFromAxisAngle(new Vector3(0, 1, 0), 1.2)
    const root = new Group()
    root.quaternion.setFromAxisAngle(new Vector3(0, 1, 0), Math.PI) // e.g. three-vrm's rotateVRM0
    space.add(root)
    const parent = new Object3D()
    parent.position.set(0, 1, 0)
    parent.quaternion.setFromAxisAngle(new Vector3(1, 0, 0), 0.4)
    root.add(parent)
    const bone = new Object3D()
    bone.quaternion.setFromAxisAngle(new Vector3(0, 0, 1), -0.3)
    parent.add(bone)
    const rest = captureRestRotation(space, bone, new Quaternion())
    const pose = new Quaternion().setFromAxisAngle(new Vector3(1, 1, 0).normalize(), 0.8)
    setBonePoseRotation(space, bone, pose, rest)
    setBoneTrackingPosition(space, bone, new Vector3(0.2, 0.9, -0.1))
    space.updateWorldMatrix(true, true)
    const expected = space.quaternion.clone().multiply(pose).multiply(rest)
    expect(bone.getWorldQuaternion(new Quaternion()).angleTo(expected)).toBeLessThan(1e-6)
    const tracked = bone.getWorldPosition(new Vector3()).applyMatrix4(space.matrixWorld.clone().invert())
    expect(tracked.distanceTo(new Vector3(0.2, 0.9, -0.1))).toBeLessThan(1e-9)
  })
})
