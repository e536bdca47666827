import { createRoot } from 'react-dom/client'
import { App } from './app'
import { createAppError } from '../core/app/app-errors'
import { parseAppOptions } from '../core/app/options'
import { matchRoute } from '../core/app/routes'
import { createDiagnostics } from '../core/diagnostics/diagnostics'
import type { Lingjing } from '../scene/lingjing-context'
import { createAppFrame } from '../runtime/frame/app-frame'
import { createIndexedDbTakeStore } from '../runtime/replay/indexed-db-take-store'
import { emulationForReplay } from '../runtime/replay/replay-emulation'
import { createXRSessions } from '../runtime/replay/xr-sessions-service'
import { createLingjingXRStore } from '../runtime/xr/create-xr-store'
import { createInputVisuals } from '../scene/xr/input-visuals'
import { setupXR } from '../runtime/xr/setup-xr'
import { installDiagnosticsApi } from './diagnostics-api'
import { createAppStore } from '../runtime/app/app-store'
import { createXRSessionControl } from '../runtime/xr/xr-session-control'
import './ui/styles.css'

async function boot() {
  const options = parseAppOptions(window.location.search, navigator.languages ?? [navigator.language])
  const diagnostics = createDiagnostics()
  const route = matchRoute(window.location.pathname)
  const app = createAppStore({
    lang: options.lang,
    experience: route?.experience ?? null,
    loading: { phase: 'code', progress: 0 },
    errors: route ? [] : [createAppError('not-found', window.location.pathname)],
    presenting: false,
    mode: null,
    hud: options.hud,
    retries: 0,
  })
  // The emulator must be in place before anything touches navigator.xr; a replay picks the profile
  // its recording was made with.
  const support = await setupXR(await emulationForReplay(options, window.location.search))
  const xr = createLingjingXRStore(createInputVisuals())

  const navigate = (path: string) => {
    const next = matchRoute(path)
    if (!next) return
    // Keep the query (language, emulator, HUD) across experiences.
    window.history.pushState(null, '', path + window.location.search)
    app.setState({ experience: next.experience, errors: app.getState().errors.filter((e) => e.kind !== 'not-found') })
  }
  window.addEventListener('popstate', () => {
    const next = matchRoute(window.location.pathname)
    app.setState({ experience: next?.experience ?? null })
  })

  const frame = createAppFrame({ governor: options.governor === 'on', lowest: options.governor === 'lowest' })
  const session = createXRSessionControl(app, xr, support)
  // Records and replays sessions; with ?replay=…&replayMode=deterministic its frameTimestamp()
  // becomes the loop's simulation clock (lj.frame.clock keeps measuring wall time).
  const xrSessions = createXRSessions({ options, app, xr, support, diagnostics, frame, session, navigate, openStore: createIndexedDbTakeStore })
  const lingjing: Lingjing = { options, app, xr, support, diagnostics, navigate, frame, session, xrSessions }
  installDiagnosticsApi(lingjing)
  document.documentElement.lang = options.lang === 'zh' ? 'zh-CN' : 'en'
  createRoot(document.getElementById('root')!).render(<App lingjing={lingjing} />)
}

boot().catch((error: unknown) => {
  // Last resort: boot itself failed; say so in both languages rather than leave the page blank.
  const root = document.getElementById('root')
  if (root) {
    root.innerHTML = ''
    const box = document.createElement('div')
    box.className = 'boot boot-error'
    box.setAttribute('role', 'alert')
    box.textContent = `灵境启动失败，请重新加载。 Lingjing failed to start; please reload. (${error instanceof Error ? error.message : String(error)})`
    root.appendChild(box)
  }
  console.error(error)
})
