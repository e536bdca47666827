import { useThree } from '@react-three/fiber'
import { useEffect, useMemo, useRef } from 'react'
import { Color, HalfFloatType, LinearFilter, LinearSRGBColorSpace, Mesh, PerspectiveCamera, ShaderMaterial, WebGLRenderTarget, type Group, type Object3D } from 'three'
import type { QualityScaler } from '../../core/frame'
import { createPlanarMirrorView, updatePlanarMirrorView, type PlanarMirrorView } from '../../core/studio/planar-mirror'
import { useLingjing } from '../../scene/lingjing-context'
import { useFrameSystem, useQualityScaler } from '../../scene/frame/use-frame-system'
import { useOffAir } from '../../scene/broadcast/use-off-air'

declare module '../../core/diagnostics/diagnostics' {
  interface SnapshotSections {
    /** The studio mirror's render target and level (while the livestream studio is mounted). */
    studioMirror?: { on: boolean; size: number; level: number; framesRendered: number; behind: number }
  }
}

/**
 * Reflection texture size and frame divisor per quality level, lowest first. The texture is
 * projected onto the glass from the viewer's side (screen space of the reflected camera), so it is
 * square whatever the glass's shape.
 */
const LEVELS: readonly { size: number; every: number }[] = [
  { size: 256, every: 3 },
  { size: 384, every: 2 },
  { size: 512, every: 1 },
  { size: 768, every: 1 },
]

/**
 * A full-length mirror on the studio floor, front-right of the host (the host faces +Z; their
 * right is -X), turned to face the stage centre: out of the programme camera's and the desktop
 * audience view's line to the host, and clear of the programme monitor.
 */
export const MIRROR = {
  position: [-1.2, 0, 2.08] as [number, number, number],
  rotationY: Math.atan2(1.2, -2.08),
  width: 0.8,
  height: 1.9,
  /** Height of the glass's bottom edge above the floor. */
  bottom: 0.1,
}

/** The glass: the reflection projected from the reflected camera (three's ReflectorShader, tinted by multiplication). */
const GLASS_VERTEX = /* glsl */ `
uniform mat4 textureMatrix;
varying vec4 vUv;
#include <common>
#include <logdepthbuf_pars_vertex>
void main() {
  vUv = textureMatrix * vec4(position, 1.0);
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
  #include <logdepthbuf_vertex>
}`
const GLASS_FRAGMENT = /* glsl */ `
uniform vec3 tint;
uniform sampler2D tDiffuse;
varying vec4 vUv;
#include <logdepthbuf_pars_fragment>
void main() {
  #include <logdepthbuf_fragment>
  gl_FragColor = vec4(texture2DProj(tDiffuse, vUv).rgb * tint, 1.0);
  #include <tonemapping_fragment>
  #include <colorspace_fragment>
}`

/** The mirror's reused parts: reflected camera, its target, the glass material and counters. */
interface MirrorRig {
  readonly camera: PerspectiveCamera
  readonly target: WebGLRenderTarget
  readonly view: PlanarMirrorView
  readonly material: ShaderMaterial
  level: number
  framesRendered: number
  /** Frames skipped because the viewer was behind the glass. */
  behind: number
}

function createMirrorRig(thirdPersonLayer: number): MirrorRig {
  const camera = new PerspectiveCamera()
  // Its matrices are written from the mirror view each frame, never from position/rotation.
  camera.matrixAutoUpdate = false
  camera.matrixWorldAutoUpdate = false
  // A mirror shows the wearer their own face: the head is on the third-person layer.
  camera.layers.enable(thirdPersonLayer)
  const top = LEVELS[LEVELS.length - 1]
  // Half float: the target holds linear light (the glass's shader tone-maps and encodes it).
  const target = new WebGLRenderTarget(top.size, top.size, { samples: 0, depthBuffer: true, type: HalfFloatType })
  target.texture.minFilter = LinearFilter
  target.texture.generateMipmaps = false
  const view = createPlanarMirrorView()
  const material = new ShaderMaterial({
    name: 'StudioMirror',
    uniforms: {
      tDiffuse: { value: target.texture },
      textureMatrix: { value: view.textureMatrix },
      // A silvered mirror returns about 90% of the light, a touch cool: reads as glass, not a window.
      tint: { value: new Color().setRGB(0.88, 0.9, 0.94, LinearSRGBColorSpace) },
    },
    vertexShader: GLASS_VERTEX,
    fragmentShader: GLASS_FRAGMENT,
  })
  return { camera, target, view, material, level: LEVELS.length - 1, framesRendered: 0, behind: 0 }
}

/**
 * The studio's virtual mirror (shown while the host has it on): a camera reflected through the
 * glass renders the studio into a texture that the glass shows, so the host sees themself as in a
 * real mirror, face included. One centre view serves both eyes (the reflection has no stereo depth
 * of its own; that halves the cost). It renders in the render phase before the main render, at a
 * size and rate the quality governor chooses ('studio-mirror'), and stays out of the programme.
 */
export function StudioMirror({ programme, thirdPersonLayer }: { programme: { offAir: Object3D[] }; thirdPersonLayer: number }) {
  const lj = useLingjing()
  const gl = useThree((s) => s.gl)
  const scene = useThree((s) => s.scene)
  const camera = useThree((s) => s.camera)
  const glass = useRef<Mesh>(null)
  const group = useRef<Group>(null)
  const rig = useMemo(() => createMirrorRig(thirdPersonLayer), [thirdPersonLayer])

  useEffect(
    () => () => {
      rig.target.dispose()
      rig.material.dispose()
    },
    [rig],
  )

  // Crew-only, like a real studio's mirror beside the set: never in the programme.
  useOffAir(programme, group)

  const scaler = useMemo<QualityScaler>(
    () => ({
      id: 'studio-mirror',
      label: { zh: '虚拟镜子分辨率与帧率', en: 'Virtual mirror resolution and rate' },
      maxLevel: LEVELS.length - 1,
      costPerLevelMs: 0.9,
      visualImpact: 0.15,
      apply(level) {
        rig.level = level
        const size = LEVELS[level].size
        rig.target.setSize(size, size)
      },
    }),
    [rig],
  )
  useQualityScaler(scaler)

  useEffect(
    () =>
      lj.diagnostics.setSection('studioMirror', () => ({
        on: true,
        size: rig.target.width,
        level: rig.level,
        framesRendered: rig.framesRendered,
        behind: rig.behind,
      })),
    [lj.diagnostics, rig],
  )

  useFrameSystem(
    'studio-mirror',
    'render',
    (ctx) => {
      const mesh = glass.current
      if (!mesh || ctx.frame % LEVELS[rig.level].every !== 0) return
      mesh.updateWorldMatrix(true, false)
      // The viewer this frame: the headset's centre view in XR (posed now, before the main render
      // would do it), else the scene camera.
      let viewer = camera
      if (gl.xr.isPresenting) {
        gl.xr.updateCamera(camera as PerspectiveCamera)
        viewer = gl.xr.getCamera()
      } else {
        camera.updateMatrixWorld()
      }
      if (!updatePlanarMirrorView(rig.view, mesh.matrixWorld, viewer.matrixWorld, viewer.projectionMatrix, 0.002)) {
        rig.behind++
        return
      }
      const cam = rig.camera
      cam.matrixWorld.copy(rig.view.world)
      cam.matrixWorldInverse.copy(rig.view.worldInverse)
      cam.projectionMatrix.copy(rig.view.projection)
      cam.projectionMatrixInverse.copy(rig.view.projection).invert()

      const previous = gl.getRenderTarget()
      const xrEnabled = gl.xr.enabled
      // The glass must not draw itself into its own texture.
      mesh.visible = false
      gl.xr.enabled = false
      gl.setRenderTarget(rig.target)
      gl.render(scene, cam)
      gl.setRenderTarget(previous)
      gl.xr.enabled = xrEnabled
      mesh.visible = true
      rig.framesRendered++
    },
    -1,
  )

  const { width, height, bottom } = MIRROR
  return (
    <group ref={group} name="studio-mirror" position={MIRROR.position} rotation={[0, MIRROR.rotationY, 0]}>
      {/* Frame and foot: a slim dark-metal surround with the stage's pink accent on top. */}
      <mesh position={[0, bottom + height / 2, -0.025]}>
        <boxGeometry args={[width + 0.08, height + 0.08, 0.04]} />
        <meshStandardMaterial color="#2a2a36" metalness={0.7} roughness={0.35} />
      </mesh>
      <mesh position={[0, bottom + height + 0.045, -0.02]}>
        <boxGeometry args={[width + 0.08, 0.012, 0.05]} />
        <meshBasicMaterial color="#ff5fa2" toneMapped={false} />
      </mesh>
      <mesh position={[0, 0.02, -0.05]}>
        <boxGeometry args={[width + 0.2, 0.04, 0.32]} />
        <meshStandardMaterial color="#1c1c24" metalness={0.6} roughness={0.4} />
      </mesh>
      <mesh ref={glass} name="studio-mirror-glass" position={[0, bottom + height / 2, 0]} material={rig.material}>
        <planeGeometry args={[width, height]} />
      </mesh>
    </group>
  )
}
