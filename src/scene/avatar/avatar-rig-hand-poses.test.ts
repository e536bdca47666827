import { readFileSync } from 'node:fs'
import { Group, Matrix4, Quaternion, Vector3 } from 'three'
import { expect, it } from 'vitest'
import { pinchHandPose } from 'iwer/lib/device/configs/hand/pinch.js'
import { pointHandPose } from 'iwer/lib/device/configs/hand/point.js'
import { relaxedHandPose } from 'iwer/lib/device/configs/hand/relaxed.js'
import type { HandPose } from 'iwer/lib/device/XRHandInput.js'
import { XRHandJoint } from 'iwer/lib/input/XRHand.js'
import { createInputSnapshot, JOINT_STRIDE } from '../../core/input/input-snapshot'
import { createAvatarRig, fillRigFromSnapshot, rigFingerReadout, updateRigBody } from './avatar-rig'
import { parseUserVrm } from './load-vrm'

/** IWER mirrors its (left-hand) pose matrices this way for the right hand (XRHandInput.js). */
const MIRROR_TO_RIGHT = [1, -1, -1, 0, -1, 1, 1, 0, -1, 1, 1, 0, -1, 1, 1, 1]

it("IWER's hand poses (relaxed, point, pinch) drive the default host's finger bones", async () => {
  const b = readFileSync('assets/avatars/lingjing-host.vrm')
  const result = await parseUserVrm(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer, 'file', 'host.vrm')
  if (!result.ok) throw new Error(result.message.en)
  const space = new Group()
  space.add(result.avatar.vrm.scene)
  space.updateMatrixWorld(true)
  const rig = createAvatarRig(result.avatar.vrm, space, null)
  const m = new Matrix4()
  const p = new Vector3()
  const q = new Quaternion()
  const s = new Vector3()
  // Both hands at identity orientation in front of the wearer; the left one always relaxed.
  const run = (right: HandPose) => {
    const snap = createInputSnapshot()
    snap.head.position.set([0, 1.6, 0])
    snap.head.orientation.set([0, 0, 0, 1])
    const hands = [
      { pose: relaxedHandPose, at: [-0.25, 1.2, -0.35] },
      { pose: right, at: [0.25, 1.3, -0.35] },
    ]
    hands.forEach(({ pose, at }, i) => {
      const src = snap.sources[i]
      src.connected = true
      src.kind = 'hand'
      src.jointsValid = true
      Object.values(XRHandJoint).forEach((name, j) => {
        const e = Array.from(pose.jointTransforms[name].offsetMatrix)
        if (i === 1) for (let k = 0; k < 16; k++) e[k] *= MIRROR_TO_RIGHT[k]
        m.fromArray(e).decompose(p, q, s)
        src.joints.set([p.x + at[0], p.y + at[1], p.z + at[2], q.x, q.y, q.z, q.w, 0.01], j * JOINT_STRIDE)
      })
    })
    for (let k = 0; k < 10; k++) {
      fillRigFromSnapshot(rig, snap, 1 / 72)
      updateRigBody(rig, 1 / 72)
    }
    return rigFingerReadout(rig)
  }
  const open = run(relaxedHandPose)
  const point = run(pointHandPose)
  const pinch = run(pinchHandPose)
  expect(point.bends.right.index).toBeLessThan(open.bends.right.index + 0.15)
  for (const finger of ['middle', 'ring', 'little'] as const) expect(point.bends.right[finger] - open.bends.right[finger], finger).toBeGreaterThan(1.5)
  expect(open.pinchGap.right).toBeGreaterThan(0.05)
  expect(pinch.pinchGap.right).toBeLessThan(0.025)
  expect(pinch.bends.right.index).toBeGreaterThan(open.bends.right.index + 0.5)
  expect(point.bends.left).toEqual(open.bends.left)
  expect(pinch.bends.left).toEqual(open.bends.left)
})
