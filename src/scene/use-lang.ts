import type { Language } from '../core/app/options'
import { useLingjing } from './lingjing-context'
import { useAppState } from './use-app-state'

/** The current language, re-rendering when the visitor toggles it. */
export function useLang(): Language {
  const { app } = useLingjing()
  return useAppState(app, (s) => s.lang)
}
