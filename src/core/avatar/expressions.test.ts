import { describe, expect, it } from 'vitest'
import { EXPRESSION_PRESETS, createExpressionBlender } from './expressions'
import { createVisemeWeights } from './visemes'

const DT = 1 / 100

describe('expression blender', () => {
  it('starts neutral and eases to a preset over 200 ms', () => {
    const e = createExpressionBlender()
    expect(e.update(DT).neutral).toBe(1)
    e.setTarget('happy')
    let last = 0
    for (let i = 1; i <= 20; i++) {
      const w = e.update(DT)
      expect(w.happy).toBeGreaterThanOrEqual(last)
      last = w.happy
      if (i === 10) {
        expect(w.happy).toBeCloseTo(0.5, 2)
        expect(w.neutral).toBeCloseTo(0.5, 2)
      }
      if (i === 2) expect(w.happy).toBeLessThan(0.15) // eased start
    }
    expect(e.weights.happy).toBeCloseTo(1, 9)
    expect(e.weights.neutral).toBeCloseTo(0, 9)
    for (const p of EXPRESSION_PRESETS) if (p !== 'happy') expect(e.weights[p]).toBeCloseTo(0, 9)
  })

  it('cross-fades from the current mix without jumps when retargeted mid-blend', () => {
    const e = createExpressionBlender()
    e.setTarget('angry')
    for (let i = 0; i < 8; i++) e.update(DT)
    const before = { ...e.weights }
    e.setTarget('sad', 0.6)
    const after = e.update(DT)
    expect(Math.abs(after.angry - before.angry)).toBeLessThan(0.05)
    expect(Math.abs(after.neutral - before.neutral)).toBeLessThan(0.05)
    for (let i = 0; i < 25; i++) e.update(DT)
    expect(e.weights.sad).toBeCloseTo(0.6, 9)
    expect(e.weights.angry).toBeCloseTo(0, 9)
    expect(e.target).toEqual({ preset: 'sad', intensity: 0.6 })
  })

  it('passes visemes and blink through unscaled: the model\'s override rules apply in the VRM expression manager', () => {
    const e = createExpressionBlender()
    const v = createVisemeWeights()
    v.aa = 0.8
    v.oh = 0.4
    e.setTarget('happy')
    for (let i = 0; i < 30; i++) e.update(DT, v, 0.7)
    expect(e.weights.happy).toBeCloseTo(1, 9)
    expect(e.weights.aa).toBeCloseTo(0.8, 9)
    expect(e.weights.oh).toBeCloseTo(0.4, 9)
    expect(e.weights.blink).toBeCloseTo(0.7, 9)
    // No table of its own: nothing pauses the blinker unless the model says an expression holds the eyes.
    e.setTarget('surprised')
    for (let i = 0; i < 30; i++) e.update(DT, v, 1)
    expect(e.blinkSuppressed()).toBe(false)
    expect(e.weights.blink).toBe(1)
  })

  it('pauses blinking while an expression the model lets block the blink shows', () => {
    const e = createExpressionBlender({ eyesHeldBy: ['surprised', 'no-such-expression'] })
    expect(e.update(DT, null, 1).blink).toBe(1)
    e.setTarget('surprised')
    for (let i = 0; i < 30; i++) e.update(DT, null, 1)
    expect(e.blinkSuppressed()).toBe(true)
    e.setTarget('happy')
    for (let i = 0; i < 30; i++) e.update(DT, null, 1)
    expect(e.blinkSuppressed()).toBe(false)
  })

  it('snaps straight to the target and keeps one output object', () => {
    const e = createExpressionBlender()
    const out = e.weights
    e.setTarget('angry')
    e.snap()
    expect(e.update(0)).toBe(out)
    expect(out.angry).toBe(1)
  })
})

describe('expression blender over a model\'s own list', () => {
  it('blends custom expressions like presets, adds neutral, ignores names the model lacks', () => {
    const e = createExpressionBlender({}, ['happy', 'wink', '惊呆'])
    expect(e.names).toEqual(['happy', 'wink', '惊呆', 'neutral'])
    expect(e.weights.neutral).toBe(1)
    expect(e.weights.wink).toBe(0)
    e.setTarget('wink', 0.8)
    for (let i = 0; i < 30; i++) e.update(DT)
    expect(e.weights.wink).toBeCloseTo(0.8, 9)
    expect(e.weights.neutral).toBeCloseTo(0, 9)
    e.setTarget('sad') // not this model's
    expect(e.target).toEqual({ preset: 'wink', intensity: 0.8 })
    e.setTarget('惊呆')
    for (let i = 0; i < 30; i++) e.update(DT)
    expect(e.weights['惊呆']).toBeCloseTo(1, 9)
    expect(e.weights.wink).toBeCloseTo(0, 9)
  })
})
