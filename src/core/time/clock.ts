/**
 * A source of time in milliseconds. Simulation code reads time only through a Clock, never the
 * wall clock, so a replay can drive it and get the same result twice.
 */
export interface Clock {
  /** Milliseconds on a monotonic timeline; the origin is arbitrary. */
  now(): number
}

/** A clock that only moves when told to: for unit tests and deterministic replays. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms` (may be 0; never backwards). */
  advance(ms: number): void
  /** Jumps to an absolute time; throws if that would go backwards. */
  set(ms: number): void
}

/** Creates a {@link ManualClock} that starts at `startMs`. */
export function createManualClock(startMs = 0): ManualClock {
  let time = startMs
  return {
    now: () => time,
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`clock cannot advance by ${ms} ms`)
      time += ms
    },
    set(ms) {
      if (!(ms >= time)) throw new RangeError(`clock cannot go back from ${time} to ${ms} ms`)
      time = ms
    },
  }
}

/**
 * Wraps a platform time source (e.g. `() => performance.now()`) as a Clock. The caller passes the
 * function in, so the core itself never touches the wall clock.
 */
export function createClock(source: () => number): Clock {
  return { now: source }
}
