import { describe, expect, it } from 'vitest'
import { createBlink, updateBlink } from './blink'

const DT = 1 / 90

function record(seed: number, seconds: number, suppressed: (t: number) => boolean = () => false) {
  const b = createBlink(seed)
  const starts: number[] = []
  let maxWeight = 0
  let closedFrames = 0
  let count = 0
  for (let i = 0; i * DT < seconds; i++) {
    const w = updateBlink(b, DT, suppressed(i * DT))
    maxWeight = Math.max(maxWeight, w)
    if (w > 0) closedFrames++
    if (b.count !== count) {
      count = b.count
      starts.push(b.lastStart)
    }
  }
  return { starts, maxWeight, closedFrames, state: b }
}

describe('automatic blink', () => {
  it('blinks every 2–6 s with a ~150 ms close/open curve', () => {
    const { starts, maxWeight, closedFrames } = record(7, 300)
    expect(starts.length).toBeGreaterThan(300 / 6 - 2)
    expect(starts.length).toBeLessThan(300 / 2 + 1)
    expect(starts[0]).toBeGreaterThanOrEqual(2 - 1e-9)
    expect(starts[0]).toBeLessThanOrEqual(6)
    for (let i = 1; i < starts.length; i++) {
      const interval = starts[i] - starts[i - 1]
      expect(interval).toBeGreaterThanOrEqual(2 - 1e-6)
      expect(interval).toBeLessThanOrEqual(6 + 1e-6)
    }
    expect(maxWeight).toBeGreaterThan(0.99)
    const perBlink = (closedFrames * DT) / starts.length
    expect(perBlink).toBeGreaterThan(0.12)
    expect(perBlink).toBeLessThan(0.17)
  })

  it('repeats exactly for a seed and differs between seeds', () => {
    expect(record(42, 60).starts).toEqual(record(42, 60).starts)
    expect(record(42, 60).starts).not.toEqual(record(43, 60).starts)
  })

  it('keeps the same schedule at another frame rate', () => {
    const a = createBlink(5)
    const b = createBlink(5)
    for (let t = 0; t < 30; t += 1 / 72) updateBlink(a, 1 / 72)
    for (let t = 0; t < 30; t += 1 / 120) updateBlink(b, 1 / 120)
    expect(a.count).toBe(b.count)
    expect(Math.abs(a.lastStart - b.lastStart)).toBeLessThan(1e-6)
  })

  it('does not blink while suppressed (surprised) and resumes afterwards', () => {
    const { starts } = record(3, 40, (t) => t >= 1 && t < 31)
    for (const s of starts) expect(s < 1 || s >= 31).toBe(true)
    expect(starts.some((s) => s >= 31)).toBe(true)
  })

  it('releases a blink in progress when suppression starts', () => {
    const b = createBlink(1, { minInterval: 0.5, maxInterval: 0.5 })
    while (b.count === 0) updateBlink(b, DT)
    updateBlink(b, 0.04)
    expect(b.weight).toBeGreaterThan(0.5)
    for (let i = 0; i < 20; i++) updateBlink(b, DT, true)
    expect(b.weight).toBeLessThan(0.05)
  })
})
