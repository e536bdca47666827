import type { SeededRng } from '../time/rng'
import { createRng } from '../time/rng'
import { smoothstep } from './avatar-math'

/**
 * Automatic blinking. Intervals come from the seeded RNG and time only from `dt`, so a replay
 * blinks on the same frames. A blink closes quickly and opens a little slower (~150 ms in all).
 * While suppressed (e.g. a surprised face holds the eyes wide) no blink starts, and one in
 * progress is released early.
 */

/** Timing of blinks, seconds. */
export interface BlinkParams {
  /** Shortest and longest time from one blink's start to the next. */
  minInterval: number
  maxInterval: number
  /** Closing time. */
  closeDuration: number
  /** Time held fully closed. */
  holdDuration: number
  /** Opening time. */
  openDuration: number
  /** How fast a suppressed blink fades out (per second). */
  releaseRate: number
}

/** Default {@link BlinkParams}: 2–6 s apart, 60 ms close + 20 ms hold + 70 ms open. */
export const DEFAULT_BLINK: Readonly<BlinkParams> = {
  minInterval: 2,
  maxInterval: 6,
  closeDuration: 0.06,
  holdDuration: 0.02,
  openDuration: 0.07,
  releaseRate: 20,
}

/** Blink state; {@link updateBlink} mutates it. */
export interface BlinkState {
  readonly params: BlinkParams
  readonly rng: SeededRng
  /** Current eyelid weight 0 (open) … 1 (closed): feed VRM's `blink`. */
  weight: number
  /** Seconds until the next blink may start. */
  timeToNext: number
  /** Seconds into the current blink, or -1 when not blinking. */
  phase: number
  /** Blinks started since creation. */
  count: number
  /** Simulated time since creation (seconds) and when the last blink started; for tests/diagnostics. */
  elapsed: number
  lastStart: number
}

/** Creates a blinker from a seed or an existing generator. */
export function createBlink(seedOrRng: number | SeededRng, params?: Partial<BlinkParams>): BlinkState {
  const rng = typeof seedOrRng === 'number' ? createRng(seedOrRng) : seedOrRng
  const merged = { ...DEFAULT_BLINK, ...params }
  return {
    params: merged,
    rng,
    weight: 0,
    timeToNext: rng.range(merged.minInterval, merged.maxInterval),
    phase: -1,
    count: 0,
    elapsed: 0,
    lastStart: -1,
  }
}

/** Eyelid weight `t` seconds into a blink. */
function blinkCurve(p: BlinkParams, t: number): number {
  if (t < p.closeDuration) return smoothstep(0, p.closeDuration, t)
  const openStart = p.closeDuration + p.holdDuration
  if (t < openStart) return 1
  return 1 - smoothstep(openStart, openStart + p.openDuration, t)
}

/** Advances the blinker by `dt` seconds; returns the eyelid weight. */
export function updateBlink(state: BlinkState, dt: number, suppressed = false): number {
  const p = state.params
  const step = dt > 0 ? dt : 0
  state.elapsed += step
  if (suppressed) {
    // Hold the eyes open; let an ongoing blink fade and postpone the next one.
    state.phase = -1
    state.weight *= Math.exp(-p.releaseRate * step)
    if (state.weight < 1e-3) state.weight = 0
    state.timeToNext = Math.max(state.timeToNext - step, p.minInterval * 0.25)
    return state.weight
  }
  if (state.phase >= 0) {
    state.phase += step
    const total = p.closeDuration + p.holdDuration + p.openDuration
    if (state.phase >= total) {
      state.phase = -1
      state.weight = 0
    } else {
      state.weight = blinkCurve(p, state.phase)
    }
  } else if (state.weight > 0) {
    state.weight *= Math.exp(-p.releaseRate * step)
    if (state.weight < 1e-3) state.weight = 0
  }
  state.timeToNext -= step
  if (state.timeToNext <= 0 && state.phase < 0) {
    // Start at the overshoot so the blink schedule does not drift with the frame rate.
    const overshoot = -state.timeToNext
    state.phase = overshoot
    state.count++
    state.lastStart = state.elapsed - overshoot
    state.timeToNext = state.rng.range(p.minInterval, p.maxInterval) - overshoot
    state.weight = blinkCurve(p, state.phase)
  }
  return state.weight
}
