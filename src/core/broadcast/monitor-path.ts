import type { Bilingual } from '../i18n/strings'

/**
 * How the programme monitor reaches the eyes. `xr-layer`: a WebXR quad layer the headset's
 * compositor samples directly (sharp, no resampling in the eye buffer). `texture`: the output
 * texture on a mesh drawn in the scene, as everywhere without WebXR Layers.
 */
export type MonitorPath = 'xr-layer' | 'texture'

/**
 * Why the monitor took its path. `layers-supported` is the one reason for `xr-layer`; the others
 * all mean the texture: the browser has no quad layers (`XRWebGLBinding.prototype.createQuadLayer`
 * missing) or the session did not grant the optional `layers` feature; no immersive session; the
 * layer could not be created; or it failed while showing (a draw threw, the session ended).
 */
export type MonitorPathReason = 'layers-supported' | 'layers-unsupported' | 'not-presenting' | 'layer-creation-failed' | 'layer-failed' | 'session-ended'

/** The monitor's path, its reason and, after a failure, the error's message. */
export interface MonitorPathDecision {
  path: MonitorPath
  reason: MonitorPathReason
  /** The message of the error that sent the monitor back to the texture; null otherwise. */
  error: string | null
}

/** What the browser and the session offer, read once when a session starts (or the page loads). */
export interface MonitorLayerSupport {
  /** An immersive session is running. */
  presenting: boolean
  /** The running session lists `layers` in its `enabledFeatures`. */
  sessionHasLayers: boolean
  /** `XRWebGLBinding.prototype.createQuadLayer` is a function. */
  bindingHasQuadLayer: boolean
}

/** The monitor before anything is known: the texture, outside a session. */
export const INITIAL_MONITOR_PATH: Readonly<MonitorPathDecision> = Object.freeze({ path: 'texture', reason: 'not-presenting', error: null })

/**
 * True when `binding` (the page's `XRWebGLBinding` constructor, or anything else) has quad layers.
 * IWER installs an `XRWebGLBinding` for depth sensing only, without them.
 */
export function hasQuadLayerBinding(binding: unknown): boolean {
  if (typeof binding !== 'function') return false
  const proto = (binding as { prototype?: unknown }).prototype
  return typeof proto === 'object' && proto !== null && typeof (proto as { createQuadLayer?: unknown }).createQuadLayer === 'function'
}

/**
 * Picks the monitor's path for one session, once. The browser's missing quad layers come first, so
 * a page without them reports `layers-unsupported` before a session too (the desktop, phones, IWER).
 */
export function decideMonitorPath(support: MonitorLayerSupport): MonitorPathDecision {
  if (!support.bindingHasQuadLayer) return { path: 'texture', reason: 'layers-unsupported', error: null }
  if (!support.presenting) return { path: 'texture', reason: 'not-presenting', error: null }
  if (!support.sessionHasLayers) return { path: 'texture', reason: 'layers-unsupported', error: null }
  return { path: 'xr-layer', reason: 'layers-supported', error: null }
}

/**
 * The texture after the layer failed: `creation` when the layer could not be made (the binding threw
 * or returned nothing), `runtime` when a draw into it threw, `session-ended` when its session ended
 * under it. The monitor never goes blank: every failure lands on the texture.
 */
export function failMonitorPath(stage: 'creation' | 'runtime' | 'session-ended', error: unknown): MonitorPathDecision {
  const reason: MonitorPathReason = stage === 'creation' ? 'layer-creation-failed' : stage === 'runtime' ? 'layer-failed' : 'session-ended'
  return { path: 'texture', reason, error: errorMessage(error) }
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  if (typeof error === 'string') return error
  // A DOMException from another realm, or anything else shaped like an error.
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined
  if (typeof message === 'string' && message) return message
  return error === null || error === undefined ? 'no layer' : String(error)
}

/** The console line when the monitor falls back from the layer to the texture, in both languages. */
export const MONITOR_FALLBACK_STRINGS: Record<Exclude<MonitorPathReason, 'layers-supported' | 'layers-unsupported' | 'not-presenting'>, Bilingual> = {
  'layer-creation-failed': {
    zh: '节目监视器无法创建 XR 图层，改用纹理显示',
    en: 'The programme monitor could not create its XR layer; it shows the texture instead',
  },
  'layer-failed': {
    zh: '节目监视器的 XR 图层出错，改用纹理显示',
    en: 'The programme monitor’s XR layer failed; it shows the texture instead',
  },
  'session-ended': {
    zh: 'XR 会话结束，节目监视器的图层随之失效，改用纹理显示',
    en: 'The XR session ended under the programme monitor’s layer; it shows the texture instead',
  },
}

/** The bilingual console warning for a fallback decision; null for a decision that is not a fallback. */
export function monitorFallbackWarning(decision: MonitorPathDecision): string | null {
  if (decision.reason !== 'layer-creation-failed' && decision.reason !== 'layer-failed' && decision.reason !== 'session-ended') return null
  const s = MONITOR_FALLBACK_STRINGS[decision.reason]
  return `${s.zh} / ${s.en}${decision.error ? `: ${decision.error}` : ''}`
}

/** The monitor's live state, shared by the monitor (writes) and the broadcast snapshot (reads). */
export interface MonitorStatus {
  decision: MonitorPathDecision
  /**
   * What the screen mesh draws: the output `texture`, or the `layer-hole` through which the layer
   * shows. It turns to the hole only once the layer holds a picture, and back on any fallback.
   */
  screen: 'texture' | 'layer-hole'
  /**
   * Times the screen mesh was drawn (counted in its onBeforeRender: once per view it is drawn in,
   * texture or hole). The benchmark divides it over headset frames: the monitor's draw calls.
   */
  screenDraws: number
  /** Copies of the programme picture into the layer, over all sessions (0 on the texture path). */
  layerDraws: number
  /** JS time of those copies, ms (the layer path's per-programme-frame update cost). */
  layerCopyMs: number
  /** Of those, the ones the compositor asked for after losing the layer's image. */
  layerRedraws: number
}

/** A monitor status on the texture, before any session. */
export function createMonitorStatus(): MonitorStatus {
  return { decision: { ...INITIAL_MONITOR_PATH }, screen: 'texture', screenDraws: 0, layerDraws: 0, layerCopyMs: 0, layerRedraws: 0 }
}

/** What the monitor driver needs of a layer (runtime/broadcast/monitor-layer.ts makes the real one). */
export interface MonitorLayerLike {
  readonly stats: { readonly draws: number; readonly redraws: number; readonly copyMsTotal: number }
  /** Copies a new picture in when `changed` (or when lost); true once the session holds the layer. Throws on failure. */
  update(frame: unknown, changed: boolean): boolean
  dispose(): void
}

/** What the monitor driver does to the world: the screen's material, the console, a later task. */
export interface MonitorDriverHooks {
  /** The screen mesh draws the output texture. */
  showTexture(): void
  /** The screen mesh becomes the hole the layer shows through. */
  showHole(): void
  /** A console warning (the fallbacks). */
  warn(message: string): void
  /** Runs `task` outside the frame (taking the layer out of the XR store is a store update). */
  defer(task: () => void): void
}

/** The monitor's per-session state machine; see {@link createMonitorDriver}. */
export interface MonitorDriver {
  /** Decides the session's path from what it offers (once per session) and records it. */
  decide(support: MonitorLayerSupport): MonitorPathDecision
  /** On the layer path: makes the layer; a throw falls back to the texture. True when a layer is attached. */
  attach(make: () => MonitorLayerLike): boolean
  /** Each frame (render phase): copies a new programme picture in, and shows the hole once the layer holds one. */
  frame(xrFrame: unknown, programmeFramesRendered: number): void
  /** Lets the layer go (session over, unmount); `sessionEnded` when its session ended under it. */
  detach(sessionEnded: boolean): void
  /** True while a layer is attached. */
  readonly attached: boolean
}

/**
 * The programme monitor's path over a session, outside React so that it is tested here: decide,
 * make the layer, drive it each frame, and put the texture back on every failure (creation, a
 * copy that throws, the session ending under it) with a warning, never leaving the screen blank.
 * The hole replaces the texture only once the layer holds a picture. Allocation-free per frame.
 */
export function createMonitorDriver(status: MonitorStatus, hooks: MonitorDriverHooks): MonitorDriver {
  let layer: MonitorLayerLike | null = null
  let lastRendered = -1
  let draws = 0
  let redraws = 0
  let copyMs = 0
  let hole = false

  const set = (decision: MonitorPathDecision) => {
    status.decision = decision
    const warning = monitorFallbackWarning(decision)
    if (warning) hooks.warn(warning)
  }
  const texture = () => {
    hole = false
    status.screen = 'texture'
    hooks.showTexture()
  }

  return {
    get attached() {
      return layer !== null
    },
    decide(support) {
      const decision = decideMonitorPath(support)
      set(decision)
      return decision
    },
    attach(make) {
      if (status.decision.path !== 'xr-layer') return false
      try {
        layer = make()
      } catch (error) {
        layer = null
        set(failMonitorPath('creation', error))
        texture()
        return false
      }
      lastRendered = -1
      draws = 0
      redraws = 0
      copyMs = 0
      return true
    },
    frame(xrFrame, rendered) {
      const l = layer
      if (l === null || !xrFrame) return
      try {
        if (l.update(xrFrame, rendered !== lastRendered)) lastRendered = rendered
      } catch (error) {
        layer = null
        texture()
        set(failMonitorPath('runtime', error))
        hooks.defer(() => l.dispose())
        return
      }
      status.layerDraws += l.stats.draws - draws
      status.layerRedraws += l.stats.redraws - redraws
      status.layerCopyMs += l.stats.copyMsTotal - copyMs
      draws = l.stats.draws
      redraws = l.stats.redraws
      copyMs = l.stats.copyMsTotal
      if (!hole && draws > 0) {
        hole = true
        status.screen = 'layer-hole'
        hooks.showHole()
      }
    },
    detach(sessionEnded) {
      const l = layer
      if (l === null) return
      layer = null
      l.dispose()
      texture()
      if (sessionEnded) set(failMonitorPath('session-ended', 'the XR session ended'))
    },
  }
}
