/**
 * Whether to ask a session for WebXR Body Tracking (`XRFrame.body`, Quest Browser). The feature
 * is only ever *optional*: a device without it still starts the session, and without a body the
 * avatar keeps its procedural legs. It is asked for only where the browser has the API at all,
 * so other browsers see exactly the session request they saw before.
 */

/** The WebXR feature descriptor of body tracking. */
export const BODY_TRACKING_FEATURE = 'body-tracking'

/**
 * True when a session in `mode` should ask for body tracking: an immersive session in a browser
 * whose `XRFrame` has a `body` attribute (`frameProto` = `XRFrame.prototype`, or null/undefined
 * where WebXR is missing).
 */
export function wantsBodyTracking(mode: string, frameProto: object | null | undefined): boolean {
  if (mode !== 'immersive-vr' && mode !== 'immersive-ar') return false
  return frameProto !== null && frameProto !== undefined && 'body' in frameProto
}
