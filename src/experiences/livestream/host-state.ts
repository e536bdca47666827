import { Object3D, Vector3 } from 'three'
import { createPropsState, type ExpressionBindings, type PropsState } from '../../core/avatar'
import { createInputSnapshot, type XRInputSnapshot } from '../../core/input/input-snapshot'
import { createFaceSender, createRemoteFace, type FaceSender, type RemoteFace } from '../../core/venue/face'
import { POSE_LENGTH } from '../../core/venue/pose'
import type { Programme } from '../../runtime/broadcast/programme'
import type { AvatarRig } from '../../scene/avatar/avatar-rig'
import type { Lingjing } from '../../scene/lingjing-context'
import { STUDIO_PROP_DEFS } from './studio-props'

/**
 * Per-mount mutable state of the livestream host that the frame loop reads (never React state).
 * The experience's hooks write it on events; the host system reads and writes it per frame.
 */
export interface HostState {
  rig: AvatarRig | null
  /** The frame's input: `lj.xrSessions.input` (the live XRFrame, or the replayed take). */
  readonly input: XRInputSnapshot
  /** Builds a fresh rig for the shown avatar (set by the avatar effect). */
  buildRig: (() => AvatarRig) | null
  /** The replay whose first frame the rig was last rebuilt for. */
  rebuiltFor: object | null
  readonly prevPressed: Uint8Array
  /** Seconds left in the calibration countdown, or -1. */
  countdown: number
  lastCountdownShown: number
  /** The shown model's expression bindings (hotkeys, controller buttons) and their storage key. */
  bindings: ExpressionBindings | null
  bindingsKey: string
  /** The emotes the host can play, in hotkey order (Shift+1–9). */
  emotes: readonly string[]
  /** What the host's eyes follow: the on-air camera's lens or the audience point. */
  gazeTarget: Object3D
  /** True while this visitor is in the audience: the rig follows the host over the network. */
  audience: boolean
  /** The host's face as received (audience) and the sender of ours (host). */
  readonly remoteFace: RemoteFace
  readonly faceSender: FaceSender
  /** The host's interpolated world pose, and it as an input snapshot in the rig's space. */
  readonly remotePose: Float32Array
  readonly remoteInput: XRInputSnapshot
  /** The studio props: who holds what, their scene objects (STUDIO_PROP_DEFS order), frame scratch. */
  readonly props: PropsState
  readonly propObjects: (Object3D | null)[]
  readonly propHand: Vector3
}

/** Creates the host state: no rig yet, eyes on the programme's lens, every prop on its stand. */
export function createHostState(lj: Lingjing, programme: Programme): HostState {
  return {
    rig: null,
    input: lj.xrSessions.input,
    buildRig: null,
    rebuiltFor: null,
    prevPressed: new Uint8Array(14),
    countdown: -1,
    lastCountdownShown: -1,
    bindings: null,
    bindingsKey: '',
    emotes: [],
    gazeTarget: programme.lens,
    audience: false,
    remoteFace: createRemoteFace(),
    faceSender: createFaceSender(),
    remotePose: new Float32Array(POSE_LENGTH),
    remoteInput: createInputSnapshot(),
    props: createPropsState(STUDIO_PROP_DEFS),
    propObjects: STUDIO_PROP_DEFS.map(() => null),
    propHand: new Vector3(),
  }
}

/** The key a calibration is saved under: this headset (or browser) on this user agent. */
export function deviceKey(name: string | null | undefined): string {
  return `${name ?? 'browser'}|${navigator.userAgent}`
}

/** The page's localStorage, or null where it is blocked (some private modes). */
export function hostStorage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}
