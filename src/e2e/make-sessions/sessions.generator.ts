import { createReplayPlayer } from '../../core/replay/replay-player'
import { expect, test } from '../fixtures'
import { snapshot } from '../lingjing-page'
import { takeLivestreamHostWave, takeMascotPhonePlaceWave, takeMascotPlaceWave, takePortalToTianhe } from '../session-takes'
import { TASK_SESSIONS, enterTianhe, frames, parkLeft, runTask, saveTake, tabletPage, tapTablet, tasks } from '../tianhe-driver'
import { EXPERIENCE_SESSIONS_GENERATOR, LIVESTREAM_HOST_WAVE, MASCOT_PHONE_PLACE_WAVE, MASCOT_PLACE_WAVE } from '../../tools/make-experience-sessions'
import { PORTAL_TO_TIANHE, SESSIONS_GENERATOR, markSynthetic, writeShippedSession } from '../../tools/make-synthetic-sessions'

/*
 * The generator of the shipped sessions under xr-sessions/: each test records one take live in the
 * emulator with the app's own recorder (the same takes the e2e specs check), and writes NAME.json
 * and NAME.meta.json. Not part of `npm test`; run `npm run make-sessions -- -g NAME` for one.
 * The fixture fails a take during which the page logged an error, before anything is written.
 */

const ROOT = process.cwd()
const generator = (name: string) => `${SESSIONS_GENERATOR} -- -g "${name}"`

test(PORTAL_TO_TIANHE.name, async ({ page }) => {
  const { recording } = await takePortalToTianhe(page)
  writeShippedSession(ROOT, PORTAL_TO_TIANHE.name, markSynthetic(recording, PORTAL_TO_TIANHE.description), PORTAL_TO_TIANHE.expected, generator(PORTAL_TO_TIANHE.name))
})

for (const [session, take] of [
  [LIVESTREAM_HOST_WAVE, takeLivestreamHostWave],
  [MASCOT_PLACE_WAVE, takeMascotPlaceWave],
  [MASCOT_PHONE_PLACE_WAVE, takeMascotPhonePlaceWave],
] as const) {
  test(session.name, async ({ page }) => {
    const recording = await take(page)
    writeShippedSession(ROOT, session.name, markSynthetic(recording, session.description), session.expected, `${EXPERIENCE_SESSIONS_GENERATOR} -- -g "${session.name}"`)
  })
}

// A fresh page enters the module in VR, starts the real recorder (R) at once, does the task with
// the emulated controllers, stops (R) and saves the take with the app's Save button.
for (const task of TASK_SESSIONS) {
  const name = `tianhe/${task.id}`
  test(name, async ({ page }) => {
    await enterTianhe(page)
    await parkLeft(page)
    await page.keyboard.press('r')
    await expect.poll(async () => (await snapshot(page)).recorder.recording).toBe(true)
    if (task.id === 'treadmill-exercise') {
      // The 15 s demo run, so the session stays short.
      await tabletPage(page, 'tasks')
      await tapTablet(page, 'workout:15')
    }
    await runTask(page, task.id)
    expect((await tasks(page)).find((r) => r.id === task.id)).toMatchObject({ state: 'done', mistakes: 0 })
    await frames(page, 2)
    await page.keyboard.press('r')
    await expect.poll(async () => (await snapshot(page)).recorder.recording).toBe(false)
    const recording = await saveTake(page)
    expect(recording.meta).toMatchObject({ experience: 'tianhe', mode: 'immersive-vr', device: 'IWER Meta Quest 3' })
    // The take starts with the module's state (see captureTianheSession).
    expect(recording.events[0]).toMatchObject({ frame: 0, type: 'tianhe-state' })
    console.log(`${task.id}: ${recording.frames.length} frames, ${(createReplayPlayer(recording, { mode: 'deterministic' }).durationMs / 1000).toFixed(1)} s recorded`)
    const description = `Scripted in the IWER emulator (Meta Quest 3), recorded by the app's own recorder from the moment the visitor entered the module in VR: the visitor ${task.does}. The task ends done.`
    writeShippedSession(ROOT, name, markSynthetic(recording, description), { snapshot: { experience: 'tianhe', tianhe: { taskStates: { [task.id]: 'done' } } } }, generator(name))
  })
}
