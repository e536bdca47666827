import { useThree } from '@react-three/fiber'
import { XROrigin } from '@react-three/xr'
import { useEffect, useMemo, useRef, type ReactNode } from 'react'
import { Quaternion, Vector3, type Group } from 'three'
import { stopBody, updateLooseItems, updateTianheWorld, zoneAt } from '../../core/tianhe'
import { useLingjing } from '../../scene/lingjing-context'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import { readDesktopInput, readSnapshotInput, readXRInput, stepControls, toModule, type PickTargets } from './tianhe-controls'
import { STANDING_EYE_HEIGHT, TIANHE_STATE_EVENT, captureTianheSession, restoreTianheSession, type TianheSession } from './tianhe-session'

/** JSON replacer for the state hash: numbers to 1e-6 (and -0 as 0). */
const roundForHash = (_key: string, value: unknown) => (typeof value === 'number' ? Math.round(value * 1e6) / 1e6 + 0 : value)

/**
 * The visitor's rig: our own `<XROrigin>` (instead of `<Viewpoint>`), moved every frame to the
 * core float body's pose; on the desktop the camera follows the same body at eye height. It also
 * registers the experience's per-frame systems with the one frame loop:
 * - input: XR input sources (or the desktop keys/mouse) → session.input,
 * - simulation (fixed step): world (life support, arm, water ball, treadmill), loose items, runner,
 * - animation: hands, grabs, locomotion → rig / camera,
 * - post: draw calls and triangles of the frame just rendered (no allocation).
 */

/** Render statistics read in 'post' (one preallocated object, read by the snapshot on demand). */
export interface RenderStats {
  drawCalls: number
  triangles: number
  views: number
  frames: number
  zone: string
  /** Worst frame seen in each zone since load (or since reset). */
  readonly perZone: Record<string, { drawCalls: number; triangles: number; frames: number }>
}

/** Creates the stats object with one row per zone (so 'post' never allocates). */
export function createRenderStats(zones: readonly string[]): RenderStats {
  const perZone: RenderStats['perZone'] = {}
  for (const z of zones) perZone[z] = { drawCalls: 0, triangles: 0, frames: 0 }
  return { drawCalls: 0, triangles: 0, views: 1, frames: 0, zone: 'node-cabin', perZone }
}

/** The zone the head is in ('resource-cabin' in the outside view). */
export function headZone(session: TianheSession): string {
  if (session.view === 'exterior') return 'resource-cabin'
  return zoneAt(session.headWorld.z, session.layout)?.id ?? 'node-cabin'
}

const EXTERIOR_HEAD = new Vector3(7.5, 3.2, -3.5)
// Longest frame step for hands and body (a hitch must not fling the rig through a hatch).
const MAX_FRAME_S = 0.1

interface RigProps {
  session: TianheSession
  targets: PickTargets
  stats: RenderStats
  children?: ReactNode
}

/** Where the visitor is; owns the per-frame systems. */
export function TianheRig({ session, targets, stats, children }: RigProps) {
  const origin = useRef<Group>(null)
  const gl = useThree((s) => s.gl)
  const { xrSessions } = useLingjing()
  const camera = useThree((s) => s.camera)
  const saved = useMemo(() => ({ position: new Vector3(), yaw: 0, dragging: false, lastX: 0, lastY: 0 }), [])
  const scratch = useMemo(() => ({ q: new Quaternion(), v: new Vector3() }), [])

  // Desktop keys: WASD (+ QE up/down) thrust in view space; the mouse drag looks around.
  useEffect(() => {
    const keys = session.input.keys
    const held = new Set<string>()
    const update = () => {
      keys.set((held.has('d') ? 1 : 0) - (held.has('a') ? 1 : 0), (held.has('e') ? 1 : 0) - (held.has('q') ? 1 : 0), (held.has('s') ? 1 : 0) - (held.has('w') ? 1 : 0))
    }
    const down = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement) return
      held.add(e.key.toLowerCase())
      update()
    }
    const up = (e: KeyboardEvent) => {
      held.delete(e.key.toLowerCase())
      update()
    }
    const canvas = gl.domElement
    const pointerDown = (e: PointerEvent) => {
      if (e.button !== 0) return
      saved.dragging = true
      saved.lastX = e.clientX
      saved.lastY = e.clientY
    }
    const pointerMove = (e: PointerEvent) => {
      if (!saved.dragging || gl.xr.isPresenting) return
      const dx = e.clientX - saved.lastX
      const dy = e.clientY - saved.lastY
      saved.lastX = e.clientX
      saved.lastY = e.clientY
      session.body.yaw -= dx * 0.004
      session.body.orientation.setFromAxisAngle(scratch.v.set(0, 1, 0), session.body.yaw)
      session.input.pitch = Math.max(-1.4, Math.min(1.4, session.input.pitch - dy * 0.004))
    }
    const pointerUp = () => {
      saved.dragging = false
    }
    window.addEventListener('keydown', down)
    window.addEventListener('keyup', up)
    canvas.addEventListener('pointerdown', pointerDown)
    window.addEventListener('pointermove', pointerMove)
    window.addEventListener('pointerup', pointerUp)
    return () => {
      window.removeEventListener('keydown', down)
      window.removeEventListener('keyup', up)
      canvas.removeEventListener('pointerdown', pointerDown)
      window.removeEventListener('pointermove', pointerMove)
      window.removeEventListener('pointerup', pointerUp)
      keys.set(0, 0, 0)
    }
  }, [gl, saved, scratch, session])

  // A take that starts while the module is up begins with the session's state (a replay mounts a
  // fresh session and restores it when it passes that event).
  const take = useMemo(() => ({ id: null as string | null }), [])
  useEffect(() => {
    const offEvents = xrSessions.onReplayEvent((event) => {
      if (event.type === TIANHE_STATE_EVENT && event.data !== undefined) restoreTianheSession(session, event.data)
    })
    // The whole module state goes into the replay's state hash (computed on demand only), to the
    // micrometre: a hand's velocity of 1e-8 m/s is float noise from how many frames the replay
    // held while the module loaded (which depends on the machine), not a different state.
    const offHash = xrSessions.registerStateHashContributor('tianhe.session', (h) => h.string(JSON.stringify(captureTianheSession(session), roundForHash)))
    return () => {
      offEvents()
      offHash()
    }
  }, [session, xrSessions])

  useFrameSystem('tianhe-input', 'input', (ctx) => {
    const recorder = xrSessions.recorder
    if (recorder.recording && recorder.takeId !== take.id) {
      take.id = recorder.takeId
      xrSessions.recordEvent(TIANHE_STATE_EVENT, captureTianheSession(session))
    }
    const frame = ctx.xrFrame as XRFrame | undefined
    const ref = gl.xr.isPresenting ? gl.xr.getReferenceSpace() : null
    // The app's input snapshot first: live it is this XRFrame's, in a replay the recorded frame.
    if (ref && xrSessions.inputValid) readSnapshotInput(session, xrSessions.input)
    else if (frame && ref) readXRInput(session, frame, ref)
    else readDesktopInput(session, STANDING_EYE_HEIGHT)
  })

  useFrameSystem('tianhe-simulation', 'simulation', (ctx) => {
    const dt = ctx.deltaMs / 1000
    session.simTimeMs += ctx.deltaMs
    updateTianheWorld(session.world, dt)
    updateLooseItems(session.items, dt, session.layout.hull)
    session.runner.tick()
  })

  useFrameSystem('tianhe-controls', 'animation', (ctx) => {
    const dt = Math.min(MAX_FRAME_S, ctx.deltaMs / 1000)
    stepControls(session, dt, targets)
    const o = origin.current
    if (o) {
      o.position.copy(session.body.position)
      o.quaternion.copy(session.body.orientation)
    }
    if (!session.input.presenting) {
      // Desktop camera: the head at eye height over the rig, looking with yaw and pitch.
      toModule(session, session.input.head, camera.position)
      camera.quaternion.copy(session.body.orientation).multiply(session.input.headQuat)
      camera.updateMatrixWorld()
    }
    stats.zone = headZone(session)
    session.zone = stats.zone
  })

  useFrameSystem('tianhe-render-stats', 'post', () => {
    const info = gl.info.render
    stats.drawCalls = info.calls
    stats.triangles = info.triangles
    stats.views = gl.xr.isPresenting ? gl.xr.getCamera().cameras.length : 1
    stats.frames++
    const row = stats.perZone[stats.zone]
    if (row) {
      if (info.calls > row.drawCalls) row.drawCalls = info.calls
      if (info.triangles > row.triangles) row.triangles = info.triangles
      row.frames++
    }
  })

  // Entering or leaving the outside view: save and restore where the visitor floated.
  useEffect(() => {
    const toggle = () => {
      const body = session.body
      stopBody(body)
      if (session.view === 'inside') {
        saved.position.copy(body.position)
        saved.yaw = body.yaw
        session.view = 'exterior'
        // Look at the module from off its +X side, a little above: the whole length is in view.
        body.yaw = Math.atan2(EXTERIOR_HEAD.x - 0, EXTERIOR_HEAD.z + 9)
        body.orientation.setFromAxisAngle(scratch.v.set(0, 1, 0), body.yaw)
        body.position.copy(EXTERIOR_HEAD).sub(scratch.v.copy(session.input.head).applyQuaternion(body.orientation))
        session.input.pitch = -0.3
      } else {
        session.view = 'inside'
        body.position.copy(saved.position)
        body.yaw = saved.yaw
        body.orientation.setFromAxisAngle(scratch.v.set(0, 1, 0), body.yaw)
        session.input.pitch = 0
      }
      session.version++
    }
    session.toggleView = toggle
    return () => {
      session.toggleView = null
    }
  }, [saved, scratch, session])

  return <XROrigin ref={origin}>{children}</XROrigin>
}
