/**
 * Head-and-hands poses on the wire: 3 parts × (position xyz + quaternion xyzw) = 21 numbers,
 * quantised to int16. Positions are millimetres (±30 m is the venue's bound, int16 reaches
 * ±32.767 m); quaternion components are ×32767. A hand that is not tracked sends a zero
 * quaternion. 21 small integers pack to ~65 bytes of msgpack.
 */

/** Parts of a pose, in wire order. */
export const POSE_PARTS = ['head', 'left', 'right'] as const

/** Numbers per part: position (3) + quaternion (4). */
export const POSE_STRIDE = 7

/** Numbers in one pose. */
export const POSE_LENGTH = POSE_PARTS.length * POSE_STRIDE

/** Metres a position may be from the origin on any axis. */
export const POSE_POSITION_LIMIT_M = 30

const POS_SCALE = 1000
const QUAT_SCALE = 32767
const POS_LIMIT_Q = POSE_POSITION_LIMIT_M * POS_SCALE

/**
 * Quantises `src` (metres, unit quaternions; {@link POSE_LENGTH} floats) into `out` (int16).
 * Out-of-bound positions are clamped, non-finite numbers become 0, so a client never sends
 * something the server would reject. Allocates nothing.
 */
export function quantisePose(src: ArrayLike<number>, out: Int16Array): Int16Array {
  for (let p = 0; p < POSE_PARTS.length; p++) {
    const o = p * POSE_STRIDE
    for (let i = 0; i < 3; i++) {
      const v = src[o + i]
      const q = Number.isFinite(v) ? Math.round(v * POS_SCALE) : 0
      out[o + i] = q > POS_LIMIT_Q ? POS_LIMIT_Q : q < -POS_LIMIT_Q ? -POS_LIMIT_Q : q
    }
    for (let i = 3; i < 7; i++) {
      const v = src[o + i]
      const q = Number.isFinite(v) ? Math.round(v * QUAT_SCALE) : 0
      out[o + i] = q > QUAT_SCALE ? QUAT_SCALE : q < -QUAT_SCALE ? -QUAT_SCALE : q
    }
  }
  return out
}

/** Inverse of {@link quantisePose}: int16 wire values into metres and quaternions. Allocates nothing. */
export function dequantisePose(src: ArrayLike<number>, out: Float32Array | number[]): void {
  for (let p = 0; p < POSE_PARTS.length; p++) {
    const o = p * POSE_STRIDE
    for (let i = 0; i < 3; i++) out[o + i] = src[o + i] / POS_SCALE
    for (let i = 3; i < 7; i++) out[o + i] = src[o + i] / QUAT_SCALE
  }
}

/** Why a pose from the network was refused. */
export type PoseRejection = 'not-array' | 'length' | 'not-integer' | 'out-of-bounds' | 'quaternion'

/**
 * Checks an untrusted pose message: exactly {@link POSE_LENGTH} finite integers, positions
 * within ±{@link POSE_POSITION_LIMIT_M} m, quaternion parts within ±1 and each quaternion
 * either zero (not tracked) or of length near 1. Returns null when valid.
 */
export function validatePose(data: unknown): PoseRejection | null {
  if (!Array.isArray(data) && !(data instanceof Int16Array)) return 'not-array'
  const a = data as ArrayLike<unknown>
  if (a.length !== POSE_LENGTH) return 'length'
  for (let i = 0; i < POSE_LENGTH; i++) {
    const v = a[i]
    if (typeof v !== 'number' || !Number.isInteger(v)) return 'not-integer'
    const limit = i % POSE_STRIDE < 3 ? POS_LIMIT_Q : QUAT_SCALE
    if (v > limit || v < -limit) return 'out-of-bounds'
  }
  for (let p = 0; p < POSE_PARTS.length; p++) {
    const o = p * POSE_STRIDE + 3
    let sq = 0
    for (let i = 0; i < 4; i++) {
      const c = (a[o + i] as number) / QUAT_SCALE
      sq += c * c
    }
    // Zero means "not tracked"; otherwise within 10% of unit length (int16 rounding is far finer).
    if (sq !== 0 && (sq < 0.81 || sq > 1.21)) return 'quaternion'
  }
  return null
}
