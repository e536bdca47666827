/**
 * Danmaku (弹幕): audience comments that scroll across the programme picture, right to left.
 *
 * Everything here is plain and deterministic: time is injected (the frame loop's frame time), text
 * width is measured by an injected function, so the same feed at the same times gives the same
 * picture. The scene layer only rasterises what this module lays out.
 *
 * Pipeline, per frame of the feed: the cheap checks first, before any parsing — a frame over the
 * size cap is malformed, a frame over the wire's frame rate or when the feed's bucket is empty is
 * dropped (so a flood costs a length check and a bucket per frame, not a JSON parse and a
 * grapheme segmentation) — then {@link parseDanmakuFrame} (wire format, sanitising, caps) →
 * rate limit (the feed's bucket, one per author) → a bounded pending queue → lane placement by
 * the classic danmaku collision rule → on screen for a fixed time. Nothing over a limit is ever
 * queued without bound: it is dropped and counted.
 *
 * Text is only ever text. It is drawn with canvas `fillText`, never parsed as HTML; sanitising
 * additionally removes what could make it misleading or unreadable on screen (control characters,
 * bidi overrides, zero-width characters, line breaks, "Zalgo" stacks of combining marks).
 */

/** Limits and layout; every number here has a reason in its comment. */
export interface DanmakuConfig {
  /** Longest message, in graphemes (what a reader counts as characters), ellipsis included. */
  maxGraphemes: number
  /** Longest author name, in graphemes. */
  maxAuthorGraphemes: number
  /** A frame longer than this (UTF-16 units) is malformed before it is parsed: bounds the parse. */
  maxFrameChars: number
  /** Messages per second for the whole feed, sustained. */
  ratePerSecond: number
  /** Messages the feed may send at once after a quiet spell. */
  burst: number
  /** Messages per second per author, sustained. */
  authorRatePerSecond: number
  /** Messages an author may send at once. */
  authorBurst: number
  /**
   * Frames per second the feed may send at all, sustained, whatever they hold: bounds the parsing
   * done for frames that turn out malformed or over an author's limit (which do not charge the
   * message bucket). Four times the message rate leaves room for a busy room's rejects.
   */
  frameRatePerSecond: number
  /** Frames the feed may send at once. */
  frameBurst: number
  /** Authors remembered by the per-author limit (least recently seen forgotten first). */
  maxAuthors: number
  /** Messages waiting for a free lane. */
  queueCapacity: number
  /** How long a message may wait for a lane before it is dropped. */
  queueWaitMs: number
  /** Time each message is on screen, from entering at the right edge to leaving at the left. */
  durationMs: number
  /** Layout space (the programme picture at its reference size, pixels). */
  width: number
  height: number
  /** Height of one lane (and of one atlas row). */
  laneHeight: number
  /** Space above the first lane. */
  laneTop: number
  /** Fraction of the picture height the lanes may cover (the host's face stays clear below). */
  laneArea: number
  /** Least space between two messages in a lane when the second enters. */
  gapPx: number
  /** Atlas the scene rasterises into: rows of `unitsPerRow` units `unitWidth` wide. */
  atlasRows: number
  unitsPerRow: number
  unitWidth: number
  /** Recent accepted messages kept for the operator's panel. */
  recentCount: number
}

/** The defaults: 720p reference picture, 8 lanes in its upper half, 7 s on screen, 4 msg/s. */
export const DANMAKU_DEFAULTS: Readonly<DanmakuConfig> = {
  maxGraphemes: 40,
  maxAuthorGraphemes: 16,
  maxFrameChars: 2048,
  ratePerSecond: 4,
  burst: 8,
  authorRatePerSecond: 1,
  authorBurst: 3,
  frameRatePerSecond: 16,
  frameBurst: 32,
  maxAuthors: 512,
  queueCapacity: 16,
  queueWaitMs: 2000,
  durationMs: 7000,
  width: 1280,
  height: 720,
  laneHeight: 40,
  laneTop: 16,
  laneArea: 0.5,
  gapPx: 32,
  atlasRows: 16,
  unitsPerRow: 4,
  unitWidth: 512,
  recentCount: 5,
}

/** The colour of a message that did not give a valid one. */
export const DANMAKU_DEFAULT_COLOR = '#ffffff'

// ---------------------------------------------------------------------------------------------
// Sanitising

// C0 and C1 controls other than the line breaks and tabs (which become spaces below), and DEL.
const CONTROLS = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F]/g
// Line and paragraph breaks, tabs: a danmaku is one line.
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g
// Bidi embeddings, overrides, isolates and marks (a "Trojan Source" reversal), zero-width and other
// invisible format characters, the BOM, interlinear annotation, soft hyphen. ZWJ (U+200D) and ZWNJ
// (U+200C) stay: emoji sequences and several scripts need them.
const INVISIBLE = /[\u00AD\u061C\u115F\u1160\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB]/g
// Tag characters hide text; they are kept only inside an emoji tag sequence (🏴 + tags: subdivision flags).
const TAGS = /(?<!\u{1F3F4}[\u{E0020}-\u{E007E}]*)[\u{E0000}-\u{E007F}]/gu
// A lone surrogate is not a character; it renders as a box or breaks measuring.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
// More than a few combining marks on one letter ("Zalgo") paint over the lanes above and below.
const MARK_RUN = /(\p{M}{4})\p{M}+/gu
const SPACES = /\s+/g

/**
 * Most UTF-16 units one grapheme is given before segmenting: a tag-sequence flag is 14, a family
 * emoji 11, a letter with its 4 allowed marks about 10. Text longer than the cap × this is cut
 * before segmentation, so a 2,000-character line costs what a 40-grapheme one does.
 */
const UNITS_PER_GRAPHEME = 16

// One segmenter for the app's life; Chromium and Node 20 have Intl.Segmenter.
const segmenter = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null

/**
 * Splits a string into graphemes (user-perceived characters: 👩‍👩‍👧 or é is one), at most `max`
 * of them: segmentation is lazy, so a long line costs only the graphemes asked for.
 */
export function splitGraphemes(text: string, max = Infinity): string[] {
  if (!segmenter) return Array.from(text).slice(0, max) // code points: close enough where Segmenter is missing
  const out: string[] = []
  for (const s of segmenter.segment(text)) {
    if (out.length >= max) break
    out.push(s.segment)
  }
  return out
}

/** A sanitised line of text and whether it was cut to the cap. */
export interface SanitisedText {
  text: string
  truncated: boolean
}

/**
 * Makes a line of untrusted text safe to show: removes control characters, bidi overrides and
 * invisible characters, turns line breaks and tabs into spaces, collapses whitespace, caps stacks
 * of combining marks, and cuts it to `maxGraphemes` graphemes with an ellipsis (the ellipsis
 * counts). Returns null when nothing visible is left. Markup stays literal text: `<b>` is shown
 * as the three characters it is.
 */
export function sanitiseDanmakuText(raw: string, maxGraphemes: number): SanitisedText | null {
  const cleaned = raw
    .replace(LONE_SURROGATE, '')
    .normalize('NFC')
    .replace(BREAKS, ' ')
    .replace(CONTROLS, '')
    .replace(INVISIBLE, '')
    .replace(TAGS, '')
    .replace(MARK_RUN, '$1')
    .replace(SPACES, ' ')
    .trim()
  if (cleaned === '') return null
  // Segment only what can be shown (one more grapheme tells whether the line goes on); the
  // length cut may split the last grapheme, so that one goes.
  const limit = (maxGraphemes + 1) * UNITS_PER_GRAPHEME
  const cut = cleaned.length > limit
  const graphemes = splitGraphemes(cut ? cleaned.slice(0, limit) : cleaned, maxGraphemes + 1)
  if (cut && graphemes.length <= maxGraphemes) graphemes.pop()
  // A line that is only combining marks or variation selectors has nothing to show.
  if (graphemes.every((g) => /^[\p{M}\u{FE00}-\u{FE0F}\u200C\u200D]+$/u.test(g))) return null
  if (!cut && graphemes.length <= maxGraphemes) return { text: cleaned, truncated: false }
  const kept = graphemes.slice(0, Math.max(0, maxGraphemes - 1)).join('').trimEnd()
  return { text: `${kept}…`, truncated: true }
}

/** `#rrggbb` (lower case) when the value is exactly that, else white. */
export function parseDanmakuColor(value: unknown): string {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value) ? value.toLowerCase() : DANMAKU_DEFAULT_COLOR
}

// ---------------------------------------------------------------------------------------------
// Wire format

/** One comment, ready to be rate limited and shown. */
export interface DanmakuMessage {
  text: string
  /** Sanitised author, or null for an anonymous frame. */
  author: string | null
  /** `#rrggbb`. */
  color: string
  /** The text was cut to the grapheme cap. */
  truncated: boolean
}

/** What the parser made of one frame. */
export type DanmakuParseResult = { ok: true; message: DanmakuMessage } | { ok: false; reason: 'malformed' | 'empty' | 'oversize' | 'binary' }

/**
 * Parses one WebSocket frame. Two forms: JSON `{ "text": "...", "author"?: "...", "color"?: "#rrggbb" }`
 * (a frame that starts with `{` must be that), or any other text frame, shown as it is. Never
 * throws: whatever is wrong is a reason, and the caller counts it.
 */
export function parseDanmakuFrame(data: unknown, config: Pick<DanmakuConfig, 'maxGraphemes' | 'maxAuthorGraphemes' | 'maxFrameChars'> = DANMAKU_DEFAULTS): DanmakuParseResult {
  if (typeof data !== 'string') return { ok: false, reason: 'binary' }
  if (data.length > config.maxFrameChars) return { ok: false, reason: 'oversize' }
  let rawText: unknown = data
  let rawAuthor: unknown = null
  let rawColor: unknown = null
  if (data.trimStart().startsWith('{')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(data)
    } catch {
      return { ok: false, reason: 'malformed' }
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, reason: 'malformed' }
    const record = parsed as Record<string, unknown>
    rawText = record.text
    rawAuthor = record.author ?? null
    rawColor = record.color ?? null
    if (typeof rawText !== 'string') return { ok: false, reason: 'malformed' }
    if (rawAuthor !== null && typeof rawAuthor !== 'string') return { ok: false, reason: 'malformed' }
  }
  const text = sanitiseDanmakuText(rawText as string, config.maxGraphemes)
  if (!text) return { ok: false, reason: 'empty' }
  const author = typeof rawAuthor === 'string' ? (sanitiseDanmakuText(rawAuthor, config.maxAuthorGraphemes)?.text ?? null) : null
  return { ok: true, message: { text: text.text, author, color: parseDanmakuColor(rawColor), truncated: text.truncated } }
}

// ---------------------------------------------------------------------------------------------
// Rate limiting

/** A token bucket on injected time: `rate` tokens a second, at most `burst` saved up. */
export interface TokenBucket {
  /** Tokens available at `nowMs` (refills first). */
  available(nowMs: number): number
  /** Takes one token if there is one; false when over the limit. */
  take(nowMs: number): boolean
}

/** Creates a full bucket. Time going backwards refills nothing. */
export function createTokenBucket(ratePerSecond: number, burst: number): TokenBucket {
  let tokens = burst
  let lastMs = Number.NaN
  const refill = (nowMs: number) => {
    if (Number.isNaN(lastMs)) lastMs = nowMs
    if (nowMs > lastMs) {
      tokens = Math.min(burst, tokens + ((nowMs - lastMs) * ratePerSecond) / 1000)
      lastMs = nowMs
    }
  }
  return {
    available(nowMs) {
      refill(nowMs)
      return tokens
    },
    take(nowMs) {
      refill(nowMs)
      if (tokens < 1) return false
      tokens -= 1
      return true
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Atlas: rows of fixed units; a message takes 1..unitsPerRow consecutive units of one row.

/** Where one message's raster lives in the atlas (pixels, top-left origin). */
export interface AtlasSlot {
  row: number
  unit: number
  units: number
}

/** A first-fit allocator of consecutive units in atlas rows (bit masks, no allocation per call). */
export interface AtlasLayout {
  readonly rows: number
  readonly unitsPerRow: number
  readonly unitWidth: number
  /** Reserves room for `width` pixels into `slot`; false when the atlas is full. */
  allocate(width: number, slot: AtlasSlot): boolean
  release(slot: AtlasSlot): void
  /** Units in use (for tests and diagnostics). */
  used(): number
}

/** Creates an empty atlas layout. */
export function createAtlasLayout(rows: number, unitsPerRow: number, unitWidth: number): AtlasLayout {
  if (unitsPerRow > 30) throw new Error('createAtlasLayout: at most 30 units per row (bit mask)')
  const masks = new Int32Array(rows)
  let used = 0
  return {
    rows,
    unitsPerRow,
    unitWidth,
    allocate(width, slot) {
      const units = Math.min(unitsPerRow, Math.max(1, Math.ceil(width / unitWidth)))
      const want = (1 << units) - 1
      for (let r = 0; r < rows; r++) {
        for (let u = 0; u + units <= unitsPerRow; u++) {
          if ((masks[r] & (want << u)) === 0) {
            masks[r] |= want << u
            slot.row = r
            slot.unit = u
            slot.units = units
            used += units
            return true
          }
        }
      }
      return false
    },
    release(slot) {
      if (slot.units <= 0) return
      masks[slot.row] &= ~(((1 << slot.units) - 1) << slot.unit)
      used -= slot.units
      slot.units = 0
    },
    used: () => used,
  }
}

// ---------------------------------------------------------------------------------------------
// Lanes

/** The lane's last entrant: all a newcomer has to avoid (see {@link laneReadyAt}). */
export interface LaneState {
  /** Entry time of the last message, or -Infinity for an empty lane. */
  startMs: number
  width: number
}

/**
 * Earliest time a message `width` wide may enter a lane whose last message entered at
 * `lane.startMs`, so that (1) the last one's tail is on screen with `gap` to spare and (2) the
 * newcomer, faster when it is longer (every message crosses in the same time), does not reach the
 * last one's tail before that has left the screen. Positions are linear in time, so checking the
 * two ends of the shared interval is enough; and if the newcomer never catches the last one, it
 * never catches any earlier one either.
 */
export function laneReadyAt(lane: LaneState, width: number, config: Pick<DanmakuConfig, 'width' | 'durationMs' | 'gapPx'>): number {
  if (lane.startMs === -Infinity) return -Infinity
  const { width: W, durationMs: D, gapPx } = config
  const tailIn = lane.startMs + ((lane.width + gapPx) * D) / (W + lane.width)
  const noCatch = lane.startMs + (D * width) / (W + width)
  return Math.max(tailIn, noCatch)
}

/** The x of a message's left edge at `nowMs` (enters at `width` of the layout, leaves at `-w`). */
export function danmakuX(startMs: number, itemWidth: number, nowMs: number, config: Pick<DanmakuConfig, 'width' | 'durationMs'>): number {
  return config.width - ((config.width + itemWidth) * (nowMs - startMs)) / config.durationMs
}

// ---------------------------------------------------------------------------------------------
// Engine

/** One message on screen. Objects are pooled: read them during the frame, keep nothing. */
export interface DanmakuItem {
  /** Increases with every placement (a pooled object gets a new serial). */
  serial: number
  text: string
  color: string
  width: number
  lane: number
  startMs: number
  /** Left edge and top, in layout pixels, at the last update. */
  x: number
  y: number
  readonly slot: AtlasSlot
  /** Set at placement; the renderer clears it once it has drawn the text into the atlas slot. */
  needsRaster: boolean
}

/** Counters (only ever increase, except `active` / `pending`). */
export interface DanmakuStats {
  received: number
  /** Placed on screen. */
  shown: number
  /** Accepted after being cut to the grapheme cap. */
  truncated: number
  dropped: {
    /** Over the feed's or the author's rate. */
    rate: number
    /** Not a message: bad JSON, wrong types, binary, oversize or nothing visible left. */
    malformed: number
    /** The queue was full, or no lane came free in time. */
    queue: number
  }
}

/** What happened to one received frame. */
export type DanmakuVerdict = 'queued' | 'rate' | 'malformed' | 'queue'

/** The danmaku state machine; see the file header. */
export interface DanmakuEngine {
  readonly config: Readonly<DanmakuConfig>
  readonly lanes: number
  readonly stats: DanmakuStats
  /** On-screen items in `[0, activeCount)`. */
  readonly active: readonly DanmakuItem[]
  readonly activeCount: number
  readonly pendingCount: number
  /** The latest accepted messages, oldest first (for the operator's panel). */
  readonly recent: readonly DanmakuMessage[]
  /** Takes one frame from the feed at `nowMs`. Allocates (strings); call it from the socket, not per frame. */
  receive(data: unknown, nowMs: number): DanmakuVerdict
  /** Retires, places and moves messages to `nowMs`. No allocation. */
  update(nowMs: number): void
}

interface Pending {
  text: string
  color: string
  width: number
  arrivedMs: number
}

/**
 * Creates an engine. `measure(text)` gives the width in layout pixels the text will need when
 * rasterised (outline included); the engine caps it at one atlas row.
 */
export function createDanmakuEngine(measure: (text: string) => number, overrides: Partial<DanmakuConfig> = {}): DanmakuEngine {
  const config: DanmakuConfig = { ...DANMAKU_DEFAULTS, ...overrides }
  const laneCount = Math.max(1, Math.floor((config.height * config.laneArea - config.laneTop) / config.laneHeight))
  const lanes: LaneState[] = Array.from({ length: laneCount }, () => ({ startMs: -Infinity, width: 0 }))
  const atlas = createAtlasLayout(config.atlasRows, config.unitsPerRow, config.unitWidth)
  const maxWidth = config.unitsPerRow * config.unitWidth
  // Every atlas unit can hold one message at most, so that many items bound what is on screen.
  const capacity = config.atlasRows * config.unitsPerRow
  const items: DanmakuItem[] = Array.from({ length: capacity }, () => ({
    serial: 0,
    text: '',
    color: DANMAKU_DEFAULT_COLOR,
    width: 0,
    lane: 0,
    startMs: 0,
    x: 0,
    y: 0,
    slot: { row: 0, unit: 0, units: 0 },
    needsRaster: false,
  }))
  let activeCount = 0
  const pending: Pending[] = Array.from({ length: config.queueCapacity }, () => ({ text: '', color: '', width: 0, arrivedMs: 0 }))
  let pendingCount = 0
  const recent: DanmakuMessage[] = []
  const stats: DanmakuStats = { received: 0, shown: 0, truncated: 0, dropped: { rate: 0, malformed: 0, queue: 0 } }
  const feedBucket = createTokenBucket(config.ratePerSecond, config.burst)
  const frameBucket = createTokenBucket(config.frameRatePerSecond, config.frameBurst)
  const authorBuckets = new Map<string, TokenBucket>()
  let serial = 0
  let lastNow = -Infinity

  const clampNow = (nowMs: number) => {
    if (nowMs > lastNow) lastNow = nowMs
    return lastNow
  }

  const authorBucket = (author: string) => {
    let bucket = authorBuckets.get(author)
    if (bucket) {
      // Most recently seen last, so the first key is the one to forget.
      authorBuckets.delete(author)
    } else {
      bucket = createTokenBucket(config.authorRatePerSecond, config.authorBurst)
      if (authorBuckets.size >= config.maxAuthors) authorBuckets.delete(authorBuckets.keys().next().value as string)
    }
    authorBuckets.set(author, bucket)
    return bucket
  }

  const place = (p: Pending, now: number): boolean => {
    if (activeCount >= capacity) return false
    for (let lane = 0; lane < laneCount; lane++) {
      if (now < laneReadyAt(lanes[lane], p.width, config)) continue
      const item = items[activeCount]
      if (!atlas.allocate(p.width, item.slot)) return false
      item.serial = ++serial
      item.text = p.text
      item.color = p.color
      item.width = p.width
      item.lane = lane
      item.startMs = now
      item.x = config.width
      item.y = config.laneTop + lane * config.laneHeight
      item.needsRaster = true
      lanes[lane].startMs = now
      lanes[lane].width = p.width
      activeCount++
      stats.shown++
      return true
    }
    return false
  }

  const engine: DanmakuEngine = {
    config,
    lanes: laneCount,
    stats,
    active: items,
    get activeCount() {
      return activeCount
    },
    get pendingCount() {
      return pendingCount
    },
    recent,
    receive(data, nowMs) {
      const now = clampNow(nowMs)
      stats.received++
      // Cheap checks before any parsing: the size cap (a length read), then the wire's frame
      // budget and the feed's message bucket (which is not charged yet: a malformed frame or one
      // over its author's limit must not use up other people's messages).
      if (typeof data !== 'string' || data.length > config.maxFrameChars) {
        stats.dropped.malformed++
        return 'malformed'
      }
      if (!frameBucket.take(now) || feedBucket.available(now) < 1) {
        stats.dropped.rate++
        return 'rate'
      }
      const parsed = parseDanmakuFrame(data, config)
      if (!parsed.ok) {
        stats.dropped.malformed++
        return 'malformed'
      }
      const { message } = parsed
      // Both limits must allow it before either is charged: a message dropped by its author's
      // limit must not use up the feed's tokens.
      const own = message.author !== null ? authorBucket(message.author) : null
      if (feedBucket.available(now) < 1 || (own !== null && own.available(now) < 1)) {
        stats.dropped.rate++
        return 'rate'
      }
      feedBucket.take(now)
      own?.take(now)
      if (pendingCount >= config.queueCapacity) {
        stats.dropped.queue++
        return 'queue'
      }
      const p = pending[pendingCount++]
      p.text = message.text
      p.color = message.color
      p.width = Math.min(maxWidth, Math.max(1, Math.ceil(measure(message.text))))
      p.arrivedMs = now
      if (message.truncated) stats.truncated++
      recent.push(message)
      if (recent.length > config.recentCount) recent.shift()
      return 'queued'
    },
    update(nowMs) {
      const now = clampNow(nowMs)
      // Retire what has crossed, compacting in place (swap with the last; order does not matter).
      for (let i = 0; i < activeCount; ) {
        const item = items[i]
        if (now - item.startMs >= config.durationMs) {
          atlas.release(item.slot)
          activeCount--
          items[i] = items[activeCount]
          items[activeCount] = item
        } else {
          i++
        }
      }
      // Place waiting messages in arrival order; one that cannot be placed yet keeps its turn
      // but does not block a shorter one behind it. Stale ones are dropped.
      let kept = 0
      for (let i = 0; i < pendingCount; i++) {
        const p = pending[i]
        if (place(p, now)) continue
        if (now - p.arrivedMs > config.queueWaitMs) {
          stats.dropped.queue++
          continue
        }
        // Keep it: swap into the kept prefix (the record objects are reused).
        const keep = pending[kept]
        pending[kept] = p
        pending[i] = keep
        kept++
      }
      pendingCount = kept
      for (let i = 0; i < activeCount; i++) {
        const item = items[i]
        item.x = danmakuX(item.startMs, item.width, now, config)
      }
    },
  }
  return engine
}

// ---------------------------------------------------------------------------------------------
// Feed address

/** The demo feed the dev and preview servers serve (src/tools/vite-plugin-danmaku-demo.ts). */
export const DANMAKU_DEMO_PATH = '/danmaku/demo'

/** A checked feed address. */
export type DanmakuUrlResult = { ok: true; url: string } | { ok: false; reason: 'empty' | 'invalid' | 'scheme' | 'insecure' }

/**
 * Resolves what a user typed (or `?danmaku=`) against the page: `demo` is the demo feed, a path is
 * on the page's own host (ws:, or wss: on an https page), `http(s)://` becomes `ws(s)://`, and
 * only ws:/wss: are allowed. A plain ws: feed from an https page is refused up front (the browser
 * would block it as mixed content), except on loopback, where browsers allow it.
 */
export function resolveDanmakuUrl(input: string, pageHref: string): DanmakuUrlResult {
  const trimmed = input.trim()
  if (trimmed === '') return { ok: false, reason: 'empty' }
  const value = trimmed === 'demo' ? DANMAKU_DEMO_PATH : trimmed
  let page: URL
  let url: URL
  try {
    page = new URL(pageHref)
    url = new URL(value, page)
  } catch {
    return { ok: false, reason: 'invalid' }
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return { ok: false, reason: 'scheme' }
  // A relative address on an https page must use wss.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(value) && page.protocol === 'https:') url.protocol = 'wss:'
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]'
  if (page.protocol === 'https:' && url.protocol === 'ws:' && !loopback) return { ok: false, reason: 'insecure' }
  url.hash = ''
  return { ok: true, url: url.href }
}
