import type { Plugin, ProxyOptions } from 'vite'
import { VENUE_PATH } from '../core/venue/protocol.ts'

/** The one embedded server of this process (Colyseus' matchmaker is a module singleton). */
type Running = { port: number; close(): Promise<void> }
const KEY = Symbol.for('lingjing.venue-server')
const store = globalThis as unknown as Record<symbol, Promise<Running> | undefined>

/**
 * Embeds the venue server (src/server) in `vite` dev and `vite preview`: Colyseus listens on its
 * own loopback port and Vite proxies `/venue` (HTTP matchmaking and the WebSocket) to it. It never
 * shares Vite's http server: Colyseus' ws server takes every upgrade on its server, HMR included.
 * `LINGJING_VENUE=off` leaves it out (the app then runs single-visitor, as on a static host).
 */
export function venueServer(): Plugin {
  return {
    name: 'lingjing-venue',
    async config(_config, env) {
      if (env.command !== 'serve' || process.env.LINGJING_VENUE === 'off') return
      const running = (store[KEY] ??= import('../server/venue-server.ts').then((m) => m.createVenueServer({ port: 0 })))
      const { port } = await running
      const proxy: Record<string, ProxyOptions> = {
        [VENUE_PATH]: {
          target: `http://127.0.0.1:${port}`,
          ws: true,
          rewrite: (path) => path.slice(VENUE_PATH.length) || '/',
        },
      }
      return { server: { proxy }, preview: { proxy } }
    },
    configureServer(server) {
      server.httpServer?.once('close', () => void closeVenue())
    },
    configurePreviewServer(server) {
      server.httpServer?.once('close', () => void closeVenue())
    },
  }
}

async function closeVenue(): Promise<void> {
  const running = store[KEY]
  store[KEY] = undefined
  if (running) await (await running).close()
}
