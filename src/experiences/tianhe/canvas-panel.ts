import { CanvasTexture, LinearFilter, SRGBColorSpace } from 'three'
import { canvasFont as font, wrapText } from '../../scene/text/wrap-text'

/**
 * A 2D canvas drawn into a texture for in-world panels (tablet, console screens, labels), with
 * named click regions. Panels redraw only when what they show changes (the caller decides, via
 * the frame loop's job queue), never per frame; a redraw re-uploads the texture once.
 */

// The shared text panels' CJK-capable fonts and wrapping (platform fonts, no web font download).
export { canvasFont as font, wrapText } from '../../scene/text/wrap-text'

/** A clickable rectangle, in canvas pixels. */
export interface PanelRegion {
  id: string
  x: number
  y: number
  w: number
  h: number
}

/** Canvas + texture + click regions. */
export class CanvasPanel {
  readonly canvas: HTMLCanvasElement
  readonly ctx: CanvasRenderingContext2D
  readonly texture: CanvasTexture
  regions: PanelRegion[] = []
  /** Draw count, for diagnostics. */
  draws = 0

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.canvas = document.createElement('canvas')
    this.canvas.width = width
    this.canvas.height = height
    const ctx = this.canvas.getContext('2d')
    if (!ctx) throw new Error('Tianhe: 2D canvas is not available for in-world panels')
    this.ctx = ctx
    this.texture = new CanvasTexture(this.canvas)
    this.texture.colorSpace = SRGBColorSpace
    this.texture.minFilter = LinearFilter
    this.texture.generateMipmaps = false
  }

  /** Clears regions, runs `paint`, uploads the texture. */
  redraw(paint: (ctx: CanvasRenderingContext2D, panel: CanvasPanel) => void): void {
    this.regions = []
    this.ctx.save()
    paint(this.ctx, this)
    this.ctx.restore()
    this.texture.needsUpdate = true
    this.draws++
  }

  /** Registers a click region. */
  region(id: string, x: number, y: number, w: number, h: number): void {
    this.regions.push({ id, x, y, w, h })
  }

  /** Region under texture coordinates (u, v) (v up, as three.js reports), or null. */
  hit(u: number, v: number): string | null {
    const x = u * this.width
    const y = (1 - v) * this.height
    for (let i = this.regions.length - 1; i >= 0; i--) {
      const r = this.regions[i]
      if (x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h) return r.id
    }
    return null
  }

  /** Centre of a region in texture coordinates (u, v), or null. */
  regionUv(id: string): [number, number] | null {
    const r = this.regions.find((x) => x.id === id)
    return r ? [(r.x + r.w / 2) / this.width, 1 - (r.y + r.h / 2) / this.height] : null
  }

  dispose(): void {
    this.texture.dispose()
  }
}

/** Draws wrapped text from the top-left; returns the height used. */
export function drawParagraph(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, maxWidth: number, size: number, color: string, weight = 400, maxLines = 99): number {
  ctx.font = font(size, weight)
  ctx.fillStyle = color
  ctx.textBaseline = 'top'
  ctx.textAlign = 'left'
  const lines = wrapText(ctx, text, maxWidth).slice(0, maxLines)
  lines.forEach((line, i) => ctx.fillText(line, x, y + i * size * 1.25))
  return lines.length * size * 1.25
}

/** A rounded rectangle, filled and optionally stroked. */
export function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number, fill: string, stroke?: string, lineWidth = 3): void {
  ctx.beginPath()
  ctx.roundRect(x, y, w, h, r)
  ctx.fillStyle = fill
  ctx.fill()
  if (stroke) {
    ctx.strokeStyle = stroke
    ctx.lineWidth = lineWidth
    ctx.stroke()
  }
}

/** A button: rounded box with centred text; registers the click region. */
export function button(panel: CanvasPanel, id: string, x: number, y: number, w: number, h: number, text: string, options: { active?: boolean; tone?: 'normal' | 'primary' | 'danger'; size?: number } = {}): void {
  const ctx = panel.ctx
  const tone = options.tone ?? 'normal'
  const fill = options.active ? '#2f7fd1' : tone === 'primary' ? '#1f5f9e' : tone === 'danger' ? '#7a2b2b' : '#1d2c40'
  roundRect(ctx, x, y, w, h, 14, fill, options.active ? '#9fd2ff' : '#4d6a8c')
  ctx.font = font(options.size ?? 30, 600)
  ctx.fillStyle = '#eef6ff'
  ctx.textAlign = 'center'
  ctx.textBaseline = 'middle'
  const lines = wrapText(ctx, text, w - 16)
  const lh = (options.size ?? 30) * 1.15
  lines.slice(0, 2).forEach((line, i, arr) => ctx.fillText(line, x + w / 2, y + h / 2 + (i - (arr.length - 1) / 2) * lh))
  panel.region(id, x, y, w, h)
}
