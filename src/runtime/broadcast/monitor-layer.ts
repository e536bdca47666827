/**
 * The programme monitor as a WebXR quad layer: the headset's compositor samples the programme
 * picture directly at the screen's place, instead of the picture being resampled into the eye
 * buffer through a texture on a mesh. Built on @pmndrs/xr's layer primitives (the ones
 * @react-three/xr's `XRLayer` uses) so that the frame loop, not a `useFrame` of the component,
 * decides when the layer is drawn, and so that a failure can fall back to the texture instead of
 * unmounting the monitor. The scene decides whether to use it (core/broadcast/monitor-path.ts).
 */
import { createXRLayer, createXRLayerRenderTarget, setXRLayerRenderTarget, updateXRLayerTransform, type XRLayerEntry, type XRStore, type XRElementImplementations } from '@pmndrs/xr'
import { Matrix4, type Object3D, type Texture, type WebGLRenderer, type WebGLRenderTarget, Vector4 } from 'three'
import { FullScreenQuad } from 'three/examples/jsm/postprocessing/Pass.js'
import { hasQuadLayerBinding, type MonitorLayerSupport } from '../../core/broadcast/monitor-path'
import { createOutputDisplayMaterial } from './programme-output'

/** The XR store the layer registers with (the app's store). */
export type MonitorLayerStore = XRStore<XRElementImplementations>

/** Options of {@link createMonitorLayer}. */
export interface MonitorLayerOptions {
  gl: WebGLRenderer
  store: MonitorLayerStore
  /** A 1×1 object scaled to the screen's width and height: the layer takes its place and size. */
  anchor: Object3D
  /** The programme output texture (tone-mapped and encoded; shown as it is). */
  texture: Texture
  /** The layer's pixel size: the programme's top preset, so the compositor gets every pixel there is. */
  pixelWidth: number
  pixelHeight: number
  /** Clock for the copy's cost, ms (performance.now by default). */
  now?: () => number
}

/** Counters for the snapshot and the benchmark. */
export interface MonitorLayerStats {
  /** Copies of the programme picture into the layer (one per new programme frame, plus redraws). */
  draws: number
  /** Redraws the compositor asked for (`needsRedraw`: it lost the layer's image). */
  redraws: number
  /** JS time of all copies, ms. */
  copyMsTotal: number
}

/** One quad layer for the session it was made in; see the file header. */
export interface MonitorLayer {
  readonly stats: MonitorLayerStats
  /**
   * Places the layer where the anchor is and, when `changed` (a new programme frame) or the
   * compositor lost the image, copies the programme picture into it. Before the session lists
   * the layer (the frame after it was added) nothing is drawn and it returns false; true once
   * the session holds the layer. Throws when the layer fails.
   */
  update(frame: XRFrame, changed: boolean): boolean
  /** Takes the layer out of the session and frees it (the layer is already dead once the session ended). */
  dispose(): void
}

/** Reads what the page and the session offer for layers; `XRWebGLBinding` is looked up on `globalObject`. */
export function readMonitorLayerSupport(session: XRSession | null | undefined, globalObject: object = globalThis): MonitorLayerSupport {
  const features = (session as (XRSession & { enabledFeatures?: readonly string[] }) | null | undefined)?.enabledFeatures
  return {
    presenting: session != null,
    sessionHasLayers: Array.isArray(features) && features.includes('layers'),
    bindingHasQuadLayer: hasQuadLayerBinding((globalObject as { XRWebGLBinding?: unknown }).XRWebGLBinding),
  }
}

/**
 * Creates the quad layer for the running session and adds it to the store's layers (the store puts
 * it under the eye buffer; the scene punches a hole there). Throws when the browser cannot make it.
 */
export function createMonitorLayer({ gl, store, anchor, texture, pixelWidth, pixelHeight, now = () => performance.now() }: MonitorLayerOptions): MonitorLayer {
  const state = store.getState()
  const session = state.session
  const space = state.originReferenceSpace
  if (!session || !space) throw new Error('No XR session to put the monitor layer in')
  const target: WebGLRenderTarget = createXRLayerRenderTarget(pixelWidth, pixelHeight, 1)
  let made: ReturnType<typeof createXRLayer>
  try {
    made = createXRLayer(target, state, space, gl.xr, anchor, { shape: 'quad', layout: 'mono' }, {})
  } catch (error) {
    target.dispose()
    throw error
  }
  if (!made) {
    target.dispose()
    throw new Error('The XR binding made no quad layer')
  }
  const layer = made
  const entry: XRLayerEntry = { layer, renderOrder: 0, object3D: anchor }
  store.addLayerEntry(entry)

  // The same shader as the monitor's texture: identical pixels on both paths.
  const material = createOutputDisplayMaterial(texture)
  const quad = new FullScreenQuad(material)
  const stats: MonitorLayerStats = { draws: 0, redraws: 0, copyMsTotal: 0 }
  // Where the anchor and the origin were when the layer was last placed: the placement allocates
  // (an XRRigidTransform), so it runs only when one of them moved.
  const placedAnchor = new Matrix4()
  const placedOrigin = new Matrix4()
  let placed = false
  const viewport = new Vector4()
  let disposed = false

  function place(): void {
    const now = store.getState()
    anchor.updateWorldMatrix(true, false)
    const origin = now.origin
    if (origin) origin.updateWorldMatrix(true, false)
    if (placed && placedAnchor.equals(anchor.matrixWorld) && (!origin || placedOrigin.equals(origin.matrixWorld))) return
    updateXRLayerTransform(now, layer, undefined, anchor)
    placed = true
    placedAnchor.copy(anchor.matrixWorld)
    if (origin) placedOrigin.copy(origin.matrixWorld)
  }

  function draw(frame: XRFrame): void {
    // Everything three would otherwise route to the headset's views is held off for this one copy.
    const autoClear = gl.autoClear
    const xrEnabled = gl.xr.enabled
    const presenting = gl.xr.isPresenting
    const previous = gl.getRenderTarget()
    gl.getViewport(viewport)
    gl.autoClear = true
    gl.xr.enabled = false
    gl.xr.isPresenting = false
    try {
      setXRLayerRenderTarget(gl, target, entry, frame)
      gl.setViewport(0, 0, target.width, target.height)
      quad.render(gl)
    } finally {
      gl.setRenderTarget(previous)
      gl.setViewport(viewport)
      gl.autoClear = autoClear
      gl.xr.enabled = xrEnabled
      gl.xr.isPresenting = presenting
    }
  }

  return {
    stats,
    update(frame, changed) {
      if (disposed) return false
      const layers = session.renderState.layers
      // The store hands the layer to the session before the next frame; until then getSubImage would throw.
      if (!layers || !layers.includes(layer)) return false
      place()
      const redraw = layer.needsRedraw === true
      if (!changed && !redraw) return true
      const start = now()
      draw(frame)
      stats.copyMsTotal += now() - start
      stats.draws++
      if (redraw) stats.redraws++
      return true
    },
    dispose() {
      if (disposed) return
      disposed = true
      store.removeLayerEntry(entry)
      // A layer of an ended session is already invalid: destroy() would throw.
      if (store.getState().session === session) {
        try {
          layer.destroy()
        } catch {
          // Destroying is best effort; the session frees its layers when it ends.
        }
      }
      quad.dispose()
      material.dispose()
      target.dispose()
    },
  }
}
