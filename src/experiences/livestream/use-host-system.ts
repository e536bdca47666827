import type { RefObject } from 'react'
import type { Group } from 'three'
import type { ExpressionButton } from '../../core/avatar'
import { LEFT_SLOT, RIGHT_SLOT } from '../../core/input/input-snapshot'
import { sampleMicrophone, type Microphone } from '../../runtime/avatar/microphone'
import { disposeAvatarMotion } from '../../scene/avatar/avatar-motion'
import { placeRigProps, squeezeRigProp } from '../../scene/avatar/avatar-props'
import { fillRigFromSnapshot, fillRigIdle, updateRigBody, updateRigFace, type AvatarRig } from '../../scene/avatar/avatar-rig'
import { fillSnapshotFromRemotePose, updateRigFaceFromRemote } from '../../scene/avatar/avatar-rig-remote'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import type { Lingjing } from '../../scene/lingjing-context'
import type { VenueLink } from '../../scene/venue/venue-context'
import type { HostState } from './host-state'

/** Controller face buttons (xr-standard slots) → expressions. */
const THUMBSTICK = 3
const FACE_A_X = 4
const FACE_B_Y = 5
const FACE_BUTTONS = [THUMBSTICK, FACE_A_X, FACE_B_Y] as const
/** The squeeze (grip) button: takes a prop within reach, or puts the held one back. */
const SQUEEZE = 1
/** Render the host's received pose this far in the past (as other remote visitors; two 20 Hz samples surround it). */
const HOST_PLAYOUT_DELAY_MS = 100

/** Which bindable button a face button of a hand is. */
function buttonOf(slot: number, b: number): ExpressionButton {
  if (b === THUMBSTICK) return 'stick'
  if (slot === RIGHT_SLOT) return b === FACE_A_X ? 'a' : 'b'
  return b === FACE_A_X ? 'x' : 'y'
}

/** What the host system needs besides the host state. */
export interface HostSystemDeps {
  lj: Lingjing
  venue: VenueLink | null
  /** The host's tracking space on the stage (the rig's parent). */
  space: RefObject<Group | null>
  microphone: Microphone
  /** Sets an expression from a controller button (a recorded event on change). */
  pressExpression(rig: AvatarRig, preset: string, source: 'controller'): void
  /** Advances the calibration countdown. */
  tickCalibration(dt: number): void
}

/**
 * The per-frame host system (animation phase). On stage: the wearer's head and hands (or the idle)
 * drive the rig, controller face buttons set bound expressions, squeeze takes or puts back a prop,
 * held props follow the hand bones after the IK, the calibration counts down, the microphone drives
 * the lips and the face goes to the audience. In the audience: the host's pose and face from the
 * network. A replay's first played frame rebuilds the rig. No allocation, no React state per frame
 * (the calibration countdown's text changes once a second).
 */
export function useHostSystem(host: HostState, { lj, venue, space, microphone, pressExpression, tickCalibration }: HostSystemDeps): void {
  useFrameSystem('livestream-host', 'animation', (ctx) => {
    if (!host.rig) return
    const dt = Math.min(ctx.deltaMs / 1000, 0.1)
    const replay = lj.xrSessions.replay
    // A replay's first played frame starts the host from scratch (rest pose, fresh smoothing,
    // springs, blink and expression), so the take looks the same whatever ran before it: the frames
    // before a replay starts follow the wall clock, and the body's smoothing remembers them. Once
    // per replay (a one-off rebuild, like a mount), not per frame.
    if (replay && replay.phase !== 'waiting' && host.rebuiltFor !== replay && host.buildRig) {
      host.rebuiltFor = replay
      if (host.rig.motion) disposeAvatarMotion(host.rig.motion, host.rig.vrm)
      host.rig = host.buildRig()
      // Every prop back on its stand: the take starts the same whatever was held before it.
      host.props.heldBy.fill(null)
    }
    const rig = host.rig
    const c = venue?.connection
    if (host.audience && c && space.current) {
      // The audience's copy of the host: body and face from the network, never from our own input.
      c.pollHostFace(host.remoteFace)
      const hp = c.hostPeer()
      const posed = hp !== null && c.poses.sample(hp.slot, performance.now() - HOST_PLAYOUT_DELAY_MS, host.remotePose) && fillSnapshotFromRemotePose(host.remotePose, space.current, host.remoteInput)
      if (posed) fillRigFromSnapshot(rig, host.remoteInput, dt)
      else fillRigIdle(rig, ctx.timeMs / 1000)
      updateRigBody(rig, dt)
      // Props are not shared over the venue: the audience's copy of the host holds none.
      host.props.heldBy.fill(null)
      placeRigProps(host.props, rig, host.propObjects)
      updateRigFaceFromRemote(rig, dt, host.remoteFace)
      return
    }
    if (lj.xrSessions.inputValid) {
      fillRigFromSnapshot(rig, host.input, dt)
      // Face buttons as bound for this model: A/B on the right, X/Y on the left, either stick click.
      for (let slot = 0; slot < 2; slot++) {
        const src = host.input.sources[slot]
        const o = slot * 7
        for (let k = 0; k < FACE_BUTTONS.length; k++) {
          const b = FACE_BUTTONS[k]
          const now = src.hasGamepad ? src.pressed[b] : 0
          if (now && !host.prevPressed[o + b]) {
            const name = host.bindings?.buttons[buttonOf(slot, b)]
            if (name) pressExpression(rig, name, 'controller')
          }
          host.prevPressed[o + b] = now
        }
        // Squeeze: take the prop nearest the wearer's hand (the grip, tracking → world), or put it back.
        const squeeze = src.hasGamepad ? src.pressed[SQUEEZE] : 0
        if (squeeze && !host.prevPressed[o + SQUEEZE] && space.current) {
          squeezeRigProp(host.props, slot === LEFT_SLOT ? 'left' : 'right', src.grip.position, space.current, host.propHand)
        }
        host.prevPressed[o + SQUEEZE] = squeeze
      }
    } else {
      fillRigIdle(rig, ctx.timeMs / 1000)
    }
    updateRigBody(rig, dt)
    placeRigProps(host.props, rig, host.propObjects)
    tickCalibration(dt)

    updateRigFace(rig, dt, sampleMicrophone(microphone), microphone.sampleRate, microphone.fftSize)
    // On stage in the shared room: the audience sees this face (only on change, at most 20 Hz).
    if (c?.isHost() && host.faceSender.update(performance.now(), rig.blender.weights)) c.sendFace(host.faceSender.quantised)
  })
}
