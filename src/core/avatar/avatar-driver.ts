import { Matrix4, Object3D, Quaternion, Vector3 } from 'three'
import { createBodyInput, createBodyRetarget, retargetBody, type BodyInput, type BodyLegTargets, type BodyRetarget } from './body-retarget'
import { solveElbowHint } from './elbow-hint'
import type { AvatarRestPositions, HumanBoneName, Side } from './humanoid'
import { handBoneNames, normalizedHingeAxis } from './humanoid'
import { createProceduralLegs, updateProceduralLegs, type FootState, type LegsParams, type ProceduralLegs } from './procedural-legs'
import {
  captureRestRotation,
  poseToWorldRotation,
  setBonePoseRotation,
  setBoneTrackingPosition,
  trackingToWorld,
} from './rig-space'
import { createSpineIK, updateSpineIK, type SpineIK, type SpineIKInput, type SpineIKParams } from './spine-ik'
import { applyTwoBoneIK, type TwoBoneIKOptions } from './two-bone-ik'

/**
 * Per-frame glue for a VRM body on plain three.js bones: spine from the head, legs stepping under
 * the hips, arms reaching the hand targets with natural elbows, fingers from precomputed local
 * rotations. Framework-free; the scene calls {@link updateAvatarDriver} once per frame after
 * filling {@link AvatarDriver.input}. Allocation happens only in {@link createAvatarDriver}.
 */

/** The bones the driver moves (three-vrm normalized nodes); finger bones are optional. */
export type AvatarBones = Partial<Record<HumanBoneName, Object3D | null | undefined>>

/** One hand's target this frame, in tracking space (see rig-space.ts for converters). */
export interface HandTargetInput {
  /** False when the controller/hand is not tracked: the arm then hangs relaxed. */
  tracked: boolean
  /** Wrist (hand bone) position. */
  readonly position: Vector3
  /** Hand bone pose rotation (avatar convention). */
  readonly rotation: Quaternion
  /** 15 finger local rotations (LEFT_HAND_BONES order), or null to leave the fingers alone. */
  fingers: readonly Quaternion[] | null
}

/** Everything the driver reads each frame; mutate in place. */
export interface AvatarDriverInput {
  /** Viewer position and WebXR orientation (tracking space). */
  readonly headPosition: Vector3
  readonly headRotation: Quaternion
  readonly left: HandTargetInput
  readonly right: HandTargetInput
  /**
   * Tracked body (WebXR body tracking, or a recorded one). While valid it drives the hips, spine,
   * chest and legs instead of the spine solver's torso and the procedural legs.
   */
  readonly body: BodyInput
}

/** Options for {@link createAvatarDriver}. */
export interface AvatarDriverOptions {
  /** Calibration scale (the avatar root must carry the same uniform scale). Default 1. */
  scale?: number
  /** Calibration arm ratio (user / scaled avatar); hand offsets from the shoulders are divided by it. */
  armScale?: number
  /** True (default) for three-vrm normalized bones: enables exact hinge axes for elbows and knees. */
  normalizedBones?: boolean
  /** Share of the wrist twist taken by the forearm (default 0.5, needs normalized bones). */
  forearmTwist?: number
  spine?: Partial<SpineIKParams>
  legs?: Partial<LegsParams>
}

interface ArmRig {
  readonly side: Side
  readonly upper: Object3D
  readonly lower: Object3D
  readonly hand: Object3D
  readonly restHand: Quaternion
  readonly length: number
  readonly options: TwoBoneIKOptions
  readonly fingers: (Object3D | null)[]
}

interface LegRig {
  readonly upper: Object3D
  readonly lower: Object3D
  readonly foot: Object3D
  readonly restFoot: Quaternion
  readonly options: TwoBoneIKOptions
  /** Authored (unscaled) thigh + shin length. */
  readonly length: number
}

/** Driver state. */
export interface AvatarDriver {
  /** Fill this every frame. */
  readonly input: AvatarDriverInput
  readonly spine: SpineIK
  readonly legs: ProceduralLegs
  readonly space: Object3D
  armScale: number
  /** The body targets of the last frame that had a body (see {@link bodyDriven}). */
  readonly body: BodyRetarget
  /** True when the last update took hips, spine and legs from {@link AvatarDriverInput.body}. */
  bodyDriven: boolean
}

interface DriverInternals extends AvatarDriver {
  readonly bones: {
    hips: Object3D
    spine: Object3D
    chest: Object3D | null
    neck: Object3D | null
    head: Object3D
  }
  readonly rest: { hips: Quaternion; spine: Quaternion; chest: Quaternion; neck: Quaternion; head: Quaternion }
  readonly arms: readonly [ArmRig, ArmRig]
  readonly legRigs: readonly [LegRig, LegRig]
  readonly spineInput: MutableSpineInput
}

/** The spine input the driver refills every frame. */
interface MutableSpineInput extends SpineIKInput {
  leftHand: Vector3 | null
  rightHand: Vector3 | null
  balance: Vector3 | null
}

function required(bones: AvatarBones, name: HumanBoneName): Object3D {
  const b = bones[name]
  if (!b) throw new Error(`avatar driver needs the ${name} bone`)
  return b
}

function createHandInput(): HandTargetInput {
  return { tracked: false, position: new Vector3(), rotation: new Quaternion(), fingers: null }
}

/**
 * Builds a driver. Call with the avatar in its rest T-pose, facing +Z inside `space` (the Object3D
 * whose local frame is the WebXR tracking space), and with its root already scaled by `scale`.
 * `rest` holds authored (unscaled) rest positions, e.g. from `readRestPositions`.
 */
export function createAvatarDriver(
  space: Object3D,
  bones: AvatarBones,
  rest: AvatarRestPositions,
  options: AvatarDriverOptions = {},
): AvatarDriver {
  const scale = options.scale ?? 1
  const normalized = options.normalizedBones ?? true
  const capture = (b: Object3D | null) => (b ? captureRestRotation(space, b, new Quaternion()) : new Quaternion())
  const hinge = (limb: 'leftArm' | 'rightArm' | 'leftLeg' | 'rightLeg') =>
    normalized ? normalizedHingeAxis(limb, new Vector3()) : null

  const makeArm = (side: Side): ArmRig => {
    const upper = required(bones, side === 'left' ? 'leftUpperArm' : 'rightUpperArm')
    const lower = required(bones, side === 'left' ? 'leftLowerArm' : 'rightLowerArm')
    const hand = required(bones, side === 'left' ? 'leftHand' : 'rightHand')
    const ru = rest[side === 'left' ? 'leftUpperArm' : 'rightUpperArm']
    const rl = rest[side === 'left' ? 'leftLowerArm' : 'rightLowerArm']
    const rh = rest[side === 'left' ? 'leftHand' : 'rightHand']
    if (!ru || !rl || !rh) throw new Error(`avatar driver needs rest positions for the ${side} arm`)
    return {
      side,
      upper,
      lower,
      hand,
      restHand: capture(hand),
      length: ru.distanceTo(rl) + rl.distanceTo(rh),
      options: {
        hingeAxis: hinge(side === 'left' ? 'leftArm' : 'rightArm'),
        lowerTwist: normalized ? (options.forearmTwist ?? 0.5) : 0,
      },
      fingers: handBoneNames(side).map((n) => bones[n] ?? null),
    }
  }
  const makeLeg = (side: Side): LegRig => {
    const foot = required(bones, side === 'left' ? 'leftFoot' : 'rightFoot')
    const ru = rest[side === 'left' ? 'leftUpperLeg' : 'rightUpperLeg']
    const rl = rest[side === 'left' ? 'leftLowerLeg' : 'rightLowerLeg']
    const rf = rest[side === 'left' ? 'leftFoot' : 'rightFoot']
    if (!ru || !rl || !rf) throw new Error(`avatar driver needs rest positions for the ${side} leg`)
    return {
      length: ru.distanceTo(rl) + rl.distanceTo(rf),
      upper: required(bones, side === 'left' ? 'leftUpperLeg' : 'rightUpperLeg'),
      lower: required(bones, side === 'left' ? 'leftLowerLeg' : 'rightLowerLeg'),
      foot,
      restFoot: capture(foot),
      options: { hingeAxis: hinge(side === 'left' ? 'leftLeg' : 'rightLeg') },
    }
  }

  const chest = bones.upperChest ?? bones.chest ?? null
  const neck = bones.neck ?? null
  const driver: DriverInternals = {
    input: {
      headPosition: new Vector3(),
      headRotation: new Quaternion(),
      left: createHandInput(),
      right: createHandInput(),
      body: createBodyInput(),
    },
    body: createBodyRetarget(),
    bodyDriven: false,
    spine: createSpineIK(rest, scale, options.spine),
    legs: createProceduralLegs(rest, scale, options.legs),
    space,
    armScale: options.armScale ?? 1,
    bones: { hips: required(bones, 'hips'), spine: required(bones, 'spine'), chest, neck, head: required(bones, 'head') },
    rest: {
      hips: capture(required(bones, 'hips')),
      spine: capture(required(bones, 'spine')),
      chest: capture(chest),
      neck: capture(neck),
      head: capture(required(bones, 'head')),
    },
    arms: [makeArm('left'), makeArm('right')],
    legRigs: [makeLeg('left'), makeLeg('right')],
    spineInput: {
      headPosition: new Vector3(),
      headRotation: new Quaternion(),
      leftHand: null,
      rightHand: null,
      balance: null,
    },
  }
  return driver
}

const sInverseSpace = new Matrix4()
const sTarget = new Vector3()
const sPole = new Vector3()
const sShoulder = new Vector3()
const sHand = new Vector3()
const sRot = new Quaternion()
const sWorldRot = new Quaternion()
const sHead = new Vector3()

function driveLeg(d: DriverInternals, rig: LegRig, foot: FootState): void {
  trackingToWorld(d.space, foot.position, sTarget)
  trackingToWorld(d.space, foot.pole, sPole)
  poseToWorldRotation(d.space, foot.rotation, rig.restFoot, sRot)
  applyTwoBoneIK(rig.upper, rig.lower, rig.foot, sTarget, sRot, sPole, rig.options)
}

// A tracked leg on the avatar: the user's hip → ankle reach scaled to the avatar's leg length and
// laid from the avatar's own hip joint, so the knee bends by the user's angle whatever the sizes;
// the knee bends toward the user's knee (pushed forward, so a straight leg still has a pole).
function driveBodyLeg(d: DriverInternals, rig: LegRig, leg: BodyLegTargets, forward: Vector3): void {
  rig.upper.updateWorldMatrix(true, false)
  sShoulder.setFromMatrixPosition(rig.upper.matrixWorld).applyMatrix4(sInverseSpace) // avatar hip, tracking space
  const ratio = leg.length > 1e-3 ? (rig.length * d.spine.scale) / leg.length : 1
  sHand.subVectors(leg.ankle, leg.hip).multiplyScalar(ratio).add(sShoulder)
  sHead.subVectors(leg.knee, leg.hip).multiplyScalar(ratio).add(sShoulder).addScaledVector(forward, 0.3 * d.spine.scale)
  trackingToWorld(d.space, sHand, sTarget)
  trackingToWorld(d.space, sHead, sPole)
  poseToWorldRotation(d.space, leg.footRotation, rig.restFoot, sRot)
  applyTwoBoneIK(rig.upper, rig.lower, rig.foot, sTarget, sRot, sPole, rig.options)
}

function driveArm(d: DriverInternals, rig: ArmRig, hand: HandTargetInput): void {
  const chestRot = d.spine.pose.chest.rotation
  rig.upper.updateWorldMatrix(true, false)
  sShoulder.setFromMatrixPosition(rig.upper.matrixWorld).applyMatrix4(sInverseSpace) // tracking space
  const reach = rig.length * d.spine.scale
  if (hand.tracked) {
    // Map the user's reach onto the avatar's: offsets from the shoulder shrink by armScale.
    sHand.subVectors(hand.position, sShoulder).divideScalar(d.armScale > 1e-3 ? d.armScale : 1).add(sShoulder)
    sRot.copy(hand.rotation)
  } else {
    // Relaxed arm: hand hanging just in front of the thigh.
    sHand.set(rig.side === 'left' ? 0.04 : -0.04, -0.93, 0.08).multiplyScalar(reach).applyQuaternion(chestRot).add(sShoulder)
    sRot.copy(chestRot)
  }
  sHead.copy(d.input.headPosition)
  solveElbowHint(rig.side, sHead, chestRot, sShoulder, sHand, reach, sPole)
  trackingToWorld(d.space, sHand, sTarget)
  trackingToWorld(d.space, sPole, sPole)
  poseToWorldRotation(d.space, sRot, rig.restHand, sWorldRot)
  applyTwoBoneIK(rig.upper, rig.lower, rig.hand, sTarget, sWorldRot, sPole, rig.options)

  const fingers = hand.tracked ? hand.fingers : null
  if (fingers) {
    for (let i = 0; i < rig.fingers.length && i < fingers.length; i++) {
      const bone = rig.fingers[i]
      if (bone) bone.quaternion.copy(fingers[i])
    }
  }
}

/** Drives all bones for this frame from `driver.input`; `dt` in seconds. */
export function updateAvatarDriver(driver: AvatarDriver, dt: number): void {
  const d = driver as DriverInternals
  const inp = d.input
  d.space.updateWorldMatrix(true, false)
  sInverseSpace.copy(d.space.matrixWorld).invert()

  const si = d.spineInput
  si.headPosition.copy(inp.headPosition)
  si.headRotation.copy(inp.headRotation)
  si.leftHand = inp.left.tracked ? inp.left.position : null
  si.rightHand = inp.right.tracked ? inp.right.position : null
  si.balance = d.legs.initialized ? d.legs.balance : null
  const pose = updateSpineIK(d.spine, si, dt)

  const b = d.bones
  // A tracked body owns hips, spine and chest; the spine solver keeps neck and head on the headset.
  const body = inp.body.valid ? retargetBody(inp.body.joints, d.body) : null
  d.bodyDriven = body !== null
  setBoneTrackingPosition(d.space, b.hips, body ? body.hipsPosition : pose.hips.position)
  setBonePoseRotation(d.space, b.hips, body ? body.hipsRotation : pose.hips.rotation, d.rest.hips)
  setBonePoseRotation(d.space, b.spine, body ? body.spineRotation : pose.spine.rotation, d.rest.spine)
  if (b.chest) setBonePoseRotation(d.space, b.chest, body ? body.chestRotation : pose.chest.rotation, d.rest.chest)
  if (b.neck) setBonePoseRotation(d.space, b.neck, pose.neck.rotation, d.rest.neck)
  setBonePoseRotation(d.space, b.head, pose.head.rotation, d.rest.head)

  d.legs.scale = d.spine.scale
  if (body) {
    driveBodyLeg(d, d.legRigs[0], body.legs[0], body.forward)
    driveBodyLeg(d, d.legRigs[1], body.legs[1], body.forward)
    // When the body is lost the procedural feet start over under the hips, not where they were.
    d.legs.initialized = false
  } else {
    updateProceduralLegs(d.legs, pose.hips.position, pose.hips.rotation, pose.bodyYaw, dt)
    driveLeg(d, d.legRigs[0], d.legs.left)
    driveLeg(d, d.legRigs[1], d.legs.right)
  }

  driveArm(d, d.arms[0], inp.left)
  driveArm(d, d.arms[1], inp.right)
}

/** Applies a new calibration scale (also set the avatar root's scale to the same value). */
export function setAvatarDriverScale(driver: AvatarDriver, scale: number, armScale = 1): void {
  driver.spine.scale = scale
  driver.legs.scale = scale
  driver.armScale = armScale
  driver.spine.initialized = false
  driver.legs.initialized = false
}
