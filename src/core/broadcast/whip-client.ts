/**
 * WHIP (RFC 9725) publishing: the HTTP side of the protocol and the session state machine, with
 * the network, the peer connection and the timers injected so it runs (and is tested) in Node.
 *
 * One session: the peer makes an offer with every ICE candidate in it (WHIP has no trickle by
 * default), the client POSTs it as `application/sdp` (with `Authorization: Bearer` when a token is
 * given), the endpoint answers `201 Created` with the answer and a `Location` — the session's
 * resource, resolved against the endpoint URL — and the peer connects. Stop DELETEs the resource.
 *
 * States: `off → connecting → live`; a drop (the peer `failed`, or `disconnected` for longer than
 * a grace period, or the endpoint unreachable / 5xx) goes `reconnecting` and tries again after an
 * exponential back-off (1 s, 2 s, 4 s … capped at 30 s) on a new resource; what only the user can
 * fix (bad URL, 401/403, 404, another 4xx, 201 without Location, a 2xx/3xx that is not 201, an
 * answer that is not SDP, a resource on another origin) goes `failed` at once and never retries,
 * so a wrong token or a login page cannot turn into a retry storm that re-sends the token.
 * `stopping` is the DELETE on the way out.
 *
 * Secrets: the bearer token is sent only to the endpoint's origin, and the endpoint's query (where
 * providers put stream keys) is never shown: the view and every error detail carry
 * {@link displayEndpoint}, which hides it.
 */

import type { Bilingual } from '../i18n/strings'
import { createStore, shallowEqual } from '../store/store'
import { redactUrl } from './redact-url'

/** Where a WHIP session is. */
export type WhipState = 'off' | 'connecting' | 'live' | 'reconnecting' | 'failed' | 'stopping'

/** Why a session attempt failed. */
export type WhipFailureReason =
  | 'bad-url'
  | 'unauthorized'
  | 'not-found'
  | 'rejected'
  | 'http-status'
  | 'no-location'
  | 'bad-answer'
  | 'unexpected-answer'
  | 'cross-origin-resource'
  | 'network'
  | 'offer-failed'
  | 'ice-timeout'
  | 'connection-lost'

/** Failures only the user can fix: the session stops and the user is told. */
export const FATAL_WHIP_REASONS: ReadonlySet<WhipFailureReason> = new Set([
  'bad-url',
  'unauthorized',
  'not-found',
  'rejected',
  'no-location',
  // A server that answers with something other than SDP (a login page after a redirect, an error
  // page with 200) will answer the same way next time: re-POSTing only re-sends the token.
  'bad-answer',
  'unexpected-answer',
  'cross-origin-resource',
])

/** Why an attempt failed, in both languages (the Live panel and the app error show it). */
export const WHIP_FAILURE_MESSAGES: Readonly<Record<WhipFailureReason, Bilingual>> = {
  'bad-url': { zh: '服务器地址无效', en: 'The endpoint URL is not usable' },
  unauthorized: { zh: '令牌错误或无权限（401/403）', en: 'Wrong token or not allowed (401/403)' },
  'not-found': { zh: '服务器上没有这个地址（404）', en: 'No such endpoint on the server (404)' },
  rejected: { zh: '服务器拒绝了请求', en: 'The server refused the request' },
  'http-status': { zh: '服务器暂时出错', en: 'The server answered with an error' },
  'no-location': { zh: '服务器的应答缺少 Location', en: 'The server answer has no Location' },
  'bad-answer': {
    zh: '服务器的应答不是可用的 SDP：地址可能不是 WHIP 服务器。请检查服务器地址',
    en: 'The server answer is not a usable SDP: the address may not be a WHIP server. Check the endpoint URL',
  },
  'unexpected-answer': {
    zh: '服务器没有按 WHIP 协议应答（应为 201 Created），可能被重定向到了登录页。请检查服务器地址和令牌',
    en: 'The server did not answer as a WHIP server (201 Created expected); it may have redirected to a login page. Check the endpoint URL and the token',
  },
  'cross-origin-resource': {
    zh: '服务器把会话放在了另一个域名上；为了不把令牌发给别的网站，已停止直播。请联系服务提供方或换一个服务器',
    en: 'The server put the session on another origin; going live stopped so the token is not sent to another site. Ask the provider, or use another endpoint',
  },
  network: { zh: '无法连接服务器', en: 'The server cannot be reached' },
  'offer-failed': { zh: '无法创建 WebRTC 连接', en: 'The WebRTC connection could not be created' },
  'ice-timeout': { zh: '媒体连接超时（ICE/DTLS）', en: 'The media connection timed out (ICE/DTLS)' },
  'connection-lost': { zh: '连接中断', en: 'The connection dropped' },
}

/** A failure with its reason and the technical detail (status code, message). */
export interface WhipFailure {
  reason: WhipFailureReason
  /** Technical detail (status, header); never contains the token or the endpoint's query. */
  detail: string
  /** True when the session gave up and the user must act. */
  fatal: boolean
}

/** An ICE server offered by the endpoint in a `Link: <…>; rel="ice-server"` header (RFC 9725 §4.6). */
export interface WhipIceServer {
  urls: string
  username?: string
  credential?: string
}

/** Connection state of the peer as the client sees it. */
export type WhipPeerState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed'

/** One RTCPeerConnection, made by the browser layer for one attempt. */
export interface WhipPeer {
  /** Creates the offer, sets it locally, waits for ICE gathering; returns the complete SDP. */
  createOffer(): Promise<string>
  /** Applies the endpoint's answer. */
  setAnswer(sdp: string): Promise<void>
  /** Called on every connection state change. */
  onStateChange(listener: (state: WhipPeerState) => void): void
  close(): void
}

/** The HTTP response the client needs (a subset of fetch's Response). */
export interface WhipHttpResponse {
  status: number
  headers: { get(name: string): string | null }
  text(): Promise<string>
}

/** A request the client sends. */
export interface WhipHttpRequest {
  method: 'POST' | 'DELETE'
  headers: Record<string, string>
  body?: string
}

/** A cancellable timer (injected: the core has no wall clock). */
export interface WhipTimers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
  /** Milliseconds on a monotonic clock. */
  now(): number
}

/** What {@link createWhipClient} needs from the outside world. */
export interface WhipClientPorts {
  /** Sends an HTTP request; rejects on a network error. */
  http(url: string, request: WhipHttpRequest): Promise<WhipHttpResponse>
  /** Makes a fresh peer for one attempt, with the ICE servers the endpoint offered so far. */
  createPeer(iceServers: readonly WhipIceServer[]): WhipPeer
  timers: WhipTimers
}

/** Timing of the session. */
export interface WhipClientOptions {
  /** First back-off delay, ms (default 1000); doubles per failed attempt. */
  backoffBaseMs?: number
  /** Longest back-off delay, ms (default 30 000). */
  backoffCapMs?: number
  /** How long a live peer may stay `disconnected` before it counts as dropped, ms (default 4000). */
  disconnectGraceMs?: number
  /** Time from the POST to `connected` before the attempt counts as an ICE/DTLS timeout, ms (default 15 000). */
  connectTimeoutMs?: number
  /** Time the DELETE on stop may take before the peer is closed anyway, ms (default 5000). */
  deleteTimeoutMs?: number
}

/** What the UI and the snapshot show (a new object on every change, the same one until then). */
export interface WhipView {
  state: WhipState
  /** The endpoint URL without credentials and with its query values hidden, or null when off. */
  endpoint: string | null
  /** The current session's resource URL (query values hidden), or null. */
  resource: string | null
  etag: string | null
  /** Reconnect attempts since Go live (each new POST after a drop counts one). */
  reconnects: number
  /** Consecutive failed attempts (sets the next back-off); 0 while live. */
  attempt: number
  /** When the next attempt is due (timers.now() clock), or null. */
  retryAtMs: number | null
  /** Delay of the pending retry, ms, or null. */
  retryDelayMs: number | null
  lastError: WhipFailure | null
  iceServers: WhipIceServer[]
}

/** The client; see the file header. */
export interface WhipClient {
  readonly view: WhipView
  /** Called on every change of the view (a patch that changes nothing tells no one). */
  subscribe(listener: (view: WhipView) => void): () => void
  /** Goes live to the endpoint (from `off` or `failed`). A bad URL fails at once. */
  start(endpoint: string, token?: string | null): void
  /** Ends the session: DELETE on the resource (if any), close the peer, `off`. */
  stop(): Promise<void>
}

/** The back-off before attempt `n` (1-based) after a failure: base·2^(n−1), capped. */
export function backoffDelayMs(attempt: number, baseMs = 1000, capMs = 30_000): number {
  const n = Math.max(1, Math.floor(attempt))
  return Math.min(capMs, baseMs * 2 ** Math.min(n - 1, 30))
}

/**
 * Checks a WHIP endpoint URL: absolute http(s). Returns the URL, or the reason it is unusable.
 * Credentials in the URL are refused (the token goes in the Authorization header, never the URL).
 */
export function parseWhipEndpoint(input: string): { ok: true; url: URL } | { ok: false; detail: string } {
  const text = input.trim()
  if (!text) return { ok: false, detail: 'the endpoint URL is empty' }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return { ok: false, detail: `"${redactUrl(text)}" is not an absolute URL` }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, detail: `${url.protocol} is not http: or https:` }
  if (url.username || url.password) return { ok: false, detail: 'put the token in the token field, not in the URL' }
  return { ok: true, url }
}

/**
 * The endpoint as shown in the UI, the snapshot and errors: no credentials, no fragment, and
 * every query value hidden (providers put stream keys in the query under many names).
 */
export function displayEndpoint(url: URL | string): string {
  return redactUrl(typeof url === 'string' ? url : url.href, 'all')
}

/**
 * What may be remembered of an endpoint between visits: origin and path only. The query may hold
 * a stream key and the token field is never stored, so neither is written to localStorage.
 */
export function storableEndpoint(input: string): string {
  const parsed = parseWhipEndpoint(input)
  return parsed.ok ? redactUrl(parsed.url.href, 'drop') : ''
}

/** Maps an HTTP status of the POST that is not 201 to a failure reason. */
export function classifyWhipStatus(status: number): WhipFailureReason {
  // 200 (a login page after a followed redirect), another 2xx or a 3xx: not a WHIP answer.
  if (status >= 200 && status < 400) return 'unexpected-answer'
  if (status === 401 || status === 403) return 'unauthorized'
  if (status === 404) return 'not-found'
  // 408 and 429 are "later"; the other 4xx say the request itself is wrong.
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return 'rejected'
  return 'http-status'
}

/**
 * Reads the ICE servers from `Link` headers (RFC 9725 §4.6; fetch joins repeated headers with
 * ", "): `<turn:turn.example.net?transport=udp>; rel="ice-server"; username="u"; credential="p"`.
 */
export function parseIceServerLinks(header: string | null): WhipIceServer[] {
  if (!header) return []
  const servers: WhipIceServer[] = []
  // Each link is <uri> followed by ;-parameters up to the next ",<" (a comma inside <> or quotes stays).
  const linkRe = /<([^>]*)>((?:\s*;\s*[\w-]+(?:\s*=\s*(?:"[^"]*"|[^;,]*))?)*)/g
  for (const m of header.matchAll(linkRe)) {
    const params = new Map<string, string>()
    for (const p of m[2].matchAll(/;\s*([\w-]+)(?:\s*=\s*(?:"([^"]*)"|([^;,]*)))?/g)) params.set(p[1].toLowerCase(), (p[2] ?? p[3] ?? '').trim())
    const rel = (params.get('rel') ?? '').split(/\s+/)
    if (!rel.includes('ice-server')) continue
    const uri = m[1].trim()
    if (!/^(stun|stuns|turn|turns):/i.test(uri)) continue
    const server: WhipIceServer = { urls: uri }
    if (params.has('username')) server.username = params.get('username')
    if (params.has('credential')) server.credential = params.get('credential')
    servers.push(server)
  }
  return servers
}

/** Longest SDP answer accepted (a real one is a few KB; this bounds what reaches the peer). */
export const MAX_SDP_ANSWER_CHARS = 256 * 1024

/**
 * Checks that an answer body is an SDP session description (RFC 8866): starts with `v=0`, has at
 * least one `m=` media line, only `x=` lines, bounded. Returns null when it is, or why not.
 */
export function checkSdpAnswer(text: string): string | null {
  if (text.length > MAX_SDP_ANSWER_CHARS) return `the answer is ${text.length} characters, over ${MAX_SDP_ANSWER_CHARS}`
  const body = text.replace(/^\uFEFF/, '').trim()
  if (!body.startsWith('v=0')) {
    const start = body.slice(0, 24).replace(/[^\x20-\x7e]/g, '?')
    return `the answer does not start with "v=0" but with "${start}"`
  }
  const lines = body.split(/\r?\n/)
  const bad = lines.findIndex((l) => !/^[a-z]=/.test(l))
  if (bad >= 0) return `line ${bad + 1} of the answer is not an SDP line`
  if (!lines.some((l) => l.startsWith('m='))) return 'the answer has no m= media line'
  return null
}

/** One `getStats()` report entry the bitrate needs (a subset of RTCStats). */
export interface OutboundStatsEntry {
  type: string
  kind?: string
  bytesSent?: number
  framesEncoded?: number
  timestamp?: number
}

/** Bytes sent so far by every outbound RTP stream, and when. */
export interface OutboundSample {
  timestampMs: number
  bytesSent: number
  videoBytesSent: number
  framesEncoded: number
}

/** Sums the `outbound-rtp` entries of a stats report into one sample. */
export function summariseOutboundStats(entries: Iterable<OutboundStatsEntry>, fallbackTimestampMs: number): OutboundSample {
  let bytesSent = 0
  let videoBytesSent = 0
  let framesEncoded = 0
  let timestampMs = -1
  for (const e of entries) {
    if (e.type !== 'outbound-rtp') continue
    bytesSent += e.bytesSent ?? 0
    if (e.kind === 'video') {
      videoBytesSent += e.bytesSent ?? 0
      framesEncoded += e.framesEncoded ?? 0
    }
    if (typeof e.timestamp === 'number') timestampMs = Math.max(timestampMs, e.timestamp)
  }
  return { timestampMs: timestampMs >= 0 ? timestampMs : fallbackTimestampMs, bytesSent, videoBytesSent, framesEncoded }
}

/**
 * Kilobits per second between two samples (0 when time did not move or the counter went back,
 * which happens when a new peer replaced the old one).
 */
export function bitrateKbps(previous: OutboundSample | null, next: OutboundSample): number {
  if (!previous) return 0
  const dt = next.timestampMs - previous.timestampMs
  const db = next.bytesSent - previous.bytesSent
  if (dt <= 0 || db < 0) return 0
  return Math.round((db * 8) / dt)
}

/** Creates a WHIP client; see the file header. */
export function createWhipClient(ports: WhipClientPorts, options: WhipClientOptions = {}): WhipClient {
  const { timers } = ports
  const base = options.backoffBaseMs ?? 1000
  const cap = options.backoffCapMs ?? 30_000
  const graceMs = options.disconnectGraceMs ?? 4000
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000
  const deleteTimeoutMs = options.deleteTimeoutMs ?? 5000

  // A fresh session starts from the same blank view as the client itself.
  const blankView = (): WhipView => ({
    state: 'off',
    endpoint: null,
    resource: null,
    etag: null,
    reconnects: 0,
    attempt: 0,
    retryAtMs: null,
    retryDelayMs: null,
    lastError: null,
    iceServers: [],
  })
  const store = createStore<WhipView>(blankView(), shallowEqual)
  const view = store.get
  const set = (patch: Partial<WhipView>) => store.set((current) => ({ ...current, ...patch }))

  let endpoint: URL | null = null
  let token: string | null = null
  /** The current resource as the server gave it (the view shows it redacted). */
  let resourceUrl: string | null = null
  let peer: WhipPeer | null = null
  /** Bumped on every new attempt and on stop, so late callbacks of an old attempt do nothing. */
  let generation = 0
  let retryTimer: unknown = null
  let graceTimer: unknown = null
  let connectTimer: unknown = null

  const clear = (handle: unknown) => {
    if (handle !== null) timers.clearTimeout(handle)
  }
  const clearAllTimers = () => {
    clear(retryTimer)
    clear(graceTimer)
    clear(connectTimer)
    retryTimer = graceTimer = connectTimer = null
  }

  /** The token goes only to the endpoint's own origin (a resource is checked before it is kept). */
  const authHeaders = (target: string): Record<string, string> =>
    token && endpoint && sameOrigin(target, endpoint) ? { Authorization: `Bearer ${token}` } : {}

  /** DELETE a resource, at most `deleteTimeoutMs`; failures are ignored (the server may be gone). */
  function deleteResource(resource: string): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = timers.setTimeout(resolve, deleteTimeoutMs)
      ports.http(resource, { method: 'DELETE', headers: authHeaders(resource) }).then(
        () => {
          timers.clearTimeout(t)
          resolve()
        },
        () => {
          timers.clearTimeout(t)
          resolve()
        },
      )
    })
  }

  /** Ends the current attempt's peer and resource without waiting. */
  function dropSession(): void {
    const p = peer
    peer = null
    p?.close()
    const resource = resourceUrl
    resourceUrl = null
    if (resource) void deleteResource(resource)
  }

  function fail(reason: WhipFailureReason, detail: string, gen: number): void {
    if (gen !== generation) return
    clear(connectTimer)
    clear(graceTimer)
    connectTimer = graceTimer = null
    dropSession()
    const fatal = FATAL_WHIP_REASONS.has(reason)
    const lastError: WhipFailure = { reason, detail, fatal }
    if (fatal) {
      generation++
      set({ state: 'failed', resource: null, etag: null, retryAtMs: null, retryDelayMs: null, lastError })
      return
    }
    const attempt = view().attempt + 1
    const delay = backoffDelayMs(attempt, base, cap)
    set({ state: 'reconnecting', resource: null, etag: null, attempt, retryAtMs: timers.now() + delay, retryDelayMs: delay, lastError })
    retryTimer = timers.setTimeout(() => {
      retryTimer = null
      if (gen !== generation) return
      set({ reconnects: view().reconnects + 1 })
      void connect()
    }, delay)
  }

  async function connect(): Promise<void> {
    const gen = ++generation
    const url = endpoint
    if (!url) return
    if (view().state !== 'reconnecting') set({ state: 'connecting' })
    set({ retryAtMs: null, retryDelayMs: null })
    let p: WhipPeer
    let offer: string
    try {
      p = ports.createPeer(view().iceServers)
      peer = p
      offer = await p.createOffer()
    } catch (err) {
      fail('offer-failed', message(err), gen)
      return
    }
    if (gen !== generation) return
    p.onStateChange((s) => onPeerState(s, gen))

    let response: WhipHttpResponse
    try {
      response = await ports.http(url.href, { method: 'POST', headers: { 'Content-Type': 'application/sdp', ...authHeaders(url.href) }, body: offer })
    } catch (err) {
      fail('network', message(err), gen)
      return
    }
    if (gen !== generation) return
    if (response.status !== 201) {
      fail(classifyWhipStatus(response.status), `POST ${displayEndpoint(url)} → HTTP ${response.status}`, gen)
      return
    }
    const location = response.headers.get('Location')
    if (!location) {
      fail('no-location', 'the 201 answer has no Location header', gen)
      return
    }
    let resource: string
    try {
      resource = new URL(location, url).href
    } catch {
      fail('no-location', `Location "${displayEndpoint(location)}" is not a URL`, gen)
      return
    }
    if (!sameOrigin(resource, url)) {
      // Refused rather than DELETEd without the token: a resource we cannot end with the token is
      // one we cannot end at all, and a server (or a redirect) pointing the session at another
      // site is not one to stream to. Nothing is sent there; closing the peer ends the session
      // on the server's ICE timeout.
      fail('cross-origin-resource', `Location ${displayEndpoint(resource)} is not on ${url.origin}`, gen)
      return
    }
    resourceUrl = resource
    const links = parseIceServerLinks(response.headers.get('Link'))
    set({ resource: displayEndpoint(resource), etag: response.headers.get('ETag'), ...(links.length ? { iceServers: links } : {}) })
    let answer: string
    try {
      answer = await response.text()
      if (gen !== generation) return
      const wrong = checkSdpAnswer(answer)
      if (wrong) {
        fail('bad-answer', wrong, gen)
        return
      }
      await p.setAnswer(answer)
    } catch (err) {
      fail('bad-answer', message(err), gen)
      return
    }
    if (gen !== generation) return
    if (view().state !== 'live') {
      connectTimer = timers.setTimeout(() => {
        connectTimer = null
        fail('ice-timeout', `not connected ${Math.round(connectTimeoutMs / 1000)} s after the answer (ICE/DTLS)`, gen)
      }, connectTimeoutMs)
    }
  }

  function onPeerState(state: WhipPeerState, gen: number): void {
    if (gen !== generation) return
    if (state === 'connected') {
      clear(connectTimer)
      clear(graceTimer)
      connectTimer = graceTimer = null
      if (view().state !== 'live') set({ state: 'live', attempt: 0, retryAtMs: null, retryDelayMs: null })
      return
    }
    if (state === 'failed' || state === 'closed') {
      fail(view().state === 'live' ? 'connection-lost' : 'ice-timeout', `peer connection ${state}`, gen)
      return
    }
    if (state === 'disconnected' && view().state === 'live' && graceTimer === null) {
      // ICE often recovers from a short disconnection on its own: give it a moment first.
      graceTimer = timers.setTimeout(() => {
        graceTimer = null
        fail('connection-lost', `peer connection disconnected for ${Math.round(graceMs / 1000)} s`, gen)
      }, graceMs)
    }
  }

  let stopping: Promise<void> | null = null

  return {
    get view() {
      return view()
    },
    subscribe: store.subscribe,
    start(input, bearer) {
      if (view().state !== 'off' && view().state !== 'failed') return
      const parsed = parseWhipEndpoint(input)
      if (!parsed.ok) {
        endpoint = null
        set({ state: 'failed', endpoint: null, lastError: { reason: 'bad-url', detail: parsed.detail, fatal: true } })
        return
      }
      endpoint = parsed.url
      token = bearer?.trim() || null
      set({ ...blankView(), state: 'connecting', endpoint: displayEndpoint(parsed.url) })
      void connect()
    },
    stop() {
      if (stopping) return stopping
      if (view().state === 'off') return Promise.resolve()
      generation++
      clearAllTimers()
      const resource = resourceUrl
      resourceUrl = null
      const p = peer
      peer = null
      if (view().state === 'failed') {
        p?.close()
        set({ state: 'off', endpoint: null, resource: null, etag: null, retryAtMs: null, retryDelayMs: null })
        return Promise.resolve()
      }
      set({ state: 'stopping', retryAtMs: null, retryDelayMs: null })
      // DELETE first, then close: the server ends the session on the DELETE, not on a timeout.
      stopping = (resource ? deleteResource(resource) : Promise.resolve()).then(() => {
        p?.close()
        stopping = null
        set({ state: 'off', endpoint: null, resource: null, etag: null })
      })
      return stopping
    },
  }
}

function sameOrigin(target: string, base: URL): boolean {
  try {
    return new URL(target).origin === base.origin
  } catch {
    return false
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
