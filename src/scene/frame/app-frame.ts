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

/** A registered lever and the level it is at now (whoever set it). */
export interface LeverState {
  readonly scaler: QualityScaler
  level: number
}

/** The frame-budget machinery of the running app: one loop, its budget, jobs, governor and metrics. */
export interface AppFrame {
  clock: Clock
  budget: FrameBudget
  metrics: FrameMetrics
  jobs: JobQueue
  loop: FrameLoop
  /** The current governor; rebuilt when levers come and go (never inside a frame). */
  readonly governor: QualityGovernor
  /** Every registered lever with its current level (the benchmark's baseline arm drives these directly). */
  readonly levers: readonly LeverState[]
  /** Adds a quality lever; returns a function that removes it (restoring full quality first). */
  addScaler(scaler: QualityScaler): () => void
  /** Sets a lever's level directly (for a controller other than the governor). */
  setLeverLevel(lever: LeverState, level: number): void
  /** visualImpact-weighted mean of level / maxLevel over all levers (1 with none): the same measure for every controller. */
  quality(): number
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
  const levers: LeverState[] = []
  let enabled = options.governor
  // The governor sees wrapped scalers, so the level of every lever is known whoever changes it.
  const wrap = (lever: LeverState): QualityScaler => ({
    ...lever.scaler,
    apply(level) {
      lever.level = level
      lever.scaler.apply(level)
    },
  })
  let governor = createQualityGovernor({ scalers: [], enabled })
  const loop = createFrameLoop({ clock, budget, metrics, jobs, governor })

  const setLeverLevel = (lever: LeverState, level: number) => {
    if (lever.level === level) return
    lever.level = level
    lever.scaler.apply(level)
  }
  const rebuild = () => {
    // A new governor assumes every lever at full quality: make that true before handing over.
    for (const lever of levers) setLeverLevel(lever, lever.scaler.maxLevel)
    governor = createQualityGovernor({ scalers: levers.map(wrap), enabled })
    loop.setGovernor(governor)
  }

  return {
    clock,
    budget,
    metrics,
    jobs,
    loop,
    levers,
    setLeverLevel,
    get governor() {
      return governor
    },
    get governorEnabled() {
      return enabled
    },
    addScaler(scaler) {
      if (levers.some((l) => l.scaler.id === scaler.id)) throw new Error(`quality lever "${scaler.id}" is registered twice`)
      const lever: LeverState = { scaler, level: scaler.maxLevel }
      levers.push(lever)
      rebuild()
      return () => {
        const index = levers.indexOf(lever)
        if (index < 0) return
        setLeverLevel(lever, scaler.maxLevel)
        levers.splice(index, 1)
        rebuild()
      }
    },
    quality() {
      let weighted = 0
      let weights = 0
      for (let i = 0; i < levers.length; i++) {
        const { scaler, level } = levers[i]
        const weight = scaler.visualImpact + 0.05
        weighted += (weight * level) / scaler.maxLevel
        weights += weight
      }
      return weights > 0 ? weighted / weights : 1
    },
    setGovernorEnabled(value) {
      enabled = value
      governor.setEnabled(value)
    },
  }
}
