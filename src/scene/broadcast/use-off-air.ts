import { useEffect, type RefObject } from 'react'
import type { Object3D } from 'three'

/**
 * Keeps the referenced object out of the programme while it is mounted (the monitor, the crew's
 * controls, the mirror): the programme camera hides everything on `offAir` when it renders.
 */
export function useOffAir(programme: { readonly offAir: Object3D[] }, ref: RefObject<Object3D | null>): void {
  useEffect(() => {
    const object = ref.current
    if (!object) return
    programme.offAir.push(object)
    return () => {
      const i = programme.offAir.indexOf(object)
      if (i >= 0) programme.offAir.splice(i, 1)
    }
  }, [programme, ref])
}
