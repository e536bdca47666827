import { useEffect, useMemo, useRef } from 'react'
import { useThree } from '@react-three/fiber'
import { useXR, useXRStore } from '@react-three/xr'
import { MeshBasicMaterial, NoBlending, type Group, type Mesh, type Object3D } from 'three'
import { PROGRAMME_LEVELS, PROGRAMME_PRESETS, createOutputDisplayMaterial } from '../../runtime/broadcast/programme-output'
import type { Programme } from '../../runtime/broadcast/programme'
import { createMonitorLayer, readMonitorLayerSupport, type MonitorLayerStore } from '../../runtime/broadcast/monitor-layer'
import { createMonitorDriver, type MonitorStatus } from '../../core/broadcast/monitor-path'
import { useFrameSystem } from '../frame/use-frame-system'
import { useOffAir } from './use-off-air'
import { freezeStatic } from '../render/scene-matrices'
import { useStaticMerge } from '../render/use-static-merge'

type Vec3 = [number, number, number]

/** The screen's size in metres (16:9). */
const SCREEN_W = 2.24
const SCREEN_H = 1.26

/** Props of {@link ProgrammeMonitor}. */
export interface ProgrammeMonitorProps {
  programme: Programme
  /** Written with the path the monitor takes and why; read by the broadcast snapshot. */
  status: MonitorStatus
  position: Vec3
  rotationY: number
}

/**
 * The programme monitor: the output picture exactly as it goes on air. Where the session has
 * WebXR Layers the picture is a quad layer the compositor samples directly, and the screen mesh
 * only punches a hole in the eye buffer for it; everywhere else (IWER, phones, the desktop) the
 * mesh shows the output texture, as it always did. The path is decided once per session
 * (core/broadcast/monitor-path.ts), and any failure of the layer lands back on the texture.
 */
export function ProgrammeMonitor({ programme, status, position, rotationY }: ProgrammeMonitorProps) {
  const material = useMemo(() => createOutputDisplayMaterial(programme.output.output.texture), [programme])
  useEffect(() => () => material.dispose(), [material])
  // Transparent black written without blending: the eye buffer's alpha is 0 where the screen is
  // seen, so the layer under the eye buffer shows there; what stands in front still covers it.
  const punch = useMemo(() => new MeshBasicMaterial({ color: 0x000000, transparent: true, opacity: 0, blending: NoBlending, depthWrite: true, toneMapped: false }), [])
  useEffect(() => () => punch.dispose(), [punch])
  // The whole monitor (screen, housing, stand) stays off air: its back blocked the wide shot.
  const body = useRef<Group>(null)
  useOffAir(programme, body)
  // Housing and stand never move and are never picked: one merged draw (`snapshot().monitorMerge`),
  // matrices of the whole monitor composed once.
  const housing = useRef<Group>(null)
  useStaticMerge('monitor', housing)
  useEffect(() => {
    if (body.current) freezeStatic(body.current)
  }, [])
  const screen = useRef<Mesh>(null)
  // A 1×1 stand-in scaled to the screen: a quad layer takes its size from its object's scale.
  const anchor = useRef<Object3D>(null)
  const gl = useThree((s) => s.gl)
  const store = useXRStore() as unknown as MonitorLayerStore
  const session = useXR((s) => s.session)
  // Set by the store on the session's first frame, after `session`: a layer needs it for its space.
  const originReferenceSpace = useXR((s) => s.originReferenceSpace)
  // The path's state machine (core/broadcast/monitor-path.ts): swaps the screen's material, warns, defers.
  const driver = useMemo(
    () =>
      createMonitorDriver(status, {
        showTexture: () => {
          if (screen.current) screen.current.material = material
        },
        showHole: () => {
          if (screen.current) screen.current.material = punch
        },
        warn: (message) => console.warn(message),
        defer: (task) => void window.setTimeout(task, 0),
      }),
    [status, material, punch],
  )

  // The monitor's draw calls, counted where three makes them (once per view, either material).
  useEffect(() => {
    const mesh = screen.current
    if (!mesh) return
    mesh.onBeforeRender = () => {
      status.screenDraws++
    }
    return () => {
      mesh.onBeforeRender = () => {}
    }
  }, [status])

  // Once per session (and once for the page outside one): decide, and make the layer if it is the
  // path. (Run again when the session's reference space arrives or changes: the same decision.)
  useEffect(() => {
    const decision = driver.decide(readMonitorLayerSupport(session))
    // On the layer path the screen keeps the texture until the session's first frame gives the space.
    const at = anchor.current
    if (decision.path !== 'xr-layer' || !at || !originReferenceSpace) return
    const top = PROGRAMME_LEVELS[PROGRAMME_PRESETS[programme.preset]]
    driver.attach(() => createMonitorLayer({ gl, store, anchor: at, texture: programme.output.output.texture, pixelWidth: top.width, pixelHeight: top.height }))
    // Still attached when its session went away: the session ended under the layer.
    return () => driver.detach(store.getState().session !== session)
  }, [driver, session, originReferenceSpace, gl, store, programme])

  // Before the renderer (order < 0), after the programme frame (jobs): a new programme picture, or
  // one the compositor lost, is copied into the layer.
  useFrameSystem('programme-monitor-layer', 'render', (ctx) => driver.frame(ctx.xrFrame, programme.output.stats.rendered), -500)

  return (
    <group ref={body} position={position} rotation={[0, rotationY, 0]}>
      {/* Housing and stand: one material's parameters (colour apart), merged into one draw. */}
      <group ref={housing}>
        <mesh position={[0, 0, -0.04]}>
          <boxGeometry args={[2.36, 1.42, 0.06]} />
          <meshStandardMaterial color="#15151b" metalness={0.6} roughness={0.4} />
        </mesh>
        <mesh position={[0, -0.95, -0.1]}>
          <cylinderGeometry args={[0.04, 0.04, 1.3, 12]} />
          <meshStandardMaterial color="#2a2a33" metalness={0.6} roughness={0.4} />
        </mesh>
      </group>
      <mesh ref={screen} name="programme-monitor" material={material}>
        <planeGeometry args={[SCREEN_W, SCREEN_H]} />
      </mesh>
      <object3D ref={anchor} name="programme-monitor-layer" scale={[SCREEN_W, SCREEN_H, 1]} />
    </group>
  )
}
