import { BoxGeometry, Color, DirectionalLight, Group, Mesh, MeshBasicMaterial, MeshLambertMaterial, MeshStandardMaterial, PointLight, SpotLight } from 'three'
import { describe, expect, it } from 'vitest'
import { CANVAS_PROBE_FRACTION, PIXEL_RATIO_FRACTIONS, VIEWPORT_SCALES, canvasSizeAt, liveResolutionLever, pixelRatioAt, stepCanvasProbe, viewportScaleHonoured } from './lever-tables'
import type { CanvasProbe } from './lever-tables'
import { applyLightCount, createLightCount, lightsOnAt } from './light-count'
import { applyMaterialDetail, classifyMaterialDetail, createMaterialDetail, createSimpleTwin, disposeMaterialDetail, twinMaterials } from './material-detail'

describe('lever tables', () => {
  it('every level of the scale levers draws strictly fewer pixels than the one above, full quality last', () => {
    for (const table of [VIEWPORT_SCALES, PIXEL_RATIO_FRACTIONS]) {
      expect(table[table.length - 1]).toBe(1)
      for (let i = 1; i < table.length; i++) expect(table[i]).toBeGreaterThan(table[i - 1])
      expect(table[0]).toBeGreaterThan(0)
    }
  })

  it('caps the pixel ratio at the canvas limit of 2 and clamps levels', () => {
    expect(pixelRatioAt(3, 1)).toBe(1)
    expect(pixelRatioAt(0, 1)).toBe(0.5)
    expect(pixelRatioAt(3, 3)).toBe(2)
    expect(pixelRatioAt(0, 3)).toBe(1)
    expect(pixelRatioAt(99, 1.5)).toBe(1.5)
    expect(pixelRatioAt(-1, 1)).toBe(0.5)
    // A browser that reports no ratio is treated as 1.
    expect(pixelRatioAt(3, 0)).toBe(1)
  })

  it('judges a viewport-scale request honoured only when the width really shrank by about the factor', () => {
    expect(viewportScaleHonoured(640, 320, 0.5)).toBe(true)
    expect(viewportScaleHonoured(640, 328, 0.5)).toBe(true) // rounded by the browser
    expect(viewportScaleHonoured(640, 640, 0.5)).toBe(false) // IWER 2.5: ignored
    expect(viewportScaleHonoured(640, 600, 0.5)).toBe(false)
    expect(viewportScaleHonoured(0, 0, 0.5)).toBe(false)
    expect(viewportScaleHonoured(640, 640, 1)).toBe(false)
  })

  it('sizes the page canvas per level: even widths (two equal eyes), full size exactly at 1, never under 16 px', () => {
    const out = { width: 0, height: 0 }
    expect(canvasSizeAt(1280, 720, 1, out)).toEqual({ width: 1280, height: 720 })
    expect(canvasSizeAt(1280, 720, 0.5, out)).toEqual({ width: 640, height: 360 })
    expect(canvasSizeAt(1281, 721, 1, out)).toEqual({ width: 1281, height: 721 })
    const odd = canvasSizeAt(1282, 720, 0.65, out)
    expect(odd.width % 2).toBe(0)
    expect(Math.abs(odd.width - 1282 * 0.65)).toBeLessThanOrEqual(1)
    expect(canvasSizeAt(20, 10, 0.1, out)).toEqual({ width: 16, height: 16 })
    // Nonsense fractions mean full size.
    expect(canvasSizeAt(640, 360, 0, out)).toEqual({ width: 640, height: 360 })
    expect(canvasSizeAt(640, 360, Number.NaN, out)).toEqual({ width: 640, height: 360 })
    // The same object comes back: no allocation per call.
    expect(canvasSizeAt(640, 360, 0.8, out)).toBe(out)
    // Every level of the pixel-ratio table draws fewer pixels than the one above.
    let last = Infinity
    for (let i = PIXEL_RATIO_FRACTIONS.length - 1; i >= 0; i--) {
      const { width, height } = canvasSizeAt(1280, 720, PIXEL_RATIO_FRACTIONS[i], out)
      expect(width * height).toBeLessThan(last)
      last = width * height
    }
  })

  /** Runs the canvas probe against a fake layer whose eye width is `eye(canvasFraction)`. */
  function runProbe(eye: (fraction: number) => number) {
    const probe: CanvasProbe = { frames: 0, eyeFullWidth: 0, probeWidth: 0, honoured: null }
    let fraction = 1
    const asked: number[] = []
    for (let frame = 0; frame < 10; frame++) {
      // The layer reads the canvas before the frame renders; the probe steps after it.
      const next = stepCanvasProbe(probe, eye(fraction))
      if (next > 0) {
        fraction = next
        asked.push(next)
      }
    }
    return { probe, asked, fraction }
  }

  it('the canvas probe: one frame at half size, then back to full, honoured only if the eye viewport followed', () => {
    // The emulator: each eye is half the canvas, the canvas 1280 px wide at full size.
    const follows = runProbe((f) => Math.round((1280 * f) / 2))
    expect(follows.asked).toEqual([CANVAS_PROBE_FRACTION, 1])
    expect(follows.fraction).toBe(1)
    expect(follows.probe).toMatchObject({ honoured: true, eyeFullWidth: 640, probeWidth: 320 })
    // A headset's own framebuffer: the eye keeps its width whatever the canvas does.
    const opaque = runProbe(() => 1832)
    expect(opaque.asked).toEqual([CANVAS_PROBE_FRACTION, 1])
    expect(opaque.probe).toMatchObject({ honoured: false, eyeFullWidth: 1832, probeWidth: 1832 })
    // Decided once: later steps ask for nothing.
    expect(stepCanvasProbe(follows.probe, 1)).toBe(-1)
    expect(follows.probe.frames).toBe(3)
  })

  it('names the live resolution lever from what the probes measured', () => {
    expect(liveResolutionLever(false, null, null)).toEqual({ lever: 'pixel-ratio', why: 'flat-screen' })
    expect(liveResolutionLever(true, null, null)).toEqual({ lever: null, why: 'measuring' })
    expect(liveResolutionLever(true, false, null)).toEqual({ lever: null, why: 'measuring' })
    // A headset that honours requestViewportScale uses it: nothing is reallocated.
    expect(liveResolutionLever(true, true, true)).toEqual({ lever: 'viewport-scale', why: 'viewport-scale-honoured' })
    expect(liveResolutionLever(true, true, null)).toEqual({ lever: 'viewport-scale', why: 'viewport-scale-honoured' })
    // The emulator: the eye viewport follows the page canvas.
    expect(liveResolutionLever(true, false, true)).toEqual({ lever: 'pixel-ratio', why: 'canvas-resize-shrinks-eye-viewport' })
    // An opaque framebuffer (headset) that ignores the viewport scale: no resolution lever.
    expect(liveResolutionLever(true, false, false)).toEqual({ lever: null, why: 'neither-honoured' })
  })
})

describe('material detail', () => {
  function scene() {
    const root = new Group()
    const metal = new MeshStandardMaterial({ color: '#808080', metalness: 1, roughness: 0.3 })
    const matte = new MeshStandardMaterial({ color: '#ff0000', metalness: 0, transparent: true, opacity: 0.5 })
    const big = new Mesh(new BoxGeometry(4, 4, 4), matte)
    const small = new Mesh(new BoxGeometry(0.1, 0.1, 0.1), metal)
    small.position.set(0, 0, -3)
    const twin = new Mesh(new BoxGeometry(0.1, 0.1, 0.1), metal) // shares the metal material
    twin.position.set(0, 0, -3.2)
    const basic = new Mesh(new BoxGeometry(1, 1, 1), new MeshBasicMaterial())
    root.add(big, small, twin, basic)
    return { root, metal, matte, big, small, twin, basic }
  }

  it('builds one Lambert twin per standard material, keeping colour, transparency and dimming metals', () => {
    const matte = new MeshStandardMaterial({ color: '#ff0000', metalness: 0, transparent: true, opacity: 0.5 })
    const t = createSimpleTwin(matte)
    expect(t).toBeInstanceOf(MeshLambertMaterial)
    expect(t.color.equals(matte.color)).toBe(true)
    expect([t.transparent, t.opacity]).toEqual([true, 0.5])
    const metal = createSimpleTwin(new MeshStandardMaterial({ color: new Color(1, 1, 1), metalness: 1 }))
    expect(metal.color.r).toBeCloseTo(0.25)

    const s = scene()
    const detail = createMaterialDetail(s.root)
    expect(detail.entries.length).toBe(3) // the basic mesh is left alone
    expect(twinMaterials(detail).length).toBe(2) // small and twin share one
  })

  it('level 0 swaps every mesh, level 1 only the small or far ones, level 2 none; dispose restores', () => {
    const s = scene()
    const detail = createMaterialDetail(s.root)
    applyMaterialDetail(detail, 0)
    expect(detail.simplified).toBe(3)
    expect(s.big.material).toBeInstanceOf(MeshLambertMaterial)
    classifyMaterialDetail(detail, 0, 0, 5)
    applyMaterialDetail(detail, 1)
    // From 5 m the 4 m box is large on screen; the 10 cm boxes 8 m away are not.
    expect(s.big.material).toBe(s.matte)
    expect(s.small.material).toBeInstanceOf(MeshLambertMaterial)
    expect(detail.simplified).toBe(2)
    applyMaterialDetail(detail, 2)
    expect([s.big.material, s.small.material, s.twin.material]).toEqual([s.matte, s.metal, s.metal])
    applyMaterialDetail(detail, 0)
    disposeMaterialDetail(detail)
    expect(s.small.material).toBe(s.metal)
  })
})

describe('light count', () => {
  it('switches lights off from the top level down and brightens the ones that stay', () => {
    const sun = new DirectionalLight('#fff', 1.4)
    const key = new SpotLight()
    const rim = new SpotLight()
    const onAir = new PointLight()
    const count = createLightCount([
      { light: sun, keepFrom: 0, intensityByLevel: [3, 2, 1.4] },
      { light: key, keepFrom: 1 },
      { light: rim, keepFrom: 2 },
      { light: onAir, keepFrom: 2 },
    ])
    expect(count.maxLevel).toBe(2)
    expect([lightsOnAt(count, 2), lightsOnAt(count, 1), lightsOnAt(count, 0)]).toEqual([4, 2, 1])
    applyLightCount(count, 1)
    expect([sun.visible, key.visible, rim.visible, onAir.visible, sun.intensity]).toEqual([true, true, false, false, 2])
    applyLightCount(count, 0)
    expect([key.visible, sun.intensity]).toEqual([false, 3])
    applyLightCount(count, 2)
    expect([key.visible, rim.visible, onAir.visible, sun.intensity]).toEqual([true, true, true, 1.4])
  })
})
