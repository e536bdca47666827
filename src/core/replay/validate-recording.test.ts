import { describe, expect, it } from 'vitest'
import type { Recording } from './recording-format'
import { createSyntheticRecording } from './synthetic-session'
import { isValidatedRecording, requireValidRecording, validateRecording } from './validate-recording'
import { ReplayError, type ReplayErrorCode } from './replay-error'

const base = createSyntheticRecording({ frames: 50, inputs: 'mixed', eventEvery: 10, keyframeInterval: 20 })
const baseText = JSON.stringify(base)

// Broken files are built by poking at arbitrary JSON shapes; static types would only get in the way.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

/** A fresh deep copy to break. */
function broken(mutate: (r: Json) => void): Json {
  const copy = JSON.parse(baseText)
  mutate(copy)
  return copy
}

function expectRejected(input: unknown, code: ReplayErrorCode, pathPattern?: RegExp, options?: { maxBytes?: number }) {
  const result = validateRecording(input, options)
  if (result.ok) throw new Error(`expected ${code}, but the recording was accepted`)
  expect(result.error.code).toBe(code)
  expect(result.error.message.en.length).toBeGreaterThan(10)
  expect(result.error.message.zh.length).toBeGreaterThan(5)
  if (pathPattern) expect(result.error.path ?? '').toMatch(pathPattern)
  // Text and parsed forms must agree when the fault survives serialisation.
  return result.error
}

describe('validateRecording accepts good recordings', () => {
  it('accepts text and objects for every input kind, and marks them validated', () => {
    for (const inputs of ['controllers', 'hands', 'mixed', 'none'] as const) {
      const rec = createSyntheticRecording({ frames: 30, inputs })
      const fromText = validateRecording(JSON.stringify(rec))
      expect(fromText.ok).toBe(true)
      const fromObject = validateRecording(rec)
      expect(fromObject.ok && fromObject.recording).toBe(rec)
      expect(isValidatedRecording(rec)).toBe(true)
    }
  })

  it('tolerates a byte-order mark and pretty-printing', () => {
    expect(validateRecording('\uFEFF' + JSON.stringify(base, null, 2)).ok).toBe(true)
  })

  it('accepts quaternions within 1% of unit length and rejects beyond', () => {
    // Frame 0 is a keyframe, so head quaternion entries 6..9 are absolute 1e-4 integers.
    const scaled = (factor: number) =>
      broken((r) => {
        const q = r.frames[0].slice(6, 10) as number[]
        const len = Math.hypot(...q)
        r.frames[0].splice(6, 4, ...q.map((v) => Math.round((v / len) * factor)))
      })
    expect(validateRecording(scaled(10_090)).ok).toBe(true)
    expectRejected(scaled(9_890), 'bad-quaternion', /^frames\[0\]\[6\]$/)
    const far = broken((r) => {
      const q = r.frames[0].slice(6, 10) as number[]
      const len = Math.hypot(...q)
      r.frames[0].splice(6, 4, ...q.map((v) => Math.round((v / len) * 10_110)))
    })
    expectRejected(far, 'bad-quaternion', /^frames\[0\]\[6\]$/)
  })
})

describe('validateRecording rejects each fault with a specific code', () => {
  it('not-json vs truncated', () => {
    const e = expectRejected('{"format": lingjing}', 'not-json')
    expect(e.message.en).toMatch(/line 1, column 12/)
    expectRejected('hello', 'not-json')
    expectRejected(baseText + ' trailing', 'not-json')
    expectRejected('\u0000\u0001\u0002binary', 'not-json')
    const t = expectRejected(baseText.slice(0, Math.floor(baseText.length / 2)), 'truncated')
    expect(t.message.en).toMatch(/truncated/)
    expectRejected(baseText.slice(0, baseText.length - 1), 'truncated')
    expectRejected('{"format":"lingjing-xr-session","meta":{"device":"Que', 'truncated')
    expectRejected('[1, 2, -', 'truncated')
    expectRejected('{"a": tr', 'truncated')
    expectRejected('', 'truncated')
    expectRejected('   \n', 'truncated')
  })

  it('oversize', () => {
    const e = expectRejected(baseText, 'oversize', undefined, { maxBytes: 1000 })
    expect(e.message.en).toMatch(/MB/)
    // Multi-byte characters count as their UTF-8 size.
    expectRejected('"' + '灵'.repeat(400) + '"', 'oversize', undefined, { maxBytes: 1000 })
    expectRejected(base, 'oversize', /frames/, { maxBytes: 1000 })
  })

  it('wrong-format and unknown-version', () => {
    expectRejected([1, 2, 3], 'wrong-format')
    expectRejected('null', 'wrong-format')
    expectRejected(broken((r) => (r.format = 'something-else')), 'wrong-format', /^format$/)
    const iwer = expectRejected({ schema: [], frames: [[0, 0, 0, 0, 0, 0, 0, 1]] }, 'wrong-format')
    expect(iwer.message.en).toMatch(/IWER/)
    const v = expectRejected(broken((r) => (r.version = 3)), 'unknown-version', /^version$/)
    expect(v.message.en).toMatch(/version 3 is not supported/)
    expectRejected(broken((r) => (r.version = '1')), 'unknown-version')
  })

  it('missing-field', () => {
    expectRejected(broken((r) => delete r.format), 'missing-field', /^format$/)
    expectRejected(broken((r) => delete r.meta), 'missing-field', /^meta$/)
    expectRejected(broken((r) => delete r.meta.seed), 'missing-field', /^meta\.seed$/)
    expectRejected(broken((r) => delete r.meta.quantization.quaternion), 'missing-field', /^meta\.quantization\.quaternion$/)
    expectRejected(broken((r) => delete r.frames), 'missing-field', /^frames$/)
    expectRejected(broken((r) => delete r.events), 'missing-field', /^events$/)
  })

  it('bad-field', () => {
    expectRejected(broken((r) => (r.meta.experience = 'moon')), 'bad-field', /^meta\.experience$/)
    expectRejected(broken((r) => (r.meta.recordedAt = 'yesterday')), 'bad-field', /recordedAt/)
    expectRejected(broken((r) => (r.meta.seed = -1)), 'bad-field', /seed/)
    expectRejected(broken((r) => (r.meta.synthetic = 'yes')), 'bad-field', /synthetic/)
    expectRejected(broken((r) => (r.meta.quantization.positionMm = 2)), 'bad-field', /positionMm/)
    expectRejected(broken((r) => (r.meta = [])), 'bad-field', /^meta$/)
    expectRejected(broken((r) => (r.frames = {})), 'bad-field', /^frames$/)
  })

  it('bad-frame', () => {
    const e = expectRejected(broken((r) => r.frames[7].pop()), 'bad-frame', /^frames\[7\]$/)
    expect(e.message.en).toMatch(/Frame 7 has 11 entries/)
    expectRejected(broken((r) => (r.frames[3] = 'frame')), 'bad-frame', /^frames\[3\]$/)
    expectRejected(broken((r) => (r.frames[3][10] = 'left')), 'bad-frame', /^frames\[3\]\[10\]$/)
    expectRejected(broken((r) => (r.frames[3][11] = 5)), 'bad-frame', /^frames\[3\]\[11\]$/)
    expectRejected(broken((r) => (r.frames[3][10][0] = 99)), 'bad-frame', /^frames\[3\]\[10\]\[0\]$/)
    expectRejected(broken((r) => (r.frames[3][10][0] = 1 | 16)), 'bad-frame') // controller with joints
    expectRejected(broken((r) => r.frames[3][11].push(0)), 'bad-frame', /^frames\[3\]\[11\]$/)
    expectRejected(broken((r) => (r.frames[3][4] = '12')), 'bad-frame', /^frames\[3\]\[4\]$/)
  })

  it('bad-number', () => {
    expectRejected(broken((r) => (r.frames[5][3] = 1.5)), 'bad-number', /^frames\[5\]\[3\]$/)
    expectRejected(broken((r) => (r.frames[5][3] = NaN)), 'bad-number')
    expectRejected(broken((r) => (r.frames[5][3] = Infinity)), 'bad-number')
    expectRejected(baseText.replace('"frames":[[0,', '"frames":[[1e400,'), 'bad-number')
    expectRejected(broken((r) => (r.frames[5][3] = 5_000_000)), 'bad-number') // 5 km head position
    expectRejected(broken((r) => (r.frames[0][2] = -1)), 'bad-number', /^frames\[0\]\[2\]$/) // negative rate
    const e = expectRejected(broken((r) => (r.frames[0][10][1] = 2_000_000)), 'bad-number', /^frames\[0\]\[10\]\[1\]$/)
    expect(e.message.en).toMatch(/left source target-ray position x/)
  })

  it('bad-quaternion (head, controller, joints) names the frame and the pose', () => {
    const head = expectRejected(broken((r) => (r.frames[4][9] += 3000)), 'bad-quaternion', /^frames\[4\]\[6\]$/)
    expect(head.message.en).toMatch(/Frame 4: head orientation quaternion has length/)
    expect(head.message.zh).toMatch(/第 4 帧/)
    expectRejected(broken((r) => (r.frames[4][10][7] += 5000)), 'bad-quaternion', /^frames\[4\]\[10\]\[4\]$/)
    expectRejected(broken((r) => (r.frames[4][11][14] -= 5000)), 'bad-quaternion', /^frames\[4\]\[11\]\[11\]$/)
    // Frames ≥ 25 are hands in the mixed session: joint 2's quaternion starts at 15 + 2*8 + 3.
    const joint = expectRejected(broken((r) => (r.frames[30][10][15 + 2 * 8 + 6] += 4000)), 'bad-quaternion', /^frames\[30\]\[10\]\[34\]$/)
    expect(joint.message.en).toMatch(/thumb-phalanx-proximal/)
    expectRejected(broken((r) => r.frames[0].splice(6, 4, 0, 0, 0, 0)), 'bad-quaternion')
  })

  it('time-backwards, including across a keyframe', () => {
    const e = expectRejected(broken((r) => (r.frames[6][0] = -3)), 'time-backwards', /^frames\[6\]\[0\]$/)
    expect(e.message.en).toMatch(/Frame 6 goes back in time/)
    // Frame 20 is a keyframe (absolute time); set it before frame 19.
    expectRejected(broken((r) => (r.frames[20][0] = 10)), 'time-backwards', /^frames\[20\]\[0\]$/)
  })

  it('bad-event', () => {
    expectRejected(broken((r) => (r.events[0].frame = 50)), 'bad-event', /^events\[0\]\.frame$/)
    expectRejected(broken((r) => (r.events[2].frame = 0)), 'bad-event', /^events\[2\]\.frame$/) // unsorted
    expectRejected(broken((r) => (r.events[1].type = '')), 'bad-event', /type/)
    expectRejected(broken((r) => (r.events[1].type = 'x'.repeat(100))), 'bad-event', /type/)
    expectRejected(broken((r) => delete r.events[1].t), 'bad-event', /\.t$/)
    expectRejected(broken((r) => (r.events[1] = 7)), 'bad-event', /^events\[1\]$/)
    let deep: unknown = 1
    for (let i = 0; i < 50; i++) deep = [deep]
    expectRejected(broken((r) => (r.events[1].data = deep)), 'bad-event', /data/)
    expectRejected(broken((r) => (r.events[1].data = { f: () => 1 })), 'bad-event', /data/)
  })

  it('empty', () => {
    expectRejected(broken((r) => (r.frames = [])), 'empty', /^frames$/)
  })

  it('never throws on hostile objects', () => {
    const hostile = {
      format: 'lingjing-xr-session',
      version: 1,
      get meta(): never {
        throw new Error('boom')
      },
    }
    expectRejected(hostile, 'bad-field')
    const r = validateRecording('['.repeat(200_000) + ']'.repeat(200_000))
    expect(r.ok).toBe(false)
  })

  it('requireValidRecording throws a typed error', () => {
    expect(() => requireValidRecording('nope')).toThrow(ReplayError)
    try {
      requireValidRecording(broken((r) => (r.version = 9)))
    } catch (err) {
      expect(err).toBeInstanceOf(ReplayError)
      expect((err as ReplayError).code).toBe('unknown-version')
      expect((err as ReplayError).messages.zh).toMatch(/版本/)
    }
    const ok: Recording = requireValidRecording(baseText)
    expect(ok.frames.length).toBe(50)
  })
})
