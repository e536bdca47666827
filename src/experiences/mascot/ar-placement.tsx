import { useThree } from '@react-three/fiber'
import { createXRHitTestSource, requestXRAnchor, useXR } from '@react-three/xr'
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react'
import { Matrix4, Quaternion, Vector3, type Mesh } from 'three'
import { useLingjing } from '../../scene/lingjing-context'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import { clampScale } from './mascot-logic'
import type { XiaoguanRig } from './xiaoguan-rig'

/** What the experience reads from and asks of the placement. */
export interface ArPlacementApi {
  /** True once an XR anchor holds the placement (where the device supports anchors). */
  readonly anchored: boolean
  readonly reticleVisible: boolean
  /** The surface of the last placement: height and how upright its normal is (1 = floor/table). */
  readonly lastSurface: { y: number; normalY: number } | null
  /** Keeps the placed mascot on its anchor (called from the animation system). */
  follow(frame: XRFrame | undefined): void
  /** Forgets the placement (fly-away). */
  clear(): void
  /** A press landed on Xiaoguan or a button: the select that ends it must not re-place. */
  markUiPress(): void
  /** Starts a two-finger gesture from the current size and heading. */
  beginGesture(): void
  /** Applies a pinch scale and twist (radians) relative to the gesture start. */
  applyGesture(scale: number, twist: number): void
}

/** Props of the AR placement. */
export interface ArPlacementProps {
  ref: Ref<ArPlacementApi | null>
  rig: XiaoguanRig
  /** Default size in AR. */
  scale: number
  /** Phone (screen-space): hit test from the screen centre; headset: from the right controller's ray. */
  screenSpace: boolean
  onPlaced(): void
  onNoSurface(): void
}

type HitSource = Awaited<ReturnType<typeof createXRHitTestSource>>

const hitMatrix = new Matrix4()
const hitPosition = new Vector3()
const hitQuaternion = new Quaternion()
const hitScale = new Vector3()
const up = new Vector3()
const cameraPosition = new Vector3()
const anchorMatrix = new Matrix4()
const identity = new Quaternion()

/**
 * Hit-test reticle on real surfaces and tap-to-place. A select (screen tap or trigger) that did not
 * start on Xiaoguan or a button places Xiaoguan where the reticle is: it flies out from the
 * visitor's device and lands there, held by an anchor where the device offers anchors.
 */
export function ArPlacement({ ref, rig, scale, screenSpace, onPlaced, onNoSurface }: ArPlacementProps) {
  const lj = useLingjing()
  const store = lj.xr
  const session = useXR((s) => s.session)
  const gl = useThree((s) => s.gl)
  const reticle = useRef<Mesh>(null)
  const source = useRef<HitSource | undefined>(undefined)
  const state = useRef({
    frame: 0,
    hasHit: false,
    hitY: 0,
    hitNormalY: 1,
    pressFrame: -1,
    uiPressFrame: -2,
    /** Frame at which to decide a pending placement (-1: none). */
    decideAt: -1,
    pendingValid: false,
    anchor: null as XRAnchor | null,
    placed: false,
    lastSurface: null as { y: number; normalY: number } | null,
    gestureScale: 1,
    gestureHeading: 0,
  })
  const pendingTarget = useRef(new Vector3())

  // The hit-test source: from the viewer on a phone, from the right controller on a headset.
  useEffect(() => {
    if (!session) return
    let cancelled = false
    let current: HitSource | undefined
    const create = (space: XRSpace | 'viewer') => {
      current?.source.cancel()
      current = undefined
      source.current = undefined
      createXRHitTestSource(store, session, space, ['plane', 'mesh', 'point']).then(
        (created) => {
          if (cancelled) created?.source.cancel()
          else source.current = current = created
        },
        (error: unknown) => lj.diagnostics.reportError(`hit-test: ${error instanceof Error ? error.message : String(error)}`),
      )
    }
    let trackedSpace: XRSpace | null = null
    const pickController = () => {
      const sources = [...session.inputSources].filter((s) => s.targetRayMode === 'tracked-pointer')
      const chosen = sources.find((s) => s.handedness === 'right') ?? sources[0]
      if (chosen && chosen.targetRaySpace !== trackedSpace) {
        trackedSpace = chosen.targetRaySpace
        create(trackedSpace)
      }
    }
    if (screenSpace) create('viewer')
    else {
      pickController()
      session.addEventListener('inputsourceschange', pickController)
    }
    return () => {
      cancelled = true
      session.removeEventListener('inputsourceschange', pickController)
      current?.source.cancel()
      source.current = undefined
    }
  }, [session, store, screenSpace, lj.diagnostics])

  // Selects: remember when a press starts; decide on release, two frames later, once pointer events
  // (which mark presses on Xiaoguan or a button) have run for it.
  useEffect(() => {
    if (!session) return
    const s = state.current
    const onStart = () => {
      s.pressFrame = s.frame
    }
    const onEnd = () => {
      s.decideAt = s.frame + 2
      s.pendingValid = s.hasHit
      if (s.hasHit) pendingTarget.current.copy(hitPosition)
    }
    session.addEventListener('selectstart', onStart)
    session.addEventListener('selectend', onEnd)
    return () => {
      session.removeEventListener('selectstart', onStart)
      session.removeEventListener('selectend', onEnd)
    }
  }, [session])

  const place = (target: Vector3, frame: XRFrame | undefined) => {
    const s = state.current
    gl.xr.getCamera().getWorldPosition(cameraPosition)
    // Fly out from just below the phone / headset toward the spot, and land facing the visitor.
    cameraPosition.y -= 0.15
    rig.root.visible = true
    rig.pivot.rotation.y = Math.atan2(cameraPosition.x - target.x, cameraPosition.z - target.z)
    rig.pivot.scale.setScalar(scale)
    rig.flyTo(cameraPosition, target, { durationS: 1.8, arc: 0.2, onArrive: 'wave' })
    s.placed = true
    s.lastSurface = { y: Math.round(target.y * 1000) / 1000, normalY: Math.round(s.hitNormalY * 1000) / 1000 }
    s.anchor?.delete()
    s.anchor = null
    const anchorAt = target.clone()
    // This frame's XRFrame, so the anchor is created inside its callback: waiting for a later
    // frame (the default) resumes after that callback has ended where the frame loop is script
    // (IWER), and createAnchor then fails with InvalidStateError.
    requestXRAnchor(store, { relativeTo: 'world', worldPosition: anchorAt, worldQuaternion: identity, frame }).then(
      (anchor) => {
        if (anchor && s.placed) s.anchor = anchor
        else anchor?.delete()
      },
      // Anchors are optional: without one the placement stays where it was put.
      () => undefined,
    )
    onPlaced()
  }

  useFrameSystem('mascot-hit-test', 'input', (ctx) => {
    const s = state.current
    s.frame = ctx.frame
    const frame = ctx.xrFrame as XRFrame | undefined
    const hit = source.current
    let found = false
    if (frame && hit) {
      let results: readonly XRHitTestResult[] = []
      try {
        results = frame.getHitTestResults(hit.source)
      } catch {
        // A source created after this frame's results were computed has none yet.
      }
      if (results.length > 0 && hit.getWorldMatrix(hitMatrix, results[0])) {
        hitMatrix.decompose(hitPosition, hitQuaternion, hitScale)
        up.set(0, 1, 0).applyQuaternion(hitQuaternion)
        found = true
        s.hitY = hitPosition.y
        s.hitNormalY = up.y
      }
    }
    s.hasHit = found
    const mesh = reticle.current
    if (mesh) {
      mesh.visible = found
      if (found) {
        mesh.position.copy(hitPosition)
        mesh.quaternion.copy(hitQuaternion)
      }
    }
    if (s.decideAt >= 0 && ctx.frame >= s.decideAt) {
      s.decideAt = -1
      // The press began on Xiaoguan or a button: that was a tap on them, not a placement.
      if (s.uiPressFrame >= s.pressFrame) return
      if (s.pendingValid) place(pendingTarget.current, frame)
      else onNoSurface()
    }
  })

  useImperativeHandle(
    ref,
    () => ({
      get anchored() {
        return state.current.anchor !== null
      },
      get reticleVisible() {
        return state.current.hasHit
      },
      get lastSurface() {
        return state.current.lastSurface
      },
      follow(frame) {
        const s = state.current
        if (!frame || !s.anchor || rig.flying) return
        const { originReferenceSpace, origin } = store.getState()
        if (!originReferenceSpace) return
        const pose = frame.getPose(s.anchor.anchorSpace, originReferenceSpace)
        if (!pose) return
        anchorMatrix.fromArray(pose.transform.matrix)
        if (origin) anchorMatrix.premultiply(origin.matrixWorld)
        rig.root.position.setFromMatrixPosition(anchorMatrix)
      },
      clear() {
        const s = state.current
        s.placed = false
        s.anchor?.delete()
        s.anchor = null
      },
      markUiPress() {
        state.current.uiPressFrame = state.current.frame
      },
      beginGesture() {
        state.current.gestureScale = rig.pivot.scale.x / scale
        state.current.gestureHeading = rig.pivot.rotation.y
      },
      applyGesture(pinch, twist) {
        rig.pivot.scale.setScalar(scale * clampScale(state.current.gestureScale * pinch))
        rig.pivot.rotation.y = state.current.gestureHeading + twist
      },
    }),
    // place/onNoSurface are read through the frame system's latest closure; the handle needs only these.
    [rig, scale, store],
  )

  return (
    <mesh ref={reticle} visible={false} name="mascot-reticle">
      {/* A flat ring lying on the surface (the hit pose's y axis is the surface normal). */}
      <ringGeometry args={[0.07, 0.09, 40]} onUpdate={(geometry) => geometry.rotateX(-Math.PI / 2)} />
      <meshBasicMaterial color="#ffc94f" toneMapped={false} transparent opacity={0.9} />
    </mesh>
  )
}
