import { useEffect, useMemo, useRef } from 'react'
import { useThree } from '@react-three/fiber'
import { useXR, useXRStore } from '@react-three/xr'
import { MeshBasicMaterial, NoBlending, type Group, type Mesh, type Object3D } from 'three'
import { PROGRAMME_LEVELS, PROGRAMME_PRESETS, createOutputDisplayMaterial } from '../../runtime/broadcast/programme-output'
import type { Programme } from '../../runtime/broadcast/programme'
import { createMonitorLayer, readMonitorLayerSupport, type MonitorLayer, type MonitorLayerStore } from '../../runtime/broadcast/monitor-layer'
import { decideMonitorPath, failMonitorPath, monitorFallbackWarning, type MonitorPathDecision, type MonitorStatus } from '../../core/broadcast/monitor-path'
import { useFrameSystem } from '../frame/use-frame-system'
import { useOffAir } from './use-off-air'

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

function setDecision(status: MonitorStatus, decision: MonitorPathDecision): void {
  status.decision = decision
  const warning = monitorFallbackWarning(decision)
  if (warning) console.warn(warning)
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
  const screen = useRef<Mesh>(null)
  // A 1×1 stand-in scaled to the screen: a quad layer takes its size from its object's scale.
  const anchor = useRef<Object3D>(null)
  const gl = useThree((s) => s.gl)
  const store = useXRStore() as unknown as MonitorLayerStore
  const session = useXR((s) => s.session)
  // Set by the store on the session's first frame, after `session`: a layer needs it for its space.
  const originReferenceSpace = useXR((s) => s.originReferenceSpace)
  const live = useMemo(() => ({ layer: null as MonitorLayer | null, lastRendered: -1, draws: 0, redraws: 0, copyMs: 0 }), [])

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

  const showTexture = () => {
    if (screen.current && screen.current.material !== material) screen.current.material = material
    status.screen = 'texture'
  }

  // Once per session (and once for the page outside one): decide, and make the layer if it is the
  // path. (Run again when the session's reference space arrives or changes: the same decision.)
  useEffect(() => {
    const decision = decideMonitorPath(readMonitorLayerSupport(session))
    setDecision(status, decision)
    // On the layer path the screen keeps the texture until the session's first frame gives the space.
    if (decision.path !== 'xr-layer' || !anchor.current || !originReferenceSpace) return
    const top = PROGRAMME_LEVELS[PROGRAMME_PRESETS[programme.preset]]
    let layer: MonitorLayer
    try {
      layer = createMonitorLayer({ gl, store, anchor: anchor.current, texture: programme.output.output.texture, pixelWidth: top.width, pixelHeight: top.height })
    } catch (error) {
      setDecision(status, failMonitorPath('creation', error))
      return
    }
    live.layer = layer
    live.lastRendered = -1
    live.draws = 0
    live.redraws = 0
    live.copyMs = 0
    return () => {
      // Still showing when its session went away: the session ended under the layer.
      const wasShowing = live.layer === layer
      live.layer = null
      layer.dispose()
      showTexture()
      if (wasShowing && store.getState().session !== session) setDecision(status, failMonitorPath('session-ended', 'the XR session ended'))
    }
    // showTexture reads refs only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session, originReferenceSpace, gl, store, programme, status, live])

  // Before the renderer (order < 0), after the programme frame (jobs): a new programme picture, or
  // one the compositor lost, is copied into the layer; the mesh shows the hole only once the layer
  // holds a picture, so the monitor is never blank.
  useFrameSystem(
    'programme-monitor-layer',
    'render',
    (ctx) => {
      const layer = live.layer
      if (layer === null) return
      const frame = ctx.xrFrame as XRFrame | null | undefined
      if (!frame) return
      const rendered = programme.output.stats.rendered
      try {
        if (layer.update(frame, rendered !== live.lastRendered)) live.lastRendered = rendered
      } catch (error) {
        // The texture at once; the layer leaves the store (a zustand update) in a task of its own,
        // outside the frame. Meanwhile it is under the opaque texture, out of sight.
        live.layer = null
        showTexture()
        setDecision(status, failMonitorPath('runtime', error))
        window.setTimeout(() => layer.dispose(), 0)
        return
      }
      status.layerDraws += layer.stats.draws - live.draws
      status.layerRedraws += layer.stats.redraws - live.redraws
      status.layerCopyMs += layer.stats.copyMsTotal - live.copyMs
      live.draws = layer.stats.draws
      live.redraws = layer.stats.redraws
      live.copyMs = layer.stats.copyMsTotal
      if (layer.stats.draws > 0 && screen.current && screen.current.material !== punch) {
        screen.current.material = punch
        status.screen = 'layer-hole'
      }
    },
    -500,
  )

  return (
    <group ref={body} position={position} rotation={[0, rotationY, 0]}>
      <mesh position={[0, 0, -0.04]}>
        <boxGeometry args={[2.36, 1.42, 0.06]} />
        <meshStandardMaterial color="#15151b" metalness={0.6} roughness={0.4} />
      </mesh>
      <mesh position={[0, -0.95, -0.1]}>
        <cylinderGeometry args={[0.04, 0.04, 1.3, 12]} />
        <meshStandardMaterial color="#2a2a33" metalness={0.7} roughness={0.3} />
      </mesh>
      <mesh ref={screen} name="programme-monitor" material={material}>
        <planeGeometry args={[SCREEN_W, SCREEN_H]} />
      </mesh>
      <object3D ref={anchor} name="programme-monitor-layer" scale={[SCREEN_W, SCREEN_H, 1]} />
    </group>
  )
}
