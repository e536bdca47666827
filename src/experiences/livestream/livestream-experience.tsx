import { VRMFirstPerson, type VRM } from '@pixiv/three-vrm'
import { useLoader, useThree } from '@react-three/fiber'
import { XROrigin, useXR } from '@react-three/xr'
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { Group, Object3D } from 'three'
import { GLTFLoader, type GLTF } from 'three/examples/jsm/loaders/GLTFLoader.js'
import { createAppError } from '../../core/app/app-errors'
import {
  EXPRESSION_PRESETS,
  loadCalibration,
  saveCalibration,
  solveCalibration,
  type Calibration,
  type ExpressionPreset,
} from '../../core/avatar'
import type { Bilingual } from '../../core/i18n/strings'
import { LEFT_SLOT, RIGHT_SLOT, type XRInputSnapshot } from '../../core/input/input-snapshot'
import { useLingjing } from '../../lingjing-context'
import {
  applyCalibration,
  createAvatarRig,
  fillRigFromSnapshot,
  fillRigIdle,
  fitCalibration,
  rigFingerReadout,
  rigHandPositions,
  setRigExpression,
  updateRigBody,
  updateRigFace,
  type AvatarRig,
} from '../../scene/avatar/avatar-rig'
import {
  DEFAULT_AVATAR_URL,
  createVrmLoader,
  describeVrm,
  disposeVrm,
  fetchUserVrm,
  readUserVrmFile,
  prepareVrm,
  registerVrm,
  type AvatarLoadResult,
  type LoadedAvatar,
} from '../../scene/avatar/load-vrm'
import { createMicrophone, sampleMicrophone, startMicrophone, stopMicrophone, type MicrophoneStatus } from '../../scene/avatar/microphone'
import { BackToHub } from '../../scene/components/back-to-hub'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import { useLang } from '../../ui/use-lang'
import { fillSubjectFromRig, useStudioProgramme } from './programme-feed'
import { BroadcastStudio } from '../../scene/broadcast/broadcast-studio'
import { InWorldStudioControls, useDomStudioControls, type StudioControlsModel } from './studio-controls'
import { STAGE_TOP, Studio, type Backdrop } from './studio'
import { StudioMirror } from './studio-mirror'
import { useOffAir } from '../../scene/broadcast/use-off-air'
import { freezeStatic } from '../../scene/render/scene-matrices'
import { useLinkRequest } from '../../ui/link-confirm'

/** Seconds the wearer has to spread their arms after pressing "calibrate". */
const CALIBRATION_COUNTDOWN_S = 3
/** Controller face buttons (xr-standard slots) → expressions. */
const THUMBSTICK = 3
const FACE_A_X = 4
const FACE_B_Y = 5

/** Desktop camera placements: a 3/4 studio view, and over the host's shoulder toward the monitor. */
type Vec3 = [number, number, number]
const VIEWS: Record<'audience' | 'monitor', { position: Vec3; lookAt: Vec3 }> = {
  audience: { position: [1.9, 1.75, 3.0], lookAt: [0, 1.2, 0] },
  monitor: { position: [0.45, 2.05, -1.35], lookAt: [0, 1.75, 3.2] },
}

const MONITOR_POSITION: [number, number, number] = [0, 2.05, 3.2]

/** Per-mount mutable state the frame loop reads (never React state). */
interface HostState {
  rig: AvatarRig | null
  /** The frame's input: `lj.xrSessions.input` (the live XRFrame, or the replayed take). */
  readonly input: XRInputSnapshot
  /** Builds a fresh rig for the shown avatar (set by the avatar effect). */
  buildRig: (() => AvatarRig) | null
  /** The replay whose first frame the rig was last rebuilt for. */
  rebuiltFor: object | null
  readonly prevPressed: Uint8Array
  /** Seconds left in the calibration countdown, or -1. */
  countdown: number
  lastCountdownShown: number
}

function deviceKey(name: string | null | undefined): string {
  return `${name ?? 'browser'}|${navigator.userAgent}`
}

function storage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

const setUp = new WeakSet<VRM>()
/** Hides the head from the wearer's own eyes, keeps it for every other camera (three-vrm layers). */
function setupFirstPerson(vrm: VRM): void {
  if (setUp.has(vrm)) return
  setUp.add(vrm)
  vrm.firstPerson?.setup()
}

/**
 * The XR livestream room: the wearer becomes the virtual host. Head and hands drive a VRM avatar
 * standing on the stage facing the cameras; the microphone drives the lips; a virtual camera feeds
 * the programme monitor. Bring-your-own VRM via `?avatar=URL`, the file picker or drag and drop.
 */
export default function LivestreamExperience() {
  const lj = useLingjing()
  const lang = useLang()
  const camera = useThree((s) => s.camera)
  const session = useXR((s) => s.session)

  // The default host suspends the experience while it downloads, reporting progress to the shell.
  const gltf = useLoader(GLTFLoader, DEFAULT_AVATAR_URL, registerVrm, (event) => {
    if (event.total > 0) lj.app.setState({ loading: { phase: 'assets', progress: 0.1 + 0.75 * (event.loaded / event.total) } })
  }) as GLTF
  const defaultAvatar = useMemo<LoadedAvatar>(() => {
    const vrm = prepareVrm(gltf.userData.vrm as VRM)
    const { name, version } = describeVrm(vrm, 'Lingjing Host')
    return { vrm, name, version, source: 'default' }
  }, [gltf])

  const [custom, setCustom] = useState<LoadedAvatar | null>(null)
  const avatar = custom ?? defaultAvatar
  const [backdrop, setBackdrop] = useState<Backdrop>('space')
  const [mic, setMicStatus] = useState<MicrophoneStatus>('off')
  const [calibrationText, setCalibrationText] = useState<Bilingual | null>(null)
  const [calibrated, setCalibrated] = useState(false)
  const [view, setView] = useState<'audience' | 'monitor'>('audience')
  const [mirror, setMirror] = useState(false)

  const space = useRef<Group>(null)
  const crew = useRef<Group>(null)
  const cameraBody = useRef<Group>(null)
  const microphone = useMemo(() => createMicrophone(), [])
  const programme = useStudioProgramme()
  const host = useMemo<HostState>(
    () => ({ rig: null, input: lj.xrSessions.input, buildRig: null, rebuiltFor: null, prevPressed: new Uint8Array(14), countdown: -1, lastCountdownShown: -1 }),
    [lj],
  )
  const loader = useMemo(() => createVrmLoader(), [])
  const key = deviceKey(lj.support.deviceName)

  // --- Avatar lifecycle: build the rig whenever the shown avatar changes. ---------------------
  useLayoutEffect(() => {
    const origin = space.current
    if (!origin) return
    const build = () => {
      // prepareVrm puts the (possibly cached, already posed) VRM back in its rest pose first.
      const vrm = prepareVrm(avatar.vrm)
      setupFirstPerson(vrm)
      const store = storage()
      const stored = store ? loadCalibration(store, key) : null
      const rig = createAvatarRig(vrm, origin, stored)
      // The host looks into the on-air camera's lens, like a presenter.
      if (rig.vrm.lookAt) rig.vrm.lookAt.target = programme.lens
      return rig
    }
    const rig = build()
    host.rig = rig
    host.buildRig = build
    setCalibrated(rig.calibration !== null)
    return () => {
      // The rig may have been rebuilt since (a replay's first frame); it is this effect's either way.
      if (host.buildRig === build) {
        host.rig = null
        host.buildRig = null
      }
    }
  }, [avatar, programme, host, key])

  // A replaced user avatar frees its GPU memory; the cached default is kept.
  useEffect(() => {
    if (!custom) return
    return () => disposeVrm(custom.vrm)
  }, [custom])

  const acceptResult = useCallback(
    (result: AvatarLoadResult) => {
      if (result.ok) {
        setCustom(result.avatar)
        return
      }
      const detail = lj.app.getState().lang === 'zh' ? `${result.message.zh} / ${result.message.en}` : `${result.message.en} / ${result.message.zh}`
      lj.app.pushError(createAppError('avatar-invalid', detail))
    },
    [lj],
  )

  // ?avatar=URL: once the host accepts it (a link must not swap the presenter by itself),
  // validated, then swapped in; a bad file leaves the current avatar.
  const linkedAvatar = useLinkRequest('avatar')
  useEffect(() => {
    const url = linkedAvatar
    if (!url) return
    let cancelled = false
    // Bounded download (size, time); leaving the room aborts it.
    const abort = new AbortController()
    void fetchUserVrm(url, loader, { signal: abort.signal }).then((result) => {
      if (!cancelled) acceptResult(result)
    })
    return () => {
      cancelled = true
      abort.abort()
    }
  }, [acceptResult, loader, linkedAvatar])

  const loadFile = useCallback(
    (file: File) => {
      // Size checked before reading; a read failure is an error the host sees, not silence.
      void readUserVrmFile(file, loader).then(acceptResult)
    },
    [acceptResult, loader],
  )

  // Drag and drop a .vrm anywhere on the page.
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault()
    }
    const drop = (e: DragEvent) => {
      const file = e.dataTransfer?.files[0]
      if (!file) return
      e.preventDefault()
      loadFile(file)
    }
    window.addEventListener('dragover', over)
    window.addEventListener('drop', drop)
    return () => {
      window.removeEventListener('dragover', over)
      window.removeEventListener('drop', drop)
    }
  }, [loadFile])

  // --- Expressions: keys 1–6 on a keyboard. ---------------------------------------------------
  // A change of expression goes on the recording's timeline as an app event (and, during a
  // deterministic replay, into its state hash); repeated presses of the same preset are not events.
  const pressExpression = useCallback(
    (rig: AvatarRig, preset: ExpressionPreset, source: 'controller' | 'screen') => {
      if (rig.blender.target.preset === preset) return
      setRigExpression(rig, preset)
      lj.xrSessions.recordEvent('expression', { preset, source })
    },
    [lj],
  )
  const setExpression = useCallback(
    (preset: ExpressionPreset) => {
      if (host.rig) pressExpression(host.rig, preset, 'screen')
    },
    [host, pressExpression],
  )
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return
      const n = Number.parseInt(e.key, 10)
      if (n >= 1 && n <= EXPRESSION_PRESETS.length) setExpression(EXPRESSION_PRESETS[n - 1])
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [setExpression])

  // --- Microphone (user action only). ----------------------------------------------------------
  const onMic = useCallback(() => {
    setMicStatus('starting')
    void startMicrophone(microphone).then(({ status, detail }) => {
      setMicStatus(status)
      if (status === 'denied' || status === 'unavailable') lj.app.pushError(createAppError('microphone-denied', detail))
    })
  }, [lj, microphone])
  useEffect(() => () => stopMicrophone(microphone), [microphone])

  // --- Calibration: a countdown, then one T-pose sample. ---------------------------------------
  const onCalibrate = useCallback(() => {
    if (!lj.xr.getState().session) {
      setCalibrationText({
        zh: '请先进入 VR：校准需要读取头显和两个手柄的位置。',
        en: 'Enter VR first: calibration reads the headset and both controllers.',
      })
      return
    }
    host.countdown = CALIBRATION_COUNTDOWN_S
    host.lastCountdownShown = -1
  }, [host, lj])

  const finishCalibration = useCallback(() => {
    const rig = host.rig
    if (!rig) return
    const s = host.input
    const left = s.sources[LEFT_SLOT]
    const right = s.sources[RIGHT_SLOT]
    const wrists = left.kind === 'hand' && right.kind === 'hand' && left.jointsValid && right.jointsValid
    const point = (src: typeof left) =>
      wrists ? { x: src.joints[0], y: src.joints[1], z: src.joints[2] } : { x: src.grip.position[0], y: src.grip.position[1], z: src.grip.position[2] }
    const h = s.head
    const result = solveCalibration(
      {
        head: { x: h.position[0], y: h.position[1], z: h.position[2] },
        headRotation: { x: h.orientation[0], y: h.orientation[1], z: h.orientation[2], w: h.orientation[3] },
        leftHand: point(left),
        rightHand: point(right),
        handPoint: wrists ? 'wrist' : 'grip',
      },
      rig.measurements,
    )
    if (!result.ok) {
      setCalibrationText(result.error.message)
      return
    }
    const fitted: Calibration | null = fitCalibration(result.calibration, rig.measurements)
    applyCalibration(rig, fitted)
    const store = storage()
    if (store) saveCalibration(store, key, result.calibration)
    setCalibrated(true)
    const cm = Math.round(result.calibration.height * 100)
    setCalibrationText({ zh: `已校准：身高约 ${cm} 厘米，已为此设备保存。`, en: `Calibrated: about ${cm} cm tall, saved for this device.` })
  }, [host, key])

  // --- First-person layers: the wearer never sees their own head from inside. -------------------
  useEffect(() => {
    const first = VRMFirstPerson.DEFAULT_FIRSTPERSON_ONLY_LAYER
    const third = VRMFirstPerson.DEFAULT_THIRDPERSON_ONLY_LAYER
    // XR eye cameras inherit the default camera's layers when a session renders.
    if (session) {
      camera.layers.enable(first)
      camera.layers.disable(third)
    } else {
      camera.layers.enable(third)
      camera.layers.disable(first)
    }
    return () => {
      camera.layers.disable(first)
      camera.layers.disable(third)
    }
  }, [camera, session])

  // --- Desktop camera. ---------------------------------------------------------------------------
  useLayoutEffect(() => {
    const v = VIEWS[view]
    camera.position.set(...v.position)
    camera.lookAt(...v.lookAt)
    camera.updateMatrixWorld()
  }, [camera, view])

  // Crew-only objects (controls, back button) stay out of the programme.
  useOffAir(programme, crew)
  useOffAir(programme, cameraBody)
  // The camera body and the crew's panels never move: matrices composed once, not every frame.
  useEffect(() => {
    if (cameraBody.current) freezeStatic(cameraBody.current)
    if (crew.current) freezeStatic(crew.current)
  }, [])

  // --- The per-frame host system. ----------------------------------------------------------------
  useFrameSystem('livestream-host', 'animation', (ctx) => {
    if (!host.rig) return
    const dt = Math.min(ctx.deltaMs / 1000, 0.1)
    const replay = lj.xrSessions.replay
    // A replay's first played frame starts the host from scratch (rest pose, fresh smoothing,
    // springs, blink and expression), so the take looks the same whatever ran before it: the frames
    // before a replay starts follow the wall clock, and the body's smoothing remembers them. Once
    // per replay (a one-off rebuild, like a mount), not per frame.
    if (replay && replay.phase !== 'waiting' && host.rebuiltFor !== replay && host.buildRig) {
      host.rebuiltFor = replay
      host.rig = host.buildRig()
    }
    const rig = host.rig
    if (lj.xrSessions.inputValid) {
      fillRigFromSnapshot(rig, host.input, dt)
      // Face buttons: A/B on the right, X/Y on the left, either stick click → neutral.
      for (let slot = 0; slot < 2; slot++) {
        const src = host.input.sources[slot]
        const o = slot * 7
        for (const b of [THUMBSTICK, FACE_A_X, FACE_B_Y]) {
          const now = src.hasGamepad ? src.pressed[b] : 0
          if (now && !host.prevPressed[o + b]) {
            const preset: ExpressionPreset =
              b === THUMBSTICK ? 'neutral' : slot === RIGHT_SLOT ? (b === FACE_A_X ? 'happy' : 'surprised') : b === FACE_A_X ? 'sad' : 'relaxed'
            pressExpression(rig, preset, 'controller')
          }
          host.prevPressed[o + b] = now
        }
      }
    } else {
      fillRigIdle(rig, ctx.timeMs / 1000)
    }
    updateRigBody(rig, dt)

    if (host.countdown >= 0) {
      host.countdown -= dt
      const shown = Math.ceil(host.countdown)
      if (host.countdown <= 0) {
        host.countdown = -1
        finishCalibration()
      } else if (shown !== host.lastCountdownShown) {
        // Once a second, not per frame.
        host.lastCountdownShown = shown
        setCalibrationText({ zh: `双臂向两侧平举… ${shown}`, en: `Arms out to the sides… ${shown}` })
      }
    }

    updateRigFace(rig, dt, sampleMicrophone(microphone), microphone.sampleRate, microphone.fftSize)
  })

  // --- Diagnostics (computed on demand). --------------------------------------------------------
  useEffect(
    () =>
      lj.diagnostics.setSection('avatar', () => {
        const rig = host.rig
        const w = rig?.blender.weights
        const round = (n: number) => Math.round(n * 1000) / 1000
        const grip = (slot: number) => {
          const src = host.input.sources[slot]
          return src.connected ? Array.from(src.grip.position, (n) => round(n)) : null
        }
        return {
          loaded: rig !== null,
          name: avatar.name,
          vrmVersion: avatar.version,
          source: avatar.source,
          calibrated: rig?.calibration != null,
          scale: rig ? round(rig.vrm.scene.scale.x) : 1,
          expression: rig?.blender.target.preset ?? 'neutral',
          expressionWeights: w ? { happy: round(w.happy), angry: round(w.angry), sad: round(w.sad), relaxed: round(w.relaxed), surprised: round(w.surprised) } : null,
          visemeWeights: w ? { aa: round(w.aa), ih: round(w.ih), ou: round(w.ou), ee: round(w.ee), oh: round(w.oh) } : null,
          blink: w ? round(w.blink) : 0,
          tracking: rig?.tracking ?? false,
          hands: rig ? rigHandPositions(rig) : null,
          fingers: rig ? rigFingerReadout(rig) : null,
          inputKinds: { left: host.input.sources[LEFT_SLOT].kind, right: host.input.sources[RIGHT_SLOT].kind },
          grips: { left: grip(LEFT_SLOT), right: grip(RIGHT_SLOT) },
          mic: microphone.status,
          backdrop,
          programme: { width: programme.output.output.width, height: programme.output.output.height, level: programme.level, framesRendered: programme.output.stats.rendered },
        }
      }),
    [avatar, backdrop, programme, host, lj, microphone],
  )

  const model: StudioControlsModel = {
    lang,
    backdrop,
    mic,
    calibration: calibrationText,
    calibrated,
    avatarName: avatar.name,
    view,
    mirror,
    onMic,
    onCalibrate,
    onBackdrop: setBackdrop,
    onExpression: setExpression,
    onFile: loadFile,
    onView: () => setView((v) => (v === 'audience' ? 'monitor' : 'audience')),
    onMirror: () => setMirror((on) => !on),
  }
  useDomStudioControls(model)

  return (
    <>
      <Studio backdrop={backdrop} lang={lang} />
      {/* Tracking space on the stage, turned so the wearer's forward (-Z) faces the cameras (+Z). */}
      <XROrigin ref={space} position={[0, STAGE_TOP, 0]} rotation={[0, Math.PI, 0]}>
        <primitive object={avatar.vrm.scene as Object3D} />
      </XROrigin>
      {/* The programme camera body, in front of the stage (off air: its stand ran down the middle of the wide shot). */}
      <group ref={cameraBody} position={[0, 1.5, 2.7]}>
        <mesh>
          <boxGeometry args={[0.16, 0.14, 0.26]} />
          <meshStandardMaterial color="#202028" metalness={0.5} roughness={0.4} />
        </mesh>
        <mesh position={[0, 0, -0.16]} rotation={[Math.PI / 2, 0, 0]}>
          <cylinderGeometry args={[0.045, 0.05, 0.08, 20]} />
          <meshStandardMaterial color="#0c0c10" metalness={0.8} roughness={0.2} />
        </mesh>
        <mesh position={[0, 0.09, 0.04]}>
          <sphereGeometry args={[0.014, 10, 8]} />
          <meshBasicMaterial color="#ff2a3a" toneMapped={false} />
        </mesh>
        <mesh position={[0, -0.78, 0.05]}>
          <cylinderGeometry args={[0.025, 0.06, 1.4, 10]} />
          <meshStandardMaterial color="#2a2a33" metalness={0.6} roughness={0.4} />
        </mesh>
      </group>
      <BroadcastStudio
        programme={programme}
        experience="livestream"
        fillSubject={(subject) => fillSubjectFromRig(subject, host.rig)}
        getMicrophone={() => microphone.stream}
        monitor={{ position: MONITOR_POSITION, rotationY: Math.PI }}
        console={{ position: [0, 0.95 + STAGE_TOP, 0.78], rotation: [0.7, Math.PI, 0] }}
      />
      {mirror && <StudioMirror programme={programme} thirdPersonLayer={VRMFirstPerson.DEFAULT_THIRDPERSON_ONLY_LAYER} />}
      <group ref={crew}>
        <InWorldStudioControls model={model} position={[-0.8, 1.25 + STAGE_TOP, 0.65]} rotationY={2.29} />
        <BackToHub position={[0.85, 1.1 + STAGE_TOP, 0.7]} rotationY={-2.23} />
      </group>
    </>
  )
}
