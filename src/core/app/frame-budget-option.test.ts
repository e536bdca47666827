import { describe, expect, it } from 'vitest'
import { createFrameBudget, setFrameBudgetOverride, updateFrameBudget } from '../frame/budget'
import { parseAppOptions, parseFrameBudget } from './options'

describe('?frameBudgetMs', () => {
  it('is null by default and a number of ms when valid', () => {
    expect(parseAppOptions('', []).frameBudgetMs).toBeNull()
    expect(parseAppOptions('?frameBudgetMs=400', [])).toMatchObject({ frameBudgetMs: 400, frameBudgetError: null, warnings: [] })
    expect(parseFrameBudget('13.9')).toEqual({ frameBudgetMs: 13.9, frameBudgetError: null })
    expect(parseFrameBudget('1').frameBudgetMs).toBe(1)
    expect(parseFrameBudget('10000').frameBudgetMs).toBe(10_000)
  })

  it('refuses nonsense with a bilingual message naming the range, and keeps the refresh budget', () => {
    for (const bad of ['', 'abc', '-5', '0', '0.5', '10001', 'Infinity', 'NaN', '1e3', '12ms', ' ']) {
      const parsed = parseAppOptions(`?frameBudgetMs=${encodeURIComponent(bad)}`, [])
      expect(parsed.frameBudgetMs, bad).toBeNull()
      expect(parsed.frameBudgetError?.en, bad).toMatch(/frameBudgetMs=.* is not valid: give milliseconds from 1 to 10000/)
      expect(parsed.frameBudgetError?.zh, bad).toMatch(/无效：应为 1 到 10000 之间的毫秒数/)
      expect(parsed.warnings, bad).toEqual([`frameBudgetMs=${bad}`])
    }
    expect(parseFrameBudget('x'.repeat(200)).frameBudgetError?.en).toMatch(/x{40}…/)
  })

  it('holds the budget whatever the refresh rate, and clears back to it', () => {
    const budget = createFrameBudget(72)
    setFrameBudgetOverride(budget, 400)
    expect(budget.budgetMs).toBe(400)
    updateFrameBudget(budget, 90) // the session's rate changes: the override stays
    expect(budget.budgetMs).toBe(400)
    expect(budget.refreshHz).toBe(90)
    expect(budget.usableMs).toBeCloseTo(1000 / 90 - 1.5, 10) // time slicing keeps the display's frame
    setFrameBudgetOverride(budget, null)
    expect(budget.budgetMs).toBeCloseTo(1000 / 90, 10)
    expect(() => setFrameBudgetOverride(budget, 0)).toThrow(RangeError)
    expect(() => setFrameBudgetOverride(budget, Number.NaN)).toThrow(RangeError)
  })
})
