/**
 * What the xr-sessions facade knows of the recorder before the recorder's code chunk
 * (take-recorder.ts, with the recording format and validator) has loaded: whether recording may
 * start, the idle `recorder` snapshot section, and whether storage holds takes to recover, which is
 * the only reason to load that chunk at start. Imports no recording code, so the entry chunk
 * stays small.
 */
import type { LiveTakeGuard } from '../../core/replay/live-takes'
import { openStoreWithFallback } from '../../core/replay/open-store'
import type { TakeStore } from '../../core/replay/take-info'
import type { RecordBlocker, RecorderSnapshot, XRSessionSource, XRSessionsState } from './xr-sessions-types'

/** Why recording cannot start now: a replay runs or loads, or no immersive session is presenting. */
export function createRecordBlocker(xr: Pick<XRSessionSource, 'getState'>, replaying: () => boolean): () => RecordBlocker {
  return () => {
    if (replaying()) return 'replaying'
    const { session, mode } = xr.getState()
    if (!session || !mode) return 'needs-session'
    return null
  }
}

/** The `recorder` section while the recorder's code has not loaded: nothing recorded yet this visit. */
export function describeIdleRecorder(state: XRSessionsState, guard: Pick<LiveTakeGuard, 'mechanism'>): RecorderSnapshot {
  return {
    loaded: false,
    recording: false,
    status: state.recorder.status,
    storage: state.recorder.storage,
    frames: 0,
    persistedFrames: 0,
    pendingChunks: 0,
    lastError: null,
    takeId: null,
    part: 1,
    partBytes: 0,
    persisted: null,
    storageAtStart: null,
    liveGuard: guard.mechanism,
    lastTake: null,
    offeredBeforeStored: 0,
    takes: state.takes.map((t) => ({ id: t.id, origin: t.origin, frames: t.frames, valid: t.recording !== null, saved: t.saved })),
  }
}

/** What start-up found in storage. */
export type StorageAtBoot =
  /** Storage opened and holds no take: the recorder's code can wait for the first record. */
  | { recover: false; kind: TakeStore['kind'] }
  /** Takes to recover, or storage that failed or hung: the recorder side must load now (it recovers, or falls back to memory and says so). */
  | { recover: true }

/**
 * Opens the take store (with the recorder's own timeout) and lists it. Never rejects: a failure
 * to open or list means the recorder side loads at once, to fall back to memory and report it.
 */
export async function inspectStorageAtBoot(open: () => Promise<TakeStore>, timeoutMs?: number): Promise<StorageAtBoot> {
  const opened = await openStoreWithFallback<TakeStore | null>(open, () => null, { timeoutMs })
  if (!opened.store) return { recover: true }
  try {
    const found = await opened.store.listTakes()
    return found.length > 0 ? { recover: true } : { recover: false, kind: opened.store.kind }
  } catch {
    return { recover: true }
  }
}
