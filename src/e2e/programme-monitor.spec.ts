import { type Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { holdPose } from './xr-input'
import { enterXR, halfContrast, openExperience, saveScreenshot, snapshot, useSceneViewport, waitFrames } from './lingjing-page'

/** `snapshot().broadcast.monitor` (scene/broadcast/broadcast-studio.tsx). */
interface MonitorSection {
  path: 'xr-layer' | 'texture'
  reason: string
  error: string | null
  screen: 'texture' | 'layer-hole'
  screenDraws: number
  layerDraws: number
}

async function monitor(page: Page): Promise<MonitorSection> {
  return (await snapshot(page)).broadcast!.monitor
}

/**
 * Enters VR facing the programme monitor (the host stands at the origin facing world +z, the
 * monitor 3.2 m ahead), lets the programme run, and checks both eyes see a picture with contrast in it.
 */
async function lookAtMonitor(page: Page, name: string): Promise<void> {
  await enterXR(page, 'VR')
  // The room turns the tracking space half a turn, so the head's own forward (-z) is world +z.
  await holdPose(page, { head: [0, 1.6, 0], headRotation: [0, 0, 0, 1] })
  await waitFrames(page, 12)
  const contrast = await halfContrast(page, await saveScreenshot(page, name))
  expect(contrast.left).toBeGreaterThan(4)
  expect(contrast.right).toBeGreaterThan(4)
}

/**
 * Replaces the emulator's `XRWebGLBinding` (IWER installs one for depth sensing at boot) and lets
 * its device grant the optional `layers` feature, so the session says it has layers and only the
 * binding decides. three keeps its XRWebGLLayer: the fake has no `createProjectionLayer`.
 */
async function fakeLayersBinding(page: Page, createQuadLayer: 'missing' | 'throws'): Promise<void> {
  await page.evaluate((kind) => {
    const device = window.lingjing!.emulator!
    const features = device.supportedFeatures as unknown as string[]
    if (!features.includes('layers')) features.push('layers')
    class FakeBinding {
      constructor(
        readonly session: unknown,
        readonly gl: unknown,
      ) {}
    }
    if (kind === 'throws') {
      Object.defineProperty(FakeBinding.prototype, 'createQuadLayer', {
        value() {
          throw new DOMException('quad layers are broken on this test device', 'OperationError')
        },
      })
    }
    ;(window as unknown as { XRWebGLBinding: unknown }).XRWebGLBinding = FakeBinding
  }, createQuadLayer)
}

test.describe('the programme monitor without WebXR layers', () => {
  test.beforeEach(async ({ page }) => {
    await useSceneViewport(page)
    await openExperience(page, '/livestream?lang=en')
  })

  test('the programme monitor uses the texture in the emulator, which has no layers', async ({ page }) => {
    // Outside a session the page already knows: IWER's binding has no quad layers.
    await expect.poll(() => monitor(page), { timeout: 30_000 }).toMatchObject({ path: 'texture', reason: 'layers-unsupported', screen: 'texture' })
    await lookAtMonitor(page, 'programme-monitor-emulator')
    const m = await monitor(page)
    expect(m).toMatchObject({ path: 'texture', reason: 'layers-unsupported', error: null, screen: 'texture', layerDraws: 0 })
    // The screen was drawn in the headset's views (the counter the benchmark reads).
    expect(m.screenDraws).toBeGreaterThan(0)
  })

  test('the programme monitor uses the texture when the binding lacks createQuadLayer, though the session has layers', async ({ page }) => {
    await fakeLayersBinding(page, 'missing')
    await lookAtMonitor(page, 'programme-monitor-no-quad-layer')
    const xr = (await snapshot(page)).xr
    expect(xr.presenting).toBe(true)
    expect(await monitor(page)).toMatchObject({ path: 'texture', reason: 'layers-unsupported', error: null, screen: 'texture', layerDraws: 0 })
  })

  test('the programme monitor falls back to the texture with a warning when the layer cannot be made', async ({ page }) => {
    const warnings: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text())
    })
    await fakeLayersBinding(page, 'throws')
    await lookAtMonitor(page, 'programme-monitor-layer-failed')
    expect(await monitor(page)).toMatchObject({ path: 'texture', reason: 'layer-creation-failed', error: 'quad layers are broken on this test device', screen: 'texture', layerDraws: 0 })
    expect(warnings.some((w) => w.includes('shows the texture instead') && w.includes('改用纹理显示'))).toBe(true)
  })
})
