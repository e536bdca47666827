import { describe, expect, it } from 'vitest'
import { CAMERA_ACCESS_FEATURE, cameraAccessStatus, choosePhotoBackdrop, sessionInitForMode, withOptionalFeature } from './camera-access'

describe('camera-access for AR photos', () => {
  const init = { requiredFeatures: ['local-floor'], optionalFeatures: ['anchors', 'dom-overlay', 'hit-test'], domOverlay: { root: 'overlay' } }

  it('asks for camera-access as an optional AR feature and keeps everything else', () => {
    const ar = sessionInitForMode(init, 'immersive-ar')
    expect(ar.optionalFeatures).toEqual(['anchors', 'dom-overlay', 'hit-test', CAMERA_ACCESS_FEATURE])
    expect(ar.requiredFeatures).toEqual(['local-floor'])
    expect(ar.domOverlay).toEqual({ root: 'overlay' })
    // The caller's init is not changed.
    expect(init.optionalFeatures).not.toContain(CAMERA_ACCESS_FEATURE)
  })

  it('leaves VR sessions and inits that already ask for it alone', () => {
    expect(sessionInitForMode(init, 'immersive-vr')).toBe(init)
    const required = { requiredFeatures: [CAMERA_ACCESS_FEATURE] }
    expect(withOptionalFeature(required, CAMERA_ACCESS_FEATURE)).toBe(required)
    expect(withOptionalFeature({}, 'x')).toEqual({ optionalFeatures: ['x'] })
  })

  it('reads the grant from enabledFeatures, unknown where the browser does not list them', () => {
    expect(cameraAccessStatus(['local-floor', 'camera-access'])).toBe('granted')
    expect(cameraAccessStatus(['local-floor', 'hit-test'])).toBe('not-granted')
    expect(cameraAccessStatus(undefined)).toBe('unknown')
  })

  it('puts the real camera image behind Xiaoguan when there is one, else the best stand-in', () => {
    expect(choosePhotoBackdrop({ ar: true, viewCamera: true, syntheticRoom: true, rearCamera: false })).toBe('xr-camera')
    expect(choosePhotoBackdrop({ ar: true, viewCamera: false, syntheticRoom: true, rearCamera: false })).toBe('synthetic-room')
    expect(choosePhotoBackdrop({ ar: true, viewCamera: false, syntheticRoom: false, rearCamera: true })).toBe('none')
    expect(choosePhotoBackdrop({ ar: false, viewCamera: false, syntheticRoom: false, rearCamera: true })).toBe('rear-camera')
    expect(choosePhotoBackdrop({ ar: false, viewCamera: false, syntheticRoom: true, rearCamera: false })).toBe('none')
  })
})
