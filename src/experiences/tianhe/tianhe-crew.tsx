import { useEffect, useMemo } from 'react'
import type { Quaternion, Vector3 } from 'three'
import { POSE_LENGTH } from '../../core/venue/pose'
import { ITEM_STATE_LENGTH } from '../../core/venue/item-locks'
import { ITEM_REPORT_HZ } from '../../core/venue/protocol'
import type { VenueItemDrift } from '../../runtime/venue/venue-connection'
import type { ProcedureEvent, ProcedureRunner, TianheWorld } from '../../core/tianhe'
import { useLingjing } from '../../scene/lingjing-context'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import { useVenue } from '../../scene/venue/venue-context'
import { PLAYOUT_DELAY_MS } from '../../scene/venue/venue-presence'
import { applyCrewSteps, completedStepKey, createCrewLink, driftCrewItem, heldItemState, loseItem } from './tianhe-crew-link'
import type { TianheSession } from './tianhe-session'

const SIDES = ['left', 'right'] as const

/** Event a take records when the crew's steps are merged, so its replay merges the same ones at the same frame. */
export const TIANHE_CREW_EVENT = 'tianhe-crew'
/** Event a take records when a crew mate's released item starts drifting here: `[item, ...state]`. */
export const TIANHE_DRIFT_EVENT = 'tianhe-drift'

/**
 * Tianhe together (issue 18): links this visitor's module to the crew in the same `tianhe` room
 * (the venue connection `VenuePresence` opened). Network input enters the frame loop in the input
 * phase: the crew's steps are merged into the runner when the room's step table changed (a
 * number compared per frame), and a lock the server gave someone else first opens the hand.
 * Steps this visitor's runner completes go to the server as they happen; the controls ask the
 * lock table before taking a task item (`session.crew`). Alone (offline, replay, benchmark) it
 * does nothing. Renders nothing.
 */
export function TianheCrew({ session }: { session: TianheSession }) {
  const venue = useVenue()
  const { xrSessions } = useLingjing()
  const state = useMemo(
    () => ({
      seen: -1,
      runner: null as ProcedureRunner<TianheWorld> | null,
      off: null as (() => void) | null,
      dirty: false,
      lost: [] as string[],
      pose: new Float32Array(POSE_LENGTH),
      replayed: null as string[] | null,
      /** Per item, the drift `seq` already applied (a new one is a new release). */
      driftSeq: new Map<string, number>(),
      /** The session the `driftSeq`s belong to: a new session (a rejoin after a restart) is a new room whose counts start again. */
      driftSession: null as string | null,
      /** Drifts received in a replay, applied on the next frame: `[item, ...state]`. */
      replayedDrifts: [] as (string | number)[][],
      report: new Array<number>(ITEM_STATE_LENGTH).fill(0),
      lastReport: -Infinity,
      recording: false,
      visit: null as null | ((drift: VenueItemDrift, item: string) => void),
    }),
    [],
  )

  useEffect(() => {
    if (!venue) return
    const c = venue.connection
    const pose = state.pose
    session.crew = createCrewLink({
      locks: () => c.locks(),
      selfId: () => c.selfId(),
      grab: (item, hand) => c.grabItem(item, hand),
      release: (item, hand, s) => c.releaseItem(item, hand, s),
      itemState: (item) => c.itemDrifts().get(item),
      handPose(holder: string, hand: 'left' | 'right', position: Vector3, quaternion: Quaternion) {
        const peer = c.peers.get(holder)
        if (!peer || !c.poses.sample(peer.slot, performance.now() - PLAYOUT_DELAY_MS, pose)) return false
        const o = hand === 'left' ? 7 : 14
        if (pose[o + 3] === 0 && pose[o + 4] === 0 && pose[o + 5] === 0 && pose[o + 6] === 0) {
          // A crew member on a flat screen has no tracked hands: the item floats before their face.
          position.set(pose[0], pose[1] - 0.25, pose[2])
          quaternion.set(pose[3], pose[4], pose[5], pose[6])
          return true
        }
        position.set(pose[o], pose[o + 1], pose[o + 2])
        quaternion.set(pose[o + 3], pose[o + 4], pose[o + 5], pose[o + 6])
        return true
      },
    })
    // Walks the room's item states once per frame (created once: no per-frame closure).
    state.visit = (drift, item) => {
      if (!drift.free || state.driftSeq.get(item) === drift.seq) return
      state.driftSeq.set(item, drift.seq)
      // Taken again already (their release and a new grab in one patch): the holder's hand has it.
      if (c.locks().get(item)) return
      if (driftCrewItem(session, item, drift.s) && state.recording) xrSessions.recordEvent(TIANHE_DRIFT_EVENT, [item, ...Array.from(drift.s)])
    }
    const offRefused = c.onRefused((reason, refusal) => {
      if (reason === 'item-held' && refusal.item) state.lost.push(refusal.item)
    })
    return () => {
      session.crew = null
      offRefused()
      state.off?.()
      state.off = null
      state.runner = null
    }
  }, [venue, session, state, xrSessions])

  // A replay merges what the take received, at the frame it received it.
  useEffect(
    () =>
      xrSessions.onReplayEvent((event) => {
        if (event.type === TIANHE_CREW_EVENT && Array.isArray(event.data)) state.replayed = event.data.filter((k): k is string => typeof k === 'string')
        if (event.type === TIANHE_DRIFT_EVENT && Array.isArray(event.data) && event.data.length === 1 + ITEM_STATE_LENGTH && typeof event.data[0] === 'string') {
          state.replayedDrifts.push(event.data as (string | number)[])
        }
      }),
    [xrSessions, state],
  )

  useFrameSystem(
    'tianhe-crew',
    'input',
    () => {
      if (state.replayed) {
        applyCrewSteps(session, new Map(state.replayed.map((k) => [k, ''])))
        state.replayed = null
      }
      while (state.replayedDrifts.length > 0) {
        const d = state.replayedDrifts.shift()!
        driftCrewItem(session, d[0] as string, d.slice(1) as number[])
      }
      if (!venue) return
      const c = venue.connection
      if (c.state !== 'online') return
      // The runner is replaced when the workout length changes: listen to the current one.
      if (state.runner !== session.runner) {
        state.off?.()
        state.runner = session.runner
        state.off = session.runner.on((event: ProcedureEvent) => {
          const key = completedStepKey(event)
          if (key && !c.tasks().has(key)) c.completeTask(key)
          // Starting a task the crew is on: its steps come in on the next frame.
          if (event.type === 'task-started') state.dirty = true
        })
      }
      const version = c.crewVersion()
      if (version !== state.seen || state.dirty) {
        state.seen = version
        state.dirty = false
        const tasks = c.tasks()
        if (tasks.size > 0 && applyCrewSteps(session, tasks) > 0 && xrSessions.recorder.recording) {
          xrSessions.recordEvent(TIANHE_CREW_EVENT, [...tasks.keys()])
        }
      }
      while (state.lost.length > 0) {
        const item = state.lost.pop()!
        loseItem(session, item, c.locks().get(item)?.name ?? '?')
      }
      // A crew mate let an item go floating: it drifts here from the very state it left their hand with.
      state.recording = xrSessions.recorder.recording
      if (c.selfId() !== state.driftSession) {
        state.driftSession = c.selfId()
        state.driftSeq.clear()
      }
      c.itemDrifts().forEach(state.visit!)
      // Task items in this visitor's hands: where they are, a few times a second, for the crew.
      const now = performance.now()
      if (now - state.lastReport >= 1000 / ITEM_REPORT_HZ) {
        state.lastReport = now
        const self = c.selfId()
        for (const side of SIDES) {
          const hand = session.hands[side]
          if (hand.holding !== 'item' || !hand.item || c.locks().get(hand.item)?.holder !== self) continue
          if (heldItemState(session, hand.item, state.report)) c.reportItem(hand.item, state.report)
        }
      }
    },
    30,
  )
  return null
}
