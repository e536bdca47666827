import { useThree } from '@react-three/fiber'
import { useEffect, useMemo, useRef } from 'react'
import { CanvasTexture, type Mesh, SRGBColorSpace, Vector3 } from 'three'
import type { Job } from '../../core/frame'
import { useLingjing } from '../lingjing-context'
import { useAppState } from '../use-app-state'
import { useFrameSystem } from '../frame/use-frame-system'
import { drawFrameHud } from './draw-frame-hud'
import { useFrameHudReader } from './use-frame-hud-data'

/** How often the in-world HUD redraws (a deferred job, never inline in the frame). */
const REDRAW_EVERY_MS = 250
/** xr-standard gamepad index of the thumbstick press: the left one toggles the HUD. */
const THUMBSTICK_PRESS = 3
const OFFSET = new Vector3(-0.22, -0.16, -0.6)

/**
 * The in-world frame-budget HUD: a small head-locked panel, toggled by pressing the left
 * thumbstick (or `?hud=1`, or H on the desktop). Its canvas redraws as a low-priority job in the
 * frame's leftover time, four times a second.
 */
export function FrameHud() {
  const { frame, app } = useLingjing()
  const visible = useAppState(app, (s) => s.hud)
  const presenting = useAppState(app, (s) => s.presenting)
  const camera = useThree((s) => s.camera)
  const mesh = useRef<Mesh>(null)
  const read = useFrameHudReader(frame)
  const { texture, canvas } = useMemo(() => {
    const c = document.createElement('canvas')
    c.width = 768
    c.height = 384
    const t = new CanvasTexture(c)
    t.colorSpace = SRGBColorSpace
    return { texture: t, canvas: c }
  }, [])
  useEffect(() => () => texture.dispose(), [texture])

  // One job object, re-enqueued when due: the redraw runs in leftover frame time.
  const state = useMemo(() => ({ lastDraw: -Infinity, queued: false, thumbWasDown: false }), [])
  const job = useMemo<Job>(
    () => ({
      name: 'hud-redraw',
      priority: 0,
      estimateMs: 1,
      step() {
        const ctx = canvas.getContext('2d')
        if (ctx) drawFrameHud(ctx, canvas.width, canvas.height, read(), app.getState().lang)
        texture.needsUpdate = true
        state.queued = false
        return true
      },
    }),
    [app, canvas, read, state, texture],
  )

  useFrameSystem('hud-toggle', 'input', (ctx) => {
    const xrFrame = ctx.xrFrame as XRFrame | undefined
    const sources = xrFrame?.session.inputSources
    if (!sources) return
    let down = false
    for (let i = 0; i < sources.length; i++) {
      const source = sources[i]
      if (source.handedness === 'left' && source.gamepad && source.gamepad.buttons.length > THUMBSTICK_PRESS) {
        down = source.gamepad.buttons[THUMBSTICK_PRESS].pressed
      }
    }
    // Toggle on press, not while held.
    if (down && !state.thumbWasDown) app.setState({ hud: !app.getState().hud })
    state.thumbWasDown = down
  })

  useFrameSystem('hud-follow', 'animation', (ctx) => {
    const m = mesh.current
    if (!m || !m.visible) return
    // Head-locked: follow the camera with a fixed offset (lower left of the view).
    m.position.copy(OFFSET).applyQuaternion(camera.quaternion).add(camera.position)
    m.quaternion.copy(camera.quaternion)
    if (!state.queued && ctx.timeMs - state.lastDraw >= REDRAW_EVERY_MS) {
      state.lastDraw = ctx.timeMs
      state.queued = true
      frame.jobs.enqueue(job)
    }
  })

  return (
    <mesh ref={mesh} visible={visible && presenting} renderOrder={1000} name="frame-hud">
      <planeGeometry args={[0.4, 0.2]} />
      <meshBasicMaterial map={texture} transparent depthTest={false} depthWrite={false} toneMapped={false} />
    </mesh>
  )
}
