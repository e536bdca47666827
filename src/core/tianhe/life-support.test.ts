import { describe, expect, it } from 'vitest'
import {
  CO2_CAUTION_KPA,
  FILTER_DP_OK_RANGE,
  acknowledgeAlarms,
  createLifeSupport,
  filterDpSettled,
  hasUnacknowledgedAlarm,
  raiseAlarm,
  readLifeSupport,
  setFilterCartridge,
  updateLifeSupport,
  type LifeSupportQuantity,
} from './life-support'

const Q: LifeSupportQuantity[] = ['pressure', 'o2', 'co2', 'temperature', 'humidity', 'filter-dp']

function trace(seed: number, steps: number, dt = 1): number[][] {
  const ls = createLifeSupport({ seed })
  const out: number[][] = []
  for (let i = 0; i < steps; i++) {
    updateLifeSupport(ls, dt)
    out.push(Q.map((q) => readLifeSupport(ls, q)))
  }
  return out
}

describe('life-support model', () => {
  it('gives identical readings for the same seed and different ones for another', () => {
    expect(trace(7, 500)).toEqual(trace(7, 500))
    expect(trace(7, 500)).not.toEqual(trace(8, 500))
  })

  it('stays in plausible ranges over a simulated day', () => {
    const ls = createLifeSupport({ seed: 3, cartridge: 'new' })
    const lo = { p: Infinity, o2: Infinity, t: Infinity }
    const hi = { p: -Infinity, o2: -Infinity, t: -Infinity, co2: -Infinity }
    for (let i = 0; i < 86400 / 5; i++) {
      updateLifeSupport(ls, 5)
      lo.p = Math.min(lo.p, ls.pressureKPa)
      hi.p = Math.max(hi.p, ls.pressureKPa)
      lo.o2 = Math.min(lo.o2, ls.ppO2KPa)
      hi.o2 = Math.max(hi.o2, ls.ppO2KPa)
      lo.t = Math.min(lo.t, ls.temperatureC)
      hi.t = Math.max(hi.t, ls.temperatureC)
      hi.co2 = Math.max(hi.co2, ls.ppCO2KPa)
    }
    expect(lo.p).toBeGreaterThan(100)
    expect(hi.p).toBeLessThan(102.6)
    expect(lo.o2).toBeGreaterThan(20)
    expect(hi.o2).toBeLessThan(22.4)
    expect(hi.co2).toBeLessThan(CO2_CAUTION_KPA)
    expect(lo.t).toBeGreaterThan(20.5)
    expect(hi.t).toBeLessThan(24.5)
    // It does drift (not a constant).
    expect(hi.p - lo.p).toBeGreaterThan(0.2)
    expect(hasUnacknowledgedAlarm(ls)).toBe(false)
  })

  it('rounds readings to console precision', () => {
    const ls = createLifeSupport({ seed: 1 })
    expect(readLifeSupport(ls, 'pressure') * 10).toBeCloseTo(Math.round(readLifeSupport(ls, 'pressure') * 10), 9)
    expect(Math.abs(readLifeSupport(ls, 'co2') - ls.ppCO2KPa)).toBeLessThanOrEqual(0.005)
  })

  it('shows the cartridge state in the filter pressure drop', () => {
    const ls = createLifeSupport({ seed: 2 })
    expect(ls.filterDpKPa).toBeGreaterThan(1) // old, clogged cartridge
    ls.panelOpen = true
    setFilterCartridge(ls, 'none', false)
    for (let i = 0; i < 20; i++) updateLifeSupport(ls, 0.5)
    expect(readLifeSupport(ls, 'filter-dp')).toBeLessThan(0.05) // fan stopped
    setFilterCartridge(ls, 'new', true)
    ls.panelOpen = false
    updateLifeSupport(ls, 0.5)
    expect(filterDpSettled(ls)).toBe(false) // the fan is spinning up
    for (let i = 0; i < 40; i++) updateLifeSupport(ls, 0.5)
    expect(filterDpSettled(ls)).toBe(true)
    expect(ls.filterDpKPa).toBeGreaterThanOrEqual(FILTER_DP_OK_RANGE[0])
    expect(ls.filterDpKPa).toBeLessThanOrEqual(FILTER_DP_OK_RANGE[1])
  })

  it('raises a CO2 caution without a working scrubber and acknowledges alarms', () => {
    const ls = createLifeSupport({ seed: 4 })
    setFilterCartridge(ls, 'none', false)
    for (let i = 0; i < 7200 && !hasUnacknowledgedAlarm(ls); i++) updateLifeSupport(ls, 1)
    expect(ls.alarms.find((a) => a.code === 'co2-high')?.active).toBe(true)
    expect(acknowledgeAlarms(ls)).toBe(1)
    expect(hasUnacknowledgedAlarm(ls)).toBe(false)
    expect(ls.alarms.find((a) => a.code === 'co2-high')?.active).toBe(true) // silenced, not gone
    raiseAlarm(ls, 'cw-test')
    expect(hasUnacknowledgedAlarm(ls)).toBe(true)
    acknowledgeAlarms(ls)
    expect(ls.alarms.find((a) => a.code === 'cw-test')?.active).toBe(false)
  })
})
