import { type Page } from '@playwright/test'
import type { LiveSnapshot } from '../scene/broadcast/broadcast-snapshot'
import { expect, test } from './fixtures'
import { enterXR, openExperience, saveScreenshot, snapshot, waitFrames } from './lingjing-page'
import { startWhipServer, type WhipTestServer } from './whip-server'

async function live(page: Page): Promise<LiveSnapshot> {
  return (await snapshot(page)).broadcast!.live
}

async function recording(page: Page): Promise<string> {
  return (await snapshot(page)).broadcast!.recording.state
}

const TOKEN = 'lingjing-e2e-token'

// Two cores shared with other builds: a smaller page leaves more of the CPU for the programme.
test.use({ viewport: { width: 960, height: 540 } })

/**
 * Video frames to see arrive per phase. The programme renders only a few frames a second here, and
 * more of them prove nothing more: a handful decoded by the server shows the chain works.
 */
const FRAMES = 4

let server: WhipTestServer
test.beforeEach(async () => {
  server = await startWhipServer({ token: TOKEN })
})
test.afterEach(async () => {
  await server.close()
})

/** Frames the server counted on a resource (by its URL or id). */
function framesOf(resource: string | null): number {
  const id = resource?.split('/').pop()
  return server.resources().find((r) => r.id === id)?.videoFrames ?? 0
}

test('the programme goes live by WHIP: wrong token is refused once, frames arrive, a dropped endpoint is reconnected, Stop DELETEs the resource', async ({ page, pageErrors }) => {
  test.setTimeout(180_000)
  // The browser logs the refused POST (401) and the refused connections of the outage itself.
  pageErrors.ignore(/Failed to load resource|ERR_CONNECTION_REFUSED/)
  await openExperience(page, `/livestream?lang=en&whip=${encodeURIComponent(server.endpoint)}`)
  const panel = page.getByTestId('live-panel')
  const endpointField = panel.getByLabel('Endpoint URL')
  const tokenField = panel.getByLabel(/Token/)
  // ?whip= fills the endpoint; the token field is a password field and starts empty.
  await expect(endpointField).toHaveValue(server.endpoint)
  await expect(tokenField).toHaveAttribute('type', 'password')
  await expect(tokenField).toHaveValue('')
  expect(await live(page)).toMatchObject({ state: 'off', endpoint: null, resource: null, bitrateKbps: 0, reconnects: 0, lastError: null })

  // A wrong token: refused with a visible, specific error, and no retry.
  await tokenField.fill('not-the-token')
  await panel.getByRole('button', { name: '● Go live' }).click()
  await expect.poll(async () => (await live(page)).state, { timeout: 30_000 }).toBe('failed')
  await expect(panel.getByTestId('live-error')).toContainText('Wrong token or not allowed (401/403)')
  await expect(page.locator('.error[data-kind="live-failed"]')).toContainText('Could not go live')
  expect(await live(page)).toMatchObject({ retryInMs: null, lastError: expect.stringMatching(/^unauthorized: .*HTTP 401/) })
  const unauthorized = () => server.requests().filter((r) => r.method === 'POST' && r.status === 401)
  expect(unauthorized()).toHaveLength(1)
  expect(unauthorized()[0].authorization).toBe('Bearer not-the-token')
  await page.locator('.error[data-kind="live-failed"]').getByRole('button', { name: 'Dismiss' }).click()

  // The right token: live, frames arrive at the server, the panel shows a bitrate.
  await tokenField.fill(TOKEN)
  await panel.getByRole('button', { name: '● Go live' }).click()
  await expect.poll(async () => (await live(page)).state, { timeout: 30_000 }).toBe('live')
  const first = await live(page)
  expect(first.endpoint).toBe(server.endpoint)
  expect(first.resource).toMatch(new RegExp(`^${server.endpoint.replace('/whip/endpoint', '')}/whip/resource/r\\d+$`))
  await expect.poll(() => framesOf(first.resource), { timeout: 60_000 }).toBeGreaterThan(FRAMES)
  await expect.poll(async () => (await live(page)).bitrateKbps, { timeout: 30_000 }).toBeGreaterThan(0)
  await expect(panel.getByTestId('live-bitrate')).toContainText(/Bitrate: [1-9]\d* kbps/)
  const sending = await live(page)
  console.log(`WHIP e2e: live after ${server.requests().filter((r) => r.method === 'POST').length} POSTs, ${sending.bitrateKbps} kbps, ${sending.framesEncoded} frames encoded, ${framesOf(first.resource)} received`)
  expect(server.resources().find((r) => first.resource?.endsWith(r.id))?.audioPackets).toBeGreaterThan(0)
  // The retry of the wrong token never happened while all this ran.
  expect(unauthorized()).toHaveLength(1)
  await panel.getByTestId('live-bitrate').scrollIntoViewIfNeeded()
  await saveScreenshot(page, 'whip-live')

  // Recording at the same time does not disturb the stream (each holds its own consumer).
  await page.getByTestId('broadcast-panel').getByRole('button', { name: '● Record' }).click()
  await expect.poll(() => recording(page), { timeout: 30_000 }).toBe('recording')
  const whileRecording = framesOf(first.resource)
  await expect.poll(() => framesOf(first.resource), { timeout: 60_000 }).toBeGreaterThan(whileRecording + FRAMES / 2)
  await page.getByTestId('broadcast-panel').getByRole('button', { name: '■ Stop', exact: true }).click()
  await expect.poll(() => recording(page), { timeout: 30_000 }).toBe('idle')
  expect((await live(page)).state).toBe('live')

  // The endpoint goes away: reconnecting, retries that fail with a growing back-off, then live
  // again on a new resource. The outage lasts until the checks below have seen the retries (a
  // fixed outage only waits for a later retry of the doubling back-off).
  let endOutage = () => {}
  const dropAt = Date.now()
  const dropped = server.drop(new Promise<void>((resolve) => (endOutage = resolve)))
  await expect.poll(async () => (await live(page)).state, { timeout: 30_000 }).toBe('reconnecting')
  const detectedMs = Date.now() - dropAt
  await expect(panel.getByTestId('live-state')).toHaveText('Reconnecting…')
  await expect.poll(async () => (await live(page)).attempt, { timeout: 30_000 }).toBeGreaterThanOrEqual(2)
  expect((await live(page)).lastError).toMatch(/^network: /)
  await expect(panel.getByTestId('live-retry')).toContainText(/Retry \d+ in \d+ s/)
  await panel.getByTestId('live-state').scrollIntoViewIfNeeded()
  await panel.screenshot({ path: 'test-results/screenshots/whip-reconnecting-panel.png' })
  endOutage()
  await dropped
  const outageMs = Date.now() - dropAt
  await expect.poll(async () => (await live(page)).state, { timeout: 60_000 }).toBe('live')
  const second = await live(page)
  console.log(`WHIP e2e: drop noticed after ${detectedMs} ms, live again ${Date.now() - dropAt} ms after the drop (outage ${outageMs} ms)`)
  expect(second.resource).not.toBe(first.resource)
  expect(second.reconnects).toBeGreaterThanOrEqual(1)
  await expect.poll(() => framesOf(second.resource), { timeout: 60_000 }).toBeGreaterThan(FRAMES)
  await expect(panel.getByTestId('live-retry')).toContainText(/Reconnects: [1-9]/)

  // Stop: DELETE with the token on the current resource, the server closes the peer, state off.
  await panel.getByRole('button', { name: '■ Stop live' }).click()
  await expect.poll(async () => (await live(page)).state, { timeout: 30_000 }).toBe('off')
  const path = new URL(second.resource!).pathname
  const deletes = server.requests().filter((r) => r.method === 'DELETE' && r.path === path)
  expect(deletes).toEqual([{ method: 'DELETE', path, status: 200, authorization: `Bearer ${TOKEN}` }])
  const ended = server.resources().find((r) => path.endsWith(r.id))!
  expect(ended).toMatchObject({ deleted: true, closed: true })
  // A second DELETE of the same resource is 404: the session is gone.
  const again = await fetch(second.resource!, { method: 'DELETE', headers: { Authorization: `Bearer ${TOKEN}` } })
  expect(again.status).toBe(404)
  // Nothing more reaches the server after Stop.
  const framesAtStop = framesOf(second.resource)
  await expect.poll(async () => (await snapshot(page)).frame.frames, { timeout: 30_000 }).toBeGreaterThan((await snapshot(page)).frame.frames + 30)
  expect(framesOf(second.resource)).toBeLessThanOrEqual(framesAtStop + 5)
  expect(await live(page)).toMatchObject({ state: 'off', endpoint: null, resource: null, bitrateKbps: 0 })
  // Figures for the report: what the server received per resource, and what the programme captured.
  const programme = (await snapshot(page)).broadcast!.programme
  console.log(`WHIP e2e: ${JSON.stringify({ resources: server.resources().map(({ id, videoFrames, videoPackets, audioPackets }) => ({ id, videoFrames, videoPackets, audioPackets })), programme })}`)
})

test('in an immersive session the programme goes live too, and the console in the world says so', async ({ page, pageErrors }) => {
  pageErrors.ignore(/Failed to load resource/)
  await openExperience(page, `/livestream?lang=en&whip=${encodeURIComponent(server.endpoint)}`)
  await enterXR(page, 'VR')
  const panel = page.getByTestId('live-panel')
  await panel.getByLabel(/Token/).fill(TOKEN)
  // The emulator's full-page canvas may sit above the panel: press the button itself.
  await panel.getByRole('button', { name: '● Go live' }).evaluate((b: HTMLButtonElement) => b.click())
  await expect.poll(async () => (await live(page)).state, { timeout: 30_000 }).toBe('live')
  const { resource } = await live(page)
  await expect.poll(() => framesOf(resource), { timeout: 60_000 }).toBeGreaterThan(FRAMES)
  // Look at the switcher console (in front of the wearer, below eye height): its WHIP tile says LIVE.
  await page.evaluate(() => {
    const device = window.lingjing!.emulator!
    device.controlMode = 'programmatic'
    device.position.set(0, 1.6, 0)
    // The XR origin already faces the console (it is turned to the audience): just look down.
    const pitch = (-40 * Math.PI) / 180
    device.quaternion.set(Math.sin(pitch / 2), 0, 0, Math.cos(pitch / 2))
  })
  await waitFrames(page, 6)
  // The page panels cover the middle of each eye: hide them for the picture of the world.
  const panels = '.broadcast-panel-host, .livestream-controls'
  await page.evaluate((sel) => document.querySelectorAll<HTMLElement>(sel).forEach((e) => (e.style.visibility = 'hidden')), panels)
  await waitFrames(page, 5)
  await saveScreenshot(page, 'whip-live-in-vr')
  await page.evaluate((sel) => document.querySelectorAll<HTMLElement>(sel).forEach((e) => (e.style.visibility = '')), panels)
  await panel.getByRole('button', { name: '■ Stop live' }).evaluate((b: HTMLButtonElement) => b.click())
  await expect.poll(async () => (await live(page)).state, { timeout: 30_000 }).toBe('off')
  expect(server.resources().find((r) => resource?.endsWith(r.id))).toMatchObject({ deleted: true, closed: true })
  expect((await snapshot(page)).xr).toMatchObject({ presenting: true })
})
