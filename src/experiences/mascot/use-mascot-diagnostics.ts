import { useThree } from '@react-three/fiber'
import { useEffect, type RefObject } from 'react'
import { Vector3, type Camera, type Object3D } from 'three'
import { cameraAccessStatus, type PhotoBackdropKind } from '../../core/mascot/camera-access'
import { useLingjing } from '../../scene/lingjing-context'
import type { ArPlacementApi } from './ar-placement'
import type { XiaoguanRig } from './xiaoguan-rig'

/** What the `mascot` snapshot section reports. */
export interface MascotDiagnosticsInput {
  rig: XiaoguanRig
  placed: boolean
  photoCount: number
  ar: boolean
  screenSpace: boolean
  cameraOn: boolean
  session: XRSession | undefined
  placement: RefObject<ArPlacementApi | null>
  lastBackdrop: { readonly current: PhotoBackdropKind | null }
  lastAction: { readonly current: string | null }
}

/** The `mascot` section of `window.lingjing.snapshot()`: placement, animation, photos, where things are on the page. */
export function useMascotDiagnostics(input: MascotDiagnosticsInput): void {
  const { diagnostics } = useLingjing()
  const gl = useThree((s) => s.gl)
  const scene = useThree((s) => s.scene)
  const camera = useThree((s) => s.camera)
  const { rig, placed, photoCount, ar, screenSpace, cameraOn, session, placement, lastBackdrop, lastAction } = input
  useEffect(
    () =>
      diagnostics.setSection('mascot', () => ({
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
    [diagnostics, rig, placed, photoCount, ar, screenSpace, cameraOn, session, gl, scene, camera, placement, lastBackdrop, lastAction],
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
