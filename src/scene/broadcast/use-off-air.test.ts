import { Object3D } from 'three'
import { describe, expect, it } from 'vitest'
import { xrInputVisuals } from '../xr/input-visuals'
import { hideOffAir, restoreOffAir } from './use-off-air'

describe('hideOffAir / restoreOffAir', () => {
  it('hides the off-air objects and the XR input visuals for a render, then shows exactly what was shown', () => {
    const monitor = new Object3D()
    const mirrorSwitchedOff = new Object3D()
    mirrorSwitchedOff.visible = false
    const controller = new Object3D()
    const programme = { offAir: [monitor, mirrorSwitchedOff] }
    xrInputVisuals.push(controller)
    try {
      hideOffAir(programme)
      expect([monitor.visible, mirrorSwitchedOff.visible, controller.visible]).toEqual([false, false, false])
      restoreOffAir()
      // The mirror was off before the render and stays off.
      expect([monitor.visible, mirrorSwitchedOff.visible, controller.visible]).toEqual([true, false, true])
      // Restoring twice changes nothing (the list of what was hidden is emptied).
      monitor.visible = false
      restoreOffAir()
      expect(monitor.visible).toBe(false)
    } finally {
      xrInputVisuals.splice(xrInputVisuals.indexOf(controller), 1)
    }
  })

  it('a second hide without a restore first puts back what the first one hid', () => {
    const a = new Object3D()
    const b = new Object3D()
    hideOffAir({ offAir: [a] })
    hideOffAir({ offAir: [b] })
    expect([a.visible, b.visible]).toEqual([true, false])
    restoreOffAir()
    expect([a.visible, b.visible]).toEqual([true, true])
  })
})
