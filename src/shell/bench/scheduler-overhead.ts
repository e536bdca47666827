import { createFrameBudget, createFrameLoop, createFrameMetrics, createJobQueue, createQualityGovernor, PHASES } from '../../core/frame'
import { createClock } from '../../core/time/clock'

/** Result of {@link measureSchedulerOverhead}, in ms per frame. */
export interface SchedulerOverhead {
  /** Median cost of one frame of the full loop (systems in every phase, an empty job queue, metrics, governor) around a no-op renderer. */
  loopMedianMs: number
  /** Median cost of calling the same no-op renderer directly: "no scheduler". */
  bareMedianMs: number
  /** loop − bare. */
  overheadMs: number
  frames: number
}

/**
 * Measures what the frame loop itself costs, in the page, interleaving blocks of loop frames and
 * bare frames so machine noise hits both alike. Systems are empty and the job queue has nothing to
 * run: this is the price of phasing, timing, metrics and the governor alone.
 */
export function measureSchedulerOverhead(frames = 20000, block = 500): SchedulerOverhead {
  const clock = createClock(() => performance.now())
  const budget = createFrameBudget(72)
  const loop = createFrameLoop({
    clock,
    budget,
    metrics: createFrameMetrics(600),
    jobs: createJobQueue(clock),
    governor: createQualityGovernor({
      scalers: [{ id: 'noop', label: { zh: '空', en: 'noop' }, maxLevel: 4, costPerLevelMs: 0.1, visualImpact: 0.1, apply: () => undefined }],
    }),
  })
  let sink = 0
  const render = () => {
    sink++
  }
  loop.setRenderer(render)
  // Two empty systems per phase: the shape of a real app.
  for (const phase of PHASES) {
    loop.register({ name: `${phase}-a`, phase, update: () => undefined })
    loop.register({ name: `${phase}-b`, phase, update: () => undefined })
  }
  const loopBlocks: number[] = []
  const bareBlocks: number[] = []
  let t = 0
  for (let done = 0; done < frames; done += block) {
    let t0 = performance.now()
    for (let i = 0; i < block; i++) loop.frame((t += 1000 / 72))
    loopBlocks.push((performance.now() - t0) / block)
    t0 = performance.now()
    for (let i = 0; i < block; i++) render()
    bareBlocks.push((performance.now() - t0) / block)
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]
  const loopMedianMs = median(loopBlocks)
  const bareMedianMs = median(bareBlocks)
  if (sink < 0) throw new Error('unreachable: keeps the renderer from being optimised away')
  return { loopMedianMs, bareMedianMs, overheadMs: loopMedianMs - bareMedianMs, frames }
}
