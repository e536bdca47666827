import { describe, expect, it } from 'vitest'
import { createInputSnapshot } from '../input/input-snapshot'
import { createSessionRecorder } from './session-recorder'
import { fillSyntheticSnapshot } from './synthetic-session'
import { HAND_FRAME_BYTES, MIN_TAKE_SECONDS, WARN_TAKE_SECONDS, assessTakeStorage } from './take-storage'
import { createMemoryTakeStore } from './take-store'

const MB = 1024 * 1024

describe('storage check before an xr-sessions take (#16 item 5)', () => {
  it('HAND_FRAME_BYTES covers the measured size of a two-hand frame (and not by much)', () => {
    const recorder = createSessionRecorder({ store: createMemoryTakeStore() })
    recorder.start('rate', { device: 'd', appVersion: '1', experience: 'hub', seed: 1, recordedAt: '2025-01-01T00:00:00Z', frameRate: 72, mode: 'immersive-vr' })
    const snap = createInputSnapshot()
    const frames = 1440
    for (let f = 0; f < frames; f++) {
      fillSyntheticSnapshot(snap, f, { frames, inputs: 'hands' })
      snap.timeMs = (f * 1000) / 72
      recorder.appendFrame(snap, snap.timeMs)
    }
    const perFrame = recorder.partBytes / frames
    expect(HAND_FRAME_BYTES).toBeGreaterThanOrEqual(perFrame)
    expect(HAND_FRAME_BYTES).toBeLessThan(perFrame * 1.2)
  })

  it('refuses to start with less than half a minute of hand tracking left, warns under five minutes', () => {
    const rate = HAND_FRAME_BYTES * 72
    const reserve = 2 * MB + 10 * rate // storage-quota's safety margin
    const at = (secondsLeft: number) => assessTakeStorage({ quota: 1000 * MB, usage: 1000 * MB - reserve - secondsLeft * rate }, 72)
    expect(at(MIN_TAKE_SECONDS - 1).action).toBe('refuse')
    expect(at(-5).action).toBe('refuse')
    expect(at(MIN_TAKE_SECONDS + 1).action).toBe('warn')
    expect(at(WARN_TAKE_SECONDS - 1).action).toBe('warn')
    expect(at(WARN_TAKE_SECONDS + 1).action).toBe('start')
    // No estimate (older browsers): record as before.
    expect(assessTakeStorage(null, 72).action).toBe('start')
    expect(assessTakeStorage({}, 72).action).toBe('start')
  })
})
