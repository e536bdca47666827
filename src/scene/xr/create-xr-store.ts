import { createXRStore } from '@react-three/xr'

/**
 * The one XR store of the app. Emulation is Lingjing's own (see setup-xr.ts), so the store's
 * built-in `emulate` is off; controller and hand models are served by this app (no CDN), so a
 * Quest on a LAN without internet still sees them.
 */
export function createLingjingXRStore() {
  return createXRStore({
    emulate: false,
    baseAssetPath: new URL('/input-profiles/', window.location.href).href,
    // The frame-budget loop picks the refresh rate itself (see frame-rate.ts).
    frameRate: false,
    offerSession: false,
    hand: { teleportPointer: false },
    controller: { teleportPointer: false },
    hitTest: true,
    anchors: true,
    planeDetection: true,
    handTracking: true,
  })
}

/** The store type, for components that receive it. */
export type LingjingXRStore = ReturnType<typeof createLingjingXRStore>
