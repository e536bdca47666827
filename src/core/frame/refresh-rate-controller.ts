import { budgetForRefreshRate } from './budget'

/**
 * The refresh rate as the governor's last lever. Lowering the rate (say 90 → 72 Hz) buys a larger
 * budget for every frame but is the most visible change (flicker, judder in fast motion), so it is
 * taken only when the governor has nothing left to lower and frames still miss; it comes back only
 * after a long stretch in which the smoothed cost would fit the higher rate's budget with headroom.
 * Kept apart from the governor's scalers so the two cannot fight: the governor works inside the
 * budget, this controller moves the budget.
 */
export interface RefreshRateController {
  /**
   * Feeds one frame. Returns the rate to request now, or 0 to keep the current one. No allocation.
   * `exhausted`: the governor wanted to drop but every lever is at its lowest.
   */
  update(currentHz: number, smoothedCostMs: number, exhausted: boolean): number
  /** The rates offered by the session, ascending. */
  readonly rates: readonly number[]
}

/** Options of {@link createRefreshRateController}. */
export interface RefreshRateControllerOptions {
  /** `session.supportedFrameRates`, any order. */
  supportedRates: ArrayLike<number>
  /** Frames of exhausted overrun before lowering (default 36, half a second at 72 Hz). */
  lowerAfterFrames?: number
  /** Frames of headroom before raising (default 600, several seconds). */
  raiseAfterFrames?: number
  /** Raise only when smoothed cost < this × the higher rate's budget (default 0.75). */
  raiseHeadroom?: number
}

/** Creates the controller over the session's supported rates. */
export function createRefreshRateController(options: RefreshRateControllerOptions): RefreshRateController {
  const rates = Array.from(options.supportedRates)
    .filter((r) => Number.isFinite(r) && r > 0)
    .sort((a, b) => a - b)
  const lowerAfter = options.lowerAfterFrames ?? 36
  const raiseAfter = options.raiseAfterFrames ?? 600
  const headroom = options.raiseHeadroom ?? 0.75
  let overFrames = 0
  let underFrames = 0
  return {
    rates,
    update(currentHz, smoothedCostMs, exhausted) {
      if (rates.length < 2) return 0
      let index = 0
      // The closest offered rate to the current one (sessions may report 72.0 or 71.99…).
      for (let i = 1; i < rates.length; i++) if (Math.abs(rates[i] - currentHz) < Math.abs(rates[index] - currentHz)) index = i
      const over = smoothedCostMs > budgetForRefreshRate(rates[index])
      overFrames = exhausted && over ? overFrames + 1 : 0
      if (overFrames >= lowerAfter && index > 0) {
        overFrames = 0
        underFrames = 0
        return rates[index - 1]
      }
      const fitsHigher = index < rates.length - 1 && smoothedCostMs < headroom * budgetForRefreshRate(rates[index + 1])
      underFrames = fitsHigher && !exhausted ? underFrames + 1 : 0
      if (underFrames >= raiseAfter) {
        underFrames = 0
        return rates[index + 1]
      }
      return 0
    },
  }
}
