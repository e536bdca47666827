/**
 * The danmaku feed: a WebSocket client for a configurable address, with reconnect and back-off.
 * It only carries frames; what they mean (and whether they are allowed) is the core engine's job
 * (src/core/broadcast/danmaku.ts). Socket events are browser events, never the frame loop's: the
 * engine stamps each frame with the loop's latest time.
 *
 * A feed address may carry a user name, a password or a `?token=`: the socket gets the real
 * address, while the view (panel, snapshot, error text) only ever holds it redacted.
 */

import { redactUrl } from '../../core/broadcast/redact-url'
import { createStore, shallowEqual } from '../../core/store/store'

/** What the feed is doing. */
export type DanmakuFeedState = 'off' | 'connecting' | 'open' | 'reconnecting' | 'error'

/** Why the feed gave up (state `error`). */
export type DanmakuFeedError = 'unreachable' | 'refused'

/** A picture of the feed for the panel and the snapshot. */
export interface DanmakuFeedView {
  state: DanmakuFeedState
  /** The address with user, password and token-like query values hidden (never the real one). */
  url: string | null
  /** Failed attempts since the last open (or since connect). */
  failures: number
  /** When the state is `reconnecting`: the wait before the next attempt. */
  retryInMs: number | null
  error: DanmakuFeedError | null
  /** Technical detail of the error (close code, exception message). */
  detail: string | null
}

/** Back-off policy. */
export interface DanmakuFeedBackoff {
  /** First wait after a failure; doubles after each failure. */
  initialMs: number
  /** Longest wait. */
  maxMs: number
  /** Attempts in a row that never opened before the feed says nobody answers (a feed that was open retries for ever). */
  attemptsBeforeError: number
}

/** Defaults: 1 s, 2 s, 4 s… up to 30 s; four failed attempts without ever opening is "unreachable". */
export const DANMAKU_FEED_BACKOFF: Readonly<DanmakuFeedBackoff> = { initialMs: 1000, maxMs: 30_000, attemptsBeforeError: 4 }

/** The feed client. */
export interface DanmakuFeed {
  /** The current view: a new object on each change, the same one until then. */
  readonly view: Readonly<DanmakuFeedView>
  /** Connects to a checked ws:/wss: URL (see resolveDanmakuUrl), closing any current socket. */
  connect(url: string): void
  /** Closes the socket and stops reconnecting. */
  disconnect(): void
  /** Called on every change of the view. */
  subscribe(listener: (view: Readonly<DanmakuFeedView>) => void): () => void
  dispose(): void
}

/** Options of {@link createDanmakuFeed}. */
export interface DanmakuFeedOptions {
  /** Each frame as the socket delivered it (a string, or an ArrayBuffer for a binary frame). */
  onFrame(data: unknown): void
  backoff?: Partial<DanmakuFeedBackoff>
}

/** Creates a feed client in state `off`. */
export function createDanmakuFeed(options: DanmakuFeedOptions): DanmakuFeed {
  const backoff = { ...DANMAKU_FEED_BACKOFF, ...options.backoff }
  // Replaced on change (never mutated), so a listener or React may keep the object it was given.
  const store = createStore<Readonly<DanmakuFeedView>>({ state: 'off', url: null, failures: 0, retryInMs: null, error: null, detail: null }, shallowEqual)
  let socket: WebSocket | null = null
  /** The real address; only the socket sees it. */
  let target: string | null = null
  // An exception message may quote the address: show it redacted there too.
  const clean = (text: string) => (target ? text.split(target).join(redactUrl(target)) : text)
  let timer: ReturnType<typeof setTimeout> | null = null
  // Whether the current address ever opened: a feed that worked keeps retrying, one that never did gives up.
  let everOpened = false

  const set = (patch: Partial<DanmakuFeedView>) => store.set((current) => ({ ...current, ...patch }))
  const closeSocket = () => {
    if (timer !== null) clearTimeout(timer)
    timer = null
    const s = socket
    socket = null
    if (!s) return
    s.onopen = s.onclose = s.onerror = s.onmessage = null
    if (s.readyState === WebSocket.CONNECTING || s.readyState === WebSocket.OPEN) s.close(1000, 'disconnect')
  }

  const open = () => {
    const url = target
    if (url === null) return
    let s: WebSocket
    try {
      s = new WebSocket(url)
    } catch (err) {
      // A SyntaxError or SecurityError (bad address, blocked port, mixed content): retrying cannot help.
      set({ state: 'error', error: 'refused', detail: clean(err instanceof Error ? err.message : String(err)), retryInMs: null })
      return
    }
    s.binaryType = 'arraybuffer'
    socket = s
    s.onopen = () => {
      everOpened = true
      set({ state: 'open', failures: 0, retryInMs: null, error: null, detail: null })
    }
    s.onmessage = (event) => options.onFrame(event.data)
    // The browser reports a failed or lost connection as error then close; close alone decides.
    s.onclose = (event) => {
      if (socket !== s) return
      socket = null
      const failures = store.get().failures + 1
      const detail = clean(`close ${event.code}${event.reason ? ` ${event.reason.slice(0, 123)}` : ''}`)
      if (!everOpened && failures >= backoff.attemptsBeforeError) {
        set({ state: 'error', error: 'unreachable', failures, retryInMs: null, detail })
        return
      }
      const wait = Math.min(backoff.maxMs, backoff.initialMs * 2 ** (failures - 1))
      set({ state: 'reconnecting', failures, retryInMs: wait, detail })
      timer = setTimeout(() => {
        timer = null
        set({ state: 'connecting', retryInMs: null })
        open()
      }, wait)
    }
  }

  return {
    get view() {
      return store.get()
    },
    connect(url) {
      closeSocket()
      everOpened = false
      target = url
      set({ state: 'connecting', url: redactUrl(url), failures: 0, retryInMs: null, error: null, detail: null })
      open()
    },
    disconnect() {
      closeSocket()
      set({ state: 'off', failures: 0, retryInMs: null, error: null, detail: null })
    },
    subscribe: store.subscribe,
    dispose() {
      closeSocket()
      store.clear()
    },
  }
}
