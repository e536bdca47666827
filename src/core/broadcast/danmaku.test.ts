import { describe, expect, it, vi } from 'vitest'
import {
  DANMAKU_DEFAULTS,
  createAtlasLayout,
  createDanmakuEngine,
  createTokenBucket,
  danmakuX,
  laneReadyAt,
  parseDanmakuColor,
  parseDanmakuFrame,
  resolveDanmakuUrl,
  sanitiseDanmakuText,
  splitGraphemes,
  type AtlasSlot,
} from './danmaku'
import { DEMO_WELCOME, createDemoDanmakuScript, demoDanmakuFrame } from './danmaku-demo'

/** 20 px per grapheme: a stand-in for canvas measureText with a fixed-pitch font. */
const measure = (text: string) => splitGraphemes(text).length * 20

describe('sanitiseDanmakuText', () => {
  it('keeps markup as the literal characters it is', () => {
    const payload = '<img src=x onerror="window.__pwned=1"><script>alert(1)</script>'
    const out = sanitiseDanmakuText(payload, 200)
    expect(out).toEqual({ text: payload, truncated: false })
    expect(sanitiseDanmakuText('&lt;b&gt; & <b>', 40)?.text).toBe('&lt;b&gt; & <b>')
  })

  it('strips control characters, bidi overrides and invisible characters, and makes one line', () => {
    expect(sanitiseDanmakuText('a\u0000b\u0007c\u001bd\u007fe\u009bf', 40)?.text).toBe('abcdef')
    // "Trojan Source": an override that would show "txt.exe" reversed.
    expect(sanitiseDanmakuText('evil\u202Eexe.txt\u202C', 40)?.text).toBe('evilexe.txt')
    expect(sanitiseDanmakuText('\u2066x\u2069\u200Fy\u200Bz\uFEFF', 40)?.text).toBe('xyz')
    expect(sanitiseDanmakuText('line one\nline two\r\n\tthree\u2028four', 40)?.text).toBe('line one line two three four')
    expect(sanitiseDanmakuText('  many     spaces  ', 40)?.text).toBe('many spaces')
    // Hidden tag characters go, a subdivision flag (🏴 + tags) stays.
    expect(sanitiseDanmakuText('hi\u{E0068}\u{E0069}', 40)?.text).toBe('hi')
    const england = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}'
    expect(sanitiseDanmakuText(england, 40)?.text).toBe(england)
  })

  it('rejects what has nothing visible left', () => {
    expect(sanitiseDanmakuText('', 40)).toBeNull()
    expect(sanitiseDanmakuText(' \n\t\u200B\u202E\u0000 ', 40)).toBeNull()
    expect(sanitiseDanmakuText('\u0301\u0301', 40)).toBeNull()
  })

  it('caps stacks of combining marks ("Zalgo")', () => {
    const zalgo = `Z${'\u0336\u0337\u0338'.repeat(20)}`
    const out = sanitiseDanmakuText(zalgo, 40)!
    expect(out.text).toBe(`Z\u0336\u0337\u0338\u0336`)
    // Real combining sequences are untouched: é as e + U+0301 is composed (NFC).
    expect(sanitiseDanmakuText('cafe\u0301', 40)?.text).toBe('café')
  })

  it('cuts by grapheme, not by UTF-16 unit: emoji sequences and CJK count as one each', () => {
    const family = '👨‍👩‍👧‍👦' // 11 UTF-16 units, one grapheme
    expect(splitGraphemes(family)).toHaveLength(1)
    const fits = family.repeat(40)
    expect(sanitiseDanmakuText(fits, 40)).toEqual({ text: fits, truncated: false })
    const cut = sanitiseDanmakuText(family.repeat(41), 40)!
    expect(cut.truncated).toBe(true)
    expect(splitGraphemes(cut.text)).toHaveLength(40)
    expect(cut.text.endsWith(`${family}…`)).toBe(true)

    const cjk = '中关村论坛元宇宙会场'.repeat(5) // 50 characters
    const c = sanitiseDanmakuText(cjk, 40)!
    expect(c.truncated).toBe(true)
    expect(splitGraphemes(c.text)).toHaveLength(40)
    expect(c.text).toBe(`${cjk.slice(0, 39)}…`)
    // Flags (two regional indicators) and skin tones are never split.
    const flags = '🇨🇳👍🏽'.repeat(30)
    const f = sanitiseDanmakuText(flags, 10)!
    expect(splitGraphemes(f.text)).toEqual([...[...Array(9)].map((_, i): string => (i % 2 === 0 ? '🇨🇳' : '👍🏽')), '…'])
  })
})

describe('parseDanmakuFrame', () => {
  it('reads the JSON form', () => {
    expect(parseDanmakuFrame('{"text":"你好 Lingjing","author":"海淀观众","color":"#FF8800"}')).toEqual({
      ok: true,
      message: { text: '你好 Lingjing', author: '海淀观众', color: '#ff8800', truncated: false },
    })
    expect(parseDanmakuFrame('{"text":"hi"}')).toEqual({ ok: true, message: { text: 'hi', author: null, color: '#ffffff', truncated: false } })
  })

  it('takes any other text frame as the message itself', () => {
    expect(parseDanmakuFrame('666')).toMatchObject({ ok: true, message: { text: '666', author: null, color: '#ffffff' } })
    expect(parseDanmakuFrame('"quoted"')).toMatchObject({ ok: true, message: { text: '"quoted"' } })
    expect(parseDanmakuFrame('[1,2]')).toMatchObject({ ok: true, message: { text: '[1,2]' } })
  })

  it('validates the colour strictly; anything else is white', () => {
    for (const bad of ['#fff', 'red', '#12345g', '#1234567', ' #123456', 'rgb(1,2,3)', 'url(javascript:x)', 12, null, {}]) {
      expect(parseDanmakuColor(bad)).toBe('#ffffff')
    }
    expect(parseDanmakuColor('#A1b2C3')).toBe('#a1b2c3')
    expect(parseDanmakuFrame('{"text":"x","color":"expression(alert(1))"}')).toMatchObject({ ok: true, message: { color: '#ffffff' } })
  })

  it('counts malformed frames instead of throwing', () => {
    expect(parseDanmakuFrame('{"text": ')).toEqual({ ok: false, reason: 'malformed' })
    expect(parseDanmakuFrame('{"text": 42}')).toEqual({ ok: false, reason: 'malformed' })
    expect(parseDanmakuFrame('{"author": "a"}')).toEqual({ ok: false, reason: 'malformed' })
    expect(parseDanmakuFrame('{"text":"x","author":{"name":"a"}}')).toEqual({ ok: false, reason: 'malformed' })
    expect(parseDanmakuFrame('{"text":"\\u0000\\n"}')).toEqual({ ok: false, reason: 'empty' })
    expect(parseDanmakuFrame(new ArrayBuffer(4))).toEqual({ ok: false, reason: 'binary' })
    expect(parseDanmakuFrame(undefined)).toEqual({ ok: false, reason: 'binary' })
    expect(parseDanmakuFrame('x'.repeat(DANMAKU_DEFAULTS.maxFrameChars + 1))).toEqual({ ok: false, reason: 'oversize' })
    // The prototype is not polluted by a hostile key.
    expect(parseDanmakuFrame('{"text":"x","__proto__":{"polluted":1}}').ok).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('sanitises and caps the author, and drops an author with nothing visible', () => {
    const r = parseDanmakuFrame(JSON.stringify({ text: 'hi', author: `a\u202Eb${'名'.repeat(30)}` }))
    expect(r.ok && r.message.author).toBe(`ab${'名'.repeat(13)}…`)
    const anon = parseDanmakuFrame(JSON.stringify({ text: 'hi', author: '\u200B' }))
    expect(anon.ok && anon.message.author).toBeNull()
  })
})

describe('createTokenBucket', () => {
  it('allows the burst at once, then the rate, on injected time', () => {
    const b = createTokenBucket(4, 8)
    let allowed = 0
    for (let i = 0; i < 20; i++) if (b.take(1000)) allowed++
    expect(allowed).toBe(8)
    expect(b.take(1100)).toBe(false) // 0.4 tokens
    expect(b.take(1250)).toBe(true) // 1.0 token at 250 ms
    expect(b.take(1250)).toBe(false)
    // Over 10 s of a steady flood exactly the rate gets through (plus nothing saved up).
    let sustained = 0
    for (let t = 1250; t <= 11250; t += 10) if (b.take(t)) sustained++
    expect(sustained).toBe(40)
  })

  it('never saves more than the burst and does not refill when time runs backwards', () => {
    const b = createTokenBucket(4, 8)
    expect(b.available(0)).toBe(8)
    expect(b.available(60_000)).toBe(8)
    for (let i = 0; i < 8; i++) b.take(60_000)
    expect(b.available(30_000)).toBe(0)
    expect(b.available(60_500)).toBeCloseTo(2, 9)
  })
})

describe('createAtlasLayout', () => {
  it('gives each message consecutive units of one row and reuses released room', () => {
    const atlas = createAtlasLayout(2, 4, 512)
    const slot = (): AtlasSlot => ({ row: 0, unit: 0, units: 0 })
    const a = slot()
    const b = slot()
    const c = slot()
    expect(atlas.allocate(100, a)).toBe(true)
    expect(a).toEqual({ row: 0, unit: 0, units: 1 })
    expect(atlas.allocate(1100, b)).toBe(true) // three units: fits after a in row 0
    expect(b).toEqual({ row: 0, unit: 1, units: 3 })
    expect(atlas.allocate(1536, c)).toBe(true)
    expect(c).toEqual({ row: 1, unit: 0, units: 3 })
    const d = slot()
    expect(atlas.allocate(600, d)).toBe(false) // only one unit left, in row 1
    expect(atlas.allocate(10, d)).toBe(true)
    expect(d).toEqual({ row: 1, unit: 3, units: 1 })
    expect(atlas.used()).toBe(8)
    atlas.release(b)
    expect(atlas.used()).toBe(5)
    expect(atlas.allocate(900, d)).toBe(true)
    expect(d).toEqual({ row: 0, unit: 1, units: 2 })
  })
})

describe('lanes: the classic collision rule', () => {
  const cfg = { width: 1000, durationMs: 10_000, gapPx: 0 }

  it('an empty lane takes anything at once', () => {
    expect(laneReadyAt({ startMs: -Infinity, width: 0 }, 500, cfg)).toBe(-Infinity)
  })

  it('waits until the last message has fully entered', () => {
    // 1000 wide, 200 px message: speed 120 px/s, its tail is in after 200/120 s.
    const ready = laneReadyAt({ startMs: 0, width: 200 }, 100, cfg)
    expect(ready).toBeCloseTo((200 / 1200) * 10_000, 6)
  })

  it('a longer (faster) newcomer waits until it can no longer catch the last one on screen', () => {
    const lane = { startMs: 0, width: 100 }
    const ready = laneReadyAt(lane, 900, cfg)
    // The rule: at the moment the last one's tail leaves (t = 10 s), the newcomer's head is at x >= 0.
    expect(danmakuX(ready, 900, 10_000, cfg)).toBeCloseTo(0, 6)
    // Any earlier, and it would overlap the last one before that left: check the whole interval.
    const early = ready - 50
    let overlapped = false
    for (let t = early; t <= 10_000; t += 10) {
      const lastTail = danmakuX(0, 100, t, cfg) + 100
      if (lastTail > 0 && danmakuX(early, 900, t, cfg) < lastTail) overlapped = true
    }
    expect(overlapped).toBe(true)
    // At `ready` it never does.
    for (let t = ready; t <= 10_000; t += 10) {
      const lastTail = danmakuX(0, 100, t, cfg) + 100
      expect(danmakuX(ready, 900, t, cfg)).toBeGreaterThanOrEqual(lastTail - 1e-6)
    }
  })

  it('the engine fills lanes top down and never lets two messages of a lane overlap', () => {
    const e = createDanmakuEngine(measure, { ratePerSecond: 1000, burst: 1000, frameRatePerSecond: 1000, frameBurst: 1000, authorRatePerSecond: 1000, authorBurst: 1000, queueWaitMs: 60_000, queueCapacity: 64 })
    expect(e.lanes).toBe(8) // (720 * 0.5 - 16) / 40
    const texts = ['短', '一条很长很长很长很长很长很长的弹幕消息', 'hello', '中等长度的弹幕', 'x'.repeat(30)]
    for (let i = 0; i < 40; i++) expect(e.receive(texts[i % texts.length], 0)).toBe('queued')
    const maxActive = { n: 0 }
    for (let t = 0; t <= 20_000; t += 16) {
      e.update(t)
      maxActive.n = Math.max(maxActive.n, e.activeCount)
      for (let i = 0; i < e.activeCount; i++) {
        for (let j = 0; j < e.activeCount; j++) {
          const a = e.active[i]
          const b = e.active[j]
          if (a === b || a.lane !== b.lane || a.startMs > b.startMs) continue
          // a entered first: b stays behind a's tail while a is on screen.
          if (a.x + a.width > 0) expect(b.x).toBeGreaterThanOrEqual(a.x + a.width - 1e-6)
        }
      }
    }
    expect(e.stats.shown).toBe(40)
    expect(e.activeCount).toBe(0)
    // More on screen than lanes: lanes are reused as soon as the rule allows.
    expect(maxActive.n).toBeGreaterThan(8)
  })

  it('places the first messages in lanes 0, 1, 2… and moves them right to left in the set time', () => {
    const e = createDanmakuEngine(measure)
    e.receive('a', 0)
    e.receive('b', 0)
    e.update(0)
    expect(e.activeCount).toBe(2)
    expect([e.active[0].lane, e.active[1].lane]).toEqual([0, 1])
    expect(e.active[0].y).toBe(16)
    expect(e.active[1].y).toBe(56)
    expect(e.active[0].x).toBe(1280)
    e.update(3500)
    expect(e.active[0].x).toBeCloseTo(1280 - (1300 * 3500) / 7000, 6)
    e.update(6999)
    expect(e.activeCount).toBe(2)
    e.update(7000)
    expect(e.activeCount).toBe(0)
  })
})

describe('createDanmakuEngine: limits', () => {
  it('drops a flood over the rate and counts it, queueing at most the burst', () => {
    const e = createDanmakuEngine(measure)
    const verdicts = Array.from({ length: 200 }, (_, i) => e.receive(`flood ${i}`, 5000))
    expect(verdicts.filter((v) => v === 'queued')).toHaveLength(8)
    expect(e.stats.dropped.rate).toBe(192)
    expect(e.stats.received).toBe(200)
    expect(e.pendingCount).toBe(8)
    e.update(5000)
    expect(e.activeCount).toBe(8)
    // After a second, four more tokens.
    const next = Array.from({ length: 10 }, (_, i) => e.receive(`later ${i}`, 6000))
    expect(next.filter((v) => v === 'queued')).toHaveLength(4)
  })

  it('limits each author on its own without charging the feed for their dropped messages', () => {
    const e = createDanmakuEngine(measure)
    const spam = Array.from({ length: 6 }, () => e.receive(JSON.stringify({ text: 'spam', author: 'bot' }), 0))
    expect(spam).toEqual(['queued', 'queued', 'queued', 'rate', 'rate', 'rate'])
    // The feed still had 8 - 3 = 5 tokens: other people get through.
    const others = Array.from({ length: 6 }, (_, i) => e.receive(JSON.stringify({ text: 'hi', author: `p${i}` }), 0))
    expect(others).toEqual(['queued', 'queued', 'queued', 'queued', 'queued', 'rate'])
    expect(e.stats.dropped.rate).toBe(4)
  })

  it('bounds the queue: full → dropped; no lane in time → dropped', () => {
    const e = createDanmakuEngine(() => 1536, { ratePerSecond: 100, burst: 100, queueCapacity: 4, queueWaitMs: 1000, laneArea: 0.1 })
    expect(e.lanes).toBe(1)
    const v = Array.from({ length: 6 }, (_, i) => e.receive(`m${i}`, 0))
    expect(v).toEqual(['queued', 'queued', 'queued', 'queued', 'queue', 'queue'])
    e.update(0)
    expect(e.activeCount).toBe(1)
    expect(e.pendingCount).toBe(3)
    // The lane is busy for long: after the wait the rest are dropped, not kept forever.
    e.update(1001)
    expect(e.pendingCount).toBe(0)
    expect(e.stats.dropped.queue).toBe(5)
    expect(e.stats.shown).toBe(1)
  })

  it('a flood is dropped before parsing: over-rate frames cost no JSON.parse and no segmentation (issue 16 item 12)', () => {
    const e = createDanmakuEngine(measure)
    const parse = vi.spyOn(JSON, 'parse')
    const segment = vi.spyOn(Intl.Segmenter.prototype, 'segment')
    try {
      const frame = JSON.stringify({ text: '弹'.repeat(1990), author: 'x' })
      expect(frame.length).toBeLessThan(e.config.maxFrameChars)
      for (let i = 0; i < 200; i++) e.receive(frame.replace('"x"', `"a${i}"`), 1000)
      // Only what the feed's burst lets through is parsed; the rest is a length check and a bucket.
      expect(parse.mock.calls.length).toBeLessThanOrEqual(e.config.burst)
      // Text and author per parsed frame, and the test's measure() once per queued message.
      expect(segment.mock.calls.length).toBeLessThanOrEqual(3 * e.config.burst)
      expect(e.stats.dropped.rate).toBe(200 - e.config.burst)
      // An oversize frame is never parsed at all.
      parse.mockClear()
      e.receive(`{"text":"${'x'.repeat(e.config.maxFrameChars)}"}`, 60_000)
      expect(parse).not.toHaveBeenCalled()
      // Malformed frames (which do not charge the message bucket) are bounded by the frame budget.
      parse.mockClear()
      for (let i = 0; i < 1000; i++) e.receive('{bad', 120_000)
      expect(parse.mock.calls.length).toBe(e.config.frameBurst)
    } finally {
      parse.mockRestore()
      segment.mockRestore()
    }
  })

  it('a long line is cut before segmentation and still shows its first graphemes', () => {
    const segment = vi.spyOn(Intl.Segmenter.prototype, 'segment')
    try {
      const out = sanitiseDanmakuText('👨‍👩‍👧‍👦'.repeat(500), 40)
      expect(out).toEqual({ text: `${'👨‍👩‍👧‍👦'.repeat(39)}…`, truncated: true })
      const segmented = segment.mock.calls.reduce((n, [text]) => n + text.length, 0)
      expect(segmented).toBeLessThanOrEqual(41 * 16)
      expect(sanitiseDanmakuText('a'.repeat(2000), 40)).toEqual({ text: `${'a'.repeat(39)}…`, truncated: true })
    } finally {
      segment.mockRestore()
    }
  })

  it('counts malformed and truncated frames', () => {
    const e = createDanmakuEngine(measure)
    expect(e.receive('{bad json', 0)).toBe('malformed')
    expect(e.receive('\u0000', 0)).toBe('malformed')
    expect(e.receive(new Uint8Array(3), 0)).toBe('malformed')
    expect(e.receive('长'.repeat(100), 0)).toBe('queued')
    expect(e.stats).toMatchObject({ received: 4, truncated: 1, dropped: { malformed: 3, rate: 0, queue: 0 } })
    expect(e.recent.at(-1)?.text).toBe(`${'长'.repeat(39)}…`)
  })

  it('is deterministic: the same frames at the same times give the same picture', () => {
    const run = () => {
      const e = createDanmakuEngine(measure)
      const script = createDemoDanmakuScript(7)
      let t = 0
      const trace: string[] = []
      for (let i = 0; i < 300; i++) {
        const d = script.next()
        t += d.delayMs
        e.receive(demoDanmakuFrame(d), t)
        e.update(t)
        for (let k = 0; k < e.activeCount; k++) trace.push(`${e.active[k].serial}:${e.active[k].lane}:${e.active[k].x.toFixed(3)}`)
      }
      return trace.join('|')
    }
    expect(run()).toBe(run())
  })
})

describe('the demo feed script', () => {
  it('is seeded, bilingual, and stays within the feed limits (a real room, not a flood)', () => {
    const a = createDemoDanmakuScript(1)
    const b = createDemoDanmakuScript(1)
    const first = Array.from({ length: 50 }, () => a.next())
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(first)
    expect(createDemoDanmakuScript(2).next()).not.toEqual(first[0])

    const e = createDanmakuEngine(measure)
    expect(e.receive(demoDanmakuFrame(DEMO_WELCOME), 0)).toBe('queued')
    const s = createDemoDanmakuScript(42)
    let t = 0
    let cjk = 0
    let latin = 0
    const n = 2000
    for (let i = 0; i < n; i++) {
      const d = s.next()
      t += d.delayMs
      if (/[\u4e00-\u9fff]/.test(d.text)) cjk++
      if (/^[\x20-\x7e]+$/.test(d.text)) latin++
      e.receive(demoDanmakuFrame(d), t)
      e.update(t)
    }
    const perSecond = n / (t / 1000)
    expect(perSecond).toBeGreaterThan(0.6)
    expect(perSecond).toBeLessThan(2)
    expect(cjk / n).toBeGreaterThan(0.3)
    expect(latin / n).toBeGreaterThan(0.2)
    // Nearly all get on screen; waves may brush the per-author limit now and then.
    expect(e.stats.dropped.malformed).toBe(0)
    expect(e.stats.truncated).toBe(0)
    expect(e.stats.dropped.rate + e.stats.dropped.queue).toBeLessThan(n * 0.02)
  })
})

describe('resolveDanmakuUrl', () => {
  const page = 'http://127.0.0.1:4173/livestream?danmaku=demo'
  it('resolves the demo feed and paths on the page host', () => {
    expect(resolveDanmakuUrl('demo', page)).toEqual({ ok: true, url: 'ws://127.0.0.1:4173/danmaku/demo' })
    expect(resolveDanmakuUrl('/danmaku/demo', 'https://lingjing.example/livestream')).toEqual({ ok: true, url: 'wss://lingjing.example/danmaku/demo' })
  })
  it('accepts ws and wss, maps http(s) to ws(s), refuses other schemes', () => {
    expect(resolveDanmakuUrl(' ws://10.0.0.2:9000/feed ', page)).toEqual({ ok: true, url: 'ws://10.0.0.2:9000/feed' })
    expect(resolveDanmakuUrl('https://feed.example/room/1#x', page)).toEqual({ ok: true, url: 'wss://feed.example/room/1' })
    expect(resolveDanmakuUrl('javascript:alert(1)', page)).toEqual({ ok: false, reason: 'scheme' })
    expect(resolveDanmakuUrl('file:///etc/passwd', page)).toEqual({ ok: false, reason: 'scheme' })
    expect(resolveDanmakuUrl('   ', page)).toEqual({ ok: false, reason: 'empty' })
    expect(resolveDanmakuUrl('ws://', page)).toEqual({ ok: false, reason: 'invalid' })
  })
  it('refuses a plain ws feed from an https page except on loopback', () => {
    expect(resolveDanmakuUrl('ws://feed.example/x', 'https://lingjing.example/')).toEqual({ ok: false, reason: 'insecure' })
    expect(resolveDanmakuUrl('ws://127.0.0.1:9000/', 'https://lingjing.example/')).toEqual({ ok: true, url: 'ws://127.0.0.1:9000/' })
  })
})
