/**
 * The `replay` section of `window.lingjing.snapshot()`: what the specs and CI read to check a replay
 * (status, frame, the input and state hashes), or why it failed to load.
 */
import type { ReplayDriver } from '../../core/replay/replay-driver'
import type { StateHasher } from '../../core/replay/state-hash'
import type { ReplayUiState } from './xr-sessions-types'

/** What the section is computed from. */
export interface ReplayDiagnosticsView {
  /** The running replay, or null. */
  driver: ReplayDriver | null
  /** The replay as the DOM shows it. */
  ui: ReplayUiState
  /** The name of the running replay. */
  name: string | null
  /** True while a deterministic replay holds the loop's clock at 0 until it starts. */
  clockFrozen: boolean
  /** Feeds the experiences' state into the state hash. */
  contribute(hasher: StateHasher): void
}

/** Computes the section (on demand, never per frame: the state hash walks every contributor). */
export function describeReplay(view: ReplayDiagnosticsView): Record<string, unknown> {
  const { driver, ui, clockFrozen } = view
  if (!driver) {
    return ui.status === 'error'
      ? { name: ui.name, status: 'error', code: ui.error.code, message: ui.error.message.en, retryable: ui.error.retryable === true, clockFrozen }
      : { name: ui.status === 'loading' ? ui.name : null, status: ui.status, clockFrozen }
  }
  return {
    name: view.name,
    status: 'active',
    mode: driver.mode,
    phase: driver.phase,
    frame: driver.frame,
    frameCount: driver.player.frameCount,
    ended: driver.ended,
    stateHash: driver.stateHash(view.contribute),
    inputHash: driver.inputHash,
    heldFrames: driver.heldFrames,
    seed: driver.player.seed,
    experience: driver.player.meta.experience,
    refused: ui.status === 'active' && ui.refused ? { name: ui.refused.name, code: ui.refused.error.code } : null,
  }
}
