import { describe, expect, it } from 'vitest'
import { createStateHasher } from '../../core/replay/state-hash'
import { createStateHashContributors } from './state-hash-contributors'

const hashOf = (contributors: ReturnType<typeof createStateHashContributors>) => {
  const hasher = createStateHasher()
  contributors.contribute(hasher)
  return hasher.hex()
}

describe('state hash contributors', () => {
  it('hash in name order, so the mount order of experiences does not change the hash', () => {
    const a = createStateHashContributors()
    a.register('tianhe.crew', (h) => h.number(3))
    a.register('app.sim-time', (h) => h.number(1250))
    const b = createStateHashContributors()
    b.register('app.sim-time', (h) => h.number(1250))
    b.register('tianhe.crew', (h) => h.number(3))
    expect(hashOf(a)).toBe(hashOf(b))
    // The state itself counts: a different value is a different hash.
    const c = createStateHashContributors()
    c.register('app.sim-time', (h) => h.number(1250))
    c.register('tianhe.crew', (h) => h.number(4))
    expect(hashOf(c)).not.toBe(hashOf(a))
  })

  it('refuses a name registered twice, and a stale unregister leaves the new contributor alone', () => {
    const contributors = createStateHashContributors()
    const first = contributors.register('mascot', (h) => h.number(1))
    expect(() => contributors.register('mascot', (h) => h.number(2))).toThrow('"mascot" is registered twice')
    first()
    const second = contributors.register('mascot', (h) => h.number(2))
    const withSecond = hashOf(contributors)
    first() // the remount's old cleanup runs late: it must not remove the new one
    expect(hashOf(contributors)).toBe(withSecond)
    second()
    expect(hashOf(contributors)).toBe(createStateHasher().hex())
  })

  it('hashes a failing contributor as its error instead of throwing', () => {
    const contributors = createStateHashContributors()
    contributors.register('broken', () => {
      throw new Error('no scene yet')
    })
    const expected = createStateHasher().string('broken').string('error: no scene yet').hex()
    expect(hashOf(contributors)).toBe(expected)
  })
})
