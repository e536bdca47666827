import type { DiagnosticsSnapshot } from '../core/diagnostics/diagnostics'
import type { XRSupport } from './xr/setup-xr'

/**
 * The public diagnostics API on `window.lingjing` (tests, the benchmark and the HUD use it). It sits below the
 * scene so that scene parts add their members by module augmentation (`declare module`) without importing the
 * shell, which installs it (shell/diagnostics-api.ts).
 */
export interface LingjingWindowApi {
  /** App version from package.json. */
  version: string
  /** A JSON-serialisable picture of the app now. */
  snapshot(): DiagnosticsSnapshot
  /** The emulated XR device when the built-in emulator is active (tests drive it), else null. */
  emulator: XRSupport['device']
  /** Client-side navigation to a route, keeping the session. */
  navigate(path: string): void
}

declare global {
  interface Window {
    lingjing?: LingjingWindowApi
  }
}
