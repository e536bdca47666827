import { useFrame, useThree } from '@react-three/fiber'
import { useXR } from '@react-three/xr'
import { useEffect, useLayoutEffect, useRef } from 'react'
import type { Camera, Object3D, WebGLRenderer } from 'three'
import { createRefreshRateController, setFrameBudgetOverride, updateFrameBudget, type TimerQueryGL } from '../../core/frame'
import { createAppError, createFrameSystemError } from '../../core/app/app-errors'
import type { DisabledSystem } from '../../core/frame'
import { useLingjing } from '../lingjing-context'

/** Refresh rate the emulator runs at unless told otherwise (the Quest's lowest, largest budget). */
const EMULATOR_REFRESH_HZ = 72

/**
 * Everything `renderer.render` does that the simulation can see, without drawing: world matrices
 * (raycasts and picks read them) and the headset camera's pose. A frame that skips its draw must
 * leave the same state as one that draws, or a fast-forwarded replay would end elsewhere.
 */
function prepareFrameWithoutDrawing(gl: WebGLRenderer, scene: Object3D, camera: Camera): void {
  if (scene.matrixWorldAutoUpdate) scene.updateMatrixWorld()
  if (camera.parent === null && camera.matrixWorldAutoUpdate) camera.updateMatrixWorld()
  if (gl.xr.enabled && gl.xr.isPresenting && gl.xr.cameraAutoUpdate) gl.xr.updateCamera(camera as Parameters<typeof gl.xr.updateCamera>[0])
}

/**
 * The one frame driver. Its single `useFrame` (priority 1, so r3f leaves rendering to us) hands the
 * XR or window animation frame to the frame loop, which runs input → simulation → animation →
 * jobs → render → post in that order. Systems register with the loop; none adds its own useFrame.
 */
export function FrameDriver() {
  const { frame, support, diagnostics, xrSessions, options, app } = useLingjing()
  const get = useThree((s) => s.get)
  const gl = useThree((s) => s.gl)
  const session = useXR((s) => s.session)

  // Draws skipped by ?drawEvery (a deterministic replay's fast-forward), for the frame snapshot.
  const skipped = useRef({ draws: 0 })

  useLayoutEffect(() => {
    const drawEvery = options.replayMode === 'deterministic' ? options.drawEvery : 1
    frame.loop.setRenderer(() => {
      const state = get()
      const replay = xrSessions.replay
      if (drawEvery > 1 && replay !== null && replay.mode === 'deterministic' && replay.phase === 'playing' && replay.frame % drawEvery !== 0) {
        skipped.current.draws++
        prepareFrameWithoutDrawing(gl, state.scene, state.camera)
        return
      }
      gl.render(state.scene, state.camera)
    })
  }, [frame, get, gl, options, xrSessions])

  // GPU time from timer queries where the context exposes them (one timer per context).
  useLayoutEffect(() => {
    frame.attachGpu(gl.getContext() as unknown as TimerQueryGL)
  }, [frame, gl])

  // ?frameBudgetMs holds the budget (and the missed-frame period) whatever the refresh rate.
  useLayoutEffect(() => {
    if (options.frameBudgetMs !== null) setFrameBudgetOverride(frame.budget, options.frameBudgetMs)
    if (options.frameBudgetError) app.pushError(createAppError('frame-budget-invalid', options.frameBudgetError.en))
    if (options.workPerMsError) app.pushError(createAppError('bench-option-invalid', options.workPerMsError.en))
  }, [frame, options, app])

  // A system the loop disables becomes a visible error. The loop tells us inside the frame, so the
  // store update waits for a task of its own (no UI state changes inside a frame).
  useEffect(() => {
    const disabled: DisabledSystem[] = []
    let timer = 0
    const off = frame.loop.onSystemDisabled((d) => {
      disabled.push(d)
      window.clearTimeout(timer)
      timer = window.setTimeout(() => app.pushError(createFrameSystemError(disabled)), 0)
    })
    return () => {
      off()
      window.clearTimeout(timer)
    }
  }, [frame, app])

  // The budget follows the session's real refresh rate; the emulator is held at 72 Hz.
  useEffect(() => {
    // Window rAF and XR rAF are different clocks: the gap between them is not a missed frame.
    frame.display.restart()
    if (!session) {
      updateFrameBudget(frame.budget, EMULATOR_REFRESH_HZ)
      return
    }
    const sync = () => {
      if (session.frameRate) updateFrameBudget(frame.budget, session.frameRate)
    }
    if (support.emulated && session.updateTargetFrameRate) {
      session.updateTargetFrameRate(EMULATOR_REFRESH_HZ).then(sync, sync)
    } else {
      sync()
    }
    session.addEventListener('frameratechange', sync)
    return () => session.removeEventListener('frameratechange', sync)
  }, [frame, session, support.emulated])

  // The refresh rate is the last lever: lowered only when the governor has nothing left to lower.
  // The emulator stays at 72 Hz (the Quest's lowest rate), so this acts on real headsets only.
  useEffect(() => {
    const rates = session?.supportedFrameRates
    if (!session || support.emulated || !rates || rates.length < 2 || !session.updateTargetFrameRate) return
    const controller = createRefreshRateController({ supportedRates: rates })
    let pending = false
    return frame.loop.register({
      name: 'refresh-rate',
      phase: 'post',
      update() {
        if (pending || !frame.governorEnabled) return
        const governor = frame.governor
        const next = controller.update(frame.budget.refreshHz, governor.smoothedCostMs, governor.exhausted)
        if (next === 0) return
        pending = true
        // The budget follows when the session reports the change (frameratechange).
        session.updateTargetFrameRate(next).then(
          () => (pending = false),
          () => (pending = false),
        )
      },
    })
  }, [frame, session, support.emulated])

  // Fixed foveation is a per-frame lever in XR only; registered while a session runs.
  useEffect(() => {
    if (!session) return
    return frame.addScaler({
      id: 'foveation',
      label: { zh: '注视点渲染', en: 'Fixed foveation' },
      maxLevel: 3,
      costPerLevelMs: 0.6,
      visualImpact: 0.15,
      apply: (level) => gl.xr.setFoveation(1 - level / 3),
    })
  }, [frame, gl, session])

  useEffect(
    () =>
      diagnostics.setSection('frame', () => ({
        ...frame.metrics.summary(),
        budgetMs: frame.budget.budgetMs,
        budgetOverrideMs: frame.budget.overrideMs > 0 ? frame.budget.overrideMs : null,
        budgetError: options.frameBudgetError,
        refreshHz: frame.budget.refreshHz,
        display: frame.display.summary(),
        gpu: frame.gpu.summary(),
        // The same measure whichever controller sets the levers (governor, baseline or none).
        quality: frame.quality(),
        // Views drawn per frame: 2 in a stereo headset session, 1 on a flat screen.
        views: gl.xr.isPresenting ? gl.xr.getCamera().cameras.length : 1,
        governor: frame.governor.explain(),
        jobs: frame.jobs.stats(),
        order: frame.loop.phaseOrder(),
        systemErrors: frame.loop.errors,
        drawsSkipped: skipped.current.draws,
      })),
    [diagnostics, frame, gl, options],
  )

  useFrame((_state, _delta, xrFrame) => {
    const wall = performance.now()
    // Where the browser gives it (Quest Browser does), the display time steps by whole refresh periods.
    const predicted = xrFrame ? (xrFrame as { predictedDisplayTime?: number }).predictedDisplayTime : undefined
    // The loop's time is the wall clock, except in a deterministic replay: then the recorded frame
    // time, so the loop's deltas (and every simulation step) are the recording's (see
    // xr-sessions-service.ts). Display intervals are always measured on the wall clock.
    frame.runFrame(xrSessions.frameTimestamp(wall), xrFrame, wall, typeof predicted === 'number' ? predicted : NaN)
  }, 1)
  return null
}
