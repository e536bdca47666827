import { useThree } from '@react-three/fiber'
import { useEffect, useMemo } from 'react'
import { Color, Group, Mesh, PlaneGeometry, ShaderMaterial } from 'three'
import { PHASES } from '../../core/frame/phases'
import { useLingjing } from '../../scene/lingjing-context'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import { canvasPixelFraction } from '../../scene/render/render-systems'
import { createBaselineMonitor } from './baseline-monitor'
import { burn, loadMsAt, SCALABLE_MS_AT_FULL_QUALITY } from './load-ladder'
import { measureSchedulerOverhead, type SchedulerOverhead } from './scheduler-overhead'

/** Most frames one benchmark run records. */
const MAX_FRAMES = 4096
/** Most levers whose level is recorded per frame. */
const MAX_LEVERS = 16
/** Most full-size quads the synthetic GPU load can be set to (the benchmark's `MAX_QUADS`). */
const MAX_GPU_QUADS = 256
/** Most quads drawn: at the pixel-ratio lever's lowest (a quarter of the pixels) four per full-size quad. */
const MAX_DRAWN_QUADS = 4 * MAX_GPU_QUADS

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
  /**
   * Per recorded frame, the display interval ending at this frame's callback, ms: from the XRFrame's
   * `predictedDisplayTime` where the browser gives one, else the callback's wall time (0 for the
   * first frame of a record). Entry i spans the app frame whose cost is `costs[i]`.
   */
  intervals: number[]
  /** Per recorded frame, whether the synthetic GPU load was drawn in it. */
  gpuLoadOn: boolean[]
  /** Recorded frames whose callback carried no XRFrame (the session had ended or not begun). */
  framesWithoutXr: number
}

/** The synthetic GPU load: `quads` full-screen transparent quads per view from recorded frame `atFrame` on. */
export interface GpuLoad {
  quads: number
  atFrame: number
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
  /**
   * Holds every lever (also those registered later) at `fraction` of its max level each frame, or
   * releases them (null). With `only`, holds that lever at `fraction` and every other at its max
   * (what one lever saves). For the calibration of the GPU-bound section, with the governor off.
   */
  pinLevels(fraction: number | null, only?: string | null): void
  /** Sets the synthetic GPU load (an overdraw pass; `quads` 0 switches it off). Counted from `start()`. */
  setGpuLoad(load: GpuLoad): void
  /** `performance.now()` at the first frame callback that carried an XRFrame (null before). */
  firstXrFrameAt(): number | null
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
  const gl = useThree((s) => s.gl)
  const record = useMemo(
    // Records from the first frame, so a fresh page's first visible frames are in the record.
    () => ({
      costs: new Float64Array(MAX_FRAMES),
      quality: new Float32Array(MAX_FRAMES),
      replayFrames: new Int32Array(MAX_FRAMES),
      phaseCosts: new Float32Array(MAX_FRAMES * PHASES.length),
      leverLevels: new Int8Array(MAX_FRAMES * MAX_LEVERS),
      intervals: new Float64Array(MAX_FRAMES),
      gpuLoadOn: new Uint8Array(MAX_FRAMES),
      levers: [] as string[],
      lastFrameAt: -1,
      firstXrFrameAt: -1,
      pinned: -1,
      pinnedOnly: null as string | null,
      gpuQuads: 0,
      gpuAtFrame: 0,
      framesWithoutXr: 0,
      newest: new Float64Array(1),
      n: 0,
      on: true,
      frameIndex: 0,
      startedAt: performance.now(),
    }),
    [],
  )
  const baseline = useMemo(() => (options.governor === 'baseline' ? createBaselineMonitor() : null), [options.governor])
  const overdraw = useMemo(() => createOverdraw(MAX_DRAWN_QUADS), [])
  useEffect(() => () => overdraw.dispose(), [overdraw])

  useFrameSystem(
    'bench-record',
    'input',
    (ctx) => {
      // The display side: the interval between frame callbacks, from the XRFrame's predicted
      // display time where there is one (the wall clock in a deterministic replay would be wrong).
      const xrFrame = ctx.xrFrame as { predictedDisplayTime?: number } | null
      const predicted = xrFrame?.predictedDisplayTime
      const now = typeof predicted === 'number' && Number.isFinite(predicted) && predicted > 0 ? predicted : performance.now()
      const interval = record.lastFrameAt < 0 ? 0 : now - record.lastFrameAt
      record.lastFrameAt = now
      if (xrFrame && record.firstXrFrameAt < 0) record.firstXrFrameAt = performance.now()
      if (record.pinned >= 0) {
        const levers = frame.levers
        for (let i = 0; i < levers.length; i++) {
          const { scaler } = levers[i]
          const fraction = record.pinnedOnly === null || record.pinnedOnly === scaler.id ? record.pinned : 1
          frame.setLeverLevel(levers[i], Math.round(scaler.maxLevel * fraction))
        }
      }
      const loadOn = record.gpuQuads > 0 && record.frameIndex >= record.gpuAtFrame
      // The load is counted in full-size quads: where the pixel-ratio lever shrinks the page canvas
      // in XR, more quads keep its pixels constant, so it stays a load that no lever reduces.
      overdraw.show(loadOn ? Math.min(MAX_DRAWN_QUADS, Math.round(record.gpuQuads / canvasPixelFraction(gl))) : 0)
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
        record.intervals[record.n] = interval
        record.gpuLoadOn[record.n] = loadOn ? 1 : 0
        if (!xrFrame) record.framesWithoutXr++
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
        record.lastFrameAt = -1
        record.framesWithoutXr = 0
        record.levers = frame.levers.slice(0, MAX_LEVERS).map((l) => l.scaler.id)
      },
      pinLevels(fraction, only = null) {
        record.pinned = fraction === null ? -1 : Math.min(1, Math.max(0, fraction))
        record.pinnedOnly = only
      },
      setGpuLoad({ quads, atFrame }) {
        record.gpuQuads = Math.min(MAX_GPU_QUADS, Math.max(0, Math.round(quads)))
        record.gpuAtFrame = atFrame
      },
      firstXrFrameAt: () => (record.firstXrFrameAt < 0 ? null : record.firstXrFrameAt),
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
          intervals: Array.from(record.intervals.subarray(0, record.n)),
          gpuLoadOn: Array.from(record.gpuLoadOn.subarray(0, record.n), (v) => v === 1),
          framesWithoutXr: record.framesWithoutXr,
        }
      },
    }
    return () => {
      delete window.lingjingBench
    }
  }, [baseline, frame, record, xrSessions])
  return <primitive object={overdraw.group} />
}

/**
 * The synthetic GPU load (labelled synthetic in the benchmark's output): up to `max` quads drawn
 * straight in clip space, so each covers the whole viewport of every view whatever the camera,
 * blended, without depth: pure fill rate, the cost a headset's GPU pays for overdraw. No lever
 * reduces it: like the ladder's unscalable load, the governor must make room for it.
 */
function createOverdraw(max: number) {
  const group = new Group()
  group.name = 'bench-gpu-load'
  // The quads are drawn in clip space: their matrices are never read, so the once-a-frame
  // world-matrix walk skips the pool (1,024 hidden objects, three quarters of the livestream
  // room's scene graph, were walked every frame and counted as the room's own cost).
  group.matrixWorldAutoUpdate = false
  const geometry = new PlaneGeometry(2, 2)
  const material = new ShaderMaterial({
    vertexShader: 'void main() { gl_Position = vec4(position.xy, 0.0, 1.0); }',
    fragmentShader: 'uniform vec3 tint; void main() { gl_FragColor = vec4(tint, 0.03); }',
    uniforms: { tint: { value: new Color(0.6, 0.2, 0.9) } },
    transparent: true,
    depthTest: false,
    depthWrite: false,
  })
  const quads: Mesh[] = []
  for (let i = 0; i < max; i++) {
    const quad = new Mesh(geometry, material)
    quad.frustumCulled = false
    quad.renderOrder = 10_000 + i
    quad.visible = false
    quad.matrixAutoUpdate = false
    group.add(quad)
    quads.push(quad)
  }
  let shown = 0
  return {
    group,
    /** Shows the first `n` quads (no allocation; only flips visibility when `n` changes). */
    show(n: number) {
      if (n === shown) return
      for (let i = 0; i < max; i++) quads[i].visible = i < n
      shown = n
    },
    dispose() {
      geometry.dispose()
      material.dispose()
    },
  }
}
