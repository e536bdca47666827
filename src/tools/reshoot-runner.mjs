// Drives one re-shoot in a Playwright page (used by `npm run reshoot` and src/e2e/reshoot.spec.ts):
// the session file is served to the page at a fixed replay name by route interception (so any file
// on disk can be re-shot, not only shipped ones), the page opens in re-shoot mode with the camera
// programme in the URL, and the finished WebM comes back in base64 chunks.

/** The replay name the session is served under. */
export const RESHOOT_REPLAY_NAME = 'reshoot-input/take'

/** Experiences that host a broadcast studio (and so can be re-shot). */
export const BROADCAST_EXPERIENCES = ['livestream']

/**
 * The page URL of a re-shoot.
 * @param {string} experience the session's meta.experience
 * @param {string} programmeText the camera programme JSON
 */
export function reshootPath(experience, programmeText) {
  const route = experience === 'hub' ? '/' : `/${experience}`
  const query = new URLSearchParams({ replay: RESHOOT_REPLAY_NAME, replayMode: 'deterministic', governor: 'off', reshoot: programmeText })
  return `${route}?${query.toString()}`
}

/**
 * Re-shoots a session in `page`. Resolves with the page's status (frame hashes, stats), the WebM
 * bytes and the replay's final state hash; rejects with the page's own error message on failure.
 * @param {import('@playwright/test').Page} page
 * @param {{ baseUrl: string, sessionText: string, programmeText: string, timeoutMs?: number, onProgress?: (s: { state: string, framesRendered: number, outputFrames: number }) => void }} options
 */
export async function reshootInPage(page, options) {
  const { baseUrl, sessionText, programmeText } = options
  const timeoutMs = options.timeoutMs ?? 20 * 60_000
  const meta = JSON.parse(sessionText).meta ?? {}
  await page.route(`**/xr-sessions/${RESHOOT_REPLAY_NAME}.json*`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: sessionText }),
  )
  const started = Date.now()
  await page.goto(baseUrl.replace(/\/$/, '') + reshootPath(meta.experience, programmeText))
  await page.waitForFunction(() => window.lingjing?.reshoot !== undefined, null, { timeout: 120_000 })
  /** @type {any} */
  let status = null
  let lastReport = 0
  for (;;) {
    status = await page.evaluate(() => {
      const s = window.lingjing?.reshoot?.status()
      return s ? { state: s.state, error: s.error, framesRendered: s.framesRendered, outputFrames: s.outputFrames } : null
    })
    if (status && (status.state === 'done' || status.state === 'error')) break
    if (Date.now() - started > timeoutMs) throw new Error(`the re-shoot did not finish in ${Math.round(timeoutMs / 1000)} s (${status?.framesRendered ?? 0} frames rendered)`)
    if (options.onProgress && status && Date.now() - lastReport > 5000) {
      lastReport = Date.now()
      options.onProgress(status)
    }
    await page.waitForTimeout(250)
  }
  if (status.state === 'error') {
    const e = status.error
    const error = new Error(`${e.message.en}${e.path ? ` (at ${e.path})` : ''}`)
    Object.assign(error, { code: e.code, path: e.path, zh: e.message.zh })
    throw error
  }
  const full = await page.evaluate(() => window.lingjing.reshoot.status())
  const chunks = []
  const CHUNK = 4 * 1024 * 1024
  for (let offset = 0; offset < full.bytes; offset += CHUNK) {
    const base64 = await page.evaluate(([o, n]) => window.lingjing.reshoot.read(o, n), [offset, CHUNK])
    chunks.push(Buffer.from(base64, 'base64'))
  }
  const bytes = Buffer.concat(chunks)
  if (bytes.length !== full.bytes) throw new Error(`read ${bytes.length} of ${full.bytes} bytes of the video`)
  const replay = await page.evaluate(() => /** @type {any} */ (window.lingjing.snapshot()).replay)
  return { status: full, bytes, stateHash: replay?.stateHash ?? null, replay, wallMs: Date.now() - started }
}
