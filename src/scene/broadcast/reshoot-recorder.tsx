/**
 * Re-shoot mode (`?reshoot=<camera programme JSON>` with `?replay=NAME&replayMode=deterministic&
 * governor=off`): renders a recorded take again through another camera programme, frame by frame,
 * into a WebM (src/tools/reshoot.mjs drives it headless).
 *
 * - The replay runs deterministically: one recorded frame per app frame, recorded clock and seed.
 *   Recorded `camera-cut` events are not applied; the switcher follows the programme instead.
 * - The programme is `external` while this is mounted: the live per-frame systems only fill the
 *   subject (the host's head) and no longer advance the switcher, move the rigs or queue the
 *   deferrable programme job. This system does that on the *output* timeline: for every output
 *   frame n due at this recorded frame (see createReshootTimeline) it applies the cuts due, advances
 *   the switcher by 1/fps, moves the rigs with dt = 1/fps at time n/fps, and renders the programme
 *   camera **synchronously** at the preset size. No output frame is skipped; the headset frame rate
 *   does not matter here (this is an offline render, not a headset frame).
 * - Pending deferrable jobs are run to completion before each recorded frame is re-shot, so content
 *   that is built over several frames' leftover time (a painted texture) does not appear at a
 *   wall-clock-dependent frame.
 * - Frame by frame the pixels depend only on the take and the programme (the e2e test compares
 *   every frame's hash across runs). Three things had made them differ, each fixed at its cause:
 *   the host's rig is rebuilt at the replay's first frame, since its body smoothing remembered the
 *   wall-clock frames before the replay (livestream/use-host-system.ts); painted textures are CPU
 *   canvases, since a GPU canvas's anti-aliased edges vary with flush timing
 *   (create-paint-canvas.ts); the emulator's controller models stay off the programme, since they
 *   follow the XRFrame one frame behind the replayed input (input-visuals.tsx).
 * - The output pixels are read back synchronously (readPixels), hashed (FNV-1a over the raw RGBA,
 *   for determinism checks) and encoded (reshoot-encoder.ts) with timestamp n/fps.
 * - The run lives at module level, not in the component: a replay remounts the experience (fresh,
 *   with the recorded seed) and the re-shoot must carry on through that.
 *
 * `window.lingjing.reshoot` gives the tool the status, the frame hashes and the file (base64
 * chunks); `snapshot().reshoot` has the progress.
 */
import { useThree } from '@react-three/fiber'
import { use, useEffect, useLayoutEffect } from 'react'
import type { Scene, WebGLRenderer } from 'three'
import { createAppError } from '../../core/app/app-errors'
import { updateCameraRig } from '../../core/broadcast/camera-rigs'
import {
  RESHOOT_PRESETS,
  checkProgrammeFitsSession,
  createReshootTimeline,
  hashFrameBytes,
  scheduleCuts,
  validateCameraProgramme,
  type CameraProgramme,
  type ReshootTimeline,
  type ScheduledCut,
} from '../../core/broadcast/camera-programme'
import { useLingjing, type Lingjing } from '../lingjing-context'
import { useFrameSystem } from '../frame/use-frame-system'
import { aimCamera, dominantCamera, updateProgrammePose, type Programme } from '../../runtime/broadcast/programme'
import { createReshootEncoder, type ReshootEncoder } from '../../runtime/broadcast/reshoot-encoder'
import { hideOffAir, restoreOffAir } from './use-off-air'

/** Where a re-shoot is. */
export type ReshootState = 'starting' | 'ready' | 'rendering' | 'finishing' | 'done' | 'error'

/** What `window.lingjing.reshoot.status()` returns (JSON). */
export interface ReshootStatus {
  state: ReshootState
  error: { code: string; message: { en: string; zh: string }; path: string } | null
  preset: string | null
  fps: number | null
  width: number
  height: number
  codec: string | null
  mimeType: string | null
  cuts: number
  recordedFrames: number
  /** Recorded frames that produced output so far (the last one handled). */
  lastRecordedFrame: number
  outputFrames: number
  framesRendered: number
  /** Output frame n → the recorded frame it was rendered from. */
  sourceFrames: number[]
  /** FNV-1a of each output frame's raw RGBA, in order. */
  frameHashes: string[]
  /** Which camera was on air (dominant) in each output frame. */
  frameCameras: string[]
  /** Recorded frame k → the app frame (loop frame number) that re-shot it. */
  appFrames: number[]
  bytes: number
  stats: { renderMs: number; readbackMs: number; hashMs: number; encodeMs: number; maxEncodeQueue: number; wallMs: number }
}

/** `window.lingjing.reshoot`. */
export interface ReshootWindowApi {
  status(): ReshootStatus
  /** Bytes [offset, offset + length) of the finished WebM, base64. */
  read(offset: number, length: number): string
}

declare module '../../runtime/window-api' {
  interface LingjingWindowApi {
    /** Present in re-shoot mode (`?reshoot=`). */
    reshoot?: ReshootWindowApi
  }
}

interface ReshootRun {
  state: ReshootState
  error: ReshootStatus['error']
  programme: CameraProgramme | null
  encoder: ReshootEncoder | null
  timeline: ReshootTimeline | null
  cuts: ScheduledCut[]
  nextCut: number
  lastRecorded: number
  width: number
  height: number
  pixels: Uint8Array
  sourceFrames: number[]
  hashes: string[]
  cameras: string[]
  appFrames: number[]
  file: Uint8Array | null
  startedAtMs: number
  stats: ReshootStatus['stats']
}

const run: ReshootRun = {
  state: 'starting',
  error: null,
  programme: null,
  encoder: null,
  timeline: null,
  cuts: [],
  nextCut: 0,
  lastRecorded: -1,
  width: 0,
  height: 0,
  pixels: new Uint8Array(0),
  sourceFrames: [],
  hashes: [],
  cameras: [],
  appFrames: [],
  file: null,
  startedAtMs: 0,
  stats: { renderMs: 0, readbackMs: 0, hashMs: 0, encodeMs: 0, maxEncodeQueue: 0, wallMs: 0 },
}
let prepared: Promise<void> | null = null

/** Stops the run with a precise error (shown to the user, both languages; the replay goes on). */
function fail(lj: Lingjing, code: string, en: string, zh: string, path = ''): void {
  if (run.state === 'error') return
  run.state = 'error'
  run.error = { code, message: { en, zh }, path }
  run.encoder?.close()
  const programmeCodes = ['not-json', 'wrong-format', 'unknown-version', 'missing-field', 'bad-field', 'bad-cut', 'unknown-camera', 'time-order', 'after-end']
  lj.app.pushError(createAppError(programmeCodes.includes(code) ? 'reshoot-programme-invalid' : 'reshoot-failed', `${en}${path ? ` (${path})` : ''}`))
}

function status(): ReshootStatus {
  const p = run.programme
  return {
    state: run.state,
    error: run.error,
    preset: p?.preset ?? null,
    fps: p?.fps ?? null,
    width: run.width,
    height: run.height,
    codec: run.encoder?.codec ?? null,
    mimeType: run.encoder?.mimeType ?? null,
    cuts: p?.cuts.length ?? 0,
    recordedFrames: run.timeline ? run.lastRecorded + 1 : 0,
    lastRecordedFrame: run.lastRecorded,
    outputFrames: run.timeline?.outputFrames ?? 0,
    framesRendered: run.hashes.length,
    sourceFrames: run.sourceFrames,
    frameHashes: run.hashes,
    frameCameras: run.cameras,
    appFrames: run.appFrames,
    bytes: run.file?.length ?? 0,
    stats: { ...run.stats, maxEncodeQueue: run.encoder?.stats.maxQueue ?? 0 },
  }
}

function readBase64(offset: number, length: number): string {
  const file = run.file
  if (!file) throw new Error('the re-shoot has no file yet')
  const part = file.subarray(offset, Math.min(file.length, offset + length))
  let text = ''
  for (let i = 0; i < part.length; i += 0x8000) text += String.fromCharCode(...part.subarray(i, i + 0x8000))
  return btoa(text)
}

/**
 * Once per visit: validates the programme and the mode, opens the encoder. The promise settles
 * (never rejects: failures go to {@link fail}) when the run is ready or has failed.
 */
function prepareRun(lj: Lingjing, cameraIds: readonly string[]): Promise<void> {
  prepared ??= setUpRun(lj, cameraIds)
  return prepared
}

async function setUpRun(lj: Lingjing, cameraIds: readonly string[]): Promise<void> {
  if (window.lingjing) window.lingjing.reshoot = { status, read: readBase64 }
  const text = new URLSearchParams(location.search).get('reshoot') ?? ''
  const checked = validateCameraProgramme(text, cameraIds)
  if (!checked.ok) {
    fail(lj, checked.error.code, checked.error.message.en, checked.error.message.zh, checked.error.path)
    return
  }
  run.programme = checked.programme
  const { options } = lj
  if (options.replay === null || options.replayMode !== 'deterministic' || options.governor !== 'off') {
    fail(
      lj,
      'mode',
      'A re-shoot needs ?replay=NAME&replayMode=deterministic&governor=off (a deterministic replay whose quality never changes).',
      '重新拍摄需要 ?replay=NAME&replayMode=deterministic&governor=off（确定性回放，画质不变）。',
    )
    return
  }
  const size = RESHOOT_PRESETS[checked.programme.preset]
  run.width = size.width
  run.height = size.height
  run.pixels = new Uint8Array(size.width * size.height * 4)
  await createReshootEncoder({ width: size.width, height: size.height, fps: checked.programme.fps }).then(
    (encoder) => {
      if (run.state === 'error') {
        encoder.close()
        return
      }
      run.encoder = encoder
      run.state = 'ready'
    },
    (error: unknown) => fail(lj, 'encoder', `No video encoder: ${error instanceof Error ? error.message : String(error)}`, `没有可用的视频编码器：${error instanceof Error ? error.message : String(error)}`),
  )
}

/** Renders output frame n of the programme into the encoder (see the file header). */
function renderOutputFrame(lj: Lingjing, p: Programme, gl: WebGLRenderer, scene: Scene, n: number, k: number): void {
  const programme = run.programme!
  const fps = programme.fps
  const clock = lj.frame.clock
  if (n > 0) p.switcher.update(1000 / fps)
  while (run.nextCut < run.cuts.length && run.cuts[run.nextCut].frame <= n) {
    const cut = run.cuts[run.nextCut++]
    p.switcher.take(cut.camera, cut.transition, cut.durationMs)
    // A cut between two output frames has already run for leadMs at this frame's time.
    if (cut.leadMs > 0) p.switcher.update(cut.leadMs)
  }
  const dt = n === 0 ? 0 : 1 / fps
  for (let i = 0; i < p.rigs.length; i++) updateCameraRig(p.rigs[i], p.subject, dt, n / fps)
  updateProgrammePose(p)
  const dominant = dominantCamera(p)
  aimCamera(p, p.pose, p.cameras[dominant].rig.kind === 'first-person')
  p.output.setSize(run.width, run.height)
  p.output.brightness = p.switcher.output.brightness
  const t0 = clock.now()
  hideOffAir(p)
  try {
    p.output.render(scene, p.camera, false)
  } finally {
    restoreOffAir()
  }
  const t1 = clock.now()
  // Synchronous readback: fine offline, and it guarantees the frame is complete before encoding.
  gl.readRenderTargetPixels(p.output.output, 0, 0, run.width, run.height, run.pixels)
  const t2 = clock.now()
  run.hashes.push(hashFrameBytes(run.pixels))
  run.sourceFrames.push(k)
  run.cameras.push(p.cameras[dominant].id)
  const t3 = clock.now()
  run.encoder!.encode(run.pixels, n)
  const t4 = clock.now()
  run.stats.renderMs += t1 - t0
  run.stats.readbackMs += t2 - t1
  run.stats.hashMs += t3 - t2
  run.stats.encodeMs += t4 - t3
}

function finish(lj: Lingjing): void {
  run.state = 'finishing'
  run.encoder!.finish().then(
    (file) => {
      run.file = file
      run.stats.wallMs = lj.frame.clock.now() - run.startedAtMs
      run.state = 'done'
    },
    (error: unknown) => fail(lj, 'encoder', `Encoding failed: ${error instanceof Error ? error.message : String(error)}`, `编码失败：${error instanceof Error ? error.message : String(error)}`),
  )
}

/** Mounted by ReshootMount inside a BroadcastStudio when `?reshoot=` is present. */
export default function ReshootRecorder({ programme }: { programme: Programme }) {
  const lj = useLingjing()
  const gl = useThree((s) => s.gl)
  const scene = useThree((s) => s.scene)

  useLayoutEffect(() => {
    programme.external = true
    return () => {
      programme.external = false
    }
  }, [programme])

  // Suspends the experience (so the replay waits) until the encoder is open or the run has failed.
  use(prepareRun(lj, programme.cameras.map((c) => c.id)))

  useEffect(
    () =>
      lj.diagnostics.setSection('reshoot', () => {
        const s = status()
        return { state: s.state, error: s.error, preset: s.preset, fps: s.fps, codec: s.codec, outputFrames: s.outputFrames, framesRendered: s.framesRendered, lastRecordedFrame: s.lastRecordedFrame, bytes: s.bytes }
      }),
    [lj],
  )

  useFrameSystem('reshoot', 'post', (ctx) => {
    if (run.state !== 'ready' && run.state !== 'rendering') return
    const driver = lj.xrSessions.replay
    if (!driver || driver.phase === 'waiting') return
    const k = driver.frame
    if (k === run.lastRecorded || k < 0) return
    const player = driver.player
    if (run.state === 'ready') {
      if (k !== 0) {
        fail(lj, 'timeline', `The replay was already at recorded frame ${k} when the re-shoot began.`, `重新拍摄开始时回放已在第 ${k} 帧。`)
        return
      }
      const times: number[] = []
      for (let i = 0; i < player.frameCount; i++) times.push(player.frameTimeMs(i))
      const timeline = createReshootTimeline(times, run.programme!.fps)
      const late = checkProgrammeFitsSession(run.programme!, timeline.durationMs)
      if (late) {
        fail(lj, late.code, late.message.en, late.message.zh, late.path)
        return
      }
      run.timeline = timeline
      run.cuts = scheduleCuts(run.programme!)
      run.startedAtMs = lj.frame.clock.now()
      // The rigs start from the first recorded frame, not from whatever ran before the replay.
      for (const rig of programme.rigs) {
        rig.eye.primed = false
        rig.look.primed = false
      }
      run.state = 'rendering'
    } else if (k !== run.lastRecorded + 1) {
      fail(lj, 'timeline', `Recorded frames ${run.lastRecorded + 1}–${k - 1} went by without being re-shot.`, `第 ${run.lastRecorded + 1}–${k - 1} 帧未被重新拍摄。`)
      return
    }
    run.lastRecorded = k
    run.appFrames.push(ctx.frame)
    // Deferred work (the Earth's texture is painted over several frames' leftover time) finishes
    // before a re-shot frame: its progress follows the wall clock, and the picture must not.
    for (let i = 0; i < 100 && lj.frame.jobs.size > 0; i++) lj.frame.jobs.run(1e6)
    const timeline = run.timeline!
    try {
      for (let n = timeline.firstOutputOf(k); n < timeline.endOutputOf(k); n++) renderOutputFrame(lj, programme, gl, scene, n, k)
    } catch (error) {
      fail(lj, 'render', `Output frame ${run.hashes.length}: ${error instanceof Error ? error.message : String(error)}`, `输出第 ${run.hashes.length} 帧：${error instanceof Error ? error.message : String(error)}`)
      return
    }
    if (k === player.frameCount - 1) finish(lj)
  })

  return null
}
