import { describe, expect, it } from 'vitest'
import { createManualClock } from './clock'
import { createRng } from './rng'

describe('manual clock', () => {
  it('advances and refuses to go backwards', () => {
    const clock = createManualClock(10)
    clock.advance(5)
    expect(clock.now()).toBe(15)
    expect(() => clock.advance(-1)).toThrow(RangeError)
    expect(() => clock.set(3)).toThrow(RangeError)
    clock.set(20)
    expect(clock.now()).toBe(20)
  })
})

describe('seeded rng', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = createRng(42)
    const b = createRng(42)
    const c = createRng(43)
    const seqA = Array.from({ length: 8 }, () => a.next())
    const seqB = Array.from({ length: 8 }, () => b.next())
    const seqC = Array.from({ length: 8 }, () => c.next())
    expect(seqA).toEqual(seqB)
    expect(seqA).not.toEqual(seqC)
    for (const v of seqA) expect(v >= 0 && v < 1).toBe(true)
  })

  it('restores from a saved state', () => {
    const rng = createRng(7)
    rng.next()
    const saved = rng.getState()
    const x = rng.next()
    rng.setState(saved)
    expect(rng.next()).toBe(x)
  })

  it('int covers its inclusive range', () => {
    const rng = createRng(1)
    const seen = new Set<number>()
    for (let i = 0; i < 200; i++) seen.add(rng.int(1, 3))
    expect([...seen].sort()).toEqual([1, 2, 3])
  })
})
