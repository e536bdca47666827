/**
 * The experiences' share of the deterministic state hash: named contributors, fed in name order so
 * the hash does not depend on mount order, each one's failure hashed as text rather than thrown
 * (a replay's snapshot must always answer). `window.lingjing.snapshot().replay.stateHash` is the
 * replay driver's hash over these.
 */
import type { StateHasher } from '../../core/replay/state-hash'
import type { StateHashContributor } from './xr-sessions-types'

/** The registry behind `registerStateHashContributor`. */
export interface StateHashContributors {
  /** Adds `contribute` under `name` (a name registers once); returns the function that removes it. */
  register(name: string, contribute: StateHashContributor): () => void
  /** Feeds every contributor's state into `hasher`, in name order. */
  contribute(hasher: StateHasher): void
}

/** Creates an empty registry. */
export function createStateHashContributors(): StateHashContributors {
  const contributors = new Map<string, StateHashContributor>()
  return {
    register(name, fn) {
      if (contributors.has(name)) throw new Error(`state hash contributor "${name}" is registered twice`)
      contributors.set(name, fn)
      return () => {
        if (contributors.get(name) === fn) contributors.delete(name)
      }
    },
    contribute(hasher) {
      for (const name of [...contributors.keys()].sort()) {
        hasher.string(name)
        try {
          contributors.get(name)?.(hasher)
        } catch (error) {
          hasher.string(`error: ${error instanceof Error ? error.message : String(error)}`)
        }
      }
    },
  }
}
