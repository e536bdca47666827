/**
 * The livestream host's face on the wire: the final expression weights of the host's rig (the six
 * VRM emotion presets, then the five visemes, after the blender's override rules), each quantised
 * to a byte. Blink is not sent: it is a 100 ms event that a 20 Hz stream would mostly miss, so
 * every receiver blinks its copy itself with the same override rules.
 *
 * Names are repeated here (not imported from core/avatar) so the server build needs no avatar
 * code; a unit test checks they match the avatar's `EXPRESSION_PRESETS` and `VISEME_NAMES`.
 */

/** Weights on the wire, in order. */
export const FACE_NAMES = ['happy', 'angry', 'sad', 'relaxed', 'surprised', 'neutral', 'aa', 'ih', 'ou', 'ee', 'oh'] as const

/** One of {@link FACE_NAMES}. */
export type FaceName = (typeof FACE_NAMES)[number]

/** Numbers in one face message. */
export const FACE_LENGTH = FACE_NAMES.length

/** Index of the first viseme in {@link FACE_NAMES} (the presets come before it). */
export const FACE_PRESET_COUNT = 6

/** Quantisation: a weight 0..1 becomes an integer 0..255 (steps of 0.4 %, below what a face shows). */
export const FACE_SCALE = 255

/** Hz at which the host sends its face at most (the issue asks for ≤ 20, and only on change). */
export const FACE_SEND_HZ = 20

/** Weights by name, as the avatar's expression blender writes them (extra fields ignored). */
export type FaceWeights = Readonly<Record<FaceName, number>>

/** Quantises `weights` into `out`: clamped to 0..1, NaN as 0. Allocates nothing. */
export function quantiseFace(weights: FaceWeights, out: Uint8Array): Uint8Array {
  for (let i = 0; i < FACE_LENGTH; i++) {
    const v = weights[FACE_NAMES[i]]
    out[i] = Number.isFinite(v) ? Math.round((v < 0 ? 0 : v > 1 ? 1 : v) * FACE_SCALE) : 0
  }
  return out
}

/** Why a face message from the network was refused. */
export type FaceRejection = 'not-array' | 'length' | 'not-byte'

/** Checks an untrusted face message: exactly {@link FACE_LENGTH} integers 0..255. Null when valid. */
export function validateFace(data: unknown): FaceRejection | null {
  if (!Array.isArray(data) && !(data instanceof Uint8Array)) return 'not-array'
  const a = data as ArrayLike<unknown>
  if (a.length !== FACE_LENGTH) return 'length'
  for (let i = 0; i < FACE_LENGTH; i++) {
    const v = a[i]
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > FACE_SCALE) return 'not-byte'
  }
  return null
}

/**
 * Decides when the host sends its face: at most {@link FACE_SEND_HZ} Hz and only when a quantised
 * weight changed since the last message (a still face costs nothing). Preallocated; no allocation.
 */
export interface FaceSender {
  /** The last quantised face sent (or being offered). */
  readonly quantised: Uint8Array
  /**
   * Quantises `weights` at `nowMs`; true when it should be sent now (changed, and the interval
   * since the last send has passed). A change held back by the rate is sent on a later call.
   */
  update(nowMs: number, weights: FaceWeights): boolean
  /** Forgets what was sent, so the next update sends (a new room or a new host). */
  reset(): void
}

/** Creates a {@link FaceSender} limited to `hz` messages a second. */
export function createFaceSender(hz: number = FACE_SEND_HZ): FaceSender {
  const quantised = new Uint8Array(FACE_LENGTH)
  const sent = new Int16Array(FACE_LENGTH).fill(-1)
  const interval = 1000 / hz
  let lastMs = -Infinity
  return {
    quantised,
    update(nowMs, weights) {
      quantiseFace(weights, quantised)
      let changed = false
      for (let i = 0; i < FACE_LENGTH; i++) if (quantised[i] !== sent[i]) changed = true
      // A millisecond of slack: frame times jitter around the 50 ms interval.
      if (!changed || nowMs - lastMs < interval - 1) return false
      lastMs = nowMs
      for (let i = 0; i < FACE_LENGTH; i++) sent[i] = quantised[i]
      return true
    },
    reset() {
      sent.fill(-1)
      lastMs = -Infinity
    },
  }
}

/**
 * The audience's copy of the host's face: received bytes set targets, and `update(dt)` eases the
 * shown weights toward them (time constant {@link REMOTE_FACE_EASE_S}), so 20 Hz steps look like a
 * face moving rather than jumping. Weights are written in place into `weights`.
 */
export interface RemoteFace {
  /** Shown weights by name, rewritten by {@link RemoteFace.update}. */
  readonly weights: Record<FaceName, number>
  /** True once a face has been received. */
  readonly received: boolean
  /** Sets the targets from a received (validated) face message. */
  receive(quantised: ArrayLike<number>): void
  /** Eases the shown weights toward the targets by `dt` seconds. */
  update(dt: number): void
  /** The preset (not viseme) with the largest shown weight. */
  dominantPreset(): FaceName
  /** Back to a neutral face (the host left). */
  reset(): void
}

/** Seconds for the audience's face to cover ~63 % of a step (one 20 Hz interval). */
export const REMOTE_FACE_EASE_S = 0.05

/** Creates a {@link RemoteFace}, neutral until the first face arrives. */
export function createRemoteFace(): RemoteFace {
  const target = new Float64Array(FACE_LENGTH)
  const weights = {} as Record<FaceName, number>
  let received = false
  const neutral = () => {
    target.fill(0)
    target[FACE_NAMES.indexOf('neutral')] = 1
    for (let i = 0; i < FACE_LENGTH; i++) weights[FACE_NAMES[i]] = target[i]
  }
  neutral()
  return {
    weights,
    get received() {
      return received
    },
    receive(q) {
      received = true
      for (let i = 0; i < FACE_LENGTH; i++) target[i] = q[i] / FACE_SCALE
    },
    update(dt) {
      const k = dt > 0 ? 1 - Math.exp(-dt / REMOTE_FACE_EASE_S) : 0
      for (let i = 0; i < FACE_LENGTH; i++) {
        const name = FACE_NAMES[i]
        weights[name] += (target[i] - weights[name]) * k
      }
    },
    dominantPreset() {
      let best = 0
      for (let i = 1; i < FACE_PRESET_COUNT; i++) if (weights[FACE_NAMES[i]] > weights[FACE_NAMES[best]]) best = i
      return FACE_NAMES[best]
    },
    reset() {
      received = false
      neutral()
    },
  }
}
