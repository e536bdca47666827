import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { parseAppOptions } from '../../core/app/options'
import { createDiagnostics } from '../../core/diagnostics/diagnostics'
import { createInputSnapshot } from '../../core/input/input-snapshot'
import { createLiveTakeGuard } from '../../core/replay/live-takes'
import { createSessionRecorder } from '../../core/replay/session-recorder'
import { fillSyntheticSnapshot } from '../../core/replay/synthetic-session'
import { createMemoryTakeStore, type TakeStore } from '../../core/replay/take-store'
import { createStore } from '../../core/store/store'
import { createManualClock } from '../../core/time/clock'
import { createAppStore } from '../app/app-store'
import { createAppFrame } from '../frame/app-frame'
import type { LingjingXRStore } from '../xr/create-xr-store'
import { createXRSessions } from './xr-sessions-service'
import type { XRSessionView } from './xr-sessions-types'

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0))
}

/** A store that says it is IndexedDB (the memory store underneath). */
const persistentStore = (store: TakeStore = createMemoryTakeStore()): TakeStore => ({ ...store, kind: 'indexeddb' })

/** The facade over real core parts; fakes for the XR store, the session control and the page. */
function harness(store: TakeStore) {
  const app = createAppStore({ lang: 'en', experience: 'hub', loading: { phase: 'ready', progress: 1 }, errors: [], presenting: false, mode: null, hud: false, retries: 0 })
  const xrState = createStore<XRSessionView>({ mode: null })
  // The facade reads only getState/subscribe of the XR store.
  const xr = { getState: xrState.get, subscribe: (listener: (s: XRSessionView) => void) => xrState.subscribe(listener) } as unknown as LingjingXRStore
  const diagnostics = createDiagnostics()
  const service = createXRSessions({
    options: parseAppOptions('', ['en']),
    app,
    xr,
    support: { vr: true, ar: false, emulated: true, device: null, deviceName: 'Meta Quest 3' },
    diagnostics,
    frame: createAppFrame({ governor: false, clock: createManualClock() }),
    session: { enter: () => Promise.resolve(), exit: () => undefined, lastMode: 'immersive-vr' },
    navigate: () => undefined,
    openStore: () => Promise.resolve(store),
  })
  return { service, diagnostics, app, enterSession: () => xrState.set({ session: { frameRate: 72 } as unknown as XRSession, mode: 'immersive-vr' }) }
}

beforeEach(() => {
  vi.stubGlobal('__APP_VERSION__', '0.0.0-test')
  // The recorder side listens for the page being hidden or left.
  vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'visible' }))
  vi.stubGlobal('window', new EventTarget())
  // No Web Locks here (one tab); room for takes; persistence granted.
  vi.stubGlobal('navigator', { userAgent: 'test', storage: { estimate: () => Promise.resolve({ quota: 2 ** 33, usage: 0 }), persist: () => Promise.resolve(true) } })
})
afterEach(() => vi.unstubAllGlobals())

describe('xr-sessions facade', () => {
  it('leaves the recorder code unloaded at start when storage holds no take, and loads it on the first record', async () => {
    const h = harness(persistentStore())
    await settle()
    expect(h.diagnostics.snapshot().recorder).toMatchObject({ loaded: false, recording: false, storage: 'indexeddb' })
    expect(h.service.recorder.recording).toBe(false)
    // Blocked (no session): nothing loads.
    await h.service.startRecording()
    expect(h.diagnostics.snapshot().recorder.loaded).toBe(false)

    h.enterSession()
    await h.service.startRecording()
    expect(h.diagnostics.snapshot().recorder).toMatchObject({ loaded: true, recording: true })
    expect(h.service.recorder.recording).toBe(true)
    await h.service.stopRecording()
    expect(h.service.recorder.recording).toBe(false)
  })

  it('loads the recorder at start when storage holds a take, and offers it again', async () => {
    const store = persistentStore()
    // A take an earlier visit recorded and left in storage.
    const earlier = createSessionRecorder({ store, guard: createLiveTakeGuard({ namespace: 'xr-sessions', locks: null, channel: null }), chunkSize: 10 })
    earlier.start('take-1', { device: 'test', appVersion: '0', experience: 'hub', seed: 1, recordedAt: '2026-01-01T00:00:00.000Z', frameRate: 72, mode: 'immersive-vr', description: 'test' })
    const input = createInputSnapshot()
    for (let f = 0; f < 30; f++) {
      fillSyntheticSnapshot(input, f, { frames: 30, inputs: 'controllers' })
      earlier.appendFrame(input, 1000 + (f * 1000) / 72)
    }
    // Stopped but never saved: the next visit offers it again.
    await earlier.stop()

    const h = harness(store)
    await settle()
    await settle()
    expect(h.diagnostics.snapshot().recorder).toMatchObject({ loaded: true, storage: 'indexeddb' })
    expect(h.service.getState().takes.map((t) => t.origin)).toEqual(['recovered'])
  })
})
