import { useCallback, useEffect, useRef, useState, type RefObject } from 'react'
import { Vector3 } from 'three'
import type { Bilingual } from '../../core/i18n/strings'
import type { ArPlacementApi } from './ar-placement'
import { LINES } from './mascot-logic'
import { STAGE } from './mascot-stage'
import type { XiaoguanRig } from './xiaoguan-rig'

/** Where Xiaoguan is: flown onto the stage, or placed (or not yet) on a real surface in AR. */
export interface MascotPlacement {
  /** True once Xiaoguan was placed in AR (always false on the stage). */
  placed: boolean
  /** The AR placement's handle (reticle, anchor, gestures), null outside AR. */
  placement: RefObject<ArPlacementApi | null>
  /** ArPlacement's callbacks: a surface was tapped, or a tap hit none. */
  onPlaced(): void
  onNoSurface(): void
  /** Flies away from its surface (in AR, once placed); otherwise says how to place it. */
  flyAway(): void
  /** A button or Xiaoguan was pressed: that tap is not a placement. */
  markUiPress(): void
}

/**
 * Entering or leaving AR resets the scene: on the stage Xiaoguan flies in; in AR it waits to be
 * placed, and ArPlacement tells where.
 */
export function useMascotPlacement(rig: XiaoguanRig, ar: boolean, say: (line: Bilingual) => void): MascotPlacement {
  const [placed, setPlaced] = useState(false)
  const placement = useRef<ArPlacementApi | null>(null)

  useEffect(() => {
    if (ar) {
      rig.root.visible = false
      setPlaced(false)
      say(LINES.placeHint)
      return
    }
    rig.root.visible = true
    rig.flyTo(new Vector3(STAGE.x + 0.8, STAGE.y + 0.9, STAGE.z - 0.6), STAGE, { durationS: 1.6, onArrive: 'wave' })
    say(LINES.stage)
  }, [ar, rig, say])

  const onPlaced = useCallback(() => {
    setPlaced(true)
    say(LINES.hello)
  }, [say])
  const onNoSurface = useCallback(() => say(LINES.noSurface), [say])

  return {
    placed,
    placement,
    onPlaced,
    onNoSurface,
    flyAway() {
      if (!placed) {
        say(LINES.placeHint)
        return
      }
      rig.play('fly-away')
      placement.current?.clear()
      setPlaced(false)
      say(LINES.flyAway)
    },
    markUiPress: () => placement.current?.markUiPress(),
  }
}
