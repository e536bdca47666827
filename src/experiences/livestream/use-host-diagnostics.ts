import { useEffect, type RefObject } from 'react'
import { Matrix4, Vector3, type Group } from 'three'
import { propsReadout, type EmoteCommands } from '../../core/avatar'
import { LEFT_SLOT, RIGHT_SLOT } from '../../core/input/input-snapshot'
import type { Microphone } from '../../runtime/avatar/microphone'
import type { Programme } from '../../runtime/broadcast/programme'
import { rigExpressionWeights, rigFingerReadout, rigHandPositions, rigLegReadout } from '../../scene/avatar/avatar-rig'
import type { LoadedAvatar } from '../../scene/avatar/load-vrm'
import type { Lingjing } from '../../scene/lingjing-context'
import type { HostState } from './host-state'
import type { Backdrop } from './studio'

/** What the host's diagnostics section reads besides the host state. */
export interface HostDiagnosticsDeps {
  lj: Lingjing
  avatar: LoadedAvatar
  backdrop: Backdrop
  programme: Programme
  microphone: Microphone
  emoteGate: EmoteCommands
  /** The host's tracking space on the stage: hands and props are read out in it. */
  space: RefObject<Group | null>
}

/**
 * `snapshot().avatar`: the host's model, expressions, gaze, motion, hands, props, input and
 * programme, computed on demand (when a snapshot is taken), never per frame.
 */
export function useHostDiagnostics(host: HostState, deps: HostDiagnosticsDeps): void {
  const { lj, avatar, backdrop, programme, microphone, emoteGate, space } = deps
  useEffect(
    () => lj.diagnostics.setSection('avatar', () => describeHost(host, { lj, avatar, backdrop, programme, microphone, emoteGate, space })),
    [avatar, backdrop, programme, host, lj, microphone, emoteGate, space],
  )
}

/** `snapshot().avatar`, as {@link describeHost} computes it. */
export type HostSnapshot = ReturnType<typeof describeHost>

declare module '../../core/diagnostics/diagnostics' {
  interface SnapshotSections {
    /** The livestream host (while the livestream room is mounted). */
    avatar?: HostSnapshot
  }
}

/** Computes the `avatar` section from the host state (on demand). */
function describeHost(host: HostState, { avatar, backdrop, programme, microphone, emoteGate, space }: HostDiagnosticsDeps) {
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
    // The studio props: who holds each, and where it is (tracking space, as the hands).
    props: propsReadout(host.props).map((p, i) => {
      const o = host.propObjects[i]
      if (!o || !space.current) return { ...p, position: null }
      space.current.updateWorldMatrix(true, false)
      const v = new Vector3().setFromMatrixPosition(o.matrix).applyMatrix4(new Matrix4().copy(space.current.matrixWorld).invert())
      const r4 = (n: number) => Math.round(n * 10000) / 10000
      const position: [number, number, number] = [r4(v.x), r4(v.y), r4(v.z)]
      return { ...p, position }
    }),
    fingers: rig ? rigFingerReadout(rig) : null,
    legs: rig ? rigLegReadout(rig) : null,
    inputKinds: { left: host.input.sources[LEFT_SLOT].kind, right: host.input.sources[RIGHT_SLOT].kind },
    grips: { left: grip(LEFT_SLOT), right: grip(RIGHT_SLOT) },
    mic: microphone.status,
    backdrop,
    programme: { width: programme.output.output.width, height: programme.output.output.height, level: programme.level, framesRendered: programme.output.stats.rendered },
  }
}
