import { describe, expect, it } from 'vitest'
import { createStateHasher } from '../../core/replay/state-hash'
import { createReplayDriver } from '../../core/replay/replay-driver'
import { createReplayPlayer } from '../../core/replay/replay-player'
import { createSyntheticRecording } from '../../core/replay/synthetic-session'
import { describeReplay } from './replay-diagnostics'

const none = { driver: null, name: null, contribute: () => undefined }

describe('replay diagnostics', () => {
  it('reports no replay, a loading one and a refusal with its code, and whether the clock is frozen', () => {
    expect(describeReplay({ ...none, ui: { status: 'none' }, clockFrozen: false })).toEqual({ name: null, status: 'none', clockFrozen: false })
    expect(describeReplay({ ...none, ui: { status: 'loading', name: 'hub-tour' }, clockFrozen: true })).toEqual({ name: 'hub-tour', status: 'loading', clockFrozen: true })
    const error = { code: 'chunk-failed', retryable: true, message: { en: 'Part of the app did not download', zh: '程序文件没有下载成功' } }
    expect(describeReplay({ ...none, ui: { status: 'error', name: 'x', error }, clockFrozen: false })).toEqual({
      name: 'x',
      status: 'error',
      code: 'chunk-failed',
      message: 'Part of the app did not download',
      retryable: true,
      clockFrozen: false,
    })
  })

  it('reports a running replay with the experiences in its state hash, and a file refused beside it', () => {
    const recording = createSyntheticRecording({ frames: 20, inputs: 'controllers', seed: 3, experience: 'tianhe' })
    const player = createReplayPlayer(recording, { mode: 'deterministic' })
    const driver = createReplayDriver({ player, timeBaseMs: 0 })
    const ui = { status: 'active', name: 'take', mode: 'deterministic', meta: player.meta, frameCount: 20, durationMs: player.durationMs } as const
    const section = (value: number, refused = false) =>
      describeReplay({
        driver,
        ui: refused ? { ...ui, refused: { name: 'bad', error: { code: 'truncated', message: { en: '', zh: '' } } } } : ui,
        name: 'take',
        clockFrozen: false,
        contribute: (h) => h.string('crew').number(value),
      })
    expect(section(1)).toMatchObject({ name: 'take', status: 'active', mode: 'deterministic', frameCount: 20, seed: 3, experience: 'tianhe', refused: null })
    expect(section(1).stateHash).toBe(section(1).stateHash)
    expect(section(1).stateHash).not.toBe(section(2).stateHash)
    expect(section(1).stateHash).not.toBe(createStateHasher().hex())
    expect(section(1, true).refused).toEqual({ name: 'bad', code: 'truncated' })
  })
})
