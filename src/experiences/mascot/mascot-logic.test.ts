import { describe, expect, it } from 'vitest'
import { clampScale, clipAfter, clipForTap, coverCrop, nextOutfit, photoFileName, pickVoice, pinchTwist, SCALE_LIMITS } from './mascot-logic'

describe('mascot logic', () => {
  it('settles one-shot clips back to hovering and ends after flying away', () => {
    expect(clipAfter('wave')).toBe('hover-idle')
    expect(clipAfter('fly-in')).toBe('hover-idle')
    expect(clipAfter('fly-away')).toBeNull()
  })

  it('alternates wave and dance on taps and cycles outfits', () => {
    expect([0, 1, 2].map(clipForTap)).toEqual(['wave', 'dance', 'wave'])
    expect(nextOutfit('gamer')).toBe('astronaut')
    expect(nextOutfit('astronaut')).toBe('gamer')
  })

  it('reads pinch as the distance ratio and twist as the angle change', () => {
    const a = { x: 100, y: 100 }
    const b = { x: 200, y: 100 }
    expect(pinchTwist(a, b, a, { x: 300, y: 100 }).scale).toBeCloseTo(2)
    // Second finger moves from right of the first to above it on screen: a quarter turn counter-clockwise.
    const turned = pinchTwist(a, b, a, { x: 100, y: 0 })
    expect(turned.twist).toBeCloseTo(Math.PI / 2)
    expect(turned.scale).toBeCloseTo(1)
    // Crossing the ±π seam is a small twist, not nearly a full turn.
    const seam = pinchTwist({ x: 0, y: 0 }, { x: -100, y: 1 }, { x: 0, y: 0 }, { x: -100, y: -1 })
    expect(Math.abs(seam.twist)).toBeLessThan(0.1)
    expect(clampScale(10)).toBe(SCALE_LIMITS.max)
    expect(clampScale(0.01)).toBe(SCALE_LIMITS.min)
  })

  it('picks a voice of the language, preferring the default, or none', () => {
    const voices = [
      { lang: 'en-US', name: 'A' },
      { lang: 'zh-TW', name: 'B' },
      { lang: 'zh-CN', name: 'C', default: true },
    ]
    expect(pickVoice(voices, 'zh')?.name).toBe('C')
    expect(pickVoice(voices, 'en')?.name).toBe('A')
    expect(pickVoice([{ lang: 'de-DE', name: 'D' }], 'zh')).toBeNull()
    expect(pickVoice([{ lang: 'cmn_Hans_CN', name: 'E' }], 'zh')?.name).toBe('E')
  })

  it('crops a camera picture to fill the photo without stretching', () => {
    const wide = coverCrop(1920, 1080, 1000, 1000)
    expect(wide).toEqual({ sx: 420, sy: 0, sw: 1080, sh: 1080 })
    const tall = coverCrop(1080, 1920, 1280, 720)
    expect(tall.sw / tall.sh).toBeCloseTo(1280 / 720)
    expect(tall.sy).toBeGreaterThan(0)
    expect(photoFileName(7)).toBe('xiaoguan-photo-007.jpg')
  })
})
