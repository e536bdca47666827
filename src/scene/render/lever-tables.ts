/**
 * Level tables of the renderer-wide GPU levers, lowest quality first (level 0), full quality last
 * (level = maxLevel). Pure data and arithmetic, so the tables are unit-tested in Node.
 */

/** `XRView.requestViewportScale` per level: the fraction of each eye's width and height drawn. */
export const VIEWPORT_SCALES: readonly number[] = [0.6, 0.7, 0.8, 0.9, 1]

/** Pixel-ratio cap per level, as a fraction of the device's ratio (flat screens only). */
export const PIXEL_RATIO_FRACTIONS: readonly number[] = [0.5, 0.65, 0.8, 1]

/** The largest canvas pixel ratio the app draws at (the canvas's `dpr={[1, 2]}`). */
export const MAX_PIXEL_RATIO = 2

/**
 * The canvas pixel ratio at a level of the desktop pixel-ratio lever: a fraction of the device's
 * ratio (clamped to the canvas's own cap of 2), so every level draws fewer pixels than the one above.
 */
export function pixelRatioAt(level: number, deviceRatio: number): number {
  const top = Math.min(MAX_PIXEL_RATIO, deviceRatio > 0 ? deviceRatio : 1)
  const i = level < 0 ? 0 : level >= PIXEL_RATIO_FRACTIONS.length ? PIXEL_RATIO_FRACTIONS.length - 1 : level
  return top * PIXEL_RATIO_FRACTIONS[i]
}

/** Fraction of pixels drawn at a level of a scale lever (area goes with the square of the scale). */
export function pixelFraction(scale: number): number {
  return scale * scale
}

/**
 * Whether a viewport that was requested at `requested` scale came back at that scale: the browser
 * honours `requestViewportScale` when the drawn width shrinks by about the requested factor from
 * the full-size width (a browser may round to whole pixels or to its own steps: 10 % slack).
 */
export function viewportScaleHonoured(fullWidth: number, scaledWidth: number, requested: number): boolean {
  if (!(fullWidth > 0) || requested >= 1) return false
  const ratio = scaledWidth / fullWidth
  return ratio < 1 - (1 - requested) * 0.5 && Math.abs(ratio - requested) <= 0.1
}

/**
 * The page canvas's drawing-buffer size at a resolution fraction of its full size. The width is
 * kept even so the emulator's side-by-side eyes (each half the canvas) stay equal, and neither
 * side drops below 16 px.
 */
export function canvasSizeAt(fullWidth: number, fullHeight: number, fraction: number, out: { width: number; height: number }): { width: number; height: number } {
  if (!(fraction > 0 && fraction < 1)) {
    out.width = fullWidth
    out.height = fullHeight
    return out
  }
  out.width = Math.max(16, 2 * Math.round((fullWidth * fraction) / 2))
  out.height = Math.max(16, Math.round(fullHeight * fraction))
  return out
}

/** Why a resolution lever is live (or none is) in XR; see {@link liveResolutionLever}. */
export type ResolutionWhy =
  | 'flat-screen'
  | 'measuring'
  | 'viewport-scale-honoured'
  | 'canvas-resize-shrinks-eye-viewport'
  | 'neither-honoured'

/**
 * Which resolution lever is live: on a flat screen the pixel-ratio cap; in XR the one a probe
 * measured to shrink the eye viewport, `viewport-scale` first (no reallocation at all), else the
 * pixel-ratio lever resizing the page canvas (only where the XR layer draws into it, as the
 * emulator does). Null while the probes run or when neither shrinks anything.
 */
export function liveResolutionLever(
  presenting: boolean,
  viewportScaleHonoured: boolean | null,
  canvasHonoured: boolean | null,
): { lever: 'pixel-ratio' | 'viewport-scale' | null; why: ResolutionWhy } {
  if (!presenting) return { lever: 'pixel-ratio', why: 'flat-screen' }
  if (viewportScaleHonoured === true) return { lever: 'viewport-scale', why: 'viewport-scale-honoured' }
  if (viewportScaleHonoured === null || canvasHonoured === null) return { lever: null, why: 'measuring' }
  if (canvasHonoured) return { lever: 'pixel-ratio', why: 'canvas-resize-shrinks-eye-viewport' }
  return { lever: null, why: 'neither-honoured' }
}

/** Frame (counted from the probe's first step) on which the canvas probe draws at {@link CANVAS_PROBE_FRACTION}. */
export const CANVAS_PROBE_FRAME = 3
/** The canvas fraction the probe asks for on its one frame. */
export const CANVAS_PROBE_FRACTION = 0.5

/** What the canvas probe has seen so far (see {@link stepCanvasProbe}). */
export interface CanvasProbe {
  /** Steps taken. */
  frames: number
  /** First eye's viewport width at full size and on the probe frame, px. */
  eyeFullWidth: number
  probeWidth: number
  /** Null until decided: whether the eye viewport followed the canvas. */
  honoured: boolean | null
}

/**
 * One step of the canvas probe, called after each XR frame's render with the first eye's viewport
 * width: the width at full size, then one frame at half size, then the verdict. Returns the canvas
 * fraction to ask for from the next frame on, or -1 to leave it (no allocation).
 */
export function stepCanvasProbe(probe: CanvasProbe, eyeWidth: number): number {
  if (probe.honoured !== null) return -1
  probe.frames++
  if (probe.frames === CANVAS_PROBE_FRAME - 1) {
    probe.eyeFullWidth = eyeWidth
    return CANVAS_PROBE_FRACTION
  }
  if (probe.frames === CANVAS_PROBE_FRAME) {
    probe.probeWidth = eyeWidth
    probe.honoured = viewportScaleHonoured(probe.eyeFullWidth, eyeWidth, CANVAS_PROBE_FRACTION)
    return 1
  }
  return -1
}
