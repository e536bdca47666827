import { describe, expect, it } from 'vitest'
import { DANMAKU_STRINGS } from './danmaku-strings'

describe('danmaku UI strings', () => {
  it('has every string in Chinese and English, and they differ', () => {
    for (const [key, text] of Object.entries(DANMAKU_STRINGS)) {
      expect(text.zh.trim(), key).not.toBe('')
      expect(text.en.trim(), key).not.toBe('')
      expect(text.zh, key).not.toBe(text.en)
      expect(/[\u3000-\u9fff]/.test(text.zh), key).toBe(true)
    }
  })
  it('names every feed state', () => {
    for (const state of ['off', 'connecting', 'open', 'reconnecting', 'error'] as const) expect(DANMAKU_STRINGS[state].en).not.toBe('')
  })
})
