/**
 * A real WHIP ingest (RFC 9725) for the e2e tests, on 127.0.0.1 only, built on werift (a WebRTC
 * stack in TypeScript): POST an SDP offer → werift answers → 201 with `Location:
 * /whip/resource/<id>`; the RTP that arrives is counted per resource (video frames from the RTP
 * marker bit, which ends every frame); DELETE closes the peer (200), a second DELETE is 404.
 * `drop(back)` plays an endpoint that goes away: every peer is closed and the port refuses
 * connections until `back` (ms, or a promise the test settles), then the same port listens again. A wrong bearer token gets 401.
 * Browsers reach it cross-origin, so it answers CORS preflights as media servers do.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { RTCPeerConnection, useOPUS, useVP8 } from 'werift'

/** What the server knows about one WHIP session. */
export interface WhipResourceStats {
  id: string
  createdAt: number
  videoPackets: number
  videoFrames: number
  audioPackets: number
  connectionState: string
  deleted: boolean
  closed: boolean
}

/** One HTTP request the server saw. */
export interface WhipRequestLog {
  method: string
  path: string
  status: number
  authorization: string | null
}

/** Options of {@link startWhipServer}. */
export interface WhipServerOptions {
  /** The bearer token the endpoint requires (none when omitted). */
  token?: string
  /** Longest life of the server, ms (default 5 min): a test that forgets to stop cannot leak it. */
  maxLifetimeMs?: number
}

/** The running server. */
export interface WhipTestServer {
  /** `http://127.0.0.1:<port>/whip/endpoint` */
  endpoint: string
  resources(): WhipResourceStats[]
  requests(): WhipRequestLog[]
  /**
   * Closes every peer and refuses connections until `back` (ms, or a promise: the test ends the
   * outage once it has seen what it checks), then listens again on the same port.
   */
  drop(back: number | Promise<unknown>): Promise<void>
  close(): Promise<void>
}

const LOOPBACK = '127.0.0.1'
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, DELETE, OPTIONS, PATCH',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, If-Match',
  'Access-Control-Expose-Headers': 'Location, ETag, Link',
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      // An SDP offer is a few KB; anything this large is not one.
      if (size > 256 * 1024) reject(new Error('body too large'))
      else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function waitGathering(pc: RTCPeerConnection, ms: number): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve()
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms)
    pc.iceGatheringStateChange.subscribe((s) => {
      if (s === 'complete') {
        clearTimeout(t)
        resolve()
      }
    })
  })
}

/** Starts the WHIP ingest on an ephemeral loopback port. */
export async function startWhipServer(options: WhipServerOptions = {}): Promise<WhipTestServer> {
  const peers = new Map<string, { pc: RTCPeerConnection; stats: WhipResourceStats }>()
  const log: WhipRequestLog[] = []
  let nextId = 1
  let port = 0

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`)
    const authorization = req.headers.authorization ?? null
    const reply = (status: number, headers: Record<string, string> = {}, body = '') => {
      log.push({ method: req.method ?? '', path: url.pathname, status, authorization })
      res.writeHead(status, { ...CORS, ...headers })
      res.end(body)
    }
    if (req.method === 'OPTIONS') return reply(204)
    if (options.token !== undefined && authorization !== `Bearer ${options.token}`) return reply(401, { 'Content-Type': 'text/plain' }, 'bad token')

    if (req.method === 'POST' && url.pathname === '/whip/endpoint') {
      if (req.headers['content-type'] !== 'application/sdp') return reply(415)
      const offer = await readBody(req)
      const id = `r${nextId++}`
      const stats: WhipResourceStats = { id, createdAt: Date.now(), videoPackets: 0, videoFrames: 0, audioPackets: 0, connectionState: 'new', deleted: false, closed: false }
      const pc = new RTCPeerConnection({
        codecs: { video: [useVP8()], audio: [useOPUS()] },
        iceAdditionalHostAddresses: [LOOPBACK],
        iceInterfaceAddresses: { udp4: LOOPBACK },
        iceUseIpv6: false,
      })
      pc.connectionStateChange.subscribe((s) => {
        stats.connectionState = s
      })
      pc.onTrack.subscribe((track) => {
        track.onReceiveRtp.subscribe((rtp) => {
          if (track.kind === 'video') {
            stats.videoPackets++
            if (rtp.header.marker) stats.videoFrames++
          } else stats.audioPackets++
        })
      })
      try {
        await pc.setRemoteDescription({ type: 'offer', sdp: offer })
        await pc.setLocalDescription(await pc.createAnswer())
        await waitGathering(pc, 5000)
      } catch (err) {
        await pc.close()
        return reply(400, { 'Content-Type': 'text/plain' }, String(err))
      }
      peers.set(id, { pc, stats })
      return reply(201, { 'Content-Type': 'application/sdp', Location: `/whip/resource/${id}`, ETag: `"${id}"` }, pc.localDescription!.sdp)
    }

    const m = /^\/whip\/resource\/([\w-]+)$/.exec(url.pathname)
    if (req.method === 'DELETE' && m) {
      const entry = peers.get(m[1])
      if (!entry || entry.stats.deleted) return reply(404)
      entry.stats.deleted = true
      entry.stats.closed = true
      await entry.pc.close()
      return reply(200)
    }
    return reply(404)
  }

  const sockets = new Set<import('node:net').Socket>()
  const makeServer = () => {
    const s = createServer((req, res) => {
      handle(req, res).catch((err) => {
        if (!res.headersSent) res.writeHead(500, CORS)
        res.end(String(err))
      })
    })
    s.on('connection', (socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
    return s
  }
  const listen = (s: Server, p: number) =>
    new Promise<void>((resolve, reject) => {
      s.once('error', reject)
      s.listen(p, LOOPBACK, () => {
        s.off('error', reject)
        resolve()
      })
    })
  const shut = (s: Server) =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy()
      s.close(() => resolve())
    })

  let server = makeServer()
  await listen(server, 0)
  port = (server.address() as AddressInfo).port
  let closed = false
  const closeAllPeers = async () => {
    for (const { pc, stats } of peers.values()) {
      if (!stats.closed) {
        stats.closed = true
        await pc.close()
      }
    }
  }
  const lifetime = setTimeout(() => void api.close(), options.maxLifetimeMs ?? 300_000)
  lifetime.unref()

  const api: WhipTestServer = {
    endpoint: `http://${LOOPBACK}:${port}/whip/endpoint`,
    resources: () => [...peers.values()].map((p) => ({ ...p.stats })),
    requests: () => log.slice(),
    async drop(back) {
      await closeAllPeers()
      await shut(server)
      await (typeof back === 'number' ? new Promise((r) => setTimeout(r, back)) : back)
      if (closed) return
      server = makeServer()
      await listen(server, port)
    },
    async close() {
      if (closed) return
      closed = true
      clearTimeout(lifetime)
      await closeAllPeers()
      await shut(server)
    },
  }
  return api
}
