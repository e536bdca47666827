import { describe, expect, it } from 'vitest'
import { claimSavedLocks, clampItemState, decideGrab, loadSavedLocks, parseCrewKey, saveLocks, decideRelease, heldByHint, lockedByOther, locksHeldBy, parseItemState, parseLockRequest, parseRelease, validateItemState, type ItemLock } from './item-locks.ts'

const known = (id: string) => ['bag-01', 'bag-02', 'cartridge-old'].includes(id)

describe('item locks', () => {
  it('parses only { item, hand } with a plain id and a hand', () => {
    expect(parseLockRequest({ item: 'bag-01', hand: 'left' })).toEqual({ item: 'bag-01', hand: 'left' })
    for (const bad of [null, 'bag-01', { item: 'bag-01' }, { item: 'bag-01', hand: 'foot' }, { item: 'x'.repeat(33), hand: 'left' }, { item: 'Bag 1', hand: 'right' }, { item: 7, hand: 'right' }])
      expect(parseLockRequest(bad)).toBeNull()
  })

  it('grants a free item, refuses one another crew member holds, and a second item in the same hand', () => {
    const locks = new Map<string, ItemLock>()
    expect(decideGrab(locks, known, 'ada', { item: 'tool-nope', hand: 'right' })).toBe('item-unknown')
    expect(decideGrab(locks, known, 'ada', { item: 'bag-01', hand: 'right' })).toBe('granted')
    locks.set('bag-01', { holder: 'ada', name: 'Ada', hand: 'right' })
    expect(decideGrab(locks, known, 'ada', { item: 'bag-01', hand: 'right' })).toBe('already')
    expect(decideGrab(locks, known, 'bo', { item: 'bag-01', hand: 'left' })).toBe('item-held')
    expect(decideGrab(locks, known, 'ada', { item: 'bag-02', hand: 'right' })).toBe('hand-full')
    expect(decideGrab(locks, known, 'ada', { item: 'bag-02', hand: 'left' })).toBe('granted')
    expect(decideGrab(locks, known, 'bo', { item: 'bag-02', hand: 'right' })).toBe('granted')
  })

  it('only the holder releases; all locks of a leaver are found', () => {
    const locks = new Map<string, ItemLock>([
      ['bag-01', { holder: 'ada', name: 'Ada', hand: 'right' }],
      ['cartridge-old', { holder: 'ada', name: 'Ada', hand: 'left' }],
      ['bag-02', { holder: 'bo', name: 'Bo', hand: 'left' }],
    ])
    expect(decideRelease(locks, 'bo', 'bag-01')).toBe(false)
    expect(decideRelease(locks, 'ada', 'bag-01')).toBe(true)
    expect(decideRelease(locks, 'ada', 'bag-04')).toBe(false)
    expect(locksHeldBy(locks, 'ada')).toEqual(['bag-01', 'cartridge-old'])
    expect(locksHeldBy(locks, 'cy')).toEqual([])
  })

  it('tells a client which items others hold, and says who in both languages', () => {
    const locks = new Map<string, ItemLock>([['bag-01', { holder: 'ada', name: 'Ada', hand: 'right' }]])
    expect(lockedByOther(locks, 'ada', 'bag-01')).toBeNull()
    expect(lockedByOther(locks, 'bo', 'bag-01')?.name).toBe('Ada')
    expect(lockedByOther(locks, 'bo', 'bag-02')).toBeNull()
    expect(heldByHint('Ada')).toEqual({ zh: '由 Ada 拿着', en: 'Held by Ada' })
  })

  it('validates item states: 13 finite numbers, bounded, a unit quaternion', () => {
    const ok = [0.2, 0.1, -6, 0, 0, 0, 1, 0.9, 0.3, -1.2, -3.6, 2.7, -0.9]
    expect(validateItemState(ok)).toBeNull()
    const bad = (i: number, v: number) => ok.map((x, k) => (k === i ? v : x))
    expect(validateItemState(bad(0, NaN))).toMatch(/finite/)
    expect(validateItemState(bad(8, Infinity))).toMatch(/finite/)
    expect(validateItemState(bad(2, -31))).toMatch(/position/)
    expect(validateItemState(bad(6, 0.5))).toMatch(/unit/)
    expect(validateItemState(bad(7, 10))).toMatch(/speed/)
    expect(validateItemState(bad(10, 61))).toMatch(/spin/)
    expect(validateItemState(ok.slice(0, 12))).toMatch(/13/)
    expect(validateItemState([...ok.slice(0, 12), '1'])).toMatch(/finite/)
    expect(validateItemState('ok')).toMatch(/13/)
    expect(parseItemState({ item: 'cartridge-new', state: ok })).toEqual({ item: 'cartridge-new', state: ok })
    expect(parseItemState({ item: 'cartridge-new', state: bad(0, NaN) })).toBeNull()
    expect(parseItemState({ item: 'x'.repeat(33), state: ok })).toBeNull()
    expect(parseItemState(null)).toBeNull()
  })

  it('parses a release with or without the state it was let go with', () => {
    const ok = [0, 0, -6, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    expect(parseRelease({ item: 'bag-01', hand: 'left' })).toEqual({ item: 'bag-01', hand: 'left', state: null })
    expect(parseRelease({ item: 'bag-01', hand: 'left', state: ok })).toEqual({ item: 'bag-01', hand: 'left', state: ok })
    expect(parseRelease({ item: 'bag-01', hand: 'left', state: [NaN] })).toBeNull()
    expect(parseRelease({ item: 'bag-01', hand: 'up', state: ok })).toBeNull()
  })

  it('clamps a wild release into bounds, so the holder never sends what the server drops', () => {
    const wild = [0.2, 0.1, -45, 0, 0, 0, 3, 30, 0, 40, NaN, 100, 0]
    expect(validateItemState(wild)).not.toBeNull()
    const s = clampItemState(wild)
    expect(validateItemState(s)).toBeNull()
    expect(s.slice(0, 7)).toEqual([0.2, 0.1, -30, 0, 0, 0, 1])
    expect(Math.hypot(s[7], s[8], s[9])).toBeCloseTo(9.99, 6)
    expect(s[7] / s[9]).toBeCloseTo(30 / 40, 9) // the direction kept
    expect(s[10]).toBe(0)
    const calm = [0.2, 0.1, -6, 0, 0, 0, 1, 0.9, 0.3, -1.2, -3.6, 2.7, -0.9]
    expect(clampItemState([...calm])).toEqual(calm)
  })

  it('keeps locks across a restart under the holders\' crew keys, and gives them back to whoever returns with one', () => {
    const locks = new Map<string, ItemLock>([
      ['cartridge-new', { holder: 'ada-session', name: 'Ada', hand: 'right' }],
      ['bag-01', { holder: 'bo-session', name: 'Bo', hand: 'left' }],
      ['bag-02', { holder: 'cy-session', name: 'Cy', hand: 'left' }], // no crew key: not kept
    ])
    const keys: Record<string, string> = { 'ada-session': 'ada-key-0001', 'bo-session': 'bo-key-00002' }
    const saved = saveLocks(locks, (holder) => keys[holder] ?? null)
    expect(Object.keys(saved).sort()).toEqual(['bag-01', 'cartridge-new'])
    const pending = loadSavedLocks({ ...saved, 'bag-03': '{"key":"x"}', 'bag-04': 'not json', 'BAD ID': saved['bag-01'] })
    expect([...pending]).toEqual([
      ['cartridge-new', { key: 'ada-key-0001', name: 'Ada', hand: 'right' }],
      ['bag-01', { key: 'bo-key-00002', name: 'Bo', hand: 'left' }],
    ])
    expect(claimSavedLocks(pending, 'ada-key-0001')).toEqual(['cartridge-new'])
    expect(claimSavedLocks(pending, 'ada-key-0001')).toEqual([])
    expect([...pending.keys()]).toEqual(['bag-01'])
    expect(parseCrewKey('ada-key-0001')).toBe('ada-key-0001')
    for (const bad of ['short', 'has space in it', 'x'.repeat(65), 42, null, undefined]) expect(parseCrewKey(bad)).toBeNull()
  })
})
