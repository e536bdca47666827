import { useSyncExternalStore } from 'react'
import type { AppState, AppStore } from '../runtime/app/app-store'

/** Reads a slice of the shell state in a component; re-renders only when that slice changes. */
export function useAppState<T>(store: AppStore, select: (state: AppState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.getState()))
}
