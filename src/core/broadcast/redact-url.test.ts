import { describe, expect, it } from 'vitest'
import { REDACTED, redactUrl } from './redact-url'

describe('redactUrl', () => {
  it('drops user name, password and fragment', () => {
    expect(redactUrl('wss://alice:hunter2@feed.example.net:8443/danmaku#frag')).toBe('wss://feed.example.net:8443/danmaku')
    expect(redactUrl('https://u@h/whip')).toBe('https://h/whip')
  })

  it('hides token-like query values by name or by shape, keeps the rest', () => {
    expect(redactUrl('wss://h/d?room=12&token=abc&api_key=k&Signature=s&sid=1&lang=zh')).toBe(
      `wss://h/d?room=12&token=${REDACTED}&api_key=${REDACTED}&Signature=${REDACTED}&sid=${REDACTED}&lang=zh`,
    )
    // A long random value is a secret whatever its name.
    expect(redactUrl('wss://h/d?x=eyJhbGciOiJIUzI1NiJ9abc123&n=5')).toBe(`wss://h/d?x=${REDACTED}&n=5`)
  })

  it("'all' hides every value, 'drop' removes the query", () => {
    expect(redactUrl('https://h/whip?streamid=live/abc&room=1&empty=', 'all')).toBe(`https://h/whip?streamid=${REDACTED}&room=${REDACTED}&empty=`)
    expect(redactUrl('https://p:w@h/whip?key=1#x', 'drop')).toBe('https://h/whip')
  })

  it('text that is not a URL is bounded and loses what may be a secret', () => {
    expect(redactUrl('user:pass@host/feed?token=abc')).toBe(`${REDACTED}@host/feed?${REDACTED}`)
    expect(redactUrl('a'.repeat(1000))).toHaveLength(200)
  })
})
