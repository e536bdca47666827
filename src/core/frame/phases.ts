/**
 * The fixed phase order of one frame. Every per-frame system belongs to exactly one phase, so the
 * whole frame order is visible in this one list (see `phaseOrder()` on the frame loop).
 */
export const PHASES = ['input', 'simulation', 'animation', 'jobs', 'render', 'post'] as const

/** One of {@link PHASES}. */
export type FramePhase = (typeof PHASES)[number]

/** Number of phases; the length of every per-phase Float64Array in the frame core. */
export const PHASE_COUNT = PHASES.length

/** Index of a phase in {@link PHASES}, or -1 if the name is not a phase. */
export function phaseIndex(phase: string): number {
  for (let i = 0; i < PHASE_COUNT; i++) if (PHASES[i] === phase) return i
  return -1
}
