// @ts-check
// Plain JavaScript (type-checked through JSDoc) so both Playwright's TypeScript config and the
// Node benchmark runner can import it.
import { existsSync } from 'node:fs'
import { chromium } from '@playwright/test'

/**
 * Flags for headless Chromium on a machine without a GPU: SwiftShader gives real WebGL2 on the
 * CPU; the network-quiet flags stop Chromium calling home on a closed network.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--enable-webgl',
  '--ignore-gpu-blocklist',
  // WebRTC on loopback only (WHIP tests): both flags, or ICE can hang.
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
]

/**
 * Finds a Chromium: $CHROMIUM_PATH, then Debian's /usr/bin/chromium, then Playwright's own
 * download. Fails with one line that says how to get one.
 * @returns {string}
 */
export function resolveChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate
  try {
    const own = chromium.executablePath()
    if (own && existsSync(own)) return own
  } catch {
    // Playwright throws when its browser was never downloaded; fall through to the message.
  }
  throw new Error('No Chromium found: install one with "apt-get install -y chromium" (Debian) or "npx playwright install chromium", or set CHROMIUM_PATH.')
}
