import { useEffect, useMemo } from 'react'
import { PHASES } from '../core/frame/phases'
import { useLingjing } from '../lingjing-context'
import { useFrameSystem } from '../scene/frame/use-frame-system'
import { createBaselineMonitor } from './baseline-monitor'
import { burn, loadMsAt, SCALABLE_MS_AT_FULL_QUALITY } from './load-ladder'
import { measureSchedulerOverhead, type SchedulerOverhead } from './scheduler-overhead'

/** Most frames one benchmark run records. */
const MAX_FRAMES = 4096
/** Most levers whose level is recorded per frame. */
const MAX_LEVERS = 16

/** What one recorded run gives the benchmark runner. */
export interface BenchRun {
  costs: number[]
  quality: number[]
  budgetMs: number
  governorFlips: number
  baselineFlips: number
  wallMs: number
  /**
   * Per recorded frame: the index of the last frame an xr-sessions replay had handed out when the
   * frame was recorded (-1: no replay). The frame's cost belongs to the app frame before, so that
   * frame replayed a recorded frame exactly when the index differs from the previous entry's.
   */
  replayFrames: number[]
  /** Phase names, in the order of each entry of `phaseCosts`. */
  phases: string[]
  /** Per recorded frame, each phase's cost, ms (`phases.length` values per frame). */
  phaseCosts: number[]
  /** Ids of the levers registered when the run started, in the order of `leverLevels`. */
  levers: string[]
  /** Per recorded frame, each lever's level (`levers.length` values per frame; -1 once it is gone). */
  leverLevels: number[]
}

/** The page side of `npm run bench`, on `window.lingjing.bench`. */
export interface BenchApi {
  /** Units of `burn` work per ms on this machine now. */
  calibrate(): number
  /** Starts recording (resets metrics, frame index and the record). */
  start(): void
  /** Frames recorded so far. */
  recorded(): number
  /** Stops and returns the record. */
  stop(): BenchRun
  /** The loop's own cost per frame against no scheduler. */
  schedulerOverhead(): SchedulerOverhead
}

declare global {
  interface Window {
    lingjingBench?: BenchApi
  }
}

/**
 * Puts the benchmark's load ladder into the frame loop (as an animation-phase system, so it is
 * inside the measured frame) and, for arm B, drives the levers with the baseline controller.
 */
export function BenchHarness() {
  const { frame, options, xrSessions } = useLingjing()
  const record = useMemo(
    // Records from the first frame, so a fresh page's first visible frames are in the record.
    () => ({
      costs: new Float64Array(MAX_FRAMES),
      quality: new Float32Array(MAX_FRAMES),
      replayFrames: new Int32Array(MAX_FRAMES),
      phaseCosts: new Float32Array(MAX_FRAMES * PHASES.length),
      leverLevels: new Int8Array(MAX_FRAMES * MAX_LEVERS),
      levers: [] as string[],
      newest: new Float64Array(1),
      n: 0,
      on: true,
      frameIndex: 0,
      startedAt: performance.now(),
    }),
    [],
  )
  const baseline = useMemo(() => (options.governor === 'baseline' ? createBaselineMonitor() : null), [options.governor])

  useFrameSystem(
    'bench-record',
    'input',
    () => {
      if (frame.metrics.count === 0) return
      const cost = frame.metrics.lastFrameCostMs
      if (baseline) {
        const q = baseline.update(cost, frame.budget.budgetMs)
        const levers = frame.levers
        for (let i = 0; i < levers.length; i++) frame.setLeverLevel(levers[i], Math.round(levers[i].scaler.maxLevel * q))
      }
      if (record.on && record.n < MAX_FRAMES) {
        record.costs[record.n] = cost
        record.quality[record.n] = frame.quality()
        // Runs before the replay's input system: this is the frame the last app frame handed out.
        record.replayFrames[record.n] = xrSessions.replay ? xrSessions.replay.frame : -1
        for (let p = 0; p < PHASES.length; p++) {
          record.phaseCosts[record.n * PHASES.length + p] = frame.metrics.copyPhaseCosts(p, record.newest) > 0 ? record.newest[0] : 0
        }
        const levers = frame.levers
        for (let l = 0; l < record.levers.length; l++) {
          let level = -1
          for (let k = 0; k < levers.length; k++) if (levers[k].scaler.id === record.levers[l]) level = levers[k].level
          record.leverLevels[record.n * MAX_LEVERS + l] = level
        }
        record.n++
      }
    },
    -1000,
  )

  useFrameSystem(
    'bench-load',
    'animation',
    () => {
      if (options.bench && options.workPerMs > 0) {
        const ms = loadMsAt(options.bench, record.frameIndex) + SCALABLE_MS_AT_FULL_QUALITY * frame.quality()
        burn(Math.round(options.workPerMs * ms))
      }
      record.frameIndex++
    },
    -100,
  )

  useEffect(() => {
    window.lingjingBench = {
      calibrate() {
        const samples: number[] = []
        const units = 200_000
        for (let i = 0; i < 7; i++) {
          const t0 = performance.now()
          burn(units)
          samples.push(units / Math.max(0.01, performance.now() - t0))
        }
        samples.sort((a, b) => a - b)
        return samples[3]
      },
      start() {
        frame.metrics.reset()
        record.n = 0
        record.frameIndex = 0
        record.on = true
        record.startedAt = performance.now()
        record.levers = frame.levers.slice(0, MAX_LEVERS).map((l) => l.scaler.id)
      },
      recorded: () => record.n,
      schedulerOverhead: () => measureSchedulerOverhead(),
      stop() {
        record.on = false
        return {
          costs: Array.from(record.costs.subarray(0, record.n)),
          quality: Array.from(record.quality.subarray(0, record.n)),
          budgetMs: frame.budget.budgetMs,
          governorFlips: frame.governor.flips,
          baselineFlips: baseline?.flipped ?? 0,
          wallMs: performance.now() - record.startedAt,
          replayFrames: Array.from(record.replayFrames.subarray(0, record.n)),
          phases: [...PHASES],
          phaseCosts: Array.from(record.phaseCosts.subarray(0, record.n * PHASES.length)),
          levers: [...record.levers],
          leverLevels: Array.from({ length: record.n * record.levers.length }, (_, i) => record.leverLevels[Math.floor(i / record.levers.length) * MAX_LEVERS + (i % record.levers.length)]),
        }
      },
    }
    return () => {
      delete window.lingjingBench
    }
  }, [baseline, frame, record, xrSessions])
  return null
}
