import type { VRM } from '@pixiv/three-vrm'
import type { VRMAnimation } from '@pixiv/three-vrm-animation'
import { useEffect, useLayoutEffect, useMemo, useState, type Dispatch, type RefObject, type SetStateAction } from 'react'
import { Object3D, type Group } from 'three'
import { expressionBindingsKey, loadCalibration, loadExpressionBindings, type ExpressionBindings } from '../../core/avatar'
import type { Programme } from '../../runtime/broadcast/programme'
import { disposeAvatarMotion } from '../../scene/avatar/avatar-motion'
import { createAvatarRig } from '../../scene/avatar/avatar-rig'
import { prepareVrm, type LoadedAvatar } from '../../scene/avatar/load-vrm'
import { hostStorage, type HostState } from './host-state'

/**
 * Where "the audience" is for the host's eyes: out front of the stage beyond the cameras, at a
 * seated viewer's eye height (world space; the on-air camera's lens is the other choice).
 */
const AUDIENCE_GAZE: [number, number, number] = [0, 1.3, 7]

/** What the shown rig offers the panel: the model's expressions, their bindings, whether it is calibrated. */
export interface HostRigInfo {
  expressions: readonly string[]
  bindings: ExpressionBindings | null
  calibrated: boolean
}

const setUp = new WeakSet<VRM>()
/** Hides the head from the wearer's own eyes, keeps it for every other camera (three-vrm layers). */
function setupFirstPerson(vrm: VRM): void {
  if (setUp.has(vrm)) return
  setUp.add(vrm)
  vrm.firstPerson?.setup()
}

/**
 * The host's rig: built (in `space`, the host's tracking space on the stage) whenever the shown
 * avatar or its animations change, with this device's saved calibration and the model's expression
 * bindings as last saved on this browser; `host.buildRig` rebuilds it (a replay's first frame).
 * Returns what the panel shows of it, and its setter (calibration and rebinding change it).
 */
export function useHostRig(
  host: HostState,
  space: RefObject<Group | null>,
  avatar: LoadedAvatar,
  animations: ReadonlyMap<string, VRMAnimation>,
  emoteList: readonly string[],
  deviceKey: string,
): [HostRigInfo, Dispatch<SetStateAction<HostRigInfo>>] {
  const [info, setInfo] = useState<HostRigInfo>({ expressions: [], bindings: null, calibrated: false })
  useLayoutEffect(() => {
    const origin = space.current
    if (!origin) return
    const build = () => {
      // prepareVrm puts the (possibly cached, already posed) VRM back in its rest pose first.
      const vrm = prepareVrm(avatar.vrm)
      setupFirstPerson(vrm)
      const store = hostStorage()
      const stored = store ? loadCalibration(store, deviceKey) : null
      const rig = createAvatarRig(vrm, origin, stored, 1, animations)
      // The host looks into the on-air camera's lens, like a presenter (or at the audience).
      if (rig.vrm.lookAt) rig.vrm.lookAt.target = host.gazeTarget
      return rig
    }
    const rig = build()
    host.rig = rig
    host.buildRig = build
    // The model's own expressions, bound as this model was last bound on this browser.
    const bindingsKey = expressionBindingsKey(avatar.name, avatar.version, rig.expressions)
    const loaded = loadExpressionBindings(hostStorage() ?? { getItem: () => null }, bindingsKey, rig.expressions)
    host.bindings = loaded
    host.bindingsKey = bindingsKey
    setInfo({ expressions: rig.expressions, bindings: loaded, calibrated: rig.calibration !== null })
    return () => {
      // The rig may have been rebuilt since (a replay's first frame); it is this effect's either way.
      if (host.buildRig === build) {
        if (host.rig?.motion) disposeAvatarMotion(host.rig.motion, host.rig.vrm)
        host.rig = null
        host.buildRig = null
      }
    }
  }, [avatar, host, space, deviceKey, animations])
  useEffect(() => {
    host.emotes = emoteList
  }, [host, emoteList])
  return [info, setInfo]
}

/**
 * What the host's eyes follow: the on-air camera's lens, or a point out in the audience. Sets the
 * shown rig's look-at target (and the one a rebuilt rig gets).
 */
export function useHostGaze(host: HostState, programme: Programme, gaze: 'camera' | 'audience'): void {
  const audienceGaze = useMemo(() => {
    const o = new Object3D()
    o.position.set(...AUDIENCE_GAZE)
    o.updateMatrixWorld()
    return o
  }, [])
  useEffect(() => {
    host.gazeTarget = gaze === 'audience' ? audienceGaze : programme.lens
    if (host.rig?.vrm.lookAt) host.rig.vrm.lookAt.target = host.gazeTarget
  }, [gaze, audienceGaze, programme, host])
}
