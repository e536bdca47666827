/**
 * The WebGL renderer's name, read from a throwaway context before the app's canvas is created
 * (context attributes such as `antialias` are fixed at creation). Null where WebGL or the name is
 * unavailable; the throwaway context is released at once.
 */
export function readWebglRendererName(): string | null {
  if (typeof document === 'undefined') return null
  const canvas = document.createElement('canvas')
  canvas.width = canvas.height = 1
  const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl')
  if (!gl) return null
  try {
    // Chromium and Firefox give the unmasked name through RENDERER; older ones only through the extension.
    const info = gl.getExtension('WEBGL_debug_renderer_info')
    const name = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER)
    return typeof name === 'string' && name.length > 0 ? name : null
  } finally {
    gl.getExtension('WEBGL_lose_context')?.loseContext()
  }
}
