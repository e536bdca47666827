import { useEffect, type RefObject } from 'react'
import type { Object3D } from 'three'
import { xrInputVisuals } from '../xr/input-visuals'

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

// What hideOffAir hid, so restoreOffAir shows exactly that (an object that was already hidden,
// such as a mirror that is switched off, stays hidden). Reused: no allocation per render.
const hidden: Object3D[] = []

function hideList(list: readonly Object3D[]): void {
  for (let i = 0; i < list.length; i++) {
    const object = list[i]
    if (!object.visible) continue
    object.visible = false
    hidden.push(object)
  }
}

/**
 * Hides what the audience must not see, for one programme or preview render: the programme's
 * off-air objects and the wearer's XR controllers and hands (the host is the avatar, not the
 * hardware in their hands). Call {@link restoreOffAir} right after the render, in a `finally`.
 */
export function hideOffAir(programme: { readonly offAir: readonly Object3D[] }): void {
  restoreOffAir()
  hideList(programme.offAir)
  hideList(xrInputVisuals)
}

/** Shows again what {@link hideOffAir} hid. */
export function restoreOffAir(): void {
  for (let i = 0; i < hidden.length; i++) hidden[i].visible = true
  hidden.length = 0
}
