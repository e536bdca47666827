import { describe, expect, it } from 'vitest'
import { createInputSnapshot } from '../input/input-snapshot'
import { createStateHasher, hashInputSnapshot } from './state-hash'

describe('createStateHasher', () => {
  it('starts at the FNV-1a offset basis and is stable across runs', () => {
    const h = createStateHasher()
    expect(h.hex()).toBe('811c9dc5')
    h.number(1.5).string('灵境').boolean(true).numbers([1, 2, 3])
    const first = h.hex()
    expect(first).toMatch(/^[0-9a-f]{8}$/)
    h.reset()
    expect(h.number(1.5).string('灵境').boolean(true).numbers([1, 2, 3]).hex()).toBe(first)
    expect(h.value).toBe(parseInt(first, 16))
  })

  it('ignores noise below the quantum but sees real differences and order', () => {
    const hex = (...values: number[]) => {
      const h = createStateHasher()
      for (const v of values) h.number(v)
      return h.hex()
    }
    expect(hex(0.1 + 0.2)).toBe(hex(0.3))
    expect(hex(1.000001)).toBe(hex(1))
    expect(hex(1.0001)).not.toBe(hex(1))
    expect(hex(1, 2)).not.toBe(hex(2, 1))
    expect(hex(-0)).toBe(hex(0))
    expect(hex(NaN)).not.toBe(hex(0))
    expect(hex(Infinity)).not.toBe(hex(-Infinity))
    expect(hex(2 ** 40)).not.toBe(hex(2 ** 40 + 1))
    expect(hex(-5)).not.toBe(hex(5))
    const s = (...parts: string[]) => {
      const h = createStateHasher()
      for (const p of parts) h.string(p)
      return h.hex()
    }
    expect(s('ab', 'c')).not.toBe(s('a', 'bc'))
  })

  it('hashes whole input snapshots', () => {
    const a = createInputSnapshot()
    const b = createInputSnapshot()
    expect(hashInputSnapshot(createStateHasher(), a).hex()).toBe(hashInputSnapshot(createStateHasher(), b).hex())
    b.sources[1].connected = true
    b.sources[1].kind = 'controller'
    expect(hashInputSnapshot(createStateHasher(), a).hex()).not.toBe(hashInputSnapshot(createStateHasher(), b).hex())
  })
})
