import { defineConfig } from '@playwright/test'
import { fileURLToPath } from 'node:url'
import suite from '../../../playwright.config'

// The session generator runs like the e2e suite (same browser, same production build and preview
// server) but only its own files: `npm run make-sessions` (all) or `npm run make-sessions -- -g NAME`.
const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

export default defineConfig({
  ...suite,
  testDir: '.',
  testMatch: '*.generator.ts',
  // Recording live at a few frames a second takes minutes per task.
  timeout: 1_200_000,
  reporter: [['list']],
  outputDir: `${ROOT}/test-results/make-sessions`,
  // The size the shipped sessions were recorded at (the recorder bar needs 1150 px; see xr-sessions.spec.ts).
  use: { ...suite.use, viewport: { width: 1280, height: 720 } },
  webServer: { ...(suite.webServer as object), cwd: ROOT } as typeof suite.webServer,
})
