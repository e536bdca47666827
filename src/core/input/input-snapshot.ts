/**
 * The plain per-frame input snapshot. Live WebXR and recorded replays both fill the same
 * preallocated object, so the app reads input one way and cannot tell (or care) where it came
 * from. Everything is typed arrays mutated in place: filling a snapshot never allocates, which
 * keeps the 72–120 Hz headset loop free of garbage-collection pauses.
 */

/** The 25 WebXR hand joints in the order the WebXR Hand Input spec (and XRHand iteration) uses. */
export const XR_HAND_JOINTS = [
  'wrist',
  'thumb-metacarpal',
  'thumb-phalanx-proximal',
  'thumb-phalanx-distal',
  'thumb-tip',
  'index-finger-metacarpal',
  'index-finger-phalanx-proximal',
  'index-finger-phalanx-intermediate',
  'index-finger-phalanx-distal',
  'index-finger-tip',
  'middle-finger-metacarpal',
  'middle-finger-phalanx-proximal',
  'middle-finger-phalanx-intermediate',
  'middle-finger-phalanx-distal',
  'middle-finger-tip',
  'ring-finger-metacarpal',
  'ring-finger-phalanx-proximal',
  'ring-finger-phalanx-intermediate',
  'ring-finger-phalanx-distal',
  'ring-finger-tip',
  'pinky-finger-metacarpal',
  'pinky-finger-phalanx-proximal',
  'pinky-finger-phalanx-intermediate',
  'pinky-finger-phalanx-distal',
  'pinky-finger-tip',
] as const satisfies readonly XRHandJoint[]

/** Number of hand joints per hand (25). */
export const HAND_JOINT_COUNT = XR_HAND_JOINTS.length
/** Floats per joint in {@link InputSourceSnapshot.joints}: position xyz, quaternion xyzw, radius. */
export const JOINT_STRIDE = 8
/** Gamepad buttons kept per source: the xr-standard layout has 7 on Quest controllers. */
export const BUTTON_COUNT = 7
/** Gamepad axes kept per source: xr-standard touchpad xy + thumbstick xy. */
export const AXIS_COUNT = 4
/**
 * The body joints Lingjing keeps from WebXR body tracking (`XRFrame.body`, Meta's Body Tracking
 * module on Quest Browser), in this order: the torso chain, both arms to the wrist, both legs to
 * the ball of the foot. The names are the module's `XRBodyJoint` values. The finger joints the
 * module also has are left out: tracked hands already carry them (the 25 hand joints per source),
 * and the scapula, wrist-twist and subtalar/transverse foot joints drive no humanoid bone.
 */
export const XR_BODY_JOINTS = [
  'hips',
  'spine-lower',
  'spine-middle',
  'spine-upper',
  'chest',
  'neck',
  'head',
  'left-shoulder',
  'left-arm-upper',
  'left-arm-lower',
  'left-hand-wrist',
  'right-shoulder',
  'right-arm-upper',
  'right-arm-lower',
  'right-hand-wrist',
  'left-upper-leg',
  'left-lower-leg',
  'left-foot-ankle',
  'left-foot-ball',
  'right-upper-leg',
  'right-lower-leg',
  'right-foot-ankle',
  'right-foot-ball',
] as const

/** One of {@link XR_BODY_JOINTS}. */
export type XRBodyJointName = (typeof XR_BODY_JOINTS)[number]
/** Number of body joints kept (23). */
export const BODY_JOINT_COUNT = XR_BODY_JOINTS.length
/** Floats per body joint in {@link XRInputSnapshot.body}: position xyz, quaternion xyzw (no radius). */
export const BODY_JOINT_STRIDE = 7

/** Index of a body joint in {@link XR_BODY_JOINTS} (for reading {@link XRInputSnapshot.body}). */
export function bodyJointIndex(name: XRBodyJointName): number {
  return XR_BODY_JOINTS.indexOf(name)
}

/** Slot index of the left-hand source in {@link XRInputSnapshot.sources}. */
export const LEFT_SLOT = 0
/** Slot index of the right-hand source in {@link XRInputSnapshot.sources}. */
export const RIGHT_SLOT = 1

/** Session mode as the app requested it; null before a session starts (desktop/flat). */
export type SnapshotMode = 'immersive-vr' | 'immersive-ar' | 'inline' | null
/** What kind of device occupies an input slot; 'none' when the slot is empty. */
export type InputKind = 'controller' | 'hand' | 'none'
/** Handedness as WebXR reports it ('none' for e.g. a phone screen or gaze pointer). */
export type SnapshotHandedness = 'left' | 'right' | 'none'

/** A rigid pose in metres and a unit quaternion (x, y, z, w), in the app's reference space. */
export interface Pose {
  /** Position x, y, z in metres. */
  readonly position: Float32Array
  /** Orientation quaternion x, y, z, w (unit length). */
  readonly orientation: Float32Array
}

/** One input slot: a controller, a tracked hand, or nothing. */
export interface InputSourceSnapshot {
  /** True when a source occupies this slot this frame. */
  connected: boolean
  /** Reported handedness; the slot already implies left/right, but 'none' sources land here too. */
  handedness: SnapshotHandedness
  /** Controller, hand, or 'none' when disconnected. */
  kind: InputKind
  /** Target-ray (pointing) pose. */
  readonly targetRay: Pose
  /** Grip pose; copies the target ray when the source has no grip space. */
  readonly grip: Pose
  /** 25 joints × 8 floats (pos xyz, quat xyzw, radius), valid only when {@link jointsValid}. */
  readonly joints: Float32Array
  /** True when all 25 joints were tracked this frame. */
  jointsValid: boolean
  /** True when the source exposes a gamepad (buttons/axes are meaningful). */
  hasGamepad: boolean
  /** Button values 0..1 in xr-standard order. */
  readonly buttons: Float32Array
  /** Button pressed flags (0/1), same order as {@link buttons}. */
  readonly pressed: Uint8Array
  /** Button touched flags (0/1), same order as {@link buttons}. */
  readonly touched: Uint8Array
  /** Axes -1..1 in xr-standard order (touchpad x, y, thumbstick x, y). */
  readonly axes: Float32Array
}

/** The whole input state of one frame. */
export interface XRInputSnapshot {
  /** Frame time in ms: live = rAF time, replay = ms since the recording's first frame. */
  timeMs: number
  /** Frame counter: live = number of fills, replay = recorded frame index. */
  frame: number
  /** Session mode; the caller sets it live because XRSession does not expose it. */
  mode: SnapshotMode
  /** Display frame rate in Hz, 0 when unknown. */
  frameRate: number
  /** Viewer (head) pose. */
  readonly head: Pose
  /** Exactly two slots: [left, right]. Fixed so the app can index them without searching. */
  readonly sources: readonly [InputSourceSnapshot, InputSourceSnapshot]
  /**
   * Body joints ({@link XR_BODY_JOINTS} order) × 7 floats (pos xyz, quat xyzw) in the same
   * reference space as the head; meaningful only when {@link bodyValid}.
   */
  readonly body: Float32Array
  /** True when every body joint was tracked this frame (live `XRFrame.body`, or a recorded body). */
  bodyValid: boolean
}

/** Creates an identity pose (origin, no rotation). */
export function createPose(): Pose {
  const orientation = new Float32Array(4)
  orientation[3] = 1
  return { position: new Float32Array(3), orientation }
}

/** Creates an empty input slot with identity poses and joint quaternions. */
export function createInputSourceSnapshot(handedness: SnapshotHandedness = 'none'): InputSourceSnapshot {
  const source: InputSourceSnapshot = {
    connected: false,
    handedness,
    kind: 'none',
    targetRay: createPose(),
    grip: createPose(),
    joints: new Float32Array(HAND_JOINT_COUNT * JOINT_STRIDE),
    jointsValid: false,
    hasGamepad: false,
    buttons: new Float32Array(BUTTON_COUNT),
    pressed: new Uint8Array(BUTTON_COUNT),
    touched: new Uint8Array(BUTTON_COUNT),
    axes: new Float32Array(AXIS_COUNT),
  }
  // Identity joint rotations so an unfilled hand never hands three.js a zero quaternion.
  for (let j = 0; j < HAND_JOINT_COUNT; j++) source.joints[j * JOINT_STRIDE + 6] = 1
  return source
}

/** Creates an empty snapshot (no session, both slots disconnected). Allocate once, reuse forever. */
export function createInputSnapshot(): XRInputSnapshot {
  return {
    timeMs: 0,
    frame: 0,
    mode: null,
    frameRate: 0,
    head: createPose(),
    sources: [createInputSourceSnapshot('left'), createInputSourceSnapshot('right')],
    body: createBodyJoints(),
    bodyValid: false,
  }
}

/** A body joint array with identity rotations, so an unfilled body never yields a zero quaternion. */
function createBodyJoints(): Float32Array {
  const body = new Float32Array(BODY_JOINT_COUNT * BODY_JOINT_STRIDE)
  for (let j = 0; j < BODY_JOINT_COUNT; j++) body[j * BODY_JOINT_STRIDE + 6] = 1
  return body
}

/** Copies a pose without allocating. */
export function copyPose(dst: Pose, src: Pose): void {
  dst.position.set(src.position)
  dst.orientation.set(src.orientation)
}

/** Copies one input slot without allocating. */
export function copyInputSourceSnapshot(dst: InputSourceSnapshot, src: InputSourceSnapshot): void {
  dst.connected = src.connected
  dst.handedness = src.handedness
  dst.kind = src.kind
  copyPose(dst.targetRay, src.targetRay)
  copyPose(dst.grip, src.grip)
  dst.joints.set(src.joints)
  dst.jointsValid = src.jointsValid
  dst.hasGamepad = src.hasGamepad
  dst.buttons.set(src.buttons)
  dst.pressed.set(src.pressed)
  dst.touched.set(src.touched)
  dst.axes.set(src.axes)
}

/** Copies a whole snapshot into another without allocating. */
export function copyInputSnapshot(dst: XRInputSnapshot, src: XRInputSnapshot): void {
  dst.timeMs = src.timeMs
  dst.frame = src.frame
  dst.mode = src.mode
  dst.frameRate = src.frameRate
  copyPose(dst.head, src.head)
  copyInputSourceSnapshot(dst.sources[0], src.sources[0])
  copyInputSourceSnapshot(dst.sources[1], src.sources[1])
  dst.body.set(src.body)
  dst.bodyValid = src.bodyValid
}

/**
 * Marks a slot empty. Poses and joints are left as they were: nothing reads them while
 * disconnected, and keeping them avoids pointless writes.
 */
export function resetInputSourceSnapshot(source: InputSourceSnapshot): void {
  source.connected = false
  source.kind = 'none'
  source.jointsValid = false
  source.hasGamepad = false
  source.buttons.fill(0)
  source.pressed.fill(0)
  source.touched.fill(0)
  source.axes.fill(0)
}

// ---------------------------------------------------------------------------------------------
// Live WebXR fill
// ---------------------------------------------------------------------------------------------

/**
 * `fillPoses` / `fillJointRadii` are in the Hand Input spec and on Quest Browser but not in
 * @types/webxr, so they are declared here and feature-tested at runtime.
 */
interface XRFrameBatchHand {
  fillPoses?: (spaces: readonly XRSpace[], baseSpace: XRSpace, transforms: Float32Array) => boolean
  fillJointRadii?: (jointSpaces: readonly XRJointSpace[], radii: Float32Array) => boolean
}

// Scratch for the batch joint APIs; module-level so the per-frame fill never allocates.
const jointMatrices = new Float32Array(HAND_JOINT_COUNT * 16)
const jointRadii = new Float32Array(HAND_JOINT_COUNT)
// XRHand objects live as long as their input source; caching their joint list in spec order
// costs one array per hand per session instead of one iterator per frame.
const handJointSpaces = new WeakMap<XRHand, XRJointSpace[]>()

function jointSpacesOf(hand: XRHand): XRJointSpace[] | null {
  let spaces = handJointSpaces.get(hand)
  if (!spaces) {
    spaces = []
    for (let j = 0; j < HAND_JOINT_COUNT; j++) {
      const space = hand.get(XR_HAND_JOINTS[j])
      if (!space) return null
      spaces.push(space)
    }
    handJointSpaces.set(hand, spaces)
  }
  return spaces
}

function setPoseFromTransform(pose: Pose, transform: XRRigidTransform): void {
  const p = transform.position
  const o = transform.orientation
  pose.position[0] = p.x
  pose.position[1] = p.y
  pose.position[2] = p.z
  pose.orientation[0] = o.x
  pose.orientation[1] = o.y
  pose.orientation[2] = o.z
  pose.orientation[3] = o.w
}

/**
 * Writes the rotation of a column-major 4×4 rigid matrix as a quaternion (x, y, z, w) into
 * `out[outOffset..+4]`. Shepperd's method: picks the largest diagonal term so it stays accurate
 * for any rotation.
 */
export function quaternionFromMatrix(m: ArrayLike<number>, mOffset: number, out: Float32Array | Float64Array, outOffset: number): void {
  const m00 = m[mOffset], m01 = m[mOffset + 4], m02 = m[mOffset + 8]
  const m10 = m[mOffset + 1], m11 = m[mOffset + 5], m12 = m[mOffset + 9]
  const m20 = m[mOffset + 2], m21 = m[mOffset + 6], m22 = m[mOffset + 10]
  const trace = m00 + m11 + m22
  let x: number, y: number, z: number, w: number
  if (trace > 0) {
    const s = 0.5 / Math.sqrt(trace + 1)
    w = 0.25 / s
    x = (m21 - m12) * s
    y = (m02 - m20) * s
    z = (m10 - m01) * s
  } else if (m00 > m11 && m00 > m22) {
    const s = 2 * Math.sqrt(1 + m00 - m11 - m22)
    w = (m21 - m12) / s
    x = 0.25 * s
    y = (m01 + m10) / s
    z = (m02 + m20) / s
  } else if (m11 > m22) {
    const s = 2 * Math.sqrt(1 + m11 - m00 - m22)
    w = (m02 - m20) / s
    x = (m01 + m10) / s
    y = 0.25 * s
    z = (m12 + m21) / s
  } else {
    const s = 2 * Math.sqrt(1 + m22 - m00 - m11)
    w = (m10 - m01) / s
    x = (m02 + m20) / s
    y = (m12 + m21) / s
    z = 0.25 * s
  }
  out[outOffset] = x
  out[outOffset + 1] = y
  out[outOffset + 2] = z
  out[outOffset + 3] = w
}

function fillHand(source: InputSourceSnapshot, hand: XRHand, frame: XRFrame, refSpace: XRReferenceSpace): boolean {
  const spaces = jointSpacesOf(hand)
  if (!spaces) return false
  const joints = source.joints
  const batch = frame as XRFrame & XRFrameBatchHand
  if (batch.fillPoses && batch.fillJointRadii) {
    // One native call for all 25 joints is what Quest Browser optimises for.
    if (!batch.fillPoses(spaces, refSpace, jointMatrices)) return false
    if (!batch.fillJointRadii(spaces, jointRadii)) return false
    for (let j = 0; j < HAND_JOINT_COUNT; j++) {
      const m = j * 16
      const o = j * JOINT_STRIDE
      joints[o] = jointMatrices[m + 12]
      joints[o + 1] = jointMatrices[m + 13]
      joints[o + 2] = jointMatrices[m + 14]
      quaternionFromMatrix(jointMatrices, m, joints, o + 3)
      joints[o + 7] = jointRadii[j]
    }
    return true
  }
  if (!frame.getJointPose) return false
  for (let j = 0; j < HAND_JOINT_COUNT; j++) {
    const pose = frame.getJointPose(spaces[j], refSpace)
    if (!pose) return false
    const o = j * JOINT_STRIDE
    writePose(joints, o, pose.transform)
    joints[o + 7] = pose.radius ?? 0
  }
  return true
}

/**
 * WebXR Body Tracking (`XRFrame.body`, Quest Browser): an `XRBody` maps joint names to
 * `XRBodySpace`s. Not in @types/webxr, so declared here and feature-tested at runtime.
 */
export interface XRBodyLike {
  get(joint: string): XRSpace | undefined
}

// One cached joint-space list per XRBody (the module's body object is [SameObject] per frame and
// its spaces live as long as the session), so the per-frame fill allocates nothing of its own.
const bodyJointSpaces = new WeakMap<object, XRSpace[]>()
const bodyMatrices = new Float32Array(BODY_JOINT_COUNT * 16)

function bodySpacesOf(body: XRBodyLike): XRSpace[] | null {
  let spaces = bodyJointSpaces.get(body)
  if (!spaces) {
    spaces = []
    for (let j = 0; j < BODY_JOINT_COUNT; j++) {
      const space = body.get(XR_BODY_JOINTS[j])
      if (!space) return null
      spaces.push(space)
    }
    bodyJointSpaces.set(body, spaces)
  }
  return spaces
}

/**
 * Fills `out` (a {@link XRInputSnapshot.body} array) from an `XRBody`. Uses the batch
 * `fillPoses` where the browser has it, else one `getPose` per joint.
 *
 * @returns true when every joint had a pose this frame (false leaves `out` partly written).
 */
export function fillBodyFromXRFrame(out: Float32Array, body: XRBodyLike, frame: XRFrame, refSpace: XRReferenceSpace): boolean {
  const spaces = bodySpacesOf(body)
  if (!spaces) return false
  const batch = frame as XRFrame & XRFrameBatchHand
  if (batch.fillPoses) {
    if (!batch.fillPoses(spaces, refSpace, bodyMatrices)) return false
    for (let j = 0; j < BODY_JOINT_COUNT; j++) {
      const m = j * 16
      const o = j * BODY_JOINT_STRIDE
      out[o] = bodyMatrices[m + 12]
      out[o + 1] = bodyMatrices[m + 13]
      out[o + 2] = bodyMatrices[m + 14]
      quaternionFromMatrix(bodyMatrices, m, out, o + 3)
    }
    return true
  }
  for (let j = 0; j < BODY_JOINT_COUNT; j++) {
    const pose = frame.getPose(spaces[j], refSpace)
    if (!pose) return false
    writePose(out, j * BODY_JOINT_STRIDE, pose.transform)
  }
  return true
}

function fillGamepad(source: InputSourceSnapshot, gamepad: Gamepad): void {
  const buttons = gamepad.buttons
  for (let b = 0; b < BUTTON_COUNT; b++) {
    // xr-standard leaves holes (e.g. index 2, the touchpad, on Quest) and hands may have fewer.
    const button = b < buttons.length ? buttons[b] : null
    source.buttons[b] = button ? button.value : 0
    source.pressed[b] = button && button.pressed ? 1 : 0
    source.touched[b] = button && button.touched ? 1 : 0
  }
  const axes = gamepad.axes
  for (let a = 0; a < AXIS_COUNT; a++) source.axes[a] = a < axes.length ? axes[a] : 0
}

/**
 * Fills `snapshot` from a live XRFrame. Allocates nothing itself; only the WebXR calls
 * (getViewerPose, getPose) return their own objects.
 *
 * - `timeMs` defaults to the frame's predicted display time; `frame` is incremented per call.
 * - `mode` is left as the caller set it: XRSession does not expose the mode it was requested in.
 * - When the head or a pose is momentarily untracked the previous value is held, matching what
 *   the headset itself shows.
 * - Sources go to the slot of their handedness; a 'none' source takes the right slot, else the
 *   left one, else it is dropped (two slots cover every headset and phone we target).
 *
 * @returns true when the viewer pose was tracked this frame.
 */
export function fillInputSnapshotFromXRFrame(
  snapshot: XRInputSnapshot,
  frame: XRFrame,
  refSpace: XRReferenceSpace,
  timeMs: number = frame.predictedDisplayTime,
): boolean {
  const session = frame.session
  snapshot.timeMs = timeMs
  snapshot.frame += 1
  snapshot.frameRate = session.frameRate ?? 0

  const viewer = frame.getViewerPose(refSpace)
  if (viewer) setPoseFromTransform(snapshot.head, viewer.transform)

  const left = snapshot.sources[LEFT_SLOT]
  const right = snapshot.sources[RIGHT_SLOT]
  resetInputSourceSnapshot(left)
  resetInputSourceSnapshot(right)
  left.handedness = 'left'
  right.handedness = 'right'
  const inputSources = session.inputSources
  for (let i = 0; i < inputSources.length; i++) {
    const input = inputSources[i]
    let slot: InputSourceSnapshot
    if (input.handedness === 'left') slot = left
    else if (input.handedness === 'right') slot = right
    else slot = right.connected ? left : right
    // First source wins: primary sources never share a hand, so a clash is a runtime quirk.
    if (slot.connected) continue

    slot.connected = true
    slot.handedness = input.handedness
    slot.kind = input.hand ? 'hand' : 'controller'
    const ray = frame.getPose(input.targetRaySpace, refSpace)
    if (ray) setPoseFromTransform(slot.targetRay, ray.transform)
    const grip = input.gripSpace ? frame.getPose(input.gripSpace, refSpace) : undefined
    if (grip) setPoseFromTransform(slot.grip, grip.transform)
    else if (!input.gripSpace) copyPose(slot.grip, slot.targetRay)
    slot.jointsValid = input.hand ? fillHand(slot, input.hand, frame, refSpace) : false
    if (input.gamepad) {
      slot.hasGamepad = true
      fillGamepad(slot, input.gamepad)
    }
  }
  // Body tracking only where the session has it (Quest Browser with 'body-tracking' granted, or
  // the replay's emulated body source); otherwise `body` is absent and nothing changes.
  const body = (frame as XRFrame & { body?: XRBodyLike | null }).body
  snapshot.bodyValid = body ? fillBodyFromXRFrame(snapshot.body, body, frame, refSpace) : false
  return viewer !== undefined
}

/** Writes a pose's position and orientation (x, y, z, qx, qy, qz, qw) into `out` at `o`. */
function writePose(out: Float32Array | number[], o: number, transform: { position: { x: number; y: number; z: number }; orientation: { x: number; y: number; z: number; w: number } }): void {
  const p = transform.position
  const q = transform.orientation
  out[o] = p.x
  out[o + 1] = p.y
  out[o + 2] = p.z
  out[o + 3] = q.x
  out[o + 4] = q.y
  out[o + 5] = q.z
  out[o + 6] = q.w
}
