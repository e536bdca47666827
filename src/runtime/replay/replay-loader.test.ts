import { describe, expect, it } from 'vitest'
import type { ReplayModeOption } from '../../core/app/options'
import type { Recording } from '../../core/replay/recording-format'
import { createSyntheticRecording } from '../../core/replay/synthetic-session'
import { DEFAULT_MAX_BYTES } from '../../core/replay/validate-recording'
import { createReplayLoader } from './replay-loader'
import type { ReplayLoadError } from './xr-sessions-types'

const VALID = JSON.stringify(createSyntheticRecording({ frames: 12, inputs: 'controllers', seed: 7 }))

/** A loader whose outcomes are written down, with a fake fetch answering from `routes`. */
function harness(routes: Record<string, () => Promise<Response>> = {}) {
  const log: string[] = []
  const failures: { name: string; error: ReplayLoadError }[] = []
  const played: { name: string; recording: Recording; mode: ReplayModeOption }[] = []
  const requests: { url: string; init: RequestInit }[] = []
  const loader = createReplayLoader({
    defaultMode: 'deterministic',
    loading: (name) => log.push(`loading ${name}`),
    fail: (name, error) => {
      log.push(`fail ${name} ${error.code}`)
      failures.push({ name, error })
    },
    play: async (name, recording, mode) => {
      log.push(`play ${name} ${mode}`)
      played.push({ name, recording, mode })
    },
    fetch: (url, init) => {
      requests.push({ url, init })
      const route = routes[url]
      return route ? route() : Promise.resolve(new Response('not here', { status: 404, headers: { 'content-type': 'text/plain' } }))
    },
  })
  return { loader, log, failures, played, requests }
}

const json = (text: string) => () => Promise.resolve(new Response(text, { status: 200, headers: { 'content-type': 'application/json' } }))

/** A picked file: only what the loader reads of a File. */
function pickedFile(name: string, text: string | (() => Promise<string>), size = text.length) {
  let reads = 0
  return {
    file: { name, size, text: () => (reads++, typeof text === 'string' ? Promise.resolve(text) : text()) },
    reads: () => reads,
  }
}

describe('replay loader', () => {
  it('downloads a shipped session without the HTTP cache and plays it in the page mode', async () => {
    const h = harness({ '/xr-sessions/hub-tour.json': json(VALID) })
    await h.loader.loadReplay('hub-tour')
    expect(h.requests).toEqual([{ url: '/xr-sessions/hub-tour.json', init: { cache: 'no-cache' } }])
    expect(h.log).toEqual(['loading hub-tour', 'play hub-tour deterministic'])
    expect(h.played[0].recording.frames).toHaveLength(12)
    expect(h.played[0].recording.meta.seed).toBe(7)
  })

  it('calls a missing session and an SPA fallback page "not found", in both languages', async () => {
    const h = harness({ '/xr-sessions/spa.json': () => Promise.resolve(new Response('<!doctype html>', { status: 200, headers: { 'content-type': 'text/html' } })) })
    await h.loader.loadReplay('nope', 'realtime')
    await h.loader.loadReplay('spa')
    expect(h.log).toEqual(['loading nope', 'fail nope not-found', 'loading spa', 'fail spa not-found'])
    expect(h.failures[0].error.message.en).toContain('(HTTP 404)')
    expect(h.failures[0].error.message.en).toContain('Check the name after ?replay=')
    expect(h.failures[0].error.message.zh).toContain('?replay=')
    // The HTML page answered 200, but it is no recording: reported as a 404.
    expect(h.failures[1].error.message.en).toContain('/xr-sessions/spa.json (HTTP 404)')
    expect(h.played).toEqual([])
  })

  it('reports a failed download with its cause', async () => {
    const h = harness({ '/xr-sessions/far.json': () => Promise.reject(new TypeError('Failed to fetch')) })
    await h.loader.loadReplay('far')
    expect(h.failures).toHaveLength(1)
    expect(h.failures[0].error.code).toBe('network')
    expect(h.failures[0].error.message.en).toBe('The recording /xr-sessions/far.json could not be downloaded: Failed to fetch')
    expect(h.failures[0].error.message.zh).toContain('Failed to fetch')
  })

  it('passes the validator refusal on as it is (code, message and path)', async () => {
    const h = harness({ '/xr-sessions/cut.json': json(VALID.slice(0, VALID.length / 2)) })
    await h.loader.loadReplay('cut')
    await h.loader.loadReplayText('words', '{"format":"something else"}')
    expect(h.failures.map((f) => f.name)).toEqual(['cut', 'words'])
    for (const { error } of h.failures) {
      expect(error.code).not.toBe('')
      expect(error.message.en.length).toBeGreaterThan(0)
      expect(error.message.zh.length).toBeGreaterThan(0)
    }
    expect(h.failures[0].error.code).toBe('truncated')
    expect(h.played).toEqual([])
  })

  it('plays a picked file under its name without .json, in the mode asked for', async () => {
    const h = harness()
    const { file } = pickedFile('My Take.JSON', VALID)
    await h.loader.loadReplayFile(file, 'realtime')
    expect(h.log).toEqual(['loading My Take', 'play My Take realtime'])
    const unnamed = pickedFile('.json', VALID)
    await h.loader.loadReplayFile(unnamed.file)
    expect(h.log.slice(2)).toEqual(['loading upload', 'play upload deterministic'])
  })

  it('refuses an oversized file before reading it, and reports an unreadable one', async () => {
    const h = harness()
    const big = pickedFile('huge.json', VALID, DEFAULT_MAX_BYTES + 1)
    await h.loader.loadReplayFile(big.file)
    expect(big.reads()).toBe(0)
    expect(h.log).toEqual(['fail huge oversize'])
    expect(h.failures[0].error.message.en).toMatch(/^The file is [\d.]+ MB; recordings may be at most \d+ MB\.$/)
    const gone = pickedFile('gone.json', () => Promise.reject(new Error('NotReadableError')), 100)
    await h.loader.loadReplayFile(gone.file)
    expect(h.log.slice(1)).toEqual(['loading gone', 'fail gone unreadable'])
    expect(h.failures[1].error.message).toEqual({ en: 'The file could not be read: NotReadableError', zh: '无法读取文件：NotReadableError' })
  })
})
