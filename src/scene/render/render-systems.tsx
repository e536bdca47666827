import { useThree } from '@react-three/fiber'
import { useXR } from '@react-three/xr'
import { useEffect, useMemo, useState } from 'react'
import type { WebGLRenderer } from 'three'
import type { QualityScaler } from '../../core/frame'
import { useLingjing } from '../lingjing-context'
import { useFrameSystem, useQualityScaler } from '../frame/use-frame-system'
import { createSceneMatrices, holdSceneMatrices, releaseSceneMatrices } from './scene-matrices'
import { PIXEL_RATIO_FRACTIONS, VIEWPORT_SCALES, canvasSizeAt, liveResolutionLever, pixelRatioAt, stepCanvasProbe, viewportScaleHonoured } from './lever-tables'
import type { CanvasProbe, ResolutionWhy } from './lever-tables'

declare module '../../core/diagnostics/diagnostics' {
  interface SnapshotSections {
    /** The main render's counts and the GPU levers' state (while the canvas is mounted). */
    render?: RenderSnapshot
  }
}

/** `snapshot().render`. */
export interface RenderSnapshot extends MainRenderStats {
  drawCallsPerEye: number
  trianglesPerEye: number
  pixelRatio: number
  /** Multisampling of the canvas (off on a software rasteriser, see core/render/renderer-kind.ts). */
  antialias: boolean | null
  /** The WebGL renderer's name (unmasked where the browser gives it). */
  renderer: string | null
  viewportScale: Pick<ViewportScaleState, 'supported' | 'honoured' | 'scale' | 'fullWidth' | 'probeWidth' | 'requests'>
  /** In XR: whether resizing the page canvas shrinks the eye viewport (measured), and its size now. */
  canvasResolution: Pick<CanvasResolutionState, 'honoured' | 'reason' | 'fraction' | 'fullWidth' | 'probeWidth' | 'width' | 'height' | 'resizes'>
  /** Which resolution lever is live and why (see lever-tables.ts `liveResolutionLever`). */
  resolution: { lever: 'pixel-ratio' | 'viewport-scale' | null; why: ResolutionWhy }
  /** Frames in which scene matrices were computed once (held for the frame). */
  matricesOncePerFrame: number
  levers: { id: string; level: number; maxLevel: number }[]
}

/** Draw calls and triangles of the main render, read right after it (one object, no allocation). */
interface MainRenderStats {
  drawCalls: number
  triangles: number
  points: number
  lines: number
  views: number
  frames: number
  /** Width of the first eye's viewport in the last XR frame (0 on a flat screen), px. */
  eyeWidth: number
}

/** State of the viewport-scale lever (see {@link RenderSystems}). */
interface ViewportScaleState {
  /** `XRView.prototype.requestViewportScale` exists in this browser. */
  supported: boolean
  /** Result of the probe at session start: null until measured. */
  honoured: boolean | null
  /** Scale requested on every view before the renderer reads its viewport. */
  scale: number
  /** Eye viewport width at scale 1 and at the probe's scale, px. */
  fullWidth: number
  probeWidth: number
  /** Frames into the session (the probe runs on a few early frames). */
  sessionFrames: number
  /** Requests made on the views three read (proves the wrap sits on three's read path). */
  requests: number
}

/** Frame of the session on which the probe asks for {@link PROBE_SCALE}; full width is read the frame before. */
const PROBE_FRAME = 4
const PROBE_SCALE = 0.5

/**
 * The page canvas as an XR resolution lever. Where the session's layer draws into the page's own
 * canvas (an `XRWebGLLayer` whose `framebuffer` is null: the emulator), the eye viewports follow
 * the canvas's drawing buffer; a probe measures that before the pixel-ratio lever is registered
 * in XR. The canvas is resized only when the wanted size changes (a level change), inside the
 * layer's viewport read, so the frame that follows is drawn at the new size (no cleared frame).
 */
interface CanvasResolutionState extends CanvasProbe {
  /**
   * What decided `honoured`: measuring, `canvas-follows` / `canvas-ignored` (measured),
   * `viewport-scale-used` (not probed: viewport-scale is honoured), `opaque-framebuffer`, `projection-layer`.
   */
  reason: 'measuring' | 'canvas-follows' | 'canvas-ignored' | 'viewport-scale-used' | 'opaque-framebuffer' | 'projection-layer'
  /** Fraction of the full width and height wanted now (1 = the size the session started at). */
  fraction: number
  /** Drawing-buffer size the session started at, and the size wanted now. */
  fullWidth: number
  fullHeight: number
  width: number
  height: number
  /** Times the canvas was resized this page (only on a change of the wanted size). */
  resizes: number
}

const canvasResolutions = new WeakMap<WebGLRenderer, CanvasResolutionState>()

/**
 * The fraction of the full-size pixels the page canvas draws now while presenting (1 when the
 * canvas lever is not in use). The benchmark's synthetic overdraw reads it to keep its pixels
 * constant, so that load stays one that no lever reduces.
 */
export function canvasPixelFraction(gl: WebGLRenderer): number {
  const state = canvasResolutions.get(gl)
  if (!state || !gl.xr.isPresenting || state.fullWidth <= 0) return 1
  return (state.width * state.height) / (state.fullWidth * state.fullHeight)
}

/** Pixel-ratio lever state: what the canvas should be at (checked each flat-screen frame). */
interface PixelRatioState {
  registered: boolean
  level: number
}

/** `window.lingjing.levers`: read and set every registered quality lever (tests, screenshots, benchmark calibration). */
export interface LeverConsole {
  /** Every registered lever: id, level now, top level, declared cost and visual impact. */
  list(): { id: string; level: number; maxLevel: number; costPerLevelMs: number; visualImpact: number }[]
  /** Sets one lever; false when no lever has that id. The governor (unless `?governor=off`) may change it again. */
  set(id: string, level: number): boolean
  /** Sets every lever to round(fraction × maxLevel): 0 is every lever at its lowest, 1 full quality. */
  setAll(fraction: number): number
  /**
   * Lets the governor act (true) or holds every lever where it is (false), as `?governor=` does at
   * load; returns the new state. A test can then measure the same page governed and at full quality.
   */
  setGovernor(enabled: boolean): boolean
  /**
   * Flat screen only: renders the scene `count` times, each followed by a one-pixel readback (which
   * waits for the GPU), and returns the median ms. A direct measure of what a lever level costs the
   * GPU, independent of frame pacing. Call between frames (from a test or the benchmark).
   */
  timeRender(count: number): number
}

declare module '../../runtime/window-api' {
  interface LingjingWindowApi {
    /** Lever console (src/scene/render/README.md). */
    levers?: LeverConsole
  }
}

/**
 * Renderer-wide systems, mounted once inside the canvas (they outlive every experience):
 * - draw calls and triangles of the main render, per eye (`snapshot().render`), read in the render
 *   phase right after the renderer, so programme, preview and mirror renders are not counted;
 * - the viewport-scale lever (XR): `XRView.requestViewportScale` on every view just before three
 *   reads its viewport, registered only where the browser has the method and honours it;
 * - the pixel-ratio lever (flat screens only: the canvas ratio does nothing to an XR framebuffer);
 * - the scene's world matrices updated once a frame for all its renders (scene-matrices.ts);
 * - `window.lingjing.levers`, the lever console.
 */
export function RenderSystems() {
  const { frame, diagnostics } = useLingjing()
  const gl = useThree((s) => s.gl)
  const get = useThree((s) => s.get)
  const session = useXR((s) => s.session)
  const stats = useMemo<MainRenderStats>(() => ({ drawCalls: 0, triangles: 0, points: 0, lines: 0, views: 1, frames: 0, eyeWidth: 0 }), [])
  const viewport = useMemo<ViewportScaleState>(
    () => ({ supported: false, honoured: null, scale: 1, fullWidth: 0, probeWidth: 0, sessionFrames: 0, requests: 0 }),
    [],
  )
  const matrices = useMemo(() => createSceneMatrices(), [])
  const scene = useThree((s) => s.scene)
  useFrameSystem('scene-matrices-hold', 'jobs', () => holdSceneMatrices(matrices, scene), -1_000_000)
  useFrameSystem('scene-matrices-release', 'render', () => releaseSceneMatrices(matrices, scene), 1_000_000)
  useEffect(() => () => releaseSceneMatrices(matrices, scene), [matrices, scene])
  const ratio = useMemo<PixelRatioState>(() => ({ registered: false, level: PIXEL_RATIO_FRACTIONS.length - 1 }), [])
  const canvasRes = useMemo<CanvasResolutionState>(() => {
    const state: CanvasResolutionState = {
      honoured: null,
      reason: 'measuring',
      fraction: 1,
      fullWidth: 0,
      fullHeight: 0,
      width: 0,
      height: 0,
      eyeFullWidth: 0,
      probeWidth: 0,
      frames: 0,
      resizes: 0,
    }
    canvasResolutions.set(gl, state)
    return state
  }, [gl])

  // Order 0 in the render phase: the first system after the renderer (order < 0 runs before it).
  useFrameSystem(
    'render-stats',
    'render',
    () => {
      const info = gl.info.render
      stats.drawCalls = info.calls
      stats.triangles = info.triangles
      stats.points = info.points
      stats.lines = info.lines
      // XR draws every eye inside one gl.render (an ArrayCamera): the counters cover all views.
      stats.views = gl.xr.isPresenting ? gl.xr.getCamera().cameras.length || 1 : 1
      stats.eyeWidth = gl.xr.isPresenting ? (gl.xr.getCamera().cameras[0]?.viewport.z ?? 0) : 0
      stats.frames++
    },
    0,
  )

  // --- Viewport scale (XR only). ---------------------------------------------------------------
  // three reads each view's viewport in its own XR animation callback, before ours: the request has
  // to be made on the same view objects, just before that read. The read on this session's layer
  // is wrapped (XRWebGLLayer.getViewport, or XRWebGLBinding.getViewSubImage for projection layers)
  // on the first presenting frame, when three has set its layer up (once per session).
  const wrap = useMemo(() => ({ installed: false, undo: null as (() => void) | null }), [])
  useEffect(() => {
    viewport.scale = 1
    viewport.sessionFrames = 0
    viewport.fullWidth = 0
    viewport.probeWidth = 0
    viewport.honoured = null
    viewport.supported = typeof XRView !== 'undefined' && typeof XRView.prototype.requestViewportScale === 'function'
    wrap.installed = false
    canvasRes.honoured = null
    canvasRes.reason = 'measuring'
    canvasRes.fraction = 1
    canvasRes.fullWidth = 0
    canvasRes.fullHeight = 0
    canvasRes.frames = 0
    canvasRes.eyeFullWidth = 0
    canvasRes.probeWidth = 0
    return () => {
      wrap.undo?.()
      wrap.undo = null
    }
  }, [canvasRes, session, viewport, wrap])
  useFrameSystem(
    'viewport-scale-wrap',
    'input',
    () => {
      if (wrap.installed || !session || !gl.xr.isPresenting) return
      wrap.installed = true
      const request = (view: XRView) => {
        if (!viewport.supported) return
        view.requestViewportScale(viewport.scale)
        viewport.requests++
      }
      const layer = session.renderState.baseLayer as (XRWebGLLayer & { getViewport: XRWebGLLayer['getViewport'] }) | undefined
      if (layer) {
        const canvas = gl.domElement
        const style = { width: canvas.style.width, height: canvas.style.height, pinned: false }
        if (layer.framebuffer !== null) {
          // The layer has a framebuffer of its own (a headset): the page canvas is not what the eyes see.
          canvasRes.honoured = false
          canvasRes.reason = 'opaque-framebuffer'
        } else {
          canvasRes.fullWidth = canvas.width
          canvasRes.fullHeight = canvas.height
          canvasRes.width = canvas.width
          canvasRes.height = canvas.height
          // The canvas has no CSS size of its own in the emulator's container, so its box would
          // follow the drawing buffer: pin the box it has now (one layout read a session), so a
          // smaller buffer is stretched over the same box and nothing on the page moves.
          const box = canvas.getBoundingClientRect()
          canvas.style.width = `${box.width}px`
          canvas.style.height = `${box.height}px`
          style.pinned = true
        }
        const original = layer.getViewport
        layer.getViewport = function (view: XRView) {
          // Resized here, before the layer reads the canvas for this frame's first view, and only
          // when the wanted size changed: setting width or height reallocates and clears the buffer.
          if (canvasRes.fullWidth > 0 && (canvas.width !== canvasRes.width || canvas.height !== canvasRes.height)) {
            canvas.width = canvasRes.width
            canvas.height = canvasRes.height
            canvasRes.resizes++
          }
          request(view)
          return original.call(this, view)
        }
        wrap.undo = () => {
          layer.getViewport = original
          // Back to the session's size (the emulator restores the page's own size when the session ends).
          if (canvasRes.fullWidth > 0 && gl.xr.isPresenting) {
            canvas.width = canvasRes.fullWidth
            canvas.height = canvasRes.fullHeight
          }
          if (style.pinned) {
            canvas.style.width = style.width
            canvas.style.height = style.height
          }
        }
        return
      }
      canvasRes.honoured = false
      canvasRes.reason = 'projection-layer'
      if (!viewport.supported) return
      const binding = gl.xr.getBinding() as (XRWebGLBinding & { getViewSubImage?: (layer: XRCompositionLayer, view: XRView) => XRWebGLSubImage }) | null
      const original = binding?.getViewSubImage
      if (!binding || !original) return
      binding.getViewSubImage = function (projection: XRCompositionLayer, view: XRView) {
        request(view)
        return original.call(this, projection, view)
      }
      wrap.undo = () => {
        binding.getViewSubImage = original
      }
    },
    -1_000_000,
  )

  // The probe: the width of a full-scale frame, then one frame asked at half scale, then back.
  useFrameSystem(
    'viewport-scale-probe',
    'post',
    () => {
      if (!gl.xr.isPresenting || !wrap.installed || !viewport.supported || viewport.honoured !== null) return
      viewport.sessionFrames++
      const width = gl.xr.getCamera().cameras[0]?.viewport.z ?? 0
      if (viewport.sessionFrames === PROBE_FRAME - 1) {
        viewport.fullWidth = width
        viewport.scale = PROBE_SCALE
      } else if (viewport.sessionFrames === PROBE_FRAME) {
        viewport.probeWidth = width
        viewport.scale = 1
        viewport.honoured = viewportScaleHonoured(viewport.fullWidth, width, PROBE_SCALE)
      }
    },
    50,
  )

  // The canvas probe, once the viewport-scale probe has said no: the eye width at full size, then
  // one frame with the canvas at half size, then back. Never both probes on one frame.
  useFrameSystem(
    'canvas-resolution-probe',
    'post',
    () => {
      if (!gl.xr.isPresenting || !wrap.installed || canvasRes.honoured !== null) return
      if (viewport.supported && viewport.honoured === null) return
      if (viewport.honoured === true) {
        // viewport-scale does the job without reallocating anything: the canvas stays as it is.
        canvasRes.honoured = false
        canvasRes.reason = 'viewport-scale-used'
        return
      }
      const next = stepCanvasProbe(canvasRes, gl.xr.getCamera().cameras[0]?.viewport.z ?? 0)
      if (next > 0) setCanvasFraction(canvasRes, next)
      if (canvasRes.honoured !== null) canvasRes.reason = canvasRes.honoured ? 'canvas-follows' : 'canvas-ignored'
    },
    51,
  )

  const viewportLever = useMemo<QualityScaler>(
    () => ({
      id: 'viewport-scale',
      label: { zh: '视口缩放', en: 'Viewport scale' },
      maxLevel: VIEWPORT_SCALES.length - 1,
      // Fill rate: each step draws about 17 % fewer pixels per eye.
      costPerLevelMs: 1.2,
      visualImpact: 0.3,
      apply(level) {
        viewport.scale = VIEWPORT_SCALES[level]
      },
    }),
    [viewport],
  )
  // Registered once the probe has shown the browser honours it; the effect re-runs on the session.
  useEffect(() => {
    if (!session) return
    let remove: (() => void) | null = null
    const timer = window.setInterval(() => {
      if (viewport.honoured === null) return
      window.clearInterval(timer)
      if (viewport.honoured) remove = frame.addScaler(viewportLever)
    }, 250)
    return () => {
      window.clearInterval(timer)
      remove?.()
      viewport.scale = 1
    }
  }, [frame, session, viewport, viewportLever])

  // --- Pixel-ratio cap (flat screens). ---------------------------------------------------------
  const ratioLever = useMemo<QualityScaler>(
    () => ({
      id: 'pixel-ratio',
      label: { zh: '画布像素比上限', en: 'Canvas pixel-ratio cap' },
      maxLevel: PIXEL_RATIO_FRACTIONS.length - 1,
      costPerLevelMs: 1.0,
      visualImpact: 0.3,
      apply(level) {
        ratio.level = level
        // Resized now (once per change); the check below keeps it after R3F's own resizes. In XR
        // (registered only where the probe measured that the eyes follow the canvas) the wanted
        // canvas size changes here and the layer's viewport read applies it.
        if (!gl.xr.isPresenting) gl.setPixelRatio(pixelRatioAt(level, get().viewport.dpr))
        else if (canvasRes.honoured) setCanvasFraction(canvasRes, PIXEL_RATIO_FRACTIONS[level])
      },
    }),
    [canvasRes, get, gl, ratio],
  )
  // In XR the lever stays only where the canvas probe measured that it shrinks the eye viewport.
  const [canvasLive, setCanvasLive] = useState(false)
  useEffect(() => {
    setCanvasLive(false)
    if (!session) return
    const timer = window.setInterval(() => {
      if (canvasRes.honoured === null) return
      window.clearInterval(timer)
      setCanvasLive(canvasRes.honoured)
    }, 250)
    return () => window.clearInterval(timer)
  }, [canvasRes, session])
  const ratioRegistered = !session || canvasLive
  useQualityScaler(ratioRegistered ? ratioLever : null)
  useEffect(() => {
    ratio.registered = ratioRegistered
    if (!ratioRegistered) ratio.level = PIXEL_RATIO_FRACTIONS.length - 1
  }, [ratio, ratioRegistered])
  useFrameSystem(
    'pixel-ratio',
    'render',
    () => {
      // three holds the ratio at 1 while presenting and restores the old one when the session ends.
      if (gl.xr.isPresenting) return
      const top = get().viewport.dpr
      const want = ratio.registered ? pixelRatioAt(ratio.level, top) : top
      if (gl.getPixelRatio() !== want) gl.setPixelRatio(want)
    },
    -1000,
  )

  // --- Snapshot and lever console. -------------------------------------------------------------
  useEffect(
    () =>
      diagnostics.setSection('render', (): RenderSnapshot => ({
        drawCalls: stats.drawCalls,
        triangles: stats.triangles,
        points: stats.points,
        lines: stats.lines,
        views: stats.views,
        drawCallsPerEye: Math.round((stats.drawCalls / stats.views) * 10) / 10,
        trianglesPerEye: Math.round(stats.triangles / stats.views),
        frames: stats.frames,
        eyeWidth: stats.eyeWidth,
        pixelRatio: gl.getPixelRatio(),
        // Multisampling of the canvas (off on a software rasteriser, see core/render/renderer-kind.ts).
        antialias: gl.getContextAttributes()?.antialias ?? null,
        renderer: rendererName(gl),
        viewportScale: {
          supported: viewport.supported,
          honoured: viewport.honoured,
          scale: viewport.scale,
          fullWidth: viewport.fullWidth,
          probeWidth: viewport.probeWidth,
          requests: viewport.requests,
        },
        canvasResolution: {
          honoured: canvasRes.honoured,
          reason: canvasRes.reason,
          fraction: canvasRes.fraction,
          fullWidth: canvasRes.fullWidth,
          probeWidth: canvasRes.probeWidth,
          width: canvasRes.width,
          height: canvasRes.height,
          resizes: canvasRes.resizes,
        },
        resolution: liveResolutionLever(gl.xr.isPresenting, viewport.supported ? viewport.honoured : false, canvasRes.honoured),
        matricesOncePerFrame: matrices.frames,
        levers: frame.levers.map((l) => ({ id: l.scaler.id, level: l.level, maxLevel: l.scaler.maxLevel })),
      })),
    [canvasRes, diagnostics, frame, gl, matrices, stats, viewport],
  )

  useEffect(() => {
    const api = window.lingjing
    if (!api) return
    const console: LeverConsole = {
      list: () =>
        frame.levers.map((l) => ({
          id: l.scaler.id,
          level: l.level,
          maxLevel: l.scaler.maxLevel,
          costPerLevelMs: l.scaler.costPerLevelMs,
          visualImpact: l.scaler.visualImpact,
        })),
      set(id, level) {
        const lever = frame.levers.find((l) => l.scaler.id === id)
        if (!lever) return false
        frame.setLeverLevel(lever, Math.max(0, Math.min(lever.scaler.maxLevel, Math.round(level))))
        return true
      },
      setAll(fraction) {
        const f = Math.max(0, Math.min(1, fraction))
        for (const lever of frame.levers) frame.setLeverLevel(lever, Math.round(lever.scaler.maxLevel * f))
        return frame.levers.length
      },
      setGovernor(enabled) {
        frame.setGovernorEnabled(enabled === true)
        return frame.governorEnabled
      },
      timeRender(count) {
        if (gl.xr.isPresenting) return -1
        const { scene, camera } = get()
        const context = gl.getContext()
        const pixel = new Uint8Array(4)
        const times: number[] = []
        for (let i = 0; i < Math.max(1, count); i++) {
          const t0 = performance.now()
          gl.render(scene, camera)
          context.readPixels(0, 0, 1, 1, context.RGBA, context.UNSIGNED_BYTE, pixel)
          times.push(performance.now() - t0)
        }
        times.sort((a, b) => a - b)
        return times[Math.floor(times.length / 2)]
      },
    }
    api.levers = console
    return () => {
      if (api.levers === console) delete api.levers
    }
  }, [frame, get, gl])

  return null
}

/** Sets the wanted canvas size at a fraction of the session's full size (applied at the next viewport read). */
function setCanvasFraction(state: CanvasResolutionState, fraction: number): void {
  if (state.fullWidth <= 0) return
  state.fraction = fraction
  canvasSizeAt(state.fullWidth, state.fullHeight, fraction, state)
}

/** The live context's renderer name (unmasked where the browser gives it), for the snapshot. */
function rendererName(gl: WebGLRenderer): string | null {
  const context = gl.getContext()
  const info = context.getExtension('WEBGL_debug_renderer_info')
  const name: unknown = info ? context.getParameter(info.UNMASKED_RENDERER_WEBGL) : context.getParameter(context.RENDERER)
  return typeof name === 'string' ? name : null
}
