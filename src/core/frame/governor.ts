/**
 * Quality governor: lowers and raises content quality ("scalers") to keep frames inside the budget.
 *
 * Control law (one `update(cost, budget)` per frame), with the anchor each rule comes from
 * (see shared/reference/frame-budget.md):
 *
 * 1. Sense. `smoothed` = EWMA of frame cost, α = 2/(16+1) (≈ a 16-frame window, Unreal's history
 *    length); smoothed error = smoothed / budget − 1 (Unity's error term, but over ~16 frames
 *    instead of 120 because a headset shows a missed frame as judder at once). Error is derived
 *    from smoothed *ms*, so a refresh-rate change re-scales it immediately.
 * 2. Drop when `panicMisses` (2) consecutive frames exceed the budget (Unreal's panic) OR the
 *    smoothed error ≥ 0.15 (Unity's threshold; catches jittery overload that never misses twice in
 *    a row). One step, or two if this frame cost > 1.3 × budget (Unity's "fast" lowering). Each step
 *    lowers the scaler with the best costPerLevelMs / (visualImpact + ε) that has levels left
 *    (Unity's cost-ordered scalers: most ms saved per unit of visible damage). The smoothed cost is
 *    moved down by the predicted saving so stale history cannot trigger a second drop.
 * 2b. Drop also when `missesToDrop` (2) of the last `missWindow` (32) frames missed, even if
 *    never twice in a row and the average looks fine: a load that sits just under the budget with
 *    jitter misses now and then, and every miss is a stale frame the wearer sees. Meta calls more
 *    than 10% stale frames serious; one miss in 32 frames is tolerated as noise, two are a trend.
 *    The window is cleared after a drop so the next decision sees only frames after it.
 * 3. Cooldown: no drop for `cooldownFrames` (4) frames after a drop, so the effect is measured
 *    before acting again (Unreal changes at most every 8 frames; we use 4 because panic has
 *    already confirmed the overload over 2 frames).
 * 4. Raise only after `raiseAfterFrames` (90, ≈ 1 s) consecutive frames under `headroomRaise` (0.8)
 *    × budget, AND if the smoothed cost plus that scaler's cost stays under the headroom line —
 *    a raise we predict would push us out of headroom is not taken. One step at a time, the lowered
 *    scaler with the highest visualImpact first (what the wearer misses most comes back first).
 *    This is the asymmetry of Unreal ("raises slower than it lowers") plus a prediction, because a
 *    headset caps fps at the refresh rate: like drei's fps monitor, fps alone cannot see headroom,
 *    so we sense CPU ms per frame instead. Unity never raises under vsync; we do, but only with
 *    sustained, predicted headroom.
 * 5. Hysteresis: if a drop comes within 2 × raiseAfterFrames of a raise, that raise was a mistake:
 *    the raised scaler's wait doubles (up to ×8) and its learned cost becomes at least the cost
 *    increase observed since the raise, so the prediction in (4) blocks the same raise next time.
 *    Under a steady load this bounds flip-flop to one raise/drop pair per scaler (drei counts flips;
 *    we prevent them).
 *
 * Disabled: `update` keeps sensing (so the explanation and `smoothedCostMs` stay live) but never
 * calls `apply`. Scalers are assumed to start at full quality; the governor does not call
 * `apply` until it changes a level.
 *
 * `update` does not allocate: per-scaler state is in typed arrays, doubles in a Float64Array.
 */

/** A quality knob the governor may turn (foveation, shadow map size, LOD bias, post effects...). */
export interface QualityScaler {
  /** Stable id for diagnostics. */
  id: string
  /** Bilingual label for the HUD. */
  label: { zh: string; en: string }
  /** Levels are 0..maxLevel; maxLevel is full quality. */
  maxLevel: number
  /** Estimated ms saved per level dropped. */
  costPerLevelMs: number
  /** 0..1: how much the wearer notices one step. */
  visualImpact: number
  /** Sets the level (called only when it changes). */
  apply(level: number): void
}

/** Options of {@link createQualityGovernor}. */
export interface QualityGovernorOptions {
  /** The knobs, in any order. */
  scalers: QualityScaler[]
  /** Default true. */
  enabled?: boolean
  /** Raise only while frame cost < headroomRaise × budget (default 0.8). */
  headroomRaise?: number
  /** Consecutive headroom frames needed before a raise (default 90). */
  raiseAfterFrames?: number
  /** Consecutive over-budget frames that force a drop (default 2). */
  panicMisses?: number
  /** Frames to wait after a drop before another drop (default 4). */
  cooldownFrames?: number
  /** Sliding window, in frames, for the miss-rate rule (default 32). */
  missWindow?: number
  /** Misses within `missWindow` that force a drop (default 2). */
  missesToDrop?: number
}

/** What the governor is doing. */
export type GovernorState = 'steady' | 'lowering' | 'raising' | 'panic'

/** A snapshot for the HUD and diagnostics (allocates). */
export interface GovernorExplanation {
  enabled: boolean
  quality: number
  state: GovernorState
  reason: { zh: string; en: string }
  scalers: { id: string; label: { zh: string; en: string }; level: number; maxLevel: number }[]
  /** Governor frame index of the last level change, or -1. */
  lastChangeFrame: number
  /** Direction changes (drop after raise or raise after drop). */
  flips: number
  /** Smoothed frame cost, ms. */
  smoothedCostMs: number
  /** Smoothed cost / budget − 1. */
  smoothedError: number
}

/** The governor; see {@link createQualityGovernor}. */
export interface QualityGovernor {
  /** Feeds one frame (cost and budget in ms). No allocation. */
  update(frameCostMs: number, budgetMs: number): void
  /** 0..1, visualImpact-weighted mean of level / maxLevel. */
  readonly quality: number
  /** Current level per scaler, in `scalers` order. Read only: write through the governor, not here. */
  readonly levels: Int32Array
  /** Direction changes so far. */
  readonly flips: number
  /** EWMA of frame cost, ms (for a refresh-rate lever). */
  readonly smoothedCostMs: number
  /** True when the last drop was wanted but every scaler was already at level 0. */
  readonly exhausted: boolean
  readonly enabled: boolean
  /** Frames fed so far. */
  readonly frame: number
  /** Explains the current state (allocates). */
  explain(): GovernorExplanation
  /** Turns control on/off; levels stay where they are. */
  setEnabled(enabled: boolean): void
  /** Forgets history and restores every scaler to full quality (applying the ones that changed). */
  reset(): void
}

const EWMA_ALPHA = 2 / (16 + 1)
const DROP_ERROR = 0.15
const FAST_DROP_RATIO = 1.3
const IMPACT_EPSILON = 0.05
const MAX_WAIT_MULTIPLIER = 8

// Reason codes (numbers, so update() stores no strings).
const R_STEADY = 0
const R_DISABLED = 1
const R_PANIC = 2
const R_SMOOTHED = 3
const R_COOLDOWN = 4
const R_EXHAUSTED = 5
const R_RAISED = 6
const R_WAIT_HEADROOM = 7
const R_PREDICTED_OVER = 8
const R_FULL = 9
const R_MISS_RATE = 10

// Double-valued state slots.
const F_SMOOTHED = 0
const F_BUDGET = 1
const F_LAST_COST = 2
const F_DECISION_ERROR = 3 // smoothed error when the last drop was decided (the text shows this, not the corrected value)
const F_DECISION_MISSES = 4 // misses in the window when the last drop was decided

/** Creates a governor over `options.scalers` (all assumed at maxLevel). */
export function createQualityGovernor(options: QualityGovernorOptions): QualityGovernor {
  const scalers = options.scalers.slice()
  const n = scalers.length
  const headroomRaise = options.headroomRaise ?? 0.8
  const raiseAfterFrames = options.raiseAfterFrames ?? 90
  const panicMisses = options.panicMisses ?? 2
  const cooldownFrames = options.cooldownFrames ?? 4
  const missWindow = options.missWindow ?? 32
  const missesToDrop = options.missesToDrop ?? 2
  if (!(headroomRaise > 0 && headroomRaise <= 1)) throw new RangeError(`headroomRaise must be in (0, 1], got ${headroomRaise}`)
  if (!(raiseAfterFrames >= 1)) throw new RangeError(`raiseAfterFrames must be >= 1, got ${raiseAfterFrames}`)
  if (!(panicMisses >= 1)) throw new RangeError(`panicMisses must be >= 1, got ${panicMisses}`)
  if (!(cooldownFrames >= 0)) throw new RangeError(`cooldownFrames must be >= 0, got ${cooldownFrames}`)
  if (!(Number.isInteger(missWindow) && missWindow >= 1)) throw new RangeError(`missWindow must be an integer >= 1, got ${missWindow}`)
  if (!(missesToDrop >= 1)) throw new RangeError(`missesToDrop must be >= 1, got ${missesToDrop}`)
  for (const s of scalers) {
    if (!(Number.isInteger(s.maxLevel) && s.maxLevel >= 0)) throw new RangeError(`scaler ${s.id}: maxLevel must be an integer >= 0`)
    if (!(s.costPerLevelMs >= 0)) throw new RangeError(`scaler ${s.id}: costPerLevelMs must be >= 0`)
    if (!(s.visualImpact >= 0 && s.visualImpact <= 1)) throw new RangeError(`scaler ${s.id}: visualImpact must be in 0..1`)
  }

  const levels = new Int32Array(n)
  const waitMultiplier = new Int32Array(n)
  const lastRaiseFrame = new Int32Array(n)
  const learnedCost = new Float64Array(n) // ms per level observed after a mistaken raise
  const costBeforeRaise = new Float64Array(n)
  const f = new Float64Array(5)
  // Ring of recent miss flags for the miss-rate rule.
  const missRing = new Uint8Array(missWindow)
  let missRingIndex = 0
  let missesInWindow = 0
  // Orders fixed at creation: drop preference and raise preference never change.
  const dropOrder = new Int32Array(n)
  const raiseOrder = new Int32Array(n)
  {
    const idx = scalers.map((_, i) => i)
    const ratio = (i: number) => scalers[i].costPerLevelMs / (scalers[i].visualImpact + IMPACT_EPSILON)
    idx.sort((a, b) => ratio(b) - ratio(a) || a - b).forEach((v, i) => (dropOrder[i] = v))
    idx.sort((a, b) => scalers[b].visualImpact - scalers[a].visualImpact || a - b).forEach((v, i) => (raiseOrder[i] = v))
  }
  let totalImpact = 0
  for (const s of scalers) totalImpact += s.visualImpact

  let enabled = options.enabled ?? true
  let frame = 0
  let samples = 0
  let misses = 0
  let underFrames = 0
  let cooldown = 0
  let lastDirection = 0
  let flips = 0
  let lastChangeFrame = -1
  let state: GovernorState = 'steady'
  let stateHold = 0 // frames the lowering/raising/panic state stays visible
  let reason = R_STEADY
  let reasonScaler = -1
  let exhausted = false

  function clearHistory(): void {
    for (let i = 0; i < n; i++) {
      levels[i] = scalers[i].maxLevel
      waitMultiplier[i] = 1
      lastRaiseFrame[i] = -1
      learnedCost[i] = 0
      costBeforeRaise[i] = 0
    }
    f.fill(0)
    missRing.fill(0)
    missRingIndex = 0
    missesInWindow = 0
    api.quality = 1
    frame = 0
    samples = 0
    misses = 0
    underFrames = 0
    cooldown = 0
    lastDirection = 0
    flips = 0
    lastChangeFrame = -1
    state = 'steady'
    stateHold = 0
    reason = enabled ? R_STEADY : R_DISABLED
    reasonScaler = -1
    exhausted = false
  }

  function recomputeQuality(): void {
    if (n === 0) {
      api.quality = 1
      return
    }
    let sum = 0
    for (let i = 0; i < n; i++) {
      const s = scalers[i]
      const norm = s.maxLevel > 0 ? levels[i] / s.maxLevel : 1
      sum += totalImpact > 0 ? norm * s.visualImpact : norm
    }
    api.quality = totalImpact > 0 ? sum / totalImpact : sum / n
  }

  function noteDirection(direction: number): void {
    if (lastDirection !== 0 && lastDirection !== direction) flips++
    lastDirection = direction
    lastChangeFrame = frame
  }

  /** Lowers one level of the best scaler; returns its index or -1 if none has levels left. */
  function dropOne(): number {
    for (let k = 0; k < n; k++) {
      const i = dropOrder[k]
      if (levels[i] > 0) {
        levels[i]--
        scalers[i].apply(levels[i])
        return i
      }
    }
    return -1
  }

  function drop(costMs: number, budgetMs: number, panic: boolean): void {
    if (cooldown > 0) {
      reason = R_COOLDOWN
      return
    }
    const wanted = costMs > FAST_DROP_RATIO * budgetMs ? 2 : 1
    let dropped = 0
    for (let s = 0; s < wanted; s++) {
      const i = dropOne()
      if (i < 0) break
      dropped++
      reasonScaler = i
      // Predict the saving so stale history cannot trigger another drop; measurement corrects it.
      const after = f[F_SMOOTHED] - scalers[i].costPerLevelMs
      f[F_SMOOTHED] = after > 0 ? after : 0
    }
    if (dropped === 0) {
      exhausted = true
      reason = R_EXHAUSTED
      return
    }
    exhausted = false
    // A drop soon after a raise means that raise was a mistake: slow it down and learn its real cost.
    for (let i = 0; i < n; i++) {
      if (lastRaiseFrame[i] >= 0 && frame - lastRaiseFrame[i] <= 2 * raiseAfterFrames) {
        if (waitMultiplier[i] < MAX_WAIT_MULTIPLIER) waitMultiplier[i] *= 2
        const observed = costMs - costBeforeRaise[i]
        if (observed > learnedCost[i]) learnedCost[i] = observed
        lastRaiseFrame[i] = -1
      }
    }
    noteDirection(-1)
    recomputeQuality()
    missRing.fill(0)
    missesInWindow = 0
    cooldown = cooldownFrames + 1 // +1: update() counts down before checking, so this blocks exactly cooldownFrames frames
    underFrames = 0
    reason = panic ? R_PANIC : R_SMOOTHED
    state = panic ? 'panic' : 'lowering'
    stateHold = cooldownFrames > 0 ? cooldownFrames : 1
  }

  function tryRaise(budgetMs: number): void {
    const line = headroomRaise * budgetMs
    let anyLowered = false
    let waiting = false
    for (let k = 0; k < n; k++) {
      const i = raiseOrder[k]
      if (levels[i] >= scalers[i].maxLevel) continue
      anyLowered = true
      if (underFrames < raiseAfterFrames * waitMultiplier[i]) {
        waiting = true
        continue
      }
      const perLevel = learnedCost[i] > scalers[i].costPerLevelMs ? learnedCost[i] : scalers[i].costPerLevelMs
      if (f[F_SMOOTHED] + perLevel >= line) continue
      costBeforeRaise[i] = f[F_SMOOTHED]
      levels[i]++
      scalers[i].apply(levels[i])
      f[F_SMOOTHED] += perLevel // predicted; measurement corrects it
      lastRaiseFrame[i] = frame
      underFrames = 0
      noteDirection(1)
      recomputeQuality()
      reason = R_RAISED
      reasonScaler = i
      state = 'raising'
      stateHold = cooldownFrames > 0 ? cooldownFrames : 1
      return
    }
    if (!anyLowered) reason = R_FULL
    else reason = waiting ? R_WAIT_HEADROOM : R_PREDICTED_OVER
  }

  function update(frameCostMs: number, budgetMs: number): void {
    if (!(frameCostMs >= 0) || !(budgetMs > 0)) return // ignore NaN / nonsense samples
    frame++
    f[F_LAST_COST] = frameCostMs
    f[F_BUDGET] = budgetMs
    if (samples === 0) f[F_SMOOTHED] = frameCostMs
    else f[F_SMOOTHED] += EWMA_ALPHA * (frameCostMs - f[F_SMOOTHED])
    samples++
    const missed = frameCostMs > budgetMs ? 1 : 0
    misses = missed ? misses + 1 : 0
    underFrames = frameCostMs < headroomRaise * budgetMs ? underFrames + 1 : 0
    if (cooldown > 0) cooldown--
    // Misses while a drop is still taking effect say nothing about the new level: not counted.
    const counted = cooldown === 0 ? missed : 0
    missesInWindow += counted - missRing[missRingIndex]
    missRing[missRingIndex] = counted
    missRingIndex = missRingIndex + 1 === missWindow ? 0 : missRingIndex + 1
    if (stateHold > 0) stateHold--
    else state = 'steady'
    if (!enabled) {
      reason = R_DISABLED
      return
    }
    const panic = misses >= panicMisses
    const error = f[F_SMOOTHED] / budgetMs - 1
    const missRate = missesInWindow >= missesToDrop
    if (panic || error >= DROP_ERROR || missRate) {
      if (cooldown === 0) {
        f[F_DECISION_ERROR] = error
        f[F_DECISION_MISSES] = missesInWindow
      }
      drop(frameCostMs, budgetMs, panic)
      if (!panic && error < DROP_ERROR && reason === R_SMOOTHED) reason = R_MISS_RATE
      return
    }
    exhausted = false
    if (underFrames >= raiseAfterFrames) tryRaise(budgetMs)
    else reason = underFrames > 0 ? R_WAIT_HEADROOM : R_STEADY
  }

  function pct(x: number): string {
    return (x * 100).toFixed(0) + '%'
  }

  function reasonText(): { zh: string; en: string } {
    const s = reasonScaler >= 0 ? scalers[reasonScaler] : undefined
    const zhName = s ? s.label.zh : ''
    const enName = s ? s.label.en : ''
    const err = f[F_DECISION_ERROR]
    switch (reason) {
      case R_DISABLED:
        return { zh: '画质调节已关闭：只记录，不调整', en: 'Governor disabled: measuring only, changing nothing' }
      case R_PANIC:
        return {
          zh: `连续 ${panicMisses} 帧超出预算，立即降低「${zhName}」`,
          en: `${panicMisses} frames in a row over budget: lowered ${enName} at once`,
        }
      case R_SMOOTHED:
        return {
          zh: `平滑超时 ${pct(err)} ≥ ${pct(DROP_ERROR)}，降低「${zhName}」`,
          en: `Smoothed overrun ${pct(err)} ≥ ${pct(DROP_ERROR)}: lowered ${enName}`,
        }
      case R_MISS_RATE:
        return {
          zh: `最近 ${missWindow} 帧中有 ${f[F_DECISION_MISSES]} 帧超出预算，降低「${zhName}」`,
          en: `${f[F_DECISION_MISSES]} of the last ${missWindow} frames over budget: lowered ${enName}`,
        }
      case R_COOLDOWN:
        return {
          zh: `仍超出预算，等待上次降级生效（冷却 ${cooldownFrames} 帧）`,
          en: `Still over budget; waiting ${cooldownFrames} frames for the last drop to take effect`,
        }
      case R_EXHAUSTED:
        return {
          zh: '超出预算，但所有画质选项已降到最低',
          en: 'Over budget, but every quality setting is already at its lowest',
        }
      case R_RAISED:
        return {
          zh: `持续有余量，提高「${zhName}」一级`,
          en: `Sustained headroom: raised ${enName} one step`,
        }
      case R_WAIT_HEADROOM:
        return {
          zh: `低于 ${pct(headroomRaise)} 预算已 ${underFrames} 帧，满 ${raiseAfterFrames} 帧后才提高画质`,
          en: `Under ${pct(headroomRaise)} of budget for ${underFrames} frames; raising needs ${raiseAfterFrames}`,
        }
      case R_PREDICTED_OVER:
        return {
          zh: '有余量，但预计提高画质会超出余量线，保持不变',
          en: 'Headroom, but raising is predicted to exceed the headroom line; holding',
        }
      case R_FULL:
        return { zh: '全画质，预算内', en: 'Full quality, within budget' }
      default:
        return { zh: '预算内，保持当前画质', en: 'Within budget; holding quality' }
    }
  }

  // quality is written here (only when levels change) and read-only to everyone else.
  const api: Omit<QualityGovernor, 'quality'> & { quality: number } = {
    update,
    // A data property, not a getter: the frame loop reads it every frame, and a getter returning a
    // fractional double makes V8 box it (allocate) on each read.
    quality: 1,
    levels,
    get flips() {
      return flips
    },
    get smoothedCostMs() {
      return f[F_SMOOTHED]
    },
    get exhausted() {
      return exhausted
    },
    get enabled() {
      return enabled
    },
    get frame() {
      return frame
    },
    explain() {
      const budget = f[F_BUDGET]
      return {
        enabled,
        quality: api.quality,
        state,
        reason: reasonText(),
        scalers: scalers.map((s, i) => ({ id: s.id, label: { zh: s.label.zh, en: s.label.en }, level: levels[i], maxLevel: s.maxLevel })),
        lastChangeFrame,
        flips,
        smoothedCostMs: f[F_SMOOTHED],
        smoothedError: budget > 0 ? f[F_SMOOTHED] / budget - 1 : 0,
      }
    },
    setEnabled(b) {
      enabled = b
      if (!b) reason = R_DISABLED
    },
    reset() {
      for (let i = 0; i < n; i++) {
        if (levels[i] !== scalers[i].maxLevel) scalers[i].apply(scalers[i].maxLevel)
      }
      clearHistory()
    },
  }
  clearHistory()
  return api
}
