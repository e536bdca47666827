import { describe, expect, it } from 'vitest'
import { LIVE_REASON_STRINGS, LIVE_STATE_STRINGS, LIVE_STRINGS, retryText } from './live-strings'

describe('live UI strings', () => {
  it('has every string, state and failure reason in Chinese and English, and they differ', () => {
    for (const [key, text] of [...Object.entries(LIVE_STRINGS), ...Object.entries(LIVE_STATE_STRINGS), ...Object.entries(LIVE_REASON_STRINGS)]) {
      expect(text.zh.trim(), key).not.toBe('')
      expect(text.en.trim(), key).not.toBe('')
      expect(text.zh, key).not.toBe(text.en)
      expect(/[\u3000-\u9fff]/.test(text.zh), key).toBe(true)
    }
  })
  it('says the retry countdown in each language', () => {
    expect(retryText('en', 2, 4)).toBe('Retry 2 in 4 s')
    expect(retryText('zh', 2, 4)).toBe('4 秒后第 2 次重试')
  })
})
