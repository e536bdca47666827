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
