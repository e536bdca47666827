import {
  createFrameBudget,
  createFrameLoop,
  createFrameMetrics,
  createJobQueue,
  createQualityGovernor,
  type FrameBudget,
  type FrameLoop,
  type FrameMetrics,
  type JobQueue,
  type QualityGovernor,
  type QualityScaler,
} from '../../core/frame'
import { createClock, type Clock } from '../../core/time/clock'

/** The frame-budget machinery of the running app: one loop, its budget, jobs, governor and metrics. */
export interface AppFrame {
  clock: Clock
  budget: FrameBudget
  metrics: FrameMetrics
  jobs: JobQueue
  loop: FrameLoop
  /** The current governor; rebuilt when levers come and go (never inside a frame). */
  readonly governor: QualityGovernor
  /** Adds a quality lever; returns a function that removes it (restoring full quality first). */
  addScaler(scaler: QualityScaler): () => void
  /** Whether the governor may act (`?governor=off` keeps measuring but never changes quality). */
  readonly governorEnabled: boolean
  setGovernorEnabled(enabled: boolean): void
}

/**
 * Builds the app's frame machinery. The platform clock is passed in here, at the edge, so the core
 * stays free of the wall clock and replays can pass their own.
 */
export function createAppFrame(options: { governor: boolean; clock?: Clock; refreshHz?: number }): AppFrame {
  const clock = options.clock ?? createClock(() => performance.now())
  const budget = createFrameBudget(options.refreshHz ?? 72)
  const metrics = createFrameMetrics(600)
  const jobs = createJobQueue(clock)
  const scalers: QualityScaler[] = []
  let enabled = options.governor
  let governor = createQualityGovernor({ scalers, enabled })
  const loop = createFrameLoop({ clock, budget, metrics, jobs, governor })

  const rebuild = () => {
    // A new governor assumes every lever at full quality: make that true before handing over.
    const levels = governor.levels
    const old = governor.explain().scalers
    for (let i = 0; i < old.length; i++) {
      const scaler = scalers.find((s) => s.id === old[i].id)
      if (scaler && levels[i] !== scaler.maxLevel) scaler.apply(scaler.maxLevel)
    }
    governor = createQualityGovernor({ scalers, enabled })
    loop.setGovernor(governor)
  }

  return {
    clock,
    budget,
    metrics,
    jobs,
    loop,
    get governor() {
      return governor
    },
    get governorEnabled() {
      return enabled
    },
    addScaler(scaler) {
      if (scalers.some((s) => s.id === scaler.id)) throw new Error(`quality lever "${scaler.id}" is registered twice`)
      scalers.push(scaler)
      rebuild()
      return () => {
        const index = scalers.indexOf(scaler)
        if (index < 0) return
        const level = governor.levels[governor.explain().scalers.findIndex((s) => s.id === scaler.id)]
        if (level !== scaler.maxLevel) scaler.apply(scaler.maxLevel)
        scalers.splice(index, 1)
        rebuild()
      }
    },
    setGovernorEnabled(value) {
      enabled = value
      governor.setEnabled(value)
    },
  }
}
