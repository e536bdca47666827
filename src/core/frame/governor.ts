/**
 * Quality governor: lowers and raises content quality ("levers", `QualityScaler`s) to keep frames
 * inside the budget. It owns its levers: they are added and removed at run time (`add`/`remove`)
 * without touching the other levers' levels or any history.
 *
 * Control law (one `update(cpuMs, budget, signals)` per frame); the engines each rule comes from
 * are described in src/core/frame/README.md:
 *
 * 0. Cost. The frame's cost is the larger of the CPU cost of the frame callback and the newest GPU
 *    time (timer queries, a few frames late; held for `GPU_HOLD_FRAMES`). A frame is *missed* when
 *    its cost is over the budget OR its display interval missed a display slot (`signals.missed`,
 *    see display-timing.ts): the display interval is ground truth, whatever the cause.
 * 1. Sense. `smoothed` = EWMA of the cost, α = 2/(16+1) (≈ a 16-frame window, Unreal's history
 *    length); smoothed error = smoothed / budget − 1 (Unity's error term over ~16 frames instead
 *    of 120, because a headset shows a missed frame as judder at once).
 * 2. Drop when `panicMisses` (2) consecutive frames missed (Unreal's panic) OR the smoothed error
 *    ≥ 0.15 (Unity's threshold). One step, or two if this frame's cost > 1.3 × budget (Unity's
 *    "fast" lowering). Each step lowers the lever with the best learned cost per level /
 *    (visualImpact + ε) that has levels left (most ms saved per unit of visible damage). The
 *    smoothed cost is moved down by the predicted saving so stale history cannot trigger a second drop.
 * 2b. Drop also when `missesToDrop` (2) of the last `missWindow` (32) frames missed, even if never
 *    twice in a row (Meta calls more than 10% stale frames serious; one miss in 32 is noise, two a
 *    trend). The window is cleared after a drop.
 * 3. Cooldown: no drop for `cooldownFrames` (4) frames after a drop, so the effect is measured
 *    before acting again; misses during cooldown are not counted. This keeps a display that misses
 *    every frame (a slow GPU) from collapsing every lever in a few frames.
 * 4. Raise only after `raiseAfterFrames` (90, ≈ 1 s) consecutive frames under `headroomRaise` (0.8)
 *    × budget with no missed display slot, AND if the smoothed cost plus that lever's cost stays
 *    under the headroom line. One step at a time, the lowered lever with the highest visualImpact first.
 * 5. Hysteresis: a drop within 2 × raiseAfterFrames of a raise marks that raise a mistake: the
 *    lever's wait doubles (up to ×8) and its cost for raise prediction becomes at least the cost
 *    increase observed since the raise.
 * 6. Learning. Each lever's saving per level is learned online at every change of its level: the
 *    mean of a signal over the frames before the change against the mean after it (skipping
 *    `LEARN_LAG` frames of latency), divided by the levels changed, blended (β = 0.3) into its
 *    cost per level, which starts at the declared `costPerLevelMs`. The signal is the GPU time
 *    where the timer gives results, otherwise the display interval. Changes too close together to
 *    attribute (another change before `LEARN_FRAMES` samples, or two levers in one step) teach nothing.
 *
 * Disabled: `update` keeps sensing but never calls `apply`. Levers are assumed to be at full
 * quality when added; the governor calls `apply` only when it changes a level.
 *
 * `update` does not allocate: per-lever state is in typed arrays (reallocated only by add/remove),
 * doubles in a Float64Array.
 */

/** A quality knob the governor may turn (foveation, shadow map size, LOD bias, post effects...). */
export interface QualityScaler {
  /** Stable id for diagnostics; unique among registered levers. */
  id: string
  /** Bilingual label for the HUD. */
  label: { zh: string; en: string }
  /** Levels are 0..maxLevel; maxLevel is full quality. */
  maxLevel: number
  /** Estimated ms saved per level dropped (the starting point of the learned saving). */
  costPerLevelMs: number
  /** 0..1: how much the wearer notices one step. */
  visualImpact: number
  /** Sets the level (called only when it changes). */
  apply(level: number): void
}

/**
 * Per-frame signals beside the CPU cost, written by the frame driver before each frame and read by
 * the governor (one object, mutated in place).
 */
export interface FrameSignals {
  /** Newest GPU time result that arrived this frame, ms; -1 when none arrived. */
  gpuMs: number
  /** Display interval that ended at this frame, ms; 0 when unknown. */
  intervalMs: number
  /** True when that interval missed a display slot (> 1.5 refresh periods). */
  missed: boolean
}

/** Creates an empty {@link FrameSignals} (no GPU result, no interval). */
export function createFrameSignals(): FrameSignals {
  return { gpuMs: -1, intervalMs: 0, missed: false }
}

/** Options of {@link createQualityGovernor}. */
export interface QualityGovernorOptions {
  /** The levers at start, in any order (more can be added later). */
  scalers?: QualityScaler[]
  /** Default true. */
  enabled?: boolean
  /** Raise only while frame cost < headroomRaise × budget (default 0.8). */
  headroomRaise?: number
  /** Consecutive headroom frames needed before a raise (default 90). */
  raiseAfterFrames?: number
  /** Consecutive missed frames that force a drop (default 2). */
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

/** One lever in {@link GovernorExplanation}. */
export interface GovernorLeverExplanation {
  id: string
  label: { zh: string; en: string }
  level: number
  maxLevel: number
  /** Saving per level the governor plans with now (declared, then learned), ms. */
  costPerLevelMs: number
  /** Level changes that taught the governor this lever's saving. */
  learnedSamples: number
}

/** A snapshot for the HUD and diagnostics (allocates). */
export interface GovernorExplanation {
  enabled: boolean
  quality: number
  state: GovernorState
  reason: { zh: string; en: string }
  scalers: GovernorLeverExplanation[]
  /** Governor frame index of the last level change, or -1. */
  lastChangeFrame: number
  /** Direction changes (drop after raise or raise after drop). */
  flips: number
  /** Smoothed frame cost (max of CPU and GPU), ms. */
  smoothedCostMs: number
  /** Smoothed cost / budget − 1. */
  smoothedError: number
  /** Smoothed GPU time, ms, or null when no timer result has arrived. */
  smoothedGpuMs: number | null
  /** Smoothed display interval, ms, or null when none is known. */
  smoothedIntervalMs: number | null
  /** Frames whose display interval missed a slot, total. */
  displayMisses: number
  /** Frames whose GPU time was larger than the CPU cost, total. */
  gpuBoundFrames: number
}

/** The governor; see {@link createQualityGovernor}. */
export interface QualityGovernor {
  /** Feeds one frame: CPU cost and budget in ms, plus the display/GPU signals if known. No allocation. */
  update(frameCostMs: number, budgetMs: number, signals?: FrameSignals): void
  /** 0..1: the one definition of quality, Σ w·level/maxLevel / Σ w with w = visualImpact + 0.05 (1 with no lever). */
  readonly quality: number
  /** Current level per lever, in registration order (a new array after add/remove). Read only. */
  readonly levels: Int32Array
  /** Registered levers, in registration order (a new array after add/remove). Read only. */
  readonly scalers: readonly QualityScaler[]
  /** Adds a lever at full quality; history and every other lever stay as they are. Throws on a duplicate id. */
  add(scaler: QualityScaler): void
  /** Removes a lever by id (its level is left as it is); returns false when not registered. */
  remove(id: string): boolean
  /** Sets a lever's level for another controller (baseline arm); applies it if it changes. No allocation. */
  setLevel(id: string, level: number): void
  /** Direction changes so far. */
  readonly flips: number
  /** EWMA of frame cost (max of CPU and GPU), ms (for a refresh-rate lever). */
  readonly smoothedCostMs: number
  /** True when the last drop was wanted but every lever was already at level 0. */
  readonly exhausted: boolean
  readonly enabled: boolean
  /** Frames fed so far. */
  readonly frame: number
  /** Explains the current state (allocates). */
  explain(): GovernorExplanation
  /** Turns control on/off; levels stay where they are. */
  setEnabled(enabled: boolean): void
  /** Forgets history and restores every lever to full quality (applying the ones that changed). */
  reset(): void
}

const EWMA_ALPHA = 2 / (16 + 1)
const DROP_ERROR = 0.15
const FAST_DROP_RATIO = 1.3
/** Weight floor of a lever in quality and drop order, so a lever declared invisible still counts a little. */
export const IMPACT_EPSILON = 0.05
const MAX_WAIT_MULTIPLIER = 8
/** Frames a GPU result stays the GPU cost when no newer one arrives (results come 2–3 frames late). */
const GPU_HOLD_FRAMES = 8
/** Frames after a level change before its effect is sampled (GPU results lag 2–3 frames, intervals 1). */
const LEARN_LAG = 3
/** Samples needed on each side of a change to learn from it. */
const LEARN_MIN_BEFORE = 2
const LEARN_FRAMES = 8
/** Blend factor of one observation into a lever's learned saving. */
const LEARN_BETA = 0.3

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
const R_DISPLAY = 11

// Double-valued state slots.
const F_SMOOTHED = 0
const F_BUDGET = 1
const F_LAST_COST = 2
const F_DECISION_ERROR = 3 // smoothed error when the last drop was decided (the text shows this, not the corrected value)
const F_DECISION_MISSES = 4 // misses in the window when the last drop was decided
const F_GPU_LAST = 5
const F_GPU_SMOOTHED = 6
const F_INTERVAL_SMOOTHED = 7
const F_SEG_SUM = 8
const F_BEFORE_MEAN = 9
const F_COUNT = 10

// Learning signal kinds.
const SIG_NONE = 0
const SIG_GPU = 1
const SIG_INTERVAL = 2

/** Checks a lever's declared fields; throws RangeError with the lever id. */
function validateScaler(s: QualityScaler): void {
  if (typeof s.id !== 'string' || s.id.length === 0) throw new RangeError('quality lever: id must be a non-empty string')
  if (!(Number.isInteger(s.maxLevel) && s.maxLevel >= 0)) throw new RangeError(`scaler ${s.id}: maxLevel must be an integer >= 0`)
  if (!(s.costPerLevelMs >= 0) || !Number.isFinite(s.costPerLevelMs)) throw new RangeError(`scaler ${s.id}: costPerLevelMs must be >= 0`)
  if (!(s.visualImpact >= 0 && s.visualImpact <= 1)) throw new RangeError(`scaler ${s.id}: visualImpact must be in 0..1`)
  if (typeof s.apply !== 'function') throw new TypeError(`scaler ${s.id}: apply must be a function`)
}

/** Creates a governor over `options.scalers` (all assumed at maxLevel); more levers can be added later. */
export function createQualityGovernor(options: QualityGovernorOptions = {}): QualityGovernor {
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
  const initial = options.scalers ?? []
  for (const s of initial) validateScaler(s)
  for (let i = 0; i < initial.length; i++) {
    for (let j = 0; j < i; j++) if (initial[j].id === initial[i].id) throw new Error(`quality lever "${initial[i].id}" is registered twice`)
  }

  // Per-lever state, in registration order. Reallocated (exact length) only by add/remove.
  let scalers: QualityScaler[] = initial.slice()
  let n = scalers.length
  let levels = new Int32Array(n)
  let waitMultiplier = new Int32Array(n)
  let lastRaiseFrame = new Int32Array(n)
  let learnedRaiseCost = new Float64Array(n) // ms per level observed after a mistaken raise
  let costBeforeRaise = new Float64Array(n)
  let saving = new Float64Array(n) // learned saving per level (starts at the declared cost)
  let learnedSamples = new Int32Array(n)
  let dropOrder = new Int32Array(n)
  let raiseOrder = new Int32Array(n)

  const f = new Float64Array(F_COUNT)
  const missRing = new Uint8Array(missWindow)
  let missRingIndex = 0
  let missesInWindow = 0

  let enabled = options.enabled ?? true
  let frame = 0
  let samples = 0
  let gpuSamples = 0
  let intervalSamples = 0
  let lastGpuFrame = -1_000_000
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
  let displayMisses = 0
  let gpuBoundFrames = 0
  let decisionDisplay = false // the last drop was decided on display misses while cost fit the budget
  // Learning: the current segment since the last level change, and the change waiting to be learned.
  let segKind = SIG_NONE
  let segCount = 0
  let segSkip = 0
  let pendingLever = -1
  let pendingSteps = 0 // levels changed: > 0 dropped, < 0 raised
  let changeLever = -1 // lever(s) changed this frame: -1 none, -2 several
  let changeSteps = 0

  /** Insertion sort into `out` by `key` descending (ties: registration order). No allocation. */
  function sortOrder(out: Int32Array, byImpact: boolean): void {
    for (let i = 0; i < n; i++) out[i] = i
    for (let i = 1; i < n; i++) {
      const v = out[i]
      const kv = byImpact ? scalers[v].visualImpact : saving[v] / (scalers[v].visualImpact + IMPACT_EPSILON)
      let j = i - 1
      while (j >= 0) {
        const u = out[j]
        const ku = byImpact ? scalers[u].visualImpact : saving[u] / (scalers[u].visualImpact + IMPACT_EPSILON)
        if (ku > kv || (ku === kv && u < v)) break
        out[j + 1] = u
        j--
      }
      out[j + 1] = v
    }
  }

  function recomputeQuality(): void {
    let weighted = 0
    let weights = 0
    for (let i = 0; i < n; i++) {
      const s = scalers[i]
      const w = s.visualImpact + IMPACT_EPSILON
      weighted += s.maxLevel > 0 ? (w * levels[i]) / s.maxLevel : w
      weights += w
    }
    api.quality = weights > 0 ? weighted / weights : 1
  }

  /** Reallocates per-lever arrays for a new lever list; `keep[i]` is the old index of new lever i, or -1 for a new one. */
  function relayout(next: QualityScaler[], keep: number[]): void {
    const m = next.length
    const L = new Int32Array(m), W = new Int32Array(m), R = new Int32Array(m), LR = new Float64Array(m)
    const CB = new Float64Array(m), S = new Float64Array(m), LS = new Int32Array(m)
    const remap = new Int32Array(n).fill(-1)
    for (let i = 0; i < m; i++) {
      const o = keep[i]
      if (o >= 0) {
        L[i] = levels[o]
        W[i] = waitMultiplier[o]
        R[i] = lastRaiseFrame[o]
        LR[i] = learnedRaiseCost[o]
        CB[i] = costBeforeRaise[o]
        S[i] = saving[o]
        LS[i] = learnedSamples[o]
        remap[o] = i
      } else {
        L[i] = next[i].maxLevel
        W[i] = 1
        R[i] = -1
        S[i] = next[i].costPerLevelMs
      }
    }
    const map = (i: number) => (i >= 0 ? remap[i] : i)
    reasonScaler = map(reasonScaler)
    pendingLever = map(pendingLever)
    changeLever = changeLever >= 0 ? map(changeLever) : changeLever
    scalers = next
    n = m
    levels = L
    waitMultiplier = W
    lastRaiseFrame = R
    learnedRaiseCost = LR
    costBeforeRaise = CB
    saving = S
    learnedSamples = LS
    dropOrder = new Int32Array(m)
    raiseOrder = new Int32Array(m)
    sortOrder(dropOrder, false)
    sortOrder(raiseOrder, true)
    recomputeQuality()
  }

  function clearHistory(): void {
    for (let i = 0; i < n; i++) {
      levels[i] = scalers[i].maxLevel
      waitMultiplier[i] = 1
      lastRaiseFrame[i] = -1
      learnedRaiseCost[i] = 0
      costBeforeRaise[i] = 0
      saving[i] = scalers[i].costPerLevelMs
      learnedSamples[i] = 0
    }
    sortOrder(dropOrder, false)
    sortOrder(raiseOrder, true)
    f.fill(0)
    missRing.fill(0)
    missRingIndex = 0
    missesInWindow = 0
    recomputeQuality()
    frame = 0
    samples = 0
    gpuSamples = 0
    intervalSamples = 0
    lastGpuFrame = -1_000_000
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
    displayMisses = 0
    gpuBoundFrames = 0
    decisionDisplay = false
    segKind = SIG_NONE
    segCount = 0
    segSkip = 0
    pendingLever = -1
    pendingSteps = 0
    changeLever = -1
    changeSteps = 0
  }

  function noteDirection(direction: number): void {
    if (lastDirection !== 0 && lastDirection !== direction) flips++
    lastDirection = direction
    lastChangeFrame = frame
  }

  /** Records that lever i changed by `steps` levels this frame (for learning). */
  function noteChange(i: number, steps: number): void {
    if (changeLever === -1) {
      changeLever = i
      changeSteps = steps
    } else if (changeLever === i) changeSteps += steps
    else changeLever = -2
  }

  /** Lowers one level of the best lever; returns its index or -1 if none has levels left. */
  function dropOne(): number {
    for (let k = 0; k < n; k++) {
      const i = dropOrder[k]
      if (levels[i] > 0) {
        levels[i]--
        scalers[i].apply(levels[i])
        noteChange(i, 1)
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
      const after = f[F_SMOOTHED] - saving[i]
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
        if (observed > learnedRaiseCost[i]) learnedRaiseCost[i] = observed
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
      const perLevel = learnedRaiseCost[i] > saving[i] ? learnedRaiseCost[i] : saving[i]
      if (f[F_SMOOTHED] + perLevel >= line) continue
      costBeforeRaise[i] = f[F_SMOOTHED]
      levels[i]++
      scalers[i].apply(levels[i])
      noteChange(i, -1)
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

  /** Feeds the learning segment with this frame's signal (GPU time, else display interval). */
  function learnSample(gpuMs: number, intervalMs: number): void {
    let kind = SIG_NONE
    let value = 0
    if (gpuMs >= 0) {
      kind = SIG_GPU
      value = gpuMs
    } else if (frame - lastGpuFrame > GPU_HOLD_FRAMES && intervalMs > 0) {
      kind = SIG_INTERVAL
      value = intervalMs
    }
    if (kind === SIG_NONE) return
    if (kind !== segKind) {
      // The source changed (timer appeared or went quiet): earlier samples are not comparable.
      segKind = kind
      segCount = 0
      f[F_SEG_SUM] = 0
      pendingLever = -1
      f[F_BEFORE_MEAN] = -1
    }
    if (segSkip > 0) {
      segSkip--
      return
    }
    f[F_SEG_SUM] += value
    segCount++
    if (pendingLever >= 0 && segCount >= LEARN_FRAMES) {
      const after = f[F_SEG_SUM] / segCount
      let observed = (f[F_BEFORE_MEAN] - after) / pendingSteps
      if (observed < 0) observed = 0
      const i = pendingLever
      saving[i] += LEARN_BETA * (observed - saving[i])
      learnedSamples[i]++
      pendingLever = -1
      sortOrder(dropOrder, false)
    }
  }

  /** Closes the learning segment at a level change made this frame. */
  function segmentBreak(): void {
    const before = segCount >= LEARN_MIN_BEFORE ? f[F_SEG_SUM] / segCount : -1
    // An earlier change not yet learned is now ambiguous; one lever changed alone can be learned.
    pendingLever = changeLever >= 0 && before >= 0 && changeSteps !== 0 ? changeLever : -1
    pendingSteps = changeSteps
    f[F_BEFORE_MEAN] = before
    f[F_SEG_SUM] = 0
    segCount = 0
    segSkip = LEARN_LAG
    changeLever = -1
    changeSteps = 0
  }

  function update(frameCostMs: number, budgetMs: number, signals?: FrameSignals): void {
    if (!(frameCostMs >= 0) || !(budgetMs > 0)) return // ignore NaN / nonsense samples
    frame++
    let gpuNew = -1
    let intervalMs = 0
    let displayMissed = false
    if (signals !== undefined) {
      if (signals.gpuMs >= 0 && Number.isFinite(signals.gpuMs)) gpuNew = signals.gpuMs
      if (signals.intervalMs > 0 && Number.isFinite(signals.intervalMs)) intervalMs = signals.intervalMs
      displayMissed = signals.missed === true
    }
    if (gpuNew >= 0) {
      f[F_GPU_LAST] = gpuNew
      if (gpuSamples === 0) f[F_GPU_SMOOTHED] = gpuNew
      else f[F_GPU_SMOOTHED] += EWMA_ALPHA * (gpuNew - f[F_GPU_SMOOTHED])
      gpuSamples++
      lastGpuFrame = frame
    }
    if (intervalMs > 0) {
      if (intervalSamples === 0) f[F_INTERVAL_SMOOTHED] = intervalMs
      else f[F_INTERVAL_SMOOTHED] += EWMA_ALPHA * (intervalMs - f[F_INTERVAL_SMOOTHED])
      intervalSamples++
    }
    if (displayMissed) displayMisses++
    // GPU results arrive late: the newest one stands for the GPU side for a few frames.
    const gpuCost = frame - lastGpuFrame <= GPU_HOLD_FRAMES ? f[F_GPU_LAST] : 0
    if (gpuCost > frameCostMs) gpuBoundFrames++
    const cost = gpuCost > frameCostMs ? gpuCost : frameCostMs
    learnSample(gpuNew, intervalMs)

    f[F_LAST_COST] = cost
    f[F_BUDGET] = budgetMs
    if (samples === 0) f[F_SMOOTHED] = cost
    else f[F_SMOOTHED] += EWMA_ALPHA * (cost - f[F_SMOOTHED])
    samples++
    const overCost = cost > budgetMs
    const missed = overCost || displayMissed ? 1 : 0
    misses = missed ? misses + 1 : 0
    underFrames = cost < headroomRaise * budgetMs && !displayMissed ? underFrames + 1 : 0
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
        decisionDisplay = displayMissed && !overCost
      }
      drop(cost, budgetMs, panic)
      if (reason === R_PANIC && decisionDisplay) reason = R_DISPLAY
      if (!panic && error < DROP_ERROR && reason === R_SMOOTHED) reason = decisionDisplay ? R_DISPLAY : R_MISS_RATE
    } else {
      exhausted = false
      if (underFrames >= raiseAfterFrames) tryRaise(budgetMs)
      else reason = underFrames > 0 ? R_WAIT_HEADROOM : R_STEADY
    }
    if (changeLever !== -1) segmentBreak()
  }

  function pct(x: number): string {
    return (x * 100).toFixed(0) + '%'
  }

  function reasonText(): { zh: string; en: string } {
    const s = reasonScaler >= 0 && reasonScaler < n ? scalers[reasonScaler] : undefined
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
      case R_DISPLAY:
        return {
          zh: `帧耗时在预算内，但画面错过了显示时机（GPU 或合成器跟不上），降低「${zhName}」`,
          en: `Frame cost fits the budget, but frames missed their display slot (GPU or compositor behind): lowered ${enName}`,
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

  function indexOf(id: string): number {
    for (let i = 0; i < n; i++) if (scalers[i].id === id) return i
    return -1
  }

  // quality is written here (only when levels change) and read-only to everyone else.
  const api: Omit<QualityGovernor, 'quality'> & { quality: number } = {
    update,
    // A data property, not a getter: the frame loop reads it every frame, and a getter returning a
    // fractional double makes V8 box it (allocate) on each read.
    quality: 1,
    get levels() {
      return levels
    },
    get scalers() {
      return scalers
    },
    add(scaler) {
      validateScaler(scaler)
      if (indexOf(scaler.id) >= 0) throw new Error(`quality lever "${scaler.id}" is registered twice`)
      const keep: number[] = []
      for (let i = 0; i < n; i++) keep.push(i)
      keep.push(-1)
      relayout([...scalers, scaler], keep)
    },
    remove(id) {
      const index = indexOf(id)
      if (index < 0) return false
      const keep: number[] = []
      for (let i = 0; i < n; i++) if (i !== index) keep.push(i)
      // A change of the removed lever waiting to be learned cannot be learned any more.
      if (pendingLever === index) pendingLever = -1
      if (changeLever === index) changeLever = -2
      if (reasonScaler === index) reasonScaler = -1
      relayout(
        scalers.filter((_, i) => i !== index),
        keep,
      )
      return true
    },
    setLevel(id, level) {
      const i = indexOf(id)
      if (i < 0) return
      const max = scalers[i].maxLevel
      const clamped = level < 0 ? 0 : level > max ? max : Math.round(level)
      if (levels[i] === clamped) return
      levels[i] = clamped
      scalers[i].apply(clamped)
      recomputeQuality()
    },
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
        scalers: scalers.map((s, i) => ({
          id: s.id,
          label: { zh: s.label.zh, en: s.label.en },
          level: levels[i],
          maxLevel: s.maxLevel,
          costPerLevelMs: saving[i],
          learnedSamples: learnedSamples[i],
        })),
        lastChangeFrame,
        flips,
        smoothedCostMs: f[F_SMOOTHED],
        smoothedError: budget > 0 ? f[F_SMOOTHED] / budget - 1 : 0,
        smoothedGpuMs: gpuSamples > 0 ? f[F_GPU_SMOOTHED] : null,
        smoothedIntervalMs: intervalSamples > 0 ? f[F_INTERVAL_SMOOTHED] : null,
        displayMisses,
        gpuBoundFrames,
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
