import { describe, expect, it } from 'vitest'
import { createLiveTakeGuard } from '../../core/replay/live-takes'
import { createStore } from '../../core/store/store'
import type { TakeInfo, TakeStore } from '../../core/replay/take-info'
import { createRecordBlocker, describeIdleRecorder, inspectStorageAtBoot } from './recorder-boot'
import type { XRSessionView, XRSessionsState } from './xr-sessions-types'

/** A store that lists `takes` (or fails to), and records nothing: only the boot check reads it. */
function listingStore(takes: TakeInfo[] | Error): TakeStore {
  const refuse = () => Promise.reject(new Error('not used at boot'))
  return {
    kind: 'indexeddb',
    listTakes: () => (takes instanceof Error ? Promise.reject(takes) : Promise.resolve(takes)),
    putTake: refuse,
    putChunk: refuse,
    loadChunks: refuse,
    deleteTake: refuse,
  }
}

const INTERRUPTED = { id: 'take-1', state: 'recording', frames: 10, durationMs: 140, chunks: 1 } as TakeInfo

describe('recorder boot', () => {
  it('loads the recorder side at start only when storage holds a take, failed, or hung', async () => {
    expect(await inspectStorageAtBoot(() => Promise.resolve(listingStore([])))).toEqual({ recover: false, kind: 'indexeddb' })
    expect(await inspectStorageAtBoot(() => Promise.resolve(listingStore([INTERRUPTED])))).toEqual({ recover: true })
    // A refused or failing store: the recorder side loads to fall back to memory and say so.
    expect(await inspectStorageAtBoot(() => Promise.reject(new Error('private mode')))).toEqual({ recover: true })
    expect(await inspectStorageAtBoot(() => Promise.resolve(listingStore(new Error('blocked'))))).toEqual({ recover: true })
    expect(await inspectStorageAtBoot(() => new Promise<TakeStore>(() => undefined), 5)).toEqual({ recover: true })
  })

  it('blocks recording without a session and during a replay, without loading the recorder', () => {
    const xr = createStore<XRSessionView>({ mode: null })
    let replaying = false
    const blocker = createRecordBlocker({ getState: xr.get }, () => replaying)
    expect(blocker()).toBe('needs-session')
    xr.set({ session: {} as XRSession, mode: 'immersive-vr' })
    expect(blocker()).toBeNull()
    replaying = true
    expect(blocker()).toBe('replaying')
  })

  it('describes the recorder before its code loaded: idle, with the storage and the live-take guard', () => {
    const state: XRSessionsState = {
      recorder: { status: 'idle', startedAtMs: 0, storage: 'indexeddb', storageError: null, emptyTake: false },
      takes: [],
      replay: { status: 'none' },
    }
    const guard = createLiveTakeGuard({ namespace: 'xr-sessions', locks: null, channel: null })
    expect(describeIdleRecorder(state, guard)).toMatchObject({ loaded: false, recording: false, status: 'idle', storage: 'indexeddb', liveGuard: 'none', takeId: null, takes: [] })
  })
})
