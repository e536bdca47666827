import { describe, expect, it } from 'vitest'
import { createStreamRng, randomSeed, randomSuffix } from './session-seed'

const draw = (seed: number, stream: string) => {
  const rng = createStreamRng(seed, stream)
  return [rng.next(), rng.next(), rng.next()]
}

describe('session seed', () => {
  it('gives each named stream its own sequence, repeated exactly under the same seed', () => {
    expect(draw(1234, 'dust')).toEqual(draw(1234, 'dust'))
    expect(draw(1234, 'dust')).not.toEqual(draw(1234, 'traffic'))
    expect(draw(1234, 'dust')).not.toEqual(draw(1235, 'dust'))
  })

  it('draws 32-bit seeds and 8-hex-digit take suffixes from crypto', () => {
    const seeds = new Set(Array.from({ length: 8 }, randomSeed))
    expect(seeds.size).toBeGreaterThan(1)
    for (const seed of seeds) expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true)
    expect(randomSuffix()).toMatch(/^[0-9a-f]{8}$/)
  })
})
