/**
 * The `replay` section of `window.lingjing.snapshot()`: what the specs and CI read to check a replay
 * (status, frame, the input and state hashes), or why it failed to load.
 */
import type { ReplayDriver } from '../../core/replay/replay-driver'
import type { StateHasher } from '../../core/replay/state-hash'
import type { RecorderSnapshot, ReplayUiState } from './xr-sessions-types'

/**
 * The `replay` section. `status` says which fields are there: `name` and `clockFrozen` always;
 * `code`, `message` and `retryable` for 'error'; the rest for 'active'.
 */
export interface ReplaySnapshot {
  name: string | null
  status: ReplayUiState['status']
  /** True while a deterministic replay holds the loop's clock at 0 until it starts (not while active). */
  clockFrozen?: boolean
  code?: string
  /** The refusal in English (the app shows both languages). */
  message?: string
  retryable?: boolean
  mode?: ReplayDriver['mode']
  phase?: ReplayDriver['phase']
  frame?: number
  frameCount?: number
  ended?: boolean
  stateHash?: string
  inputHash?: string
  heldFrames?: number
  seed?: number
  experience?: string
  /** A file picked during this replay and refused (the replay goes on). */
  refused?: { name: string; code: string } | null
}

declare module '../../core/diagnostics/diagnostics' {
  interface SnapshotSections {
    /** The replay: none, loading, refused, or active with its frame and hashes (set by the xr-sessions service). */
    replay: ReplaySnapshot
    /** The recorder: idle until its code loads, then its take, storage and the takes on offer. */
    recorder: RecorderSnapshot
  }
}

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
export function describeReplay(view: ReplayDiagnosticsView): ReplaySnapshot {
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
