import { describe, expect, it } from 'vitest'
import { createRefreshRateController } from './refresh-rate-controller'

describe('refresh-rate controller', () => {
  it('lowers one step only after the governor is exhausted and frames still overrun', () => {
    const c = createRefreshRateController({ supportedRates: [120, 72, 90, 80] })
    expect(c.rates).toEqual([72, 80, 90, 120])
    // 12 ms at 90 Hz (11.1 ms budget): over, but the governor still has levers → no change.
    for (let i = 0; i < 100; i++) expect(c.update(90, 12, false)).toBe(0)
    let asked = 0
    let frames = 0
    while (asked === 0 && frames < 100) {
      asked = c.update(90, 12, true)
      frames++
    }
    expect(asked).toBe(80)
    expect(frames).toBe(36)
  })

  it('raises only after a long stretch that fits the higher budget with headroom', () => {
    const c = createRefreshRateController({ supportedRates: [72, 90], raiseAfterFrames: 100 })
    // 9 ms: 90 Hz budget 11.1 × 0.75 = 8.3 → does not fit with headroom.
    for (let i = 0; i < 300; i++) expect(c.update(72, 9, false)).toBe(0)
    let asked = 0
    let frames = 0
    while (asked === 0 && frames < 300) {
      asked = c.update(72, 7, false)
      frames++
    }
    expect(asked).toBe(90)
    expect(frames).toBe(100)
  })

  it('never asks below the lowest or above the highest rate, and ignores a single rate', () => {
    const low = createRefreshRateController({ supportedRates: [72, 90] })
    for (let i = 0; i < 200; i++) expect(low.update(72, 30, true)).toBe(0)
    const high = createRefreshRateController({ supportedRates: [72, 90], raiseAfterFrames: 5 })
    for (let i = 0; i < 20; i++) expect(high.update(90, 1, false)).toBe(0)
    const single = createRefreshRateController({ supportedRates: [60] })
    expect(single.update(60, 100, true)).toBe(0)
  })
})
