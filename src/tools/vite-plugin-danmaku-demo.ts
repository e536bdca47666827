import type { IncomingMessage, Server } from 'node:http'
import type { Http2SecureServer } from 'node:http2'
import type { Duplex } from 'node:stream'
import type { Plugin } from 'vite'
import { WebSocketServer, type WebSocket } from 'ws'
import { DANMAKU_DEMO_PATH } from '../core/broadcast/danmaku.ts'
import { DEMO_WELCOME, createDemoDanmakuScript, demoDanmakuFrame } from '../core/broadcast/danmaku-demo.ts'

/** Options of {@link danmakuDemo}. */
export interface DanmakuDemoOptions {
  /** Seed of the first connection's script; each later connection adds one (so tabs differ, runs repeat). */
  seed?: number
}

/**
 * Serves the demo danmaku feed at `/danmaku/demo` in `vite` dev and `vite preview`: a WebSocket
 * that sends the seeded audience script (src/core/broadcast/danmaku-demo.ts) as JSON frames.
 *
 * It listens on the http server's `upgrade` event and takes only its own path, so Vite's HMR
 * socket (its own path and sub-protocol) is untouched. `ws` does the RFC 6455 work (handshake,
 * masking, ping/pong, close codes); a hand-written frame server would have to get all of those
 * right for a feature that is only a demo. A static host has no server: the app then says the
 * feed did not answer, it never pretends.
 */
export function danmakuDemo(options: DanmakuDemoOptions = {}): Plugin {
  let connections = 0
  const attach = (httpServer: Server | Http2SecureServer | null) => {
    if (!httpServer) return
    const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 })
    const timers = new Set<ReturnType<typeof setTimeout>>()
    wss.on('connection', (socket: WebSocket) => {
      const script = createDemoDanmakuScript((options.seed ?? 2026) + connections++)
      let timer: ReturnType<typeof setTimeout> | null = null
      const schedule = () => {
        const next = script.next()
        timer = setTimeout(() => {
          if (timer) timers.delete(timer)
          if (socket.readyState !== socket.OPEN) return
          socket.send(demoDanmakuFrame(next))
          schedule()
        }, next.delayMs)
        timers.add(timer)
      }
      socket.send(demoDanmakuFrame(DEMO_WELCOME))
      schedule()
      socket.on('close', () => {
        if (timer) {
          clearTimeout(timer)
          timers.delete(timer)
        }
      })
      // The demo ignores what viewers send (it is not a chat server).
    })
    httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '').split('?')[0]
      if (path !== DANMAKU_DEMO_PATH) return
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
    })
    httpServer.on('close', () => {
      for (const t of timers) clearTimeout(t)
      for (const client of wss.clients) client.terminate()
      wss.close()
    })
  }
  return {
    name: 'lingjing-danmaku-demo',
    configureServer(server) {
      attach(server.httpServer)
    },
    configurePreviewServer(server) {
      attach(server.httpServer)
    },
  }
}
