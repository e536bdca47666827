import { useEffect, useMemo } from 'react'
import { LingjingContext, type Lingjing } from '../scene/lingjing-context'
import { LingjingCanvas } from './lingjing-canvas'
import { VenueProvider } from '../scene/venue/venue-context'
import { hasWebGL2 } from '../runtime/app/webgl-support'
import { ErrorList } from './ui/error-list'
import { HudOverlay } from './ui/hud-overlay'
import { LinkConfirmPanel } from './ui/link-confirm'
import { Overlay } from './ui/overlay'
import { VenueChat } from './ui/venue-chat'
import { createAppError } from '../core/app/app-errors'

/** The shell: one persistent canvas (so an XR session survives navigation) and the DOM overlay. */
export function App({ lingjing }: { lingjing: Lingjing }) {
  const webgl = useMemo(() => hasWebGL2(), [])
  useEffect(() => {
    if (!webgl) lingjing.app.pushError(createAppError('no-webgl'))
  }, [webgl, lingjing])
  useEffect(() => {
    // Keep presenting/mode in the shell state; publish only on change.
    return lingjing.xr.subscribe((state) => {
      lingjing.app.setState({ presenting: state.session != null, mode: state.session != null ? state.mode : null })
    })
  }, [lingjing])
  return (
    <LingjingContext.Provider value={lingjing}>
      <VenueProvider>
        <div className="shell">
          {webgl && <LingjingCanvas />}
          <Overlay />
          <HudOverlay />
          <VenueChat />
          <ErrorList />
          <LinkConfirmPanel />
        </div>
      </VenueProvider>
    </LingjingContext.Provider>
  )
}
