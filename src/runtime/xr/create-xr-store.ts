import { buildXRSessionInit } from '@pmndrs/xr/internals'
import { createXRStore } from '@react-three/xr'
import { BODY_TRACKING_FEATURE, wantsBodyTracking } from '../../core/input/body-tracking'
import { sessionInitForMode, withOptionalFeature } from '../../core/mascot/camera-access'

/**
 * Pointer options for every XR pointer (controller and hand rays, grabs, touches, screen taps).
 * A click is a press and a release on the same object, however long the press took, as in the
 * DOM. pointer-events' default (300 ms) compares the wall-clock stamps of the select events, and
 * those arrive at frame boundaries: at a few fps (a loaded machine, a heavy scene) two frames
 * already exceed it, and a deliberate press on a real headset does too, so real clicks on in-world
 * buttons were lost. Dragging off the object before releasing still cancels the click.
 */
export const XR_POINTER_OPTIONS = { clickThresholdMs: Number.POSITIVE_INFINITY } as const

type XRStoreOptions = NonNullable<Parameters<typeof createXRStore>[0]>

/**
 * The hand and controller implementations the store mounts. They are React components, so the scene
 * builds them (scene/xr/input-visuals.tsx: the default models and pointers, in groups the broadcast
 * cameras leave out) and the shell hands them over.
 */
export interface XRInputVisuals {
  hand: XRStoreOptions['hand']
  controller: XRStoreOptions['controller']
}

/**
 * The one XR store of the app. Emulation is Lingjing's own (see setup-xr.ts), so the store's
 * built-in `emulate` is off; controller and hand models are served by this app (no CDN), so a
 * Quest on a LAN without internet still sees them.
 */
export function createLingjingXRStore(visuals: XRInputVisuals) {
  const options: XRStoreOptions = {
    emulate: false,
    baseAssetPath: new URL('/input-profiles/', window.location.href).href,
    // The frame-budget loop picks the refresh rate itself (core/frame/refresh-rate-controller.ts, run by scene/frame/frame-driver.tsx).
    frameRate: false,
    offerSession: false,
    hand: visuals.hand,
    controller: visuals.controller,
    transientPointer: XR_POINTER_OPTIONS,
    gaze: XR_POINTER_OPTIONS,
    screenInput: XR_POINTER_OPTIONS,
    hitTest: true,
    anchors: true,
    planeDetection: true,
    handTracking: true,
    // WebXR Layers, optional: where granted the programme monitor is a quad layer
    // (scene/broadcast/programme-monitor.tsx); nowhere is it required.
    layers: true,
  }
  const store = createXRStore(options)
  // AR sessions also ask for raw camera access (photos with the real world), and immersive ones
  // for body tracking where the browser has it. The store's own
  // `customSessionInit` would replace its whole init (dom-overlay, hit-test, anchors...), so the
  // store's init for the mode is built first, camera-access added, and handed over for this one
  // request: the store reads it synchronously inside enterXR, before its first await.
  const enterXR = store.enterXR
  store.enterXR = (mode) => {
    const init = buildXRSessionInit(mode, store.getState().domOverlayRoot, { ...options, customSessionInit: undefined })
    const withCamera = sessionInitForMode(init, mode)
    // Body tracking (Quest Browser) drives the host's hips, spine and legs; optional, and asked
    // for only where XRFrame has `body` (the replay's emulated body source adds it too).
    const frameProto = typeof XRFrame === 'undefined' ? undefined : (XRFrame.prototype as object)
    options.customSessionInit = wantsBodyTracking(mode, frameProto) ? withOptionalFeature(withCamera, BODY_TRACKING_FEATURE) : withCamera
    try {
      return enterXR(mode)
    } finally {
      options.customSessionInit = undefined
    }
  }
  return store
}

/** The store type, for components that receive it. */
export type LingjingXRStore = ReturnType<typeof createLingjingXRStore>
