import type { Quaternion, Vector3 } from 'three'
import {
  applyTianheAction,
  catchItem,
  crewStepKey,
  findLooseItem,
  grabAction,
  letGoLooseItem,
  letGoLooseItemFromState,
  locateItem,
  mergeCrewSteps,
  pinLooseItem,
  releaseItem,
  writeLooseItemState,
  type DispatchAction,
  type LooseItem,
  type ProcedureEvent,
} from '../../core/tianhe'
import { clampItemState, heldByHint, ITEM_STATE_LENGTH, lockedByOther, type LockHand, type LockTable } from '../../core/venue/item-locks'
import { fixtureHolding } from './tianhe-controls'
import type { CrewLink, TianheSession } from './tianhe-session'

/** What {@link createCrewLink} needs of the venue connection (colyseus.js in the app, a plain table in tests). */
export interface CrewLinkOptions {
  /** Who holds which task item, as the server says. */
  locks(): LockTable
  /** This visitor's session id, null when not in a room. */
  selfId(): string | null
  /** Asks the server for / gives back the lock of a task item (`state`: where it was let go floating, else null). */
  grab(item: string, hand: LockHand): void
  release(item: string, hand: LockHand, state: readonly number[] | null): void
  /** The last state the holder of `item` reported (held pose or release), if any. */
  itemState(item: string): { s: ArrayLike<number>; free: boolean } | undefined
  /** Where crew member `holder`'s `hand` is now (module space); false when it is not seen. */
  handPose(holder: string, hand: LockHand, position: Vector3, quaternion: Quaternion): boolean
}

/** The {@link CrewLink} the controls use, over the server's lock table. Allocates nothing per call. */
export function createCrewLink(options: CrewLinkOptions): CrewLink {
  const state = new Array<number>(ITEM_STATE_LENGTH).fill(0)
  return {
    heldByOther(item) {
      return lockedByOther(options.locks(), options.selfId(), item)
    },
    took(item, hand) {
      options.grab(item, hand)
    },
    letGo(item, hand, released) {
      if (!released) return options.release(item, hand, null)
      // The clamped numbers drive this module too, so every module drifts from the same state.
      clampItemState(writeLooseItemState(released, state))
      letGoLooseItemFromState(released, state)
      options.release(item, hand, state)
    },
    heldPose(item, position, quaternion) {
      const lock = lockedByOther(options.locks(), options.selfId(), item)
      if (!lock) return false
      if (options.handPose(lock.holder, lock.hand === 'left' ? 'left' : 'right', position, quaternion)) return true
      // Their hand is not seen (yet): where they last reported the item.
      const held = options.itemState(item)
      if (!held || held.free || held.s.length < ITEM_STATE_LENGTH) return false
      position.set(held.s[0], held.s[1], held.s[2])
      quaternion.set(held.s[3], held.s[4], held.s[5], held.s[6])
      return true
    },
  }
}

/** The step types whose effect on the module is a fact for the whole crew (a door, a switch, a console). */
const SHARED_EFFECTS = new Set(['press', 'ack', 'turn'])

/**
 * Folds the crew's completed steps (`taskId/stepId` → who) into this visitor's runner and world:
 * the steps are done here too, and the switches, doors and consoles they changed are changed
 * here too (the items stay where this visitor's module has them; see the venue README). Says
 * who did the last one on the status line. Returns how many steps were merged.
 */
export function applyCrewSteps(session: TianheSession, shared: ReadonlyMap<string, string>): number {
  const merged = mergeCrewSteps(session.runner, shared.keys())
  if (merged.length === 0) return 0
  for (const step of merged) {
    if (!step.action) continue
    if (SHARED_EFFECTS.has(step.action.type)) applyTianheAction(session.world, step.action)
    else moveCrewItem(session, step.action)
  }
  const last = merged[merged.length - 1]
  const by = shared.get(crewStepKey(last.taskId, last.stepId)) || '?'
  const done = session.runner.activeTaskId() === null && session.runner.progress(last.taskId).state === 'done'
  session.status = done
    ? { text: { zh: `${by} 完成了任务。`, en: `${by} finished the task.` }, tone: 'good' }
    : { text: { zh: `${by} 完成了一步。`, en: `${by} completed a step.` }, tone: 'good' }
  if (session.runner.activeTaskId() === last.taskId) session.tabletPage = 'procedure'
  session.version++
  return merged.length
}

const STILL = { x: 0, y: 0, z: 0 }

/**
 * Puts `item` in this module's hands the way a crew mate's action found it: off the fixture that
 * holds it, or caught where it floats. False when the fixture will not give it up.
 */
function pickUpForCrew(session: TianheSession, item: string): boolean {
  const { world } = session
  const at = fixtureHolding(session, item)
  if (at) {
    const take = grabAction(world, at, item)
    if (!take || take.item !== item) return false
    applyTianheAction(world, take)
  } else if (locateItem(world, item, session.location).kind === 'free') {
    catchItem(world, item)
  }
  return true
}

/**
 * A crew mate's `grab` or `place` step, in this module: the item leaves the fixture this module
 * has it at (grab: it floats where it was last drawn, which is their hand while they hold it) or
 * goes into the fixture they put it in (place). Done with the world's own rules (taken off its
 * fixture, then placed), so a place this module cannot do (a full slot) leaves the item floating.
 * An item in this visitor's own hand is theirs and stays. Returns true when the item moved.
 */
export function moveCrewItem(session: TianheSession, action: DispatchAction): boolean {
  const { world } = session
  const item = action.item
  if (!item || world.held.includes(item) || (action.type !== 'grab' && action.type !== 'place')) return false
  const loose = findLooseItem(session.items, item)
  if (!pickUpForCrew(session, item)) return false
  if (!world.held.includes(item)) return false
  if (action.type === 'place' && applyTianheAction(world, action)) {
    if (loose) pinLooseItem(loose)
    return true
  }
  releaseItem(world, item)
  if (loose) letGoLooseItem(loose, loose.position, STILL)
  return true
}

/**
 * A crew mate let `item` go floating with `state` (their module's numbers, through the server):
 * this module takes it off whatever fixture it has it at and lets it drift from exactly that
 * state, so it floats on along the same path as in theirs. An item in this visitor's own hand is
 * theirs and stays. Returns true when the item now drifts from `state`.
 */
export function driftCrewItem(session: TianheSession, item: string, state: ArrayLike<number>): boolean {
  const { world } = session
  if (world.held.includes(item) || state.length < ITEM_STATE_LENGTH) return false
  const loose = findLooseItem(session.items, item)
  if (!loose) return false
  if (!pickUpForCrew(session, item)) return false
  if (world.held.includes(item)) releaseItem(world, item)
  letGoLooseItemFromState(loose, state)
  session.version++
  return true
}

/**
 * The state this visitor reports for a task item it holds (its drawn pose; still, since the hand
 * carries it), clamped into bounds; written into `out`. Null when it is not a loose item.
 */
export function heldItemState(session: TianheSession, item: string, out: number[]): number[] | null {
  const loose: LooseItem | null = findLooseItem(session.items, item)
  return loose ? clampItemState(writeLooseItemState(loose, out)) : null
}

/** The crew step a runner event completed (`taskId/stepId`), or null for any other event. */
export function completedStepKey(event: ProcedureEvent): string | null {
  return event.type === 'step-completed' && event.stepId ? crewStepKey(event.taskId, event.stepId) : null
}

/**
 * The server gave the lock of `item` to someone else first (two hands closed on it at once):
 * this visitor's hand opens and the item floats where it was, and the status line says who has it.
 */
export function loseItem(session: TianheSession, item: string, holderName: string): void {
  for (const side of ['left', 'right'] as const) {
    const hand = session.hands[side]
    if (hand.holding !== 'item' || hand.item !== item) continue
    hand.holding = 'none'
    hand.item = null
    if (session.world.held.includes(item)) releaseItem(session.world, item)
    const loose = findLooseItem(session.items, item)
    if (loose) letGoLooseItem(loose, hand.world, { x: 0, y: 0, z: 0 })
  }
  session.status = { text: heldByHint(holderName), tone: 'bad' }
  session.version++
}
