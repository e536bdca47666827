import { useThree } from '@react-three/fiber'
import { useEffect, useMemo } from 'react'
import type { Job, JobHandle, QualityScaler } from '../../core/frame'
import { updateCameraRig } from '../../core/broadcast/camera-rigs'
import { useLingjing } from '../lingjing-context'
import { useFrameSystem, useQualityScaler } from '../frame/use-frame-system'
import { PROGRAMME_LEVELS, PROGRAMME_PRESETS, type ProgrammePreset } from '../../runtime/broadcast/programme-output'
import { aimCamera, dominantCamera, updateProgrammePose, type Programme } from '../../runtime/broadcast/programme'
import { hideOffAir, restoreOffAir } from './use-off-air'

/** Preview refresh per level of the 'camera-previews' lever: frames between two preview renders (0 = off). */
const PREVIEW_EVERY = [0, 8, 2] as const

/**
 * Bytes of the programme picture copied out of the GPU per capture step: a 720p frame (3.7 MB) is
 * then about eight steps and a put, each small enough to fit the leftover time of a frame.
 */
const CAPTURE_STEP_BYTES = 512 * 1024

/**
 * Runs a programme inside the one frame loop:
 *
 * - animation (order 10, after the host has posed the avatar): `fillSubject` writes the performer's
 *   head, the switcher advances, every camera rig moves (cheap maths, all of them, so a cut lands on
 *   a camera that was already tracking);
 * - jobs: the programme frame is a **deferrable job** queued at the programme's rate. It runs in the
 *   frame's leftover time; when the frame is full it waits for the level's patience (one programme
 *   frame, or half a second at the lowest level; then its deadline forces it), so the headset frame
 *   comes first. The governor's 'programme-camera' lever lowers resolution, then rate, then lets
 *   the programme wait for leftover time, before a headset frame is lost; previews are a separate,
 *   lower-priority job and lever ('camera-previews') that goes first;
 * - the readback of a captured frame is copied into the broadcast canvas by a third job, in steps
 *   of rows, once the GPU has finished it (no GPU wait, no long copy in one frame).
 *
 * Jobs are queued as they fall due (two small objects per programme frame, not per app frame).
 */
export function useProgrammeSystems(programme: Programme, preset: ProgrammePreset, fillSubject: (subject: Programme['subject']) => void): void {
  const { frame } = useLingjing()
  const gl = useThree((s) => s.gl)
  const scene = useThree((s) => s.scene)

  const runtime = useMemo(() => {
    const p = programme
    const state = {
      intervalMs: 1000 / PROGRAMME_LEVELS[p.level].fps,
      patienceMs: PROGRAMME_LEVELS[p.level].patienceMs,
      minFrames: PROGRAMME_LEVELS[p.level].minFrames,
      /** Headset frame at which the last programme frame was queued. */
      queuedFrame: -Infinity,
      nextDueMs: -Infinity,
      handle: null as JobHandle | null,
      previewHandle: null as JobHandle | null,
      previewEvery: PREVIEW_EVERY[PREVIEW_EVERY.length - 1] as number,
      previewCursor: 0,
      captureHandle: null as JobHandle | null,
    }
    const programmeJob: Job = {
      name: 'programme-camera',
      priority: 10,
      estimateMs: 2,
      step() {
        const start = frame.clock.now()
        const dominant = dominantCamera(p)
        aimCamera(p, p.pose, p.cameras[dominant].rig.kind === 'first-person')
        p.output.brightness = p.switcher.output.brightness
        hideOffAir(p)
        try {
          p.output.render(scene, p.camera, p.consumers > 0)
        } finally {
          restoreOffAir()
        }
        const ms = frame.clock.now() - start
        p.counters.lastRenderMs = ms
        p.counters.renderMsTotal += ms
        p.counters.jobsRun++
        return true
      },
    }
    const previewJob: Job = {
      name: 'camera-previews',
      priority: 1,
      estimateMs: 1,
      step() {
        const i = state.previewCursor
        state.previewCursor = (i + 1) % p.rigs.length
        const rig = p.rigs[i]
        const start = frame.clock.now()
        aimCamera(p, rig.pose, rig.spec.rig.kind === 'first-person')
        const previous = gl.getRenderTarget()
        const xr = gl.xr.enabled
        gl.xr.enabled = false
        hideOffAir(p)
        try {
          gl.setRenderTarget(p.previews[i])
          gl.render(scene, p.camera)
        } finally {
          restoreOffAir()
          gl.setRenderTarget(previous)
          gl.xr.enabled = xr
        }
        p.counters.previewsRendered++
        p.counters.previewMsTotal += frame.clock.now() - start
        return true
      },
    }
    // Copying a finished readback into the broadcast canvas is deferrable too, in steps: when it
    // falls behind, the next capture is skipped (the recording repeats a frame), never a headset frame.
    const captureJob: Job = {
      name: 'programme-capture',
      priority: 9,
      estimateMs: 1,
      step() {
        const start = frame.clock.now()
        const finished = p.output.copyStep(CAPTURE_STEP_BYTES)
        p.counters.captureMsTotal += frame.clock.now() - start
        p.counters.captureSteps++
        if (finished) p.counters.captures++
        return finished
      },
    }
    return { state, programmeJob, previewJob, captureJob }
  }, [programme, frame, gl, scene])

  useEffect(
    () => () => {
      runtime.state.handle?.cancel()
      runtime.state.previewHandle?.cancel()
      runtime.state.captureHandle?.cancel()
    },
    [runtime],
  )

  const programmeLever = useMemo<QualityScaler>(
    () => ({
      id: 'programme-camera',
      label: { zh: '节目画面分辨率与帧率', en: 'Programme resolution and rate' },
      maxLevel: PROGRAMME_PRESETS[preset],
      costPerLevelMs: 1.2,
      visualImpact: 0.2,
      apply(level) {
        programme.level = level
        const l = PROGRAMME_LEVELS[level]
        programme.output.setSize(l.width, l.height)
        runtime.state.intervalMs = 1000 / l.fps
        runtime.state.patienceMs = l.patienceMs
        runtime.state.minFrames = l.minFrames
      },
    }),
    // A new preset is a new lever (its top level changes).
    [programme, runtime, preset],
  )
  useQualityScaler(programmeLever)

  const previewLever = useMemo<QualityScaler>(
    () => ({
      id: 'camera-previews',
      label: { zh: '机位小预览', en: 'Camera previews' },
      maxLevel: PREVIEW_EVERY.length - 1,
      costPerLevelMs: 0.6,
      visualImpact: 0.05,
      apply(level) {
        runtime.state.previewEvery = PREVIEW_EVERY[level]
      },
    }),
    [runtime],
  )
  useQualityScaler(previewLever)

  useFrameSystem(
    'broadcast-cameras',
    'animation',
    (ctx) => {
      const p = programme
      fillSubject(p.subject)
      if (p.external) return // a re-shoot moves the switcher and the rigs on its output timeline
      p.switcher.update(ctx.deltaMs)
      const dt = Math.min(ctx.deltaMs / 1000, 0.1)
      const t = ctx.simTimeMs / 1000
      for (let i = 0; i < p.rigs.length; i++) updateCameraRig(p.rigs[i], p.subject, dt, t)
      updateProgrammePose(p)
    },
    10,
  )

  useFrameSystem('programme-camera', 'jobs', (ctx) => {
    const p = programme
    const s = runtime.state
    // Always, even after the last consumer stopped: a readback in flight must be collected.
    if ((s.captureHandle === null || s.captureHandle.done) && p.output.readyToCopy()) {
      runtime.captureJob.deadlineMs = frame.clock.now() + s.patienceMs
      s.captureHandle = frame.jobs.enqueue(runtime.captureJob)
    }
    if (p.external) return // a re-shoot renders every output frame itself
    if (s.handle !== null && !s.handle.done) p.counters.jobsLate++
    // Due by the programme's clock, and (at the lowest levels) not on consecutive headset frames.
    if (ctx.timeMs >= s.nextDueMs && ctx.frame - s.queuedFrame >= s.minFrames && (s.handle === null || s.handle.done)) {
      s.queuedFrame = ctx.frame
      // Catch up by skipping, never by bursting: one programme frame per due time at most.
      s.nextDueMs = ctx.timeMs - s.nextDueMs > s.intervalMs ? ctx.timeMs + s.intervalMs : s.nextDueMs + s.intervalMs
      // It waits for leftover time for the level's patience (one interval, or longer at the
      // lowest level); then it is forced.
      runtime.programmeJob.deadlineMs = frame.clock.now() + s.patienceMs
      s.handle = frame.jobs.enqueue(runtime.programmeJob)
      p.counters.jobsQueued++
    }
    if (s.previewEvery > 0 && ctx.frame % s.previewEvery === 0 && (s.previewHandle === null || s.previewHandle.done)) {
      s.previewHandle = frame.jobs.enqueue(runtime.previewJob)
    }
  })
}
