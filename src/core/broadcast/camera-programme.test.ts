import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createReplayPlayer } from '../replay/replay-player'
import { validateRecording } from '../replay/validate-recording'
import { PROGRAMME_LEVELS, PROGRAMME_PRESETS } from './programme-levels'
import {
  RESHOOT_PRESETS,
  checkProgrammeFitsSession,
  createReshootTimeline,
  hashFrameBytes,
  outputTimestampUs,
  scheduleCuts,
  validateCameraProgramme,
  type CameraProgramme,
} from './camera-programme'
import { STUDIO_CAMERAS } from './studio-cameras'

const IDS = STUDIO_CAMERAS.map((c) => c.id)
const base = () => ({
  format: 'lingjing-camera-programme',
  version: 1,
  preset: '720p',
  fps: 30,
  cuts: [
    { at: 0, camera: 'wide' },
    { at: 1.5, camera: 'close-up', transition: 'dip' },
  ] as Record<string, unknown>[],
})

function errorOf(value: unknown) {
  const r = validateCameraProgramme(value, IDS)
  if (r.ok) throw new Error('expected the programme to be refused')
  return r.error
}

describe('validateCameraProgramme', () => {
  it('accepts the documented example and fills defaults', () => {
    const r = validateCameraProgramme(JSON.stringify(base()), IDS)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.programme.cuts).toEqual([
      { at: 0, camera: 'wide', transition: 'cut', duration: 0 },
      { at: 1.5, camera: 'close-up', transition: 'dip', duration: 0.6 },
    ])
  })

  it('names the valid cameras for an unknown one', () => {
    const p = base()
    p.cuts[1].camera = 'drone'
    const e = errorOf(p)
    expect(e.code).toBe('unknown-camera')
    expect(e.path).toBe('cuts[1].camera')
    expect(e.message.en).toContain('"drone"')
    expect(e.message.en).toContain(IDS.join(', '))
    expect(e.message.zh).toContain(IDS.join(', '))
  })

  it('refuses times that do not increase, and a first cut after 0', () => {
    const p = base()
    p.cuts.push({ at: 1.5, camera: 'wide' })
    const e = errorOf(p)
    expect(e.code).toBe('time-order')
    expect(e.path).toBe('cuts[2].at')
    expect(e.message.en).toContain('not after cut 1 at 1.5 s')
    const late = base()
    late.cuts[0].at = 0.2
    expect(errorOf(late)).toMatchObject({ code: 'time-order', path: 'cuts[0].at' })
    const negative = base()
    negative.cuts[1].at = -1
    expect(errorOf(negative)).toMatchObject({ code: 'bad-cut', path: 'cuts[1].at' })
  })

  it('refuses bad transitions, durations, presets, fps and unknown fields', () => {
    const t = base()
    t.cuts[1].transition = 'wipe'
    expect(errorOf(t)).toMatchObject({ code: 'bad-cut', path: 'cuts[1].transition' })
    expect(errorOf(t).message.en).toContain('cut, dip, move')
    const opening = base()
    opening.cuts[0].transition = 'dip'
    expect(errorOf(opening)).toMatchObject({ code: 'bad-cut', path: 'cuts[0].transition' })
    const d = base()
    d.cuts[1].duration = 0
    expect(errorOf(d)).toMatchObject({ code: 'bad-cut', path: 'cuts[1].duration' })
    expect(errorOf({ ...base(), preset: '4k' })).toMatchObject({ code: 'bad-field', path: 'preset' })
    expect(errorOf({ ...base(), preset: '4k' }).message.en).toContain('720p, 540p, 360p')
    expect(errorOf({ ...base(), fps: 29.97 })).toMatchObject({ code: 'bad-field', path: 'fps' })
    expect(errorOf({ ...base(), fps: 0 })).toMatchObject({ code: 'bad-field', path: 'fps' })
    expect(errorOf({ ...base(), fps: 61 })).toMatchObject({ code: 'bad-field', path: 'fps' })
    expect(errorOf({ ...base(), speed: 2 })).toMatchObject({ code: 'bad-field', path: 'speed' })
    const typo = base()
    typo.cuts[1] = { at: 2, cam: 'wide' }
    expect(errorOf(typo)).toMatchObject({ code: 'bad-cut', path: 'cuts[1].cam' })
    const same = base()
    same.cuts[1].camera = 'wide'
    expect(errorOf(same)).toMatchObject({ code: 'bad-cut', path: 'cuts[1].camera' })
  })

  it('refuses other files and versions', () => {
    expect(errorOf('{ "format": ').code).toBe('not-json')
    expect(errorOf({ format: 'lingjing-xr-session', version: 1 }).code).toBe('wrong-format')
    expect(errorOf({ ...base(), version: 2 }).code).toBe('unknown-version')
    const noFps: Record<string, unknown> = base()
    delete noFps.fps
    expect(errorOf(noFps)).toMatchObject({ code: 'missing-field', path: 'fps' })
    expect(errorOf({ ...base(), cuts: [] })).toMatchObject({ code: 'bad-field', path: 'cuts' })
  })

  it('refuses a cut after the end of the session', () => {
    const r = validateCameraProgramme(base(), IDS)
    if (!r.ok) throw new Error('valid')
    expect(checkProgrammeFitsSession(r.programme, 5000)).toBeNull()
    expect(checkProgrammeFitsSession(r.programme, 1500)).toMatchObject({ code: 'after-end', path: 'cuts[1].at' })
  })
})

describe('presets', () => {
  it('are the live programme presets', () => {
    for (const [name, size] of Object.entries(RESHOOT_PRESETS)) {
      const level = PROGRAMME_LEVELS[PROGRAMME_PRESETS[name as keyof typeof PROGRAMME_PRESETS]]
      expect({ width: level.width, height: level.height }).toEqual(size)
    }
    expect(Object.keys(RESHOOT_PRESETS).sort()).toEqual(Object.keys(PROGRAMME_PRESETS).sort())
  })
})

describe('createReshootTimeline', () => {
  it('maps every output frame to the recorded frame current at n/fps', () => {
    // Irregular recorded times, sparser and denser than the output in places.
    const times = [0, 177, 397.8, 410.1, 420, 563.4, 1000, 1000, 1300.05]
    const fps = 30
    const tl = createReshootTimeline(times, fps)
    expect(tl.outputFrames).toBe(Math.ceil((1300.05 / 1000) * fps))
    expect(tl.durationMs).toBeCloseTo(1300.1, 6)
    for (let n = 0; n < tl.outputFrames; n++) {
      const t = (n * 1000) / fps
      let expected = 0
      for (let k = 0; k < times.length; k++) if (times[k] <= t + 1e-9) expected = k
      expect(tl.replayFrameFor(n)).toBe(expected)
    }
    // The ranges partition 0..outputFrames and agree with replayFrameFor.
    let covered = 0
    for (let k = 0; k < times.length; k++) {
      for (let n = tl.firstOutputOf(k); n < tl.endOutputOf(k); n++) {
        expect(n).toBe(covered)
        expect(tl.replayFrameFor(n)).toBe(k)
        covered++
      }
    }
    expect(covered).toBe(tl.outputFrames)
    expect(() => tl.replayFrameFor(tl.outputFrames)).toThrow(RangeError)
  })

  it('does not drift over a long take at a rate that does not divide the output', () => {
    // An hour at exactly 72 Hz (0.1 ms resolution, like a recording): 13.888… ms per frame.
    const times = Array.from({ length: 72 * 3600 + 1 }, (_, k) => Math.round((k * 10000) / 72) / 10)
    const tl = createReshootTimeline(times, 30)
    expect(tl.outputFrames).toBe(30 * 3600)
    // Output frame n at n/30 s is recorded frame floor(n·72/30) when times are exact multiples.
    for (const n of [0, 1, 2, 5, 1799, 54_000, 107_999]) {
      const k = tl.replayFrameFor(n)
      expect(times[k]).toBeLessThanOrEqual((n * 1000) / 30 + 1e-9)
      expect(times[k + 1]).toBeGreaterThan((n * 1000) / 30)
    }
    expect(outputTimestampUs(107_999, 30)).toBe(Math.round((107_999 * 1e6) / 30))
  })

  it('gives a one-frame session one output frame', () => {
    const tl = createReshootTimeline([0], 30)
    expect(tl.outputFrames).toBe(1)
    expect([tl.firstOutputOf(0), tl.endOutputOf(0)]).toEqual([0, 1])
  })

  it('rejects time going backwards', () => {
    expect(() => createReshootTimeline([0, 10, 5], 30)).toThrow(/earlier/)
  })
})

describe('scheduleCuts', () => {
  it('lands each cut on the first output frame at or after it', () => {
    const programme: CameraProgramme = {
      format: 'lingjing-camera-programme',
      version: 1,
      preset: '720p',
      fps: 30,
      cuts: [
        { at: 0, camera: 'wide', transition: 'cut', duration: 0 },
        { at: 1.5, camera: 'close-up', transition: 'dip', duration: 0.6 },
        { at: 2.01, camera: 'orbit', transition: 'move', duration: 1 },
      ],
    }
    const s = scheduleCuts(programme)
    expect(s.map((c) => c.frame)).toEqual([0, 45, 61])
    expect(s[1].leadMs).toBe(0)
    expect(s[2].leadMs).toBeCloseTo((61 / 30 - 2.01) * 1000, 9)
    expect(s[2].durationMs).toBe(1000)
  })
})

describe('hashFrameBytes', () => {
  it('is FNV-1a and sees a one-byte change', () => {
    // Known FNV-1a 32 values: "" and "a".
    expect(hashFrameBytes(new Uint8Array(0))).toBe('811c9dc5')
    expect(hashFrameBytes(new Uint8Array([0x61]))).toBe('e40c292c')
    const a = new Uint8Array(1280 * 4).fill(7)
    const b = a.slice()
    b[4000] = 8
    expect(hashFrameBytes(a)).not.toBe(hashFrameBytes(b))
  })
})

describe('shipped camera programmes (assets/camera-programmes)', () => {
  const dir = new URL('../../../assets/camera-programmes/', import.meta.url)
  const files = readdirSync(dir).filter((f) => f.endsWith('.cams.json'))
  it('exist', () => expect(files.length).toBeGreaterThanOrEqual(2))
  for (const file of files) {
    it(`${file} is valid and fits its session`, () => {
      const r = validateCameraProgramme(readFileSync(new URL(file, dir), 'utf8'), IDS)
      if (!r.ok) throw new Error(`${file}: ${r.error.message.en} (${r.error.path})`)
      // NAME.cams.json and NAME-alt.cams.json re-shoot xr-sessions/livestream/NAME.json.
      const session = file.replace(/(-alt)?\.cams\.json$/, '')
      const checked = validateRecording(readFileSync(new URL(`../../../xr-sessions/livestream/${session}.json`, import.meta.url), 'utf8'))
      if (!checked.ok) throw new Error(checked.error.message.en)
      const player = createReplayPlayer(checked.recording, { mode: 'deterministic' })
      expect(checkProgrammeFitsSession(r.programme, player.durationMs)).toBeNull()
    })
  }
})
