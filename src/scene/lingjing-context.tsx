import { createContext, useContext } from 'react'
import type { AppOptions } from '../core/app/options'
import type { Diagnostics } from '../core/diagnostics/diagnostics'
import type { AppFrame } from '../runtime/frame/app-frame'
import type { XRSessions } from '../runtime/replay/xr-sessions-service'
import type { LingjingXRStore } from '../runtime/xr/create-xr-store'
import type { XRSupport } from '../runtime/xr/setup-xr'
import type { AppStore } from '../runtime/app/app-store'
import type { XRSessionControl } from '../runtime/xr/xr-session-control'

/** Everything the shell creates once at boot and every part of the app may reach. */
export interface Lingjing {
  options: AppOptions
  app: AppStore
  xr: LingjingXRStore
  support: XRSupport
  diagnostics: Diagnostics
  /** The frame-budget loop every system runs in. */
  frame: AppFrame
  /** Entering and leaving immersive sessions. */
  session: XRSessionControl
  /**
   * Recording and replaying XR sessions (xr-sessions/README.md): the per-frame input snapshot,
   * `recordEvent(type, data)` for app events, the session RNG seed and state-hash contributors.
   */
  xrSessions: XRSessions
  /** Client-side navigation: keeps the canvas and any XR session alive across experiences. */
  navigate(path: string): void
}

export const LingjingContext = createContext<Lingjing | null>(null)

/** The app's services; throws when used outside the shell so a wiring mistake is loud. */
export function useLingjing(): Lingjing {
  const value = useContext(LingjingContext)
  if (!value) throw new Error('useLingjing must be used inside <LingjingContext.Provider>')
  return value
}
