import { describe, expect, it } from 'vitest'
import { budgetForRefreshRate, createFrameBudget, QUEST_REFRESH_RATES, setFrameBudgetOverride, updateFrameBudget } from './budget'
import { PHASES, phaseIndex } from './phases'

describe('frame budget', () => {
  it('matches the Quest budget table', () => {
    expect(QUEST_REFRESH_RATES).toEqual([72, 80, 90, 120])
    expect(budgetForRefreshRate(72)).toBeCloseTo(13.89, 2)
    expect(budgetForRefreshRate(80)).toBe(12.5)
    expect(budgetForRefreshRate(90)).toBeCloseTo(11.11, 2)
    expect(budgetForRefreshRate(120)).toBeCloseTo(8.33, 2)
  })

  it('creates with defaults and updates in place', () => {
    const b = createFrameBudget()
    expect(b.refreshHz).toBe(72)
    expect(b.safetyMarginMs).toBe(1.5)
    expect(b.usableMs).toBeCloseTo(1000 / 72 - 1.5, 10)
    const same = b
    updateFrameBudget(b, 120)
    expect(same.refreshHz).toBe(120)
    expect(same.budgetMs).toBeCloseTo(8.333, 3)
    expect(same.usableMs).toBeCloseTo(8.333 - 1.5, 3)
  })

  it('never plans with less than 1 ms', () => {
    const b = createFrameBudget(90, 20)
    expect(b.usableMs).toBe(1)
  })

  it('rejects invalid rates and margins with a RangeError', () => {
    for (const bad of [0, -72, NaN, Infinity]) {
      expect(() => budgetForRefreshRate(bad)).toThrow(RangeError)
      expect(() => createFrameBudget(bad)).toThrow(/refresh rate/)
    }
    expect(() => createFrameBudget(72, -1)).toThrow(RangeError)
    const b = createFrameBudget(90)
    expect(() => updateFrameBudget(b, 0)).toThrow(RangeError)
    expect(b.refreshHz).toBe(90) // unchanged after a rejected update
  })

  it('indexes phases', () => {
    expect(PHASES).toEqual(['input', 'simulation', 'animation', 'jobs', 'render', 'post'])
    expect(phaseIndex('render')).toBe(4)
    expect(phaseIndex('nope')).toBe(-1)
  })

  it('an override moves what the governor holds, while time slicing keeps the display frame (or a tighter override)', () => {
    const b = createFrameBudget(72)
    setFrameBudgetOverride(b, 400)
    expect(b.budgetMs).toBe(400)
    expect(b.usableMs).toBeCloseTo(1000 / 72 - 1.5, 10)
    setFrameBudgetOverride(b, 8)
    expect(b.budgetMs).toBe(8)
    expect(b.usableMs).toBeCloseTo(8 - 1.5, 10)
    updateFrameBudget(b, 120)
    expect(b.budgetMs).toBe(8)
    expect(b.usableMs).toBeCloseTo(8 - 1.5, 10)
    setFrameBudgetOverride(b, null)
    expect(b.budgetMs).toBeCloseTo(1000 / 120, 10)
  })
})
