import { describe, expect, it } from 'vitest'
import { STRINGS, t } from './strings'

describe('bilingual strings', () => {
  it('has Chinese and English for every shell string', () => {
    for (const [key, text] of Object.entries(STRINGS)) {
      expect(text.zh.trim(), key).not.toBe('')
      expect(text.en.trim(), key).not.toBe('')
      // Chinese text must contain CJK characters (or be the language toggle's English label).
      if (key !== 'language') expect(/[\u3400-\u9fff]/.test(text.zh), key).toBe(true)
    }
    expect(t('enterVR', 'en')).toBe('Enter VR')
    expect(t('enterVR', 'zh')).toBe('进入 VR')
  })
})
