import { describe, expect, it } from 'vitest'
import { createMonitorStatus, decideMonitorPath, failMonitorPath, hasQuadLayerBinding, monitorFallbackWarning, INITIAL_MONITOR_PATH, MONITOR_FALLBACK_STRINGS } from './monitor-path'

describe('decideMonitorPath', () => {
  it('takes the XR layer when the browser has quad layers and the session granted them', () => {
    expect(decideMonitorPath({ presenting: true, sessionHasLayers: true, bindingHasQuadLayer: true })).toEqual({ path: 'xr-layer', reason: 'layers-supported', error: null })
  })

  it('keeps the texture where the browser has no quad layers, in or out of a session', () => {
    for (const presenting of [true, false]) {
      expect(decideMonitorPath({ presenting, sessionHasLayers: true, bindingHasQuadLayer: false })).toEqual({ path: 'texture', reason: 'layers-unsupported', error: null })
    }
  })

  it('keeps the texture when the session did not grant the optional layers feature', () => {
    expect(decideMonitorPath({ presenting: true, sessionHasLayers: false, bindingHasQuadLayer: true })).toEqual({ path: 'texture', reason: 'layers-unsupported', error: null })
  })

  it('keeps the texture outside a session on a browser that has layers', () => {
    expect(decideMonitorPath({ presenting: false, sessionHasLayers: false, bindingHasQuadLayer: true })).toEqual({ path: 'texture', reason: 'not-presenting', error: null })
  })

  it('starts on the texture', () => {
    expect(INITIAL_MONITOR_PATH).toEqual({ path: 'texture', reason: 'not-presenting', error: null })
  })
})

describe('failMonitorPath', () => {
  it('falls back to the texture with the reason and the message when creation throws', () => {
    expect(failMonitorPath('creation', new DOMException('layers not enabled', 'NotSupportedError'))).toEqual({ path: 'texture', reason: 'layer-creation-failed', error: 'layers not enabled' })
  })

  it('reads the message of anything shaped like an error', () => {
    expect(failMonitorPath('creation', { name: 'OperationError', message: 'from another realm' }).error).toBe('from another realm')
    expect(failMonitorPath('runtime', 42).error).toBe('42')
  })

  it('names a creation that returned no layer', () => {
    expect(failMonitorPath('creation', null)).toEqual({ path: 'texture', reason: 'layer-creation-failed', error: 'no layer' })
  })

  it('falls back on a runtime failure and on the session ending', () => {
    expect(failMonitorPath('runtime', new Error('getSubImage: invalid layer'))).toMatchObject({ path: 'texture', reason: 'layer-failed', error: 'getSubImage: invalid layer' })
    expect(failMonitorPath('session-ended', 'ended')).toMatchObject({ path: 'texture', reason: 'session-ended', error: 'ended' })
  })

  it('gives a bilingual warning for each fallback and none for a plain decision', () => {
    const warning = monitorFallbackWarning(failMonitorPath('creation', new Error('boom')))
    expect(warning).toContain(MONITOR_FALLBACK_STRINGS['layer-creation-failed'].zh)
    expect(warning).toContain(MONITOR_FALLBACK_STRINGS['layer-creation-failed'].en)
    expect(warning).toMatch(/: boom$/)
    expect(monitorFallbackWarning(decideMonitorPath({ presenting: true, sessionHasLayers: false, bindingHasQuadLayer: false }))).toBeNull()
    for (const s of Object.values(MONITOR_FALLBACK_STRINGS)) {
      expect(s.zh).toMatch(/[\u4e00-\u9fff]/)
      expect(s.en).toMatch(/^[\x20-\x7e’]+$/)
    }
  })
})

describe('hasQuadLayerBinding', () => {
  it('needs a constructor whose prototype has createQuadLayer', () => {
    class WithLayers {
      createQuadLayer() {
        return {}
      }
    }
    class DepthOnly {
      getDepthInformation() {
        return null
      }
    }
    expect(hasQuadLayerBinding(WithLayers)).toBe(true)
    expect(hasQuadLayerBinding(DepthOnly)).toBe(false)
    expect(hasQuadLayerBinding(undefined)).toBe(false)
    expect(hasQuadLayerBinding({ prototype: { createQuadLayer() {} } })).toBe(false)
  })
})

describe('createMonitorStatus', () => {
  it('starts on the texture with no layer draws, each status its own decision', () => {
    const a = createMonitorStatus()
    const b = createMonitorStatus()
    expect(a).toEqual({ decision: { path: 'texture', reason: 'not-presenting', error: null }, screen: 'texture', screenDraws: 0, layerDraws: 0, layerCopyMs: 0, layerRedraws: 0 })
    a.decision.reason = 'layers-unsupported'
    expect(b.decision.reason).toBe('not-presenting')
  })
})
