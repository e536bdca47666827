import { FRAME_BUDGET_OVERRIDE_RANGE } from '../frame/budget'

import type { Language } from '../i18n/strings'

// Defined with the strings (core/i18n), which sit below the app options.
export type { Language }

/**
 * Emulated devices offered by `?emulate=`; `phone` is a handheld AR phone (screen taps, no VR);
 * `off` never installs the built-in emulator.
 */
export type EmulateOption = 'quest3' | 'quest2' | 'questpro' | 'phone' | 'off'

/** Who governs quality. */
export type GovernorMode = 'on' | 'off' | 'baseline' | 'lowest'

/** Load ladders of the benchmark. */
export type BenchLoad = 'steady' | 'step' | 'spikes'

/** How `?replay=` plays: interpolated at wall-clock speed, or one recorded frame per app frame. */
export type ReplayModeOption = 'realtime' | 'deterministic'

/** Options a visitor or a test can set in the query string. */
export interface AppOptions {
  lang: Language
  emulate: EmulateOption
  /** Show the frame-budget HUD from the start. */
  hud: boolean
  /**
   * Who governs quality: `on` (Lingjing's governor), `off` (same loop and measurements, quality never
   * changes), `baseline` (a drei PerformanceMonitor + regress style controller, for comparison) or
   * `lowest` (no governor; every lever held at its lowest level, as on the weakest device: checks that
   * read state rather than pixels, and a floor to compare against).
   */
  governor: GovernorMode
  /** Benchmark workload from `?bench=steady|step|spikes`, or null. */
  bench: BenchLoad | null
  /** Units of synthetic work per millisecond (calibrated by the benchmark at 1× CPU). */
  workPerMs: number
  /**
   * `?benchRecord=1`: the benchmark's per-frame recorder without a synthetic load, and without
   * cutting the page off the shared venue (a `?bench=` page never connects). For the remote-visitor
   * section of `npm run bench`, whose bots are real network visitors.
   */
  benchRecord: boolean
  /** `?precompile=off` shows scenes without compiling shaders first (to measure the hitch it saves). */
  precompile: boolean
  /** Name of a recording under xr-sessions/ to replay, or null. */
  replay: string | null
  /**
   * `?replayMode=deterministic` drives the app's simulation clock and RNG from the recording (one
   * recorded frame per app frame, for tests and benchmarks); `realtime` (default) is for previews.
   */
  replayMode: ReplayModeOption
  /**
   * `?drawEvery=N` (1–30, default 1): during a deterministic replay, draw one recorded frame in N;
   * the simulation still steps every recorded frame. A fast-forward for checks that read state, since
   * drawing sets the pace of a replay on a software rasteriser. Ignored outside deterministic replays,
   * so a headset always draws every frame.
   */
  drawEvery: number
  /**
   * `?frameBudgetMs=N`: the budget the governor holds and missed display frames are judged
   * against, instead of the refresh period (null: follow the refresh rate). Lets a slow emulator be
   * given a budget its GPU side can meet only at reduced quality.
   */
  frameBudgetMs: number | null
  /** Why `?workPerMs` was refused (bilingual, with the accepted range), or null. */
  workPerMsError: { zh: string; en: string } | null
  /** Why `?frameBudgetMs` was refused (bilingual, with the accepted range), or null. */
  frameBudgetError: { zh: string; en: string } | null
  /** Warnings about query values that were not understood, shown to the user. */
  warnings: string[]
}

const EMULATE_VALUES: readonly EmulateOption[] = ['quest3', 'quest2', 'questpro', 'phone', 'off']

/** Largest `?drawEvery`: a replay still shows a picture a few times a second on a slow machine. */
export const MAX_DRAW_EVERY = 30

/** Picks zh or en from the browser's preferred languages (zh-* → zh, otherwise en). */
export function languageFromPreferences(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const lower = tag.toLowerCase()
    if (lower.startsWith('zh')) return 'zh'
    if (lower.startsWith('en')) return 'en'
  }
  return 'en'
}

/**
 * Parses the query string. Unknown values fall back to the default and leave a warning, so a typo
 * in a link is visible rather than silently ignored.
 */
export function parseAppOptions(search: string, preferredLanguages: readonly string[]): AppOptions {
  const params = new URLSearchParams(search)
  const warnings: string[] = []
  let lang = languageFromPreferences(preferredLanguages)
  const langParam = params.get('lang')
  if (langParam === 'zh' || langParam === 'en') lang = langParam
  else if (langParam !== null) warnings.push(`lang=${langParam}`)

  let emulate: EmulateOption = 'quest3'
  const emulateParam = params.get('emulate')
  if (emulateParam !== null) {
    if ((EMULATE_VALUES as readonly string[]).includes(emulateParam)) emulate = emulateParam as EmulateOption
    else warnings.push(`emulate=${emulateParam}`)
  }

  const flag = (name: string, fallback: boolean) => {
    const value = params.get(name)
    if (value === null) return fallback
    if (value === '1' || value === 'on' || value === 'true') return true
    if (value === '0' || value === 'off' || value === 'false') return false
    warnings.push(`${name}=${value}`)
    return fallback
  }

  const replayParam = params.get('replay')
  let replay: string | null = null
  if (replayParam !== null) {
    // Names are paths inside xr-sessions/: letters, digits, '-', '_', '/', no '..'.
    if (/^[\w-]+(\/[\w-]+)*(\.json)?$/.test(replayParam)) replay = replayParam.replace(/\.json$/, '')
    else warnings.push(`replay=${replayParam}`)
  }

  let replayMode: ReplayModeOption = 'realtime'
  const replayModeParam = params.get('replayMode')
  if (replayModeParam === 'deterministic' || replayModeParam === 'realtime') replayMode = replayModeParam
  else if (replayModeParam !== null) warnings.push(`replayMode=${replayModeParam}`)

  let drawEvery = 1
  const drawEveryParam = params.get('drawEvery')
  if (drawEveryParam !== null) {
    const n = /^\d{1,2}$/.test(drawEveryParam) ? Number(drawEveryParam) : NaN
    if (n >= 1 && n <= MAX_DRAW_EVERY) drawEvery = n
    else warnings.push(`drawEvery=${drawEveryParam}`)
  }

  let governor: GovernorMode = 'on'
  const governorParam = params.get('governor')
  if (governorParam === 'off' || governorParam === '0' || governorParam === 'false') governor = 'off'
  else if (governorParam === 'baseline') governor = 'baseline'
  else if (governorParam === 'lowest') governor = 'lowest'
  else if (governorParam !== null && governorParam !== 'on' && governorParam !== '1') warnings.push(`governor=${governorParam}`)

  const benchParam = params.get('bench')
  let bench: BenchLoad | null = null
  if (benchParam === 'steady' || benchParam === 'step' || benchParam === 'spikes') bench = benchParam
  else if (benchParam !== null) warnings.push(`bench=${benchParam}`)
  const { workPerMs, workPerMsError } = parseWorkPerMs(params.get('workPerMs'))
  if (workPerMsError) warnings.push(`workPerMs=${params.get('workPerMs')}`)

  const { frameBudgetMs, frameBudgetError } = parseFrameBudget(params.get('frameBudgetMs'))
  if (frameBudgetError) warnings.push(`frameBudgetMs=${params.get('frameBudgetMs')}`)

  return {
    lang,
    emulate,
    hud: flag('hud', false),
    governor,
    bench,
    workPerMs,
    workPerMsError,
    benchRecord: flag('benchRecord', false),
    precompile: flag('precompile', true),
    replay,
    replayMode,
    drawEvery,
    frameBudgetMs,
    frameBudgetError,
    warnings,
  }
}

/** Parses `?frameBudgetMs` (null when absent); nonsense gives a bilingual error and no override. */
export function parseFrameBudget(value: string | null): { frameBudgetMs: number | null; frameBudgetError: { zh: string; en: string } | null } {
  if (value === null) return { frameBudgetMs: null, frameBudgetError: null }
  const trimmed = value.trim()
  const ms = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : NaN
  const { minMs: min, maxMs: max } = FRAME_BUDGET_OVERRIDE_RANGE
  if (Number.isFinite(ms) && ms >= min && ms <= max) return { frameBudgetMs: ms, frameBudgetError: null }
  const shown = trimmed.length > 40 ? trimmed.slice(0, 40) + '…' : trimmed
  return {
    frameBudgetMs: null,
    frameBudgetError: {
      zh: `frameBudgetMs=${shown} 无效：应为 ${min} 到 ${max} 之间的毫秒数（例如 frameBudgetMs=13.9）。已改用显示刷新率对应的预算。`,
      en: `frameBudgetMs=${shown} is not valid: give milliseconds from ${min} to ${max} (e.g. frameBudgetMs=13.9). Using the display refresh rate's budget instead.`,
    },
  }
}

/**
 * Most `?workPerMs` accepted: 30× the 33,000 units/ms the benchmark's burn loop runs at, warmed up,
 * on the project's 2-core EPYC (the same loop under plain node). The heaviest ladder frame burns
 * 17 ms worth, so the cap bounds one frame's synthetic work on a machine like that to about half a
 * second: slow, never frozen. `1e15` would be years per frame.
 */
export const MAX_WORK_PER_MS = 1_000_000

/** Parses `?workPerMs` (0 when absent); a value outside 0..MAX_WORK_PER_MS gives a bilingual error and no load. */
export function parseWorkPerMs(value: string | null): { workPerMs: number; workPerMsError: { zh: string; en: string } | null } {
  if (value === null) return { workPerMs: 0, workPerMsError: null }
  const trimmed = value.trim()
  const units = /^\d+(\.\d+)?(e\+?\d+)?$/i.test(trimmed) ? Number(trimmed) : NaN
  if (Number.isFinite(units) && units >= 0 && units <= MAX_WORK_PER_MS) return { workPerMs: units, workPerMsError: null }
  const shown = trimmed.length > 40 ? trimmed.slice(0, 40) + '…' : trimmed
  return {
    workPerMs: 0,
    workPerMsError: {
      zh: `workPerMs=${shown} 无效：应为 0 到 ${MAX_WORK_PER_MS} 之间的数（每毫秒的计算单位）。基准负载已关闭。`,
      en: `workPerMs=${shown} is not valid: give work units per millisecond from 0 to ${MAX_WORK_PER_MS}. The benchmark load is off.`,
    },
  }
}
