import { POSE_LENGTH, POSE_PARTS, POSE_STRIDE, dequantisePose } from './pose.ts'

/** Samples kept per remote visitor (a ring); 4 covers 200 ms at 20 Hz. */
const RING = 4

/**
 * Interpolated remote poses for up to `capacity` visitors, in preallocated typed arrays: pushing
 * a received pose and sampling one for a frame allocate nothing. Sampling renders
 * `delayMs` in the past (a playout delay), so there are usually two received poses around the
 * render time and motion is smooth despite 20 Hz updates and network jitter. Past the newest
 * sample the newest pose is held (no extrapolation: a stalled peer stands still).
 */
export interface RemotePoseBuffer {
  readonly capacity: number
  /** Forgets a slot's samples (a visitor left, or the slot is reused). */
  clear(slot: number): void
  /** Adds a received quantised pose for `slot` at local arrival time `timeMs`. */
  push(slot: number, timeMs: number, quantised: ArrayLike<number>): void
  /** Writes `slot`'s pose at `renderTimeMs` (metres, unit quaternions) into `out`; false when it has none. */
  sample(slot: number, renderTimeMs: number, out: Float32Array): boolean
  /** Local time of the newest sample of `slot`, NaN when none. */
  lastTime(slot: number): number
}

/** Creates a buffer for `capacity` remote visitors. */
export function createRemotePoseBuffer(capacity: number): RemotePoseBuffer {
  const poses = new Float32Array(capacity * RING * POSE_LENGTH)
  const times = new Float64Array(capacity * RING).fill(Number.NaN)
  const counts = new Int32Array(capacity)
  const heads = new Int32Array(capacity) // index of the newest sample in the ring
  const scratch = new Float32Array(POSE_LENGTH)
  const at = (slot: number, k: number) => slot * RING + ((heads[slot] - k + RING) % RING) // k = 0 newest

  return {
    capacity,
    clear(slot) {
      counts[slot] = 0
      for (let i = 0; i < RING; i++) times[slot * RING + i] = Number.NaN
    },
    push(slot, timeMs, quantised) {
      heads[slot] = (heads[slot] + 1) % RING
      const idx = slot * RING + heads[slot]
      dequantisePose(quantised, scratch)
      poses.set(scratch, idx * POSE_LENGTH)
      times[idx] = timeMs
      if (counts[slot] < RING) counts[slot]++
    },
    lastTime(slot) {
      return counts[slot] > 0 ? times[at(slot, 0)] : Number.NaN
    },
    sample(slot, renderTimeMs, out) {
      const n = counts[slot]
      if (n === 0) return false
      // Find the newest sample at or before the render time; interpolate toward the one after it.
      let older = -1
      for (let k = 0; k < n; k++) {
        if (times[at(slot, k)] <= renderTimeMs) {
          older = k
          break
        }
      }
      if (older <= 0) {
        // Render time is past the newest sample (hold it) or before the oldest (show the oldest).
        const idx = older === 0 ? at(slot, 0) : at(slot, n - 1)
        for (let i = 0; i < POSE_LENGTH; i++) out[i] = poses[idx * POSE_LENGTH + i]
        return true
      }
      const a = at(slot, older)
      const b = at(slot, older - 1)
      const ta = times[a]
      const tb = times[b]
      const t = tb > ta ? (renderTimeMs - ta) / (tb - ta) : 1
      const oa = a * POSE_LENGTH
      const ob = b * POSE_LENGTH
      for (let p = 0; p < POSE_PARTS.length; p++) {
        const o = p * POSE_STRIDE
        for (let i = 0; i < 3; i++) out[o + i] = poses[oa + o + i] + (poses[ob + o + i] - poses[oa + o + i]) * t
        // Quaternions: normalised lerp along the shorter arc; a zero quaternion (untracked) wins as-is.
        let dot = 0
        let zero = true
        for (let i = 3; i < 7; i++) {
          dot += poses[oa + o + i] * poses[ob + o + i]
          if (poses[ob + o + i] !== 0) zero = false
        }
        if (zero) {
          for (let i = 3; i < 7; i++) out[o + i] = 0
          continue
        }
        const sign = dot < 0 ? -1 : 1
        let len = 0
        for (let i = 3; i < 7; i++) {
          const v = poses[oa + o + i] + (sign * poses[ob + o + i] - poses[oa + o + i]) * t
          out[o + i] = v
          len += v * v
        }
        len = Math.sqrt(len)
        if (len > 1e-6) for (let i = 3; i < 7; i++) out[o + i] /= len
      }
      return true
    },
  }
}
