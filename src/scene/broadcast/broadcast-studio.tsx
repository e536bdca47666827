import type { DanmakuMessage } from '../../core/broadcast/danmaku'
import { useEffect, useMemo, useState, type RefObject } from 'react'
import type { Group } from 'three'
import { useRef } from 'react'
import { useThree } from '@react-three/fiber'
import { createAppError, createBroadcastContextLostError, createBroadcastInterruptedError } from '../../core/app/app-errors'
import type { TransitionKind } from '../../core/broadcast/switcher'
import { useLingjing } from '../lingjing-context'
import type { BroadcastPanelModel } from './broadcast-panel-model'
import { bt } from '../../core/broadcast/broadcast-strings'
import { useLang } from '../use-lang'
import { TextPanelAtlas } from '../components/text-panel-atlas'
import { freezeStatic } from '../render/scene-matrices'
import { createSwitcherConsolePanels } from './switcher-console-panels'
import { createSwitcherTilesGeometry, createSwitcherTilesMaterial, tileAtFace } from './switcher-tiles'
import { createBroadcastRecorder, type BroadcastRecorder, type RecorderView } from '../../runtime/broadcast/broadcast-recorder'
import { PROGRAMME_LEVELS, PROGRAMME_PRESETS, type ProgrammePreset } from '../../runtime/broadcast/programme-output'
import { useProgrammeSystems } from './use-programme-systems'
import type { Programme } from '../../runtime/broadcast/programme'
import { useOffAir } from './use-off-air'
import { createWhipPublisher, type WhipPublisher } from '../../runtime/broadcast/whip-publisher'
import type { WhipState } from '../../core/broadcast/whip-client'
import { useDanmaku } from './use-danmaku'
import { ReshootMount } from './reshoot-mount'
import { broadcastSnapshot } from './broadcast-snapshot'
import { ProgrammeMonitor } from './programme-monitor'
import { createMonitorStatus, type MonitorStatus } from '../../core/broadcast/monitor-path'

type Vec3 = [number, number, number]

/** Options of {@link useBroadcastStudio}. */
export interface BroadcastStudioOptions {
  programme: Programme
  /** Experience id for takes and events. */
  experience: string
  /** Writes the performer's head position and facing into the subject, each frame. */
  fillSubject(subject: Programme['subject']): void
  /** The microphone stream when the user turned it on. */
  getMicrophone(): MediaStream | null
  /** Each danmaku message as it arrives (the livestream host's `!wave` commands). */
  onDanmaku?: (message: DanmakuMessage) => void
}

/** Props of {@link BroadcastStudio}: the studio's state, and where its monitor and console stand. */
export interface BroadcastStudioProps {
  studio: BroadcastStudioState
  monitor: { position: Vec3; rotationY: number }
  /** The in-world switcher console (crew only: never on air). */
  console: { position: Vec3; rotation: Vec3 }
}

/** Keys: F1–F5 take a camera to air with the chosen transition, Shift+F1–F5 preview it, F6 AUTO. */
function useSwitcherKeys(programme: Programme, transition: () => TransitionKind): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return
      const m = /^F(\d)$/.exec(e.key)
      if (!m) return
      const n = Number(m[1])
      if (n === 6) {
        e.preventDefault()
        programme.switcher.auto(transition())
        return
      }
      const camera = programme.cameras[n - 1]
      if (!camera) return
      // F1 is help and F5 reload in browsers: a studio keyboard owns them while the studio is open.
      e.preventDefault()
      if (e.shiftKey) programme.switcher.setPreview(camera.id)
      else programme.switcher.take(camera.id, transition())
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [programme, transition])
}

/**
 * The in-world switcher: a preview tile per camera (red frame = on air, green = preview),
 * transitions, record and the WHIP state. The tiles are one mesh (switcher-tiles.ts: each samples
 * its preview, the on-air one the output) and everything else one atlas mesh
 * (switcher-console-panels.ts): two draw calls. The console never moves, so its matrices are
 * composed once.
 */
function SwitcherConsole({
  programme,
  onAir,
  inPreview,
  transition,
  setTransition,
  recording,
  recorder,
  liveState,
  position,
  rotation,
}: {
  programme: Programme
  onAir: string
  inPreview: string
  transition: TransitionKind
  setTransition(kind: TransitionKind): void
  recording: RecorderView | null
  recorder: BroadcastRecorder | null
  liveState: WhipState
  position: Vec3
  rotation: Vec3
}) {
  const lang = useLang()
  // The tiles: one mesh, one draw call (switcher-tiles.ts).
  const tiles = useMemo(
    () => ({ geometry: createSwitcherTilesGeometry(programme.cameras.length), material: createSwitcherTilesMaterial(programme.output.output.texture, programme.previews.map((p) => p.texture)) }),
    [programme],
  )
  useEffect(
    () => () => {
      tiles.geometry.dispose()
      tiles.material.dispose()
    },
    [tiles],
  )
  tiles.material.setOnAir(programme.cameras.findIndex((c) => c.id === onAir))
  const group = useRef<Group>(null)
  useEffect(() => {
    if (group.current) freezeStatic(group.current)
  }, [])
  const r = recording
  const recordLabel =
    !r || r.state === 'unsupported'
      ? bt('unsupported', lang)
      : r.state === 'idle'
        ? bt('record', lang)
        : r.state === 'countdown'
          ? `${bt('countdown', lang)} ${r.countdown}`
          : r.state === 'stopping'
            ? bt('stopping', lang)
            : `${bt('stop', lang)} ${String(Math.floor(r.elapsedMs / 60000)).padStart(2, '0')}:${String(Math.floor(r.elapsedMs / 1000) % 60).padStart(2, '0')}`
  const panels = createSwitcherConsolePanels(
    { cameras: programme.cameras, onAir, inPreview, transition, recordLabel, recording: r?.state === 'recording', liveState, lang },
    {
      take: (id) => programme.switcher.take(id, transition),
      setTransition,
      toggleRecord: () => {
        if (!recorder || !r) return
        if (r.state === 'idle') recorder.start()
        else void recorder.stop()
      },
    },
  )
  return (
    <group ref={group} position={position} rotation={rotation}>
      {/* The on-air tile shows the output itself; the others their own small preview. */}
      <mesh
        name="switcher-cameras"
        geometry={tiles.geometry}
        material={tiles.material}
        onClick={(e) => {
          const camera = e.faceIndex == null ? undefined : programme.cameras[tileAtFace(e.faceIndex)]
          if (camera) programme.switcher.take(camera.id, transition)
        }}
      />
      <TextPanelAtlas name="switcher-console" panels={panels} />
    </group>
  )
}

/** What {@link useBroadcastStudio} gives the experience: the studio view's state and the DOM panel's model. */
export interface BroadcastStudioState {
  programme: Programme
  /** The programme monitor's path (XR layer or texture) and why; `snapshot().broadcast.monitor`. */
  monitor: MonitorStatus
  /** For the experience's DOM broadcast panel (composed there, never from this scene component). */
  panel: BroadcastPanelModel
  cams: { programme: string; preview: string }
  transition: TransitionKind
  setTransition(kind: TransitionKind): void
  recorder: BroadcastRecorder | null
  recording: RecorderView | null
  liveState: WhipState
  /** Crew-only objects (the console), kept off air. */
  crew: RefObject<Group | null>
}

/**
 * The broadcast chain of an experience: runs the programme in the frame loop, keys, the recorder,
 * WHIP, danmaku and `snapshot().broadcast`. The experience renders {@link BroadcastStudio} with the
 * result and hands `panel` to its DOM panel.
 */
export function useBroadcastStudio({ programme, experience, fillSubject, getMicrophone, onDanmaku }: BroadcastStudioOptions): BroadcastStudioState {
  const lj = useLingjing()
  const lang = useLang()
  const [preset, setPreset] = useState<ProgrammePreset>(programme.preset)
  const [transition, setTransition] = useState<TransitionKind>(programme.transition)
  const [cams, setCams] = useState({ programme: programme.switcher.programme, preview: programme.switcher.preview })
  const [recorder, setRecorder] = useState<BroadcastRecorder | null>(null)
  const [recording, setRecording] = useState<RecorderView | null>(null)
  const [publisher, setPublisher] = useState<WhipPublisher | null>(null)
  const [liveState, setLiveState] = useState<WhipState>('off')
  const crew = useRef<Group>(null)
  // What an unmount stopped: the recorder's and the publisher's cleanups report one card together.
  const interrupted = useMemo(() => ({ recording: false, live: false }), [])
  const monitor = useMemo(() => createMonitorStatus(), [])

  useProgrammeSystems(programme, preset, fillSubject)

  // A context loss while recording or live: the shell's context-lost card also says what happens
  // to the broadcast. (Listeners run in order: the canvas' own card comes first and is replaced.)
  const gl = useThree((s) => s.gl)
  useEffect(() => {
    const canvas = gl.domElement
    const onLost = () => {
      if (programme.consumers > 0) lj.app.pushError(createBroadcastContextLostError())
    }
    canvas.addEventListener('webglcontextlost', onLost)
    return () => canvas.removeEventListener('webglcontextlost', onLost)
  }, [gl, lj, programme])
  const danmaku = useDanmaku(programme)
  useEffect(() => (onDanmaku ? danmaku.onMessage(onDanmaku) : undefined), [danmaku, onDanmaku])

  const transitionRef = useRef(transition)
  useEffect(() => {
    transitionRef.current = transition
    programme.transition = transition
  }, [programme, transition])
  const getTransition = useMemo(() => () => transitionRef.current, [])
  useSwitcherKeys(programme, getTransition)

  // Switcher changes reach React state and the xr-sessions timeline (a re-shoot can follow them).
  useEffect(
    () =>
      programme.switcher.subscribe((e) => {
        setCams({ programme: e.programme, preview: e.preview })
        // A re-shoot's cuts are not part of the performance: they stay out of the replay's state hash.
        if (e.type === 'take' && !programme.external) lj.xrSessions.recordEvent('camera-cut', { camera: e.programme, transition: e.transition })
      }),
    [lj, programme],
  )

  useEffect(() => {
    programme.preset = preset
    const top = PROGRAMME_LEVELS[PROGRAMME_PRESETS[preset]]
    if (programme.consumers === 0) programme.output.setCanvasSize(top.width, top.height)
  }, [programme, preset])

  useEffect(() => {
    let disposed = false
    let rec: BroadcastRecorder | null = null
    let unsubscribe = () => {}
    void createBroadcastRecorder({
      programme,
      experience,
      getMicrophone,
      reportError: (error) => lj.app.pushError(error),
      dismissError: (error) => lj.app.dismissError(error),
    }).then(
      (r) => {
        if (disposed) {
          r.dispose()
          return
        }
        rec = r
        setRecorder(r)
        setRecording(r.view)
        unsubscribe = r.subscribe(setRecording)
      },
      (err: unknown) => lj.app.pushError(createAppError('recording-unsupported', err instanceof Error ? err.message : String(err))),
    )
    return () => {
      disposed = true
      unsubscribe()
      // An unmount mid-take (Retry, a replay starting, leaving the room) ends it: dispose finishes
      // and keeps the take, and the host is told rather than finding the recording stopped.
      const state = rec?.view.state
      if (state === 'recording' || state === 'countdown') {
        interrupted.recording = true
        lj.app.pushError(createBroadcastInterruptedError(interrupted))
      }
      rec?.dispose()
    }
    // The microphone getter is read at record time; a new function identity must not restart the recorder.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lj, programme, experience])

  // WHIP live output; only its state reaches React here (the live panel subscribes to the rest).
  useEffect(() => {
    const p = createWhipPublisher({ programme, getMicrophone, reportError: (error) => lj.app.pushError(error) })
    setPublisher(p)
    const unsubscribe = p.subscribe((v) => setLiveState(v.state))
    return () => {
      unsubscribe()
      const state = p.view.state
      if (state === 'live' || state === 'connecting' || state === 'reconnecting') {
        interrupted.live = true
        lj.app.pushError(createBroadcastInterruptedError(interrupted))
      }
      p.dispose()
    }
    // As for the recorder: the microphone getter is read when a peer is made.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lj, programme])

  // Crew-only objects stay out of the programme.
  useOffAir(programme, crew)

  useEffect(
    () =>
      lj.diagnostics.setSection('broadcast', () => broadcastSnapshot(programme, recorder, publisher, danmaku, monitor)),
    [lj, programme, recorder, publisher, danmaku, monitor],
  )

  const panel: BroadcastPanelModel = {
    lang,
    cameras: programme.cameras,
    programme: cams.programme,
    preview: cams.preview,
    transition,
    preset,
    recorder,
    recording,
    publisher,
    liveState,
    onTake: (id) => programme.switcher.take(id, transitionRef.current),
    onPreview: (id) => programme.switcher.setPreview(id),
    onAuto: () => programme.switcher.auto(transitionRef.current),
    onTransition: setTransition,
    onPreset: setPreset,
    danmaku,
  }
  return { programme, monitor, panel, cams, transition, setTransition, recorder, recording, liveState, crew }
}

/** The studio in the world: the programme monitor, the re-shoot mount and the in-world switcher console. */
export function BroadcastStudio({ studio, monitor, console: consolePlacement }: BroadcastStudioProps) {
  const { programme, monitor: monitorStatus, cams, transition, setTransition, recording, recorder, liveState, crew } = studio
  return (
    <>
      <ProgrammeMonitor programme={programme} status={monitorStatus} position={monitor.position} rotationY={monitor.rotationY} />
      <ReshootMount programme={programme} />
      <group ref={crew}>
        <SwitcherConsole
          programme={programme}
          onAir={cams.programme}
          inPreview={cams.preview}
          transition={transition}
          setTransition={setTransition}
          recording={recording}
          recorder={recorder}
          liveState={liveState}
          position={consolePlacement.position}
          rotation={consolePlacement.rotation}
        />
      </group>
    </>
  )
}
