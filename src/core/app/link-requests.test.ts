import { describe, expect, it } from 'vitest'
import { createLinkRequests } from './link-requests'

describe('link requests (?avatar=, ?danmaku=)', () => {
  it('gives nothing to load or connect until the host accepts', () => {
    const links = createLinkRequests('?lang=en&avatar=https://evil.example/a.vrm&danmaku=wss://feed.example/room?token=abc123')
    expect(links.accepted('avatar')).toBeNull()
    expect(links.accepted('danmaku')).toBeNull()
    expect(links.pending()).toEqual([]) // nobody asked yet: no prompt on a page that would not use them
    links.want('avatar')
    links.want('danmaku')
    expect(links.pending().map((r) => r.kind)).toEqual(['avatar', 'danmaku'])
    expect(links.accepted('avatar')).toBeNull()
    links.decide('avatar', true)
    expect(links.accepted('avatar')).toBe('https://evil.example/a.vrm')
    expect(links.pending().map((r) => r.kind)).toEqual(['danmaku'])
  })

  it('keeps an ignored request ignored, and a decision cannot be changed by a later call', () => {
    const links = createLinkRequests('?danmaku=demo')
    links.want('danmaku')
    links.decide('danmaku', false)
    links.decide('danmaku', true)
    expect(links.accepted('danmaku')).toBeNull()
    expect(links.pending()).toEqual([])
  })

  it('shows the address redacted, and says what accepting does in both languages', () => {
    const links = createLinkRequests('?danmaku=' + encodeURIComponent('wss://user:pw@feed.example/room?token=abc123&room=7'))
    links.want('danmaku')
    const [r] = links.pending()
    expect(r.shown).toBe('wss://feed.example/room?token=***&room=7')
    expect(r.effect.en).toMatch(/danmaku feed/)
    expect(r.effect.zh).toMatch(/弹幕源/)
  })

  it('notifies on change with a stable snapshot, and ignores absent or empty options', () => {
    const links = createLinkRequests('?avatar=')
    let calls = 0
    links.subscribe(() => calls++)
    links.want('avatar')
    links.want('danmaku')
    expect(calls).toBe(0)
    const other = createLinkRequests('?avatar=/a.vrm')
    const before = other.pending()
    expect(other.pending()).toBe(before)
    other.want('avatar')
    expect(other.pending()).not.toBe(before)
    expect(other.pending()).toBe(other.pending())
  })
})
