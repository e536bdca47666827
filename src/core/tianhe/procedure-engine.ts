import type { Bilingual } from '../i18n/strings'

/**
 * A data-driven procedure (task) engine: crew procedures as lists of steps, each expecting one
 * action on one fixture, with verification against the world, error branches, hints, timing and
 * scoring.
 *
 * How an action is judged against the current step:
 * - neither its type nor its fixture match the step → ignored (grabbing rails, fiddling with other
 *   things is not a mistake);
 * - the step's precondition is false → rejected (not ready yet; not a mistake);
 * - right fixture but wrong action type → mistake 'wrong-action';
 * - right type on another fixture → mistake 'wrong-fixture';
 * - wrong item (e.g. another cargo bag) → 'wrong-item'; a value out of tolerance → 'wrong-value';
 * - matches but `verify(world)` is false → 'verify-failed' (for `auto` steps: just "not yet").
 * A mistake costs points and, if the step maps that error code in `onError`, jumps to a branch step.
 * `auto` steps also complete on {@link ProcedureRunner.tick} once `verify` passes (e.g. "watch the
 * ball for 5 s"). Time is read only through the injected clock, so replays score identically.
 */

/** Kinds of user actions a step can expect. */
export type ActionType = 'grab' | 'place' | 'press' | 'turn' | 'read' | 'ack'
/** Value carried by an action (a reading, a switch position …). */
export type ActionValue = number | string | boolean
/** Why an action was a mistake. */
export type ErrorCode = 'wrong-fixture' | 'wrong-action' | 'wrong-item' | 'wrong-value' | 'verify-failed' | 'timeout'
/** Why a task failed. */
export type FailureReason = 'timeout' | 'aborted' | 'too-many-mistakes'
/** Lifecycle of a task. */
export type TaskState = 'pending' | 'active' | 'done' | 'failed'

/** What a step expects the user to do. */
export interface StepAction<W = unknown> {
  /** Action type. */
  type: ActionType
  /** Fixture id, or '*' for any fixture (e.g. "pick the misplaced bag up wherever it is"). */
  fixture: string
  /** Required item (e.g. a bag id), if any. */
  item?: string
  /** Required value, or a function of the world (e.g. the live gauge reading). */
  value?: ActionValue | ((world: W) => ActionValue)
  /** Absolute tolerance for numeric values. Default 0. */
  tolerance?: number
}

/** One step of a procedure. */
export interface StepDefinition<W = unknown> {
  /** Unique within the procedure. */
  id: string
  /** Instruction shown to the user. */
  text: Bilingual
  /** Hint (costs points the first time it is asked for on a step). */
  hint: Bilingual
  /** Fixture to highlight (defaults to `action.fixture` for display). */
  target?: string
  /** World must satisfy this before the step accepts its action. */
  precondition?: (world: W) => boolean
  /** The expected action. */
  action: StepAction<W>
  /** Checked after a matching action (and every tick for `auto` steps). */
  verify?: (world: W) => boolean
  /** Error branches: error code → step id to jump to. */
  onError?: Partial<Record<ErrorCode, string>>
  /** Time allowed on this step (s); exceeding it is a 'timeout' mistake (or fails the task). */
  timeLimitS?: number
  /** Points for completing the step (awarded once per step). */
  points: number
  /** Completes by itself once `verify` passes (checked on tick and dispatch). */
  auto?: boolean
  /** Step to continue with after this one (default: the next non-branch step). */
  next?: string
  /**
   * Only reachable through `onError` / `next`; skipped in the normal sequence. From a branch step
   * the runner continues with the step after it, so put branch chains at the end and give the last
   * one a `next`.
   */
  branch?: boolean
}

/** A whole procedure. */
export interface ProcedureDefinition<W = unknown> {
  /** Unique task id. */
  id: string
  /** Display title. */
  title: Bilingual
  /** Steps in order (branch steps may follow the main sequence). */
  steps: StepDefinition<W>[]
  /** Par time (s): full time bonus at or under par, none at twice par. */
  parTimeS?: number
  /** The task fails when mistakes exceed this. */
  maxMistakes?: number
}

/** An action the scene reports. */
export interface DispatchAction {
  type: ActionType
  fixture: string
  value?: ActionValue
  item?: string
}

/** What the engine made of an action. */
export interface DispatchResult {
  outcome: 'advanced' | 'completed' | 'mistake' | 'ignored' | 'rejected' | 'waiting' | 'inactive'
  /** Error code for a mistake, or 'precondition-failed' for a rejection. */
  code?: ErrorCode | 'precondition-failed'
  /** Active task and the step the action was judged against. */
  taskId: string | null
  stepId: string | null
}

/** One recorded mistake. */
export interface MistakeRecord {
  stepId: string
  code: ErrorCode
  /** Task time (ms since the task started). */
  atMs: number
  /** Action summary, e.g. "place stowage-s05 bag-01" (empty for timeouts). */
  action: string
}

/** Event types emitted to listeners. */
export type ProcedureEventType = 'task-started' | 'step-started' | 'step-completed' | 'mistake' | 'branch' | 'hint' | 'task-completed' | 'task-failed' | 'action-rejected'

/** A JSON-serialisable event for recorders and the HUD. */
export interface ProcedureEvent {
  type: ProcedureEventType
  taskId: string
  stepId: string | null
  /** Clock time (ms). */
  atMs: number
  /** Task time (ms). */
  elapsedMs: number
  code?: ErrorCode | 'precondition-failed'
  toStepId?: string
  points?: number
  score?: number
  /** Why a task failed ('task-failed' only). */
  reason?: FailureReason
}

/** Listener for {@link ProcedureRunner.on}. */
export type ProcedureListener = (event: ProcedureEvent) => void

/** Snapshot row for `window.lingjing.snapshot().tasks`. */
export interface TaskSnapshot {
  id: string
  state: TaskState
  /** Current step id (null when pending or done). */
  step: string | null
  /** Index of `step` in the definition; −1 when pending, steps.length when done. */
  stepIndex: number
  score: number
  /** Number of mistakes. */
  mistakes: number
  elapsedMs: number
}

/** Detailed progress of one task. */
export interface TaskProgress extends TaskSnapshot {
  pointsEarned: number
  hintsUsed: number
  timeBonus: number
  mistakeLog: readonly MistakeRecord[]
  completedSteps: readonly string[]
  /** Why a failed task failed. */
  failure: FailureReason | null
}

/** Saved runner state (JSON). Times are durations so a restore re-bases them on the new clock. */
export interface RunnerSave {
  version: 1
  activeTaskId: string | null
  tasks: {
    id: string
    state: TaskState
    stepIndex: number
    pointsEarned: number
    hintedSteps: string[]
    mistakes: MistakeRecord[]
    completedSteps: string[]
    elapsedMs: number
    stepElapsedMs: number
    failure: TaskProgress['failure']
  }[]
}

/** Options for {@link createProcedureRunner}. */
export interface ProcedureRunnerOptions<W> {
  /** Time source (ms). */
  clockMs: () => number
  /** The world that preconditions, verifications and live values read. */
  world?: () => W
  /** Points a hint costs (default 5). */
  hintCost?: number
  /** Points a mistake costs (default 3). */
  mistakePenalty?: number
  /** Largest time bonus (default 20). */
  timeBonusMax?: number
}

/** The runner API. */
export interface ProcedureRunner<W = unknown> {
  readonly definitions: readonly ProcedureDefinition<W>[]
  /** Starts (or restarts) a task; throws if another task is active. */
  start(taskId: string): void
  /** Fails the active task ('aborted'). */
  abort(): void
  /** Judges a user action against the active task's current step. */
  dispatch(action: DispatchAction): DispatchResult
  /** Per-frame: step time limits and `auto` steps. */
  tick(): void
  /** Bilingual hint for the current step (charged once per step), or null. */
  requestHint(): Bilingual | null
  /** Id of the active task, or null. */
  activeTaskId(): string | null
  /** Current step of the active task, or null. */
  currentStep(): StepDefinition<W> | null
  /** Detailed progress of a task. */
  progress(taskId: string): TaskProgress
  /** JSON-serialisable rows for every task, in definition order. */
  snapshot(): TaskSnapshot[]
  /** Saves the full state. */
  serialize(): RunnerSave
  /** Restores a {@link RunnerSave}; throws if it does not fit the definitions. */
  restore(save: RunnerSave): void
  /** Subscribes to events; returns the unsubscribe function. */
  on(listener: ProcedureListener): () => void
}

interface TaskRecord {
  state: TaskState
  stepIndex: number
  pointsEarned: number
  hintedSteps: Set<string>
  mistakes: MistakeRecord[]
  completedSteps: Set<string>
  startedAtMs: number
  endedAtMs: number
  stepStartedAtMs: number
  failure: TaskProgress['failure']
}

function freshRecord(): TaskRecord {
  return { state: 'pending', stepIndex: -1, pointsEarned: 0, hintedSteps: new Set(), mistakes: [], completedSteps: new Set(), startedAtMs: 0, endedAtMs: 0, stepStartedAtMs: 0, failure: null }
}

// Catches broken task data at startup rather than mid-procedure.
function validate<W>(definitions: readonly ProcedureDefinition<W>[]): void {
  const ids = new Set<string>()
  for (const def of definitions) {
    if (ids.has(def.id)) throw new Error(`duplicate task id '${def.id}'`)
    ids.add(def.id)
    const stepIds = new Set<string>()
    for (const step of def.steps) {
      if (stepIds.has(step.id)) throw new Error(`task '${def.id}': duplicate step id '${step.id}'`)
      stepIds.add(step.id)
      if (!(step.points >= 0)) throw new Error(`task '${def.id}' step '${step.id}': points must be ≥ 0`)
    }
    if (!def.steps.some((s) => !s.branch)) throw new Error(`task '${def.id}' has no main-sequence step`)
    for (const step of def.steps) {
      const targets = [...Object.values(step.onError ?? {}), ...(step.next ? [step.next] : [])]
      for (const t of targets) if (!stepIds.has(t)) throw new Error(`task '${def.id}' step '${step.id}': unknown target step '${t}'`)
    }
  }
}

function describe(a: DispatchAction): string {
  return [a.type, a.fixture, a.item, a.value === undefined ? undefined : String(a.value)].filter((x) => x !== undefined).join(' ')
}

/** Creates a runner over `definitions` (validated; throws on broken data). */
export function createProcedureRunner<W = unknown>(definitions: readonly ProcedureDefinition<W>[], options: ProcedureRunnerOptions<W>): ProcedureRunner<W> {
  validate(definitions)
  const hintCost = options.hintCost ?? 5
  const mistakePenalty = options.mistakePenalty ?? 3
  const timeBonusMax = options.timeBonusMax ?? 20
  const now = options.clockMs
  const world = () => (options.world ? options.world() : (undefined as W))
  const byId = new Map(definitions.map((d) => [d.id, d]))
  const records = new Map<string, TaskRecord>(definitions.map((d) => [d.id, freshRecord()]))
  const listeners: ProcedureListener[] = []
  // Events are queued while state changes and flushed afterwards, so listeners see a consistent runner.
  const queue: ProcedureEvent[] = []
  let active: string | null = null

  const def = (id: string) => {
    const d = byId.get(id)
    if (!d) throw new Error(`unknown task '${id}'`)
    return d
  }
  const rec = (id: string) => records.get(id) as TaskRecord

  function elapsed(r: TaskRecord): number {
    if (r.state === 'pending') return 0
    return (r.state === 'active' ? now() : r.endedAtMs) - r.startedAtMs
  }

  function timeBonus(d: ProcedureDefinition<W>, r: TaskRecord): number {
    if (r.state !== 'done' || !d.parTimeS) return 0
    const t = elapsed(r) / 1000
    const f = (2 * d.parTimeS - t) / d.parTimeS
    return Math.round(timeBonusMax * (f < 0 ? 0 : f > 1 ? 1 : f))
  }

  function score(d: ProcedureDefinition<W>, r: TaskRecord): number {
    const s = r.pointsEarned - r.hintedSteps.size * hintCost - r.mistakes.length * mistakePenalty + timeBonus(d, r)
    return s > 0 ? s : 0
  }

  function emit(type: ProcedureEventType, taskId: string, stepId: string | null, extra?: Partial<ProcedureEvent>): void {
    const r = rec(taskId)
    queue.push({ type, taskId, stepId, atMs: now(), elapsedMs: elapsed(r), ...extra })
  }

  function flush(): void {
    while (queue.length > 0) {
      const e = queue.shift() as ProcedureEvent
      for (const l of listeners.slice()) l(e)
    }
  }

  function currentOf(taskId: string): StepDefinition<W> | null {
    const r = rec(taskId)
    if (r.state !== 'active') return null
    return def(taskId).steps[r.stepIndex] ?? null
  }

  function finish(taskId: string, state: 'done' | 'failed', failure: TaskProgress['failure']): void {
    const r = rec(taskId)
    r.endedAtMs = now()
    r.state = state
    r.failure = failure
    if (active === taskId) active = null
    const d = def(taskId)
    const stepId = state === 'done' ? null : (d.steps[r.stepIndex]?.id ?? null)
    emit(state === 'done' ? 'task-completed' : 'task-failed', taskId, stepId, failure ? { score: score(d, r), reason: failure } : { score: score(d, r) })
  }

  function goTo(taskId: string, index: number): void {
    const r = rec(taskId)
    r.stepIndex = index
    r.stepStartedAtMs = now()
    emit('step-started', taskId, def(taskId).steps[index].id)
  }

  function nextIndex(d: ProcedureDefinition<W>, from: number): number {
    const step = d.steps[from]
    if (step.next) return d.steps.findIndex((s) => s.id === step.next)
    // A branch runs on through the steps after it until one names its `next`.
    if (step.branch) return from + 1 < d.steps.length ? from + 1 : -1
    for (let i = from + 1; i < d.steps.length; i++) if (!d.steps[i].branch) return i
    return -1
  }

  function completeStep(taskId: string): void {
    const d = def(taskId)
    const r = rec(taskId)
    const step = d.steps[r.stepIndex]
    const first = !r.completedSteps.has(step.id)
    if (first) {
      r.completedSteps.add(step.id)
      r.pointsEarned += step.points
    }
    emit('step-completed', taskId, step.id, { points: first ? step.points : 0 })
    const n = nextIndex(d, r.stepIndex)
    if (n < 0) finish(taskId, 'done', null)
    else goTo(taskId, n)
  }

  // Completes consecutive auto steps whose condition already holds (bounded: no infinite loops).
  function runAutoSteps(taskId: string): void {
    const d = def(taskId)
    for (let guard = 0; guard <= d.steps.length; guard++) {
      const step = currentOf(taskId)
      if (!step || !step.auto) return
      const w = world()
      if (step.precondition && !step.precondition(w)) return
      if (step.verify && !step.verify(w)) return
      if (!step.verify) return // an auto step without a condition waits for its action
      completeStep(taskId)
    }
  }

  function mistake(taskId: string, code: ErrorCode, action: string): void {
    const d = def(taskId)
    const r = rec(taskId)
    const step = d.steps[r.stepIndex]
    r.mistakes.push({ stepId: step.id, code, atMs: elapsed(r), action })
    emit('mistake', taskId, step.id, { code, points: -mistakePenalty })
    if (d.maxMistakes !== undefined && r.mistakes.length > d.maxMistakes) {
      finish(taskId, 'failed', 'too-many-mistakes')
      return
    }
    const target = step.onError?.[code]
    if (target) {
      emit('branch', taskId, step.id, { code, toStepId: target })
      goTo(taskId, d.steps.findIndex((s) => s.id === target))
    } else if (code === 'timeout') {
      finish(taskId, 'failed', 'timeout')
    }
  }

  function valueMatches(step: StepDefinition<W>, given: ActionValue | undefined, w: W): boolean {
    const spec = step.action.value
    if (spec === undefined) return true
    const expected = typeof spec === 'function' ? spec(w) : spec
    if (typeof expected === 'number') {
      return typeof given === 'number' && Number.isFinite(given) && Math.abs(given - expected) <= (step.action.tolerance ?? 0) + 1e-9
    }
    return given === expected
  }

  function judge(taskId: string, step: StepDefinition<W>, action: DispatchAction): DispatchResult {
    const base = { taskId, stepId: step.id }
    const fixtureOk = step.action.fixture === '*' || step.action.fixture === action.fixture
    const typeOk = step.action.type === action.type
    if (!fixtureOk && !typeOk) return { outcome: 'ignored', ...base }
    const w = world()
    if (step.precondition && !step.precondition(w)) {
      emit('action-rejected', taskId, step.id, { code: 'precondition-failed' })
      return { outcome: 'rejected', code: 'precondition-failed', ...base }
    }
    let code: ErrorCode | null = null
    if (!typeOk) code = 'wrong-action'
    else if (!fixtureOk) code = 'wrong-fixture'
    else if (step.action.item !== undefined && action.item !== step.action.item) code = 'wrong-item'
    else if (!valueMatches(step, action.value, w)) code = 'wrong-value'
    else if (step.verify && !step.verify(w)) {
      if (step.auto) return { outcome: 'waiting', ...base }
      code = 'verify-failed'
    }
    if (code) {
      mistake(taskId, code, describe(action))
      return { outcome: 'mistake', code, ...base }
    }
    completeStep(taskId)
    runAutoSteps(taskId)
    return { outcome: rec(taskId).state === 'done' ? 'completed' : 'advanced', ...base }
  }

  const runner: ProcedureRunner<W> = {
    definitions,
    start(taskId) {
      const d = def(taskId)
      if (active && active !== taskId) throw new Error(`task '${active}' is active; finish or abort it first`)
      const r = freshRecord()
      records.set(taskId, r)
      r.state = 'active'
      r.startedAtMs = now()
      active = taskId
      emit('task-started', taskId, null)
      goTo(taskId, d.steps.findIndex((s) => !s.branch))
      runAutoSteps(taskId)
      flush()
    },
    abort() {
      if (!active) return
      finish(active, 'failed', 'aborted')
      flush()
    },
    dispatch(action) {
      if (!active) return { outcome: 'inactive', taskId: null, stepId: null }
      const step = currentOf(active) as StepDefinition<W>
      const result = judge(active, step, action)
      flush()
      return result
    },
    tick() {
      if (!active) return
      const taskId = active
      const step = currentOf(taskId)
      if (!step) return
      const r = rec(taskId)
      if (step.timeLimitS !== undefined && now() - r.stepStartedAtMs > step.timeLimitS * 1000) {
        // Branches restart the step clock (goTo); without a timeout branch the task fails.
        mistake(taskId, 'timeout', '')
      }
      if (rec(taskId).state === 'active') runAutoSteps(taskId)
      if (queue.length > 0) flush()
    },
    requestHint() {
      if (!active) return null
      const step = currentOf(active)
      if (!step) return null
      const r = rec(active)
      if (!r.hintedSteps.has(step.id)) {
        r.hintedSteps.add(step.id)
        emit('hint', active, step.id, { points: -hintCost })
        flush()
      }
      return step.hint
    },
    activeTaskId: () => active,
    currentStep: () => (active ? currentOf(active) : null),
    progress(taskId) {
      const d = def(taskId)
      const r = rec(taskId)
      return {
        ...row(d, r),
        pointsEarned: r.pointsEarned,
        hintsUsed: r.hintedSteps.size,
        timeBonus: timeBonus(d, r),
        mistakeLog: r.mistakes.slice(),
        completedSteps: [...r.completedSteps],
        failure: r.failure,
      }
    },
    snapshot: () => definitions.map((d) => row(d, rec(d.id))),
    serialize() {
      return {
        version: 1,
        activeTaskId: active,
        tasks: definitions.map((d) => {
          const r = rec(d.id)
          return {
            id: d.id,
            state: r.state,
            stepIndex: r.stepIndex,
            pointsEarned: r.pointsEarned,
            hintedSteps: [...r.hintedSteps],
            mistakes: r.mistakes.map((m) => ({ ...m })),
            completedSteps: [...r.completedSteps],
            elapsedMs: elapsed(r),
            stepElapsedMs: r.state === 'active' ? now() - r.stepStartedAtMs : 0,
            failure: r.failure,
          }
        }),
      }
    },
    restore(save) {
      if (!save || save.version !== 1) throw new Error('unsupported procedure save version')
      const t = now()
      const next = new Map<string, TaskRecord>()
      for (const d of definitions) next.set(d.id, freshRecord())
      for (const s of save.tasks) {
        const d = def(s.id)
        if (s.state === 'active' && !(s.stepIndex >= 0 && s.stepIndex < d.steps.length)) throw new Error(`save: bad step index for '${s.id}'`)
        const r: TaskRecord = {
          state: s.state,
          stepIndex: s.stepIndex,
          pointsEarned: s.pointsEarned,
          hintedSteps: new Set(s.hintedSteps),
          mistakes: s.mistakes.map((m) => ({ ...m })),
          completedSteps: new Set(s.completedSteps),
          startedAtMs: t - s.elapsedMs,
          endedAtMs: t,
          stepStartedAtMs: t - s.stepElapsedMs,
          failure: s.failure,
        }
        next.set(s.id, r)
      }
      if (save.activeTaskId !== null && next.get(save.activeTaskId)?.state !== 'active') throw new Error('save: active task is not active')
      records.clear()
      for (const [k, v] of next) records.set(k, v)
      active = save.activeTaskId
    },
    on(listener) {
      listeners.push(listener)
      return () => {
        const i = listeners.indexOf(listener)
        if (i >= 0) listeners.splice(i, 1)
      }
    },
  }

  function row(d: ProcedureDefinition<W>, r: TaskRecord): TaskSnapshot {
    const step = r.state === 'active' || r.state === 'failed' ? (d.steps[r.stepIndex]?.id ?? null) : null
    const stepIndex = r.state === 'pending' ? -1 : r.state === 'done' ? d.steps.length : r.stepIndex
    return { id: d.id, state: r.state, step, stepIndex, score: score(d, r), mistakes: r.mistakes.length, elapsedMs: elapsed(r) }
  }

  return runner
}
