import { LocalPresence, Server, matchMaker, type Presence } from '@colyseus/core'
import { Encoder } from '@colyseus/schema'
import { WebSocketTransport } from '@colyseus/ws-transport'
import { createHash } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve } from 'node:path'
import { VENUE_LIMITS, VENUE_PATH, VENUE_ROOMS } from '../core/venue/protocol.ts'
import { createFileTaskStore, createPresenceTaskStore } from './task-store.ts'
import { VenueRoom, setVenueTaskStore, venueTickStats } from './venue-room.ts'

/** Options of {@link createVenueServer}. */
export interface VenueServerOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number
  /** Interface; loopback by default (dev and tests), `0.0.0.0` for `npm run serve`. */
  host?: string
  /** With a Redis URL, rooms are shared through Redis presence and driver (several processes). */
  redisUrl?: string
  /** Where clients reach THIS process (host:port[/path]); needed when scaled out, see README. */
  publicAddress?: string
  /** Serve this folder (the built app) on the same port; the venue then lives under `/venue`. */
  staticDir?: string
  /** WebSocket ping interval: a silent client is dropped after two missed pings. */
  pingIntervalMs?: number
  /**
   * Without Redis, the JSON file Tianhe's steps are kept in across restarts (default: one per
   * checkout in the OS temp dir, {@link defaultTaskFile}). With Redis they are kept there.
   */
  taskStorePath?: string
  /** Tianhe after a restart: ms a saved item lock waits for its holder (default 10 s; tests shorten it). */
  lockRestoreMs?: number
}

/** The default task file: in the OS temp dir, named after this checkout so two checkouts never share one. */
export function defaultTaskFile(): string {
  const id = createHash('sha256').update(process.cwd()).digest('hex').slice(0, 12)
  return join(tmpdir(), `lingjing-venue-tasks-${id}.json`)
}

/** A running venue server. */
export interface VenueServer {
  port: number
  httpServer: HttpServer
  colyseus: Server
  /** Shuts rooms and connections down (does not exit the process). */
  close(): Promise<void>
}

// A full room's state (100 visitors × 21 int16 poses plus names) is over schema's 8 KiB default
// encode buffer; overflowing it warns and re-encodes on every full-state send.
Encoder.BUFFER_SIZE = 64 * 1024

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
  '.vrm': 'model/gltf-binary',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
}

/** Counts per room name and per instance, for operators (`GET /health`). */
export async function venueHealth(): Promise<{
  ok: true
  processId: string
  rooms: Record<string, { instances: number; clients: number }>
  instances: { name: string; roomId: string; instance: number; clients: number; maxClients: number; processId: string }[]
  /** This process's recent state-patch ticks (encode + send to all clients of a room). */
  patchTickMs: { p50: number; p95: number; samples: number }
}> {
  const caches = await matchMaker.query({})
  const rooms: Record<string, { instances: number; clients: number }> = {}
  for (const name of VENUE_ROOMS) rooms[name] = { instances: 0, clients: 0 }
  const instances = caches.map((c) => {
    const r = (rooms[c.name] ??= { instances: 0, clients: 0 })
    r.instances++
    r.clients += c.clients
    const meta = (c.metadata ?? {}) as { instance?: number }
    return { name: c.name, roomId: c.roomId, instance: meta.instance ?? 0, clients: c.clients, maxClients: c.maxClients, processId: c.processId }
  })
  const n = Math.min(venueTickStats.count, venueTickStats.samplesMs.length)
  const ticks = Array.from(venueTickStats.samplesMs.subarray(0, n)).sort((a, b) => a - b)
  const pct = (p: number) => (n ? Math.round(ticks[Math.min(n - 1, Math.floor(p * n))] * 1000) / 1000 : 0)
  return { ok: true, processId: matchMaker.processId, rooms, instances, patchTickMs: { p50: pct(0.5), p95: pct(0.95), samples: n } }
}

/**
 * Starts the venue: a Colyseus 0.16 server with the three room types on its own http server.
 * `GET /health` (and `/venue/health`) answers counts per room. With `staticDir` it also serves
 * the built app, so one port carries both (`npm run serve`). With `redisUrl` it loads
 * `@colyseus/redis-presence` and `@colyseus/redis-driver` so several processes share rooms.
 *
 * Colyseus' matchmaker is a module singleton: one venue server per process.
 */
export async function createVenueServer(options: VenueServerOptions): Promise<VenueServer> {
  const staticRoot = options.staticDir ? resolve(options.staticDir) : null
  const httpServer = createServer((req, res) => void handleHttp(req, res, staticRoot))
  let presence: Presence | undefined
  let driver: matchMaker.MatchMakerDriver | undefined
  if (options.redisUrl) {
    // Loaded only when asked for: the embedded default needs no Redis client at all.
    const { RedisPresence } = await import('@colyseus/redis-presence')
    const { RedisDriver } = await import('@colyseus/redis-driver')
    presence = new RedisPresence(options.redisUrl)
    driver = new RedisDriver(options.redisUrl)
  } else {
    presence = new LocalPresence()
  }
  setVenueTaskStore(options.redisUrl ? createPresenceTaskStore(presence) : createFileTaskStore(options.taskStorePath ?? defaultTaskFile()))
  const colyseus = new Server({
    transport: new WebSocketTransport({
      server: httpServer,
      maxPayload: VENUE_LIMITS.maxPayload,
      pingInterval: options.pingIntervalMs ?? 1500,
      pingMaxRetries: 2,
    }),
    presence,
    driver,
    publicAddress: options.publicAddress,
    greet: false,
    // The embedding process (Vite, a test) owns signals and exit.
    gracefullyShutdown: false,
  })
  for (const room of VENUE_ROOMS) colyseus.define(room, VenueRoom, { room, lockRestoreMs: options.lockRestoreMs })
  // Clients may only join; rooms are created by the matchmaker (joinOrCreate), never by name.
  matchMaker.controller.exposedMethods = ['joinOrCreate', 'join', 'joinById', 'reconnect']
  await colyseus.listen(options.port, options.host ?? '127.0.0.1')
  const port = (httpServer.address() as AddressInfo).port
  return {
    port,
    httpServer,
    colyseus,
    close: () => colyseus.gracefullyShutdown(false),
  }
}

async function handleHttp(req: IncomingMessage, res: ServerResponse, staticRoot: string | null): Promise<void> {
  const path = decodeURIComponent((req.url ?? '/').split('?')[0])
  if (path === '/health' || path === `${VENUE_PATH}/health`) {
    try {
      const body = JSON.stringify(await venueHealth())
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      res.end(body)
    } catch (e) {
      res.writeHead(503, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ ok: false, error: (e as Error).message }))
    }
    return
  }
  if (!staticRoot || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
    res.end('Not found / 未找到')
    return
  }
  // Static files of the build: no path may climb out of the root.
  let file = normalize(join(staticRoot, path))
  if (!file.startsWith(staticRoot)) {
    res.writeHead(403).end()
    return
  }
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html')
    const st = statSync(file)
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'content-length': st.size })
    if (req.method === 'HEAD') return void res.end()
    createReadStream(file).pipe(res)
  } catch {
    const notFound = join(staticRoot, '404.html')
    try {
      statSync(notFound)
      res.writeHead(404, { 'content-type': MIME['.html'] })
      createReadStream(notFound).pipe(res)
    } catch {
      res.writeHead(404).end()
    }
  }
}
