import { isSoftwareRenderer } from '../core/render/renderer-kind'
import { allowPageErrors, expect, test } from './fixtures'
import { appPath, enterXR, halfContrast, openExperience, saveScreenshot, snapshot, useSceneViewport, waitFrames } from './lingjing-page'

const VR_ROUTES = [
  { path: '/', experience: 'hub' },
  { path: '/livestream', experience: 'livestream' },
  { path: '/tianhe', experience: 'tianhe' },
] as const

for (const route of VR_ROUTES) {
  test(`enters VR on ${route.path} through the emulator and renders stereo frames`, async ({ page }) => {
    await useSceneViewport(page)
    await openExperience(page, `${route.path}?lang=en`)
    expect((await snapshot(page)).experience).toBe(route.experience)
    await saveScreenshot(page, `${route.experience}-desktop`)
    await enterXR(page, 'VR')
    await waitFrames(page, 30)
    const snap = await snapshot(page)
    expect(snap.xr).toMatchObject({ presenting: true, mode: 'immersive-vr', frameRate: 72, emulated: true })
    expect(snap.frame.views).toBe(2)
    // Multisampling where a GPU draws, none on a software rasteriser (SwiftShader in this suite).
    const render = snap.render!
    expect(render.antialias).toBe(!isSoftwareRenderer(render.renderer))
    const png = await saveScreenshot(page, `${route.experience}-vr`)
    const contrast = await halfContrast(page, png)
    // Both eyes show a picture (not a flat clear colour).
    expect(contrast.left).toBeGreaterThan(4)
    expect(contrast.right).toBeGreaterThan(4)
    expect(snap.errors).toEqual([])
    // The page's own controls stay above the emulator's canvas: Exit is clickable (Playwright checks
    // that the click lands on the button itself).
    await page.getByRole('button', { name: 'Exit', exact: true }).click({ timeout: 10_000 })
    await expect.poll(async () => (await snapshot(page)).xr.presenting).toBe(false)
  })
}

test('enters AR on /mascot with the synthetic room', async ({ page }) => {
  await useSceneViewport(page)
  await openExperience(page, '/mascot?lang=en')
  await saveScreenshot(page, 'mascot-desktop')
  await enterXR(page, 'AR')
  await waitFrames(page, 20)
  const snap = await snapshot(page)
  expect(snap.xr).toMatchObject({ presenting: true, mode: 'immersive-ar' })
  expect(snap.frame.views).toBe(2)
  const png = await saveScreenshot(page, 'mascot-ar')
  const contrast = await halfContrast(page, png)
  expect(contrast.left).toBeGreaterThan(4)
  expect(contrast.right).toBeGreaterThan(4)
})

test('walks from the hub through a portal by pointing a controller and pulling the trigger', async ({ page }) => {
  await useSceneViewport(page)
  await openExperience(page, '/?lang=en')
  await enterXR(page, 'VR')
  await waitFrames(page, 10)
  // Aim the right controller at the Tianhe portal (straight ahead, 4.2 m, ring centre at 1.45 m).
  await page.evaluate(() => {
    const device = window.lingjing!.emulator!
    device.controlMode = 'programmatic'
    device.controllers.right!.position.set(0.1, 1.45, -0.3)
    device.controllers.right!.quaternion.set(0, 0, 0, 1)
  })
  await waitFrames(page, 5)
  // Press, let the app see a frame, release: one click, however slow the machine (a click is a press
  // and a release on the same object; see XR_POINTER_OPTIONS).
  await page.evaluate(async () => {
    const right = window.lingjing!.emulator!.controllers.right!
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve))
    right.updateButtonValue('trigger', 1)
    const pressedAt = window.lingjing!.snapshot().frame.frames
    while (window.lingjing!.snapshot().frame.frames < pressedAt + 2) await nextFrame()
    right.updateButtonValue('trigger', 0)
  })
  await expect.poll(async () => (await snapshot(page)).experience, { timeout: 30_000 }).toBe('tianhe')
  // The session survives the walk through the portal.
  expect((await snapshot(page)).xr.presenting).toBe(true)
  // The route changes and the page's own query (language, and whatever options the page was opened with) is kept.
  await expect(page).toHaveURL((url) => url.pathname === '/tianhe' && url.searchParams.get('lang') === 'en')
})

test('every route works as a deep link and loads only its own experience chunk', async ({ page }) => {
  const requested: string[] = []
  page.on('request', (request) => requested.push(request.url()))
  await openExperience(page, '/tianhe/')
  expect((await snapshot(page)).experience).toBe('tianhe')
  expect(requested.some((url) => url.includes('tianhe-experience'))).toBe(true)
  for (const other of ['hub-experience', 'livestream-experience', 'mascot-experience']) {
    expect(requested.some((url) => url.includes(other)), other).toBe(false)
  }
  // Controller models are served by the app itself, never a CDN.
  expect(requested.filter((url) => !url.startsWith('http://127.0.0.1') && !url.startsWith('data:'))).toEqual([])
})

test('speaks Chinese with ?lang=zh and switches language from the toggle', async ({ page }) => {
  await openExperience(page, '/?lang=zh')
  await expect(page.getByRole('button', { name: '进入 VR' })).toBeVisible()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('灵境')
  await saveScreenshot(page, 'hub-desktop-zh')
  await page.getByRole('button', { name: '切换语言' }).click()
  await expect(page.getByRole('button', { name: 'Enter VR' })).toBeVisible()
  expect((await snapshot(page)).lang).toBe('en')
  await expect(page).toHaveURL(/lang=en/)
})

test('an unknown path says so and offers the way back', async ({ page }) => {
  await page.goto(appPath('/nowhere?lang=en'))
  const alert = page.getByRole('alert').filter({ hasText: 'This page does not exist' })
  await expect(alert).toBeVisible()
  await alert.getByRole('button', { name: 'Back to the base' }).click()
  await expect.poll(async () => (await snapshot(page)).experience).toBe('hub')
  await expect(page.getByRole('alert')).toHaveCount(0)
})

test('without WebXR and with the emulator off, Enter VR explains and offers the emulator preview', async ({ page }) => {
  allowPageErrors('the page has no WebXR and no emulator on purpose')
  await openExperience(page, '/?lang=en&emulate=off')
  expect((await snapshot(page)).xr).toMatchObject({ emulated: false })
  await expect(page.getByText('Open the emulator preview').first()).toBeVisible()
  await page.getByRole('button', { name: 'Enter VR' }).click()
  const alert = page.getByRole('alert')
  await expect(alert).toContainText(/does not support that mode|has no WebXR/)
  await saveScreenshot(page, 'error-no-webxr')
  expect((await snapshot(page)).errors.length).toBeGreaterThan(0)
  await alert.getByRole('button', { name: 'Open the emulator preview' }).click()
  await expect(page).toHaveURL(/emulate=quest3/)
  await expect.poll(async () => (await snapshot(page)).xr).toMatchObject({ emulated: true })
})

test('a refused session request is shown, and the app keeps running', async ({ page }) => {
  allowPageErrors('the session request is refused on purpose')
  await openExperience(page, '/?lang=en')
  await page.evaluate(() => {
    // The browser/user declines: requestSession rejects with a SecurityError.
    navigator.xr!.requestSession = () => Promise.reject(new DOMException('User declined', 'SecurityError'))
  })
  await page.getByRole('button', { name: 'Enter VR' }).click()
  await expect(page.getByRole('alert')).toContainText('The immersive session was refused')
  await waitFrames(page, 5)
})

test('a lost XR session is reported with a way back in', async ({ page }) => {
  allowPageErrors('the XR session is ended under the app on purpose')
  await openExperience(page, '/livestream?lang=en')
  await enterXR(page, 'VR')
  await waitFrames(page, 5)
  // The system ends the session (headset removed, system menu): not our Exit button.
  await page.evaluate(() => window.lingjing!.emulator!.activeSession?.end())
  await expect(page.getByRole('alert')).toContainText('The immersive session ended')
  await page.getByRole('alert').getByRole('button', { name: 'Enter VR' }).click()
  await expect.poll(async () => (await snapshot(page)).xr.presenting).toBe(true)
})

test('a WebGL context loss is shown and recovers', async ({ page }) => {
  allowPageErrors('the WebGL context is lost on purpose')
  await openExperience(page, '/?lang=en')
  await page.evaluate(() => {
    const canvas = document.querySelector('.scene canvas') as HTMLCanvasElement
    const gl = canvas.getContext('webgl2')!
    const ext = gl.getExtension('WEBGL_lose_context')!
    ext.loseContext()
    setTimeout(() => ext.restoreContext(), 500)
  })
  await expect(page.getByRole('alert')).toContainText('The graphics context was lost')
  await expect(page.getByRole('alert')).toHaveCount(0, { timeout: 30_000 })
  await waitFrames(page, 5)
})

test('a browser without WebGL2 gets an explanation instead of a blank page', async ({ page }) => {
  allowPageErrors('WebGL2 is taken away on purpose')
  await page.addInitScript(() => {
    const original = HTMLCanvasElement.prototype.getContext
    // Simulate a browser (or a blocklisted GPU) that cannot create WebGL contexts.
    HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
      if (type === 'webgl2' || type === 'webgl') return null
      return (original as (...args: unknown[]) => unknown).call(this, type, ...rest)
    } as typeof original
  })
  await page.goto(appPath('/?lang=zh'))
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('无法启动 3D 图形')
  await expect(alert.getByRole('button', { name: '重新加载' })).toBeVisible()
  await expect(page.locator('.scene canvas')).toHaveCount(0)
  await saveScreenshot(page, 'error-no-webgl')
})

test('an experience whose code fails to load says so, and "Try again" loads it', async ({ page }) => {
  allowPageErrors('the experience chunk is blocked on purpose')
  let block = true
  await page.route(/tianhe-experience-.*\.js$/, (route) => (block ? route.abort('failed') : route.continue()))
  await page.goto(appPath('/tianhe?lang=en'))
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('An asset failed to load')
  await saveScreenshot(page, 'error-asset-failed')
  block = false
  await alert.getByRole('button', { name: 'Try again' }).click()
  await expect.poll(async () => (await snapshot(page)).loading, { timeout: 60_000 }).toMatchObject({ phase: 'ready' })
  expect((await snapshot(page)).experience).toBe('tianhe')
  await expect(page.getByRole('alert')).toHaveCount(0)
})
