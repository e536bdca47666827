import { useThree } from '@react-three/fiber'
import { useXR } from '@react-three/xr'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { Vector3, type AmbientLight, type Camera, type DirectionalLight, type Group, type Object3D } from 'three'
import { createAppError } from '../../core/app/app-errors'
import type { Bilingual } from '../../core/i18n/strings'
import { useLingjing } from '../../scene/lingjing-context'
import { BackToHub } from '../../scene/components/back-to-hub'
import { TextPanel } from '../../scene/components/text-panel'
import { Viewpoint } from '../../scene/components/viewpoint'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import { useDetailLevers } from '../../scene/render/use-detail-levers'
import { useLang } from '../../scene/use-lang'
import { ArPlacement, type ArPlacementApi } from './ar-placement'
import { clipForTap, LINES, nextOutfit, photoFileName, pickVoice, type XiaoguanOutfit } from './mascot-logic'
import { MascotOverlay, type MascotActions } from './mascot-overlay'
import { MASCOT_PLACE, STAGE_AMBIENT, STAGE_SUN, mascotStageLights } from './mascot-levers'
import { cameraAccessStatus, choosePhotoBackdrop, type PhotoBackdropKind } from '../../core/mascot/camera-access'
import { readXRCameraImage, viewCamera } from './xr-camera-image'
import { composePhoto, openRearCamera, renderPhotoLayer, savePhoto, type PhotoBackdrop } from './photo'
import { speakLine, SpeechBubble, useXiaoguanRig, Xiaoguan } from './xiaoguan'

/** Where Xiaoguan stands on the virtual stage (desktop and VR). */
const STAGE = new Vector3(0, 0.55, -1.3)
/** Size on the stage and, by default, in AR (× the 0.55 m model). */
const STAGE_SCALE = 1
const AR_SCALE = 0.7
/** Seconds between asking for a photo and taking it: Xiaoguan strikes the pose first. */
const PHOTO_DELAY_S = 0.7

/**
 * The Xiaoguan mascot. In phone or passthrough AR: a reticle on real surfaces, tap to place, it
 * flies there and lands; tap it to wave or dance, pinch to resize, twist to turn, take photos. In
 * VR and on the desktop it stands on a small stage (with an optional rear-camera backdrop).
 */
export default function MascotExperience() {
  const lj = useLingjing()
  const lang = useLang()
  const mode = useXR((s) => s.mode)
  const session = useXR((s) => s.session)
  const ar = session != null && mode === 'immersive-ar'
  const screenSpace = ar && (session as XRSession & { interactionMode?: string }).interactionMode === 'screen-space'
  const gl = useThree((s) => s.gl)
  const scene = useThree((s) => s.scene)
  const camera = useThree((s) => s.camera)

  const rig = useXiaoguanRig('gamer')
  const [line, setLine] = useState<Bilingual>(LINES.stage)
  const [outfit, setOutfit] = useState<XiaoguanOutfit>(rig.outfit)
  const [photoCount, setPhotoCount] = useState(0)
  const [placed, setPlaced] = useState(false)
  const [cameraOn, setCameraOn] = useState(false)
  const tapCount = useRef(0)
  const placement = useRef<ArPlacementApi | null>(null)
  const rearCamera = useRef<{ video: HTMLVideoElement; stop(): void } | null>(null)
  const photo = useRef<{ countdownS: number } | null>(null)
  const photoBusy = useRef(false)
  const lastBackdrop = useRef<PhotoBackdropKind | null>(null)
  const uiGroup = useRef<Group>(null)
  /** The last thing asked of Xiaoguan (a short clip can be over before anyone looks). */
  const lastAction = useRef<string | null>(null)
  const stageScale = ar ? AR_SCALE : STAGE_SCALE

  // Entering or leaving AR resets the scene: on the stage Xiaoguan flies in; in AR it waits to be placed.
  useEffect(() => {
    if (ar) {
      rig.root.visible = false
      setPlaced(false)
      setLine(LINES.placeHint)
      return
    }
    rig.root.visible = true
    rig.flyTo(new Vector3(STAGE.x + 0.8, STAGE.y + 0.9, STAGE.z - 0.6), STAGE, { durationS: 1.6, onArrive: 'wave' })
    setLine(LINES.stage)
  }, [ar, rig])

  // Spoken lines where the browser has a voice for the language; the bubble always shows the text.
  useEffect(() => {
    speakLine(line, lang, (voices) => pickVoice(voices, lang))
  }, [line, lang])

  useEffect(
    () =>
      lj.diagnostics.setSection('mascot', () => ({
        placed,
        landed: placed && !rig.flying,
        animation: rig.clip,
        photoCount,
        outfit: rig.outfit,
        position: [rig.root.position.x, rig.root.position.y, rig.root.position.z].map((v) => Math.round(v * 1000) / 1000),
        scale: Math.round(rig.pivot.scale.x * 1000) / 1000,
        heading: Math.round(rig.pivot.rotation.y * 1000) / 1000,
        anchored: placement.current?.anchored ?? false,
        reticle: placement.current?.reticleVisible ?? false,
        surface: placement.current?.lastSurface ?? null,
        ui: ar ? (screenSpace ? 'dom-overlay' : 'in-world') : 'in-world',
        cameraBackdrop: cameraOn,
        // Raw camera access of the AR session (null outside AR), and what the last photo had behind Xiaoguan.
        cameraAccess: ar ? cameraAccessStatus((session as XRSession & { enabledFeatures?: readonly string[] }).enabledFeatures) : null,
        photoBackdrop: lastBackdrop.current,
        lastAction: lastAction.current,
        // Where Xiaoguan and the in-world buttons are on the page (CSS px; flat view only), for tests.
        screen: gl.xr.isPresenting ? null : screenPoints(scene, camera, gl.domElement),
      })),
    [lj.diagnostics, rig, placed, photoCount, ar, screenSpace, cameraOn, session, gl, scene, camera],
  )

  // The one animation system of the experience: mixer, flights, anchor following, photo countdown.
  useFrameSystem('xiaoguan-animation', 'animation', (ctx) => {
    const dt = ctx.deltaMs / 1000
    rig.update(dt)
    placement.current?.follow(ctx.xrFrame as XRFrame | undefined)
    if (photo.current) photo.current.countdownS -= dt
  })

  // Photos are taken after the frame's own render, from the same camera the visitor sees.
  useFrameSystem(
    'xiaoguan-photo',
    'post',
    (ctx) => {
      if (!photo.current || photo.current.countdownS > 0) return
      photo.current = null
      const xrCamera = gl.xr.isPresenting ? gl.xr.getCamera() : null
      const view = xrCamera?.cameras[0]
      // The photo shows Xiaoguan and its line, not the buttons around it.
      const ui = uiGroup.current
      if (ui) ui.visible = false
      const layer = view
        ? renderPhotoLayer(gl, scene, view, view.viewport.z, view.viewport.w)
        : renderPhotoLayer(gl, scene, camera, gl.domElement.width, gl.domElement.height)
      if (ui) ui.visible = true
      // With raw camera access the real camera picture of this very frame goes behind Xiaoguan
      // (it must be copied inside this frame callback); otherwise the best stand-in.
      const viewCam = ar ? viewCamera(ctx.xrFrame as XRFrame | undefined, gl.xr.getReferenceSpace()) : null
      const cameraImage = viewCam && session ? readXRCameraImage(gl, session, viewCam) : null
      const fallback = cameraImage ? null : photoBackdrop()
      lastBackdrop.current = choosePhotoBackdrop({ ar, viewCamera: cameraImage !== null, syntheticRoom: ar && fallback !== null, rearCamera: !ar && fallback !== null })
      const backdrop = cameraImage ? { source: cameraImage, width: cameraImage.width, height: cameraImage.height } : fallback
      void finishPhoto(layer, backdrop)
    },
    0,
  )

  /** The picture under the rendered layer: emulated room, rear camera, or none. */
  const photoBackdrop = (): PhotoBackdrop | null => {
    if (ar) {
      // The emulator's synthetic room stands for the camera image (re-rendered now: its canvas does
      // not keep its picture between frames). On a real phone the camera image is not in WebGL
      // without the camera-access feature: the photo then has Xiaoguan over a gradient.
      const sem = lj.support.device?.sem
      if (sem) {
        sem.render(0)
        const canvas = sem.environmentCanvas
        return { source: canvas, width: canvas.width, height: canvas.height }
      }
      return null
    }
    const video = rearCamera.current?.video
    return video && video.videoWidth > 0 ? { source: video, width: video.videoWidth, height: video.videoHeight } : null
  }

  const finishPhoto = async (layer: HTMLCanvasElement, backdrop: PhotoBackdrop | null) => {
    try {
      const blob = await composePhoto(layer, backdrop)
      const count = photoCount + 1
      await savePhoto(blob, photoFileName(count), screenSpace)
      setPhotoCount(count)
      setLine(backdrop || !ar ? LINES.photo : LINES.photoNoCamera)
    } catch (error) {
      lj.app.pushError(createAppError('scene-crashed', `photo: ${error instanceof Error ? error.message : String(error)}`))
    } finally {
      photoBusy.current = false
    }
  }

  const actions: MascotActions = {
    photo() {
      if (photoBusy.current) return
      photoBusy.current = true
      if (rig.root.visible && rig.clip) rig.play('photo-pose')
      photo.current = { countdownS: PHOTO_DELAY_S }
    },
    wave() {
      lastAction.current = 'wave'
      rig.play('wave')
      setLine(LINES.wave)
    },
    dance() {
      lastAction.current = 'dance'
      rig.play('dance')
      setLine(LINES.dance)
    },
    outfit() {
      const next = nextOutfit(rig.outfit)
      rig.setOutfit(next)
      rig.play('nod')
      setOutfit(next)
      setLine(LINES.outfit)
    },
    flyAway() {
      if (!placed) {
        setLine(LINES.placeHint)
        return
      }
      rig.play('fly-away')
      placement.current?.clear()
      setPlaced(false)
      setLine(LINES.flyAway)
    },
    camera() {
      if (rearCamera.current) {
        rearCamera.current.stop()
        rearCamera.current.video.remove()
        rearCamera.current = null
        setCameraOn(false)
        return
      }
      openRearCamera().then(
        (cam) => {
          // The video goes under the (transparent) canvas; the stage background is switched off.
          cam.video.className = 'mascot-camera-backdrop'
          Object.assign(cam.video.style, { position: 'fixed', inset: '0', width: '100%', height: '100%', objectFit: 'cover', zIndex: '-1' })
          document.body.prepend(cam.video)
          rearCamera.current = cam
          setCameraOn(true)
        },
        (error: unknown) => {
          const name = (error as { name?: string }).name ?? ''
          const message = error instanceof Error ? error.message : String(error)
          lj.app.pushError(createAppError('camera-denied', `${name}: ${message}`))
        },
      )
    },
  }

  useEffect(
    () => () => {
      rearCamera.current?.stop()
      rearCamera.current?.video.remove()
    },
    [],
  )

  const onTapMascot = () => {
    placement.current?.markUiPress()
    const clip = clipForTap(tapCount.current++)
    if (clip === 'wave') actions.wave()
    else actions.dance()
  }

  const onPlaced = useCallback(() => {
    setPlaced(true)
    setLine(LINES.hello)
  }, [])
  const onNoSurface = useCallback(() => setLine(LINES.noSurface), [])

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
      {showStage && <color attach="background" args={['#0c1424']} />}
      <Viewpoint position={[0, 0, 0]} lookAt={[0, 1.0, -1.5]} />
      <ambientLight ref={ambient} intensity={STAGE_AMBIENT} />
      <directionalLight ref={sun} position={[1, 3, 2]} intensity={STAGE_SUN} />
      <group ref={detailRoot} name="mascot-detail">
        {showStage && (
          <>
            <mesh rotation={[-Math.PI / 2, 0, 0]}>
              <circleGeometry args={[6, 48]} />
              <meshStandardMaterial color="#1b2a40" />
            </mesh>
            {/* A round pedestal with a golden rim, Xiaoguan's stage. */}
            <mesh position={[STAGE.x, STAGE.y / 2, STAGE.z]}>
              <cylinderGeometry args={[0.32, 0.38, STAGE.y, 40]} />
              <meshStandardMaterial color="#24365a" roughness={0.5} />
            </mesh>
            <mesh position={[STAGE.x, STAGE.y + 0.004, STAGE.z]} rotation={[-Math.PI / 2, 0, 0]}>
              <ringGeometry args={[0.27, 0.32, 48]} />
              <meshBasicMaterial color="#ffc94f" toneMapped={false} />
            </mesh>
          </>
        )}
        <Xiaoguan rig={rig} scale={stageScale} onClick={onTapMascot} onPointerDown={() => placement.current?.markUiPress()} />
      </group>
      {ar && <ArPlacement ref={placement} rig={rig} scale={AR_SCALE} screenSpace={screenSpace} onPlaced={onPlaced} onNoSurface={onNoSurface} />}
      {/* On a phone the DOM overlay shows the line; headsets and the desktop get an in-world bubble. */}
      {!screenSpace && <SpeechBubble line={line} lang={lang} position={bubbleAt} width={0.8} rotationY={ar ? -0.3 : -0.35} />}
      {screenSpace && <MascotOverlay actions={actions} lang={lang} placed={placed} outfit={outfit} line={line} placement={placement} rig={rig} emulated={lj.support.emulated} />}
      <group ref={uiGroup} name="mascot-ui">
        {!screenSpace && <WorldButtons actions={actions} ar={ar} placed={placed} cameraOn={cameraOn} onPress={() => placement.current?.markUiPress()} />}
        {!ar && <BackToHub position={[-0.95, 1.0, -1.0]} rotationY={0.6} />}
      </group>
    </>
  )
}

const screenPoint = new Vector3()

/**
 * Page positions (CSS px) of Xiaoguan's middle and of each in-world button's centre, projected
 * with the flat camera (diagnostics only, computed on demand).
 */
function screenPoints(scene: Object3D, camera: Camera, canvas: HTMLCanvasElement): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {}
  const rect = canvas.getBoundingClientRect()
  const put = (name: string, object: Object3D, lift = 0) => {
    object.getWorldPosition(screenPoint)
    screenPoint.y += lift
    screenPoint.project(camera)
    out[name] = [Math.round(rect.left + ((screenPoint.x + 1) / 2) * rect.width), Math.round(rect.top + ((1 - screenPoint.y) / 2) * rect.height)]
  }
  scene.traverse((object) => {
    if (object.name === 'xiaoguan-holder') put('xiaoguan', object, 0.3)
    else if (object.name.startsWith('mascot-button-')) put(object.name.slice('mascot-button-'.length), object)
  })
  return out
}

/** In-world button size (m); drawn at 800 px/m so the longest label ("Camera off", "关闭相机") fits. */
const BUTTON_W = 0.26
const BUTTON_H = 0.075
const BUTTON_COLUMNS = 3

/** Position of button `i` of `count` in rows of three, centred, the first row on top. */
function buttonSlot(i: number, count: number): [number, number, number] {
  const row = Math.floor(i / BUTTON_COLUMNS)
  const inRow = Math.min(BUTTON_COLUMNS, count - row * BUTTON_COLUMNS)
  const col = i % BUTTON_COLUMNS
  return [(col - (inRow - 1) / 2) * (BUTTON_W + 0.02), -row * (BUTTON_H + 0.02), 0]
}

/** In-world buttons for headsets and the desktop (no DOM overlay there). */
function WorldButtons({ actions, ar, placed, cameraOn, onPress }: { actions: MascotActions; ar: boolean; placed: boolean; cameraOn: boolean; onPress: () => void }) {
  const lang = useLang()
  const buttons: { id: string; label: Bilingual; run: () => void }[] = [
    { id: 'photo', label: { zh: '拍照', en: 'Photo' }, run: actions.photo },
    { id: 'wave', label: { zh: '挥手', en: 'Wave' }, run: actions.wave },
    { id: 'dance', label: { zh: '跳舞', en: 'Dance' }, run: actions.dance },
    { id: 'outfit', label: { zh: '换装', en: 'Outfit' }, run: actions.outfit },
  ]
  if (ar && placed) buttons.push({ id: 'fly-away', label: { zh: '飞走', en: 'Fly away' }, run: actions.flyAway })
  // Outside WebXR (iOS, a desktop): the photo-with-camera mode, the rear camera under the canvas.
  if (!ar) buttons.push({ id: 'camera', label: cameraOn ? { zh: '关闭相机', en: 'Camera off' } : { zh: '相机合影', en: 'Camera photo' }, run: actions.camera })
  // In AR the row sits low on the left, out of the way of aiming at the floor.
  // On the stage they sit to Xiaoguan's right under its bubble, turned to the visitor, not over it.
  const origin: [number, number, number] = ar ? [-0.55, 0.95, -0.75] : [0.78, 0.98, -1.15]
  return (
    <group position={origin} rotation={ar ? [-0.35, 0.45, 0] : [-0.2, -0.45, 0]}>
      {buttons.map((button, i) => (
        <group key={button.id} position={buttonSlot(i, buttons.length)} onPointerDown={onPress}>
          <TextPanel
            name={`mascot-button-${button.id}`}
            width={BUTTON_W}
            height={BUTTON_H}
            pixelsPerMetre={800}
            align="center"
            background="rgba(20, 32, 56, 0.92)"
            border="#ffc94f"
            onClick={button.run}
            lines={[{ text: button.label[lang], size: 30, weight: 700 }]}
          />
        </group>
      ))}
    </group>
  )
}
