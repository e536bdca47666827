/** True when the browser can create a WebGL2 context (three.js r163+ needs WebGL2). */
export function hasWebGL2(): boolean {
  try {
    const canvas = document.createElement('canvas')
    const gl = canvas.getContext('webgl2')
    gl?.getExtension('WEBGL_lose_context')?.loseContext()
    return gl != null
  } catch {
    return false
  }
}
