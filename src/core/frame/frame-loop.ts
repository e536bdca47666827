/**
 * The framework-free half of the one frame driver. The R3F driver calls `frame(timestamp, xrFrame)`
 * from its single `useFrame` (or the XR rAF) and passes `gl.render(scene, camera)` as the renderer;
 * everything else that runs per frame is a registered {@link FrameSystem} in one of the fixed
 * phases, so the whole frame order is visible in `phaseOrder()`.
 *
 * Per frame: input → simulation (fixed steps) → animation → jobs (leftover slice) → render → post,
 * each phase timed with the injected clock; then metrics are recorded and the governor is fed
 * the CPU cost with the frame's display and GPU signals.
 *
 * `frame` does not allocate in steady state: systems live in per-phase arrays rebuilt only when
 * registration changes, the context object is reused, doubles live in a Float64Array. Errors are
 * the exception: a throwing system allocates its message (rare by construction).
 */
import type { Clock } from '../time/clock'
import type { FrameBudget } from './budget'
import type { FrameSignals, QualityGovernor } from './governor'
import type { JobQueue } from './job-queue'
import type { FrameMetrics } from './metrics'
import { PHASE_COUNT, PHASES, phaseIndex, type FramePhase } from './phases'

/** The per-frame context: one object, mutated in place and passed to every system. */
export interface FrameContext {
  /** Frame number, starting at 1. */
  frame: number
  /** Timestamp passed to `frame()`, ms. */
  timeMs: number
  /** Frame delta (time since the previous frame); inside simulation steps, the fixed step. */
  deltaMs: number
  /** The fixed simulation step, ms. */
  fixedDeltaMs: number
  /** Fraction (0..1) of a fixed step left in the accumulator: interpolate simulated state by it. Valid from animation on. */
  alpha: number
  /** Index of the current simulation step within this frame (0-based); -1 outside simulation. */
  subStep: number
  /** Simulated time, ms: at the start of the current step inside simulation, the total after it. */
  simTimeMs: number
  /** The phase running now. */
  phase: FramePhase
  /** The live budget (mutated in place on refresh-rate change). */
  budget: FrameBudget
  /** The XRFrame of this frame, if any (typed unknown to keep the core free of WebXR types). */
  xrFrame: unknown
  /** ms left of budget.usableMs in this frame (negative once over). */
  remainingMs(): number
}

/** A per-frame participant. */
export interface FrameSystem {
  /** For diagnostics and `phaseOrder()`. */
  name: string
  /** Which phase it runs in. */
  phase: FramePhase
  /** Lower runs first within a phase (default 0; ties keep registration order). In the render phase, order < 0 runs before the renderer, the rest after. */
  order?: number
  /** Called once per frame (once per fixed step in simulation). */
  update(ctx: FrameContext): void
}

/** Options of {@link createFrameLoop}. */
export interface FrameLoopOptions {
  clock: Clock
  budget: FrameBudget
  /** Fixed simulation step, ms (default 1000/90). */
  fixedStepMs?: number
  /** Most simulation steps per frame; the rest are dropped (default 4). */
  maxSubSteps?: number
  metrics?: FrameMetrics
  governor?: QualityGovernor
  /**
   * Display and GPU signals of the current frame (written by the driver before `frame()`), passed
   * to the governor beside the CPU cost.
   */
  signals?: FrameSignals
  jobs?: JobQueue
  /**
   * Floor (ms) of the render + post prediction used to size the job slice (default 1). Before the
   * first measurement (first frame, or after setRenderer) the job queue gets no slice at all.
   */
  renderReserveMs?: number
}

/** The frame loop; see {@link createFrameLoop}. */
export interface FrameLoop {
  /** Adds a system; returns a function that removes it. Takes effect next frame if called during a frame. */
  register(system: FrameSystem): () => void
  /** Swaps the governor; null removes it. (Levers come and go through the governor itself.) */
  setGovernor(governor: QualityGovernor | null): void
  /** Sets (or clears with null) the main render call, run in the render phase. */
  setRenderer(render: ((ctx: FrameContext) => void) | null): void
  /** Runs one frame. No allocation in steady state. */
  frame(timestampMs: number, xrFrame?: unknown): void
  /** One line per phase, e.g. "input: hands, controllers", for docs and the HUD. */
  phaseOrder(): string[]
  /** The reused context. */
  readonly ctx: FrameContext
  /** Cost of each phase in the last frame, ms, in PHASES order (live array; read only). */
  readonly phaseCosts: Float64Array
  /** Frames run. */
  readonly frameCount: number
  /** Simulation steps dropped by the maxSubSteps cap, total. */
  readonly droppedSteps: number
  /** Slice given to the job queue in the last frame, ms. */
  readonly lastJobSliceMs: number
  /** Errors caught, total. */
  readonly errorCount: number
  /** The most recent error messages, oldest first (at most 32). */
  readonly errors: readonly string[]
  /** Names of systems disabled after throwing in consecutive frames. */
  disabledSystems(): string[]
  /**
   * Calls `listener` when a system is disabled (rare: allocation is fine). It runs inside the
   * frame, so a listener that touches UI state must defer (the driver posts a task). Returns unsubscribe.
   */
  onSystemDisabled(listener: (disabled: DisabledSystem) => void): () => void
}

/** A system the loop stopped running, with why. */
export interface DisabledSystem {
  name: string
  phase: FramePhase
  /** The error of its last failing frame. */
  lastError: string
}

interface SystemEntry {
  system: FrameSystem
  phase: number
  order: number
  seq: number
  removed: boolean
  disabled: boolean
  /** Frames in a row with an error, and the last such frame. */
  errorRun: number
  lastErrorFrame: number
}

const MAX_ERRORS = 32
/** Frames in a row a system may throw before it is disabled. */
const DISABLE_AFTER = 3
const RENDER_EWMA_ALPHA = 0.1
const P_INPUT = 0
const P_SIMULATION = 1
const P_ANIMATION = 2
const P_JOBS = 3
const P_RENDER = 4
const P_POST = 5

// Double-valued state slots.
const S_ACCUMULATOR = 0
const S_PREV_TIME = 1
const S_FRAME_START = 2
const S_RENDER_EWMA = 3
const S_JOB_SLICE = 4
const S_SIM_TIME = 5
const S_RENDER_LAST = 6

/** Creates a frame loop; see the file header for the frame order. */
export function createFrameLoop(options: FrameLoopOptions): FrameLoop {
  const { clock, budget, metrics, jobs, signals } = options
  let governor = options.governor
  const fixedStepMs = options.fixedStepMs ?? 1000 / 90
  const maxSubSteps = options.maxSubSteps ?? 4
  const renderReserveMs = options.renderReserveMs ?? 1
  if (!(fixedStepMs > 0) || !Number.isFinite(fixedStepMs)) throw new RangeError(`fixedStepMs must be > 0, got ${fixedStepMs}`)
  if (!(Number.isInteger(maxSubSteps) && maxSubSteps >= 1)) throw new RangeError(`maxSubSteps must be an integer >= 1, got ${maxSubSteps}`)
  if (!(renderReserveMs >= 0)) throw new RangeError(`renderReserveMs must be >= 0, got ${renderReserveMs}`)

  const s = new Float64Array(7)
  s[S_RENDER_EWMA] = renderReserveMs
  const phaseCosts = new Float64Array(PHASE_COUNT)
  const all: SystemEntry[] = []
  // Per-phase run lists, rebuilt only when registration changes.
  let lists: SystemEntry[][] = PHASES.map(() => [])
  let renderSplit = 0 // index in the render list where the renderer runs
  let dirty = false
  let inFrame = false
  let seq = 0
  let frameCount = 0
  let hasPrev = false
  let droppedSteps = 0
  let errorCount = 0
  const errors: string[] = []
  const disabledListeners = new Set<(disabled: DisabledSystem) => void>()
  let renderer: ((ctx: FrameContext) => void) | null = null
  let renderMeasured = false

  const ctx: FrameContext = {
    frame: 0,
    timeMs: 0,
    deltaMs: 0,
    fixedDeltaMs: fixedStepMs,
    alpha: 0,
    subStep: -1,
    simTimeMs: 0,
    phase: PHASES[0],
    budget,
    xrFrame: undefined,
    remainingMs: () => budget.usableMs - (clock.now() - s[S_FRAME_START]),
  }

  function rebuild(): void {
    const next: SystemEntry[][] = PHASES.map(() => [])
    for (const e of all) if (!e.removed) next[e.phase].push(e)
    for (const list of next) list.sort((a, b) => a.order - b.order || a.seq - b.seq)
    const render = next[P_RENDER]
    let split = 0
    while (split < render.length && render[split].order < 0) split++
    lists = next
    renderSplit = split
    dirty = false
  }

  function pushError(message: string): void {
    errorCount++
    errors.push(message)
    if (errors.length > MAX_ERRORS) errors.shift()
  }

  function describe(err: unknown): string {
    return err instanceof Error ? err.message : String(err)
  }

  function fail(e: SystemEntry, err: unknown): void {
    if (e.lastErrorFrame !== frameCount) {
      // Count frames, not calls: a simulation system can throw once per sub-step.
      e.errorRun = e.lastErrorFrame === frameCount - 1 ? e.errorRun + 1 : 1
      e.lastErrorFrame = frameCount
    }
    pushError('frame ' + frameCount + ' ' + PHASES[e.phase] + '/' + e.system.name + ': ' + describe(err))
    if (e.errorRun >= DISABLE_AFTER && !e.disabled) {
      e.disabled = true
      pushError(PHASES[e.phase] + '/' + e.system.name + ' disabled after throwing in ' + DISABLE_AFTER + ' frames in a row')
      const info: DisabledSystem = { name: e.system.name, phase: PHASES[e.phase], lastError: describe(err) }
      for (const listener of disabledListeners) {
        try {
          listener(info)
        } catch (listenerError) {
          pushError('disabled-system listener: ' + describe(listenerError))
        }
      }
    }
  }

  function runRange(list: SystemEntry[], from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const e = list[i]
      if (e.removed || e.disabled) continue
      try {
        e.system.update(ctx)
      } catch (err) {
        fail(e, err)
      }
    }
  }

  function runRenderer(): void {
    if (renderer === null) return
    try {
      renderer(ctx)
    } catch (err) {
      // The renderer is never disabled (a black headset is worse); its errors are logged.
      pushError('frame ' + frameCount + ' render/renderer: ' + describe(err))
    }
  }

  function frame(timestampMs: number, xrFrame?: unknown): void {
    if (inFrame) return // re-entrant call from inside a system: ignore rather than corrupt timing
    inFrame = true
    try {
      runFrame(timestampMs, xrFrame)
    } finally {
      inFrame = false
    }
  }

  function runFrame(timestampMs: number, xrFrame: unknown): void {
    if (dirty) rebuild()
    frameCount++
    const start = clock.now()
    s[S_FRAME_START] = start
    let delta = hasPrev ? timestampMs - s[S_PREV_TIME] : 0
    if (!(delta > 0)) delta = 0 // first frame, clock reset or non-monotonic timestamps
    const gap = delta
    s[S_PREV_TIME] = timestampMs
    hasPrev = true
    ctx.frame = frameCount
    ctx.timeMs = timestampMs
    ctx.deltaMs = delta
    ctx.xrFrame = xrFrame
    ctx.subStep = -1

    // input
    ctx.phase = PHASES[P_INPUT]
    let t = start
    runRange(lists[P_INPUT], 0, lists[P_INPUT].length)
    let t2 = clock.now()
    phaseCosts[P_INPUT] = t2 - t
    t = t2

    // simulation: fixed steps from an accumulator; beyond maxSubSteps, time is dropped (a spiral
    // of death costs more frames than a slowed simulation)
    ctx.phase = PHASES[P_SIMULATION]
    let acc = s[S_ACCUMULATOR] + delta
    let stepsDue = Math.floor(acc / fixedStepMs)
    if (stepsDue > maxSubSteps) {
      droppedSteps += stepsDue - maxSubSteps
      acc -= (stepsDue - maxSubSteps) * fixedStepMs
      stepsDue = maxSubSteps
    }
    ctx.deltaMs = fixedStepMs
    const simList = lists[P_SIMULATION]
    for (let k = 0; k < stepsDue; k++) {
      ctx.subStep = k
      ctx.simTimeMs = s[S_SIM_TIME]
      runRange(simList, 0, simList.length)
      s[S_SIM_TIME] += fixedStepMs
      acc -= fixedStepMs
    }
    ctx.simTimeMs = s[S_SIM_TIME]
    if (acc < 0) acc = 0
    s[S_ACCUMULATOR] = acc
    ctx.subStep = -1
    ctx.deltaMs = delta
    ctx.alpha = acc / fixedStepMs
    t2 = clock.now()
    phaseCosts[P_SIMULATION] = t2 - t
    t = t2

    // animation
    ctx.phase = PHASES[P_ANIMATION]
    runRange(lists[P_ANIMATION], 0, lists[P_ANIMATION].length)
    t2 = clock.now()
    phaseCosts[P_ANIMATION] = t2 - t
    t = t2

    // jobs: systems first, then the queue gets what is left before the predicted render + post
    ctx.phase = PHASES[P_JOBS]
    runRange(lists[P_JOBS], 0, lists[P_JOBS].length)
    let queueMs = 0
    if (jobs !== undefined) {
      // Predict render + post conservatively: the larger of the EWMA and the last frame (render cost
      // is autocorrelated, and a job overrun costs a stale frame while a short slice costs nothing).
      let reserve = s[S_RENDER_EWMA] > s[S_RENDER_LAST] ? s[S_RENDER_EWMA] : s[S_RENDER_LAST]
      if (reserve < renderReserveMs) reserve = renderReserveMs
      let slice = budget.usableMs - (clock.now() - start) - reserve
      // Until render has been measured (first frame, new renderer) the reserve is a guess: skip
      // deferred work for that one frame rather than risk a stale frame.
      if (slice < 0 || !renderMeasured) slice = 0
      s[S_JOB_SLICE] = slice
      try {
        queueMs = jobs.run(slice)
      } catch (err) {
        pushError('frame ' + frameCount + ' jobs/queue: ' + describe(err))
      }
    }
    t2 = clock.now()
    phaseCosts[P_JOBS] = t2 - t
    t = t2

    // render: order < 0 systems, the renderer, then the rest
    ctx.phase = PHASES[P_RENDER]
    const renderList = lists[P_RENDER]
    runRange(renderList, 0, renderSplit)
    runRenderer()
    runRange(renderList, renderSplit, renderList.length)
    t2 = clock.now()
    phaseCosts[P_RENDER] = t2 - t
    t = t2

    // post
    ctx.phase = PHASES[P_POST]
    runRange(lists[P_POST], 0, lists[P_POST].length)
    t2 = clock.now()
    phaseCosts[P_POST] = t2 - t

    const renderPost = phaseCosts[P_RENDER] + phaseCosts[P_POST]
    // The first measurement replaces the configured seed instead of being blended with it.
    if (!renderMeasured) s[S_RENDER_EWMA] = renderPost
    else s[S_RENDER_EWMA] += RENDER_EWMA_ALPHA * (renderPost - s[S_RENDER_EWMA])
    s[S_RENDER_LAST] = renderPost
    renderMeasured = true
    let cost = 0
    for (let i = 0; i < PHASE_COUNT; i++) cost += phaseCosts[i]
    if (metrics !== undefined) {
      const quality = governor !== undefined ? governor.quality : 1
      metrics.record(cost, phaseCosts, gap, budget.budgetMs, budget.budgetMs, quality)
    }
    if (governor !== undefined) {
      try {
        // The queue's time is elastic (it only takes what is left), so it is not load the governor
        // should answer with lower quality; the full cost still goes to the metrics.
        governor.update(cost - queueMs, budget.budgetMs, signals)
      } catch (err) {
        pushError('frame ' + frameCount + ' governor: ' + describe(err))
      }
    }
  }

  return {
    register(system) {
      const phase = phaseIndex(system.phase)
      if (phase < 0) throw new RangeError(`system ${system.name}: unknown phase ${String(system.phase)}`)
      if (typeof system.update !== 'function') throw new TypeError(`system ${system.name} has no update()`)
      const order = system.order ?? 0
      if (!Number.isFinite(order)) throw new RangeError(`system ${system.name}: order must be finite`)
      const entry: SystemEntry = {
        system,
        phase,
        order,
        seq: seq++,
        removed: false,
        disabled: false,
        errorRun: 0,
        lastErrorFrame: -1,
      }
      all.push(entry)
      if (inFrame) dirty = true
      else rebuild()
      return () => {
        if (entry.removed) return
        entry.removed = true // skipped at once, dropped from the lists at the next rebuild
        const i = all.indexOf(entry)
        if (i >= 0) all.splice(i, 1)
        if (inFrame) dirty = true
        else rebuild()
      }
    },
    setGovernor(next) {
      governor = next ?? undefined
    },
    setRenderer(render) {
      renderer = render
      renderMeasured = false // a new renderer's cost is unknown until measured
    },
    frame,
    phaseOrder() {
      // Built from the registrations (not the run lists), so it also shows changes pending until next frame.
      const sorted = all.slice().sort((a, b) => a.order - b.order || a.seq - b.seq)
      const source = PHASES.map((_, p) => sorted.filter((e) => e.phase === p))
      return PHASES.map((phase, p) => {
        const names = source[p].map((e) => (e.disabled ? e.system.name + ' (disabled)' : e.system.name))
        if (p === P_SIMULATION) {
          const head = `${phase} (fixed ${fixedStepMs.toFixed(2)} ms, ≤${maxSubSteps} steps)`
          return names.length > 0 ? `${head}: ${names.join(', ')}` : `${head}: —`
        }
        if (p === P_JOBS && jobs !== undefined) names.push('[job queue: leftover slice]')
        if (p === P_RENDER) {
          const split = source[p].filter((e) => e.order < 0).length
          names.splice(split, 0, renderer !== null ? '[renderer]' : '[renderer: not set]')
        }
        return `${phase}: ${names.length > 0 ? names.join(', ') : '—'}`
      })
    },
    ctx,
    phaseCosts,
    get frameCount() {
      return frameCount
    },
    get droppedSteps() {
      return droppedSteps
    },
    get lastJobSliceMs() {
      return s[S_JOB_SLICE]
    },
    get errorCount() {
      return errorCount
    },
    errors,
    disabledSystems() {
      return all.filter((e) => e.disabled).map((e) => e.system.name)
    },
    onSystemDisabled(listener) {
      disabledListeners.add(listener)
      return () => disabledListeners.delete(listener)
    },
  }
}
