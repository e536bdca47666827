import {
  createDisplayTiming,
  createFrameBudget,
  createFrameLoop,
  createFrameMetrics,
  createFrameSignals,
  createGpuTimer,
  createJobQueue,
  createQualityGovernor,
  setFrameBudgetOverride,
  type DisplayTiming,
  type FrameBudget,
  type FrameLoop,
  type FrameMetrics,
  type FrameSignals,
  type GpuTimer,
  type JobQueue,
  type QualityGovernor,
  type QualityScaler,
  type TimerQueryGL,
} from '../../core/frame'
import { createFrameTimingTrace, type FrameTimingTrace } from '../../core/replay/frame-timing-trace'
import { createClock, type Clock } from '../../core/time/clock'

/** A registered lever and the level it is at now (whoever set it). */
export interface LeverState {
  readonly scaler: QualityScaler
  level: number
}

/** The frame-budget machinery of the running app: one loop, its budget, jobs, governor, metrics and signals. */
export interface AppFrame {
  clock: Clock
  budget: FrameBudget
  metrics: FrameMetrics
  jobs: JobQueue
  loop: FrameLoop
  /** The one governor for the app's life; it owns the levers (they come and go without resetting it). */
  readonly governor: QualityGovernor
  /** Every registered lever with its current level (the benchmark's baseline arm drives these directly). */
  readonly levers: readonly LeverState[]
  /** Missed display frames (fed by the frame driver each frame). */
  readonly display: DisplayTiming
  /** GPU time per frame; source 'none' until the driver attaches a WebGL2 context that has timer queries. */
  readonly gpu: GpuTimer
  /** The signals the driver writes before each frame and the governor reads. */
  readonly signals: FrameSignals
  /** Per-frame timing of an xr-sessions take while one records. */
  readonly trace: FrameTimingTrace
  /**
   * Runs one frame: feeds the display detector (wall time of the callback and the XRFrame's
   * predicted display time, NaN when none), reads late GPU results, brackets the loop's GL work
   * with a timer query, runs the loop, and appends the trace row of a recorded frame. No allocation.
   */
  runFrame(timestampMs: number, xrFrame: unknown, wallMs: number, predictedDisplayTimeMs: number): void
  /** Says that this app frame recorded xr-sessions frame `index` (its timing row is appended at the frame's end). */
  markRecordedFrame(index: number): void
  /** Creates the GPU timer on the renderer's context (once; later calls with the same context do nothing). */
  attachGpu(gl: TimerQueryGL | null): void
  /** Adds a quality lever; returns a function that removes it (restoring its full quality first). */
  addScaler(scaler: QualityScaler): () => void
  /** Sets a lever's level directly (for a controller other than the governor). */
  setLeverLevel(lever: LeverState, level: number): void
  /** The governor's quality: one definition for every controller (governor, baseline or none). */
  quality(): number
  /** Whether the governor may act (`?governor=off` keeps measuring but never changes quality). */
  readonly governorEnabled: boolean
  setGovernorEnabled(enabled: boolean): void
}

/**
 * Builds the app's frame machinery. The platform clock is passed in here, at the edge, so the core
 * stays free of the wall clock and replays can pass their own. `frameBudgetMs` (from
 * `?frameBudgetMs`, already validated) holds the budget whatever the refresh rate. `lowest` holds every
 * lever at level 0 (the governor stays off).
 */
export function createAppFrame(options: { governor: boolean; lowest?: boolean; clock?: Clock; refreshHz?: number; frameBudgetMs?: number | null }): AppFrame {
  const clock = options.clock ?? createClock(() => performance.now())
  const budget = createFrameBudget(options.refreshHz ?? 72)
  if (options.frameBudgetMs != null) setFrameBudgetOverride(budget, options.frameBudgetMs)
  const metrics = createFrameMetrics(600)
  const jobs = createJobQueue(clock)
  // Short windows: percentiles should follow the governor's changes (120 frames: 1.7 s at 72 Hz).
  const display = createDisplayTiming(120)
  const signals = createFrameSignals()
  const trace = createFrameTimingTrace()
  const levers: LeverState[] = []
  let enabled = options.governor
  let gpu = createGpuTimer(null)
  let gpuContext: TimerQueryGL | null = null
  const governor = createQualityGovernor({ enabled })
  const loop = createFrameLoop({ clock, budget, metrics, jobs, governor, signals })

  const setLeverLevel = (lever: LeverState, level: number) => governor.setLevel(lever.scaler.id, level)
  let recordedFrame = -1
  // Late GPU results go into the trace row of the frame they measured (created once: no per-frame closure).
  const onGpuResult = (ms: number, tag: number) => trace.setGpu(tag, ms)

  return {
    clock,
    budget,
    metrics,
    jobs,
    loop,
    levers,
    governor,
    display,
    signals,
    trace,
    get gpu() {
      return gpu
    },
    attachGpu(gl) {
      if (gl === gpuContext) return
      gpu.dispose()
      gpuContext = gl
      gpu = createGpuTimer(gl, { window: 120 })
    },
    runFrame(timestampMs, xrFrame, wallMs, predictedDisplayTimeMs) {
      display.update(wallMs, predictedDisplayTimeMs, budget.budgetMs, signals)
      signals.gpuMs = gpu.poll(trace.active ? onGpuResult : undefined)
      recordedFrame = -1
      gpu.begin(loop.frameCount + 1)
      try {
        loop.frame(timestampMs, xrFrame)
      } finally {
        gpu.end()
      }
      if (recordedFrame >= 0 && trace.active) {
        trace.append(recordedFrame, loop.frameCount, metrics.lastFrameCostMs, signals.intervalMs, signals.missed, loop.phaseCosts, levers)
      }
    },
    markRecordedFrame(index) {
      recordedFrame = index
    },
    setLeverLevel,
    get governorEnabled() {
      return enabled
    },
    addScaler(scaler) {
      const lever: LeverState = { scaler, level: scaler.maxLevel }
      // The governor sees a wrapped lever, so the level is known here whoever changes it.
      governor.add({
        ...scaler,
        apply(level) {
          lever.level = level
          scaler.apply(level)
        },
      })
      levers.push(lever)
      // `?governor=lowest`: every lever, whenever it mounts, at its lowest level and held there.
      if (options.lowest) governor.setLevel(scaler.id, 0)
      return () => {
        const index = levers.indexOf(lever)
        if (index < 0) return
        // Whoever mounts it next expects full quality; nothing else changes.
        governor.setLevel(scaler.id, scaler.maxLevel)
        governor.remove(scaler.id)
        levers.splice(index, 1)
      }
    },
    quality() {
      return governor.quality
    },
    setGovernorEnabled(value) {
      enabled = value
      governor.setEnabled(value)
    },
  }
}
