import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Group, Object3D, Texture, type WebGLRenderer } from 'three'
import { createMonitorLayer, readMonitorLayerSupport, type MonitorLayerStore } from './monitor-layer'

// The WebXR classes @pmndrs/xr's layer code names (instanceof checks, transforms); Node has none.
class FakeRigidTransform {
  constructor(
    readonly position: DOMPointInit,
    readonly orientation: DOMPointInit,
  ) {}
}
class FakeCylinderLayer {}
class FakeEquirectLayer {}

interface FakeQuadLayer {
  width: number
  height: number
  transform: FakeRigidTransform | null
  space: unknown
  needsRedraw: boolean
  destroyed: number
  destroy(): void
}

function fakeLayer(): FakeQuadLayer {
  return {
    width: 0,
    height: 0,
    transform: null,
    space: null,
    needsRedraw: false,
    destroyed: 0,
    destroy() {
      this.destroyed++
    },
  }
}

/** A renderer that records what the layer copy does to it (enough of WebGLRenderer for the copy). */
function fakeRenderer(binding: object) {
  const calls: string[] = []
  const gl = {
    autoClear: false,
    xr: { enabled: true, isPresenting: true, getBinding: () => binding },
    target: null as unknown,
    renders: 0,
    failRender: false,
    getRenderTarget() {
      return this.target
    },
    setRenderTarget(t: unknown) {
      this.target = t
      calls.push(t === null ? 'target:null' : 'target:layer')
    },
    getViewport(v: { set(x: number, y: number, z: number, w: number): void }) {
      v.set(0, 0, 1832, 1920)
      return v
    },
    setViewport() {},
    setRenderTargetTextures(_target: unknown, color: unknown) {
      calls.push(`textures:${String(color)}`)
    },
    render() {
      if (this.failRender) throw new Error('context lost')
      // three holds the XR views off for the copy; a copy into the headset's views would be wrong.
      calls.push(`render:xr=${String(gl.xr.enabled)}`)
      this.renders++
    },
  }
  return { gl, calls }
}

function fakeStore(session: object | null) {
  const state = { session, originReferenceSpace: session ? { kind: 'local-floor' } : undefined, origin: new Group() }
  const entries: unknown[] = []
  const store = {
    getState: () => state,
    addLayerEntry: (e: unknown) => entries.push(e),
    removeLayerEntry: (e: unknown) => entries.splice(entries.indexOf(e), 1),
  }
  return { store: store as unknown as MonitorLayerStore, state, entries }
}

function anchorAt(): Object3D {
  const a = new Object3D()
  a.scale.set(2.24, 1.26, 1)
  a.position.set(0, 2.05, 3.2)
  return a
}

beforeEach(() => {
  vi.stubGlobal('XRRigidTransform', FakeRigidTransform)
  vi.stubGlobal('XRCylinderLayer', FakeCylinderLayer)
  vi.stubGlobal('XREquirectLayer', FakeEquirectLayer)
  vi.stubGlobal('HTMLVideoElement', class FakeVideo {})
})
afterEach(() => vi.unstubAllGlobals())

describe('readMonitorLayerSupport', () => {
  it('reads the session features and the binding prototype', () => {
    class WithLayers {
      createQuadLayer() {}
    }
    const session = { enabledFeatures: ['local-floor', 'layers'] } as unknown as XRSession
    expect(readMonitorLayerSupport(session, { XRWebGLBinding: WithLayers })).toEqual({ presenting: true, sessionHasLayers: true, bindingHasQuadLayer: true })
    expect(readMonitorLayerSupport(null, {})).toEqual({ presenting: false, sessionHasLayers: false, bindingHasQuadLayer: false })
    // IWER's sessions have no enabledFeatures list with layers, and its binding does depth only.
    expect(readMonitorLayerSupport({} as XRSession, { XRWebGLBinding: class {} })).toEqual({ presenting: true, sessionHasLayers: false, bindingHasQuadLayer: false })
  })
})

describe('createMonitorLayer', () => {
  it('throws the binding’s error and registers nothing when the layer cannot be made', () => {
    const binding = {
      createQuadLayer() {
        throw new DOMException('layers feature not enabled', 'NotSupportedError')
      },
    }
    const { gl } = fakeRenderer(binding)
    const { store, entries } = fakeStore({ renderState: { layers: [] } })
    expect(() => createMonitorLayer({ gl: gl as unknown as WebGLRenderer, store, anchor: anchorAt(), texture: new Texture(), pixelWidth: 1280, pixelHeight: 720 })).toThrow('layers feature not enabled')
    expect(entries).toHaveLength(0)
  })

  it('throws when the binding makes no layer, and outside a session', () => {
    const { gl } = fakeRenderer({ createQuadLayer: () => undefined })
    const options = { gl: gl as unknown as WebGLRenderer, anchor: anchorAt(), texture: new Texture(), pixelWidth: 1280, pixelHeight: 720 }
    expect(() => createMonitorLayer({ ...options, store: fakeStore({ renderState: { layers: [] } }).store })).toThrow('no quad layer')
    expect(() => createMonitorLayer({ ...options, store: fakeStore(null).store })).toThrow('No XR session')
  })

  it('waits for the session to hold the layer, then copies new programme frames and redraws only', () => {
    const layer = fakeLayer()
    let init: Record<string, unknown> = {}
    const binding = {
      createQuadLayer(i: Record<string, unknown>) {
        init = i
        return layer
      },
      getSubImage: () => ({ colorTexture: 'layer-texture' }),
    }
    const { gl, calls } = fakeRenderer(binding)
    const session = { renderState: { layers: [] as unknown[] } }
    const { store, entries } = fakeStore(session)
    let clock = 0
    const monitor = createMonitorLayer({ gl: gl as unknown as WebGLRenderer, store, anchor: anchorAt(), texture: new Texture(), pixelWidth: 1280, pixelHeight: 720, now: () => (clock += 0.25) })
    expect(entries).toHaveLength(1)
    expect(init).toMatchObject({ viewPixelWidth: 1280, viewPixelHeight: 720, isStatic: false, layout: 'mono' })
    const frame = {} as XRFrame

    // Not in the session's layers yet: nothing drawn (getSubImage would throw).
    expect(monitor.update(frame, true)).toBe(false)
    expect(gl.renders).toBe(0)

    session.renderState.layers = [layer, 'base']
    expect(monitor.update(frame, true)).toBe(true)
    expect(calls).toEqual(['textures:layer-texture', 'target:layer', 'render:xr=false', 'target:null'])
    expect(gl.xr).toMatchObject({ enabled: true, isPresenting: true })
    expect(gl.autoClear).toBe(false)
    // Placed at the anchor, sized by its scale the way @react-three/xr's XRLayer sizes a quad.
    expect(layer.transform?.position).toMatchObject({ x: 0, y: 2.05, z: 3.2 })
    expect([layer.width, layer.height]).toEqual([1.12, 0.63])

    // Same programme frame: no copy. The compositor lost the image: one redraw.
    expect(monitor.update(frame, false)).toBe(true)
    expect(gl.renders).toBe(1)
    layer.needsRedraw = true
    monitor.update(frame, false)
    // Each copy timed by the injected clock: 0.25 ms a copy.
    expect(monitor.stats).toEqual({ draws: 2, redraws: 1, copyMsTotal: 0.5 })

    monitor.dispose()
    expect(entries).toHaveLength(0)
    expect(layer.destroyed).toBe(1)
    expect(monitor.update(frame, true)).toBe(false)
  })

  it('throws a failed copy after restoring the renderer, and does not destroy a layer its session took', () => {
    const layer = fakeLayer()
    const { gl } = fakeRenderer({ createQuadLayer: () => layer, getSubImage: () => ({ colorTexture: 't' }) })
    const session = { renderState: { layers: [layer] as unknown[] } }
    const { store, state } = fakeStore(session)
    const monitor = createMonitorLayer({ gl: gl as unknown as WebGLRenderer, store, anchor: anchorAt(), texture: new Texture(), pixelWidth: 1280, pixelHeight: 720 })
    gl.failRender = true
    expect(() => monitor.update({} as XRFrame, true)).toThrow('context lost')
    expect(gl.xr).toMatchObject({ enabled: true, isPresenting: true })
    expect(gl.target).toBeNull()
    state.session = null
    monitor.dispose()
    expect(layer.destroyed).toBe(0)
  })
})
