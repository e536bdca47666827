import { describe, expect, it } from 'vitest'
import { createRng, type SeededRng } from '../time/rng'
import { isKeyframe } from './recording-format'
import { ReplayError, type ReplayErrorCode } from './replay-error'
import { createReplayPlayer } from './replay-player'
import { toIwerRecording } from './iwer-recording'
import { createSyntheticRecording } from './synthetic-session'
import { validateRecording } from './validate-recording'

const KEYFRAME_INTERVAL = 20
const base = createSyntheticRecording({ frames: 60, inputs: 'mixed', eventEvery: 7, keyframeInterval: KEYFRAME_INTERVAL })
const baseText = JSON.stringify(base)
const framesStart = baseText.indexOf('"frames":') + 10
const framesEnd = baseText.indexOf('"events":') - 1

interface BrokenFile {
  kind: string
  input: unknown
  maxBytes?: number
}

// Broken files are built by poking at arbitrary JSON shapes; static types would only get in the way.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>
const clone = (): Json => JSON.parse(baseText)
const pick = <T,>(rng: SeededRng, items: readonly T[]): T => items[rng.int(0, items.length - 1)]

/** Each generator returns a file that is broken by construction (never accidentally valid). */
const generators: Record<string, (rng: SeededRng) => BrokenFile> = {
  truncate(rng) {
    return { kind: 'truncate', input: baseText.slice(0, rng.int(0, baseText.length - 2)) }
  },
  flipChars(rng) {
    // Only inside the frames array, which holds nothing but numbers, commas and brackets, so any
    // of these characters is a syntax error wherever it lands.
    const chars = [...baseText]
    const flips = rng.int(1, 5)
    for (let i = 0; i < flips; i++) chars[rng.int(framesStart, framesEnd)] = pick(rng, ['x', '#', '@', ';', '\u0001', '\u00ff', "'", 'NaN'])
    return { kind: 'flip', input: chars.join('') }
  },
  deleteField(rng) {
    const r = clone()
    const target = pick(rng, [
      () => delete r.format,
      () => delete r.version,
      () => delete r.meta,
      () => delete r.frames,
      () => delete r.events,
      () => delete r.meta[pick(rng, ['device', 'appVersion', 'experience', 'seed', 'synthetic', 'description', 'recordedAt', 'frameRate', 'mode', 'keyframeInterval', 'quantization'])],
      () => delete r.meta.quantization[pick(rng, ['timeMs', 'positionMm', 'quaternion', 'radiusMm', 'buttonSteps', 'axis', 'frameRateHz'])],
      () => delete r.events[rng.int(0, r.events.length - 1)][pick(rng, ['frame', 't', 'type'])],
      () => r.frames[rng.int(0, r.frames.length - 1)].splice(rng.int(0, 11), 1),
    ])
    target()
    return { kind: 'delete', input: rng.next() < 0.5 ? r : JSON.stringify(r) }
  },
  badNumber(rng) {
    const r = clone()
    const f = rng.int(0, r.frames.length - 1)
    const value = pick(rng, [NaN, Infinity, -Infinity, 1e300, -1e20, 0.5, -2.25, 2 ** 40])
    const frame = r.frames[f]
    if (rng.next() < 0.5) frame[rng.int(0, 9)] = value
    else {
      const slot = frame[10 + rng.int(0, 1)]
      slot[rng.int(0, slot.length - 1)] = value
    }
    // JSON has no NaN/Infinity: those only reach the validator as parsed objects (or as 1e999).
    const text = JSON.stringify(r).replace(/null/g, '1e999')
    return { kind: 'number', input: rng.next() < 0.5 || !Number.isFinite(value) ? r : text }
  },
  nonUnitQuaternion(rng) {
    const r = clone()
    // Keyframes hold absolute values, so scaling a quaternion there changes its length exactly.
    const keyframes: number[] = r.frames.map((_: unknown, i: number) => i).filter((i: number) => isKeyframe(i, KEYFRAME_INTERVAL))
    const frame = r.frames[pick(rng, keyframes)]
    const factor = rng.next() < 0.5 ? rng.range(1.02, 3) : rng.range(0, 0.98)
    const where = rng.int(0, 2)
    let arr: number[] = frame
    let at = 6
    if (where > 0) {
      arr = frame[9 + where]
      at = pick(rng, [4, 11])
    }
    for (let i = 0; i < 4; i++) arr[at + i] = Math.round(arr[at + i] * factor)
    return { kind: 'quaternion', input: JSON.stringify(r) }
  },
  timeBackwards(rng) {
    const r = clone()
    let f = rng.int(1, r.frames.length - 1)
    if (isKeyframe(f, KEYFRAME_INTERVAL)) r.frames[f][0] = rng.int(0, 10) // absolute, far earlier
    else r.frames[f][0] = -rng.int(1, 500)
    if (rng.next() < 0.2) {
      // Or: the whole timeline reversed at a keyframe.
      f = KEYFRAME_INTERVAL * rng.int(1, 2)
      r.frames[f][0] = 0
    }
    return { kind: 'time', input: JSON.stringify(r) }
  },
  wrongVersion(rng) {
    const r = clone()
    r.version = pick(rng, [0, 3, 99, '1', '2', null, 1.5, -1, [1], { v: 1 }])
    return { kind: 'version', input: rng.next() < 0.5 ? r : JSON.stringify(r) }
  },
  garbage(rng) {
    const length = rng.int(1, 3000)
    let text = ''
    for (let i = 0; i < length; i++) text += String.fromCharCode(rng.int(0, 255))
    // A stray valid scalar is still not a recording, so anything here must be refused.
    return { kind: 'garbage', input: text }
  },
  deepNesting(rng) {
    const depth = rng.int(1_000, 100_000)
    const variant = rng.int(0, 3)
    if (variant === 0) return { kind: 'nested', input: '['.repeat(depth) + ']'.repeat(depth) }
    if (variant === 1) return { kind: 'nested', input: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) }
    if (variant === 2) return { kind: 'nested', input: '['.repeat(depth) } // unbalanced
    const r = clone()
    let junk: unknown = 'x'
    for (let i = 0; i < depth / 100; i++) junk = { j: [junk] }
    const slot = pick(rng, ['meta', 'frames', 'events', 'event-data'])
    if (slot === 'event-data') r.events[0].data = junk
    else r[slot] = junk
    return { kind: 'nested', input: JSON.stringify(r) }
  },
  oversize(rng) {
    if (rng.next() < 0.1) {
      // The real default limit: a 21 MB file.
      return { kind: 'oversize', input: baseText.slice(0, -1) + ' '.repeat(21 * 1024 * 1024) + '}' }
    }
    const r = clone()
    r.meta.description = 'x'.repeat(rng.int(0, 1500))
    return { kind: 'oversize', input: JSON.stringify(r), maxBytes: rng.int(100, baseText.length - 1) }
  },
  wrongTypes(rng) {
    const r = clone()
    const junk = pick(rng, [[], {}, 'frame', true, null, 42, -1])
    const target = rng.int(0, 5)
    if (target === 0) r.frames[rng.int(0, r.frames.length - 1)] = junk
    else if (target === 1) r.frames[rng.int(0, r.frames.length - 1)][10] = pick(rng, ['left', {}, [], [1], true, 3])
    else if (target === 2) r.meta = pick(rng, [[], 'meta', 7, null])
    else if (target === 3) r.meta.experience = pick(rng, ['moon', 1, null, ''])
    else if (target === 4) r.events[rng.int(0, r.events.length - 1)].frame = pick(rng, [-1, 60, 1.5, '3', null])
    else r.format = pick(rng, ['iwer', 1, null, 'LINGJING-XR-SESSION'])
    return { kind: 'types', input: rng.next() < 0.5 ? r : JSON.stringify(r) }
  },
}

describe('fuzz: broken recordings', () => {
  it('rejects ≥100 generated broken files with a message, and the player refuses them with ReplayError', () => {
    const rng = createRng(20250301)
    const names = Object.keys(generators)
    const codes = new Map<ReplayErrorCode, number>()
    let count = 0
    for (let round = 0; round < 30; round++) {
      for (const name of names) {
        const file = generators[name](rng)
        let result: ReturnType<typeof validateRecording> | undefined
        expect(() => {
          result = validateRecording(file.input, file.maxBytes === undefined ? {} : { maxBytes: file.maxBytes })
        }, `${name} #${round}`).not.toThrow()
        if (!result || result.ok) throw new Error(`fuzz case ${name} #${round} was accepted`)
        expect(result.error.message.en.length, `${name} #${round}`).toBeGreaterThan(0)
        expect(result.error.message.zh.length, `${name} #${round}`).toBeGreaterThan(0)
        codes.set(result.error.code, (codes.get(result.error.code) ?? 0) + 1)

        const options = file.maxBytes === undefined ? {} : { maxBytes: file.maxBytes }
        for (const mode of ['deterministic', 'realtime'] as const) {
          try {
            createReplayPlayer(file.input, { mode, ...options })
            throw new Error(`player accepted fuzz case ${name} #${round}`)
          } catch (err) {
            expect(err, `${name} #${round}`).toBeInstanceOf(ReplayError)
            expect((err as ReplayError).code).toBe(result.error.code)
          }
        }
        if (file.maxBytes === undefined) expect(() => toIwerRecording(file.input)).toThrow(ReplayError)
        count++
      }
    }
    expect(count).toBeGreaterThanOrEqual(100)
    console.info(`[fuzz] ${count} broken files rejected:`, Object.fromEntries(codes))
    // The generators should reach most of the specific codes, not just one catch-all.
    for (const code of ['not-json', 'truncated', 'oversize', 'wrong-format', 'unknown-version', 'missing-field', 'bad-field', 'bad-frame', 'bad-number', 'bad-quaternion', 'time-backwards', 'bad-event'] as const) {
      expect(codes.get(code) ?? 0, code).toBeGreaterThan(0)
    }
  // 330 files, some of them oversize on purpose: seconds of work, more on a busy 2-core machine.
  }, 60_000)
})
