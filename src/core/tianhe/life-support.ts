import type { Bilingual } from '../i18n/strings'
import { createRng, type SeededRng } from '../time/rng.ts'

/**
 * A small deterministic life-support (环控生保) model for console readings.
 *
 * Cabin values drift around their set points as Ornstein–Uhlenbeck processes driven by the seeded
 * RNG, discretised exactly so the statistics do not depend on the step size; the same seed and the
 * same sequence of steps always give the same readings. CO2 settles higher when the scrubber
 * filter is clogged or missing, and the filter's pressure drop shows the cartridge state — enough
 * for the station-check and filter-replacement procedures to have something true to read.
 * Not a physical ECLSS model: set points and spreads are plausible round numbers.
 */

/** Quantities shown on the console. */
export type LifeSupportQuantity = 'pressure' | 'o2' | 'co2' | 'temperature' | 'humidity' | 'filter-dp'

/** Alarm codes the model knows. */
export type AlarmCode = 'co2-high' | 'ppo2-low' | 'pressure-low' | 'temperature-range' | 'cw-test'

/** One caution/warning alarm. */
export interface Alarm {
  /** Stable code. */
  readonly code: AlarmCode
  /** Text for the console. */
  readonly label: Bilingual
  /** Condition present (latched for 'cw-test' until acknowledged). */
  active: boolean
  /** Crew acknowledged it. */
  acknowledged: boolean
  /** Model time (s) it last became active. */
  raisedAtS: number
}

/** Filter cartridge in the scrubber slot. */
export type CartridgeState = 'old' | 'new' | 'none'

/** Life-support model state (mutated in place). */
export interface LifeSupport {
  /** Total cabin pressure (kPa). */
  pressureKPa: number
  /** Oxygen partial pressure (kPa). */
  ppO2KPa: number
  /** CO2 partial pressure (kPa). */
  ppCO2KPa: number
  /** Cabin air temperature (°C). */
  temperatureC: number
  /** Relative humidity (%). */
  humidityPct: number
  /** Pressure drop across the scrubber filter (kPa). */
  filterDpKPa: number
  /** Clogging of the installed cartridge, 0 (new) … 1. */
  filterLoad: number
  /** Which cartridge is in the slot. */
  cartridge: CartridgeState
  /** Cartridge latched (sealed); an unlatched cartridge lets air bypass. */
  cartridgeLocked: boolean
  /** Filter access panel open: the fan interlock stops the flow. */
  panelOpen: boolean
  /** Alarm table, fixed order (allocated once). */
  readonly alarms: readonly Alarm[]
  /** Model time (s). */
  timeS: number
  /** The seeded RNG driving the drift (state is part of a save). */
  readonly rng: SeededRng
}

/** Options for {@link createLifeSupport}. */
export interface LifeSupportOptions {
  /** RNG seed; same seed → same readings. */
  seed: number
  /** Initial cartridge (default 'old': due for replacement). */
  cartridge?: CartridgeState
  /** Initial clogging of the cartridge (default 0.85). */
  filterLoad?: number
}

// Set points and stationary spreads (1 σ) of the drift; relaxation times in seconds.
const PRESSURE = { mean: 101.3, sd: 0.15, tau: 600 }
const PPO2 = { mean: 21.2, sd: 0.2, tau: 900 }
const CO2 = { sd: 0.015, tau: 900 }
const TEMPERATURE = { mean: 22.5, sd: 0.3, tau: 600 }
const HUMIDITY = { mean: 50, sd: 3, tau: 900 }
/** Pressure-drop model: clean cartridge, extra at full load, and bypass leakage (kPa). */
const DP_CLEAN = 0.45
const DP_PER_LOAD = 1.2
const DP_BYPASS = 0.05
/** Filter pressure-drop window that means "new cartridge seated correctly" (kPa). */
export const FILTER_DP_OK_RANGE: readonly [number, number] = [0.3, 0.8]
/** CO2 caution threshold and its clearing level (kPa; about 4 and 3.5 mmHg). */
export const CO2_CAUTION_KPA = 0.53
const CO2_CLEAR_KPA = 0.47
/** A cartridge clogs fully in about 30 days of use. */
const LOAD_PER_SECOND = 1 / (30 * 86400)

const ALARM_LABELS: Record<AlarmCode, Bilingual> = {
  'co2-high': { zh: '二氧化碳分压偏高', en: 'CO2 partial pressure high' },
  'ppo2-low': { zh: '氧分压偏低', en: 'O2 partial pressure low' },
  'pressure-low': { zh: '舱压偏低', en: 'Cabin pressure low' },
  'temperature-range': { zh: '舱温超出范围', en: 'Cabin temperature out of range' },
  'cw-test': { zh: '告警系统自检', en: 'Caution & warning self-test' },
}

// Standard normal sample from two uniforms (Box–Muller); deterministic with the seeded RNG.
function gaussian(rng: SeededRng): number {
  const u1 = 1 - rng.next()
  const u2 = rng.next()
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
}

// Exact OU step: relaxes toward the mean and adds noise so the spread stays `sd` for any dt.
function ouStep(x: number, mean: number, sd: number, tau: number, dt: number, rng: SeededRng): number {
  const a = Math.exp(-dt / tau)
  return mean + (x - mean) * a + sd * Math.sqrt(1 - a * a) * gaussian(rng)
}

/** CO2 level the scrubber holds with the current cartridge (kPa). */
function co2Equilibrium(ls: LifeSupport): number {
  const efficiency = ls.panelOpen || ls.cartridge === 'none' || !ls.cartridgeLocked ? 0 : 1 - 0.6 * ls.filterLoad
  return 0.3 + 0.35 * (1 - efficiency)
}

function targetDp(ls: LifeSupport): number {
  if (ls.panelOpen) return 0
  if (ls.cartridge === 'none' || !ls.cartridgeLocked) return DP_BYPASS
  return DP_CLEAN + DP_PER_LOAD * ls.filterLoad
}

/** True once the filter gauge has settled on the value the current cartridge state gives. */
export function filterDpSettled(ls: LifeSupport, within = 0.02): boolean {
  return Math.abs(ls.filterDpKPa - targetDp(ls)) <= within
}

/** Creates the model; initial values are drawn around the set points from `seed`. */
export function createLifeSupport(options: LifeSupportOptions): LifeSupport {
  const rng = createRng(options.seed)
  const cartridge = options.cartridge ?? 'old'
  const alarms: Alarm[] = (Object.keys(ALARM_LABELS) as AlarmCode[]).map((code) => ({ code, label: ALARM_LABELS[code], active: false, acknowledged: false, raisedAtS: 0 }))
  const ls: LifeSupport = {
    pressureKPa: PRESSURE.mean + PRESSURE.sd * gaussian(rng),
    ppO2KPa: PPO2.mean + PPO2.sd * gaussian(rng),
    ppCO2KPa: 0,
    temperatureC: TEMPERATURE.mean + TEMPERATURE.sd * gaussian(rng),
    humidityPct: HUMIDITY.mean + HUMIDITY.sd * gaussian(rng),
    filterDpKPa: 0,
    filterLoad: cartridge === 'none' ? 0 : (options.filterLoad ?? (cartridge === 'new' ? 0 : 0.85)),
    cartridge,
    cartridgeLocked: cartridge !== 'none',
    panelOpen: false,
    alarms,
    timeS: 0,
    rng,
  }
  ls.ppCO2KPa = co2Equilibrium(ls) + CO2.sd * gaussian(rng)
  ls.filterDpKPa = targetDp(ls)
  evaluateAlarms(ls)
  return ls
}

/** Advances the model by `dtSeconds` (allocation-free). */
export function updateLifeSupport(ls: LifeSupport, dtSeconds: number): void {
  if (!(dtSeconds > 0)) return
  const { rng } = ls
  ls.timeS += dtSeconds
  ls.pressureKPa = ouStep(ls.pressureKPa, PRESSURE.mean, PRESSURE.sd, PRESSURE.tau, dtSeconds, rng)
  ls.ppO2KPa = ouStep(ls.ppO2KPa, PPO2.mean, PPO2.sd, PPO2.tau, dtSeconds, rng)
  ls.ppCO2KPa = ouStep(ls.ppCO2KPa, co2Equilibrium(ls), CO2.sd, CO2.tau, dtSeconds, rng)
  ls.temperatureC = ouStep(ls.temperatureC, TEMPERATURE.mean, TEMPERATURE.sd, TEMPERATURE.tau, dtSeconds, rng)
  ls.humidityPct = ouStep(ls.humidityPct, HUMIDITY.mean, HUMIDITY.sd, HUMIDITY.tau, dtSeconds, rng)
  if (ls.cartridge !== 'none' && ls.cartridgeLocked && !ls.panelOpen) ls.filterLoad = Math.min(1, ls.filterLoad + LOAD_PER_SECOND * dtSeconds)
  // The gauge follows flow changes with a ~2 s lag (fan spin-up), plus a little sensor noise.
  const a = Math.exp(-dtSeconds / 2)
  ls.filterDpKPa = Math.max(0, targetDp(ls) + (ls.filterDpKPa - targetDp(ls)) * a + 0.003 * gaussian(rng) * Math.sqrt(1 - a * a))
  evaluateAlarms(ls)
}

function setAlarm(ls: LifeSupport, index: number, condition: boolean): void {
  const alarm = ls.alarms[index]
  if (condition && !alarm.active) {
    alarm.active = true
    alarm.acknowledged = false
    alarm.raisedAtS = ls.timeS
  } else if (!condition && alarm.active && alarm.code !== 'cw-test') {
    alarm.active = false
  }
}

// Indices follow the ALARM_LABELS key order; hysteresis on CO2 stops alarm chatter.
function evaluateAlarms(ls: LifeSupport): void {
  const co2 = ls.alarms[0]
  setAlarm(ls, 0, co2.active ? ls.ppCO2KPa > CO2_CLEAR_KPA : ls.ppCO2KPa > CO2_CAUTION_KPA)
  setAlarm(ls, 1, ls.ppO2KPa < 19.5)
  setAlarm(ls, 2, ls.pressureKPa < 97)
  setAlarm(ls, 3, ls.temperatureC < 18 || ls.temperatureC > 28)
}

/** Raises an alarm by code (e.g. the morning 'cw-test' self-test). */
export function raiseAlarm(ls: LifeSupport, code: AlarmCode): void {
  const alarm = ls.alarms.find((a) => a.code === code)
  if (!alarm) return
  alarm.active = true
  alarm.acknowledged = false
  alarm.raisedAtS = ls.timeS
}

/**
 * Acknowledges all active alarms; returns how many were newly acknowledged. A self-test alarm
 * clears once acknowledged; real conditions stay active (but silenced) until they go away.
 */
export function acknowledgeAlarms(ls: LifeSupport): number {
  let n = 0
  for (const alarm of ls.alarms) {
    if (alarm.active && !alarm.acknowledged) {
      alarm.acknowledged = true
      n++
      if (alarm.code === 'cw-test') alarm.active = false
    }
  }
  return n
}

/** True if any active alarm awaits acknowledgement. */
export function hasUnacknowledgedAlarm(ls: LifeSupport): boolean {
  for (const alarm of ls.alarms) if (alarm.active && !alarm.acknowledged) return true
  return false
}

// Display precision per quantity: what the console shows and what a crew member reads back.
const DECIMALS: Record<LifeSupportQuantity, number> = { pressure: 1, o2: 1, co2: 2, temperature: 1, humidity: 0, 'filter-dp': 2 }
/** Units shown beside each reading. */
export const LIFE_SUPPORT_UNITS: Readonly<Record<LifeSupportQuantity, string>> = { pressure: 'kPa', o2: 'kPa', co2: 'kPa', temperature: '°C', humidity: '%', 'filter-dp': 'kPa' }

/** The console reading of a quantity, rounded to display precision. */
export function readLifeSupport(ls: LifeSupport, quantity: LifeSupportQuantity): number {
  let v: number
  switch (quantity) {
    case 'pressure':
      v = ls.pressureKPa
      break
    case 'o2':
      v = ls.ppO2KPa
      break
    case 'co2':
      v = ls.ppCO2KPa
      break
    case 'temperature':
      v = ls.temperatureC
      break
    case 'humidity':
      v = ls.humidityPct
      break
    case 'filter-dp':
      v = ls.filterDpKPa
      break
  }
  const f = 10 ** DECIMALS[quantity]
  return Math.round(v * f) / f
}

/** Installs or removes a cartridge (`locked` = latched). */
export function setFilterCartridge(ls: LifeSupport, cartridge: CartridgeState, locked: boolean): void {
  if (cartridge !== ls.cartridge) ls.filterLoad = cartridge === 'old' ? 0.85 : 0
  ls.cartridge = cartridge
  ls.cartridgeLocked = cartridge !== 'none' && locked
}

/** A JSON-serialisable summary for diagnostics snapshots. */
export function lifeSupportSnapshot(ls: LifeSupport): {
  pressureKPa: number
  ppO2KPa: number
  ppCO2KPa: number
  temperatureC: number
  filterDpKPa: number
  cartridge: CartridgeState
  alarms: { code: AlarmCode; acknowledged: boolean }[]
} {
  return {
    pressureKPa: readLifeSupport(ls, 'pressure'),
    ppO2KPa: readLifeSupport(ls, 'o2'),
    ppCO2KPa: readLifeSupport(ls, 'co2'),
    temperatureC: readLifeSupport(ls, 'temperature'),
    filterDpKPa: readLifeSupport(ls, 'filter-dp'),
    cartridge: ls.cartridge,
    alarms: ls.alarms.filter((a) => a.active).map((a) => ({ code: a.code, acknowledged: a.acknowledged })),
  }
}
