import type { VRM } from '@pixiv/three-vrm'
import { Matrix4, Object3D, Quaternion, Vector3 } from 'three'
import {
  HUMAN_BONES,
  VISEME_NAMES,
  createAvatarDriver,
  createBlink,
  createExpressionBlender,
  createFingerCurls,
  createHandBoneRotations,
  createVisemeAnalyzer,
  FINGER_NAMES,
  gripToHandTarget,
  handBoneNames,
  listModelExpressions,
  measureAvatar,
  readRestPositions,
  restEyePosition,
  setAvatarDriverScale,
  solveCurlRotations,
  solveHandJointRotations,
  updateAvatarDriver,
  updateBlink,
  updateControllerFingerCurls,
  updateVisemes,
  wristJointToHandTarget,
  type AvatarBones,
  type AvatarDriver,
  type AvatarMeasurements,
  type BlinkState,
  type Calibration,
  type ExpressionBlender,
  type FingerCurls,
  type Side,
  type VisemeAnalyzer,
} from '../../core/avatar'
import { LEFT_SLOT, RIGHT_SLOT, type XRInputSnapshot } from '../../core/input/input-snapshot'
import type { VRMAnimation } from '@pixiv/three-vrm-animation'
import { applyMotionAfterIK, createAvatarMotion, playMotionEmote, updateMotionBeforeIK, type AvatarMotion, type MotionOwnership } from './avatar-motion'

/**
 * Scene-side glue between a three-vrm avatar and the framework-free avatar core: body from the
 * driver, face from blink + visemes + the expression blender, written to the VRM in the documented
 * order (driver → blink → visemes → blender → expressionManager → vrm.update). Everything a frame
 * touches is allocated in {@link createAvatarRig}.
 */


/** A live avatar: the VRM, its driver and face state. */
export interface AvatarRig {
  readonly vrm: VRM
  readonly space: Object3D
  readonly driver: AvatarDriver
  readonly measurements: AvatarMeasurements
  /** Authored eye point (avatar space, unscaled). */
  readonly restEye: Vector3
  readonly blink: BlinkState
  readonly blender: ExpressionBlender
  /** The model's expressions the host can pick (presets and custom, see listModelExpressions). */
  readonly expressions: readonly string[]
  /** Every name written to the expression manager each frame: the picked list, visemes, blink. */
  readonly faceNames: readonly string[]
  readonly visemes: VisemeAnalyzer
  readonly curls: [FingerCurls, FingerCurls]
  readonly fingerRotations: [Quaternion[], Quaternion[]]
  readonly hands: [Object3D, Object3D]
  /** The applied calibration, or null for the avatar's own size. */
  calibration: Calibration | null
  /** True while the body follows live tracking (false: idle pose on a flat screen). */
  tracking: boolean
  /** Idle and emotes under the IK (avatar-motion.ts), or null without animations. */
  readonly motion: AvatarMotion | null
  /** Which parts the trackers own this frame (refilled by updateRigBody). */
  readonly ownership: MotionOwnership
}

/**
 * Builds a rig for a prepared VRM whose scene is already a child of `space` (the Object3D whose
 * local frame is the WebXR tracking space), at identity, in its rest pose.
 */
export function createAvatarRig(
  vrm: VRM,
  space: Object3D,
  calibration: Calibration | null,
  seed = 1,
  animations: ReadonlyMap<string, VRMAnimation> | null = null,
): AvatarRig {
  const bones: AvatarBones = {}
  for (const name of HUMAN_BONES) {
    const node = vrm.humanoid.getNormalizedBoneNode(name)
    if (node) bones[name] = node
  }
  vrm.scene.scale.setScalar(1)
  // A cached VRM's spring bones (hair, skirt) still swing from what it did before: start them at
  // rest, from the rest pose, so a rebuilt rig (a replay's first frame) always starts the same.
  vrm.humanoid.update()
  vrm.scene.updateMatrixWorld(true)
  vrm.springBoneManager?.reset()
  const rest = readRestPositions(space, bones)
  const measurements = measureAvatar(rest)
  calibration = fitCalibration(calibration, measurements)
  const scale = calibration?.scale ?? 1
  vrm.scene.scale.setScalar(scale)
  const driver = createAvatarDriver(space, bones, rest, { scale, armScale: calibration?.armScale ?? 1 })
  // The model's own override rules apply in its expression manager; the blinker only needs to
  // know which expressions hold the eyes open, to pause behind them.
  const eyesHeldBy = (vrm.expressionManager?.expressions ?? []).filter((e) => e.overrideBlink === 'block').map((e) => e.expressionName)
  const expressions = listModelExpressions((vrm.expressionManager?.expressions ?? []).map((e) => e.expressionName))
  const blender = createExpressionBlender({ eyesHeldBy }, expressions)
  blender.snap()
  return {
    vrm,
    space,
    driver,
    measurements,
    restEye: restEyePosition(rest, new Vector3()),
    blink: createBlink(seed),
    blender,
    expressions,
    faceNames: [...expressions, ...VISEME_NAMES, 'blink'],
    visemes: createVisemeAnalyzer(),
    curls: [createFingerCurls(), createFingerCurls()],
    fingerRotations: [createHandBoneRotations(), createHandBoneRotations()],
    hands: [bones.leftHand!, bones.rightHand!],
    calibration,
    tracking: false,
    motion: animations && animations.size > 0 ? createAvatarMotion(vrm, animations) : null,
    ownership: { head: false, left: false, right: false },
  }
}

/**
 * Refits a stored calibration to this avatar: the stored user measurements (eye height, wrist
 * span) stay, the scale factors are recomputed, so one calibration serves every avatar.
 */
export function fitCalibration(calibration: Calibration | null, avatar: AvatarMeasurements): Calibration | null {
  if (!calibration) return null
  const scale = calibration.eyeHeight / avatar.eyeHeight
  return { ...calibration, scale, armScale: calibration.wristSpan / (avatar.wristSpan * scale) }
}

/** Applies (or clears) a calibration: scales the avatar and the driver together. */
export function applyCalibration(rig: AvatarRig, calibration: Calibration | null): void {
  rig.calibration = calibration
  const scale = calibration?.scale ?? 1
  rig.vrm.scene.scale.setScalar(scale)
  setAvatarDriverScale(rig.driver, scale, calibration?.armScale ?? 1)
}

const sQ = new Quaternion()
const sPos = new Vector3()
const SLOTS = [LEFT_SLOT, RIGHT_SLOT] as const
const SIDES: readonly [Side, Side] = ['left', 'right']

/**
 * Fills the driver input from a live (or replayed) input snapshot. Controllers give grip poses and
 * button-driven finger curls; tracked hands give the wrist and full finger rotations.
 */
export function fillRigFromSnapshot(rig: AvatarRig, snapshot: XRInputSnapshot, dt: number): void {
  const inp = rig.driver.input
  inp.headPosition.fromArray(snapshot.head.position)
  inp.headRotation.fromArray(snapshot.head.orientation)
  const handScale = rig.calibration ? rig.calibration.height / 1.7 : 1
  for (let i = 0; i < 2; i++) {
    const side = SIDES[i]
    const source = snapshot.sources[SLOTS[i]]
    const hand = i === 0 ? inp.left : inp.right
    if (!source.connected) {
      hand.tracked = false
      continue
    }
    hand.tracked = true
    if (source.kind === 'hand' && source.jointsValid) {
      const j = source.joints
      sPos.set(j[0], j[1], j[2])
      sQ.set(j[3], j[4], j[5], j[6])
      wristJointToHandTarget(side, sPos, sQ, hand.position, hand.rotation)
      hand.fingers = solveHandJointRotations(j, side, rig.fingerRotations[i])
    } else {
      sPos.fromArray(source.grip.position)
      sQ.fromArray(source.grip.orientation)
      gripToHandTarget(side, sPos, sQ, hand.position, hand.rotation, handScale)
      updateControllerFingerCurls(rig.curls[i], source.buttons, source.touched, dt)
      hand.fingers = solveCurlRotations(rig.curls[i], side, rig.fingerRotations[i])
    }
  }
  // A tracked body (live XRFrame.body or a recorded one) drives hips, spine and legs; none: as before.
  const body = inp.body
  body.valid = snapshot.bodyValid
  if (body.valid) body.joints.set(snapshot.body)
  rig.tracking = true
}

/**
 * Idle input for a flat screen (no headset): the host stands at the stage centre facing the
 * audience, breathing and glancing slightly; arms hang relaxed. `timeS` is the frame clock.
 */
export function fillRigIdle(rig: AvatarRig, timeS: number): void {
  const inp = rig.driver.input
  const scale = rig.calibration?.scale ?? 1
  const breath = Math.sin(timeS * 1.7) * 0.004
  const sway = Math.sin(timeS * 0.45) * 0.012
  // Eye point of the authored avatar; facing tracking -Z (WebXR forward) = the audience.
  inp.headPosition.set(sway, rig.restEye.y * scale + breath, 0)
  inp.headRotation.setFromAxisAngle(sPos.set(0, 1, 0), Math.sin(timeS * 0.3) * 0.08)
  sQ.setFromAxisAngle(sPos.set(1, 0, 0), -0.04 + Math.sin(timeS * 0.5) * 0.02)
  inp.headRotation.multiply(sQ)
  inp.left.tracked = false
  inp.right.tracked = false
  inp.left.fingers = null
  inp.right.fingers = null
  inp.body.valid = false
  rig.tracking = false
}

/**
 * Body: the idle and emote animation, then the IK driver on top, then the animation again on the
 * driver's bones no tracker owns (avatar-motion.ts explains the order).
 */
export function updateRigBody(rig: AvatarRig, dt: number): void {
  const own = rig.ownership
  own.head = rig.tracking
  own.left = rig.driver.input.left.tracked
  own.right = rig.driver.input.right.tracked
  if (rig.motion) updateMotionBeforeIK(rig.motion, dt, own)
  updateAvatarDriver(rig.driver, dt)
  if (rig.motion) applyMotionAfterIK(rig.motion, own)
}

/** Starts an emote (a shipped one or a user's `.vrma`); false when the rig has no such emote. */
export function playRigEmote(rig: AvatarRig, name: string): boolean {
  return rig.motion ? playMotionEmote(rig.motion, name) : false
}

/**
 * Face and VRM update: blink → visemes (when a spectrum is given) → blender → expression manager
 * → vrm.update (look-at, spring bones, constraints).
 */
export function updateRigFace(
  rig: AvatarRig,
  dt: number,
  spectrum: Float32Array | null,
  sampleRate: number,
  fftSize: number,
): void {
  const blinkWeight = updateBlink(rig.blink, dt, rig.blender.blinkSuppressed())
  let visemes = null
  if (spectrum) visemes = updateVisemes(rig.visemes, spectrum, sampleRate, fftSize, dt)
  else {
    // Mic off: let an open mouth close smoothly rather than freeze.
    const w = rig.visemes.weights
    const k = Math.exp(-dt / 0.09)
    w.aa *= k
    w.ih *= k
    w.ou *= k
    w.ee *= k
    w.oh *= k
    w.loudness *= k
    visemes = w
  }
  const weights = rig.blender.update(dt, visemes, blinkWeight)
  const manager = rig.vrm.expressionManager
  if (manager) {
    const names = rig.faceNames
    for (let i = 0; i < names.length; i++) manager.setValue(names[i], weights[names[i]])
  }
  rig.vrm.update(dt)
}

/** Starts a smooth blend to one of the model's expressions at `intensity` (0..1). */
export function setRigExpression(rig: AvatarRig, preset: string, intensity = 1): void {
  const target = rig.blender.target
  if (target.preset !== preset || target.intensity !== intensity) rig.blender.setTarget(preset, intensity)
}

const sInverse = new Matrix4()

/** The model's expressions with their current blended weights (diagnostics; allocates). */
export function rigExpressionWeights(rig: AvatarRig): { name: string; weight: number }[] {
  const w = rig.blender.weights
  return rig.expressions.map((name) => ({ name, weight: Math.round(w[name] * 1000) / 1000 }))
}

/** Hand bone positions in tracking space (diagnostics; allocates, call on demand only). */
export function rigHandPositions(rig: AvatarRig): { left: [number, number, number]; right: [number, number, number] } {
  rig.space.updateWorldMatrix(true, false)
  sInverse.copy(rig.space.matrixWorld).invert()
  const r = (n: number) => Math.round(n * 10000) / 10000
  const read = (o: Object3D): [number, number, number] => {
    o.updateWorldMatrix(true, false)
    const v = new Vector3().setFromMatrixPosition(o.matrixWorld).applyMatrix4(sInverse)
    return [r(v.x), r(v.y), r(v.z)]
  }
  return { left: read(rig.hands[0]), right: read(rig.hands[1]) }
}

/** Leg readout of the avatar (diagnostics): what drives the legs, and how far each knee bends. */
export interface RigLegReadout {
  /** 'body' while a tracked body drives hips, spine and legs, else 'procedural'. */
  driver: 'body' | 'procedural'
  /** Knee flexion of the avatar's legs in degrees (0 = straight), from the posed bones. */
  knees: { left: number; right: number }
  /** Knee flexion the tracked body shows in degrees (null without a body this frame). */
  bodyKnees: { left: number; right: number } | null
}

/** Reads the legs back from the posed bones. Allocates; call on demand only, never per frame. */
export function rigLegReadout(rig: AvatarRig): RigLegReadout {
  const humanoid = rig.vrm.humanoid
  const at = (name: 'leftUpperLeg' | 'leftLowerLeg' | 'leftFoot' | 'rightUpperLeg' | 'rightLowerLeg' | 'rightFoot') => {
    const node = humanoid.getNormalizedBoneNode(name)
    if (!node) return null
    node.updateWorldMatrix(true, false)
    return new Vector3().setFromMatrixPosition(node.matrixWorld)
  }
  const knee = (upper: Vector3 | null, lower: Vector3 | null, foot: Vector3 | null) =>
    upper && lower && foot ? Math.round(((lower.clone().sub(upper).angleTo(foot.clone().sub(lower)) * 180) / Math.PI) * 10) / 10 : 0
  const deg = (r: number) => Math.round(((r * 180) / Math.PI) * 10) / 10
  const driver = rig.driver
  return {
    driver: driver.bodyDriven ? 'body' : 'procedural',
    knees: { left: knee(at('leftUpperLeg'), at('leftLowerLeg'), at('leftFoot')), right: knee(at('rightUpperLeg'), at('rightLowerLeg'), at('rightFoot')) },
    bodyKnees: driver.bodyDriven ? { left: deg(driver.body.legs[0].kneeFlexion), right: deg(driver.body.legs[1].kneeFlexion) } : null,
  }
}

/** Per-finger bend of one avatar hand, radians (thumb first, see FINGER_NAMES). */
export type FingerBends = Record<(typeof FINGER_NAMES)[number], number>

/** Finger readout of both avatar hands (diagnostics). */
export interface RigFingerReadout {
  /** Per finger: sum of its three bones' local rotation angles, radians (0 = rest, straight). */
  bends: { left: FingerBends; right: FingerBends }
  /** Distance between the thumb tip and the index tip, metres in tracking space. */
  pinchGap: { left: number; right: number }
}

/**
 * The avatar's finger bones as posed (normalized bones: identity at rest), read back for
 * diagnostics. Allocates; call on demand only, never per frame.
 */
export function rigFingerReadout(rig: AvatarRig): RigFingerReadout {
  rig.space.updateWorldMatrix(true, false)
  sInverse.copy(rig.space.matrixWorld).invert()
  const round = (n: number) => Math.round(n * 1000) / 1000
  const humanoid = rig.vrm.humanoid
  const bone = (name: string) => humanoid.getNormalizedBoneNode(name as Parameters<typeof humanoid.getNormalizedBoneNode>[0])
  const angle = (o: Object3D | null) => (o ? 2 * Math.acos(Math.min(1, Math.abs(o.quaternion.w))) : 0)
  // No tip bones exist: continue the distal bone straight on by its parent-to-distal offset.
  const tip = (o: Object3D | null) => {
    if (!o) return null
    o.updateWorldMatrix(true, false)
    return o.localToWorld(o.position.clone()).applyMatrix4(sInverse)
  }
  const readHand = (side: Side) => {
    const names = handBoneNames(side)
    const bends = {} as FingerBends
    FINGER_NAMES.forEach((finger, f) => {
      bends[finger] = round(angle(bone(names[f * 3])) + angle(bone(names[f * 3 + 1])) + angle(bone(names[f * 3 + 2])))
    })
    const thumb = tip(bone(names[2]))
    const index = tip(bone(names[5]))
    return { bends, gap: thumb && index ? round(thumb.distanceTo(index)) : -1 }
  }
  const left = readHand('left')
  const right = readHand('right')
  return { bends: { left: left.bends, right: right.bends }, pinchGap: { left: left.gap, right: right.gap } }
}
