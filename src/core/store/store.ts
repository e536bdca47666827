/**
 * The one listener primitive of the app, in two forms:
 *
 * - {@link createStore}: state that React or other parts watch (app shell state, service views): a
 *   value, replaced whole, and listeners told only when it changed. React reads it through
 *   `useSyncExternalStore(store.subscribe, store.get)`.
 * - {@link createEmitter}: a stream of events (a camera take, a replayed event, a danmaku message),
 *   where every emit is told, even one equal to the last: an event is not state, and a
 *   "changed only" filter would swallow a repeated one.
 *
 * The store is built on the emitter, so there is one listener set implementation. No framework,
 * so the core and the runtime services share it.
 */

/** Told each emitted value (an event, or a store's new state). */
export type StoreListener<S> = (state: S) => void

/** A set of listeners told every emitted value. */
export interface Emitter<T> {
  /** Tells every listener `value`, in subscription order. */
  emit(value: T): void
  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: StoreListener<T>): () => void
  /** How many listeners there are (a source may skip building an event nobody hears). */
  listenerCount(): number
  /** Removes every listener (on dispose, so a disposed service holds no component). */
  clear(): void
}

/** A value with change notification. */
export interface Store<S> {
  /** The current state (the same object until the next change). */
  get(): S
  /** Replaces the state (or maps it); listeners run only when the result differs from the current state. */
  set(next: S | ((current: S) => S)): void
  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: StoreListener<S>): () => void
  /** How many listeners there are. */
  listenerCount(): number
  /** Removes every listener (on dispose). */
  clear(): void
}

/** Creates an empty emitter. */
export function createEmitter<T>(): Emitter<T> {
  const listeners = new Set<StoreListener<T>>()
  return {
    emit(value) {
      // A listener removed during the loop is not called; one added during it is (Set iteration order).
      for (const listener of listeners) listener(value)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    listenerCount: () => listeners.size,
    clear() {
      listeners.clear()
    },
  }
}

/**
 * Creates a store holding `initial`. `equals` decides what counts as a change (default `Object.is`:
 * a new object is a change; `shallowEqual` also ignores a copy with the same fields).
 */
export function createStore<S>(initial: S, equals: (a: S, b: S) => boolean = Object.is): Store<S> {
  let state = initial
  const emitter = createEmitter<S>()
  return {
    get: () => state,
    set(next) {
      const value = typeof next === 'function' ? (next as (current: S) => S)(state) : next
      if (equals(state, value)) return
      state = value
      emitter.emit(state)
    },
    subscribe: emitter.subscribe,
    listenerCount: emitter.listenerCount,
    clear: emitter.clear,
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
