import type { Object3D, Vector3 } from 'three'
import { heldPropMatrix, restingPropMatrix, squeezeProp, type PropHand, type PropsState, type SqueezeResult } from '../../core/avatar'
import type { AvatarRig } from './avatar-rig'

/**
 * Scene glue for the studio props (core/avatar/props.ts): a squeeze at the wearer's controller,
 * and each prop's matrix from its holder's hand bone. Both run inside the host frame system and
 * allocate nothing.
 */

/**
 * A squeeze press of one hand: the controller's grip position (tracking space, as the input
 * snapshot gives it) is taken into the props' space (world) through `space`, whose matrixWorld
 * must be current, then the prop nearest it is taken, or the held one put back.
 */
export function squeezeRigProp(props: PropsState, hand: PropHand, grip: Float32Array, space: Object3D, scratch: Vector3): SqueezeResult {
  return squeezeProp(props, hand, scratch.set(grip[0], grip[1], grip[2]).applyMatrix4(space.matrixWorld))
}

/**
 * Writes each prop's matrix: in its holder's hand bone (call after updateRigBody: the IK and the
 * emote have posed it), or on its stand. The prop objects sit at the scene root, so their local
 * matrix is their world matrix; `matrixAutoUpdate` must be off on them.
 */
export function placeRigProps(props: PropsState, rig: AvatarRig, objects: readonly (Object3D | null)[]): void {
  for (let i = 0; i < props.defs.length; i++) {
    const o = objects[i]
    if (!o) continue
    const by = props.heldBy[i]
    if (by) {
      const hand = rig.hands[by === 'left' ? 0 : 1]
      hand.updateWorldMatrix(true, false)
      heldPropMatrix(props, i, hand.matrixWorld, o.matrix)
    } else {
      restingPropMatrix(props, i, o.matrix)
    }
    o.matrixWorldNeedsUpdate = true
  }
}
