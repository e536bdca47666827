/** Public API of the framework-free frame-budget core. */
export {
  FRAME_BUDGET_OVERRIDE_RANGE,
  QUEST_REFRESH_RATES,
  budgetForRefreshRate,
  createFrameBudget,
  setFrameBudgetOverride,
  updateFrameBudget,
  type FrameBudget,
} from './budget'
export { MISSED_FACTOR, createDisplayTiming, type DisplaySummary, type DisplayTiming } from './display-timing'
export {
  createGpuTimer,
  type GpuTimeSource,
  type GpuTimer,
  type GpuTimerSummary,
  type TimerQueryExtension,
  type TimerQueryGL,
} from './gpu-timer'
export { PHASES, PHASE_COUNT, phaseIndex, type FramePhase } from './phases'
export { createFrameMetrics, type FrameMetrics, type FrameSummary } from './metrics'
export {
  createJobQueue,
  createRoundRobin,
  type Job,
  type JobHandle,
  type JobQueue,
  type JobQueueOptions,
  type JobQueueStats,
  type RoundRobin,
} from './job-queue'
export {
  createFrameSignals,
  createQualityGovernor,
  type FrameSignals,
  type GovernorExplanation,
  type GovernorLeverExplanation,
  type GovernorState,
  type QualityGovernor,
  type QualityGovernorOptions,
  type QualityScaler,
} from './governor'
export {
  createFrameLoop,
  type DisabledSystem,
  type FrameContext,
  type FrameLoop,
  type FrameLoopOptions,
  type FrameSystem,
} from './frame-loop'
export { createRefreshRateController, type RefreshRateController, type RefreshRateControllerOptions } from './refresh-rate-controller'
