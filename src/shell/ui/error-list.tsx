import type { AppError, AppErrorAction } from '../../core/app/app-errors'
import { t } from '../../core/i18n/strings'
import { useLingjing } from '../../scene/lingjing-context'
import { useAppState } from '../../scene/use-app-state'
import { useLang } from '../../scene/use-lang'

const ACTION_LABEL: Record<AppErrorAction, Parameters<typeof t>[0]> = {
  reload: 'reload',
  retry: 'retry',
  'open-emulator': 'openEmulator',
  'enter-again': 'enterVR',
  'back-to-hub': 'backToHub',
  dismiss: 'dismiss',
}

const ENTER_AGAIN_LABEL: Record<XRSessionMode, Parameters<typeof t>[0]> = {
  'immersive-vr': 'enterVR',
  'immersive-ar': 'enterAR',
  inline: 'enterVR',
}

/** Every error the app knows of, visible, with what it means and what to do, in the chosen language. */
export function ErrorList() {
  const lingjing = useLingjing()
  const errors = useAppState(lingjing.app, (s) => s.errors)
  const lang = useLang()
  if (errors.length === 0) return null
  const act = (error: AppError, action: AppErrorAction) => {
    switch (action) {
      case 'reload':
        window.location.reload()
        return
      case 'open-emulator': {
        const url = new URL(window.location.href)
        url.searchParams.set('emulate', 'quest3')
        window.location.href = url.href
        return
      }
      case 'back-to-hub':
        lingjing.app.dismissError(error)
        lingjing.navigate('/')
        return
      case 'enter-again':
        lingjing.app.dismissError(error)
        void lingjing.session.enter(lingjing.session.lastMode)
        return
      case 'retry':
        // A failed code chunk stays failed in the browser's module map: only a reload fetches it again.
        if (error.detail && /dynamically imported module|Importing a module script failed|error loading dynamically/i.test(error.detail)) {
          window.location.reload()
          return
        }
        lingjing.app.dismissError(error)
        lingjing.app.setState({ retries: lingjing.app.getState().retries + 1 })
        return
      case 'dismiss':
        lingjing.app.dismissError(error)
        return
    }
  }
  return (
    <div className="errors">
      {errors.map((error) => (
        <div key={error.kind} className="error" role="alert" data-kind={error.kind}>
          <strong>{error.title[lang]}</strong>
          <p>{error.body[lang]}</p>
          {error.detail && <p className="detail">{error.detail}</p>}
          <div className="actions">
            {error.actions.map((action) => (
              <button key={action} type="button" onClick={() => act(error, action)}>
                {t(action === 'enter-again' ? ENTER_AGAIN_LABEL[lingjing.session.lastMode] : ACTION_LABEL[action], lang)}
              </button>
            ))}
          </div>
        </div>
      ))}
    </div>
  )
}
