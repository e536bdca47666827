import { VRMFirstPerson } from '@pixiv/three-vrm'
import { useThree } from '@react-three/fiber'
import { XROrigin, useXR } from '@react-three/xr'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { Group, Object3D } from 'three'
import { holdProp, type PropId } from '../../core/avatar'
import { BackToHub } from '../../scene/components/back-to-hub'
import { useOffAir } from '../../scene/broadcast/use-off-air'
import { useLingjing } from '../../scene/lingjing-context'
import { freezeStatic } from '../../scene/render/scene-matrices'
import { useLang } from '../../scene/use-lang'
import { useVenue } from '../../scene/venue/venue-context'
import { AudienceSeats } from './audience-seats'
import { createHostState, deviceKey } from './host-state'
import { LivestreamBroadcast } from './livestream-broadcast'
import { ProgrammeCameraBody } from './programme-camera-body'
import { fillSubjectFromRig, useStudioProgramme } from './programme-feed'
import { InWorldStudioControls, useDomStudioControls, type StudioControlsModel } from './studio-controls'
import { STAGE_TOP, Studio, type Backdrop } from './studio'
import { StudioMirror } from './studio-mirror'
import { STUDIO_PROP_DEFS, StudioProps } from './studio-props'
import { useControllerModels } from '../../scene/xr/use-controller-models'
import { useAvatarDetail } from './use-avatar-detail'
import { useHostAvatar } from './use-host-avatar'
import { useHostCalibration } from './use-host-calibration'
import { useHostDiagnostics } from './use-host-diagnostics'
import { useHostEmotes, useHostExpressions, useHostKeyboard } from './use-host-expressions'
import { useHostMicrophone } from './use-host-microphone'
import { useHostGaze, useHostRig } from './use-host-rig'
import { useHostSystem } from './use-host-system'
import { useAudienceSeat, useHostView } from './use-host-view'

const MONITOR_POSITION: [number, number, number] = [0, 2.05, 3.2]
const PROP_IDS = STUDIO_PROP_DEFS.map((d) => d.id)

/**
 * The XR livestream room: the wearer becomes the virtual host. Head and hands drive a VRM avatar
 * standing on the stage facing the cameras; the microphone drives the lips; a virtual camera feeds
 * the programme monitor. Bring-your-own VRM via `?avatar=URL`, the file picker or drag and drop.
 * The parts are hooks by concept (use-host-*.ts); the host state the frame loop reads is host-state.ts.
 */
export default function LivestreamExperience() {
  const lj = useLingjing()
  const lang = useLang()
  const camera = useThree((s) => s.camera)
  const session = useXR((s) => s.session)

  const { avatar, animations, emoteList, loadFile, loadEmoteFile } = useHostAvatar(lj)
  const [backdrop, setBackdrop] = useState<Backdrop>('space')
  const [view, setView] = useState<'audience' | 'monitor'>('audience')
  const [mirror, setMirror] = useState(false)
  const [gaze, setGaze] = useState<'camera' | 'audience'>('camera')

  const space = useRef<Group>(null)
  const crew = useRef<Group>(null)
  const programme = useStudioProgramme()
  const host = useMemo(() => createHostState(lj, programme), [lj, programme])
  const venue = useVenue()
  const audienceSeat = useAudienceSeat(venue, host)
  useHostGaze(host, programme, gaze)
  const key = deviceKey(lj.support.deviceName)
  const [rigInfo, setRigInfo] = useHostRig(host, space, avatar, animations, emoteList, key)

  const { pressExpression, setExpression, onBind } = useHostExpressions(lj, host, setRigInfo)
  const { playEmote, emoteGate, onDanmaku, allowedEmotes, onAllowEmote } = useHostEmotes(lj, host)
  useHostKeyboard(host, setExpression, playEmote)
  // Props from the panel (flat screens): straight into the right hand, or the hand emptied.
  const onHandProp = useCallback(
    (id: PropId | null) => {
      // The audience sees the host's copy; only the one on stage hands it props.
      if (!host.audience) holdProp(host.props, 'right', id)
    },
    [host],
  )
  const { microphone, status: mic, onMic } = useHostMicrophone(lj)
  const calibration = useHostCalibration(lj, host, key, setRigInfo)
  useHostView(camera, session != null, view, audienceSeat)

  // Crew-only objects (controls, back button) stay out of the programme; they never move:
  // matrices composed once, not every frame.
  useOffAir(programme, crew)
  useEffect(() => {
    if (crew.current) freezeStatic(crew.current)
  }, [])

  // The wearer sees the avatar's hands: the controller models are a lever that hides them (scene/xr/controller-models.ts).
  useControllerModels('hide')
  // The avatar drawn merged at the lowest level (scene/avatar/avatar-merge.ts).
  useAvatarDetail(avatar.vrm)

  useHostSystem(host, { lj, venue, space, microphone, pressExpression, tickCalibration: calibration.tick })
  useHostDiagnostics(host, { lj, avatar, backdrop, programme, microphone, emoteGate, space })

  const model: StudioControlsModel = {
    lang,
    backdrop,
    mic,
    calibration: calibration.text,
    calibrated: rigInfo.calibrated,
    avatarName: avatar.name,
    view,
    mirror,
    onMic,
    onCalibrate: calibration.onCalibrate,
    onBackdrop: setBackdrop,
    expressions: rigInfo.expressions,
    bindings: rigInfo.bindings,
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
    props: PROP_IDS,
    onHandProp,
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
      {/* The props and their table: on the stage, on air (not crew). */}
      <StudioProps objects={host.propObjects} />
      {venue && <AudienceSeats />}
      <ProgrammeCameraBody programme={programme} />
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
