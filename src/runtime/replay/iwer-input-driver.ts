/**
 * Drives Meta's IWER emulator from replayed input: head pose, controller poses, buttons and axes,
 * and tracked hands with their 25 recorded joints. Loaded only when a replay runs in the emulator.
 *
 * How IWER takes input: its XRDevice applies poses and pending button values at the start of the
 * next XR frame (`onFrameStart`), so what is applied in the app's input phase shows one XR frame
 * later — a constant one-frame lag, the same in every run. Hands in IWER are a canned pose blended
 * toward "pinch"; to play recorded joints, each XRHandInput gets an instance-level `updateHandPose`
 * (called by IWER at frame start) that writes the recorded joint transforms instead, and is removed
 * again on release.
 *
 * Mapping rules (documented in xr-sessions/README.md):
 * - a button counts as pressed in IWER exactly when its value is above 0, so the replayed value is
 *   `pressed ? max(value, 1/255) : 0`: select/squeeze edges follow the recorded pressed flags;
 * - IWER runs either controllers or hands: a frame with any tracked hand plays in hand mode;
 * - a hand's pinch (which fires select in IWER) is its gamepad button 0 when recorded, else
 *   thumb-tip to index-tip closer than 1.5 cm (how Quest decides it);
 * - a source without handedness (a phone's screen touch) drives the device's handedness-less
 *   controller when it has one (the emulated phone), connected exactly while the recorded touch
 *   exists; on a headset it drives the controller of its slot;
 * - a recorded body (format version 2) is offered as `XRFrame.body` by iwer-body-source.ts (IWER
 *   has no body tracking of its own).
 */
import type { XRDevice } from 'iwer'
import { P_JOINT_SPACE, P_SPACE } from 'iwer/lib/private.js'
import {
  AXIS_COUNT,
  BUTTON_COUNT,
  HAND_JOINT_COUNT,
  JOINT_STRIDE,
  XR_HAND_JOINTS,
  type InputSourceSnapshot,
  type XRInputSnapshot,
} from '../../core/input/input-snapshot'
import { createIwerBodySource } from './iwer-body-source'

type Controller = NonNullable<XRDevice['controllers']['left']>
type HandInput = NonNullable<XRDevice['hands']['left']>
type JointSpace = NonNullable<ReturnType<NonNullable<HandInput['inputSource']['hand']>['get']>>

/** Applies replayed input to the emulator; see the module comment. */
export interface IwerInputDriver {
  /** Sets the device from one snapshot (call once per app frame, in the input phase). */
  apply(snapshot: XRInputSnapshot): void
  /** Hands the device back: manual control, canned hand poses, both controllers connected. */
  release(): void
}

const SIDES = ['left', 'right'] as const
const THUMB_TIP = XR_HAND_JOINTS.indexOf('thumb-tip')
const INDEX_TIP = XR_HAND_JOINTS.indexOf('index-finger-tip')
const PINCH_DISTANCE = 0.015
const MIN_PRESSED_VALUE = 1 / 255

/**
 * Writes the column-major 4×4 matrix of `inverse(parent) × child` into `out[o..o+16]`, for rigid
 * poses given as position + unit quaternion: IWER parents joints and grip to the target ray.
 */
function writeRelativeMatrix(
  pp: ArrayLike<number>, pq: ArrayLike<number>, po: number, pqo: number,
  cp: ArrayLike<number>, cq: ArrayLike<number>, co: number, cqo: number,
  out: Float32Array, o: number,
): void {
  // Conjugate of the parent rotation.
  const ax = -pq[pqo], ay = -pq[pqo + 1], az = -pq[pqo + 2], aw = pq[pqo + 3]
  const bx = cq[cqo], by = cq[cqo + 1], bz = cq[cqo + 2], bw = cq[cqo + 3]
  // q = conj(parent) ⊗ child
  const x = aw * bx + ax * bw + ay * bz - az * by
  const y = aw * by - ax * bz + ay * bw + az * bx
  const z = aw * bz + ax * by - ay * bx + az * bw
  const w = aw * bw - ax * bx - ay * by - az * bz
  // t = conj(parent) · (child − parent)
  const vx = cp[co] - pp[po], vy = cp[co + 1] - pp[po + 1], vz = cp[co + 2] - pp[po + 2]
  const tx0 = 2 * (ay * vz - az * vy), ty0 = 2 * (az * vx - ax * vz), tz0 = 2 * (ax * vy - ay * vx)
  const tx = vx + aw * tx0 + (ay * tz0 - az * ty0)
  const ty = vy + aw * ty0 + (az * tx0 - ax * tz0)
  const tz = vz + aw * tz0 + (ax * ty0 - ay * tx0)
  const x2 = x + x, y2 = y + y, z2 = z + z
  const xx = x * x2, xy = x * y2, xz = x * z2, yy = y * y2, yz = y * z2, zz = z * z2
  const wx = w * x2, wy = w * y2, wz = w * z2
  out[o] = 1 - (yy + zz); out[o + 1] = xy + wz; out[o + 2] = xz - wy; out[o + 3] = 0
  out[o + 4] = xy - wz; out[o + 5] = 1 - (xx + zz); out[o + 6] = yz + wx; out[o + 7] = 0
  out[o + 8] = xz + wy; out[o + 9] = yz - wx; out[o + 10] = 1 - (xx + yy); out[o + 11] = 0
  out[o + 12] = tx; out[o + 13] = ty; out[o + 14] = tz; out[o + 15] = 1
}

interface HandState {
  input: HandInput
  joints: JointSpace[]
  matrices: Float32Array
  radii: Float32Array
  grip: Float32Array
  /** True while recorded joints replace IWER's canned pose. */
  active: boolean
}

function copyMatrix(src: Float32Array, offset: number, dst: ArrayLike<number> & { [i: number]: number }): void {
  for (let i = 0; i < 16; i++) dst[i] = src[offset + i]
}

function createHandState(input: HandInput): HandState | null {
  const hand = input.inputSource.hand
  if (!hand) return null
  const joints: JointSpace[] = []
  for (const name of XR_HAND_JOINTS) {
    // IWER types joint names as its own enum of the same strings.
    const space = hand.get(name as unknown as Parameters<typeof hand.get>[0])
    if (!space) return null
    joints.push(space)
  }
  const state: HandState = {
    input,
    joints,
    matrices: new Float32Array(HAND_JOINT_COUNT * 16),
    radii: new Float32Array(HAND_JOINT_COUNT),
    grip: new Float32Array(16),
    active: false,
  }
  const canned = Object.getPrototypeOf(input).updateHandPose as (this: HandInput) => void
  // IWER calls updateHandPose at every frame start; an own property shadows the prototype's.
  input.updateHandPose = function updateReplayedHandPose(this: HandInput) {
    if (!state.active) {
      canned.call(this)
      return
    }
    for (let j = 0; j < HAND_JOINT_COUNT; j++) {
      copyMatrix(state.matrices, j * 16, state.joints[j][P_SPACE].offsetMatrix)
      state.joints[j][P_JOINT_SPACE].radius = state.radii[j]
    }
    const gripSpace = this.inputSource.gripSpace
    if (gripSpace) copyMatrix(state.grip, 0, gripSpace[P_SPACE].offsetMatrix)
  }
  return state
}

function pressedValue(slot: InputSourceSnapshot, b: number): number {
  if (!slot.pressed[b]) return 0
  const v = slot.buttons[b]
  return v < MIN_PRESSED_VALUE ? MIN_PRESSED_VALUE : v > 1 ? 1 : v
}

function clampAxis(v: number): number {
  return v < -1 ? -1 : v > 1 ? 1 : v
}

function applyController(controller: Controller, slot: InputSourceSnapshot): void {
  const ray = slot.targetRay
  controller.position.set(ray.position[0], ray.position[1], ray.position[2])
  controller.quaternion.set(ray.orientation[0], ray.orientation[1], ray.orientation[2], ray.orientation[3])
  if (!slot.hasGamepad) return
  const config = controller.gamepadConfig
  for (let b = 0; b < BUTTON_COUNT && b < config.buttons.length; b++) {
    const button = config.buttons[b]
    if (!button) continue
    const value = pressedValue(slot, b)
    // Binary buttons take exactly 0 or 1.
    controller.updateButtonValue(button.id, button.type === 'binary' ? (value > 0 ? 1 : 0) : value)
    controller.updateButtonTouch(button.id, slot.touched[b] === 1 || value > 0)
  }
  for (let a = 0; a < AXIS_COUNT && a < config.axes.length; a++) {
    const axis = config.axes[a]
    if (!axis || (axis.type !== 'x-axis' && axis.type !== 'y-axis')) continue
    controller.updateAxis(axis.id, axis.type, clampAxis(slot.axes[a]))
  }
}

function applyHand(state: HandState, slot: InputSourceSnapshot): void {
  const input = state.input
  const ray = slot.targetRay
  input.position.set(ray.position[0], ray.position[1], ray.position[2])
  input.quaternion.set(ray.orientation[0], ray.orientation[1], ray.orientation[2], ray.orientation[3])
  state.active = slot.jointsValid
  let pinch = 0
  if (slot.jointsValid) {
    const joints = slot.joints
    const p = ray.position, q = ray.orientation
    for (let j = 0; j < HAND_JOINT_COUNT; j++) {
      const o = j * JOINT_STRIDE
      writeRelativeMatrix(p, q, 0, 0, joints, joints, o, o + 3, state.matrices, j * 16)
      state.radii[j] = joints[o + 7]
    }
    writeRelativeMatrix(p, q, 0, 0, slot.grip.position, slot.grip.orientation, 0, 0, state.grip, 0)
    const t = THUMB_TIP * JOINT_STRIDE, i = INDEX_TIP * JOINT_STRIDE
    const dx = joints[t] - joints[i], dy = joints[t + 1] - joints[i + 1], dz = joints[t + 2] - joints[i + 2]
    pinch = dx * dx + dy * dy + dz * dz < PINCH_DISTANCE * PINCH_DISTANCE ? 1 : 0
  }
  if (slot.hasGamepad) pinch = pressedValue(slot, 0)
  input.updatePinchValue(pinch)
}

/** Takes over `device` (programmatic control) and returns the driver; see the module comment. */
export function createIwerInputDriver(device: XRDevice): IwerInputDriver {
  const previousControlMode = device.controlMode
  const previousInputMode = device.primaryInputMode
  device.controlMode = 'programmatic'
  const hands = SIDES.map((side) => {
    const input = device.hands[side]
    return input ? createHandState(input) : null
  })
  // The emulated phone's screen touch (handedness none); headsets have none.
  const touch = device.controllers.none ?? null
  const body = createIwerBodySource(device)

  return {
    apply(snapshot) {
      const head = snapshot.head
      device.position.set(head.position[0], head.position[1], head.position[2])
      device.quaternion.set(head.orientation[0], head.orientation[1], head.orientation[2], head.orientation[3])
      body.apply(snapshot)
      const anyHand = snapshot.sources[0].kind === 'hand' || snapshot.sources[1].kind === 'hand'
      const mode = anyHand ? 'hand' : 'controller'
      if (device.primaryInputMode !== mode) device.primaryInputMode = mode
      let touched = false
      for (let s = 0; s < 2; s++) {
        const slot = snapshot.sources[s]
        if (touch && slot.handedness === 'none') {
          // A screen touch exists only while the finger is down: connect it exactly then.
          if (slot.connected && slot.kind === 'controller' && !touched) {
            touched = true
            if (!touch.connected) touch.connected = true
            applyController(touch, slot)
          }
          continue
        }
        const controller = device.controllers[SIDES[s]]
        const hand = hands[s]
        const asController = mode === 'controller' && slot.connected && slot.kind === 'controller'
        const asHand = mode === 'hand' && slot.connected && slot.kind === 'hand'
        if (controller) {
          if (controller.connected !== asController) controller.connected = asController
          if (asController) applyController(controller, slot)
        }
        if (hand) {
          if (hand.input.connected !== asHand) hand.input.connected = asHand
          if (asHand) applyHand(hand, slot)
          else hand.active = false
        }
      }
      if (touch && !touched && touch.connected) {
        touch.updateButtonValue('trigger', 0)
        touch.connected = false
      }
    },
    release() {
      body.release()
      for (const hand of hands) {
        if (!hand) continue
        hand.active = false
        // Drop the own property: the prototype's canned pose is back.
        delete (hand.input as Partial<HandInput>).updateHandPose
        hand.input.connected = true
        hand.input.updatePinchValue(0)
      }
      for (const side of SIDES) {
        const controller = device.controllers[side]
        if (!controller) continue
        controller.connected = true
        const config = controller.gamepadConfig
        for (const button of config.buttons) if (button) controller.updateButtonValue(button.id, 0)
      }
      // The phone's touch goes back to "no finger on the screen".
      if (touch) {
        touch.updateButtonValue('trigger', 0)
        touch.connected = false
      }
      device.primaryInputMode = previousInputMode
      device.controlMode = previousControlMode
    },
  }
}
