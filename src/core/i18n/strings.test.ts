import { describe, expect, it } from 'vitest'
import { createStrings, STRINGS, t } from './strings'

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

  it('looks up any area table with one typed helper', () => {
    const lookup = createStrings({ hello: { zh: '你好', en: 'Hello' }, bye: { zh: '再见', en: 'Bye' } })
    expect(lookup('hello', 'zh')).toBe('你好')
    expect(lookup('bye', 'en')).toBe('Bye')
    // @ts-expect-error a key outside the table does not compile
    expect(() => lookup('missing', 'en')).toThrow()
  })
})
