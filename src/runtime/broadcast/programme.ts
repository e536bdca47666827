/**
 * The programme: the studio's cameras, the switcher that picks one, the camera that renders it and
 * the output chain that carries the picture to the monitor, the recorder and the live encoder. Plain
 * objects (no React) so any experience can host a broadcast: it supplies its cameras and a subject
 * (whose head the cameras follow), and mounts {@link useProgrammeSystems}.
 */
import { LinearFilter, Object3D, PerspectiveCamera, UnsignedByteType, WebGLRenderTarget, type WebGLRenderer } from 'three'
import { blendCameraPoses, createCameraPose, createCameraRig, type CameraPose, type CameraRig, type CameraSpec, type CameraSubject } from '../../core/broadcast/camera-rigs'
import { createVec3 } from '../../core/broadcast/smoothing'
import { createSwitcher, type Switcher, type TransitionKind } from '../../core/broadcast/switcher'
import { PROGRAMME_LEVELS, PROGRAMME_PRESETS, createProgrammeOutput, type ProgrammeOutput, type ProgrammePreset } from './programme-output'

/** Size of each camera's small preview. */
export const PREVIEW_SIZE = { width: 256, height: 144 } as const

/** What the programme's work costs, counted inside the frame loop. */
export interface ProgrammeCounters {
  jobsQueued: number
  jobsLate: number
  previewsRendered: number
  /** JS cost of the last programme frame (render + output pass + readback start), ms. */
  lastRenderMs: number
  /** Sum of every programme frame's cost, ms (with `jobsRun`, the mean per programme frame). */
  renderMsTotal: number
  jobsRun: number
  /** Sum of the preview renders' cost, ms. */
  previewMsTotal: number
  /** Sum of the capture steps (readback copied into the broadcast canvas), ms, and the frames they completed. */
  captureMsTotal: number
  captures: number
  /** Capture steps run (a 720p frame is about nine: eight of rows and the put). */
  captureSteps: number
}

/** Everything the programme systems and the control surfaces share (mutable, never React state). */
export interface Programme {
  readonly cameras: readonly CameraSpec[]
  readonly rigs: readonly CameraRig[]
  readonly switcher: Switcher
  /** The camera that renders the programme (and, one at a time, the previews). */
  readonly camera: PerspectiveCamera
  /** Where the on-air camera's lens is (a performer can look into it); held during a first-person shot. */
  readonly lens: Object3D
  /** This frame's programme pose (after a `move` blend). */
  readonly pose: CameraPose
  /** The performer: the cameras follow this head (filled by the host each frame). */
  readonly subject: CameraSubject
  readonly output: ProgrammeOutput
  /** One small target per camera, refreshed round-robin when there is time. */
  readonly previews: readonly WebGLRenderTarget[]
  /** Objects that must not appear on air (the monitor itself, crew-only panels). */
  readonly offAir: Object3D[]
  /** Layers: the audience sees the whole host; a first-person shot hides the head like the wearer's own eyes. */
  readonly layers: { thirdPerson: number; firstPerson: number }
  /** Transition used by the control surfaces. */
  transition: TransitionKind
  preset: ProgrammePreset
  /** Governor level of the programme (index into PROGRAMME_LEVELS). */
  level: number
  /** Readers of the broadcast canvas (recorder, live); the readback runs only while > 0. */
  consumers: number
  /**
   * True while a re-shoot drives the switcher and the rigs on its own output timeline and renders
   * every output frame itself (reshoot-recorder.tsx): the per-frame systems then only fill the subject.
   */
  external: boolean
  /** Counters for diagnostics and the benchmark (the benchmark reads the totals' differences). */
  readonly counters: ProgrammeCounters
}

/** Creates the programme for a set of cameras (once per experience mount). */
export function createProgramme(
  gl: WebGLRenderer,
  cameras: readonly CameraSpec[],
  layers: { thirdPerson: number; firstPerson: number },
  preset: ProgrammePreset = '720p',
): Programme {
  const top = PROGRAMME_LEVELS[PROGRAMME_PRESETS[preset]]
  const camera = new PerspectiveCamera(40, 16 / 9, 0.05, 200)
  camera.layers.enable(layers.thirdPerson)
  const previews = cameras.map(() => {
    const t = new WebGLRenderTarget(PREVIEW_SIZE.width, PREVIEW_SIZE.height, { type: UnsignedByteType, samples: 0 })
    t.texture.minFilter = LinearFilter
    t.texture.generateMipmaps = false
    return t
  })
  return {
    cameras,
    rigs: cameras.map(createCameraRig),
    switcher: createSwitcher({ cameras: cameras.map((c) => c.id), programme: cameras[1]?.id, preview: cameras[2]?.id }),
    camera,
    lens: new Object3D(),
    pose: createCameraPose(),
    subject: { head: createVec3(0, 1.6, 0), forward: createVec3(0, 0, 1) },
    output: createProgrammeOutput(gl, top.width, top.height),
    previews,
    offAir: [],
    layers,
    transition: 'dip',
    preset,
    level: PROGRAMME_PRESETS[preset],
    consumers: 0,
    external: false,
    counters: { jobsQueued: 0, jobsLate: 0, previewsRendered: 0, lastRenderMs: 0, renderMsTotal: 0, jobsRun: 0, previewMsTotal: 0, captureMsTotal: 0, captures: 0, captureSteps: 0 },
  }
}

/** Computes this frame's programme pose from the switcher output into `programme.pose`. */
export function updateProgrammePose(p: Programme): CameraPose {
  const out = p.switcher.output
  const from = p.rigs[out.from].pose
  if (out.from !== out.to && out.blend > 0) blendCameraPoses(p.pose, from, p.rigs[out.to].pose, out.blend)
  else blendCameraPoses(p.pose, from, from, 0)
  if (p.cameras[dominantCamera(p)].rig.kind !== 'first-person') {
    p.lens.position.set(p.pose.position.x, p.pose.position.y, p.pose.position.z)
    p.lens.updateMatrixWorld()
  }
  return p.pose
}

/** Index of the camera whose look the picture has now (the nearer end of a move). */
export function dominantCamera(p: Programme): number {
  const out = p.switcher.output
  return out.from !== out.to && out.blend >= 0.5 ? out.to : out.from
}

/** Points a three camera along a pose, with layers for a first-person shot. No allocation. */
export function aimCamera(p: Programme, pose: CameraPose, firstPerson: boolean): void {
  const c = p.camera
  c.position.set(pose.position.x, pose.position.y, pose.position.z)
  c.lookAt(pose.target.x, pose.target.y, pose.target.z)
  if (c.fov !== pose.fov) {
    c.fov = pose.fov
    c.updateProjectionMatrix()
  }
  c.updateMatrixWorld()
  if (firstPerson) {
    c.layers.disable(p.layers.thirdPerson)
    c.layers.enable(p.layers.firstPerson)
  } else {
    c.layers.enable(p.layers.thirdPerson)
    c.layers.disable(p.layers.firstPerson)
  }
}

/** Frees the GPU resources of a programme. */
export function disposeProgramme(p: Programme): void {
  p.output.dispose()
  for (const t of p.previews) t.dispose()
}
