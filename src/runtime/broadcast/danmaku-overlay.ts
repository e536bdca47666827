/**
 * Draws the danmaku into the programme's output target, after the tone-map pass, so the monitor,
 * every recording and the live output carry the same picture.
 *
 * Each message is rasterised once, with canvas 2D `fillText` (text only: nothing is ever parsed as
 * markup), into its own slot of one atlas texture: a row of a small staging canvas is drawn and
 * copied into the atlas with `texSubImage2D` (three's `copyTextureToTexture`), so one message
 * uploads ~40 px × its width, never the whole atlas. All messages on screen are then one instanced
 * draw: a quad per message whose rectangle and atlas coordinates come from the core lane layout.
 * Per programme frame: a few float writes and one draw call; no allocation, no canvas redraw.
 *
 * The output target stores the picture top row first (see programme-output.ts), and layout y runs
 * downwards from the top, so layout y maps straight to NDC y = -1 at the top row; the atlas is
 * uploaded without a flip, so its v runs downwards from each slot's top as well.
 */
import {
  Box2,
  BufferAttribute,
  CanvasTexture,
  DoubleSide,
  InstancedBufferAttribute,
  InstancedBufferGeometry,
  LinearFilter,
  Mesh,
  NormalBlending,
  OrthographicCamera,
  RawShaderMaterial,
  Scene,
  UnsignedByteType,
  Vector2,
  WebGLRenderTarget,
  type WebGLRenderer,
} from 'three'
import type { DanmakuConfig, DanmakuEngine } from '../../core/broadcast/danmaku'

// Platform CJK and emoji fonts (as the in-world panels): a CJK web font would cost megabytes.
const FONT_STACK = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", system-ui, sans-serif, "Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji"'
/** Font size in layout pixels (the 720p reference picture): readable on the monitor and in a 360p stream. */
export const DANMAKU_FONT_PX = 28
/** Outline width either side of the glyphs, so white text reads on a white backdrop. */
const OUTLINE_PX = 4
/** Messages rasterised per programme frame at most, by level of the 'danmaku-raster' lever: a burst spreads over a few frames (they enter from off screen). */
export const DANMAKU_RASTER_PER_FRAME = [1, 4] as const
/** Chinese, Latin and an emoji: every font a comment is likely to need, loaded before the first one. */
const WARM_UP_TEXT = '灵境弹幕 Lingjing 👋 ，。！？'

const VERTEX = /* glsl */ `
precision highp float;
attribute vec3 position;
attribute vec4 aRect;
attribute vec4 aUv;
uniform vec2 uLayout;
varying vec2 vUv;
void main() {
  vec2 p = aRect.xy + position.xy * aRect.zw;
  vUv = mix(aUv.xy, aUv.zw, position.xy);
  gl_Position = vec4(p / uLayout * 2.0 - 1.0, 0.0, 1.0);
}`

const FRAGMENT = /* glsl */ `
precision mediump float;
uniform sampler2D uAtlas;
varying vec2 vUv;
void main() {
  // Premultiplied (uploaded so): blends as ONE, ONE_MINUS_SRC_ALPHA.
  gl_FragColor = texture2D(uAtlas, vUv);
}`

/** The overlay renderer of one programme. */
export interface DanmakuOverlay {
  /** Width the text needs when rasterised (outline included), in layout pixels. */
  measure(text: string): number
  /** Allocates the atlas and compiles the shader off the frame (KHR_parallel_shader_compile where there is one). */
  prepare(gl: WebGLRenderer): Promise<void>
  /** Rasterises new messages and draws all on-screen ones into the bound output target. */
  render(gl: WebGLRenderer, engine: DanmakuEngine): void
  /** Messages rasterised so far (each exactly once). */
  readonly rasterised: number
  /** Time spent rasterising and uploading, in total (ms of the injected clock). */
  readonly rasterMs: number
  /** The one-off font loading and first upload, paid in {@link DanmakuOverlay.prepare}. */
  readonly warmUpMs: number
  /** Messages rasterised per programme frame at most (the governor's lever lowers it). */
  rasterPerFrame: number
  /** Quads drawn in the last render. */
  readonly drawn: number
  dispose(): void
}

/** Creates the atlas, the staging canvas and the instanced quad for a layout; `clock` times the rasterising. */
export function createDanmakuOverlay(config: Readonly<DanmakuConfig>, clock: { now(): number }): DanmakuOverlay {
  const atlasWidth = config.unitsPerRow * config.unitWidth
  const rowHeight = config.laneHeight
  const atlasHeight = config.atlasRows * rowHeight
  const capacity = config.atlasRows * config.unitsPerRow

  const stage = document.createElement('canvas')
  stage.width = atlasWidth
  stage.height = rowHeight
  // A software canvas: uploading a strip of it is a plain copy through the command buffer. An
  // accelerated one makes WebGL wait for the GPU process to finish everything queued before (the
  // programme's own render): measured 0.3 ms against ~460 ms per message under SwiftShader load.
  const ctx = stage.getContext('2d', { willReadFrequently: true })
  if (!ctx) throw new Error('The browser could not create a 2D canvas for danmaku text')
  const font = `600 ${DANMAKU_FONT_PX}px ${FONT_STACK}`
  ctx.font = font
  ctx.textBaseline = 'middle'
  ctx.lineJoin = 'round'
  ctx.miterLimit = 2
  // The stage is only ever a copy source: three never uploads it as a texture of its own.
  const stageTexture = new CanvasTexture(stage)
  const srcRegion = new Box2(new Vector2(0, 0), new Vector2(0, rowHeight))
  const dstPosition = new Vector2()

  // A render target's texture has GPU storage from the start, so slots can be written one by one.
  const atlas = new WebGLRenderTarget(atlasWidth, atlasHeight, { type: UnsignedByteType, depthBuffer: false, samples: 0 })
  atlas.texture.minFilter = LinearFilter
  atlas.texture.magFilter = LinearFilter
  atlas.texture.generateMipmaps = false
  atlas.texture.flipY = false
  atlas.texture.premultiplyAlpha = true
  let initialised = false

  const geometry = new InstancedBufferGeometry()
  geometry.setAttribute('position', new BufferAttribute(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0]), 3))
  geometry.setIndex([0, 2, 1, 2, 3, 1])
  const rects = new InstancedBufferAttribute(new Float32Array(capacity * 4), 4)
  const uvs = new InstancedBufferAttribute(new Float32Array(capacity * 4), 4)
  rects.setUsage(35048) // DYNAMIC_DRAW: rewritten every programme frame
  geometry.setAttribute('aRect', rects)
  geometry.setAttribute('aUv', uvs)
  geometry.instanceCount = 0
  const material = new RawShaderMaterial({
    name: 'DanmakuOverlay',
    uniforms: { uAtlas: { value: atlas.texture }, uLayout: { value: new Vector2(config.width, config.height) } },
    vertexShader: VERTEX,
    fragmentShader: FRAGMENT,
    transparent: true,
    premultipliedAlpha: true,
    blending: NormalBlending,
    depthTest: false,
    depthWrite: false,
    side: DoubleSide,
  })
  const mesh = new Mesh(geometry, material)
  mesh.frustumCulled = false
  const scene = new Scene()
  scene.add(mesh)
  scene.matrixWorldAutoUpdate = false
  // The vertex shader places quads itself; gl.render still wants a camera.
  const camera = new OrthographicCamera()

  let rasterised = 0
  let rasterMs = 0
  let warmUpMs = 0
  let drawn = 0
  const init = (gl: WebGLRenderer) => {
    if (initialised) return
    gl.initRenderTarget(atlas)
    initialised = true
  }

  const rasterise = (gl: WebGLRenderer, text: string, color: string, slot: { row: number; unit: number; units: number }) => {
    const slotWidth = slot.units * config.unitWidth
    ctx.clearRect(0, 0, slotWidth, rowHeight)
    const room = slotWidth - OUTLINE_PX * 2
    const y = rowHeight / 2
    // fillText's maxWidth condenses (never clips) a line wider than its slot: the layout capped it.
    ctx.strokeStyle = 'rgba(0,0,0,0.85)'
    ctx.lineWidth = OUTLINE_PX
    ctx.strokeText(text, OUTLINE_PX, y, room)
    ctx.fillStyle = color
    ctx.fillText(text, OUTLINE_PX, y, room)
    // The whole slot is copied, so whatever an earlier message left there is cleared too.
    srcRegion.max.x = slotWidth
    dstPosition.set(slot.unit * config.unitWidth, slot.row * rowHeight)
    gl.copyTextureToTexture(stageTexture, atlas.texture, srcRegion, dstPosition)
    rasterised++
  }
  let prepared: Promise<void> | null = null

  const self: DanmakuOverlay = {
    rasterPerFrame: DANMAKU_RASTER_PER_FRAME[DANMAKU_RASTER_PER_FRAME.length - 1],
    measure(text) {
      ctx.font = font
      return Math.ceil(ctx.measureText(text).width) + OUTLINE_PX * 2
    },
    prepare(gl) {
      init(gl)
      prepared ??= gl.compileAsync(scene, camera).then(() => {
        // First use of a program reads its uniforms and status back from the GPU process (a stall
        // behind whatever it is rendering): use it once here, drawing nothing into a 1×1 target.
        const scratch = new WebGLRenderTarget(1, 1, { depthBuffer: false })
        const previous = gl.getRenderTarget()
        geometry.instanceCount = 0
        gl.setRenderTarget(scratch)
        gl.render(scene, camera)
        gl.setRenderTarget(previous)
        scratch.dispose()
        // The first text drawn loads the CJK and emoji fonts and the first upload sets up the
        // copy path: seconds under load, once. Pay it here, off the programme frame. The slot is
        // fully rewritten when a message gets it, and never drawn before.
        const start = clock.now()
        rasterise(gl, WARM_UP_TEXT, '#ffffff', { row: 0, unit: 0, units: 1 })
        rasterised--
        warmUpMs = clock.now() - start
      })
      return prepared
    },
    render(gl, engine) {
      init(gl)
      const rect = rects.array as Float32Array
      const uv = uvs.array as Float32Array
      let budget = self.rasterPerFrame
      let n = 0
      for (let i = 0; i < engine.activeCount; i++) {
        const item = engine.active[i]
        if (item.needsRaster) {
          if (budget === 0) continue // next frame; it is still entering from off screen
          const start = clock.now()
          rasterise(gl, item.text, item.color, item.slot)
          rasterMs += clock.now() - start
          item.needsRaster = false
          budget--
        }
        if (item.x >= config.width || item.x + item.width <= 0) continue
        const k = n * 4
        rect[k] = item.x
        rect[k + 1] = item.y
        rect[k + 2] = item.width
        rect[k + 3] = rowHeight
        const u0 = item.slot.unit * config.unitWidth
        const v0 = item.slot.row * rowHeight
        uv[k] = u0 / atlasWidth
        uv[k + 1] = v0 / atlasHeight
        uv[k + 2] = (u0 + item.width) / atlasWidth
        uv[k + 3] = (v0 + rowHeight) / atlasHeight
        n++
      }
      drawn = n
      if (n === 0) return
      rects.needsUpdate = true
      uvs.needsUpdate = true
      geometry.instanceCount = n
      // Draw over the tone-mapped picture: no clear.
      const autoClear = gl.autoClear
      gl.autoClear = false
      try {
        gl.render(scene, camera)
      } finally {
        gl.autoClear = autoClear
      }
    },
    get rasterised() {
      return rasterised
    },
    get rasterMs() {
      return rasterMs
    },
    get warmUpMs() {
      return warmUpMs
    },
    get drawn() {
      return drawn
    },
    dispose() {
      atlas.dispose()
      geometry.dispose()
      material.dispose()
      stageTexture.dispose()
    },
  }
  return self
}
