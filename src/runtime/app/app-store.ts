import type { AppError } from '../../core/app/app-errors'
import type { Language } from '../../core/app/options'
import type { ExperienceId } from '../../core/app/routes'
import { createStore, shallowEqual } from '../../core/store/store'

/** Shell state that React shows. Changed only on events, never per frame. */
export interface AppState {
  lang: Language
  experience: ExperienceId | null
  /** Loading phase of the current experience: code chunk, assets, shader precompile, ready. */
  loading: { phase: 'code' | 'assets' | 'compile' | 'ready'; progress: number }
  errors: AppError[]
  presenting: boolean
  mode: XRSessionMode | null
  hud: boolean
  /** Bumped by "Try again": the experience's error boundary remounts on change. */
  retries: number
}

type Listener = () => void

/** The shell's store (core/store): state is replaced, and listeners run only when something changed. */
export interface AppStore {
  getState(): AppState
  setState(partial: Partial<AppState>): void
  subscribe(listener: Listener): () => void
  pushError(error: AppError): void
  dismissError(error: AppError): void
}

/** Creates the shell's store with its first state. */
export function createAppStore(initial: AppState): AppStore {
  // Merged partials are compared field by field, so a set that changes nothing tells no one.
  const state = createStore(initial, shallowEqual)
  const store: AppStore = {
    getState: state.get,
    setState: (partial) => state.set((current) => ({ ...current, ...partial })),
    subscribe: (listener) => state.subscribe(() => listener()),
    pushError(error) {
      // One visible message per kind: a repeated failure replaces, not stacks.
      store.setState({ errors: [...state.get().errors.filter((e) => e.kind !== error.kind), error] })
    },
    dismissError(error) {
      store.setState({ errors: state.get().errors.filter((e) => e !== error) })
    },
  }
  return store
}
