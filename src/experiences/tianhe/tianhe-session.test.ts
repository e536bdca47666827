import { describe, expect, it } from 'vitest'
import { createSyntheticRecording } from '../../core/replay/synthetic-session'
import { validateRecording } from '../../core/replay/validate-recording'
import { updateLooseItems, updateTianheWorld } from '../../core/tianhe'
import { TIANHE_STATE_EVENT, captureTianheSession, createTianheSession, performAction, restoreTianheSession, setWorkoutLength, startTask, type TianheSession } from './tianhe-session'

/** One fixed simulation step, as the rig's simulation system does it. */
function step(session: TianheSession, dtMs = 1000 / 90): void {
  session.simTimeMs += dtMs
  updateTianheWorld(session.world, dtMs / 1000)
  updateLooseItems(session.items, dtMs / 1000, session.layout.hull)
  session.runner.tick()
}

function picture(session: TianheSession) {
  return {
    tasks: session.runner.snapshot(),
    world: JSON.stringify(captureTianheSession(session)),
  }
}

describe('Tianhe session capture (the state a take starts from)', () => {
  it('a fresh session restored from a capture continues exactly like the original', () => {
    const live = createTianheSession()
    setWorkoutLength(live, 15)
    for (let i = 0; i < 500; i++) step(live)
    startTask(live, 'morning-check')
    performAction(live, { type: 'press', fixture: 'console-main' })
    live.body.velocity.set(0.2, 0, -0.3)
    live.tabletPage = 'comfort'
    for (let i = 0; i < 50; i++) step(live)
    const data = JSON.parse(JSON.stringify(captureTianheSession(live)))

    const replay = createTianheSession()
    expect(picture(replay)).not.toEqual(picture(live))
    restoreTianheSession(replay, data)
    expect(replay.treadmillSeconds).toBe(15)
    expect(replay.tabletPage).toBe('comfort')
    expect(replay.runner.snapshot().find((t) => t.id === 'morning-check')).toMatchObject({ state: 'active', step: 'read-pressure' })
    expect(picture(replay)).toEqual(picture(live))
    // Same steps from here give the same state (cabin drift, tools, timings).
    for (let i = 0; i < 300; i++) {
      step(live)
      step(replay)
    }
    expect(picture(replay)).toEqual(picture(live))
    expect(replay.world.lifeSupport.pressureKPa).toBe(live.world.lifeSupport.pressureKPa)
  })

  it('fits in a recording event', () => {
    const session = createTianheSession()
    for (let i = 0; i < 10; i++) step(session)
    const recording = createSyntheticRecording({ frames: 2, inputs: 'controllers', seed: 3 })
    recording.events.push({ frame: 0, t: 0, type: TIANHE_STATE_EVENT, data: captureTianheSession(session) })
    const checked = validateRecording(JSON.stringify(recording))
    expect(checked.ok ? 'ok' : checked.error.message.en).toBe('ok')
  })
})
