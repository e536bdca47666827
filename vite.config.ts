import basicSsl from '@vitejs/plugin-basic-ssl'
import react from '@vitejs/plugin-react'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { danmakuDemo } from './src/tools/vite-plugin-danmaku-demo.ts'
import { staticMounts } from './src/tools/vite-plugin-static-mounts.ts'
import { venueServer } from './src/tools/vite-plugin-venue.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
const pkg = JSON.parse(readFileSync(`${here}package.json`, 'utf8')) as { version: string }

/** Controller and hand models the emulated and real Quest devices ask for (see README). */
export const INPUT_PROFILES = [
  'profilesList.json',
  'generic-hand',
  'generic-trigger',
  'generic-trigger-squeeze-thumbstick',
  'meta-quest-touch-plus',
  'meta-quest-touch-pro',
  'oculus-touch-v2',
  'oculus-touch-v3',
]

export default defineConfig(({ mode }) => ({
  root: 'src',
  base: '/',
  publicDir: false,
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  // `npm run dev:quest` (mode "quest") serves HTTPS on the LAN: WebXR needs a secure context.
  plugins: [
    react(),
    ...(mode === 'quest' ? [basicSsl({ name: 'lingjing', certDir: `${here}.cert` })] : []),
    staticMounts(
      [
        { urlPrefix: '/assets/', dir: `${here}assets` },
        { urlPrefix: '/xr-sessions/', dir: `${here}xr-sessions` },
        {
          urlPrefix: '/input-profiles/',
          dir: `${here}node_modules/@webxr-input-profiles/assets/dist/profiles`,
          only: INPUT_PROFILES,
        },
      ],
      ['livestream', 'tianhe', 'mascot'],
    ),
    // The demo danmaku feed (WebSocket /danmaku/demo) in dev and preview.
    danmakuDemo(),
    // The shared venue (src/server): Colyseus on its own loopback port, proxied at /venue.
    venueServer(),
  ],
  resolve: {
    // @iwer/devui and @iwer/sem carry their own three; two copies break the DevUI ("material.onBuild is not a function").
    dedupe: ['three', 'react', 'react-dom'],
  },
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    assetsDir: 'static',
    chunkSizeWarningLimit: 2000,
    sourcemap: true,
  },
  server: { port: 5173 },
  preview: { port: 4173 },
}))
