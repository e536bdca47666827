import { useThree } from '@react-three/fiber'
import { useEffect, type RefObject } from 'react'
import { Vector3, type Camera, type Object3D, type WebGLRenderer } from 'three'
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
      diagnostics.setSection('mascot', (): MascotSnapshot =>
        describeMascot({ rig, placed, photoCount, ar, screenSpace, cameraOn, session, placement, lastBackdrop, lastAction }, gl, scene, camera),
      ),
    [diagnostics, rig, placed, photoCount, ar, screenSpace, cameraOn, session, gl, scene, camera, placement, lastBackdrop, lastAction],
  )
}

/** The section as the mascot experience computes it (placement, animation, photos, page positions). */
function describeMascot(input: MascotDiagnosticsInput, gl: WebGLRenderer, scene: Object3D, camera: Camera) {
  const { rig, placed, photoCount, ar, screenSpace, cameraOn, session, placement, lastBackdrop, lastAction } = input
  const r = (v: number) => Math.round(v * 1000) / 1000
  const position: [number, number, number] = [r(rig.root.position.x), r(rig.root.position.y), r(rig.root.position.z)]
  return {
    placed,
    landed: placed && !rig.flying,
    animation: rig.clip,
    photoCount,
    outfit: rig.outfit,
    position,
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
  }
}

/** What every owner of the `mascot` section reports: Xiaoguan's state. */
type MascotCore = Pick<ReturnType<typeof describeMascot>, 'placed' | 'animation' | 'photoCount' | 'outfit'>

/**
 * `snapshot().mascot`: Xiaoguan, from whichever experience shows it. The mascot experience fills
 * every field; the Tianhe guide fills the core ones and adds `guide` (declared there, by interface
 * merging: `declare module '…/use-mascot-diagnostics' { interface MascotSnapshot { guide?: … } }`).
 */
export interface MascotSnapshot extends MascotCore, Partial<Omit<ReturnType<typeof describeMascot>, keyof MascotCore>> {}

declare module '../../core/diagnostics/diagnostics' {
  interface SnapshotSections {
    /** Xiaoguan (while the mascot experience or a guide is mounted). */
    mascot?: MascotSnapshot
  }
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
