/**
 * The danmaku desk of a programme: the feed (socket), the core engine (limits and lanes) and the
 * overlay (atlas and quads), wired together, with a throttled view for the panel and the
 * snapshot. Plain object; `useDanmaku` mounts it in a broadcast.
 */
import type { WebGLRenderer } from 'three'
import { DANMAKU_DEFAULTS, createDanmakuEngine, resolveDanmakuUrl, type DanmakuEngine, type DanmakuMessage, type DanmakuUrlResult } from '../../core/broadcast/danmaku'
import { createEmitter, createStore } from '../../core/store/store'
import { createDanmakuFeed, type DanmakuFeed, type DanmakuFeedBackoff, type DanmakuFeedView } from './danmaku-feed'
import { createDanmakuOverlay, type DanmakuOverlay } from './danmaku-overlay'

/** What the panel shows (a new object per notification, never per frame). */
export interface DanmakuView {
  feed: Readonly<DanmakuFeedView>
  onAir: boolean
  shown: number
  active: number
  pending: number
  received: number
  truncated: number
  dropped: { rate: number; malformed: number; queue: number }
  recent: readonly DanmakuMessage[]
}

/** True when two views show the same: the feed's view is replaced on change, messages are kept objects. */
function sameView(a: DanmakuView, b: DanmakuView): boolean {
  return (
    a.feed === b.feed &&
    a.onAir === b.onAir &&
    a.shown === b.shown &&
    a.active === b.active &&
    a.pending === b.pending &&
    a.received === b.received &&
    a.truncated === b.truncated &&
    a.dropped.rate === b.dropped.rate &&
    a.dropped.malformed === b.dropped.malformed &&
    a.dropped.queue === b.dropped.queue &&
    a.recent.length === b.recent.length &&
    a.recent.every((m, i) => m === b.recent[i])
  )
}

/** `snapshot().broadcast.danmaku`. */
export interface DanmakuSnapshot {
  state: DanmakuFeedView['state']
  url: string | null
  error: string | null
  onAir: boolean
  shown: number
  active: number
  pending: number
  received: number
  dropped: { rate: number; malformed: number; queue: number }
  truncated: number
  lanes: number
  /** Active messages inside the picture at the last programme frame (drawn when on air). */
  visible: number
  /** Of those, wholly inside the picture. */
  inside: number
  /** Messages rasterised into the atlas (each once) and quads drawn in the last programme frame. */
  rasterised: number
  drawn: number
  /** Time spent rasterising and uploading messages, in total and per message. */
  rasterMs: number
  rasterMeanMs: number
  /** One-off font loading and first upload, before the first comment (off the programme frame). */
  warmUpMs: number
  /** Cost of the overlay inside the last programme frame, and its mean over the programme frames that drew it (rasterising included). */
  overlayMs: number
  overlayMeanMs: number
  overlayFrames: number
  recent: string[]
}

/** The danmaku desk; see the file header. */
export interface DanmakuStation {
  readonly engine: DanmakuEngine
  readonly feed: DanmakuFeed
  readonly overlay: DanmakuOverlay
  /** The frame loop's time of the latest frame (written by the frame system; stamps incoming frames). */
  nowMs: number
  readonly onAir: boolean
  setOnAir(onAir: boolean): void
  /** Checks and connects to what the user typed (`demo`, a path, ws:/wss:); a bad address is returned, not thrown. */
  connect(input: string): DanmakuUrlResult
  disconnect(): void
  /** The view now (fresh counters; the same object as before when nothing changed). */
  view(): DanmakuView
  /** Notified on feed state changes at once and on counter changes at most every 250 ms; only when the view changed. */
  subscribe(listener: (view: DanmakuView) => void): () => void
  /** Notified of each message the engine accepted (on arrival, from the socket, never per frame): e.g. `!wave` commands. */
  onMessage(listener: (message: DanmakuMessage) => void): () => void
  /** Updates the lanes to `nowMs` and draws (when on air) into the bound output target: the programme output's overlay hook. */
  renderOverlay(gl: WebGLRenderer): void
  snapshot(): DanmakuSnapshot
  dispose(): void
}

/** Options of {@link createDanmakuStation}. */
export interface DanmakuStationOptions {
  /** The app's clock, for the overlay's cost (the same clock the programme job is timed with). */
  clock: { now(): number }
  /** The page address relative feed paths resolve against. */
  pageHref: string
  backoff?: Partial<DanmakuFeedBackoff>
}

const NOTIFY_MS = 250

function countVisible(engine: DanmakuEngine, wholly: boolean): number {
  let n = 0
  const w = engine.config.width
  for (let i = 0; i < engine.activeCount; i++) {
    const { x, width } = engine.active[i]
    if (wholly ? x >= 0 && x + width <= w : x < w && x + width > 0) n++
  }
  return n
}

/** Creates a station with the feed off and the overlay on air. */
export function createDanmakuStation(options: DanmakuStationOptions): DanmakuStation {
  let notifyTimer: ReturnType<typeof setTimeout> | null = null
  let onAir = true
  let overlayMs = 0
  let overlaySum = 0
  let overlayFrames = 0

  // One layout for both: the engine lays out in the space the overlay's atlas and quads are built for.
  const overlay = createDanmakuOverlay(DANMAKU_DEFAULTS, options.clock)
  const engine = createDanmakuEngine(overlay.measure, DANMAKU_DEFAULTS)
  const view = (): DanmakuView => ({
    feed: feed.view,
    onAir,
    shown: engine.stats.shown,
    active: engine.activeCount,
    pending: engine.pendingCount,
    received: engine.stats.received,
    truncated: engine.stats.truncated,
    dropped: { ...engine.stats.dropped },
    recent: [...engine.recent],
  })
  const notifyNow = () => {
    if (notifyTimer !== null) clearTimeout(notifyTimer)
    notifyTimer = null
    published.set(view())
  }
  // A flood must not re-render the panel 200 times: coalesce counter changes.
  const notifySoon = () => {
    if (notifyTimer === null && published.listenerCount() > 0) notifyTimer = setTimeout(notifyNow, NOTIFY_MS)
  }

  // Each accepted message is an event (two equal comments are two messages), not state.
  const messages = createEmitter<DanmakuMessage>()
  const feed = createDanmakuFeed({
    onFrame: (data) => {
      const verdict = engine.receive(data, station.nowMs)
      if (verdict === 'queued' && messages.listenerCount() > 0) {
        const message = engine.recent[engine.recent.length - 1]
        if (message) messages.emit(message)
      }
      notifySoon()
    },
    backoff: options.backoff,
  })
  // The last view told to listeners; the feed is created above, so the first view is built here.
  const published = createStore<DanmakuView>(view(), sameView)
  let lastState = feed.view.state
  feed.subscribe((v) => {
    // Connecting puts danmaku on air (the operator can take them off again).
    if (v.state === 'open' && lastState !== 'open') onAir = true
    lastState = v.state
    notifyNow()
  })

  const station: DanmakuStation = {
    engine,
    feed,
    overlay,
    nowMs: 0,
    get onAir() {
      return onAir
    },
    setOnAir(value) {
      onAir = value
      notifyNow()
    },
    connect(input) {
      const resolved = resolveDanmakuUrl(input, options.pageHref)
      if (resolved.ok) feed.connect(resolved.url)
      return resolved
    },
    disconnect() {
      feed.disconnect()
    },
    view() {
      // Fresh counters, but the told object while nothing changed (a stable snapshot for React).
      // No notification from a read: a panel reads this while rendering. A view read here that
      // differs from the told one is told within 250 ms, since counters (received, shown, the
      // lifecycle of a message) never go back to an earlier view.
      const fresh = view()
      return sameView(fresh, published.get()) ? published.get() : fresh
    },
    subscribe: published.subscribe,
    onMessage: messages.subscribe,
    renderOverlay(gl) {
      const start = options.clock.now()
      const active = engine.activeCount
      const pending = engine.pendingCount
      engine.update(station.nowMs)
      if (engine.activeCount !== active || engine.pendingCount !== pending) notifySoon()
      if (!onAir || engine.activeCount === 0) return
      overlay.render(gl, engine)
      overlayMs = options.clock.now() - start
      overlaySum += overlayMs
      overlayFrames++
    },
    snapshot() {
      const v = feed.view
      return {
        state: v.state,
        url: v.url,
        error: v.error,
        onAir,
        shown: engine.stats.shown,
        active: engine.activeCount,
        pending: engine.pendingCount,
        received: engine.stats.received,
        dropped: { ...engine.stats.dropped },
        truncated: engine.stats.truncated,
        lanes: engine.lanes,
        visible: countVisible(engine, false),
        inside: countVisible(engine, true),
        rasterised: overlay.rasterised,
        drawn: overlay.drawn,
        rasterMs: Math.round(overlay.rasterMs * 1000) / 1000,
        rasterMeanMs: overlay.rasterised > 0 ? Math.round((overlay.rasterMs / overlay.rasterised) * 1000) / 1000 : 0,
        warmUpMs: Math.round(overlay.warmUpMs * 1000) / 1000,
        overlayMs: Math.round(overlayMs * 1000) / 1000,
        overlayMeanMs: overlayFrames > 0 ? Math.round((overlaySum / overlayFrames) * 1000) / 1000 : 0,
        overlayFrames,
        recent: engine.recent.map((m) => m.text),
      }
    },
    dispose() {
      if (notifyTimer !== null) clearTimeout(notifyTimer)
      published.clear()
      messages.clear()
      feed.dispose()
      overlay.dispose()
    },
  }
  return station
}
