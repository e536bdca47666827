import { useThree } from '@react-three/fiber'
import { useEffect, useMemo, useRef } from 'react'
import { LinearFilter, Mesh, Object3D, PerspectiveCamera, WebGLRenderTarget } from 'three'
import type { QualityScaler } from '../../core/frame'
import { useFrameSystem, useQualityScaler } from '../../scene/frame/use-frame-system'

/** Programme resolution (16:9) and frame divisor per quality level, lowest first. */
const LEVELS: readonly { width: number; height: number; every: number }[] = [
  { width: 480, height: 270, every: 4 },
  { width: 640, height: 360, every: 2 },
  { width: 960, height: 540, every: 1 },
  { width: 1280, height: 720, every: 1 },
]

/** Where the virtual programme camera stands and looks (in front of the stage, at chest height). */
export const PROGRAMME_CAMERA = { position: [0, 1.55, 2.45] as const, lookAt: [0, 1.42, 0] as const, fov: 30 }

/** Shared between the feed and its owner: the camera, and objects hidden from the programme. */
export interface ProgrammeFeed {
  readonly camera: PerspectiveCamera
  readonly target: WebGLRenderTarget
  /** Objects that must not appear in the programme (the monitor itself, crew-only panels). */
  readonly offAir: Object3D[]
  level: number
  framesRendered: number
}

/** Creates the virtual camera and its render target (once per experience mount). */
export function createProgrammeFeed(thirdPersonLayer: number): ProgrammeFeed {
  const camera = new PerspectiveCamera(PROGRAMME_CAMERA.fov, 16 / 9, 0.05, 200)
  camera.position.set(...PROGRAMME_CAMERA.position)
  camera.lookAt(...PROGRAMME_CAMERA.lookAt)
  camera.updateMatrixWorld()
  // The audience sees the whole host, head included (three-vrm first-person layers).
  camera.layers.enable(thirdPersonLayer)
  const top = LEVELS[LEVELS.length - 1]
  const target = new WebGLRenderTarget(top.width, top.height, { samples: 0, depthBuffer: true })
  target.texture.minFilter = LinearFilter
  target.texture.generateMipmaps = false
  // Rendering into a target stores linear light; the monitor's material tone-maps and encodes it.
  return { camera, target, offAir: [], level: LEVELS.length - 1, framesRendered: 0 }
}

/**
 * Renders the programme camera into its target after the main render (render phase, order 1), at
 * a resolution and rate the quality governor chooses ('programme-camera'), and shows it on the big
 * in-world monitor. In XR the feed is rendered with XR off, as a plain camera.
 */
export function ProgrammeMonitor({ feed, position, rotationY }: { feed: ProgrammeFeed; position: [number, number, number]; rotationY: number }) {
  const gl = useThree((s) => s.gl)
  const scene = useThree((s) => s.scene)
  const screen = useRef<Mesh>(null)

  useEffect(() => {
    const mesh = screen.current
    if (!mesh) return
    feed.offAir.push(mesh)
    return () => {
      const i = feed.offAir.indexOf(mesh)
      if (i >= 0) feed.offAir.splice(i, 1)
    }
  }, [feed])
  useEffect(() => () => feed.target.dispose(), [feed])

  const scaler = useMemo<QualityScaler>(
    () => ({
      id: 'programme-camera',
      label: { zh: '节目画面分辨率与帧率', en: 'Programme feed resolution and rate' },
      maxLevel: LEVELS.length - 1,
      costPerLevelMs: 1.2,
      visualImpact: 0.2,
      apply(level) {
        feed.level = level
        const l = LEVELS[level]
        feed.target.setSize(l.width, l.height)
      },
    }),
    [feed],
  )
  useQualityScaler(scaler)

  useFrameSystem(
    'programme-camera',
    'render',
    (ctx) => {
      if (ctx.frame % LEVELS[feed.level].every !== 0) return
      const previous = gl.getRenderTarget()
      const xrEnabled = gl.xr.enabled
      const offAir = feed.offAir
      for (let i = 0; i < offAir.length; i++) offAir[i].visible = false
      gl.xr.enabled = false
      gl.setRenderTarget(feed.target)
      gl.render(scene, feed.camera)
      gl.setRenderTarget(previous)
      gl.xr.enabled = xrEnabled
      for (let i = 0; i < offAir.length; i++) offAir[i].visible = true
      feed.framesRendered++
    },
    1,
  )

  return (
    <group position={position} rotation={[0, rotationY, 0]}>
      <mesh position={[0, 0, -0.04]}>
        <boxGeometry args={[2.36, 1.42, 0.06]} />
        <meshStandardMaterial color="#15151b" metalness={0.6} roughness={0.4} />
      </mesh>
      <mesh position={[0, -0.95, -0.1]}>
        <cylinderGeometry args={[0.04, 0.04, 1.3, 12]} />
        <meshStandardMaterial color="#2a2a33" metalness={0.7} roughness={0.3} />
      </mesh>
      <mesh ref={screen} name="programme-monitor">
        <planeGeometry args={[2.24, 1.26]} />
        <meshBasicMaterial map={feed.target.texture} />
      </mesh>
    </group>
  )
}
