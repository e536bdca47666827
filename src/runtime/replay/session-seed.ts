/**
 * The session's seed and the experiences' seeded RNG streams. A visit draws a fresh seed from the
 * browser's crypto; a replay uses the recording's, so every stream repeats its recorded sequence.
 */
import { createStateHasher } from '../../core/replay/state-hash'
import { createRng, type SeededRng } from '../../core/time/rng'

/** A fresh 32-bit seed from `crypto.getRandomValues`. */
export function randomSeed(): number {
  const words = new Uint32Array(1)
  crypto.getRandomValues(words)
  return words[0]
}

/** Eight random hex digits, to keep take ids unique within one millisecond. */
export function randomSuffix(): string {
  const bytes = new Uint8Array(4)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** FNV-1a of a stream name, so `createRng('dust')` and `createRng('traffic')` differ. */
function streamSalt(stream: string): number {
  return createStateHasher().string(stream).value
}

/** The RNG of one named stream under `seed`: the same seed and name always give the same sequence. */
export function createStreamRng(seed: number, stream: string): SeededRng {
  return createRng((seed ^ streamSalt(stream)) >>> 0)
}
