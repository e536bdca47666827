import { describe, expect, it } from 'vitest'
import { createSwitcher, type SwitcherEvent } from './switcher'

const CAMS = ['wide', 'medium', 'close-up', 'first-person', 'orbit']

describe('switcher', () => {
  it('starts on the first camera with the second in preview', () => {
    const s = createSwitcher({ cameras: CAMS })
    expect(s.programme).toBe('wide')
    expect(s.preview).toBe('medium')
    expect(s.output).toMatchObject({ from: 0, to: 0, blend: 0, brightness: 1 })
  })

  it('cuts at once', () => {
    const s = createSwitcher({ cameras: CAMS })
    const events: SwitcherEvent[] = []
    s.subscribe((e) => events.push(e))
    expect(s.cut('close-up')).toBe(true)
    expect(s.programme).toBe('close-up')
    expect(s.transition).toBeNull()
    expect(s.output).toMatchObject({ from: 2, to: 2, brightness: 1 })
    expect(events.map((e) => e.type)).toEqual(['take', 'done'])
    expect(s.cut('nope')).toBe(false)
    expect(s.programme).toBe('close-up')
  })

  it('dips through black: old camera fading out, new camera fading in, in the given time', () => {
    const s = createSwitcher({ cameras: CAMS, durationMs: 600 })
    s.take('orbit', 'dip')
    const trace: { from: number; b: number }[] = []
    for (let t = 0; t < 600; t += 50) {
      trace.push({ from: s.output.from, b: s.output.brightness })
      s.update(50)
    }
    expect(trace[0]).toEqual({ from: 0, b: 1 })
    expect(trace[5].from).toBe(0)
    expect(trace[5].b).toBeLessThan(0.1)
    expect(trace[7].from).toBe(4)
    expect(trace[7].b).toBeLessThan(0.3)
    for (let i = 1; i < 6; i++) expect(trace[i].b).toBeLessThanOrEqual(trace[i - 1].b)
    for (let i = 7; i < trace.length; i++) expect(trace[i].b).toBeGreaterThanOrEqual(trace[i - 1].b)
    expect(s.transition).toBeNull()
    expect(s.output).toMatchObject({ from: 4, to: 4, brightness: 1, blend: 0 })
  })

  it('moves the camera with eased progress', () => {
    const s = createSwitcher({ cameras: CAMS, durationMs: 400 })
    s.take('medium', 'move')
    const blends: number[] = []
    for (let i = 0; i < 8; i++) {
      s.update(50)
      blends.push(s.output.blend)
    }
    expect(s.output).toMatchObject({ from: 1, to: 1, blend: 0 })
    expect(blends[0]).toBeGreaterThan(0)
    expect(blends[0]).toBeLessThan(0.125) // eased: slower than linear at the start
    expect(blends[3]).toBeCloseTo(0.5)
    for (let i = 1; i < 7; i++) expect(blends[i]).toBeGreaterThan(blends[i - 1])
  })

  it('a take during a transition lands the running one first', () => {
    const s = createSwitcher({ cameras: CAMS, durationMs: 600 })
    s.take('close-up', 'move')
    s.update(100)
    s.take('orbit', 'move')
    expect(s.output.from).toBe(2)
    expect(s.transition).toMatchObject({ from: 'close-up', to: 'orbit', progress: 0 })
    expect(s.takes).toBe(2)
  })

  it('AUTO swaps preview and programme', () => {
    const s = createSwitcher({ cameras: CAMS, programme: 'medium', preview: 'close-up' })
    s.auto('cut')
    expect(s.programme).toBe('close-up')
    expect(s.preview).toBe('medium')
  })

  it('refuses an empty or duplicated camera list', () => {
    expect(() => createSwitcher({ cameras: [] })).toThrow(RangeError)
    expect(() => createSwitcher({ cameras: ['a', 'a'] })).toThrow(RangeError)
  })
})
