import type { WebGLRenderer } from 'three'

/**
 * WebXR Raw Camera Access (the `camera-access` feature): the phone camera's picture of this frame
 * as a WebGL texture, copied into a 2D canvas for the photo's background. The texture is opaque
 * and valid only inside the frame callback that got it, so the copy happens right there (in the
 * frame loop's `post` phase): attach it to a framebuffer and read the pixels back.
 * IWER does not emulate this feature, so this path runs only on a device that grants it (Chrome
 * Android 107+); feature detection and the backdrop choice are unit-tested in core/mascot.
 */

/** `XRView.camera` of the Raw Camera Access spec (not in TypeScript's DOM types yet). */
interface XRCameraLike {
  readonly width: number
  readonly height: number
}

interface XRWebGLBindingLike {
  getCameraImage(camera: XRCameraLike): WebGLTexture | null
}

type BindingConstructor = new (session: XRSession, gl: WebGL2RenderingContext | WebGLRenderingContext) => XRWebGLBindingLike

// One binding per session (creating it is not free, and a photo is taken in one frame).
const bindings = new WeakMap<XRSession, XRWebGLBindingLike>()

/** The first view's camera of this frame, or null when the session has no raw camera access. */
export function viewCamera(frame: XRFrame | undefined, refSpace: XRReferenceSpace | null): XRCameraLike | null {
  if (!frame || !refSpace) return null
  const view = frame.getViewerPose(refSpace)?.views[0] as (XRView & { camera?: XRCameraLike }) | undefined
  return view?.camera ?? null
}

/**
 * Copies the camera image of `camera` (from {@link viewCamera}, same frame) into a new canvas, or
 * returns null if the browser has no XRWebGLBinding or gives no image. Restores the framebuffer
 * binding and tells three its GL state changed.
 */
export function readXRCameraImage(renderer: WebGLRenderer, session: XRSession, camera: XRCameraLike): HTMLCanvasElement | null {
  const Binding = (globalThis as { XRWebGLBinding?: BindingConstructor }).XRWebGLBinding
  if (!Binding) return null
  const gl = renderer.getContext()
  let binding = bindings.get(session)
  if (!binding) {
    binding = new Binding(session, gl)
    bindings.set(session, binding)
  }
  const texture = binding.getCameraImage(camera)
  if (!texture) return null
  const { width, height } = camera
  const previous = gl.getParameter(gl.FRAMEBUFFER_BINDING) as WebGLFramebuffer | null
  const framebuffer = gl.createFramebuffer()
  try {
    gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer)
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0)
    if (gl.checkFramebufferStatus(gl.FRAMEBUFFER) !== gl.FRAMEBUFFER_COMPLETE) return null
    const pixels = new Uint8Array(width * height * 4)
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, pixels)
    const canvas = document.createElement('canvas')
    canvas.width = width
    canvas.height = height
    const ctx = canvas.getContext('2d')
    if (!ctx) return null
    const image = ctx.createImageData(width, height)
    // GL rows run bottom-up, canvas rows top-down.
    for (let y = 0; y < height; y++) image.data.set(pixels.subarray((height - 1 - y) * width * 4, (height - y) * width * 4), y * width * 4)
    ctx.putImageData(image, 0, 0)
    return canvas
  } finally {
    gl.bindFramebuffer(gl.FRAMEBUFFER, previous)
    gl.deleteFramebuffer(framebuffer)
    renderer.resetState()
  }
}
