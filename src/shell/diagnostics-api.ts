import type { Language } from '../core/app/options'
import type { AppState } from '../runtime/app/app-store'
import type { Lingjing } from '../scene/lingjing-context'

declare module '../core/diagnostics/diagnostics' {
  interface SnapshotSections {
    /** Loading phase of the current experience. */
    loading: AppState['loading']
    lang: Language
    /** Whether the frame HUD is shown. */
    hud: boolean
  }
}

/** Registers the shell's snapshot sections and exposes `window.lingjing`. */
export function installDiagnosticsApi(lingjing: Lingjing): void {
  const { diagnostics, app, xr } = lingjing
  diagnostics.setSection('experience', () => app.getState().experience ?? 'none')
  diagnostics.setSection('xr', () => {
    const { session, mode } = xr.getState()
    return {
      presenting: session != null,
      mode: session != null ? mode : null,
      frameRate: session?.frameRate ?? null,
      emulated: lingjing.support.emulated,
      device: lingjing.support.deviceName,
    }
  })
  diagnostics.setSection('loading', () => app.getState().loading)
  diagnostics.setSection('lang', () => app.getState().lang)
  diagnostics.setSection('hud', () => app.getState().hud)
  // Errors the user sees are part of the snapshot, so a test can assert "shown, not silent".
  app.subscribe(() => {
    const seen = app.getState().errors
    for (const error of seen) {
      const line = `${error.kind}: ${error.title.en}${error.detail ? ` (${error.detail})` : ''}`
      if (!reported.has(line)) {
        reported.add(line)
        diagnostics.reportError(line)
      }
    }
  })
  const reported = new Set<string>()
  window.lingjing = {
    version: __APP_VERSION__,
    snapshot: () => diagnostics.snapshot(),
    emulator: lingjing.support.device,
    navigate: lingjing.navigate,
  }
}
