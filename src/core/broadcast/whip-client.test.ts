import { describe, expect, it } from 'vitest'
import {
  backoffDelayMs,
  bitrateKbps,
  classifyWhipStatus,
  createWhipClient,
  displayEndpoint,
  parseIceServerLinks,
  parseWhipEndpoint,
  storableEndpoint,
  checkSdpAnswer,
  WHIP_FAILURE_MESSAGES,
  summariseOutboundStats,
  type WhipHttpRequest,
  type WhipHttpResponse,
  type WhipPeer,
  type WhipPeerState,
  type WhipTimers,
} from './whip-client'

/** Timers on a hand-driven clock: advance() fires what falls due, in order. */
function createFakeTimers(): WhipTimers & { advance(ms: number): Promise<void>; pending(): number } {
  let now = 0
  let nextId = 1
  const queue = new Map<number, { at: number; fn: () => void }>()
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++
      queue.set(id, { at: now + ms, fn })
      return id
    },
    clearTimeout(handle) {
      queue.delete(handle as number)
    },
    pending: () => queue.size,
    async advance(ms) {
      const end = now + ms
      for (;;) {
        await flush()
        let due: [number, { at: number; fn: () => void }] | null = null
        for (const entry of queue) if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry
        if (!due) break
        queue.delete(due[0])
        now = due[1].at
        due[1].fn()
      }
      now = end
      await flush()
    },
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}

function response(status: number, headers: Record<string, string> = {}, body = ''): WhipHttpResponse {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
  return { status, headers: { get: (n) => lower.get(n.toLowerCase()) ?? null }, text: async () => body }
}

interface FakePeer extends WhipPeer {
  emit(state: WhipPeerState): void
  closed: boolean
  answer: string | null
}

function setup(script: (url: string, req: WhipHttpRequest, n: number) => WhipHttpResponse | Error | Promise<WhipHttpResponse>) {
  const timers = createFakeTimers()
  const requests: { url: string; req: WhipHttpRequest }[] = []
  const peers: FakePeer[] = []
  const client = createWhipClient(
    {
      timers,
      http: async (url, req) => {
        requests.push({ url, req })
        const r = script(url, req, requests.length)
        if (r instanceof Error) throw r
        return r
      },
      createPeer: () => {
        let listener: (s: WhipPeerState) => void = () => {}
        const peer: FakePeer = {
          closed: false,
          answer: null,
          createOffer: async () => `v=0 offer ${peers.indexOf(peer)}`,
          setAnswer: async (sdp) => {
            peer.answer = sdp
          },
          onStateChange: (l) => {
            listener = l
          },
          close: () => {
            peer.closed = true
          },
          emit: (s) => listener(s),
        }
        peers.push(peer)
        return peer
      },
    },
    { backoffBaseMs: 1000, backoffCapMs: 30_000, disconnectGraceMs: 4000, connectTimeoutMs: 15_000 },
  )
  return { client, timers, requests, peers }
}

/** The smallest answer that is SDP: version, origin, session, time and one media line. */
const ANSWER = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n'
const created = (id: string) => response(201, { Location: `/whip/resource/${id}`, 'Content-Type': 'application/sdp', ETag: `"e-${id}"` }, ANSWER)

describe('WHIP client', () => {
  it('tells listeners each change of the view, never a patch that changes nothing', async () => {
    const { client, timers, peers } = setup(() => created('a'))
    const views: string[] = []
    client.subscribe((v) => views.push(v.state))
    const blank = client.view
    await client.stop()
    expect(client.view).toBe(blank)
    client.start('http://127.0.0.1:9000/whip/endpoint', null)
    await timers.advance(0)
    peers[0].emit('connected')
    // A second 'connected' while live changes nothing.
    peers[0].emit('connected')
    expect(client.view.state).toBe('live')
    // Start, the resource and ETag from the answer, live: connect()'s repeated 'connecting' and cleared retry tell no one.
    expect(views).toEqual(['connecting', 'connecting', 'live'])
  })
  it('POSTs the offer with the token, resolves the Location against the endpoint and goes live', async () => {
    const { client, timers, requests, peers } = setup(() => created('a'))
    client.start('http://127.0.0.1:9000/whip/endpoint?room=1', 'secret')
    expect(client.view.state).toBe('connecting')
    await timers.advance(0)
    expect(requests).toHaveLength(1)
    expect(requests[0].url).toBe('http://127.0.0.1:9000/whip/endpoint?room=1')
    expect(requests[0].req).toEqual({ method: 'POST', headers: { 'Content-Type': 'application/sdp', Authorization: 'Bearer secret' }, body: 'v=0 offer 0' })
    expect(peers[0].answer).toBe(ANSWER)
    expect(client.view.resource).toBe('http://127.0.0.1:9000/whip/resource/a')
    expect(client.view.etag).toBe('"e-a"')
    expect(client.view.state).toBe('connecting')
    peers[0].emit('connected')
    // The query may hold a stream key: the view shows its names, never its values.
    expect(client.view).toMatchObject({ state: 'live', endpoint: 'http://127.0.0.1:9000/whip/endpoint?room=***', reconnects: 0, lastError: null })
  })

  it('sends no Authorization header without a token', async () => {
    const { client, timers, requests } = setup(() => created('a'))
    client.start('https://example.net/whip', '  ')
    await timers.advance(0)
    expect(requests[0].req.headers).toEqual({ 'Content-Type': 'application/sdp' })
  })

  it('stop DELETEs the resource with the token, then closes the peer and is off', async () => {
    const { client, timers, requests, peers } = setup((_u, req) => (req.method === 'POST' ? created('a') : response(200)))
    client.start('http://127.0.0.1:9000/whip', 't')
    await timers.advance(0)
    peers[0].emit('connected')
    const done = client.stop()
    expect(client.view.state).toBe('stopping')
    await done
    expect(requests[1]).toEqual({ url: 'http://127.0.0.1:9000/whip/resource/a', req: { method: 'DELETE', headers: { Authorization: 'Bearer t' } } })
    expect(peers[0].closed).toBe(true)
    expect(client.view).toMatchObject({ state: 'off', resource: null, endpoint: null })
  })

  it('stop still ends when the DELETE never answers (bounded by the delete timeout)', async () => {
    const { client, timers, peers } = setup((_u, req) => (req.method === 'POST' ? created('a') : new Promise<WhipHttpResponse>(() => {})))
    client.start('http://h/whip')
    await timers.advance(0)
    peers[0].emit('connected')
    let ended = false
    void client.stop().then(() => (ended = true))
    await timers.advance(4999)
    expect(ended).toBe(false)
    await timers.advance(1)
    expect(ended).toBe(true)
    expect(client.view.state).toBe('off')
    expect(peers[0].closed).toBe(true)
  })

  it.each([
    [401, 'unauthorized'],
    [403, 'unauthorized'],
    [404, 'not-found'],
    [400, 'rejected'],
  ] as const)('HTTP %i fails at once with %s and never retries (no retry storm)', async (status, reason) => {
    const { client, timers, requests, peers } = setup(() => response(status))
    client.start('http://127.0.0.1:9000/whip', 'wrong')
    await timers.advance(0)
    expect(client.view).toMatchObject({ state: 'failed', lastError: { reason, fatal: true } })
    expect(peers[0].closed).toBe(true)
    await timers.advance(120_000)
    expect(requests).toHaveLength(1)
    expect(timers.pending()).toBe(0)
  })

  it('201 without Location is a failure the user must know about', async () => {
    const { client, timers } = setup(() => response(201, {}, 'v=0'))
    client.start('http://h/whip')
    await timers.advance(0)
    expect(client.view).toMatchObject({ state: 'failed', lastError: { reason: 'no-location', fatal: true } })
  })

  it('a bad URL fails without any request', async () => {
    const { client, timers, requests } = setup(() => created('a'))
    client.start('ftp://h/whip')
    await timers.advance(0)
    expect(client.view).toMatchObject({ state: 'failed', lastError: { reason: 'bad-url', fatal: true } })
    client.start('not a url')
    expect(client.view.lastError?.detail).toMatch(/not an absolute URL/)
    expect(requests).toHaveLength(0)
  })

  it('an unreachable endpoint is retried with exponential back-off up to the cap, then goes live', async () => {
    let up = false
    const { client, timers, requests, peers } = setup(() => (up ? created(`r${requests.length}`) : new TypeError('Failed to fetch')))
    client.start('http://127.0.0.1:9000/whip')
    await timers.advance(0)
    expect(client.view).toMatchObject({ state: 'reconnecting', attempt: 1, retryDelayMs: 1000, retryAtMs: 1000, lastError: { reason: 'network', fatal: false } })
    const delays: number[] = [client.view.retryDelayMs!]
    for (let i = 0; i < 6; i++) {
      await timers.advance(client.view.retryDelayMs!)
      delays.push(client.view.retryDelayMs!)
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000])
    expect(client.view.reconnects).toBe(6)
    expect(requests).toHaveLength(7)
    up = true
    await timers.advance(30_000)
    expect(client.view.state).toBe('reconnecting')
    peers.at(-1)!.emit('connected')
    expect(client.view).toMatchObject({ state: 'live', attempt: 0, reconnects: 7, retryAtMs: null })
  })

  it('5xx is retried, a live peer that fails reconnects on a new resource and DELETEs the old one', async () => {
    let n = 0
    const { client, timers, requests, peers } = setup((_u, req) => {
      if (req.method === 'DELETE') return response(200)
      n++
      return n === 1 ? response(503) : created(`r${n}`)
    })
    client.start('http://h/whip')
    await timers.advance(0)
    expect(client.view).toMatchObject({ state: 'reconnecting', lastError: { reason: 'http-status' } })
    await timers.advance(1000)
    peers[1].emit('connected')
    expect(client.view).toMatchObject({ state: 'live', resource: 'http://h/whip/resource/r2' })
    peers[1].emit('failed')
    expect(client.view).toMatchObject({ state: 'reconnecting', resource: null, attempt: 1, lastError: { reason: 'connection-lost' } })
    expect(peers[1].closed).toBe(true)
    await timers.advance(0)
    expect(requests.at(-1)).toMatchObject({ url: 'http://h/whip/resource/r2', req: { method: 'DELETE' } })
    await timers.advance(1000)
    peers[2].emit('connected')
    expect(client.view).toMatchObject({ state: 'live', resource: 'http://h/whip/resource/r3', reconnects: 2 })
  })

  it('a short disconnection within the grace period is not a drop; a long one is', async () => {
    const { client, timers, peers } = setup((_u, req) => (req.method === 'DELETE' ? response(200) : created('a')))
    client.start('http://h/whip')
    await timers.advance(0)
    peers[0].emit('connected')
    peers[0].emit('disconnected')
    await timers.advance(3000)
    peers[0].emit('connected')
    await timers.advance(10_000)
    expect(client.view.state).toBe('live')
    peers[0].emit('disconnected')
    await timers.advance(4000)
    expect(client.view).toMatchObject({ state: 'reconnecting', lastError: { reason: 'connection-lost', fatal: false } })
  })

  it('no connection after the answer is an ICE/DTLS timeout, retried', async () => {
    const { client, timers, peers } = setup((_u, req) => (req.method === 'DELETE' ? response(200) : created('a')))
    client.start('http://h/whip')
    await timers.advance(14_999)
    expect(client.view.state).toBe('connecting')
    await timers.advance(1)
    expect(client.view).toMatchObject({ state: 'reconnecting', lastError: { reason: 'ice-timeout' } })
    expect(peers[0].closed).toBe(true)
  })

  it('stop during a back-off cancels the retry; late events of the old peer are ignored', async () => {
    const { client, timers, requests, peers } = setup(() => new TypeError('Failed to fetch'))
    client.start('http://h/whip')
    await timers.advance(0)
    await client.stop()
    expect(client.view.state).toBe('off')
    await timers.advance(60_000)
    expect(requests).toHaveLength(1)
    peers[0].emit('connected')
    expect(client.view.state).toBe('off')
  })

  it('remembers ICE servers from Link headers for the next attempt', async () => {
    const seen: unknown[] = []
    const timers = createFakeTimers()
    let n = 0
    const client = createWhipClient({
      timers,
      http: async () => {
        n++
        return n === 1 ? response(503, { Link: '<stun:stun.example.net>; rel="ice-server"' }) : response(201, { Location: 'r', Link: '<turn:t.example.net?transport=udp>; rel="ice-server"; username="u"; credential="p"' }, ANSWER)
      },
      createPeer: (ice) => {
        seen.push(ice)
        return { createOffer: async () => 'o', setAnswer: async () => {}, onStateChange: () => {}, close: () => {} }
      },
    })
    client.start('http://h/whip/endpoint')
    await timers.advance(0)
    expect(client.view.resource).toBeNull()
    await timers.advance(1000)
    expect(client.view.resource).toBe('http://h/whip/r')
    expect(client.view.iceServers).toEqual([{ urls: 'turn:t.example.net?transport=udp', username: 'u', credential: 'p' }])
    expect(seen).toEqual([[], []])
  })
})

describe('WHIP helpers', () => {
  it('back-off doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffDelayMs(n))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000])
    expect(backoffDelayMs(3, 500, 1500)).toBe(1500)
  })

  it('classifies statuses', () => {
    expect([401, 403, 404, 400, 415, 408, 429, 500, 503, 302, 200, 204].map(classifyWhipStatus)).toEqual([
      'unauthorized',
      'unauthorized',
      'not-found',
      'rejected',
      'rejected',
      'http-status',
      'http-status',
      'http-status',
      'http-status',
      'unexpected-answer',
      'unexpected-answer',
      'unexpected-answer',
    ])
  })

  it('parses endpoints and refuses credentials in the URL', () => {
    expect(parseWhipEndpoint(' http://127.0.0.1:8889/cam/whip ')).toMatchObject({ ok: true })
    expect(parseWhipEndpoint('')).toMatchObject({ ok: false })
    expect(parseWhipEndpoint('https://u:p@h/whip')).toMatchObject({ ok: false, detail: /token field/ })
    expect(parseWhipEndpoint('ws://h/whip')).toMatchObject({ ok: false })
  })

  it('shows the endpoint without a fragment and with every query value hidden', () => {
    expect(displayEndpoint(new URL('https://media.example.net:8889/lingjing/whip?x=1#frag'))).toBe('https://media.example.net:8889/lingjing/whip?x=***')
    expect(displayEndpoint(new URL('https://h/whip?streamid=live%2Fabc&app='))).toBe('https://h/whip?streamid=***&app=')
  })

  it('stores the endpoint without its query (stream keys) and never a credential', () => {
    expect(storableEndpoint(' https://h:8889/live/whip?key=sk_live_123#x ')).toBe('https://h:8889/live/whip')
    expect(storableEndpoint('not a url')).toBe('')
  })

  it('accepts an SDP answer and refuses what is not one', () => {
    expect(checkSdpAnswer(ANSWER)).toBeNull()
    expect(checkSdpAnswer('<!doctype html><title>Sign in</title>')).toMatch(/v=0/)
    expect(checkSdpAnswer('v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n')).toMatch(/m=/)
    expect(checkSdpAnswer('v=0\r\n<html>\r\nm=video 9 x 96')).toMatch(/line 2/)
    expect(checkSdpAnswer(`v=0\r\nm=video 9 x 96\r\n${'a=x\r\n'.repeat(60_000)}`)).toMatch(/over/)
  })

  it('parses ice-server links and ignores other rels', () => {
    const header =
      '<stun:stun.example.net>; rel="ice-server", <turn:turn.example.net?transport=tcp>; rel="ice-server"; username="user"; credential="p,ass"; credential-type="password", <https://h/x>; rel="next"'
    expect(parseIceServerLinks(header)).toEqual([
      { urls: 'stun:stun.example.net' },
      { urls: 'turn:turn.example.net?transport=tcp', username: 'user', credential: 'p,ass' },
    ])
    expect(parseIceServerLinks(null)).toEqual([])
  })

  it('computes kbps from successive outbound-rtp samples', () => {
    const a = summariseOutboundStats(
      [
        { type: 'outbound-rtp', kind: 'video', bytesSent: 100_000, framesEncoded: 30, timestamp: 1000 },
        { type: 'outbound-rtp', kind: 'audio', bytesSent: 5_000, timestamp: 1000 },
        { type: 'inbound-rtp', kind: 'video', bytesSent: 999_999, timestamp: 1000 } as never,
      ],
      0,
    )
    expect(a).toEqual({ timestampMs: 1000, bytesSent: 105_000, videoBytesSent: 100_000, framesEncoded: 30 })
    const b = summariseOutboundStats(
      [
        { type: 'outbound-rtp', kind: 'video', bytesSent: 350_000, framesEncoded: 60, timestamp: 2000 },
        { type: 'outbound-rtp', kind: 'audio', bytesSent: 10_000, timestamp: 2000 },
      ],
      0,
    )
    // 255 000 bytes in 1 s = 2040 kbit/s
    expect(bitrateKbps(a, b)).toBe(2040)
    expect(bitrateKbps(null, b)).toBe(0)
    expect(bitrateKbps(b, a)).toBe(0)
    expect(bitrateKbps(b, b)).toBe(0)
    expect(summariseOutboundStats([], 42).timestampMs).toBe(42)
  })
})

describe('WHIP client: hostile servers (issue 16 items 7, 8, 9)', () => {
  it('a Location on another origin is refused: no DELETE, no token sent there, no retry', async () => {
    const { client, timers, requests, peers } = setup((_u, req) =>
      req.method === 'POST' ? response(201, { Location: 'https://evil.example/steal', 'Content-Type': 'application/sdp' }, ANSWER) : response(200),
    )
    client.start('https://media.example.net/whip', 'secret')
    await timers.advance(0)
    expect(client.view).toMatchObject({ state: 'failed', resource: null, lastError: { reason: 'cross-origin-resource', fatal: true } })
    expect(peers[0].closed).toBe(true)
    await timers.advance(120_000)
    await client.stop()
    expect(requests.filter((r) => !r.url.startsWith('https://media.example.net/'))).toEqual([])
    expect(requests.filter((r) => r.req.headers.Authorization && new URL(r.url).origin !== 'https://media.example.net')).toEqual([])
    expect(requests).toHaveLength(1)
  })

  it('a same-origin Location still gets the DELETE with the token', async () => {
    const { client, timers, requests, peers } = setup((_u, req) => (req.method === 'POST' ? created('a') : response(200)))
    client.start('https://media.example.net/whip', 'secret')
    await timers.advance(0)
    peers[0].emit('connected')
    await client.stop()
    expect(requests[1]).toEqual({ url: 'https://media.example.net/whip/resource/a', req: { method: 'DELETE', headers: { Authorization: 'Bearer secret' } } })
  })

  it.each([
    ['a 200 login page', () => response(200, { 'Content-Type': 'text/html' }, '<!doctype html><form>Sign in</form>'), 'unexpected-answer'],
    ['a 204', () => response(204), 'unexpected-answer'],
    ['a 302', () => response(302, { Location: '/login' }), 'unexpected-answer'],
    ['a 201 with an HTML body', () => response(201, { Location: '/whip/r/1' }, '<html>nope</html>'), 'bad-answer'],
    ['a 201 with SDP garbage', () => response(201, { Location: '/whip/r/1' }, 'v=0\r\nthis is not sdp'), 'bad-answer'],
  ] as const)('%s is fatal: the offer and the token are POSTed once, never again', async (_name, answer, reason) => {
    const { client, timers, requests, peers } = setup((_u, req) => (req.method === 'POST' ? answer() : response(200)))
    client.start('https://media.example.net/whip', 'secret')
    await timers.advance(0)
    expect(client.view).toMatchObject({ state: 'failed', lastError: { reason, fatal: true } })
    expect(peers[0].answer).toBeNull()
    await timers.advance(300_000)
    expect(requests.filter((r) => r.req.method === 'POST')).toHaveLength(1)
    expect(timers.pending()).toBe(0)
    const message = WHIP_FAILURE_MESSAGES[reason]
    expect(message.zh).toMatch(/[\u4e00-\u9fff]/)
    expect(message.en.length).toBeGreaterThan(20)
  })

  it('a peer that rejects the answer is fatal too (the server would answer the same again)', async () => {
    const timers = createFakeTimers()
    let posts = 0
    const client = createWhipClient({
      timers,
      http: async (_u, req) => {
        if (req.method === 'POST') posts++
        return req.method === 'POST' ? created('a') : response(200)
      },
      createPeer: () => ({
        createOffer: async () => 'o',
        setAnswer: async () => {
          throw new Error('Failed to parse SessionDescription')
        },
        onStateChange: () => {},
        close: () => {},
      }),
    })
    client.start('https://media.example.net/whip', 'secret')
    await timers.advance(0)
    expect(client.view).toMatchObject({ state: 'failed', lastError: { reason: 'bad-answer', fatal: true } })
    await timers.advance(300_000)
    expect(posts).toBe(1)
  })

  it('the stream key in the endpoint query never appears in the view or an error', async () => {
    const { client, timers } = setup(() => response(500))
    client.start('https://media.example.net/whip?key=sk_live_0123456789abcdef', 'secret')
    await timers.advance(0)
    const text = JSON.stringify(client.view)
    expect(text).not.toContain('sk_live_0123456789abcdef')
    expect(text).not.toContain('secret')
    expect(client.view.lastError?.detail).toContain('key=***')
    client.start('x://u:p@h?token=abcdefabcdef12345', 'secret')
    await client.stop()
    const bad = setup(() => response(500))
    bad.client.start('not a url ?token=abcdefabcdef12345')
    expect(JSON.stringify(bad.client.view)).not.toContain('abcdefabcdef12345')
  })
})
