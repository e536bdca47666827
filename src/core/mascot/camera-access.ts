/**
 * WebXR Raw Camera Access (`camera-access`, Chrome Android 107+) for Xiaoguan's AR photos: in
 * WebXR AR the browser composites the camera image itself and it is not in the canvas, so a photo
 * with the real world behind Xiaoguan needs this feature (the camera image as a WebGL texture, per
 * view, inside the frame callback) or the non-WebXR fallback (getUserMedia under a transparent
 * canvas). These are the plain decisions; the WebGL copy is in experiences/mascot/photo.ts.
 */

/** The parts of an XRSessionInit this module touches. */
export interface SessionInitLike {
  requiredFeatures?: string[]
  optionalFeatures?: string[]
}

/** The WebXR feature name of raw camera access. */
export const CAMERA_ACCESS_FEATURE = 'camera-access'

/**
 * A copy of `init` that also asks for `feature` as optional (never required: a device without it
 * must still start the session). Unchanged if the feature is already asked for either way.
 */
export function withOptionalFeature<T extends SessionInitLike>(init: T, feature: string): T {
  const required = init.requiredFeatures ?? []
  const optional = init.optionalFeatures ?? []
  if (required.includes(feature) || optional.includes(feature)) return init
  return { ...init, optionalFeatures: [...optional, feature] }
}

/** The session init for a mode: AR sessions also ask for raw camera access (for photos). */
export function sessionInitForMode<T extends SessionInitLike>(init: T, mode: string): T {
  return mode === 'immersive-ar' ? withOptionalFeature(init, CAMERA_ACCESS_FEATURE) : init
}

/**
 * Whether a session granted raw camera access: from `XRSession.enabledFeatures` where the browser
 * has it ('granted' / 'not-granted'), else 'unknown' (then the first frame's `view.camera` decides).
 */
export function cameraAccessStatus(enabledFeatures: readonly string[] | undefined | null): 'granted' | 'not-granted' | 'unknown' {
  if (!enabledFeatures) return 'unknown'
  return enabledFeatures.includes(CAMERA_ACCESS_FEATURE) ? 'granted' : 'not-granted'
}

/** Where a photo's background comes from, best first. */
export type PhotoBackdropKind = 'xr-camera' | 'synthetic-room' | 'rear-camera' | 'none'

/**
 * Picks the photo's background. In AR: the real camera image when the session granted camera
 * access and this frame's view has a camera, else the emulator's synthetic room (standing in for
 * the camera on the desktop), else none (Xiaoguan over a gradient). Outside XR: the rear camera
 * video of the fallback mode when it is playing, else none.
 */
export function choosePhotoBackdrop(input: { ar: boolean; viewCamera: boolean; syntheticRoom: boolean; rearCamera: boolean }): PhotoBackdropKind {
  if (input.ar) {
    if (input.viewCamera) return 'xr-camera'
    if (input.syntheticRoom) return 'synthetic-room'
    return 'none'
  }
  return input.rearCamera ? 'rear-camera' : 'none'
}
