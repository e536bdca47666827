/**
 * The platform's CJK fonts (Noto CJK on Android/Quest/Linux, PingFang on Apple, YaHei on Windows):
 * shipping a CJK web font would cost megabytes, and in-world text is drawn once per change.
 */
export const FONT_STACK = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", system-ui, sans-serif'

/** A canvas font string in {@link FONT_STACK}. */
export function canvasFont(size: number, weight = 400): string {
  return `${weight} ${size}px ${FONT_STACK}`
}

/**
 * Splits text into lines that fit `maxWidth` in the context's current font: Chinese wraps between
 * any characters, English between words; `\n` starts a new paragraph.
 */
export function wrapText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string[] {
  const out: string[] = []
  for (const paragraph of text.split('\n')) {
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
