import { useEffect, useMemo } from 'react'
import type { Quaternion, Vector3 } from 'three'
import { POSE_LENGTH } from '../../core/venue/pose'
import type { ProcedureEvent, ProcedureRunner, TianheWorld } from '../../core/tianhe'
import { useLingjing } from '../../scene/lingjing-context'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import { useVenue } from '../../scene/venue/venue-context'
import { PLAYOUT_DELAY_MS } from '../../scene/venue/venue-presence'
import { applyCrewSteps, completedStepKey, createCrewLink, loseItem } from './tianhe-crew-link'
import type { TianheSession } from './tianhe-session'

/** Event a take records when the crew's steps are merged, so its replay merges the same ones at the same frame. */
export const TIANHE_CREW_EVENT = 'tianhe-crew'

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
      release: (item, hand) => c.releaseItem(item, hand),
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
  }, [venue, session, state])

  // A replay merges what the take received, at the frame it received it.
  useEffect(
    () =>
      xrSessions.onReplayEvent((event) => {
        if (event.type === TIANHE_CREW_EVENT && Array.isArray(event.data)) state.replayed = event.data.filter((k): k is string => typeof k === 'string')
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
    },
    30,
  )
  return null
}
