import { describe, expect, it } from 'vitest'
import { BROADCAST_STRINGS, formatBytes, formatClock } from './broadcast-strings'

describe('broadcast UI strings', () => {
  it('has every string in Chinese and English, and they differ', () => {
    for (const [key, text] of Object.entries(BROADCAST_STRINGS)) {
      expect(text.zh.trim(), key).not.toBe('')
      expect(text.en.trim(), key).not.toBe('')
      expect(text.zh, key).not.toBe(text.en)
      expect(/[\u3000-\u9fff]/.test(text.zh), key).toBe(true)
    }
  })
  it('formats the running time and the size', () => {
    expect(formatClock(0)).toBe('00:00')
    expect(formatClock(125_900)).toBe('02:05')
    expect(formatBytes(12_345)).toBe('12.3 KB')
    expect(formatBytes(3_456_789)).toBe('3.5 MB')
  })
})
