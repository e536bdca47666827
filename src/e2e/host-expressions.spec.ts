import type { Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { paletteCellCentre, PALETTE_OFFSET } from '../experiences/livestream/expression-palette-layout'
import { createExpressionTestAvatar } from '../tools/make-expression-avatar'
import { expect, test } from './fixtures'
import { enterXR, openExperience, saveScreenshot, snapshot, waitFrames } from './lingjing-page'
import { aim, holdPose, pressAndRelease } from './xr-input'

// Issue 17: every expression of the loaded model — presets and custom — listed in the snapshot and
// on the page panel, driven by hotkeys (rebindable, remembered per model) and the in-world palette.

const avatar = async (page: Page) => (await snapshot(page)).avatar!
const weightOf = async (page: Page, name: string) => (await avatar(page)).expressions.find((e) => e.name === name)?.weight ?? -1

const TEST_AVATAR = {
  name: 'expression-test.vrm',
  mimeType: 'model/gltf-binary',
  buffer: Buffer.from(createExpressionTestAvatar(new Uint8Array(readFileSync(join(process.cwd(), 'assets/avatars/lingjing-host.vrm'))))),
}

async function loadTestAvatar(page: Page): Promise<void> {
  await openExperience(page, '/livestream?lang=en')
  await expect.poll(async () => (await avatar(page)).loaded, { timeout: 30_000 }).toBe(true)
  await page.getByTestId('livestream-controls').getByLabel('Load a VRM file (or drop it here)').setInputFiles(TEST_AVATAR)
  await expect.poll(async () => (await avatar(page)).source, { timeout: 30_000 }).toBe('file')
}

/**
 * Where to hold the right controller to click palette cell `i` (tracking space): the controls
 * group (livestream-experience.tsx: world (-0.8, 1.25 + STAGE_TOP, 0.65), turned 2.29 rad), the
 * palette offset and cell centre in its plane, seen through the XR origin turned half round on
 * the stage; from half a metre in front of the cell along its normal.
 */
function paletteCell(i: number): { from: [number, number, number]; dir: [number, number, number] } {
  const [cx, cy] = paletteCellCentre(i)
  const x = PALETTE_OFFSET[0] + cx
  const centre = [0.8 - x * Math.cos(2.29), 1.25 + PALETTE_OFFSET[1] + cy, -0.65 + x * Math.sin(2.29)]
  const normal = [-Math.sin(2.29), 0, -Math.cos(2.29)]
  return {
    from: centre.map((c, k) => c + 0.5 * normal[k]) as [number, number, number],
    dir: normal.map((n) => -n) as [number, number, number],
  }
}

test('a model\'s custom expressions are listed, bound to keys (remembered per model) and picked from the in-world palette', async ({ page }) => {
  await loadTestAvatar(page)
  const listed = (await avatar(page)).expressions
  expect(listed.map((e) => e.name)).toEqual(['happy', 'angry', 'sad', 'relaxed', 'surprised', 'neutral', 'wink', 'smug', '惊呆'])
  expect(listed.find((e) => e.name === 'wink')).toMatchObject({ key: 7, buttons: [] })
  expect(listed.find((e) => e.name === 'happy')).toMatchObject({ key: 1, buttons: ['a'] })
  const panel = page.getByTestId('expression-list')
  for (const name of ['wink', 'smug', '惊呆']) await expect(panel.locator(`[data-expression="${name}"]`)).toBeVisible()

  // Hotkey 7: the custom wink blends in.
  await page.keyboard.press('7')
  await expect.poll(async () => (await avatar(page)).expression).toBe('wink')
  await expect.poll(() => weightOf(page, 'wink'), { timeout: 10_000 }).toBeGreaterThan(0.95)
  // The page panel's button picks one too.
  await panel.locator('[data-expression="smug"]').click()
  await expect.poll(() => weightOf(page, 'smug'), { timeout: 10_000 }).toBeGreaterThan(0.95)

  // Rebind key 1 to 惊呆; the choice is remembered for this model across a reload.
  const controls = page.getByTestId('livestream-controls')
  await controls.getByText('Bindings (saved per model)').click()
  await controls.getByLabel('Key 1', { exact: true }).selectOption('惊呆')
  await page.keyboard.press('1')
  await expect.poll(async () => (await avatar(page)).expression).toBe('惊呆')
  await page.reload()
  await loadTestAvatar(page)
  expect((await avatar(page)).expressions.find((e) => e.name === '惊呆')?.key).toBe(1)

  // In VR, the palette beside the studio controls picks "smug" (cell 7).
  await enterXR(page, 'VR')
  await holdPose(page, { head: [0, 1.6, 0], left: [-0.3, 1.0, -0.2], right: [0.3, 1.2, -0.3] })
  const cell = paletteCell(7)
  await aim(page, 'right', cell.from, cell.dir)
  await waitFrames(page, 5)
  await saveScreenshot(page, 'host-expression-palette')
  await pressAndRelease(page, 'right', 400)
  await expect.poll(async () => (await avatar(page)).expression, { timeout: 30_000 }).toBe('smug')
  expect((await snapshot(page)).errors).toEqual([])
})

const motion = async (page: Page) => (await snapshot(page)).avatar!.motion

test('emotes play from the keyboard and the panel and return to the idle; a user .vrma is checked like an avatar', async ({ page }) => {
  await openExperience(page, '/livestream?lang=en')
  await expect.poll(async () => (await motion(page))?.emotes, { timeout: 30_000 }).toEqual(['wave', 'bow', 'clap', 'cheer', 'thinking'])

  // The eyes follow the on-air camera, or the audience when the panel says so.
  const gaze = async () => (await snapshot(page)).avatar!.gaze
  expect((await gaze())?.target).toBe('camera')
  await page.getByRole('button', { name: /Eyes on: the on-air camera/ }).click()
  await expect.poll(async () => (await gaze())?.target).toBe('audience')

  // Shift+1: the wave, eased in, then back to the idle.
  await page.keyboard.press('Shift+Digit1')
  await expect.poll(async () => (await motion(page))?.emote).toBe('wave')
  await expect.poll(async () => (await motion(page))?.weight ?? 0, { timeout: 10_000 }).toBe(1)
  await saveScreenshot(page, 'host-emote-wave')
  await expect.poll(async () => (await motion(page))?.emote, { timeout: 20_000 }).toBeNull()

  // A bad file through the .vrma picker: the validator's reason, the emotes unchanged.
  const controls = page.getByTestId('livestream-controls')
  const picker = controls.getByLabel('Load a VRM Animation (.vrma, or drop it here)')
  await picker.setInputFiles({ name: 'host.vrma', mimeType: 'model/gltf-binary', buffer: readFileSync(join(process.cwd(), 'assets/avatars/lingjing-host.vrm')) })
  const alert = page.locator('[role="alert"][data-kind="emote-invalid"]')
  await expect(alert).toContainText('This animation cannot be used', { timeout: 30_000 })
  await expect(alert).toContainText('not a VRM Animation')
  // A good one joins the emotes under its file name and plays from the panel.
  await picker.setInputFiles({ name: 'my-clap.vrma', mimeType: 'model/gltf-binary', buffer: readFileSync(join(process.cwd(), 'assets/animations/clap.vrma')) })
  await expect.poll(async () => (await motion(page))?.emotes, { timeout: 30_000 }).toContain('my-clap')
  await page.getByTestId('emote-list').locator('[data-emote="my-clap"]').click()
  await expect.poll(async () => (await motion(page))?.emote, { timeout: 10_000 }).toBe('my-clap')
  await expect.poll(async () => (await motion(page))?.emote, { timeout: 20_000 }).toBeNull()
})
