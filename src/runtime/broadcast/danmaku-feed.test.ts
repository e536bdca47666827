import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDanmakuFeed } from './danmaku-feed'

/** A WebSocket that records the address it was given and lets the test close or refuse it. */
class FakeSocket {
  static CONNECTING = 0
  static OPEN = 1
  static made: FakeSocket[] = []
  static refuse: string | null = null
  readyState = 0
  binaryType = 'blob'
  onopen: (() => void) | null = null
  onclose: ((e: { code: number; reason: string }) => void) | null = null
  onerror: (() => void) | null = null
  onmessage: ((e: { data: unknown }) => void) | null = null
  constructor(readonly url: string) {
    if (FakeSocket.refuse) throw new SyntaxError(FakeSocket.refuse.replace('$URL', url))
    FakeSocket.made.push(this)
  }
  close() {
    this.readyState = 3
  }
}

afterEach(() => {
  vi.unstubAllGlobals()
  FakeSocket.made = []
  FakeSocket.refuse = null
})

const SECRET_URL = 'wss://alice:hunter2@feed.example.net/danmaku?room=7&token=s3cr3t-token&key=k'

describe('danmaku feed: credentials (issue 16 item 9)', () => {
  it('the socket gets the real address; the view only a redacted one', () => {
    vi.stubGlobal('WebSocket', FakeSocket)
    const feed = createDanmakuFeed({ onFrame: () => {}, backoff: { attemptsBeforeError: 1 } })
    feed.connect(SECRET_URL)
    expect(FakeSocket.made[0].url).toBe(SECRET_URL)
    expect(feed.view.url).toBe('wss://feed.example.net/danmaku?room=7&token=***&key=***')
    FakeSocket.made[0].onclose?.({ code: 1006, reason: `bad ${SECRET_URL}` })
    expect(feed.view.state).toBe('error')
    const shown = JSON.stringify(feed.view)
    for (const secret of ['alice', 'hunter2', 's3cr3t-token', 'key=k']) expect(shown).not.toContain(secret)
    feed.dispose()
  })

  it('an exception that quotes the address is shown redacted', () => {
    vi.stubGlobal('WebSocket', FakeSocket)
    FakeSocket.refuse = "Failed to construct 'WebSocket': The URL '$URL' is invalid."
    const feed = createDanmakuFeed({ onFrame: () => {} })
    feed.connect(SECRET_URL)
    expect(feed.view).toMatchObject({ state: 'error', error: 'refused' })
    expect(feed.view.detail).toContain('wss://feed.example.net/danmaku?room=7&token=***')
    expect(feed.view.detail).not.toContain('hunter2')
    feed.dispose()
  })
})

describe('danmaku feed: view (core store)', () => {
  it('replaces the view on change, keeps it when nothing changed, and tells listeners only then', () => {
    vi.stubGlobal('WebSocket', FakeSocket)
    const feed = createDanmakuFeed({ onFrame: () => {} })
    const seen: string[] = []
    feed.subscribe((v) => seen.push(v.state))
    const off = feed.view
    feed.disconnect()
    expect(feed.view).toBe(off)
    expect(seen).toEqual([])
    feed.connect('wss://feed.example.net/danmaku')
    const connecting = feed.view
    expect(connecting).not.toBe(off)
    expect(off.state).toBe('off')
    FakeSocket.made[0].onopen?.()
    expect(seen).toEqual(['connecting', 'open'])
    expect(connecting.state).toBe('connecting')
    feed.dispose()
    feed.connect('wss://feed.example.net/danmaku')
    expect(seen).toHaveLength(2)
  })
})
