import { Matrix4, Quaternion, Vector3 } from 'three'
import type { Bilingual } from '../i18n/strings'

/**
 * Studio props the host can pick up: which prop is within reach of a hand, a grab/release state
 * machine per hand, and where a held prop sits in hand-bone space. Plain math on preallocated
 * three.js objects: nothing here allocates per frame. Positions are in one space of the caller's
 * choosing (the scene uses world space); hand-bone space is the VRM normalized hand bone (T-pose
 * identity: the right hand's fingers point to -X, the palm faces -Y, the thumb +Z; the left hand
 * is its mirror image across X = 0).
 */

/** The props, in the order the panel lists them. */
export const PROP_IDS = ['microphone', 'card', 'model'] as const

/** A prop id. */
export type PropId = (typeof PROP_IDS)[number]

/** Which hand holds something. */
export type PropHand = 'left' | 'right'

/** Bilingual names of the props (panel buttons). */
export const PROP_LABEL: Record<PropId, Bilingual> = {
  microphone: { zh: '话筒', en: 'microphone' },
  card: { zh: '提词卡', en: 'cue card' },
  model: { zh: '天和模型', en: 'Tianhe model' },
}

/** How far (metres) from a resting prop's grip point a hand can be and still take it. */
export const PROP_REACH_M = 0.15

/** One prop: where it rests on its stand and how a right hand holds it. */
export interface PropDef {
  readonly id: PropId
  /** The prop's grip point when it rests on its stand. */
  readonly rest: Vector3
  /** Its orientation when resting. */
  readonly restRotation: Quaternion
  /** The grip point's offset from the right hand bone, in hand-bone space (metres). */
  readonly gripPosition: Vector3
  /** The prop's orientation in right-hand-bone space. */
  readonly gripRotation: Quaternion
}

/** Props and who holds them; mutated in place. */
export interface PropsState {
  readonly defs: readonly PropDef[]
  /** Per prop (index as in `defs`): the hand holding it, or null while it rests on its stand. */
  readonly heldBy: (PropHand | null)[]
  /** Offsets in hand-bone space per prop and hand, composed once: [right, left] per prop. */
  readonly offsets: readonly (readonly [Matrix4, Matrix4])[]
}

/** Creates the state with every prop on its stand. */
export function createPropsState(defs: readonly PropDef[]): PropsState {
  const mirrored = new Quaternion()
  const position = new Vector3()
  const unit = new Vector3(1, 1, 1)
  return {
    defs,
    heldBy: defs.map(() => null),
    offsets: defs.map((d) => {
      const right = new Matrix4().compose(d.gripPosition, d.gripRotation, unit)
      // The left hand is the right's mirror image across X = 0: x flips, and so do the rotation's y and z.
      position.set(-d.gripPosition.x, d.gripPosition.y, d.gripPosition.z)
      mirrored.set(d.gripRotation.x, -d.gripRotation.y, -d.gripRotation.z, d.gripRotation.w)
      const left = new Matrix4().compose(position, mirrored, unit)
      return [right, left] as const
    }),
  }
}

/** Index of the prop a hand holds, or -1. */
export function propHeldIn(state: PropsState, hand: PropHand): number {
  return state.heldBy.indexOf(hand)
}

/** The resting prop whose grip point is nearest `hand` within `reach`, or -1 (held props are not offered). */
export function nearestPropInReach(state: PropsState, hand: Vector3, reach = PROP_REACH_M): number {
  let best = -1
  let bestSq = reach * reach
  for (let i = 0; i < state.defs.length; i++) {
    if (state.heldBy[i] !== null) continue
    const d = state.defs[i].rest.distanceToSquared(hand)
    if (d <= bestSq) {
      best = i
      bestSq = d
    }
  }
  return best
}

/** What a squeeze did. */
export type SqueezeResult = 'grabbed' | 'released' | 'nothing'

/**
 * A squeeze press (the edge, not the hold) of one hand at `handPosition`: a hand holding a prop
 * puts it back on its stand; an empty hand takes the nearest resting prop within reach.
 */
export function squeezeProp(state: PropsState, hand: PropHand, handPosition: Vector3, reach = PROP_REACH_M): SqueezeResult {
  const held = propHeldIn(state, hand)
  if (held >= 0) {
    state.heldBy[held] = null
    return 'released'
  }
  const near = nearestPropInReach(state, handPosition, reach)
  if (near < 0) return 'nothing'
  state.heldBy[near] = hand
  return 'grabbed'
}

/**
 * Puts a prop in a hand, whatever the distance (the flat-screen panel), or empties the hand
 * (`id` null). The hand's previous prop goes back to its stand; a prop in the other hand moves over.
 */
export function holdProp(state: PropsState, hand: PropHand, id: PropId | null): void {
  const held = propHeldIn(state, hand)
  if (held >= 0) state.heldBy[held] = null
  if (id === null) return
  const i = state.defs.findIndex((d) => d.id === id)
  if (i < 0) throw new Error(`unknown prop "${id}" (known: ${PROP_IDS.join(', ')})`)
  state.heldBy[i] = hand
}

const sPosition = new Vector3()
const sRotation = new Quaternion()
const sScale = new Vector3()
const UNIT = new Vector3(1, 1, 1)

/**
 * A prop's matrix in the hand's space (world, for the scene): the hand bone's matrix without its
 * scale (a calibrated avatar is scaled; the props keep their real size) times the grip offset.
 * The hand is `prop`'s holder; call only for a held prop.
 */
export function heldPropMatrix(state: PropsState, prop: number, handMatrix: Matrix4, out: Matrix4): Matrix4 {
  handMatrix.decompose(sPosition, sRotation, sScale)
  out.compose(sPosition, sRotation, UNIT)
  return out.multiply(state.offsets[prop][state.heldBy[prop] === 'left' ? 1 : 0])
}

/** A resting prop's matrix: on its stand. */
export function restingPropMatrix(state: PropsState, prop: number, out: Matrix4): Matrix4 {
  const d = state.defs[prop]
  return out.compose(d.rest, d.restRotation, UNIT)
}

/** Who holds what, for diagnostics (allocates: call on demand). */
export function propsReadout(state: PropsState): { id: PropId; heldBy: PropHand | null }[] {
  return state.defs.map((d, i) => ({ id: d.id, heldBy: state.heldBy[i] }))
}
