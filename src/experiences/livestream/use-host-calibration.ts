import { useCallback, useState, type Dispatch, type SetStateAction } from 'react'
import { saveCalibration, solveCalibration, type Calibration } from '../../core/avatar'
import type { Bilingual } from '../../core/i18n/strings'
import { LEFT_SLOT, RIGHT_SLOT } from '../../core/input/input-snapshot'
import { applyCalibration, fitCalibration } from '../../scene/avatar/avatar-rig'
import type { Lingjing } from '../../scene/lingjing-context'
import { hostStorage, type HostState } from './host-state'
import type { HostRigInfo } from './use-host-rig'

/** Seconds the wearer has to spread their arms after pressing "calibrate". */
const CALIBRATION_COUNTDOWN_S = 3

/** What {@link useHostCalibration} gives the experience. */
export interface HostCalibration {
  /** What the panel says about calibration (the countdown, the result or why it failed), or null. */
  text: Bilingual | null
  /** The panel's "calibrate" button: starts the countdown (in VR only). */
  onCalibrate(): void
  /** Per frame, from the host system: counts down and takes the T-pose sample at zero. */
  tick(dt: number): void
}

/**
 * Calibration: a countdown, then one T-pose sample of head and hands (wrists of tracked hands, else
 * the grips) solved for the wearer's height and arm span, fitted to the rig and saved for this device.
 */
export function useHostCalibration(lj: Lingjing, host: HostState, deviceKey: string, setRigInfo: Dispatch<SetStateAction<HostRigInfo>>): HostCalibration {
  const [text, setText] = useState<Bilingual | null>(null)
  const onCalibrate = useCallback(() => {
    if (!lj.xr.getState().session) {
      setText({
        zh: '请先进入 VR：校准需要读取头显和两个手柄的位置。',
        en: 'Enter VR first: calibration reads the headset and both controllers.',
      })
      return
    }
    host.countdown = CALIBRATION_COUNTDOWN_S
    host.lastCountdownShown = -1
  }, [host, lj])

  const finish = useCallback(() => {
    const rig = host.rig
    if (!rig) return
    const s = host.input
    const left = s.sources[LEFT_SLOT]
    const right = s.sources[RIGHT_SLOT]
    const wrists = left.kind === 'hand' && right.kind === 'hand' && left.jointsValid && right.jointsValid
    const point = (src: typeof left) =>
      wrists ? { x: src.joints[0], y: src.joints[1], z: src.joints[2] } : { x: src.grip.position[0], y: src.grip.position[1], z: src.grip.position[2] }
    const h = s.head
    const result = solveCalibration(
      {
        head: { x: h.position[0], y: h.position[1], z: h.position[2] },
        headRotation: { x: h.orientation[0], y: h.orientation[1], z: h.orientation[2], w: h.orientation[3] },
        leftHand: point(left),
        rightHand: point(right),
        handPoint: wrists ? 'wrist' : 'grip',
      },
      rig.measurements,
    )
    if (!result.ok) {
      setText(result.error.message)
      return
    }
    const fitted: Calibration | null = fitCalibration(result.calibration, rig.measurements)
    applyCalibration(rig, fitted)
    const store = hostStorage()
    if (store) saveCalibration(store, deviceKey, result.calibration)
    setRigInfo((info) => ({ ...info, calibrated: true }))
    const cm = Math.round(result.calibration.height * 100)
    setText({ zh: `已校准：身高约 ${cm} 厘米，已为此设备保存。`, en: `Calibrated: about ${cm} cm tall, saved for this device.` })
  }, [host, deviceKey, setRigInfo])

  const tick = useCallback(
    (dt: number) => {
      if (host.countdown < 0) return
      host.countdown -= dt
      const shown = Math.ceil(host.countdown)
      if (host.countdown <= 0) {
        host.countdown = -1
        finish()
      } else if (shown !== host.lastCountdownShown) {
        // Once a second, not per frame.
        host.lastCountdownShown = shown
        setText({ zh: `双臂向两侧平举… ${shown}`, en: `Arms out to the sides… ${shown}` })
      }
    },
    [host, finish],
  )
  return { text, onCalibrate, tick }
}
