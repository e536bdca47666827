import { describe, expect, it } from 'vitest'
import { createDiagnostics } from './diagnostics'

describe('diagnostics', () => {
  it('has the stable shape even with no sections', () => {
    const snap = createDiagnostics().snapshot()
    expect(snap).toEqual({
      experience: 'hub',
      xr: { presenting: false, mode: null, frameRate: null },
      frame: { frames: 0 },
      errors: [],
    })
  })
  it('collects sections, isolates a failing one and bounds errors', () => {
    const diag = createDiagnostics(2)
    const remove = diag.setSection('experience', () => 'tianhe')
    diag.setSection('broken', () => {
      throw new Error('nope')
    })
    diag.reportError('a')
    diag.reportError('b')
    diag.reportError('c')
    const snap = diag.snapshot()
    expect(snap.experience).toBe('tianhe')
    expect(snap.broken).toEqual({ error: 'nope' })
    expect(snap.errors).toEqual(['b', 'c'])
    remove()
    expect(diag.snapshot().experience).toBe('hub')
  })
  it('types a declared section: its setter must return the shape, and the snapshot reads it without a cast', () => {
    const diag = createDiagnostics()
    diag.setSection('xr', () => ({ presenting: true, mode: 'immersive-vr' as const, frameRate: 72 }))
    // @ts-expect-error a declared section of the wrong shape does not compile
    diag.setSection('experience', () => 42)
    const snap = diag.snapshot()
    const rate: number | null = snap.xr.frameRate
    expect(rate).toBe(72)
    expect(snap.experience).toBe(42)
  })
})
