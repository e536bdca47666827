/** Refresh rates a Quest headset offers through `session.supportedFrameRates` (Quest 3: all four). */
export const QUEST_REFRESH_RATES = [72, 80, 90, 120] as const

function assertRefreshRate(hz: number): void {
  if (!Number.isFinite(hz) || hz <= 0) {
    throw new RangeError(`refresh rate must be a finite number of Hz above 0, got ${String(hz)}`)
  }
}

/** Milliseconds one frame may take at `hz` (72 Hz → 13.9 ms). Throws RangeError for hz <= 0 or non-finite. */
export function budgetForRefreshRate(hz: number): number {
  assertRefreshRate(hz)
  return 1000 / hz
}

/** The per-frame time budget. Mutated in place by {@link updateFrameBudget} so holders see changes. */
export interface FrameBudget {
  /** Display refresh rate in Hz. */
  refreshHz: number
  /**
   * The budget the governor holds and missed frames are judged against: 1000 / refreshHz (the
   * compositor deadline), or `overrideMs` when set.
   */
  budgetMs: number
  /** `?frameBudgetMs` override, ms; 0 when none (then budgetMs follows the refresh rate). */
  overrideMs: number
  /** Time kept free for the browser, compositor hand-off and timer noise. */
  safetyMarginMs: number
  /** min(budgetMs, 1000 / refreshHz) − safetyMarginMs, never below 1 ms: what time slicing plans with. */
  usableMs: number
}

/** Smallest usable budget: below this a frame has no room at all, so planning with less is meaningless. */
const MIN_USABLE_MS = 1

/**
 * Creates a budget for `refreshHz` (default 72, the Quest default rate) keeping `safetyMarginMs`
 * (default 1.5 ms) free. Throws RangeError on an invalid rate or a negative/non-finite margin.
 */
export function createFrameBudget(refreshHz = 72, safetyMarginMs = 1.5): FrameBudget {
  if (!Number.isFinite(safetyMarginMs) || safetyMarginMs < 0) {
    throw new RangeError(`safety margin must be a finite number of ms >= 0, got ${String(safetyMarginMs)}`)
  }
  const budget: FrameBudget = { refreshHz: 0, budgetMs: 0, overrideMs: 0, safetyMarginMs, usableMs: 0 }
  updateFrameBudget(budget, refreshHz)
  return budget
}

/** Switches `budget` to a new refresh rate in place (e.g. after `session.updateTargetFrameRate`). */
export function updateFrameBudget(budget: FrameBudget, refreshHz: number): void {
  const refreshMs = budgetForRefreshRate(refreshHz)
  const budgetMs = budget.overrideMs > 0 ? budget.overrideMs : refreshMs
  budget.refreshHz = refreshHz
  budget.budgetMs = budgetMs
  // Time slicing plans with the display's real frame (or a tighter override): a larger override
  // changes what the governor holds, not how much deferred work one frame takes on. Otherwise a
  // slow emulator's budget of hundreds of ms would let every deferred GPU job run in one frame.
  budget.usableMs = Math.max(MIN_USABLE_MS, Math.min(budgetMs, refreshMs) - budget.safetyMarginMs)
}

/** Smallest and largest `?frameBudgetMs` accepted: 120 Hz's budget rounded down, to 10 s (software rendering is slow, not that slow). */
export const FRAME_BUDGET_OVERRIDE_RANGE = Object.freeze({ minMs: 1, maxMs: 10_000 })

/**
 * Holds `budget` at `overrideMs` whatever the refresh rate (null clears the override and returns
 * to 1000 / refreshHz). Throws RangeError outside {@link FRAME_BUDGET_OVERRIDE_RANGE}.
 */
export function setFrameBudgetOverride(budget: FrameBudget, overrideMs: number | null): void {
  if (overrideMs !== null) {
    const { minMs, maxMs } = FRAME_BUDGET_OVERRIDE_RANGE
    if (!Number.isFinite(overrideMs) || overrideMs < minMs || overrideMs > maxMs) {
      throw new RangeError(`frame budget override must be ${minMs}..${maxMs} ms, got ${String(overrideMs)}`)
    }
  }
  budget.overrideMs = overrideMs ?? 0
  updateFrameBudget(budget, budget.refreshHz)
}
