import { describe, expect, it } from 'vitest'
import { REPLAY_STRINGS, formatClock, formatSeconds } from './replay-strings'

describe('replay UI strings', () => {
  it('has every string in Chinese and English, and they differ', () => {
    for (const [key, text] of Object.entries(REPLAY_STRINGS)) {
      expect(text.zh.trim(), key).not.toBe('')
      expect(text.en.trim(), key).not.toBe('')
      expect(text.zh, key).not.toBe(text.en)
      // The Chinese side is Chinese (at least one CJK character), not an untranslated copy.
      expect(/[\u3000-\u9fff]/.test(text.zh), key).toBe(true)
    }
  })
  it('formats durations for the indicator and the timeline', () => {
    expect(formatClock(0)).toBe('00:00')
    expect(formatClock(65_400)).toBe('01:05')
    expect(formatClock(-5)).toBe('00:00')
    expect(formatSeconds(12_340, 'en')).toBe('12.3 s')
    expect(formatSeconds(12_340, 'zh')).toBe('12.3 秒')
  })
})
