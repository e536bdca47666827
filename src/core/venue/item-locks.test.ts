import { describe, expect, it } from 'vitest'
import { decideGrab, decideRelease, heldByHint, lockedByOther, locksHeldBy, parseLockRequest, type ItemLock } from './item-locks.ts'

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
})
