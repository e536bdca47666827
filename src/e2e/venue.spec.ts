import type { Browser, Page } from '@playwright/test'
import { expect, test, type PageErrors } from './fixtures'
import { enterXR, openExperience, replayPath, snapshot } from './lingjing-page'
import { recorderSection, saveTake } from './session-takes'
import { toggleRecordingKey } from '../tools/make-experience-sessions'
import type { RecordingEvent } from '../core/replay/recording-format'
import { HEAD, add, aim, aimAtFixture, button, frames, pull, showTablet, tabletPage, tapTablet, tasks, th, towards } from './tianhe-driver'
import { aim as aimAlong, holdPose, pressAndRelease } from './xr-input'

/**
 * The shared venue (issue 18) with two visitors: two browser contexts on the preview server, whose
 * embedded Colyseus server (src/tools/vite-plugin-venue.ts) puts both in the hub's `venue` room.
 * Each is in VR through the IWER emulator; what one visitor does is checked in the OTHER one's
 * `snapshot().venue` (what it received over the network and interpolated).
 */

const venue = async (page: Page) => (await snapshot(page)).venue!

async function visitor(browser: Browser, baseURL: string, name: string, pageErrors: PageErrors, path = '/', vr = true): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 480, height: 270 } })
  const page = await context.newPage()
  pageErrors.watch(context)
  await openExperience(page, `${path}${path.includes('?') ? '&' : '?'}lang=en&name=${encodeURIComponent(name)}`)
  if (vr) await enterXR(page, 'VR')
  return { page, close: () => context.close() }
}

const danmakuRecent = async (page: Page) => (await snapshot(page)).broadcast!.danmaku.recent
const avatar = async (page: Page) => (await snapshot(page)).avatar!

test("two visitors meet in the hub, see each other move, are both in Xiaoguan's group photo; Ada's take with Bo replays Bo; leaving removes the peer", async ({ browser, baseURL, pageErrors }) => {
  // One pair of visitors for the whole visit: two software-rendered VR pages take a while to open.
  test.setTimeout(300_000)
  const ada = await visitor(browser, baseURL!, 'Ada', pageErrors)
  const bo = await visitor(browser, baseURL!, 'Bo', pageErrors)
  try {
    await expect.poll(async () => (await venue(ada.page)).state, { timeout: 30_000 }).toBe('online')
    await expect.poll(async () => (await venue(bo.page)).state, { timeout: 30_000 }).toBe('online')
    const a = await venue(ada.page)
    const b = await venue(bo.page)
    expect(a.room).toBe('venue')
    expect(b.roomId).toBe(a.roomId)

    // Each sees the other (and only the other) among the peers.
    await expect.poll(async () => (await venue(ada.page)).peers.map((p) => p.name), { timeout: 30_000 }).toEqual(['Bo'])
    await expect.poll(async () => (await venue(bo.page)).peers.map((p) => p.name), { timeout: 30_000 }).toEqual(['Ada'])
    expect((await venue(ada.page)).peers[0]).toMatchObject({ id: b.selfId, experience: 'venue', role: 'visitor' })
    // Bo draws Ada, in full or as a stand-in whatever the governor's level, with her name tag: nobody vanishes.
    await expect.poll(async () => { const d = (await venue(bo.page)).drawn; return [d.full + d.low, d.tags] }, { timeout: 10_000 }).toEqual([1, 1])

    // Moving Ada's right controller moves Bo's view of that hand. Bo sees the grip pose in the
    // world (the hub's XR origin stands at z = 1.5), a few cm from the emulator's controller
    // origin, so first find where the hand is, then check the move.
    const near = (got: number[] | undefined, want: number[], tol: number) => !!got && got.length === 3 && got.every((v, i) => Math.abs(v - want[i]) <= tol)
    await holdPose(ada.page, { head: [0, 1.6, 0], right: [0.3, 1.2, -0.4], left: [-0.3, 1.2, -0.4] })
    await expect.poll(async () => near((await venue(bo.page)).peers[0]?.right, [0.3, 1.2, 1.1], 0.08), { timeout: 30_000 }).toBe(true)
    await bo.page.waitForTimeout(500) // let the interpolation settle on the held pose
    const before = (await venue(bo.page)).peers[0].right
    await holdPose(ada.page, { head: [0, 1.6, 0], right: [0.6, 1.5, -0.2] })
    const after = [before[0] + 0.3, before[1] + 0.3, before[2] + 0.2]
    await expect.poll(async () => near((await venue(bo.page)).peers[0]?.right, after, 0.01), { timeout: 30_000 }).toBe(true)
    // Poses keep flowing (20 Hz): Bo's copy of Ada is fresh, and traffic is counted both ways.
    const seen = await venue(bo.page)
    expect(seen.peers[0].lastUpdateMs).toBeGreaterThanOrEqual(0)
    expect(seen.peers[0].lastUpdateMs).toBeLessThan(5000)
    await expect.poll(async () => (await venue(ada.page)).sentBps, { timeout: 10_000 }).toBeGreaterThan(0)
    await expect.poll(async () => (await venue(bo.page)).receivedBps, { timeout: 10_000 }).toBeGreaterThan(0)
    await expect.poll(async () => (await venue(bo.page)).rttMs, { timeout: 10_000 }).not.toBeNull()

    // Ada records a take through the group photo and while Bo moves: it keeps what Ada received as events.
    await toggleRecordingKey(ada.page)
    await expect.poll(async () => (await recorderSection(ada.page)).recording, { timeout: 10_000 }).toBe(true)

    // Xiaoguan's group photo.
    const adaId = (await venue(ada.page)).selfId!
    const boId = (await venue(bo.page)).selfId!
    // Ada points at Xiaoguan's "Group photo" button (poses are in the hub's XR origin space, z = 1.5) and clicks.
    const [bx, by, bz] = (await snapshot(ada.page)).hubGuide!.buttons['guide-photo']
    await aimAlong(ada.page, 'right', [bx, by, bz + 0.5 - 1.5], [0, 0, -1])
    const download = ada.page.waitForEvent('download', { timeout: 60_000 })
    await pressAndRelease(ada.page, 'right', 600)
    // The countdown is the room's: Bo sees Ada's, and both gather into the same arrangement.
    await expect.poll(async () => (await snapshot(bo.page)).groupPhoto, { timeout: 15_000 }).toMatchObject({ by: adaId, arrangement: [adaId, boId].sort() })
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^lingjing-group-photo-\d{3}\.jpg$/)
    await file.saveAs('test-results/screenshots/venue-group-photo.jpg') // kept to look at
    const shot = (await snapshot(ada.page)).groupPhoto!.last!
    // Counted from the photo camera's frustum: Ada (her stand-in), Bo (as Ada received him) and Xiaoguan.
    expect([...shot.inFrame].sort()).toEqual([adaId, boId, 'xiaoguan'].sort())
    expect(shot.bytes).toBeGreaterThan(10_000)
    expect((await snapshot(bo.page)).groupPhoto!.last).toBeNull() // the picture is for the one who asked
    await expect.poll(async () => (await snapshot(bo.page)).groupPhoto!.phase, { timeout: 15_000 }).toBe('idle')
    expect((await snapshot(ada.page)).errors).toEqual([])

    await holdPose(bo.page, { head: [0.2, 1.5, 0], right: [0.4, 1.1, -0.3] })
    await ada.page.waitForTimeout(2500)
    await toggleRecordingKey(ada.page)
    await expect.poll(async () => (await recorderSection(ada.page)).recording, { timeout: 10_000 }).toBe(false)
    const take = await saveTake(ada.page, 'hub')
    const peerEvents = take.events.filter((e: RecordingEvent) => e.type === 'venue-peers')
    const boPoses = peerEvents.flatMap((e) => ((e.data as { p?: (string | number)[][] }).p ?? []).filter((p) => p[0] === boId))
    expect(peerEvents[0].data).toMatchObject({ j: [[boId, 'Bo', expect.any(String), expect.any(String), 'venue', 'visitor']] })
    expect(boPoses.length).toBeGreaterThan(5)
    const lastHead = (boPoses[boPoses.length - 1].slice(1, 4) as number[]).map((v) => v / 1000)
    // The countdown Ada's page went through is in the take too: seq, who asked, name, seconds left.
    const photoEvents = take.events.filter((e: RecordingEvent) => e.type === 'venue-photo').map((e) => e.data as [number, string, string, number])
    expect(photoEvents[0]).toEqual([shot.seq, adaId, 'Ada', 3])
    expect(photoEvents.map((e) => e[3])).toEqual(expect.arrayContaining([3, 2, 1, 0]))
    expect(photoEvents.at(-1)).toEqual([shot.seq, '', 'Ada', 0])
    // Its replay, in a page of Ada's that never connects, shows Bo where Ada last received him.
    const replay = await ada.page.context().newPage()
    await replay.route('**/xr-sessions/e2e/venue-peers.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(take) }))
    await replay.goto(replayPath('e2e/venue-peers', 16))
    await replay.waitForFunction(() => window.lingjing?.snapshot().replay, null, { timeout: 60_000 })
    await expect.poll(async () => (await snapshot(replay)).replay?.ended, { timeout: 90_000 }).toBe(true)
    const replayed = await venue(replay)
    expect(replayed).toMatchObject({ state: 'offline', roomId: null })
    expect(replayed.peers.map((p) => [p.id, p.name])).toEqual([[boId, 'Bo']])
    replayed.peers[0].head.forEach((v, i) => expect(Math.abs(v - lastHead[i])).toBeLessThan(0.002))
    // The replay went through the same countdown (its recorded press asked for nothing more) and took no picture.
    expect((await snapshot(replay)).groupPhoto).toMatchObject({ phase: 'idle', seq: shot.seq, taken: 0, last: null })

    // Closing Ada's tab removes her for Bo within a few seconds.
    await ada.close()
    await expect.poll(async () => (await venue(bo.page)).peers.length, { timeout: 15_000 }).toBe(0)
    expect((await snapshot(bo.page)).errors).toEqual([])
  } finally {
    await ada.close().catch(() => {})
    await bo.close()
  }
})

test('the livestream audience is seated, the host sees them, and the audience sees the host change expression', async ({ browser, baseURL, pageErrors }) => {
  test.setTimeout(240_000)
  // The first visitor takes the stage; the second comes as audience (on flat screens: the face is what is checked).
  const anchor = await visitor(browser, baseURL!, 'Anchor', pageErrors, '/livestream', false)
  await expect.poll(async () => (await venue(anchor.page)).role, { timeout: 30_000 }).toBe('host')
  const viewer = await visitor(browser, baseURL!, 'Viewer', pageErrors, '/livestream?role=audience', false)
  try {
    const host = await venue(anchor.page)
    await expect.poll(async () => (await venue(viewer.page)).role, { timeout: 30_000 }).toBe('audience')
    const seen = await venue(viewer.page)
    expect(seen.roomId).toBe(host.roomId)
    expect(seen.hostId).toBe(host.selfId)
    expect(seen.seat).toBe(0)
    // The host's controls are the host's: the audience member's page says where they are instead.
    await expect(viewer.page.getByTestId('livestream-audience')).toContainText('In the audience')
    await expect(viewer.page.getByTestId('livestream-controls')).toHaveCount(0)
    await expect(anchor.page.getByTestId('livestream-controls')).toBeVisible()
    // The host sees the audience member, in their seat (front row, behind the programme camera).
    await expect.poll(async () => (await venue(anchor.page)).peers.map((p) => [p.name, p.role, p.seat]), { timeout: 30_000 }).toEqual([['Viewer', 'audience', 0]])
    await expect.poll(async () => (await venue(anchor.page)).peers[0]?.head[2] ?? 0, { timeout: 30_000 }).toBeGreaterThan(4)

    // The audience's copy of the host follows the network, and its face follows the host's keys.
    expect((await avatar(viewer.page)).driver).toBe('network')
    expect((await avatar(anchor.page)).driver).toBe('local')
    await anchor.page.keyboard.press('1')
    await expect.poll(async () => (await avatar(anchor.page)).expression).toBe('happy')
    await expect.poll(async () => (await avatar(viewer.page)).expression, { timeout: 15_000 }).toBe('happy')
    await expect.poll(async () => (await avatar(viewer.page)).expressionWeights?.happy ?? 0, { timeout: 15_000 }).toBeGreaterThan(0.95)
    await anchor.page.keyboard.press('5')
    await expect.poll(async () => (await avatar(viewer.page)).expression, { timeout: 15_000 }).toBe('surprised')
    await expect.poll(async () => (await avatar(viewer.page)).expressionWeights?.happy ?? 1, { timeout: 15_000 }).toBeLessThan(0.05)
    // The audience's own keys do not change the host.
    await viewer.page.keyboard.press('3')
    await viewer.page.waitForTimeout(500)
    expect((await avatar(anchor.page)).expression).toBe('surprised')
    expect((await avatar(viewer.page)).expression).toBe('surprised')

    // The audience's comment box: a line goes on air as danmaku in the host's programme, cleaned
    // like danmaku (the bidi override is gone); a second line at once is refused as too fast.
    const box = viewer.page.getByRole('textbox', { name: 'Comment' })
    await box.fill('Hello from seat one\u202e')
    await box.press('Enter')
    await expect.poll(async () => (await venue(anchor.page)).chat.map((l) => [l.name, l.text]), { timeout: 15_000 }).toEqual([['Viewer', 'Hello from seat one']])
    await expect.poll(async () => danmakuRecent(anchor.page), { timeout: 15_000 }).toContain('Hello from seat one')
    for (const line of ['two', 'three', 'four', 'five', 'six']) {
      await box.fill(line)
      await box.press('Enter')
    }
    await expect(viewer.page.locator('.venue-chat-notice')).toContainText('Too fast')
    expect((await snapshot(viewer.page)).errors).toEqual([])
  } finally {
    await viewer.close()
    await anchor.close()
  }
})

const crewItem = async (page: Page, id: string) => (await th(page)).items[id]
const crewStatus = async (page: Page) => (await th(page)).status
const near3 = (a: number[], b: number[], tol: number) => a.length === 3 && b.length === 3 && a.every((v, i) => Math.abs(v - b[i]) <= tol)

test('Tianhe together: a step one crew member completes is completed for the other, and an item one holds is locked for the other', async ({ browser, baseURL, pageErrors }) => {
  test.setTimeout(300_000) // two software-rendered VR pages of the module
  const ada = await visitor(browser, baseURL!, 'Ada', pageErrors, '/tianhe')
  const bo = await visitor(browser, baseURL!, 'Bo', pageErrors, '/tianhe')
  try {
    for (const v of [ada, bo]) {
      await holdPose(v.page, { head: HEAD, left: [-0.3, 1.1, -0.3], right: [0.3, 1.1, -0.3] })
      await expect.poll(async () => (await venue(v.page)).state, { timeout: 30_000 }).toBe('online')
    }
    expect((await venue(bo.page)).roomId).toBe((await venue(ada.page)).roomId)
    await expect.poll(async () => (await venue(bo.page)).peers.map((p) => [p.name, p.role]), { timeout: 30_000 }).toEqual([['Ada', 'crew']])

    // Ada starts the morning check and wakes the main console: Bo's procedure moves on with her.
    await tabletPage(ada.page, 'tasks')
    await tapTablet(ada.page, 'task:morning-check')
    await expect.poll(async () => (await th(ada.page)).procedure.step).toBe('wake-console')
    await showTablet(ada.page, false)
    await aimAtFixture(ada.page, 'right', 'console-main')
    await pull(ada.page, 'right')
    await expect.poll(async () => (await th(ada.page)).procedure.step).toBe('read-pressure')
    await expect.poll(async () => (await venue(bo.page)).tasks, { timeout: 15_000 }).toEqual(['morning-check/wake-console'])
    await expect.poll(async () => (await tasks(bo.page)).find((t) => t.id === 'morning-check'), { timeout: 15_000 }).toMatchObject({ state: 'active', step: 'read-pressure' })
    // The console Ada woke is awake in Bo's module too, so Bo can read the pressure now.
    expect((await th(bo.page)).procedure.ready).toBe(true)
    expect((await crewStatus(bo.page))?.en).toBe('Ada completed a step.')

    // Ada takes the spare filter out of its slot: Bo sees it locked to her, in her hand.
    await aimAtFixture(ada.page, 'right', 'stowage-s08')
    await button(ada.page, 'right', 'squeeze', 1)
    await expect.poll(async () => (await th(ada.page)).hands.right.item).toBe('cartridge-new')
    await expect.poll(async () => (await venue(bo.page)).locks, { timeout: 15_000 }).toEqual({ 'cartridge-new': 'Ada' })
    await expect.poll(async () => (await crewItem(bo.page, 'cartridge-new')).heldBy).toBe('Ada')
    const inHand = async () => near3((await crewItem(bo.page, 'cartridge-new')).module, (await crewItem(ada.page, 'cartridge-new')).module, 0.1)
    await expect.poll(inHand, { timeout: 15_000 }).toBe(true)
    // It moves with her hand.
    const before = (await crewItem(bo.page, 'cartridge-new')).module
    const hand = (await th(ada.page)).hands.right.at
    await aim(ada.page, 'right', add(hand, [0, 0.4, 0]), add(hand, [0, 0.4, -1]))
    await expect.poll(async () => (await crewItem(bo.page, 'cartridge-new')).module[1] - before[1], { timeout: 15_000 }).toBeGreaterThan(0.3)
    await expect.poll(inHand, { timeout: 15_000 }).toBe(true)

    // Bo reaches for it with his grip: refused, with who holds it.
    const at = (await crewItem(bo.page, 'cartridge-new')).at
    await aim(bo.page, 'right', towards(at, HEAD, 0.4), at)
    await button(bo.page, 'right', 'squeeze', 1)
    await frames(bo.page, 3)
    expect((await th(bo.page)).hands.right.item).toBeNull()
    expect(await crewStatus(bo.page)).toMatchObject({ en: 'Held by Ada', zh: '由 Ada 拿着' })
    await button(bo.page, 'right', 'squeeze', 0)
    expect((await venue(ada.page)).locks).toEqual({ 'cartridge-new': 'Ada' })

    // Ada lets go: the lock is gone for Bo.
    await button(ada.page, 'right', 'squeeze', 0)
    await expect.poll(async () => (await venue(bo.page)).locks, { timeout: 15_000 }).toEqual({})
    expect((await crewItem(bo.page, 'cartridge-new')).heldBy).toBeNull()
    expect((await snapshot(ada.page)).errors).toEqual([])
    expect((await snapshot(bo.page)).errors).toEqual([])
  } finally {
    await ada.close()
    await bo.close()
  }
})
