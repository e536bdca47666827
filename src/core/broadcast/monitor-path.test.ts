import { describe, expect, it } from 'vitest'
import { createMonitorDriver, createMonitorStatus, decideMonitorPath, failMonitorPath, hasQuadLayerBinding, monitorFallbackWarning, INITIAL_MONITOR_PATH, MONITOR_FALLBACK_STRINGS } from './monitor-path'

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

describe('createMonitorDriver', () => {
  const WITH_LAYERS = { presenting: true, sessionHasLayers: true, bindingHasQuadLayer: true }

  function setup() {
    const status = createMonitorStatus()
    const log: string[] = []
    const deferred: (() => void)[] = []
    const driver = createMonitorDriver(status, {
      showTexture: () => log.push('texture'),
      showHole: () => log.push('hole'),
      warn: (m) => log.push(`warn:${m}`),
      defer: (task) => deferred.push(task),
    })
    return { status, log, deferred, driver }
  }

  /** A layer the session takes after `readyAfter` frames; copies when asked, or throws when told. */
  function fakeLayer(readyAfter = 1) {
    const stats = { draws: 0, redraws: 0, copyMsTotal: 0 }
    const layer = {
      stats,
      frames: 0,
      fail: null as Error | null,
      disposed: 0,
      update(_frame: unknown, changed: boolean) {
        if (layer.fail) throw layer.fail
        if (++layer.frames <= readyAfter) return false
        if (changed) {
          stats.draws++
          stats.copyMsTotal += 0.5
        }
        return true
      },
      dispose() {
        layer.disposed++
      },
    }
    return layer
  }

  it('keeps the texture without layers and makes no layer', () => {
    const { status, log, driver } = setup()
    expect(driver.decide({ presenting: true, sessionHasLayers: false, bindingHasQuadLayer: false })).toMatchObject({ path: 'texture', reason: 'layers-unsupported' })
    expect(driver.attach(() => fakeLayer())).toBe(false)
    driver.frame({}, 1)
    expect(status).toMatchObject({ decision: { path: 'texture', reason: 'layers-unsupported' }, screen: 'texture', layerDraws: 0 })
    expect(log).toEqual([])
  })

  it('falls back to the texture with a warning when the layer cannot be made', () => {
    const { status, log, driver } = setup()
    driver.decide(WITH_LAYERS)
    expect(
      driver.attach(() => {
        throw new Error('createQuadLayer: not allowed')
      }),
    ).toBe(false)
    expect(status.decision).toEqual({ path: 'texture', reason: 'layer-creation-failed', error: 'createQuadLayer: not allowed' })
    expect(log[0]).toMatch(/^warn:.*shows the texture instead: createQuadLayer: not allowed$/)
    expect(log[1]).toBe('texture')
    expect(driver.attached).toBe(false)
  })

  it('shows the hole only once the layer holds a picture, and copies only new programme frames', () => {
    const { status, log, driver } = setup()
    driver.decide(WITH_LAYERS)
    const layer = fakeLayer(1)
    expect(driver.attach(() => layer)).toBe(true)
    // Frame 1: the session does not hold the layer yet: the texture stays.
    driver.frame({}, 5)
    expect([status.screen, log]).toEqual(['texture', []])
    // Frame 2: programme frame 5 still counts as new (it was not copied): copied, then the hole.
    driver.frame({}, 5)
    expect([status.screen, log, status.layerDraws]).toEqual(['layer-hole', ['hole'], 1])
    driver.frame({}, 5)
    driver.frame({}, 6)
    expect(status).toMatchObject({ decision: { path: 'xr-layer', reason: 'layers-supported' }, layerDraws: 2, layerCopyMs: 1 })
    expect(log).toEqual(['hole'])
    expect(driver.frame(null, 7)).toBeUndefined()
    expect(status.layerDraws).toBe(2)
  })

  it('puts the texture back at once when a copy throws, and lets the layer go outside the frame', () => {
    const { status, log, deferred, driver } = setup()
    driver.decide(WITH_LAYERS)
    const layer = fakeLayer(0)
    driver.attach(() => layer)
    driver.frame({}, 1)
    layer.fail = new Error('getSubImage: layer not in session')
    driver.frame({}, 2)
    expect(status).toMatchObject({ decision: { path: 'texture', reason: 'layer-failed', error: 'getSubImage: layer not in session' }, screen: 'texture' })
    expect(log.slice(1)).toEqual(['texture', expect.stringMatching(/^warn:.*XR layer failed.*getSubImage/)])
    expect(layer.disposed).toBe(0)
    deferred.forEach((task) => task())
    expect(layer.disposed).toBe(1)
    expect(driver.attached).toBe(false)
  })

  it('warns when the session ends under the layer, not when the monitor simply unmounts', () => {
    const ended = setup()
    ended.driver.decide(WITH_LAYERS)
    const a = fakeLayer(0)
    ended.driver.attach(() => a)
    ended.driver.frame({}, 1)
    ended.driver.detach(true)
    expect(ended.status).toMatchObject({ decision: { path: 'texture', reason: 'session-ended' }, screen: 'texture' })
    expect(ended.log.at(-1)).toMatch(/^warn:.*session ended/)
    expect(a.disposed).toBe(1)

    const unmounted = setup()
    unmounted.driver.decide(WITH_LAYERS)
    const b = fakeLayer(0)
    unmounted.driver.attach(() => b)
    unmounted.driver.detach(false)
    expect(unmounted.log).toEqual(['texture'])
    expect(b.disposed).toBe(1)
    unmounted.driver.detach(true)
    expect(b.disposed).toBe(1)
  })
})
