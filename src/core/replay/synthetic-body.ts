/**
 * A generated tracked body (the 23 joints of {@link XR_BODY_JOINTS}) for tests and the shipped
 * body session: a person about 1.7 m tall facing WebXR forward (-Z), standing, squatting or walking
 * in place. Legs are placed by an exact two-bone construction (fixed thigh and shin lengths, knees
 * forward), so the knee angle of every frame is known and tests can compare against it.
 */
import { BODY_JOINT_STRIDE, XR_BODY_JOINTS, type XRBodyJointName } from '../input/input-snapshot'

/** Segment lengths of the generated body, metres. */
export const SYNTHETIC_BODY = Object.freeze({
  /** Hip joint (upper-leg) to knee (lower-leg). */
  thigh: 0.43,
  /** Knee to ankle. */
  shin: 0.42,
  /** Ankle height above the floor. */
  ankleHeight: 0.08,
  /** Half the distance between the hip joints. */
  hipHalfWidth: 0.09,
  /** Hips joint above the hip joints (the pelvis centre sits a little higher). */
  pelvis: 0.04,
  /** Eye height above the hips joint (neck and head above the spine chain). */
  hipsToEye: 0.72,
})

/** One generated body pose. */
export interface SyntheticBodyPose {
  /** Knee flexion of each leg in radians (0 = straight), [left, right]. */
  readonly kneeFlexion: [number, number]
  /** Height of the hips joint, metres. */
  hipsHeight: number
}

const index = (name: XRBodyJointName) => XR_BODY_JOINTS.indexOf(name)

function setJoint(out: Float32Array, name: XRBodyJointName, x: number, y: number, z: number, yaw = 0, pitch = 0): void {
  const o = index(name) * BODY_JOINT_STRIDE
  out[o] = x
  out[o + 1] = y
  out[o + 2] = z
  // Yaw about +Y, then pitch about the rotated +X: enough to make every joint's orientation a
  // plausible unit quaternion (the retarget reads positions; see body-retarget.ts).
  const cy = Math.cos(yaw / 2), sy = Math.sin(yaw / 2)
  const cp = Math.cos(pitch / 2), sp = Math.sin(pitch / 2)
  out[o + 3] = cy * sp
  out[o + 4] = sy * cp
  out[o + 5] = -sy * sp
  out[o + 6] = cy * cp
}

/**
 * Places one leg: hip joint at (x, hipY, z), ankle at (x, ankleY, ankleZ), knee forward (-Z).
 * Returns the knee flexion in radians. The ankle is pulled in if the leg cannot reach it.
 */
function placeLeg(out: Float32Array, side: 'left' | 'right', x: number, hipY: number, z: number, ankleY: number, ankleZ: number): number {
  const { thigh, shin } = SYNTHETIC_BODY
  let dy = ankleY - hipY
  let dz = ankleZ - z
  let d = Math.hypot(dy, dz)
  const reach = (thigh + shin) * 0.9999
  if (d > reach) {
    dy *= reach / d
    dz *= reach / d
    d = reach
  }
  // Angle at the hip between the hip→ankle line and the thigh (law of cosines), knee forward (-Z).
  const hipAngle = Math.acos(Math.min(1, Math.max(-1, (thigh * thigh + d * d - shin * shin) / (2 * thigh * d))))
  const lineAngle = Math.atan2(dz, -dy) // 0 = straight down, positive = ankle behind (+Z)
  const thighAngle = lineAngle - hipAngle // rotate toward -Z for the knee
  const kx = x
  const ky = hipY - thigh * Math.cos(thighAngle)
  const kz = z + thigh * Math.sin(thighAngle)
  const ax = x
  const ay = hipY + dy
  const az = z + dz
  setJoint(out, side === 'left' ? 'left-upper-leg' : 'right-upper-leg', x, hipY, z, 0, thighAngle)
  const shinAngle = Math.atan2(az - kz, ky - ay)
  setJoint(out, side === 'left' ? 'left-lower-leg' : 'right-lower-leg', kx, ky, kz, 0, shinAngle)
  setJoint(out, side === 'left' ? 'left-foot-ankle' : 'right-foot-ankle', ax, ay, az)
  setJoint(out, side === 'left' ? 'left-foot-ball' : 'right-foot-ball', ax, Math.max(0.02, ay - 0.06), az - 0.14)
  const c = (thigh * thigh + shin * shin - d * d) / (2 * thigh * shin)
  return Math.PI - Math.acos(Math.min(1, Math.max(-1, c)))
}

/**
 * Writes a body pose (tracking space, metres, facing -Z) into `out` (an
 * {@link XRInputSnapshot.body}-shaped array) and its knee flexions into `pose`.
 *
 * - `squat` 0..1 lowers the hips with both feet planted (1 ≈ a deep squat, knees ≈ 100°).
 * - `stride` is the walk phase in radians (NaN = no walking): feet swing ±18 cm and lift.
 *
 * `x`, `z` place the body on the floor.
 */
export function fillSyntheticBody(out: Float32Array, pose: SyntheticBodyPose, x: number, z: number, squat: number, stride: number): void {
  const { thigh, shin, ankleHeight, hipHalfWidth, pelvis } = SYNTHETIC_BODY
  const standing = ankleHeight + (thigh + shin) * 0.985
  const hipJointY = standing - squat * 0.36
  const walking = stride === stride
  for (let s = 0; s < 2; s++) {
    const side = s === 0 ? 'left' : 'right'
    // The user's left is -X when facing -Z.
    const lx = x + (s === 0 ? -hipHalfWidth : hipHalfWidth)
    const phase = walking ? stride + s * Math.PI : 0
    const swing = walking ? 0.18 * Math.sin(phase) : 0
    const lift = walking ? 0.07 * Math.max(0, Math.cos(phase)) : 0
    pose.kneeFlexion[s] = placeLeg(out, side, lx, hipJointY, z, ankleHeight + lift, z - swing)
  }
  const hipsY = hipJointY + pelvis
  pose.hipsHeight = hipsY
  // A squat leans the torso forward a little (over the feet).
  const lean = squat * 0.35
  const up = (h: number) => hipsY + h * Math.cos(lean)
  const fwd = (h: number) => z - h * Math.sin(lean)
  setJoint(out, 'hips', x, hipsY, z, 0, lean)
  setJoint(out, 'spine-lower', x, up(0.1), fwd(0.1), 0, lean)
  setJoint(out, 'spine-middle', x, up(0.2), fwd(0.2), 0, lean)
  setJoint(out, 'spine-upper', x, up(0.3), fwd(0.3), 0, lean)
  setJoint(out, 'chest', x, up(0.4), fwd(0.4), 0, lean)
  setJoint(out, 'neck', x, up(0.56), fwd(0.56), 0, lean)
  setJoint(out, 'head', x, up(0.64), fwd(0.64), 0, 0)
  for (let s = 0; s < 2; s++) {
    const sign = s === 0 ? -1 : 1
    const l = s === 0
    setJoint(out, l ? 'left-shoulder' : 'right-shoulder', x + sign * 0.04, up(0.5), fwd(0.5))
    setJoint(out, l ? 'left-arm-upper' : 'right-arm-upper', x + sign * 0.18, up(0.5), fwd(0.5))
    setJoint(out, l ? 'left-arm-lower' : 'right-arm-lower', x + sign * 0.2, up(0.22), fwd(0.22) - 0.03)
    setJoint(out, l ? 'left-hand-wrist' : 'right-hand-wrist', x + sign * 0.21, up(-0.02), fwd(-0.02) - 0.12)
  }
}

/** Eye point of a body written by {@link fillSyntheticBody} (for a matching head pose). */
export function syntheticBodyEyeHeight(pose: SyntheticBodyPose): number {
  return pose.hipsHeight + SYNTHETIC_BODY.hipsToEye - 0.06
}

/** Creates a {@link SyntheticBodyPose}. */
export function createSyntheticBodyPose(): SyntheticBodyPose {
  return { kneeFlexion: [0, 0], hipsHeight: 0 }
}
