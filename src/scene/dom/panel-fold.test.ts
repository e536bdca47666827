import { describe, expect, it } from 'vitest'
import { initiallyOpen } from './panel-fold'

describe('initiallyOpen', () => {
  it('opens on a desktop-sized view and folds on a phone or a small window', () => {
    expect(initiallyOpen({ width: 1280, height: 720 }, null)).toBe(true)
    expect(initiallyOpen({ width: 390, height: 844 }, null)).toBe(false)
    expect(initiallyOpen({ width: 1280, height: 400 }, null)).toBe(false)
    expect(initiallyOpen({ width: 320, height: 180 }, null)).toBe(false)
  })
  it("keeps the visitor's own choice whatever the screen", () => {
    expect(initiallyOpen({ width: 320, height: 180 }, 'true')).toBe(true)
    expect(initiallyOpen({ width: 1920, height: 1080 }, 'false')).toBe(false)
  })
  it('ignores a stored value it does not know', () => {
    expect(initiallyOpen({ width: 1280, height: 720 }, 'yes')).toBe(true)
  })
})
