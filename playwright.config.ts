import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, resolveChromium } from './src/tools/browser.mjs'

// LINGJING_E2E_PORT lets a second checkout run its suite beside a dev server on the default port.
const PORT = Number(process.env.LINGJING_E2E_PORT ?? 4173)

export default defineConfig({
  testDir: 'src/e2e',
  testMatch: '*.spec.ts',
  // Two cores and software WebGL: one browser at a time keeps timings sane.
  workers: 1,
  fullyParallel: false,
  // A stray test.only on CI would silently skip the rest of the suite.
  forbidOnly: !!process.env.CI,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  // On CI one retry: a software-rendered headset on a shared 2-core machine has rare timing flakes
  // (storage opening late, a frame taking seconds). A retried test is reported as flaky in the
  // log, so the cause is still read and fixed; locally a failure stays a failure.
  retries: process.env.CI ? 1 : 0,
  // The JSON report keeps every test's duration, so the suite's time can be read per spec afterwards.
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }], ['json', { outputFile: 'test-results/e2e-report.json' }]],
  outputDir: 'test-results/artifacts',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    // Software rasterisation time scales with pixels. 960×540 still opens the DOM panels (they fold
    // below 900×520); specs that check only the scene use SCENE_VIEWPORT or REPLAY_VIEWPORT
    // (src/e2e/lingjing-page.ts), and a spec that checks layout at a size sets its own.
    viewport: { width: 960, height: 540 },
    launchOptions: { executablePath: resolveChromium(), args: CHROMIUM_ARGS },
    // CI keeps only the log of a run, so recording a trace there costs time and gives nothing.
    trace: process.env.CI ? 'off' : 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    // Test the production build, served as a static host would serve it.
    command: `npm run build && npx vite preview --port ${PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/`,
    // Build afresh by default: a preview server left over from an interrupted run keeps serving its
    // old build, and the tests would pass or fail against stale code. LINGJING_E2E_REUSE=1 opts in.
    reuseExistingServer: process.env.LINGJING_E2E_REUSE === '1',
    timeout: 180_000,
    stdout: 'ignore',
  },
})
