import { describe, expect, it } from 'vitest'
import { assessStorage } from './storage-quota'

const MB = 1024 * 1024

describe('assessStorage', () => {
  const rate = 500_000 // 4 Mbit/s
  it('is ok with plenty of room', () => {
    const a = assessStorage({ usage: 10 * MB, quota: 2000 * MB }, { bytesPerSecond: rate })
    expect(a.level).toBe('ok')
    expect(a.secondsLeft).toBeGreaterThan(3000)
  })

  it('warns with less than two minutes left', () => {
    const free = 60 * rate + 10 * rate + 2 * MB // one minute above the margin
    const a = assessStorage({ usage: 100 * MB, quota: 100 * MB + free }, { bytesPerSecond: rate })
    expect(a.level).toBe('low')
    expect(a.secondsLeft).toBeCloseTo(60, 5)
  })

  it('says full while the safety margin still holds the chunks in flight', () => {
    const free = 9 * rate + 2 * MB // less than the 10 s margin
    const a = assessStorage({ usage: 0, quota: free }, { bytesPerSecond: rate })
    expect(a.level).toBe('full')
    expect(a.secondsLeft).toBe(0)
    // The margin is real room: quota − usage is still positive when "full" is reported.
    expect(free).toBeGreaterThan(0)
  })

  it('is unknown without an estimate', () => {
    expect(assessStorage(null, { bytesPerSecond: rate }).level).toBe('unknown')
    expect(assessStorage({}, { bytesPerSecond: rate }).level).toBe('unknown')
    expect(assessStorage({ usage: 1, quota: 0 }, { bytesPerSecond: rate }).level).toBe('unknown')
  })
})
