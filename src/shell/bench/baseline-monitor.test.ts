import { describe, expect, it } from 'vitest'
import { createBaselineMonitor } from './baseline-monitor'

const BUDGET = 1000 / 72

describe('baseline monitor (drei PerformanceMonitor + regress port)', () => {
  it('declines after ten windows of missed frames and regresses at once', () => {
    const monitor = createBaselineMonitor()
    let q = 1
    let frames = 0
    // Every frame costs 1.5 budgets → 36 fps in headset time, below 90% of 72.
    while (monitor.factor === 1 && frames < 1000) {
      q = monitor.update(BUDGET * 1.5, BUDGET)
      frames++
    }
    // Ten 250 ms windows of 2-period frames: about 90 frames.
    expect(frames).toBeGreaterThan(85)
    expect(frames).toBeLessThan(95)
    expect(monitor.factor).toBeCloseTo(0.9, 5)
    expect(q).toBeCloseTo(0.45, 5)
    expect(monitor.flipped).toBe(1)
  })

  it('stays at full quality when every frame fits, and recovers from regress after its debounce', () => {
    const monitor = createBaselineMonitor()
    let q = 0
    for (let i = 0; i < 400; i++) q = monitor.update(BUDGET * 0.5, BUDGET)
    expect(monitor.factor).toBe(1)
    expect(q).toBe(1)
  })
})
