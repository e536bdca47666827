import { Quaternion, Vector3 } from 'three'
import type { Bilingual } from '../i18n/strings'
import type { Vec3Like } from './locomotion'

/**
 * A simplified model of Tianhe's large robotic arm: 10.2 m, 7 revolute joints arranged
 * shoulder (3) – elbow (1) – wrist (3), like a human arm (an S-R-S chain).
 *
 * Kinematic chain, in the base frame (base frame = module frame: the base sits on the hull with
 * +Y pointing away from it): shoulder roll (Y), shoulder yaw (Z), shoulder pitch (X), upper boom
 * 4.7 m along +Y, elbow pitch (X), lower boom 4.7 m along +Y, wrist pitch (X), wrist yaw (Z),
 * wrist roll (Y), end effector 0.8 m along +Y. With all joints at 0 the arm stands straight up.
 *
 * Control follows the two-joystick workstation: the left stick commands end-effector translation
 * velocity, the right stick rotation velocity; joint rates come from damped least squares
 * (dq = Jᵀ(JJᵀ + λ²I)⁻¹ẋ), which stays well-behaved near singularities. Joints at a limit are
 * taken out of the solve so the others keep moving. Allocation-free per step.
 */

/** Joint rotation axis in the joint's local frame. */
export type JointAxis = 'x' | 'y' | 'z'

/** One joint's description. */
export interface ArmJoint {
  /** Display name. */
  readonly label: Bilingual
  /** Local rotation axis. */
  readonly axis: JointAxis
  /** Limits (rad). */
  readonly min: number
  readonly max: number
  /** Link translation applied after this joint, along local +Y (m). */
  readonly linkAfter: number
}

const DEG = Math.PI / 180

/** The seven joints, base to tip. Link lengths add up to 10.2 m. */
export const ARM_JOINTS: readonly ArmJoint[] = [
  { label: { zh: '肩部滚转', en: 'Shoulder roll' }, axis: 'y', min: -270 * DEG, max: 270 * DEG, linkAfter: 0 },
  { label: { zh: '肩部偏航', en: 'Shoulder yaw' }, axis: 'z', min: -135 * DEG, max: 135 * DEG, linkAfter: 0 },
  { label: { zh: '肩部俯仰', en: 'Shoulder pitch' }, axis: 'x', min: -135 * DEG, max: 135 * DEG, linkAfter: 4.7 },
  { label: { zh: '肘部俯仰', en: 'Elbow pitch' }, axis: 'x', min: -160 * DEG, max: 160 * DEG, linkAfter: 4.7 },
  { label: { zh: '腕部俯仰', en: 'Wrist pitch' }, axis: 'x', min: -135 * DEG, max: 135 * DEG, linkAfter: 0 },
  { label: { zh: '腕部偏航', en: 'Wrist yaw' }, axis: 'z', min: -135 * DEG, max: 135 * DEG, linkAfter: 0 },
  { label: { zh: '腕部滚转', en: 'Wrist roll' }, axis: 'y', min: -270 * DEG, max: 270 * DEG, linkAfter: 0.8 },
]

/** Number of joints (7). */
export const ARM_DOF = ARM_JOINTS.length
/** Total arm length (m). */
export const ARM_LENGTH_M = ARM_JOINTS.reduce((s, j) => s + j.linkAfter, 0)

/** Folded "parked" pose: tip 4.2 m above the base. */
export const ARM_PARKED_POSE: readonly number[] = [0, 0, 1.2, -2.4, 1.2, 0, 0]

/** Options for {@link createRobotArm}. */
export interface RobotArmOptions {
  /** Base (shoulder) position in module space. Default on top of the large column. */
  base?: Vec3Like
  /** Initial joint angles (rad). Default {@link ARM_PARKED_POSE}. */
  q?: readonly number[]
  /** Joint rate limit (rad/s). Default 0.15. */
  maxJointSpeed?: number
  /** Tip speed at full left-stick deflection (m/s). Default 0.3. */
  maxTipSpeed?: number
  /** Tip rotation rate at full right-stick deflection (rad/s). Default 0.15. */
  maxTipAngularSpeed?: number
  /** DLS damping λ. Default 0.2. */
  damping?: number
  /** Hold tip orientation when the right stick is idle (6-D control). Default false: position only. */
  holdOrientation?: boolean
}

/** Arm state (mutated in place). */
export interface RobotArm {
  /** Resolved options. */
  readonly config: Readonly<Required<Omit<RobotArmOptions, 'base' | 'q'>>>
  /** Base position (module space). */
  readonly base: Vector3
  /** Joint angles (rad). */
  readonly q: Float64Array
  /** Joint origins after the last FK (module space); index 7 is the tip. */
  readonly jointPositions: readonly Vector3[]
  /** Joint axes in module space after the last FK. */
  readonly jointAxes: readonly Vector3[]
  /** Link orientations after each joint (for placing boom meshes). */
  readonly jointOrientations: readonly Quaternion[]
  /** End-effector (tip) position. */
  readonly eePosition: Vector3
  /** End-effector orientation. */
  readonly eeOrientation: Quaternion
  /** Last commanded joint rates (rad/s). */
  readonly qDot: Float64Array
  // Solver scratch (preallocated so stepping never allocates).
  readonly jacobian: Float64Array
  readonly matrix: Float64Array
  readonly rhs: Float64Array
  readonly locked: Uint8Array
}

/** Default base: on the zenith side of the large column, at its middle. */
export const ARM_DEFAULT_BASE: Readonly<Vec3Like> = { x: 0, y: 2.1, z: -10 }

/** Creates an arm and runs forward kinematics once. */
export function createRobotArm(options: RobotArmOptions = {}): RobotArm {
  const base = options.base ?? ARM_DEFAULT_BASE
  const q0 = options.q ?? ARM_PARKED_POSE
  if (q0.length !== ARM_DOF) throw new RangeError(`arm needs ${ARM_DOF} joint angles`)
  const arm: RobotArm = {
    config: {
      maxJointSpeed: options.maxJointSpeed ?? 0.15,
      maxTipSpeed: options.maxTipSpeed ?? 0.3,
      maxTipAngularSpeed: options.maxTipAngularSpeed ?? 0.15,
      damping: options.damping ?? 0.2,
      holdOrientation: options.holdOrientation ?? false,
    },
    base: new Vector3(base.x, base.y, base.z),
    q: Float64Array.from(q0, (v, i) => clamp(v, ARM_JOINTS[i].min, ARM_JOINTS[i].max)),
    jointPositions: Array.from({ length: ARM_DOF + 1 }, () => new Vector3()),
    jointAxes: Array.from({ length: ARM_DOF }, () => new Vector3()),
    jointOrientations: Array.from({ length: ARM_DOF }, () => new Quaternion()),
    eePosition: new Vector3(),
    eeOrientation: new Quaternion(),
    qDot: new Float64Array(ARM_DOF),
    jacobian: new Float64Array(6 * ARM_DOF),
    matrix: new Float64Array(36),
    rhs: new Float64Array(6),
    locked: new Uint8Array(ARM_DOF),
  }
  forwardKinematics(arm)
  return arm
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v
}

const LOCAL_AXES: Record<JointAxis, Vector3> = { x: new Vector3(1, 0, 0), y: new Vector3(0, 1, 0), z: new Vector3(0, 0, 1) }
const qStep = new Quaternion()
const qAcc = new Quaternion()
const tmp = new Vector3()
const tmp2 = new Vector3()

/** Updates joint positions, axes and the tip pose from `arm.q`. */
export function forwardKinematics(arm: RobotArm): void {
  qAcc.identity()
  const p = arm.jointPositions
  p[0].copy(arm.base)
  for (let i = 0; i < ARM_DOF; i++) {
    const j = ARM_JOINTS[i]
    const local = LOCAL_AXES[j.axis]
    arm.jointAxes[i].copy(local).applyQuaternion(qAcc)
    qStep.setFromAxisAngle(local, arm.q[i])
    qAcc.multiply(qStep)
    arm.jointOrientations[i].copy(qAcc)
    // The next joint sits at the end of this joint's link (co-located joints have length 0).
    tmp.set(0, j.linkAfter, 0).applyQuaternion(qAcc)
    p[i + 1].copy(p[i]).add(tmp)
  }
  arm.eePosition.copy(p[ARM_DOF])
  arm.eeOrientation.copy(qAcc)
}

// Geometric Jacobian: column i = [a_i × (p_tip − p_i); a_i]. Row-major 6 × 7.
function computeJacobian(arm: RobotArm): void {
  const J = arm.jacobian
  for (let i = 0; i < ARM_DOF; i++) {
    const a = arm.jointAxes[i]
    tmp.copy(arm.eePosition).sub(arm.jointPositions[i])
    tmp2.copy(a).cross(tmp)
    J[0 * ARM_DOF + i] = tmp2.x
    J[1 * ARM_DOF + i] = tmp2.y
    J[2 * ARM_DOF + i] = tmp2.z
    J[3 * ARM_DOF + i] = a.x
    J[4 * ARM_DOF + i] = a.y
    J[5 * ARM_DOF + i] = a.z
  }
}

/**
 * Damped least squares on the first `rows` rows of the Jacobian: writes joint rates for the task
 * vector in `arm.rhs` into `out`, skipping joints flagged in `arm.locked`.
 */
function solveDls(arm: RobotArm, rows: number, out: Float64Array): void {
  const J = arm.jacobian
  const A = arm.matrix
  const lambda2 = arm.config.damping * arm.config.damping
  // A = J Jᵀ + λ² I over the unlocked columns.
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < rows; c++) {
      let s = 0
      for (let k = 0; k < ARM_DOF; k++) if (!arm.locked[k]) s += J[r * ARM_DOF + k] * J[c * ARM_DOF + k]
      A[r * rows + c] = s + (r === c ? lambda2 : 0)
    }
  }
  // Solve A y = rhs in place (Gaussian elimination with partial pivoting; A is SPD so it is safe).
  const y = arm.rhs
  for (let col = 0; col < rows; col++) {
    let piv = col
    for (let r = col + 1; r < rows; r++) if (Math.abs(A[r * rows + col]) > Math.abs(A[piv * rows + col])) piv = r
    if (piv !== col) {
      for (let c = 0; c < rows; c++) {
        const t = A[col * rows + c]
        A[col * rows + c] = A[piv * rows + c]
        A[piv * rows + c] = t
      }
      const t = y[col]
      y[col] = y[piv]
      y[piv] = t
    }
    const d = A[col * rows + col]
    for (let r = col + 1; r < rows; r++) {
      const f = A[r * rows + col] / d
      if (f === 0) continue
      for (let c = col; c < rows; c++) A[r * rows + c] -= f * A[col * rows + c]
      y[r] -= f * y[col]
    }
  }
  for (let r = rows - 1; r >= 0; r--) {
    let s = y[r]
    for (let c = r + 1; c < rows; c++) s -= A[r * rows + c] * y[c]
    y[r] = s / A[r * rows + r]
  }
  for (let k = 0; k < ARM_DOF; k++) {
    if (arm.locked[k]) {
      out[k] = 0
      continue
    }
    let s = 0
    for (let r = 0; r < rows; r++) s += J[r * ARM_DOF + k] * y[r]
    out[k] = s
  }
}

/**
 * Solves joint rates for a task vector (3 linear, or 6 with angular), releasing joints at a limit
 * that would be pushed further, so the remaining joints carry the motion.
 */
function solveWithLimits(arm: RobotArm, rows: number, task: Float64Array, out: Float64Array): void {
  arm.locked.fill(0)
  for (let pass = 0; pass < 3; pass++) {
    for (let r = 0; r < rows; r++) arm.rhs[r] = task[r]
    solveDls(arm, rows, out)
    let changed = false
    for (let k = 0; k < ARM_DOF; k++) {
      const j = ARM_JOINTS[k]
      const atMax = arm.q[k] >= j.max - 1e-9 && out[k] > 0
      const atMin = arm.q[k] <= j.min + 1e-9 && out[k] < 0
      if (!arm.locked[k] && (atMax || atMin)) {
        arm.locked[k] = 1
        changed = true
      }
    }
    if (!changed) return
  }
  for (let k = 0; k < ARM_DOF; k++) if (arm.locked[k]) out[k] = 0
}

const task = new Float64Array(6)

function integrate(arm: RobotArm, dq: Float64Array, scaleLimit: number, dt: number): void {
  // Scale the whole rate vector (keeps the tip direction) so no joint exceeds its rate limit.
  let m = 0
  for (let k = 0; k < ARM_DOF; k++) m = Math.max(m, Math.abs(dq[k]))
  const s = m > scaleLimit ? scaleLimit / m : 1
  for (let k = 0; k < ARM_DOF; k++) {
    dq[k] *= s
    const j = ARM_JOINTS[k]
    arm.q[k] = clamp(arm.q[k] + dq[k] * dt, j.min, j.max)
  }
  forwardKinematics(arm)
}

/**
 * One control step from the joysticks: `translation` (left stick; x, y, z in [−1, 1], module
 * axes) and `rotation` (right stick; rotation-rate axes in [−1, 1]). Deflections over 1 are
 * clamped; inputs under 0.05 count as idle.
 */
export function updateRobotArm(arm: RobotArm, dtSeconds: number, translation: Vec3Like, rotation: Vec3Like): void {
  if (!(dtSeconds > 0)) return
  const { maxTipSpeed, maxTipAngularSpeed, maxJointSpeed, holdOrientation } = arm.config
  const tl = Math.hypot(translation.x, translation.y, translation.z)
  const rl = Math.hypot(rotation.x, rotation.y, rotation.z)
  const tk = tl < 0.05 ? 0 : maxTipSpeed / Math.max(1, tl)
  const rk = rl < 0.05 ? 0 : maxTipAngularSpeed / Math.max(1, rl)
  if (tk === 0 && rk === 0 && !holdOrientation) {
    arm.qDot.fill(0)
    return
  }
  task[0] = translation.x * tk
  task[1] = translation.y * tk
  task[2] = translation.z * tk
  task[3] = rotation.x * rk
  task[4] = rotation.y * rk
  task[5] = rotation.z * rk
  const rows = rk > 0 || holdOrientation ? 6 : 3
  computeJacobian(arm)
  solveWithLimits(arm, rows, task, arm.qDot)
  integrate(arm, arm.qDot, maxJointSpeed, dtSeconds)
}

/**
 * Position-only inverse kinematics by iterated damped least squares (for presets and tests).
 * Moves the tip toward `target`; returns the remaining distance (m). Respects joint limits.
 */
export function solveArmIk(arm: RobotArm, target: Vec3Like, iterations = 400, tolerance = 0.005): number {
  for (let it = 0; it < iterations; it++) {
    forwardKinematics(arm)
    tmp.set(target.x - arm.eePosition.x, target.y - arm.eePosition.y, target.z - arm.eePosition.z)
    const err = tmp.length()
    if (err <= tolerance) break
    // Limit each step to 0.5 m so the linearisation stays valid.
    if (err > 0.5) tmp.multiplyScalar(0.5 / err)
    task[0] = tmp.x
    task[1] = tmp.y
    task[2] = tmp.z
    computeJacobian(arm)
    solveWithLimits(arm, 3, task, arm.qDot)
    integrate(arm, arm.qDot, 0.2, 1)
  }
  arm.qDot.fill(0)
  forwardKinematics(arm)
  return armTipDistance(arm, target)
}

/** Distance (m) from the tip to a point. */
export function armTipDistance(arm: RobotArm, point: Vec3Like): number {
  return Math.hypot(arm.eePosition.x - point.x, arm.eePosition.y - point.y, arm.eePosition.z - point.z)
}
