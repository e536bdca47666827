/**
 * A small seeded pseudo-random generator (mulberry32). Simulation uses this instead of
 * Math.random so a recorded session replays with identical results.
 */
export interface SeededRng {
  /** A float in [0, 1). */
  next(): number
  /** A float in [min, max). */
  range(min: number, max: number): number
  /** An integer in [min, max] inclusive. */
  int(min: number, max: number): number
  /** The internal 32-bit state, for snapshots and state hashes. */
  getState(): number
  /** Restores a state from {@link SeededRng.getState}. */
  setState(state: number): void
}

/** Creates a generator; the same seed always yields the same sequence. */
export function createRng(seed: number): SeededRng {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    range: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    getState: () => state,
    setState(s) {
      state = s >>> 0
    },
  }
}
