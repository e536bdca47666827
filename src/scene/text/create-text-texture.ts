import { CanvasTexture, LinearFilter, SRGBColorSpace } from 'three'
import { createPaintCanvas } from '../canvas/create-paint-canvas'
import { canvasFont, wrapText } from './wrap-text'

/** One line (or wrapped paragraph) of an in-world panel. */
export interface TextLine {
  text: string
  /** Font size in canvas pixels. */
  size: number
  color?: string
  weight?: 400 | 600 | 700
  /** Extra space after the line, in canvas pixels. */
  gap?: number
}

/** Layout of a text panel texture. */
export interface TextTextureOptions {
  width: number
  height: number
  lines: TextLine[]
  background?: string
  border?: string
  align?: 'left' | 'center'
  padding?: number
}

/** Rows of each line at a font scale, the block's height (1.3 × size per row, gaps between lines) and its widest row. */
function layout(ctx: CanvasRenderingContext2D, lines: TextLine[], maxWidth: number, scale: number) {
  let block = 0
  let widest = 0
  const rows = lines.map((line, i) => {
    const size = Math.round(line.size * scale)
    ctx.font = canvasFont(size, line.weight ?? 400)
    const wrapped = wrapText(ctx, line.text, maxWidth)
    for (const row of wrapped) widest = Math.max(widest, ctx.measureText(row).width)
    block += wrapped.length * size * 1.3
    if (i < lines.length - 1) block += (line.gap ?? line.size * 0.4) * scale
    return { line, size, rows: wrapped }
  })
  return { rows, block, widest }
}

/**
 * Paints one panel (rounded background, border, text block) into `ctx` in the rectangle
 * (0, 0, width, height) of its current transform: used for a panel's own texture and for a cell
 * of a shared atlas (text-atlas.ts).
 */
export function paintTextPanel(ctx: CanvasRenderingContext2D, options: TextTextureOptions): void {
  const { width, height, lines, background = 'rgba(8,16,32,0.82)', border = 'rgba(120,200,255,0.9)', align = 'left', padding = 32 } = options
  const radius = Math.min(width, height) * 0.08
  ctx.fillStyle = background
  ctx.beginPath()
  ctx.roundRect(2, 2, width - 4, height - 4, radius)
  ctx.fill()
  if (border !== 'none') {
    ctx.strokeStyle = border
    ctx.lineWidth = 4
    ctx.stroke()
  }
  ctx.textBaseline = 'top'
  ctx.textAlign = align
  // Short buttons (a strip a few centimetres tall) get side padding in proportion to their height.
  const padX = Math.min(padding, Math.round(height * 0.3))
  const x = align === 'center' ? width / 2 : padX
  const roomy = (block: number) => block + padding * 2 <= height
  // Laid out at the authored sizes; text that does not fit (a row wider than the panel, or more
  // rows than its height holds) shrinks a step at a time, to 60 % at most, instead of clipping.
  let scale = 1
  let laid = layout(ctx, lines, width - padX * 2, scale)
  while (scale > 0.65 && !roomy(laid.block) && (laid.block > height - 8 || laid.widest > width - padX * 2)) {
    scale -= 0.1
    laid = layout(ctx, lines, width - padX * 2, scale)
  }
  // Panels with room keep the top padding; otherwise the text block is centred (half of the
  // first row's leading above it).
  let y = roomy(laid.block) ? padding : Math.max(4, (height - laid.block) / 2 + (laid.rows[0]?.size ?? 0) * 0.15)
  for (const { line, size, rows } of laid.rows) {
    ctx.font = canvasFont(size, line.weight ?? 400)
    ctx.fillStyle = line.color ?? '#eaf6ff'
    for (const row of rows) {
      ctx.fillText(row, x, y)
      y += size * 1.3
    }
    y += (line.gap ?? line.size * 0.4) * scale
  }
}

/**
 * Draws text into a canvas texture for an in-world panel. Called when the text or language
 * changes, never per frame.
 */
export function createTextTexture(options: TextTextureOptions): CanvasTexture {
  const { canvas, ctx } = createPaintCanvas(options.width, options.height)
  if (ctx) paintTextPanel(ctx, options)
  const texture = new CanvasTexture(canvas)
  texture.colorSpace = SRGBColorSpace
  texture.minFilter = LinearFilter
  texture.generateMipmaps = false
  return texture
}
