import { Color, PerspectiveCamera, SRGBColorSpace, WebGLRenderTarget, type Camera, type Object3D, type WebGLRenderer } from 'three'
import { coverCrop } from './mascot-logic'
import { downloadBlob } from '../../runtime/app/download'

/** The largest photo side, pixels (a phone-screen-sized picture; keeps readPixels cheap). */
const MAX_SIDE = 1600

const photoCamera = new PerspectiveCamera()
const savedClear = new Color()

/**
 * Renders the scene once, for a photo, from `camera` (in an XR session: the first view's camera)
 * into an offscreen target and returns it as a 2D canvas with alpha (transparent where nothing was
 * drawn, so a camera picture can go underneath). Runs in the frame loop's `post` phase, after the
 * frame's own render, and restores the renderer's state.
 */
export function renderPhotoLayer(gl: WebGLRenderer, scene: Object3D, camera: Camera, width: number, height: number): HTMLCanvasElement {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height))
  const w = Math.max(1, Math.round(width * scale))
  const h = Math.max(1, Math.round(height * scale))
  const target = new WebGLRenderTarget(w, h, { depthBuffer: true })
  target.texture.colorSpace = SRGBColorSpace
  // Linear storage with sRGB written by the shader: the bytes read back are the picture as shown.
  target.texture.internalFormat = 'RGBA8'
  // three applies tone mapping and the output colour space only to the screen and XR targets; this
  // flag (the one three itself sets on XR layers) makes the photo look like the screen.
  ;(target as unknown as { isXRRenderTarget: boolean }).isXRRenderTarget = true

  // A detached copy of the view camera: rendering must not re-derive its world matrix.
  photoCamera.matrixAutoUpdate = false
  photoCamera.matrixWorldAutoUpdate = false
  photoCamera.matrixWorld.copy(camera.matrixWorld)
  photoCamera.matrixWorldInverse.copy(camera.matrixWorld).invert()
  photoCamera.projectionMatrix.copy(camera.projectionMatrix)
  photoCamera.projectionMatrixInverse.copy(camera.projectionMatrix).invert()

  const previousTarget = gl.getRenderTarget()
  const xrWasEnabled = gl.xr.enabled
  gl.getClearColor(savedClear)
  const savedAlpha = gl.getClearAlpha()
  gl.xr.enabled = false
  try {
    gl.setRenderTarget(target)
    gl.setClearColor(0x000000, 0)
    gl.clear()
    gl.render(scene, photoCamera)
    const pixels = new Uint8Array(w * h * 4)
    gl.readRenderTargetPixels(target, 0, 0, w, h, pixels)
    const canvas = document.createElement('canvas')
    canvas.width = w
    canvas.height = h
    const ctx = canvas.getContext('2d')!
    const image = ctx.createImageData(w, h)
    // WebGL rows run bottom-up; canvas rows top-down.
    for (let y = 0; y < h; y++) image.data.set(pixels.subarray((h - 1 - y) * w * 4, (h - y) * w * 4), y * w * 4)
    ctx.putImageData(image, 0, 0)
    return canvas
  } finally {
    gl.xr.enabled = xrWasEnabled
    gl.setRenderTarget(previousTarget)
    gl.setClearColor(savedClear, savedAlpha)
    target.dispose()
  }
}

/** A picture to put behind the rendered layer: the camera (or the emulator's synthetic room). */
export interface PhotoBackdrop {
  source: CanvasImageSource
  width: number
  height: number
}

/**
 * Composes the photo: the backdrop cropped to fill (no stretching), or Lingjing's night-sky
 * gradient when there is none, then the rendered layer on top; encodes it as JPEG.
 */
export async function composePhoto(layer: HTMLCanvasElement, backdrop: PhotoBackdrop | null): Promise<Blob> {
  const canvas = document.createElement('canvas')
  canvas.width = layer.width
  canvas.height = layer.height
  const ctx = canvas.getContext('2d')!
  if (backdrop) {
    const crop = coverCrop(backdrop.width, backdrop.height, canvas.width, canvas.height)
    ctx.drawImage(backdrop.source, crop.sx, crop.sy, crop.sw, crop.sh, 0, 0, canvas.width, canvas.height)
  } else {
    const gradient = ctx.createLinearGradient(0, 0, 0, canvas.height)
    gradient.addColorStop(0, '#0c1424')
    gradient.addColorStop(1, '#23385c')
    ctx.fillStyle = gradient
    ctx.fillRect(0, 0, canvas.width, canvas.height)
  }
  ctx.drawImage(layer, 0, 0)
  // A small signature in the corner, in both languages.
  ctx.font = `600 ${Math.round(canvas.height / 32)}px system-ui, sans-serif`
  ctx.fillStyle = 'rgba(255, 255, 255, 0.85)'
  ctx.textAlign = 'right'
  ctx.fillText('灵境 Lingjing · 小关 Xiaoguan', canvas.width - 16, canvas.height - 16)
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('could not encode the photo'))), 'image/jpeg', 0.9))
}

/**
 * Saves a photo: the system share sheet on a phone that can share files (the natural "save to
 * gallery" there), otherwise a download. Returns how it was saved.
 */
export async function savePhoto(blob: Blob, fileName: string, preferShare: boolean): Promise<'shared' | 'downloaded'> {
  const file = new File([blob], fileName, { type: blob.type })
  if (preferShare && navigator.canShare?.({ files: [file] })) {
    try {
      await navigator.share({ files: [file], title: '小关 Xiaoguan' })
      return 'shared'
    } catch (error) {
      // The visitor closed the share sheet (AbortError): fall through to a download so the photo is kept.
      if ((error as { name?: string }).name !== 'AbortError') console.warn('share failed, downloading instead', error)
    }
  }
  downloadBlob(blob, fileName)
  return 'downloaded'
}

/**
 * Opens the rear camera for the photo fallback outside WebXR. Resolves to the playing video, or
 * rejects with the DOMException (NotAllowedError, NotFoundError...) for the caller to explain.
 */
export async function openRearCamera(): Promise<{ video: HTMLVideoElement; stop(): void }> {
  if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('getUserMedia is not available', 'NotSupportedError')
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 } }, audio: false })
  const video = document.createElement('video')
  video.muted = true
  video.playsInline = true
  video.srcObject = stream
  await video.play()
  return {
    video,
    stop() {
      for (const track of stream.getTracks()) track.stop()
      video.srcObject = null
    },
  }
}
