import type { DispatchAction, ProcedureDefinition, ProcedureRunner, RunnerSave } from './procedure-engine'

/**
 * Tianhe together (issue 18): one procedure state for a crew of up to three. The server keeps the
 * crew's completed steps as keys `taskId/stepId`; it accepts a step only if {@link checkCrewStep}
 * says so, and every client folds the shared set into its own runner with {@link mergeCrewSteps}.
 * Framework-free, so the Colyseus server and the browser judge with the same rules.
 */

/** Why the server refuses a crew step (sent back as the `refused` reason). */
export type CrewStepRefusal = 'task-malformed' | 'task-unknown' | 'task-order'

/** The wire form of one completed step. */
export function crewStepKey(taskId: string, stepId: string): string {
  return `${taskId}/${stepId}`
}

const KEY = /^([a-z0-9-]{1,32})\/([a-z0-9-]{1,32})$/

/** Splits a {@link crewStepKey}; null when it is not one (wrong type, characters or length). */
export function parseCrewStepKey(key: unknown): { taskId: string; stepId: string } | null {
  if (typeof key !== 'string') return null
  const m = KEY.exec(key)
  return m ? { taskId: m[1], stepId: m[2] } : null
}

/** Set-like view of the keys already completed (a Map, a Set or Colyseus' MapSchema). */
export interface CrewStepsDone {
  has(key: string): boolean
}

/** Per task: each step's index and the main-sequence steps that must be done before it. */
export interface CrewProcedures {
  readonly tasks: ReadonlyMap<string, { readonly steps: ReadonlyMap<string, readonly string[]> }>
}

/**
 * Precomputes the order rules of `definitions`: a main-sequence step needs every main step
 * before it; a branch step (a repair path reached by a mistake) needs the main steps before the
 * step that branches into it, since that step is where the crew is when the mistake happens.
 */
export function createCrewProcedures<W>(definitions: readonly ProcedureDefinition<W>[]): CrewProcedures {
  const tasks = new Map<string, { steps: Map<string, string[]> }>()
  for (const def of definitions) {
    const steps = new Map<string, string[]>()
    const mains: string[] = []
    // Main step that leads into each branch chain (by the chain's first step).
    const entry = new Map<string, number>()
    def.steps.forEach((s) => {
      if (s.branch) return
      for (const t of Object.values(s.onError ?? {})) if (t && !entry.has(t)) entry.set(t, mains.length)
      mains.push(s.id)
    })
    let chainNeeds: string[] = []
    let mainSeen = 0
    def.steps.forEach((s, i) => {
      if (!s.branch) {
        steps.set(s.id, mains.slice(0, mainSeen))
        mainSeen++
        return
      }
      // The head of a chain is a branch whose predecessor is not a branch, or any branch named in onError.
      const head = i === 0 || !def.steps[i - 1].branch || entry.has(s.id)
      if (head) chainNeeds = mains.slice(0, entry.get(s.id) ?? mainSeen)
      steps.set(s.id, chainNeeds)
    })
    tasks.set(def.id, { steps })
  }
  return { tasks }
}

/**
 * Whether the crew may mark `key` done now: null when yes (or when it is done already, which
 * changes nothing), else why not. The server's judge; clients only send steps their own runner
 * completed, so a refusal means a stale or a hostile client.
 */
export function checkCrewStep(procedures: CrewProcedures, done: CrewStepsDone, key: unknown): CrewStepRefusal | null {
  const parsed = parseCrewStepKey(key)
  if (!parsed) return 'task-malformed'
  const needs = procedures.tasks.get(parsed.taskId)?.steps.get(parsed.stepId)
  if (!needs) return 'task-unknown'
  if (done.has(key as string)) return null
  for (const id of needs) if (!done.has(crewStepKey(parsed.taskId, id))) return 'task-order'
  return null
}

/** One step the crew did that this runner had not: merged by {@link mergeCrewSteps}. */
export interface MergedStep {
  taskId: string
  stepId: string
  /** The step's expected action, so the caller can apply its effect on the world (a door opened). */
  action: DispatchAction | null
}

/**
 * Folds the crew's completed steps into `runner` (through its save, so no events fire): each
 * step is marked done (its points earned); the task a visitor is on moves to its first main step
 * not yet done, or completes. With no task active, the crew's task becomes this visitor's active
 * one; a visitor busy with another task keeps it and gets the crew's steps when they start
 * that task (call again after a start). A visitor on a branch step (repairing a mistake of their
 * own) stays there. Returns the steps merged now, in definition order; [] changes nothing.
 * Idempotent: calling it again with the same set merges nothing.
 */
export function mergeCrewSteps<W>(runner: ProcedureRunner<W>, shared: Iterable<string>): MergedStep[] {
  const byTask = new Map<string, Set<string>>()
  for (const key of shared) {
    const p = parseCrewStepKey(key)
    if (!p) continue
    let set = byTask.get(p.taskId)
    if (!set) byTask.set(p.taskId, (set = new Set()))
    set.add(p.stepId)
  }
  if (byTask.size === 0) return []
  const save: RunnerSave = runner.serialize()
  const merged: MergedStep[] = []
  let changed = false
  for (const def of runner.definitions) {
    const crew = byTask.get(def.id)
    const row = save.tasks.find((t) => t.id === def.id)
    if (!crew || !row || row.state === 'done' || !def.steps.some((s) => crew.has(s.id))) continue
    const completed = new Set(row.completedSteps)
    for (const step of def.steps) {
      if (!crew.has(step.id) || completed.has(step.id)) continue
      completed.add(step.id)
      row.pointsEarned += step.points
      const a = step.action
      merged.push({ taskId: def.id, stepId: step.id, action: typeof a.value === 'function' ? null : { type: a.type, fixture: a.fixture, item: a.item, value: a.value } })
      changed = true
    }
    row.completedSteps = [...completed]
    const open = def.steps.findIndex((s) => !s.branch && !completed.has(s.id))
    const onIt = save.activeTaskId === def.id
    if (open < 0) {
      // Every main step done by the crew: the task is done for everyone.
      row.state = 'done'
      row.stepIndex = def.steps.length - 1
      row.stepElapsedMs = 0
      row.failure = null
      if (onIt) save.activeTaskId = null
      changed = true
      continue
    }
    if (onIt) {
      const here = def.steps[row.stepIndex]
      if (here && !here.branch && completed.has(here.id) && row.stepIndex !== open) {
        row.stepIndex = open
        row.stepElapsedMs = 0
        changed = true
      }
    } else if (save.activeTaskId === null) {
      // Join the crew's task where it stands.
      save.activeTaskId = def.id
      row.state = 'active'
      row.stepIndex = open
      row.stepElapsedMs = 0
      row.failure = null
      changed = true
    }
  }
  if (changed) runner.restore(save)
  return merged
}
