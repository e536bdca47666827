import { describe, expect, it } from 'vitest'
import { GROUP_PHOTO_COUNTDOWN_S } from './group-photo'
import { decodeGroupPhotoEvent, encodeGroupPhotoEvent } from './group-photo-events'

describe('group photo events in takes', () => {
  it('a countdown change survives the round trip through a recording (JSON)', () => {
    const states = [
      { seq: 7, by: 'abc123', byName: '小明 Ming', left: GROUP_PHOTO_COUNTDOWN_S },
      { seq: 7, by: 'abc123', byName: '小明 Ming', left: 0 },
      { seq: 7, by: '', byName: '小明 Ming', left: 0 },
    ]
    for (const s of states) expect(decodeGroupPhotoEvent(JSON.parse(JSON.stringify(encodeGroupPhotoEvent(s))))).toEqual(s)
  })

  it('refuses what this app never writes: wrong shape, out-of-range numbers, long text', () => {
    for (const bad of [null, {}, [1, 'a', 'b'], [1.5, 'a', 'b', 1], [-1, 'a', 'b', 1], [70000, 'a', 'b', 1], [1, 'a', 'b', GROUP_PHOTO_COUNTDOWN_S + 1], [1, 'a', 'b', -1], [1, 2, 'b', 1], [1, 'a'.repeat(65), 'b', 1], [1, 'a', 'b'.repeat(65), 1]]) {
      expect(decodeGroupPhotoEvent(bad)).toBeNull()
    }
  })
})
