import { useSyncExternalStore } from 'react'
import { useLingjing } from '../lingjing-context'
import type { XRSessionsState } from '../../runtime/replay/xr-sessions-service'

/** Reads a slice of the recorder/replay UI state; re-renders only when that slice changes. */
export function useXRSessionsState<T>(select: (state: XRSessionsState) => T): T {
  const { xrSessions } = useLingjing()
  return useSyncExternalStore(xrSessions.subscribe, () => select(xrSessions.getState()))
}
