import { useCallback, useEffect, useMemo, useState } from 'react'
import { createAppError } from '../../core/app/app-errors'
import { createMicrophone, startMicrophone, stopMicrophone, type Microphone, type MicrophoneStatus } from '../../runtime/avatar/microphone'
import type { Lingjing } from '../../scene/lingjing-context'

/** What {@link useHostMicrophone} gives the experience. */
export interface HostMicrophone {
  /** The microphone the lips follow (sampled by the host system), and its stream for the broadcast. */
  microphone: Microphone
  /** Its status as the panel shows it. */
  status: MicrophoneStatus
  /** The panel's microphone button: asks for the microphone (a user action only). */
  onMic(): void
}

/** The host's microphone: started by the host's click only, stopped when the room is left; a refusal is an app error. */
export function useHostMicrophone(lj: Lingjing): HostMicrophone {
  const microphone = useMemo(() => createMicrophone(), [])
  const [status, setStatus] = useState<MicrophoneStatus>('off')
  const onMic = useCallback(() => {
    setStatus('starting')
    void startMicrophone(microphone).then(({ status, detail }) => {
      setStatus(status)
      if (status === 'denied' || status === 'unavailable') lj.app.pushError(createAppError('microphone-denied', detail))
    })
  }, [lj, microphone])
  useEffect(() => () => stopMicrophone(microphone), [microphone])
  return { microphone, status, onMic }
}
