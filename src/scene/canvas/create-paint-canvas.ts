/**
 * A 2D canvas for painting a texture (the Earth, text panels). It is kept on the CPU
 * (`willReadFrequently`): a GPU-backed canvas's anti-aliased edges can come out differently
 * depending on when its draws are flushed, so two runs of one deterministic replay painted the
 * same clouds a few levels apart at their edges (measured in the re-shoot probe). CPU raster is the
 * same on every run, and WebGL reads the pixels for the upload anyway.
 */
export function createPaintCanvas(width: number, height: number): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D | null } {
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  return { canvas, ctx: canvas.getContext('2d', { willReadFrequently: true }) }
}
