import { Matrix4, Quaternion, Vector3, type Object3D } from 'three'
import { EXPRESSION_PRESETS, updateBlink } from '../../core/avatar'
import { LEFT_SLOT, RIGHT_SLOT, type XRInputSnapshot } from '../../core/input/input-snapshot'
import { FACE_NAMES, type RemoteFace } from '../../core/venue/face'
import { POSE_STRIDE } from '../../core/venue/pose'
import type { AvatarRig } from './avatar-rig'

/**
 * Drives a rig from someone else: the livestream audience's copy of the host. The host's head and
 * hands arrive as world poses (src/core/venue/pose.ts) and its face as expression weights
 * (src/core/venue/face.ts); these helpers turn them into what the rig's own driver and expression
 * manager take, allocating nothing per frame.
 */

const sInverse = new Matrix4()
const sInverseQ = new Quaternion()
const sPos = new Vector3()
const sQ = new Quaternion()
const SLOTS = [LEFT_SLOT, RIGHT_SLOT] as const

/** One part of a world pose at `o`, through `sInverse`/`sInverseQ`, into a position and orientation. */
function toLocal(pose: Float32Array, o: number, position: Float32Array, orientation: Float32Array): void {
  sPos.set(pose[o], pose[o + 1], pose[o + 2]).applyMatrix4(sInverse)
  sQ.set(pose[o + 3], pose[o + 4], pose[o + 5], pose[o + 6]).premultiply(sInverseQ).normalize()
  position[0] = sPos.x
  position[1] = sPos.y
  position[2] = sPos.z
  orientation[0] = sQ.x
  orientation[1] = sQ.y
  orientation[2] = sQ.z
  orientation[3] = sQ.w
}

/**
 * Writes a received world pose (head, left, right; metres and quaternions) into `out` as an input
 * snapshot in `space`'s local frame (the rig's tracking space): the head, and each hand as a
 * controller grip when tracked. False when the head is untracked (the host has no headset), so the
 * caller shows the idle pose instead.
 */
export function fillSnapshotFromRemotePose(pose: Float32Array, space: Object3D, out: XRInputSnapshot): boolean {
  if (pose[3] === 0 && pose[4] === 0 && pose[5] === 0 && pose[6] === 0) return false
  space.updateWorldMatrix(true, false)
  sInverse.copy(space.matrixWorld).invert()
  sInverseQ.setFromRotationMatrix(sInverse)
  toLocal(pose, 0, out.head.position, out.head.orientation)
  for (let i = 0; i < 2; i++) {
    const o = (i + 1) * POSE_STRIDE
    const src = out.sources[SLOTS[i]]
    const tracked = pose[o + 3] !== 0 || pose[o + 4] !== 0 || pose[o + 5] !== 0 || pose[o + 6] !== 0
    src.connected = tracked
    src.kind = tracked ? 'controller' : 'none'
    src.jointsValid = false
    src.hasGamepad = false // buttons stay at rest: relaxed fingers
    if (tracked) toLocal(pose, o, src.grip.position, src.grip.orientation)
  }
  return true
}

/**
 * Face from the network: the received weights (eased by `face.update`) go to the expression
 * manager, which applies the model's own override rules; the blink is this rig's own, paused
 * behind an expression the model declares holds the eyes (as on the host). The rig's blender weights are overwritten with what is
 * shown, and its target set to the dominant preset, so diagnostics read the same as on the host.
 * Ends with `vrm.update(dt)`, like `updateRigFace`.
 */
export function updateRigFaceFromRemote(rig: AvatarRig, dt: number, face: RemoteFace): void {
  face.update(dt)
  const prm = rig.blender.params
  const shown = face.weights
  // The model's own override rules apply in its expression manager (as on the host); the blinker
  // only pauses behind an expression the model says holds the eyes.
  let held = false
  for (let i = 0; i < prm.eyesHeldBy.length && !held; i++) held = ((shown as Record<string, number>)[prm.eyesHeldBy[i]] ?? 0) > prm.blinkSuppressThreshold
  const blink = updateBlink(rig.blink, dt, held)
  const weights = rig.blender.weights
  for (let i = 0; i < FACE_NAMES.length; i++) weights[FACE_NAMES[i]] = shown[FACE_NAMES[i]]
  weights.blink = blink
  const dominant = face.dominantPreset()
  if (rig.blender.target.preset !== dominant) rig.blender.setTarget(dominant as (typeof EXPRESSION_PRESETS)[number])
  const manager = rig.vrm.expressionManager
  if (manager) {
    for (let i = 0; i < FACE_NAMES.length; i++) manager.setValue(FACE_NAMES[i], weights[FACE_NAMES[i]])
    manager.setValue('blink', weights.blink)
  }
  rig.vrm.update(dt)
}
