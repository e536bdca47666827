import { describe, expect, it } from 'vitest'
import { withOptionalFeature } from '../mascot/camera-access'
import { BODY_TRACKING_FEATURE, wantsBodyTracking } from './body-tracking'

describe('body tracking request', () => {
  class FrameWithBody {
    get body() {
      return null
    }
  }
  class PlainFrame {}

  it('asks only in immersive sessions of browsers that have XRFrame.body', () => {
    expect(wantsBodyTracking('immersive-vr', FrameWithBody.prototype)).toBe(true)
    expect(wantsBodyTracking('immersive-ar', FrameWithBody.prototype)).toBe(true)
    expect(wantsBodyTracking('inline', FrameWithBody.prototype)).toBe(false)
    expect(wantsBodyTracking('immersive-vr', PlainFrame.prototype)).toBe(false)
    expect(wantsBodyTracking('immersive-vr', undefined)).toBe(false)
    expect(wantsBodyTracking('immersive-vr', null)).toBe(false)
  })

  it('is only ever optional', () => {
    const init = withOptionalFeature({ requiredFeatures: ['local-floor'], optionalFeatures: ['hand-tracking'] }, BODY_TRACKING_FEATURE)
    expect(init.requiredFeatures).toEqual(['local-floor'])
    expect(init.optionalFeatures).toEqual(['hand-tracking', 'body-tracking'])
  })
})
