import { describe, expect, it } from 'vitest'
import { createAppError } from '../../core/app/app-errors'
import { createAppStore, type AppState } from './app-store'

const INITIAL: AppState = {
  lang: 'en',
  experience: null,
  loading: { phase: 'ready', progress: 1 },
  errors: [],
  presenting: false,
  mode: null,
  hud: false,
  retries: 0,
}

describe('app store', () => {
  it('tells listeners only when a field changed', () => {
    const app = createAppStore(INITIAL)
    let calls = 0
    const off = app.subscribe(() => calls++)
    app.setState({ lang: 'en', hud: false })
    expect(calls).toBe(0)
    app.setState({ lang: 'zh' })
    expect(calls).toBe(1)
    expect(app.getState()).toMatchObject({ lang: 'zh', hud: false })
    off()
    app.setState({ hud: true })
    expect(calls).toBe(1)
  })

  it('keeps one error per kind and dismisses it', () => {
    const app = createAppStore(INITIAL)
    app.pushError(createAppError('context-lost'))
    const again = createAppError('context-lost')
    app.pushError(again)
    app.pushError(createAppError('session-failed'))
    expect(app.getState().errors.map((e) => e.kind)).toEqual(['context-lost', 'session-failed'])
    app.dismissError(again)
    expect(app.getState().errors.map((e) => e.kind)).toEqual(['session-failed'])
  })
})
