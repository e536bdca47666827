import { classifySessionError, createAppError } from '../../core/app/app-errors'
import type { LingjingXRStore } from './create-xr-store'
import { ensureSyntheticRoom, type XRSupport } from './setup-xr'
import type { AppStore } from '../app/app-store'

/** Entering and leaving immersive sessions, with every failure shown to the user. */
export interface XRSessionControl {
  /** Requests a session; a refusal or failure becomes a visible error, never a silent no-op. */
  enter(mode: XRSessionMode): Promise<void>
  /** Ends the session at the user's request (so it is not reported as lost). */
  exit(): void
  /** The last mode a session ran in, for "enter again". */
  readonly lastMode: XRSessionMode
}

/** Wires session control to the XR store and reports sessions the system ended. */
export function createXRSessionControl(app: AppStore, xr: LingjingXRStore, support: XRSupport): XRSessionControl {
  let exitRequested = false
  let lastMode: XRSessionMode = 'immersive-vr'
  let previous: XRSession | undefined
  xr.subscribe((state) => {
    const session = state.session
    if (session === previous) return
    if (previous && !session && !exitRequested) app.pushError(createAppError('session-lost', lastMode))
    if (session) {
      exitRequested = false
      if (state.mode) lastMode = state.mode
      // A new session answers any earlier session error.
      app.setState({ errors: app.getState().errors.filter((e) => !e.kind.startsWith('session-')) })
    }
    previous = session
  })
  return {
    get lastMode() {
      return lastMode
    },
    async enter(mode) {
      const supported = mode === 'immersive-ar' ? support.ar : support.vr
      if (!supported) {
        app.pushError(createAppError(navigator.xr ? 'mode-unsupported' : 'no-webxr', mode))
        return
      }
      try {
        if (mode === 'immersive-ar') await ensureSyntheticRoom(support)
        lastMode = mode
        const session = await xr.enterXR(mode)
        if (!session) app.pushError(createAppError('session-failed', mode))
      } catch (error) {
        app.pushError(classifySessionError(error))
      }
    },
    exit() {
      exitRequested = true
      void xr.getState().session?.end()
    },
  }
}
