import { useThree } from '@react-three/fiber'
import { useEffect, useRef, useState, type RefObject } from 'react'
import type { Group } from 'three'
import { createAppError } from '../../core/app/app-errors'
import type { Bilingual } from '../../core/i18n/strings'
import { choosePhotoBackdrop, type PhotoBackdropKind } from '../../core/mascot/camera-access'
import { useLingjing } from '../../scene/lingjing-context'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import { LINES, photoFileName } from './mascot-logic'
import { composePhoto, openRearCamera, renderPhotoLayer, savePhoto, type PhotoBackdrop } from './photo'
import type { XiaoguanRig } from './xiaoguan-rig'
import { readXRCameraImage, viewCamera } from './xr-camera-image'

/** Seconds between asking for a photo and taking it: Xiaoguan strikes the pose first. */
const PHOTO_DELAY_S = 0.7

/** What the photo hook needs from the experience. */
export interface MascotPhotoOptions {
  rig: XiaoguanRig
  /** In an AR session (the camera picture, real or emulated, goes behind Xiaoguan). */
  ar: boolean
  /** A phone's screen-space AR (the photo is offered to share there). */
  screenSpace: boolean
  session: XRSession | undefined
  /** Says the line after a photo. */
  say(line: Bilingual): void
}

/** Photos with Xiaoguan, and the rear-camera backdrop outside XR. */
export interface MascotPhoto {
  /** Photos saved in this visit. */
  photoCount: number
  /** True while the rear camera's video is under the canvas. */
  cameraOn: boolean
  /** What the last photo had behind Xiaoguan, for diagnostics. */
  lastBackdrop: { readonly current: PhotoBackdropKind | null }
  /** The in-world buttons' group, hidden while the photo renders. */
  uiGroup: RefObject<Group | null>
  /** Xiaoguan strikes the pose; the photo is taken {@link PHOTO_DELAY_S} later. */
  takePhoto(): void
  /** Switches the rear-camera backdrop on or off. */
  toggleCamera(): void
  /** Counts the pose down; the experience's animation system calls it every frame. */
  advance(dt: number): void
}

/**
 * Photos are taken after the frame's own render ('post' phase), from the camera the visitor sees,
 * over the best backdrop there is: the XR camera image, the emulator's room, the rear camera, or none.
 */
export function useMascotPhoto({ rig, ar, screenSpace, session, say }: MascotPhotoOptions): MascotPhoto {
  const lj = useLingjing()
  const gl = useThree((s) => s.gl)
  const scene = useThree((s) => s.scene)
  const camera = useThree((s) => s.camera)
  const [photoCount, setPhotoCount] = useState(0)
  const [cameraOn, setCameraOn] = useState(false)
  const rearCamera = useRef<{ video: HTMLVideoElement; stop(): void } | null>(null)
  const photo = useRef<{ countdownS: number } | null>(null)
  const photoBusy = useRef(false)
  const lastBackdrop = useRef<PhotoBackdropKind | null>(null)
  const uiGroup = useRef<Group>(null)

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
      say(backdrop || !ar ? LINES.photo : LINES.photoNoCamera)
    } catch (error) {
      lj.app.pushError(createAppError('scene-crashed', `photo: ${error instanceof Error ? error.message : String(error)}`))
    } finally {
      photoBusy.current = false
    }
  }

  useEffect(
    () => () => {
      rearCamera.current?.stop()
      rearCamera.current?.video.remove()
    },
    [],
  )

  return {
    photoCount,
    cameraOn,
    lastBackdrop,
    uiGroup,
    takePhoto() {
      if (photoBusy.current) return
      photoBusy.current = true
      if (rig.root.visible && rig.clip) rig.play('photo-pose')
      photo.current = { countdownS: PHOTO_DELAY_S }
    },
    toggleCamera() {
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
    advance(dt) {
      if (photo.current) photo.current.countdownS -= dt
    },
  }
}
