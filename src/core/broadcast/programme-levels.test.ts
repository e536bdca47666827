import { describe, expect, it } from 'vitest'
import { PROGRAMME_LEVELS, PROGRAMME_PRESETS, programmePresetSize } from './programme-levels'

describe('PROGRAMME_LEVELS', () => {
  it('go from the cheapest to the dearest: size and rate never fall, patience never grows', () => {
    for (let i = 1; i < PROGRAMME_LEVELS.length; i++) {
      const [lower, higher] = [PROGRAMME_LEVELS[i - 1], PROGRAMME_LEVELS[i]]
      expect(higher.width * higher.height).toBeGreaterThanOrEqual(lower.width * lower.height)
      expect(higher.fps).toBeGreaterThanOrEqual(lower.fps)
      expect(higher.patienceMs).toBeLessThanOrEqual(lower.patienceMs)
      expect(higher.minFrames).toBeLessThanOrEqual(lower.minFrames)
    }
  })

  it('skip headset frames only at the two lowest levels, so a programme at its own rate is unchanged above them', () => {
    expect(PROGRAMME_LEVELS.map((l) => l.minFrames)).toEqual([8, 4, 1, 1, 1, 1])
    for (const l of PROGRAMME_LEVELS) expect(Number.isInteger(l.minFrames) && l.minFrames >= 1).toBe(true)
  })

  it('wait at least one programme frame for leftover time, and longer only at the lowest level', () => {
    PROGRAMME_LEVELS.forEach((level, i) => {
      expect(level.patienceMs).toBeGreaterThanOrEqual(1000 / level.fps - 1e-9)
      if (i > 0) expect(level.patienceMs).toBeCloseTo(1000 / level.fps, 9)
    })
    expect(PROGRAMME_LEVELS[0].patienceMs).toBeGreaterThan(1000 / PROGRAMME_LEVELS[0].fps)
  })

  it('every preset names a level that waits one frame (the governor goes lower, never higher)', () => {
    for (const index of Object.values(PROGRAMME_PRESETS)) {
      const level = PROGRAMME_LEVELS[index]
      expect(level).toBeDefined()
      expect(level.patienceMs).toBeCloseTo(1000 / level.fps, 9)
      expect(level.minFrames).toBe(1)
    }
    expect(PROGRAMME_LEVELS[PROGRAMME_PRESETS['720p']]).toMatchObject({ width: 1280, height: 720, fps: 30 })
  })
})

describe('programmePresetSize', () => {
  it("is the size of the preset's top level", () => {
    expect(programmePresetSize('720p')).toEqual({ width: 1280, height: 720 })
    expect(programmePresetSize('540p')).toEqual({ width: 960, height: 540 })
    expect(programmePresetSize('360p')).toEqual({ width: 640, height: 360 })
  })
})
