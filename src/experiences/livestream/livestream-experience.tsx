import { VRMFirstPerson, type VRM } from '@pixiv/three-vrm'
import type { VRMAnimation } from '@pixiv/three-vrm-animation'
import { useLoader, useThree } from '@react-three/fiber'
import { XROrigin, useXR } from '@react-three/xr'
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { Object3D, type Group } from 'three'
import { GLTFLoader, type GLTF } from 'three/examples/jsm/loaders/GLTFLoader.js'
import { createAppError } from '../../core/app/app-errors'
import {
  acceptEmoteCommand,
  createEmoteCommands,
  expressionBindingsKey,
  loadCalibration,
  loadExpressionBindings,
  saveCalibration,
  saveExpressionBindings,
  solveCalibration,
  type Calibration,
  type ExpressionBindings,
  type ExpressionButton,
} from '../../core/avatar'
import type { DanmakuMessage } from '../../core/broadcast/danmaku'
import type { Bilingual } from '../../core/i18n/strings'
import { LEFT_SLOT, RIGHT_SLOT, createInputSnapshot, type XRInputSnapshot } from '../../core/input/input-snapshot'
import { createFaceSender, createRemoteFace, type FaceSender, type RemoteFace } from '../../core/venue/face'
import { POSE_LENGTH } from '../../core/venue/pose'
import { seatPlacement } from '../../core/venue/seating'
import { fillSnapshotFromRemotePose, updateRigFaceFromRemote } from '../../scene/avatar/avatar-rig-remote'
import { useVenue } from '../../scene/venue/venue-context'
import { AudienceSeats } from './audience-seats'
import { useLingjing } from '../../scene/lingjing-context'
import {
  applyCalibration,
  createAvatarRig,
  fillRigFromSnapshot,
  fillRigIdle,
  fitCalibration,
  playRigEmote,
  rigFingerReadout,
  rigExpressionWeights,
  rigHandPositions,
  rigLegReadout,
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
import { SHIPPED_ANIMATIONS, VrmaLoader, animationUrl, disposeAvatarMotion, readUserVrmaFile, type EmoteLoadResult } from '../../scene/avatar/avatar-motion'
import { createMicrophone, sampleMicrophone, startMicrophone, stopMicrophone, type MicrophoneStatus } from '../../runtime/avatar/microphone'
import { BackToHub } from '../../scene/components/back-to-hub'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import { useLang } from '../../scene/use-lang'
import { fillSubjectFromRig, useStudioProgramme } from './programme-feed'
import { LivestreamBroadcast } from './livestream-broadcast'
import { InWorldStudioControls, useDomStudioControls, type ExpressionSlot, type StudioControlsModel } from './studio-controls'
import { STAGE_TOP, Studio, type Backdrop } from './studio'
import { StudioMirror } from './studio-mirror'
import { useOffAir } from '../../scene/broadcast/use-off-air'
import { freezeStatic } from '../../scene/render/scene-matrices'
import { useLinkRequest } from '../../scene/use-link-request'

/** Seconds the wearer has to spread their arms after pressing "calibrate". */
const CALIBRATION_COUNTDOWN_S = 3
/** Controller face buttons (xr-standard slots) → expressions. */
const THUMBSTICK = 3
const FACE_A_X = 4
const FACE_B_Y = 5
const FACE_BUTTONS = [THUMBSTICK, FACE_A_X, FACE_B_Y] as const
/** Which bindable button a face button of a hand is. */
function buttonOf(slot: number, b: number): ExpressionButton {
  if (b === THUMBSTICK) return 'stick'
  if (slot === RIGHT_SLOT) return b === FACE_A_X ? 'a' : 'b'
  return b === FACE_A_X ? 'x' : 'y'
}

/** Desktop camera placements: a 3/4 studio view, and over the host's shoulder toward the monitor. */
type Vec3 = [number, number, number]
const VIEWS: Record<'audience' | 'monitor', { position: Vec3; lookAt: Vec3 }> = {
  audience: { position: [1.9, 1.75, 3.0], lookAt: [0, 1.2, 0] },
  monitor: { position: [0.45, 2.05, -1.35], lookAt: [0, 1.75, 3.2] },
}

const MONITOR_POSITION: [number, number, number] = [0, 2.05, 3.2]
/**
 * Where "the audience" is for the host's eyes: out front of the stage beyond the cameras, at a
 * seated viewer's eye height (world space; the on-air camera's lens is the other choice).
 */
const AUDIENCE_GAZE: [number, number, number] = [0, 1.3, 7]
/** The shipped idle and emotes (assets/animations, CC0). */
const ANIMATION_URLS = SHIPPED_ANIMATIONS.map(animationUrl)

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
  /** The shown model's expression bindings (hotkeys, controller buttons) and their storage key. */
  bindings: ExpressionBindings | null
  bindingsKey: string
  /** The emotes the host can play, in hotkey order (Shift+1–9). */
  emotes: readonly string[]
  /** What the host's eyes follow: the on-air camera's lens or the audience point. */
  gazeTarget: Object3D
  /** True while this visitor is in the audience: the rig follows the host over the network. */
  audience: boolean
  /** The host's face as received (audience) and the sender of ours (host). */
  readonly remoteFace: RemoteFace
  readonly faceSender: FaceSender
  /** The host's interpolated world pose, and it as an input snapshot in the rig's space. */
  readonly remotePose: Float32Array
  readonly remoteInput: XRInputSnapshot
}

/** Seated eye height of an audience member on a flat screen. */
const SEATED_EYE_M = 1.2
/** Render the host's received pose this far in the past (as other remote visitors; two 20 Hz samples surround it). */
const HOST_PLAYOUT_DELAY_MS = 100

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

  // The idle and emotes load with the host (small files), so a replay's first frame has them.
  const animationGltfs = useLoader(VrmaLoader, ANIMATION_URLS) as GLTF[]
  const [userEmotes, setUserEmotes] = useState<ReadonlyMap<string, VRMAnimation>>(() => new Map())
  const animations = useMemo(() => {
    const map = new Map<string, VRMAnimation>()
    SHIPPED_ANIMATIONS.forEach((name, i) => {
      const animation = (animationGltfs[i].userData.vrmAnimations as VRMAnimation[] | undefined)?.[0]
      if (animation) map.set(name, animation)
    })
    for (const [name, animation] of userEmotes) map.set(name, animation)
    return map
  }, [animationGltfs, userEmotes])
  const emoteList = useMemo(() => [...animations.keys()].filter((n) => n !== 'idle'), [animations])
  const [allowedEmotes, setAllowedEmotes] = useState<ReadonlySet<string>>(() => new Set())
  const [custom, setCustom] = useState<LoadedAvatar | null>(null)
  const avatar = custom ?? defaultAvatar
  const [backdrop, setBackdrop] = useState<Backdrop>('space')
  const [mic, setMicStatus] = useState<MicrophoneStatus>('off')
  const [calibrationText, setCalibrationText] = useState<Bilingual | null>(null)
  const [calibrated, setCalibrated] = useState(false)
  const [view, setView] = useState<'audience' | 'monitor'>('audience')
  const [mirror, setMirror] = useState(false)
  const [gaze, setGaze] = useState<'camera' | 'audience'>('camera')
  const audienceGaze = useMemo(() => {
    const o = new Object3D()
    o.position.set(...AUDIENCE_GAZE)
    o.updateMatrixWorld()
    return o
  }, [])
  const [expressionList, setExpressionList] = useState<readonly string[]>([])
  const [bindings, setBindings] = useState<ExpressionBindings | null>(null)

  const space = useRef<Group>(null)
  const crew = useRef<Group>(null)
  const cameraBody = useRef<Group>(null)
  const microphone = useMemo(() => createMicrophone(), [])
  const programme = useStudioProgramme()
  const host = useMemo<HostState>(
    () => ({
      rig: null,
      input: lj.xrSessions.input,
      buildRig: null,
      rebuiltFor: null,
      prevPressed: new Uint8Array(14),
      countdown: -1,
      lastCountdownShown: -1,
      bindings: null,
      bindingsKey: '',
      emotes: [],
      gazeTarget: programme.lens,
      audience: false,
      remoteFace: createRemoteFace(),
      faceSender: createFaceSender(),
      remotePose: new Float32Array(POSE_LENGTH),
      remoteInput: createInputSnapshot(),
    }),
    [lj, programme],
  )
  // --- The shared room: the first visitor holds the stage (today's host), the others are the
  // audience, seated by the server; their copy of the host follows the host over the network.
  const venue = useVenue()
  const [seat, setSeat] = useState<number | null>(null)
  useEffect(() => {
    if (!venue) return
    const c = venue.connection
    const update = () => setSeat(c.state === 'online' && c.snapshot().role === 'audience' ? c.seat() : null)
    update()
    return venue.onPeersChanged(update)
  }, [venue])
  const audienceSeat = useMemo(() => (seat === null ? null : seatPlacement(Math.max(0, seat), { x: 0, z: 0, yaw: 0, row: 0 })), [seat])
  host.audience = audienceSeat !== null
  useEffect(() => {
    // A new stage holder (or back to it) starts the face stream afresh.
    host.faceSender.reset()
    host.remoteFace.reset()
  }, [host, audienceSeat])
  const loader = useMemo(() => createVrmLoader(), [])
  useEffect(() => {
    host.gazeTarget = gaze === 'audience' ? audienceGaze : programme.lens
    if (host.rig?.vrm.lookAt) host.rig.vrm.lookAt.target = host.gazeTarget
  }, [gaze, audienceGaze, programme, host])
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
      const rig = createAvatarRig(vrm, origin, stored, 1, animations)
      // The host looks into the on-air camera's lens, like a presenter (or at the audience).
      if (rig.vrm.lookAt) rig.vrm.lookAt.target = host.gazeTarget
      return rig
    }
    const rig = build()
    host.rig = rig
    host.buildRig = build
    setCalibrated(rig.calibration !== null)
    // The model's own expressions, bound as this model was last bound on this browser.
    const bindingsKey = expressionBindingsKey(avatar.name, avatar.version, rig.expressions)
    const loaded = loadExpressionBindings(storage() ?? { getItem: () => null }, bindingsKey, rig.expressions)
    host.bindings = loaded
    host.bindingsKey = bindingsKey
    setExpressionList(rig.expressions)
    setBindings(loaded)
    return () => {
      // The rig may have been rebuilt since (a replay's first frame); it is this effect's either way.
      if (host.buildRig === build) {
        if (host.rig?.motion) disposeAvatarMotion(host.rig.motion, host.rig.vrm)
        host.rig = null
        host.buildRig = null
      }
    }
  }, [avatar, programme, host, key, animations])
  useEffect(() => {
    host.emotes = emoteList
  }, [host, emoteList])

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

  // A user's own .vrma: validated like an avatar, then one more emote (under its file name).
  const acceptEmote = useCallback(
    (result: EmoteLoadResult) => {
      if (result.ok) {
        setUserEmotes((prev) => new Map(prev).set(result.name, result.animation))
        return
      }
      const detail = lj.app.getState().lang === 'zh' ? `${result.message.zh} / ${result.message.en}` : `${result.message.en} / ${result.message.zh}`
      lj.app.pushError(createAppError('emote-invalid', detail))
    },
    [lj],
  )
  const loadEmoteFile = useCallback((file: File) => void readUserVrmaFile(file).then(acceptEmote), [acceptEmote])
  const loadFile = useCallback(
    (file: File) => {
      if (/\.vrma$/i.test(file.name)) {
        loadEmoteFile(file)
        return
      }
      // Size checked before reading; a read failure is an error the host sees, not silence.
      void readUserVrmFile(file, loader).then(acceptResult)
    },
    [acceptResult, loader, loadEmoteFile],
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

  // --- Expressions: the model's own, on keys 1–9, controller buttons, palette and panel. -------
  // A change of expression goes on the recording's timeline as an app event (and, during a
  // deterministic replay, into its state hash); repeated presses of the same preset are not events.
  const pressExpression = useCallback(
    (rig: AvatarRig, preset: string, source: 'controller' | 'screen') => {
      if (rig.blender.target.preset === preset) return
      setRigExpression(rig, preset)
      lj.xrSessions.recordEvent('expression', { preset, source })
    },
    [lj],
  )
  // --- Emotes: palette, Shift+1–9, and the audience's `!wave` when the host allows it. ----------
  const playEmote = useCallback(
    (name: string, source: 'screen' | 'danmaku') => {
      if (host.rig && playRigEmote(host.rig, name)) lj.xrSessions.recordEvent('emote', { name, source })
    },
    [host, lj],
  )
  const emoteGate = useMemo(() => createEmoteCommands([]), [])
  useEffect(() => {
    emoteGate.allowed.clear()
    for (const name of allowedEmotes) emoteGate.allowed.add(name)
  }, [emoteGate, allowedEmotes])
  const onDanmaku = useCallback(
    (message: DanmakuMessage) => {
      // Anonymous viewers share one cooldown.
      const name = acceptEmoteCommand(emoteGate, message.author ?? '', message.text, lj.frame.clock.now() / 1000)
      if (name) playEmote(name, 'danmaku')
    },
    [emoteGate, lj, playEmote],
  )
  const onAllowEmote = useCallback((name: string, allowed: boolean) => {
    setAllowedEmotes((prev) => {
      const next = new Set(prev)
      if (allowed) next.add(name)
      else next.delete(name)
      return next
    })
  }, [])

  const setExpression = useCallback(
    (preset: string) => {
      // The audience watches the host's face; only the one on stage changes it.
      if (host.rig && !host.audience) pressExpression(host.rig, preset, 'screen')
    },
    [host, pressExpression],
  )
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return
      // Shift+1–9: emotes (by code: Shift+1 types "!" on most layouts).
      const digit = /^Digit([1-9])$/.exec(e.code)
      if (e.shiftKey && digit) {
        const emote = host.emotes[Number(digit[1]) - 1]
        if (emote) playEmote(emote, 'screen')
        return
      }
      const n = Number.parseInt(e.key, 10)
      const name = n >= 1 && n <= 9 ? host.bindings?.keys[n - 1] : null
      if (name) setExpression(name)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [host, setExpression, playEmote])
  const onBind = useCallback(
    (slot: ExpressionSlot, name: string | null) => {
      const current = host.bindings
      if (!current) return
      const next: ExpressionBindings = { keys: [...current.keys], buttons: { ...current.buttons } }
      if (slot.kind === 'key') next.keys[slot.index] = name
      else next.buttons[slot.button] = name
      host.bindings = next
      const store = storage()
      if (store) saveExpressionBindings(store, host.bindingsKey, next)
      setBindings(next)
    },
    [host],
  )

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
    if (session && !audienceSeat) {
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
  }, [camera, session, audienceSeat])

  // --- Desktop camera. ---------------------------------------------------------------------------
  useLayoutEffect(() => {
    if (audienceSeat) {
      // The audience watches from its seat, at seated eye height, toward the host.
      camera.position.set(audienceSeat.x, SEATED_EYE_M, audienceSeat.z)
      camera.lookAt(0, STAGE_TOP + 1.3, 0)
    } else {
      const v = VIEWS[view]
      camera.position.set(...v.position)
      camera.lookAt(...v.lookAt)
    }
    camera.updateMatrixWorld()
  }, [camera, view, audienceSeat])

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
      if (host.rig.motion) disposeAvatarMotion(host.rig.motion, host.rig.vrm)
      host.rig = host.buildRig()
    }
    const rig = host.rig
    const c = venue?.connection
    if (host.audience && c && space.current) {
      // The audience's copy of the host: body and face from the network, never from our own input.
      c.pollHostFace(host.remoteFace)
      const hp = c.hostPeer()
      const posed = hp !== null && c.poses.sample(hp.slot, performance.now() - HOST_PLAYOUT_DELAY_MS, host.remotePose) && fillSnapshotFromRemotePose(host.remotePose, space.current, host.remoteInput)
      if (posed) fillRigFromSnapshot(rig, host.remoteInput, dt)
      else fillRigIdle(rig, ctx.timeMs / 1000)
      updateRigBody(rig, dt)
      updateRigFaceFromRemote(rig, dt, host.remoteFace)
      return
    }
    if (lj.xrSessions.inputValid) {
      fillRigFromSnapshot(rig, host.input, dt)
      // Face buttons as bound for this model: A/B on the right, X/Y on the left, either stick click.
      for (let slot = 0; slot < 2; slot++) {
        const src = host.input.sources[slot]
        const o = slot * 7
        for (let k = 0; k < FACE_BUTTONS.length; k++) {
          const b = FACE_BUTTONS[k]
          const now = src.hasGamepad ? src.pressed[b] : 0
          if (now && !host.prevPressed[o + b]) {
            const name = host.bindings?.buttons[buttonOf(slot, b)]
            if (name) pressExpression(rig, name, 'controller')
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
    // On stage in the shared room: the audience sees this face (only on change, at most 20 Hz).
    if (c?.isHost() && host.faceSender.update(performance.now(), rig.blender.weights)) c.sendFace(host.faceSender.quantised)
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
          // 'network' for the audience (the host's pose and face over the venue), 'local' on stage.
          driver: host.audience ? 'network' : 'local',
          name: avatar.name,
          vrmVersion: avatar.version,
          source: avatar.source,
          calibrated: rig?.calibration != null,
          scale: rig ? round(rig.vrm.scene.scale.x) : 1,
          expression: rig?.blender.target.preset ?? 'neutral',
          // Every expression of the model (presets and custom) with its weight and what picks it.
          expressions: rig
            ? rigExpressionWeights(rig).map((e) => {
                const b = host.bindings
                const key = b ? b.keys.indexOf(e.name) : -1
                return { ...e, key: key >= 0 ? key + 1 : null, buttons: b ? Object.entries(b.buttons).filter(([, n]) => n === e.name).map(([button]) => button) : [] }
              })
            : [],
          expressionWeights: w ? { happy: round(w.happy), angry: round(w.angry), sad: round(w.sad), relaxed: round(w.relaxed), surprised: round(w.surprised) } : null,
          visemeWeights: w ? { aa: round(w.aa), ih: round(w.ih), ou: round(w.ou), ee: round(w.ee), oh: round(w.oh) } : null,
          blink: w ? round(w.blink) : 0,
          tracking: rig?.tracking ?? false,
          // The eyes: what they follow, and where they turn (degrees, three-vrm's look-at).
          gaze: rig?.vrm.lookAt ? { target: host.gazeTarget === programme.lens ? 'camera' : 'audience', yaw: round(rig.vrm.lookAt.yaw), pitch: round(rig.vrm.lookAt.pitch) } : null,
          // Idle and emotes (VRM Animation under the IK).
          motion: rig?.motion
            ? {
                emote: rig.motion.player.active,
                weight: round(rig.motion.player.weight),
                played: rig.motion.player.played,
                idle: rig.motion.idle !== null,
                emotes: [...rig.motion.emotes.keys()],
                allowed: [...emoteGate.allowed],
                commands: { accepted: emoteGate.accepted, refused: emoteGate.refused },
              }
            : null,
          hands: rig ? rigHandPositions(rig) : null,
          legs: rig ? rigLegReadout(rig) : null,
          fingers: rig ? rigFingerReadout(rig) : null,
          inputKinds: { left: host.input.sources[LEFT_SLOT].kind, right: host.input.sources[RIGHT_SLOT].kind },
          grips: { left: grip(LEFT_SLOT), right: grip(RIGHT_SLOT) },
          mic: microphone.status,
          backdrop,
          programme: { width: programme.output.output.width, height: programme.output.output.height, level: programme.level, framesRendered: programme.output.stats.rendered },
        }
      }),
    [avatar, backdrop, programme, host, lj, microphone, emoteGate],
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
    expressions: expressionList,
    bindings,
    onExpression: setExpression,
    onBind,
    emotes: emoteList,
    allowedEmotes,
    onEmote: (name) => playEmote(name, 'screen'),
    onAllowEmote,
    onEmoteFile: loadEmoteFile,
    onFile: loadFile,
    onView: () => setView((v) => (v === 'audience' ? 'monitor' : 'audience')),
    onMirror: () => setMirror((on) => !on),
    gaze,
    onGaze: () => setGaze((g) => (g === 'camera' ? 'audience' : 'camera')),
    audience: audienceSeat !== null,
  }
  useDomStudioControls(model)

  return (
    <>
      <Studio backdrop={backdrop} lang={lang} />
      {/* The host's tracking space on the stage, turned so the wearer's forward (-Z) faces the
          cameras (+Z). The host's XR origin is the same place; the audience's is its seat. */}
      <group ref={space} position={[0, STAGE_TOP, 0]} rotation={[0, Math.PI, 0]}>
        <primitive object={avatar.vrm.scene as Object3D} />
      </group>
      {audienceSeat ? (
        <XROrigin position={[audienceSeat.x, 0, audienceSeat.z]} rotation={[0, audienceSeat.yaw, 0]} />
      ) : (
        <XROrigin position={[0, STAGE_TOP, 0]} rotation={[0, Math.PI, 0]} />
      )}
      {venue && <AudienceSeats />}
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
      <LivestreamBroadcast
        programme={programme}
        experience="livestream"
        fillSubject={(subject) => fillSubjectFromRig(subject, host.rig)}
        getMicrophone={() => microphone.stream}
        monitor={{ position: MONITOR_POSITION, rotationY: Math.PI }}
        console={{ position: [0, 0.95 + STAGE_TOP, 0.78], rotation: [0.7, Math.PI, 0] }}
        onDanmaku={onDanmaku}
      />
      {mirror && <StudioMirror programme={programme} thirdPersonLayer={VRMFirstPerson.DEFAULT_THIRDPERSON_ONLY_LAYER} />}
      <group ref={crew}>
        {/* The host's controls are the host's: an audience member gets none in the world. */}
        {!audienceSeat && <InWorldStudioControls model={model} position={[-0.8, 1.25 + STAGE_TOP, 0.65]} rotationY={2.29} />}
        <BackToHub position={[0.85, 1.1 + STAGE_TOP, 0.7]} rotationY={-2.23} />
      </group>
    </>
  )
}
