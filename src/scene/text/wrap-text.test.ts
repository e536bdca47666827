import { describe, expect, it } from 'vitest'
import { canvasFont, wrapText } from './wrap-text'

// A context whose text is 10 px per character: enough to check where lines break.
const ctx = { measureText: (text: string) => ({ width: text.length * 10 }) } as unknown as CanvasRenderingContext2D

describe('wrapText', () => {
  it('breaks English between words and trims the spaces at the break', () => {
    expect(wrapText(ctx, 'open the hatch now', 100)).toEqual(['open the', 'hatch now'])
  })

  it('breaks Chinese between any two characters', () => {
    expect(wrapText(ctx, '检查舱门压力读数', 50)).toEqual(['检查舱门压', '力读数'])
  })

  it('keeps a word longer than the line whole, and starts a new paragraph at each line break', () => {
    expect(wrapText(ctx, 'a verylongword\nb', 50)).toEqual(['a', 'verylongword', 'b'])
  })

  it('gives one empty line for empty text', () => {
    expect(wrapText(ctx, '', 50)).toEqual([''])
  })
})

describe('canvasFont', () => {
  it('names the weight, the size and the CJK font stack', () => {
    expect(canvasFont(24, 600)).toMatch(/^600 24px "Noto Sans CJK SC"/)
  })
})
