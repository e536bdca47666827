import { createContext, useContext, useMemo, type ReactNode } from 'react'
import { createAppError } from '../../core/app/app-errors'
import { useLingjing } from '../lingjing-context'
import { createVenueConnection, type VenueConnection, type VenueNotice } from '../../runtime/venue/venue-connection'

/** The page's venue connection and a way to hear when peers come and go. */
export interface VenueLink {
  connection: VenueConnection
  /** Calls `listener` whenever peers join or leave (not per pose); returns the unsubscribe. */
  onPeersChanged(listener: () => void): () => void
}

const VenueContext = createContext<VenueLink | null>(null)

/**
 * Owns the one venue connection of the page, so the scene (presence, the livestream host's face)
 * and the DOM (the audience's chat box) share it. Mounted in the shell around the canvas and the
 * overlay; R3F bridges the context into the canvas. Creating it connects nothing:
 * `VenuePresence` joins and leaves rooms.
 */
export function VenueProvider({ children }: { children: ReactNode }) {
  const { app } = useLingjing()
  const link = useMemo<VenueLink>(() => {
    const told = new Set<VenueNotice['kind']>()
    const listeners = new Set<() => void>()
    const connection = createVenueConnection({
      now: () => performance.now(),
      notify(notice) {
        if (told.has(notice.kind)) return
        told.add(notice.kind)
        app.pushError(createAppError(notice.kind === 'offline' ? 'venue-offline' : 'venue-refused', notice.detail))
      },
      onPeersChanged: () => {
        for (const l of listeners) l()
      },
    })
    return {
      connection,
      onPeersChanged(listener) {
        listeners.add(listener)
        return () => void listeners.delete(listener)
      },
    }
  }, [app])
  return <VenueContext.Provider value={link}>{children}</VenueContext.Provider>
}

/** The page's venue link; null outside {@link VenueProvider} (a part mounted alone in a test). */
export function useVenue(): VenueLink | null {
  return useContext(VenueContext)
}
