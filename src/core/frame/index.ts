/** Public API of the framework-free frame-budget core. */
export { QUEST_REFRESH_RATES, budgetForRefreshRate, createFrameBudget, updateFrameBudget, type FrameBudget } from './budget'
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
  createQualityGovernor,
  type GovernorExplanation,
  type GovernorState,
  type QualityGovernor,
  type QualityGovernorOptions,
  type QualityScaler,
} from './governor'
export {
  createFrameLoop,
  type FrameContext,
  type FrameLoop,
  type FrameLoopOptions,
  type FrameSystem,
} from './frame-loop'
export { createRefreshRateController, type RefreshRateController, type RefreshRateControllerOptions } from './refresh-rate-controller'
