/**
 * The programme picture leaves the GPU here. The programme camera renders the scene into an HDR
 * target, a full-screen pass tone-maps and sRGB-encodes it (as the renderer does for the screen)
 * into an 8-bit "output" target — the exact picture on air, shown on the in-world monitor — and,
 * while someone consumes it (recording, live), copies it into a 2D broadcast canvas that
 * `captureStream()` turns into video.
 *
 * Why not capture the page canvas: during an immersive session the WebGL canvas' own framebuffer
 * is not what the headset shows and captures black. Why not a second WebGL context: it would
 * upload every mesh and texture twice. So the pixels are read back asynchronously — `readPixels`
 * into a pixel-pack buffer plus a fence, picked up a frame or two later when the GPU is done — and
 * the frame never waits on the GPU. The output pass writes rows top-down (flipped v), so the
 * bytes go straight into ImageData without a CPU flip; the monitor's shader flips them back.
 */
import {
  ACESFilmicToneMapping,
  AgXToneMapping,
  CineonToneMapping,
  ColorManagement,
  HalfFloatType,
  LinearFilter,
  LinearToneMapping,
  NeutralToneMapping,
  RawShaderMaterial,
  ReinhardToneMapping,
  SRGBTransfer,
  ShaderMaterial,
  UnsignedByteType,
  WebGLRenderTarget,
  type Camera,
  type Scene,
  type Texture,
  type WebGLRenderer,
} from 'three'
import { FullScreenQuad } from 'three/examples/jsm/postprocessing/Pass.js'
import { createPixelReadback } from '../../core/broadcast/pixel-readback'

// The levels and presets are pure data, shared with the re-shoot tool: one table in core.
export { PROGRAMME_LEVELS, PROGRAMME_PRESETS, type ProgrammeLevel, type ProgrammePreset } from '../../core/broadcast/programme-levels'

const OUTPUT_VERTEX = /* glsl */ `
precision highp float;
uniform mat4 modelViewMatrix;
uniform mat4 projectionMatrix;
attribute vec3 position;
attribute vec2 uv;
varying vec2 vUv;
void main() {
  // Flipped v: row 0 of the target is the top of the picture, as ImageData expects.
  vUv = vec2(uv.x, 1.0 - uv.y);
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}`

const OUTPUT_FRAGMENT = /* glsl */ `
precision highp float;
uniform sampler2D tDiffuse;
uniform float brightness;
#include <tonemapping_pars_fragment>
#include <colorspace_pars_fragment>
varying vec2 vUv;
void main() {
  gl_FragColor = texture2D(tDiffuse, vUv);
  #ifdef LINEAR_TONE_MAPPING
    gl_FragColor.rgb = LinearToneMapping(gl_FragColor.rgb);
  #elif defined(REINHARD_TONE_MAPPING)
    gl_FragColor.rgb = ReinhardToneMapping(gl_FragColor.rgb);
  #elif defined(CINEON_TONE_MAPPING)
    gl_FragColor.rgb = CineonToneMapping(gl_FragColor.rgb);
  #elif defined(ACES_FILMIC_TONE_MAPPING)
    gl_FragColor.rgb = ACESFilmicToneMapping(gl_FragColor.rgb);
  #elif defined(AGX_TONE_MAPPING)
    gl_FragColor.rgb = AgXToneMapping(gl_FragColor.rgb);
  #elif defined(NEUTRAL_TONE_MAPPING)
    gl_FragColor.rgb = NeutralToneMapping(gl_FragColor.rgb);
  #endif
  gl_FragColor.rgb *= brightness;
  #ifdef SRGB_TRANSFER
    gl_FragColor = sRGBTransferOETF(gl_FragColor);
  #endif
  gl_FragColor.a = 1.0;
}`

/** Shows an output texture as it is (already tone-mapped and encoded), flipping v back. */
export function createOutputDisplayMaterial(texture: Texture): ShaderMaterial {
  return new ShaderMaterial({
    uniforms: { map: { value: texture } },
    vertexShader: /* glsl */ `varying vec2 vUv; void main() { vUv = vec2(uv.x, 1.0 - uv.y); gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0); }`,
    fragmentShader: /* glsl */ `uniform sampler2D map; varying vec2 vUv; void main() { gl_FragColor = vec4(texture2D(map, vUv).rgb, 1.0); }`,
    toneMapped: false,
  })
}

/** Counters for the snapshot and the benchmark. */
export interface ProgrammeOutputStats {
  rendered: number
  readbacksStarted: number
  framesCaptured: number
  /** Readbacks skipped because both buffers were still in flight, or the context was lost. */
  readbacksSkipped: number
  /** True while the WebGL context is lost (no frames reach the broadcast canvas). */
  contextLost: boolean
  /** Times the context was lost (the readback buffers were rebuilt after each restore). */
  contextLosses: number
}

/** The output chain; see the file header. */
export interface ProgrammeOutput {
  readonly hdr: WebGLRenderTarget
  readonly output: WebGLRenderTarget
  /** The 2D canvas `captureStream()` reads; sized to the preset. */
  readonly canvas: HTMLCanvasElement
  readonly stats: ProgrammeOutputStats
  /** Brightness of the next render (dips to black). */
  brightness: number
  /** Drawn into the output target after the tone-map pass, before any readback (danmaku, graphics). */
  overlay: ((gl: WebGLRenderer) => void) | null
  /** Resizes the render targets (a governor level change). */
  setSize(width: number, height: number): void
  /** Sets the broadcast canvas size (a preset change; not during a recording). */
  setCanvasSize(width: number, height: number): void
  /** Renders the camera into the HDR target and the output pass; `capture` also starts a readback. */
  render(scene: Scene, camera: Camera, capture: boolean): void
  /** True when a readback has finished on the GPU (or is half copied) and can be copied without waiting. */
  readyToCopy(): boolean
  /**
   * Copies a finished readback into the broadcast canvas in bounded steps, so the copy is time-sliced
   * like any job: each call moves at most `maxBytes` of rows from the pixel-pack buffer into memory;
   * the call after the last rows puts the whole picture on the canvas at once (a canvas half
   * updated could be captured torn). Returns true when a frame reached the canvas or nothing was
   * ready, false when more steps remain.
   */
  copyStep(maxBytes: number): boolean
  dispose(): void
}

/** Builds the output chain on the app's renderer (once per experience mount). */
export function createProgrammeOutput(gl: WebGLRenderer, width: number, height: number): ProgrammeOutput {
  const context = gl.getContext() as WebGL2RenderingContext
  // Half float keeps highlights for the tone mapper; fall back to 8 bits where it cannot render.
  const halfFloat = gl.extensions.has('EXT_color_buffer_half_float') || gl.extensions.has('EXT_color_buffer_float')
  const hdr = new WebGLRenderTarget(width, height, { type: halfFloat ? HalfFloatType : UnsignedByteType, depthBuffer: true, samples: 0 })
  const output = new WebGLRenderTarget(width, height, { type: UnsignedByteType, depthBuffer: false, samples: 0 })
  for (const t of [hdr.texture, output.texture]) {
    t.minFilter = LinearFilter
    t.magFilter = LinearFilter
    t.generateMipmaps = false
  }
  const material = new RawShaderMaterial({
    name: 'ProgrammeOutput',
    uniforms: { tDiffuse: { value: hdr.texture }, toneMappingExposure: { value: 1 }, brightness: { value: 1 } },
    vertexShader: OUTPUT_VERTEX,
    fragmentShader: OUTPUT_FRAGMENT,
    depthTest: false,
    depthWrite: false,
  })
  const defines: Record<string, string> = {}
  if (ColorManagement.getTransfer(gl.outputColorSpace) === SRGBTransfer) defines.SRGB_TRANSFER = ''
  const tm = gl.toneMapping
  const toneDefine =
    tm === LinearToneMapping
      ? 'LINEAR_TONE_MAPPING'
      : tm === ReinhardToneMapping
        ? 'REINHARD_TONE_MAPPING'
        : tm === CineonToneMapping
          ? 'CINEON_TONE_MAPPING'
          : tm === ACESFilmicToneMapping
            ? 'ACES_FILMIC_TONE_MAPPING'
            : tm === AgXToneMapping
              ? 'AGX_TONE_MAPPING'
              : tm === NeutralToneMapping
                ? 'NEUTRAL_TONE_MAPPING'
                : null
  if (toneDefine) defines[toneDefine] = ''
  material.defines = defines
  const quad = new FullScreenQuad(material)

  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  const ctx2d = canvas.getContext('2d', { alpha: false })
  if (!ctx2d) throw new Error('The browser could not create a 2D canvas for the broadcast output')
  // A level below the canvas size is drawn through a scratch canvas and scaled up.
  const scratch = document.createElement('canvas')
  const scratch2d = scratch.getContext('2d', { alpha: false })!
  let image: ImageData | null = null
  // Two pixel-pack buffers: one can be in flight while the next frame is read. Rebuilt after a
  // context loss (the old buffers and fences are dead; without that, capture stops for good).
  const readback = createPixelReadback(context)
  /** All rows of a frame are in `image`; the next copy step puts it on the canvas. */
  let rowsDone = false
  const stats: ProgrammeOutputStats = { rendered: 0, readbacksStarted: 0, framesCaptured: 0, readbacksSkipped: 0, contextLost: false, contextLosses: 0 }
  const onLost = () => {
    readback.contextLost()
    rowsDone = false
    stats.contextLost = true
    stats.contextLosses = readback.losses
  }
  const onRestored = () => {
    readback.contextRestored()
    stats.contextLost = false
  }
  gl.domElement.addEventListener('webglcontextlost', onLost)
  gl.domElement.addEventListener('webglcontextrestored', onRestored)

  const self: ProgrammeOutput = {
    hdr,
    output,
    canvas,
    stats,
    brightness: 1,
    overlay: null,
    setSize(w, h) {
      if (hdr.width === w && hdr.height === h) return
      hdr.setSize(w, h)
      output.setSize(w, h)
    },
    setCanvasSize(w, h) {
      if (canvas.width === w && canvas.height === h) return
      canvas.width = w
      canvas.height = h
    },
    render(scene, camera, capture) {
      const previous = gl.getRenderTarget()
      const xrEnabled = gl.xr.enabled
      gl.xr.enabled = false
      gl.setRenderTarget(hdr)
      gl.render(scene, camera)
      material.uniforms.brightness.value = self.brightness
      material.uniforms.toneMappingExposure.value = gl.toneMappingExposure
      gl.setRenderTarget(output)
      quad.render(gl)
      self.overlay?.(gl)
      stats.rendered++
      if (capture) {
        // Skipped when the GPU or the copy is behind (never wait), or while the context is lost.
        if (readback.capture(output.width, output.height)) stats.readbacksStarted++
        else stats.readbacksSkipped++
        stats.contextLost = readback.lost
        stats.contextLosses = readback.losses
      }
      gl.setRenderTarget(previous)
      gl.xr.enabled = xrEnabled
    },
    readyToCopy() {
      return rowsDone || readback.readyToCopy()
    },
    copyStep(maxBytes) {
      if (!rowsDone) {
        if (!readback.take()) return true
        const size = readback.copyingSize()!
        if (!image || image.width !== size.width || image.height !== size.height) image = new ImageData(size.width, size.height)
        // The last rows free the buffer; the put waits for the next step (it costs a step of its own).
        rowsDone = readback.copyRows(image.data, maxBytes)
        return false
      }
      rowsDone = false
      const img = image!
      // All rows are in memory: one put (and one scale) makes the new frame appear whole.
      if (img.width === canvas.width && img.height === canvas.height) {
        ctx2d.putImageData(img, 0, 0)
      } else {
        if (scratch.width !== img.width || scratch.height !== img.height) {
          scratch.width = img.width
          scratch.height = img.height
        }
        scratch2d.putImageData(img, 0, 0)
        ctx2d.drawImage(scratch, 0, 0, canvas.width, canvas.height)
      }
      stats.framesCaptured++
      return true
    },
    dispose() {
      gl.domElement.removeEventListener('webglcontextlost', onLost)
      gl.domElement.removeEventListener('webglcontextrestored', onRestored)
      readback.dispose()
      hdr.dispose()
      output.dispose()
      material.dispose()
      quad.dispose()
    },
  }
  return self
}
