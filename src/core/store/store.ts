/**
 * The one store primitive for state that React or other parts watch (app shell state, service views):
 * a value, replaced whole, and listeners told only when it changed. No framework, so the core and the
 * runtime services share it, and React reads it through `useSyncExternalStore(store.subscribe, store.get)`.
 */

/** Told the new state after each change. */
export type StoreListener<S> = (state: S) => void

/** A value with change notification. */
export interface Store<S> {
  /** The current state (the same object until the next change). */
  get(): S
  /** Replaces the state (or maps it); listeners run only when the result differs from the current state. */
  set(next: S | ((current: S) => S)): void
  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: StoreListener<S>): () => void
}

/**
 * Creates a store holding `initial`. `equals` decides what counts as a change (default `Object.is`:
 * a new object is a change; `shallowEqual` also ignores a copy with the same fields).
 */
export function createStore<S>(initial: S, equals: (a: S, b: S) => boolean = Object.is): Store<S> {
  let state = initial
  const listeners = new Set<StoreListener<S>>()
  return {
    get: () => state,
    set(next) {
      const value = typeof next === 'function' ? (next as (current: S) => S)(state) : next
      if (equals(state, value)) return
      state = value
      for (const listener of listeners) listener(state)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
}

/** True when `a` and `b` have the same own keys with `Object.is`-equal values. */
export function shallowEqual<S>(a: S, b: S): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  const ka = Object.keys(a) as (keyof S)[]
  if (ka.length !== Object.keys(b).length) return false
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && Object.is(a[k], b[k]))
}
