/**
 * A tiny FNV-1a (32-bit) hasher for simulation state. Tests and CI feed the end state of two
 * replay runs through it and compare `hex()`: equal hashes mean the runs agree. Numbers are
 * quantised to {@link HASH_QUANTUM} first so a live-vs-replay comparison is not derailed by
 * float noise below anything visible; deterministic replays are bit-identical anyway.
 */
import { HAND_JOINT_COUNT, JOINT_STRIDE, type Pose, type XRInputSnapshot } from '../input/input-snapshot'

/** Numbers are hashed as round(value / HASH_QUANTUM). */
export const HASH_QUANTUM = 1e-5

const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193
const TWO_POW_32 = 4294967296

/** Accumulates a hash; every feeding method returns the hasher for chaining. */
export interface StateHasher {
  /** Feeds a number (quantised; NaN and ±Infinity have their own tags). */
  number(value: number): StateHasher
  /** Feeds every element of an array-like of numbers, preceded by its length. */
  numbers(values: ArrayLike<number>): StateHasher
  /** Feeds a string, preceded by its length so "ab"+"c" differs from "a"+"bc". */
  string(value: string): StateHasher
  /** Feeds a boolean. */
  boolean(value: boolean): StateHasher
  /** The current hash as an unsigned 32-bit integer. */
  readonly value: number
  /** The current hash as 8 lowercase hex digits. */
  hex(): string
  /** Starts over from the FNV offset basis. */
  reset(): void
}

/** Creates a hasher at the FNV-1a offset basis. Feeding allocates nothing. */
export function createStateHasher(): StateHasher {
  let hash = FNV_OFFSET

  const byte = (b: number) => {
    hash = Math.imul(hash ^ (b & 0xff), FNV_PRIME) >>> 0
  }
  const word = (w: number) => {
    byte(w)
    byte(w >>> 8)
    byte(w >>> 16)
    byte(w >>> 24)
  }

  const hasher: StateHasher = {
    number(value) {
      if (value !== value) {
        byte(1)
        word(0x7ff80000)
      } else if (value === Infinity || value === -Infinity) {
        byte(2)
        word(value > 0 ? 1 : 2)
      } else {
        const q = Math.round(value / HASH_QUANTUM)
        byte(0)
        // Low and high 32 bits of the quantised integer (exact below 2^53).
        word(q >>> 0)
        word(Math.floor(q / TWO_POW_32) | 0)
      }
      return hasher
    },
    numbers(values) {
      word(values.length)
      for (let i = 0; i < values.length; i++) hasher.number(values[i])
      return hasher
    },
    string(value) {
      byte(3)
      word(value.length)
      for (let i = 0; i < value.length; i++) {
        const c = value.charCodeAt(i)
        byte(c)
        byte(c >>> 8)
      }
      return hasher
    },
    boolean(value) {
      byte(value ? 5 : 4)
      return hasher
    },
    get value() {
      return hash
    },
    hex() {
      return hash.toString(16).padStart(8, '0')
    },
    reset() {
      hash = FNV_OFFSET
    },
  }
  return hasher
}

function hashPose(hasher: StateHasher, pose: Pose): void {
  hasher.numbers(pose.position).numbers(pose.orientation)
}

/** Feeds a whole input snapshot (everything the app could read from it) into a hasher. */
export function hashInputSnapshot(hasher: StateHasher, snapshot: XRInputSnapshot): StateHasher {
  hasher.number(snapshot.timeMs).number(snapshot.frame).string(snapshot.mode ?? '').number(snapshot.frameRate)
  hashPose(hasher, snapshot.head)
  for (let s = 0; s < 2; s++) {
    const source = snapshot.sources[s]
    hasher.boolean(source.connected).string(source.handedness).string(source.kind)
    if (!source.connected) continue
    hashPose(hasher, source.targetRay)
    hashPose(hasher, source.grip)
    hasher.boolean(source.jointsValid).boolean(source.hasGamepad)
    if (source.jointsValid) {
      for (let i = 0; i < HAND_JOINT_COUNT * JOINT_STRIDE; i++) hasher.number(source.joints[i])
    }
    if (source.hasGamepad) hasher.numbers(source.buttons).numbers(source.pressed).numbers(source.touched).numbers(source.axes)
  }
  // Only frames with a body add to the hash, so a take without body tracking (every version 1
  // take) hashes exactly as before.
  if (snapshot.bodyValid) hasher.boolean(true).numbers(snapshot.body)
  return hasher
}
