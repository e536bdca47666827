import { CanvasTexture, LinearFilter, SRGBColorSpace } from 'three'

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

// The platform's CJK fonts (Noto CJK on Android/Quest/Linux, PingFang on Apple, YaHei on Windows):
// shipping a CJK web font would cost megabytes, and in-world text is drawn once per change.
const FONT_STACK = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", system-ui, sans-serif'

function wrap(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string[] {
  const out: string[] = []
  for (const paragraph of text.split('\n')) {
    // Chinese wraps between any characters, English between words.
    const tokens = paragraph.match(/[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+\s*|\s+/g) ?? ['']
    let line = ''
    for (const token of tokens) {
      const candidate = line + token
      if (ctx.measureText(candidate).width > maxWidth && line !== '') {
        out.push(line.trimEnd())
        line = token.trimStart()
      } else {
        line = candidate
      }
    }
    out.push(line.trimEnd())
  }
  return out
}

/**
 * Draws text into a canvas texture for an in-world panel. Called when the text or language
 * changes, never per frame.
 */
export function createTextTexture(options: TextTextureOptions): CanvasTexture {
  const { width, height, lines, background = 'rgba(8,16,32,0.82)', border = 'rgba(120,200,255,0.9)', align = 'left', padding = 32 } = options
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  const ctx = canvas.getContext('2d')
  if (ctx) {
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
    let y = padding
    ctx.textBaseline = 'top'
    ctx.textAlign = align
    const x = align === 'center' ? width / 2 : padding
    for (const line of lines) {
      ctx.font = `${line.weight ?? 400} ${line.size}px ${FONT_STACK}`
      ctx.fillStyle = line.color ?? '#eaf6ff'
      for (const row of wrap(ctx, line.text, width - padding * 2)) {
        ctx.fillText(row, x, y)
        y += line.size * 1.3
      }
      y += line.gap ?? line.size * 0.4
    }
  }
  const texture = new CanvasTexture(canvas)
  texture.colorSpace = SRGBColorSpace
  texture.minFilter = LinearFilter
  texture.generateMipmaps = false
  return texture
}
