import type { BenchLoad } from '../../core/app/options'

/** Frame at which the step load steps up (after the benchmark's warm-up). */
export const STEP_AT_FRAME = 120
/** Every how many frames the spikes load spikes. */
export const SPIKE_EVERY = 45

/**
 * Work per frame, in ms at 1× CPU, that scales with quality (visualImpact-weighted, 0..1). It stands
 * in for what the levers cost on a headset's GPU (fill rate, draw calls), which SwiftShader here
 * keeps outside the measured frame: without it, lowering quality would save almost nothing here.
 */
export const SCALABLE_MS_AT_FULL_QUALITY = 10

/**
 * Unscalable work per frame, in ms at 1× CPU, for a load ladder: work the governor cannot reduce
 * (think physics, networking, a big texture decode) and must make room for by lowering the levers.
 */
export function loadMsAt(load: BenchLoad, frame: number): number {
  switch (load) {
    case 'steady':
      return 1
    case 'step':
      return frame < STEP_AT_FRAME ? 1 : 2.5
    case 'spikes':
      // A first-use shader or a big texture upload: one long frame now and then.
      return frame > 0 && frame % SPIKE_EVERY === 0 ? 7 : 1
  }
}

let sink = 0

/**
 * Burns `units` of CPU work (arithmetic, no allocation). Work, not a wait on the clock, so CPU
 * throttling makes it slower exactly as it makes the rest of the frame slower.
 */
export function burn(units: number): number {
  let acc = sink
  for (let i = 0; i < units; i++) acc += Math.sqrt(i + (acc % 7))
  sink = acc % 1e6
  return sink
}
