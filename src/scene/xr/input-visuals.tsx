import { DefaultXRController, DefaultXRHand } from '@react-three/xr'
import { useLayoutEffect, useRef, type ComponentType } from 'react'
import type { Group, Object3D } from 'three'
import { XR_POINTER_OPTIONS, type XRInputVisuals } from '../../runtime/xr/create-xr-store'

/**
 * The groups holding the XR input visuals (controller models, hand meshes, their rays and
 * cursors) while they are mounted. They are the wearer's: the broadcast cameras leave them out
 * (see hideOffAir), so the audience sees the avatar's hands, not the hardware in the performer's.
 */
export const xrInputVisuals: Object3D[] = []

/**
 * Wraps one of @react-three/xr's default input implementations (DefaultXRController,
 * DefaultXRHand) with fixed options in a group listed in {@link xrInputVisuals}; pass the result
 * as the store's `controller` / `hand` implementation.
 */
export function createListedInputVisual<P extends object>(Default: ComponentType<P>, options: P): ComponentType {
  function ListedInputVisual() {
    const group = useRef<Group>(null)
    useLayoutEffect(() => {
      const object = group.current
      if (!object) return
      xrInputVisuals.push(object)
      return () => {
        const i = xrInputVisuals.indexOf(object)
        if (i >= 0) xrInputVisuals.splice(i, 1)
      }
    }, [])
    return (
      <group ref={group}>
        <Default {...options} />
      </group>
    )
  }
  ListedInputVisual.displayName = `ListedInputVisual(${Default.displayName ?? Default.name})`
  return ListedInputVisual
}

/** The store's hand and controller: @react-three/xr's default models and pointers with the app's pointer options, listed. */
export function createInputVisuals(): XRInputVisuals {
  return {
    hand: createListedInputVisual(DefaultXRHand, { teleportPointer: false, rayPointer: XR_POINTER_OPTIONS, grabPointer: XR_POINTER_OPTIONS, touchPointer: XR_POINTER_OPTIONS }),
    controller: createListedInputVisual(DefaultXRController, { teleportPointer: false, rayPointer: XR_POINTER_OPTIONS, grabPointer: XR_POINTER_OPTIONS }),
  }
}
