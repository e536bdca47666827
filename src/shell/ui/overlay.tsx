import { useEffect, useRef, useState } from 'react'
import { createAppError } from '../../core/app/app-errors'
import { ROUTES, type ExperienceId } from '../../core/app/routes'
import { t, type StringKey } from '../../core/i18n/strings'
import { SHELL_HEADER_VAR } from '../../scene/dom/shell-header'
import { useLingjing } from '../../scene/lingjing-context'
import { useAppState } from '../../scene/use-app-state'
import { TakesPanel } from './replay/takes-panel'
import { XRSessionsBar } from './replay/xr-sessions-bar'
import { useLang } from '../../scene/use-lang'

const TITLE: Record<ExperienceId, StringKey> = {
  hub: 'hubTitle',
  livestream: 'livestreamTitle',
  tianhe: 'tianheTitle',
  mascot: 'mascotTitle',
}


/** The DOM layer over the canvas: where you are, language, the ways in, loading and session state. */
export function Overlay() {
  const lingjing = useLingjing()
  const { app, support } = lingjing
  const lang = useLang()
  const experience = useAppState(app, (s) => s.experience)
  const loading = useAppState(app, (s) => s.loading)
  const presenting = useAppState(app, (s) => s.presenting)
  const [requesting, setRequesting] = useState<XRSessionMode | null>(null)
  const route = ROUTES.find((r) => r.experience === experience)
  const header = useRef<HTMLElement>(null)

  // The header's height as a CSS variable: in the emulator the page stays around the emulated
  // screen, and a DOM overlay (the phone's AR controls) starts below the header, not under it.
  useEffect(() => {
    const el = header.current
    if (!el) return
    const publish = () => document.documentElement.style.setProperty(SHELL_HEADER_VAR, `${Math.ceil(el.getBoundingClientRect().bottom)}px`)
    publish()
    const observer = new ResizeObserver(publish)
    observer.observe(el)
    return () => {
      observer.disconnect()
      document.documentElement.style.removeProperty(SHELL_HEADER_VAR)
    }
  }, [])

  const enter = async (mode: XRSessionMode) => {
    setRequesting(mode)
    await lingjing.session.enter(mode)
    setRequesting(null)
  }

  const toggleLang = () => {
    const next = lang === 'zh' ? 'en' : 'zh'
    app.setState({ lang: next })
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en'
    const url = new URL(window.location.href)
    url.searchParams.set('lang', next)
    window.history.replaceState(null, '', url.href)
  }

  return (
    <header ref={header} className="overlay">
      <div className="brand">
        <span className="logo" aria-hidden="true">◎</span>
        <div>
          <h1>
            {t('appName', lang)} <small>{t('tagline', lang)}</small>
          </h1>
          {experience && <p className="where">{t(TITLE[experience], lang)}</p>}
        </div>
      </div>
      <nav aria-label={lang === 'zh' ? '体验' : 'Experiences'}>
        {ROUTES.map((r) => (
          <a
            key={r.path}
            href={r.path + window.location.search}
            aria-current={r.experience === experience ? 'page' : undefined}
            onClick={(event) => {
              event.preventDefault()
              lingjing.navigate(r.path)
            }}
          >
            {t(TITLE[r.experience], lang)}
          </a>
        ))}
      </nav>
      <div className="controls">
        <button type="button" className="lang" aria-label={t('languageLabel', lang)} onClick={toggleLang}>
          {t('language', lang)}
        </button>
        {route?.modes.includes('immersive-ar') && !presenting && (
          <button type="button" className="enter" disabled={requesting !== null} onClick={() => void enter('immersive-ar')}>
            {t('enterAR', lang)}
          </button>
        )}
        {route?.modes.includes('immersive-vr') && !presenting && (
          <button type="button" className="enter" disabled={requesting !== null} onClick={() => void enter('immersive-vr')}>
            {t('enterVR', lang)}
          </button>
        )}
        {presenting && (
          <button type="button" className="exit" onClick={() => lingjing.session.exit()}>
            {t('exitXR', lang)}
          </button>
        )}
      </div>
      {support.emulated && !presenting && (
        <p className="emulator-note">
          <strong>{t('emulatorOn', lang)}</strong> · {support.deviceName} — {t('emulatorHelp', lang)}
        </p>
      )}
      {!support.emulated && !support.vr && !support.ar && (
        <p className="emulator-note">
          {createAppError('no-webxr').body[lang]}{' '}
          <a href={`?emulate=quest3&lang=${lang}`}>{t('openEmulator', lang)}</a>
        </p>
      )}
      {loading.phase !== 'ready' && experience && (
        <div className="loading" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(loading.progress * 100)} aria-label={t('loading', lang)}>
          <span>{t(loading.phase === 'compile' ? 'compiling' : 'loading', lang)}…</span>
          <div className="bar">
            <div style={{ width: `${Math.round(loading.progress * 100)}%` }} />
          </div>
        </div>
      )}
      {/* Recording (record button, REC indicator, R key), replay timeline, takes to save. */}
      <XRSessionsBar />
      <TakesPanel />
    </header>
  )
}
