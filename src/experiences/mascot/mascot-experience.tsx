import { useXR } from '@react-three/xr'
import { useMemo, useRef } from 'react'
import type { AmbientLight, DirectionalLight, Group } from 'three'
import { useLingjing } from '../../scene/lingjing-context'
import { BackToHub } from '../../scene/components/back-to-hub'
import { Viewpoint } from '../../scene/components/viewpoint'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import { useDetailLevers } from '../../scene/render/use-detail-levers'
import { useLang } from '../../scene/use-lang'
import { ArPlacement } from './ar-placement'
import { MascotOverlay, type MascotActions } from './mascot-overlay'
import { MASCOT_PLACE, mascotStageLights } from './mascot-levers'
import { MascotStage } from './mascot-stage'
import { useMascotDiagnostics } from './use-mascot-diagnostics'
import { useMascotGuide } from './use-mascot-guide'
import { useMascotPhoto } from './use-mascot-photo'
import { useMascotPlacement } from './use-mascot-placement'
import { WorldButtons } from './world-buttons'
import { SpeechBubble, useXiaoguanRig, Xiaoguan } from './xiaoguan'

/** Size on the stage and, by default, in AR (× the 0.55 m model). */
const STAGE_SCALE = 1
const AR_SCALE = 0.7

/**
 * The Xiaoguan mascot. In phone or passthrough AR: a reticle on real surfaces, tap to place, it
 * flies there and lands; tap it to wave or dance, pinch to resize, twist to turn, take photos. In
 * VR and on the desktop it stands on a small stage (with an optional rear-camera backdrop).
 *
 * Composed of one hook per concept: its line and gestures (use-mascot-guide), where it is
 * (use-mascot-placement), photos and the rear camera (use-mascot-photo), the snapshot section
 * (use-mascot-diagnostics); the stage and the in-world buttons are components of their own.
 */
export default function MascotExperience() {
  const lj = useLingjing()
  const lang = useLang()
  const mode = useXR((s) => s.mode)
  const session = useXR((s) => s.session)
  const ar = session != null && mode === 'immersive-ar'
  const screenSpace = ar && (session as XRSession & { interactionMode?: string }).interactionMode === 'screen-space'

  const rig = useXiaoguanRig('gamer')
  const guide = useMascotGuide(rig, lang)
  const { placed, placement, onPlaced, onNoSurface, flyAway, markUiPress } = useMascotPlacement(rig, ar, guide.say)
  const photo = useMascotPhoto({ rig, ar, screenSpace, session, say: guide.say })
  const { cameraOn } = photo
  useMascotDiagnostics({ rig, placed, photoCount: photo.photoCount, ar, screenSpace, cameraOn, session, placement, lastBackdrop: photo.lastBackdrop, lastAction: guide.lastAction })

  // The one animation system of the experience: mixer, flights, anchor following, photo countdown.
  useFrameSystem('xiaoguan-animation', 'animation', (ctx) => {
    const dt = ctx.deltaMs / 1000
    rig.update(dt)
    placement.current?.follow(ctx.xrFrame as XRFrame | undefined)
    photo.advance(dt)
  })

  const actions: MascotActions = {
    photo: photo.takePhoto,
    wave: guide.wave,
    dance: guide.dance,
    outfit: guide.changeOutfit,
    flyAway,
    camera: photo.toggleCamera,
  }
  const onTapMascot = () => {
    markUiPress()
    guide.tap()
  }

  const showStage = !ar && !cameraOn
  // GPU levers of the stage (the floor covers most of both eyes) and of Xiaoguan: standard →
  // Lambert materials, and the sun off with the ambient light brighter. Rebuilt when the stage
  // comes or goes (camera photo mode, AR), so they act on what is drawn.
  const detailRoot = useRef<Group>(null)
  const ambient = useRef<AmbientLight>(null)
  const sun = useRef<DirectionalLight>(null)
  useDetailLevers({
    prefix: 'mascot',
    place: MASCOT_PLACE,
    materials: detailRoot,
    lights: () => (ambient.current && sun.current ? mascotStageLights(ambient.current, sun.current) : []),
    version: showStage,
  })
  const bubbleAt: [number, number, number] = useMemo(() => (ar ? [0.35, 1.45, -0.9] : [0.75, 1.45, -1.35]), [ar])
  return (
    <>
      <Viewpoint position={[0, 0, 0]} lookAt={[0, 1.0, -1.5]} />
      <MascotStage show={showStage} refs={{ detailRoot, ambient, sun }}>
        <Xiaoguan rig={rig} scale={ar ? AR_SCALE : STAGE_SCALE} onClick={onTapMascot} onPointerDown={markUiPress} />
      </MascotStage>
      {ar && <ArPlacement ref={placement} rig={rig} scale={AR_SCALE} screenSpace={screenSpace} onPlaced={onPlaced} onNoSurface={onNoSurface} />}
      {/* On a phone the DOM overlay shows the line; headsets and the desktop get an in-world bubble. */}
      {!screenSpace && <SpeechBubble line={guide.line} lang={lang} position={bubbleAt} width={0.8} rotationY={ar ? -0.3 : -0.35} />}
      {screenSpace && <MascotOverlay actions={actions} lang={lang} placed={placed} outfit={guide.outfit} line={guide.line} placement={placement} rig={rig} emulated={lj.support.emulated} />}
      <group ref={photo.uiGroup} name="mascot-ui">
        {!screenSpace && <WorldButtons actions={actions} ar={ar} placed={placed} cameraOn={cameraOn} onPress={markUiPress} />}
        {!ar && <BackToHub position={[-0.95, 1.0, -1.0]} rotationY={0.6} />}
      </group>
    </>
  )
}
