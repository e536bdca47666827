import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSyntheticRecording } from './synthetic-session'
import { DEFAULT_MAX_BYTES, MAX_STRING_CHARS, validateRecording } from './validate-recording'

// Hostile recordings of issue 16 item 13: what is too big in count or length is refused before
// JSON.parse builds it, and the error says where.
const base = createSyntheticRecording({ frames: 40, inputs: 'mixed', eventEvery: 10, keyframeInterval: 20 })
const baseText = JSON.stringify(base)

afterEach(() => vi.restoreAllMocks())

/** The shipped text with the frames array replaced by `frames` (text, not built as objects). */
function withFramesText(frames: string): string {
  const start = baseText.indexOf('"frames":') + '"frames":'.length
  const end = baseText.indexOf(',"events":')
  return `${baseText.slice(0, start)}${frames}${baseText.slice(end)}`
}

describe('validateRecording: hostile counts and lengths', () => {
  it('ten million frames under the byte limit are refused before JSON.parse builds them', () => {
    const text = withFramesText(`[${'0,'.repeat(9_999_999)}0]`)
    expect(text.length).toBeLessThan(DEFAULT_MAX_BYTES)
    const parse = vi.spyOn(JSON, 'parse')
    const result = validateRecording(text)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error).toMatchObject({ code: 'oversize', path: 'frames' })
    expect(result.error.message.en).toMatch(/more than \d+ frames/)
    expect(result.error.message.zh).toMatch(/帧/)
    expect(parse).not.toHaveBeenCalled()
  })

  it('more events than allowed are refused before parsing too', () => {
    const start = baseText.indexOf('"events":') + '"events":'.length
    const text = `${baseText.slice(0, start)}[${'0,'.repeat(150_000)}0]}`
    const parse = vi.spyOn(JSON, 'parse')
    const result = validateRecording(text)
    expect(result.ok || result.error).toMatchObject({ code: 'bad-event', path: 'events' })
    expect(parse).not.toHaveBeenCalled()
  })

  it('a 15 MB string in event data is refused, saying where', () => {
    const rec = JSON.parse(baseText)
    rec.events[1].data = { note: 'x'.repeat(15 * 1024 * 1024) }
    const result = validateRecording(JSON.stringify(rec))
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('oversize')
    expect(result.error.path).toBe('events[1].data.note')
    expect(result.error.message.en).toMatch(/line 1, column \d+/)
    expect(result.error.message.zh).toMatch(/events\[1\]\.data\.note/)
  })

  it('a long string or key in an already parsed recording is refused with its event', () => {
    const rec = JSON.parse(baseText)
    rec.events[0].data = { list: ['ok', 'y'.repeat(MAX_STRING_CHARS + 1)] }
    expect(validateRecording(rec)).toMatchObject({ ok: false, error: { code: 'bad-event', path: 'events[0].data' } })
    const keyed = JSON.parse(baseText)
    keyed.events[0].data = { ['k'.repeat(MAX_STRING_CHARS + 1)]: 1 }
    expect(validateRecording(keyed)).toMatchObject({ ok: false, error: { code: 'bad-event', path: 'events[0].data' } })
  })

  it('a long string anywhere else (an unknown field) is refused with its place', () => {
    const text = baseText.replace('{"format"', `{"junk":["a","${'é'.repeat(MAX_STRING_CHARS + 1)}"],"format"`)
    expect(validateRecording(text)).toMatchObject({ ok: false, error: { code: 'oversize', path: 'junk[1]' } })
    // Escapes count as the characters they stand for: 4096 × \\u4e00 is 4096 characters, allowed here.
    const escaped = baseText.replace('{"format"', `{"junk":"${'\\u4e00'.repeat(MAX_STRING_CHARS)}","format"`)
    expect(validateRecording(escaped).ok).toBe(true)
  })

  it('strings at the limit and the escaped quotes inside them are read correctly', () => {
    const rec = JSON.parse(baseText)
    rec.events[0].data = { s: `"\\${'q'.repeat(MAX_STRING_CHARS - 3)}"`, frames: [1, 2, 3] }
    expect(validateRecording(JSON.stringify(rec)).ok).toBe(true)
  })
})
