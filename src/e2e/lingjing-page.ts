import { type Page } from '@playwright/test'
import { expect } from './fixtures'
import { mkdirSync } from 'node:fs'
import type { DiagnosticsSnapshot } from '../core/diagnostics/diagnostics'

/** Where e2e screenshots go (kept as CI artifacts; look at them). */
export const SCREENSHOT_DIR = 'test-results/screenshots'

/**
 * Viewport of tests that check the 3D scene's state (poses, tasks, draw calls), not DOM layout or
 * pixels at a given size. Software rasterisation time scales with pixels, and in an immersive
 * session the emulator's frames (and so a script's steps) are paced by rendering.
 */
export const SCENE_VIEWPORT = { width: 640, height: 360 } as const

/**
 * Viewport of deterministic replays that check state only. Keeps the 16:9 of the others: the
 * emulator's projection follows the canvas's aspect, so a replay sees what was recorded.
 */
export const REPLAY_VIEWPORT = { width: 320, height: 180 } as const

/** Shrinks `page` to {@link SCENE_VIEWPORT} (call before opening the app). */
export async function useSceneViewport(page: Page): Promise<void> {
  await page.setViewportSize(SCENE_VIEWPORT)
}

/**
 * Query parameters every e2e page URL gets, on top of its own: the one place to give all specs an
 * option. A parameter the page's own query sets wins.
 *
 * `governor=off`: the governor now judges missed display frames, and SwiftShader's frame interval
 * here (hundreds of ms, the GPU side at software speed) misses every display slot of a 72 Hz
 * budget, so a governed page would sit with every lever at its lowest. Specs whose subject is a
 * feature run at full quality; the governor's own specs (frame-budget, gpu-budget, gpu-levers)
 * say `governor=on` or give a `frameBudgetMs` their emulator can meet.
 */
export const E2E_QUERY: Readonly<Record<string, string>> = { governor: 'off' }

/** `path` (a route with its own query, e.g. `/tianhe?lang=en`) with {@link E2E_QUERY} added. */
export function appPath(path: string): string {
  const [route, query = ''] = path.split('?', 2)
  const params = new URLSearchParams(query)
  for (const [key, value] of Object.entries(E2E_QUERY)) if (!params.has(key)) params.set(key, value)
  const text = params.toString()
  return text ? `${route}?${text}` : route
}

/**
 * The URL of a deterministic replay of `xr-sessions/NAME.json`, opened on the hub in English. Every
 * lever is held at its lowest level (`governor=lowest`): a deterministic replay advances one recorded
 * frame per rendered frame, so the software rasteriser sets its pace, and its checks read state, not
 * pixels. The simulation must not depend on quality, and the take recorded at full quality then
 * replayed here to the same hash (xr-sessions.spec.ts) shows it does not.
 *
 * `drawEvery` > 1 fast-forwards: one recorded frame in N is drawn, the simulation steps through all
 * of them. xr-sessions.spec.ts replays one session drawn both ways to the same end state.
 */
export function replayPath(name: string, drawEvery = 1): string {
  return appPath(`/?lang=en&replay=${name}&replayMode=deterministic&governor=lowest${drawEvery > 1 ? `&drawEvery=${drawEvery}` : ''}`)
}

/** Reads `window.lingjing.snapshot()`. */
export async function snapshot(page: Page): Promise<DiagnosticsSnapshot> {
  // After a navigation or reload the app is still booting for a moment: wait for the API first.
  await page.waitForFunction(() => window.lingjing !== undefined, null, { timeout: 60_000 })
  return page.evaluate(() => window.lingjing!.snapshot())
}

/** Opens a route and waits until its experience is loaded, precompiled and shown. */
export async function openExperience(page: Page, path: string): Promise<void> {
  await page.goto(appPath(path))
  await page.waitForFunction(() => window.lingjing?.snapshot().loading, null, { timeout: 60_000 })
  await expect.poll(async () => (await snapshot(page)).loading, { timeout: 60_000 }).toMatchObject({ phase: 'ready' })
}

/** Waits until at least `count` more frames have gone through the frame loop. */
export async function waitFrames(page: Page, count: number): Promise<void> {
  const start = (await snapshot(page)).frame.frames
  // Counted in the page, so the wait ends on the frame it is due, not at the next probe from here.
  await page.waitForFunction((target) => (window.lingjing?.snapshot().frame.frames ?? -1) >= target, start + count, { polling: 30, timeout: 90_000 })
}

/** Clicks the Enter VR/AR button and waits for the session to present. */
export async function enterXR(page: Page, mode: 'VR' | 'AR'): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`Enter ${mode}|进入 ${mode}`) }).click()
  await expect.poll(async () => (await snapshot(page)).xr, { timeout: 60_000 }).toMatchObject({ presenting: true, mode: mode === 'VR' ? 'immersive-vr' : 'immersive-ar' })
}

/** Saves a screenshot under test-results/screenshots and returns its PNG bytes. */
export async function saveScreenshot(page: Page, name: string): Promise<Buffer> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  return page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png` })
}

/**
 * Measures, in the page, how much picture each half of a screenshot holds (std dev of luminance
 * over a grid of samples). A stereo frame has content in both eyes' halves.
 */
export async function halfContrast(page: Page, png: Buffer): Promise<{ left: number; right: number }> {
  return page.evaluate(async (base64) => {
    const image = new Image()
    image.src = `data:image/png;base64,${base64}`
    await image.decode()
    const canvas = document.createElement('canvas')
    canvas.width = image.width
    canvas.height = image.height
    const ctx = canvas.getContext('2d')!
    ctx.drawImage(image, 0, 0)
    const measure = (x0: number, x1: number) => {
      // Skip the top bar and the bottom DevUI rows: measure the middle band of the scene.
      const data = ctx.getImageData(x0, Math.floor(image.height * 0.2), x1 - x0, Math.floor(image.height * 0.45)).data
      let sum = 0
      let sumSq = 0
      let n = 0
      for (let i = 0; i < data.length; i += 4 * 7) {
        const l = 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2]
        sum += l
        sumSq += l * l
        n++
      }
      const mean = sum / n
      return Math.sqrt(Math.max(0, sumSq / n - mean * mean))
    }
    const w = image.width
    return { left: measure(Math.floor(w * 0.2), Math.floor(w * 0.45)), right: measure(Math.floor(w * 0.55), Math.floor(w * 0.8)) }
  }, png.toString('base64'))
}

/**
 * Accepts the host's confirm prompt for options a link set (`?avatar=`, `?danmaku=`; see
 * src/shell/ui/link-confirm.tsx): nothing of them is loaded or connected before this.
 */
export async function acceptLinkRequests(page: Page, ...kinds: ('avatar' | 'danmaku')[]): Promise<void> {
  for (const kind of kinds) {
    await page.locator(`[data-testid="link-confirm"] [data-request="${kind}"]`).getByRole('button', { name: /^(Accept|接受)$/ }).click({ timeout: 60_000 })
  }
}
