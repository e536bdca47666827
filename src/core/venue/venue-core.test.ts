import { describe, expect, it } from 'vitest'
import { EXPRESSION_PRESETS } from '../avatar/expressions.ts'
import { VISEME_NAMES } from '../avatar/visemes.ts'
import { createClientGuard } from './client-guard.ts'
import { FACE_LENGTH, FACE_NAMES, FACE_PRESET_COUNT, createFaceSender, createRemoteFace, quantiseFace, validateFace, type FaceName } from './face.ts'
import { POSE_LENGTH, dequantisePose, quantisePose, validatePose } from './pose.ts'
import { VENUE_CAPACITY, VENUE_LIMITS } from './protocol.ts'
import { createRemotePoseBuffer } from './remote-poses.ts'
import { SEAT_COUNT, SEAT_PITCH_M, freeSeat, seatPlacement } from './seating.ts'
import { sanitiseChat, sanitiseProfile } from './visitor.ts'

const identity = () => {
  const f = new Float32Array(POSE_LENGTH)
  for (let p = 0; p < 3; p++) f[p * 7 + 6] = 1
  return f
}

describe('pose quantisation', () => {
  it('round-trips to a millimetre and 1/32767 of a quaternion', () => {
    const f = identity()
    f[0] = 1.2345
    f[1] = -0.0004
    f[7] = 29.9999
    f[10] = Math.SQRT1_2
    f[13] = Math.SQRT1_2
    const q = quantisePose(f, new Int16Array(POSE_LENGTH))
    const back = new Float32Array(POSE_LENGTH)
    dequantisePose(q, back)
    for (let i = 0; i < POSE_LENGTH; i++) expect(Math.abs(back[i] - f[i])).toBeLessThanOrEqual(0.0005)
    expect(validatePose(Array.from(q))).toBeNull()
  })

  it('clamps out-of-range and non-finite input so a client never sends a rejectable pose', () => {
    const f = identity()
    f[0] = 1e9
    f[1] = Number.NaN
    f[2] = -Infinity
    const q = quantisePose(f, new Int16Array(POSE_LENGTH))
    expect([q[0], q[1], q[2]]).toEqual([30000, 0, 0])
    expect(validatePose(Array.from(q))).toBeNull()
  })

  it('rejects what a hostile client might send', () => {
    const ok = Array.from(quantisePose(identity(), new Int16Array(POSE_LENGTH)))
    expect(validatePose('pose')).toBe('not-array')
    expect(validatePose(ok.slice(1))).toBe('length')
    expect(validatePose(ok.map((v, i) => (i === 3 ? Number.NaN : v)))).toBe('not-integer')
    expect(validatePose(ok.map((v, i) => (i === 3 ? 0.5 : v)))).toBe('not-integer')
    expect(validatePose(ok.map((v, i) => (i === 0 ? 40_000 : v)))).toBe('out-of-bounds')
    expect(validatePose(ok.map((v, i) => (i === 3 ? 20_000 : v)))).toBe('quaternion')
    // A zero quaternion is "hand not tracked", which is fine.
    expect(validatePose(ok.map((v, i) => (i >= 10 && i < 14 ? 0 : v)))).toBeNull()
  })
})

describe('client guard', () => {
  it('admits a steady 20 Hz pose stream for a minute', () => {
    const g = createClientGuard()
    for (let t = 0; t < 60_000; t += 50) {
      expect(g.admit(t, 80)).toBe('ok')
      expect(g.admitPose(t)).toBe(true)
    }
  })

  it('flags a message flood and stays flagged', () => {
    const g = createClientGuard()
    let verdict = 'ok'
    for (let i = 0; i < VENUE_LIMITS.messageBurst + 1; i++) verdict = g.admit(1000, 10)
    expect(verdict).toBe('flood')
    expect(g.admit(100_000, 1)).toBe('flood')
  })

  it('flags a byte flood even in few messages', () => {
    const g = createClientGuard()
    expect(g.admit(0, 4000)).toBe('ok')
    let verdict = 'ok'
    for (let i = 0; i < 8 && verdict === 'ok'; i++) verdict = g.admit(10 * i, 4000)
    expect(verdict).toBe('flood')
  })

  it('drops poses above the rate and refuses chat above the danmaku rate', () => {
    const g = createClientGuard()
    let poses = 0
    for (let t = 0; t < 1000; t += 10) if (g.admitPose(t)) poses++
    expect(poses).toBeLessThanOrEqual(VENUE_LIMITS.maxPoseHz + 2)
    expect(poses).toBeGreaterThanOrEqual(VENUE_LIMITS.maxPoseHz - 1)
    const chats = [0, 1, 2, 3].map(() => g.admitChat(0))
    expect(chats).toEqual([true, true, true, false])
    expect(g.admitChat(1000)).toBe(true)
  })
})

describe('profiles and chat', () => {
  it('cleans names like danmaku and falls back for unknown avatars and colours', () => {
    const p = sanitiseProfile({ name: ' \u202eAda\u0000  Lovelace ', avatar: 'dragon', colour: 'red' }, 'venue')
    expect(p).toEqual({ name: 'Ada Lovelace', avatar: 'xiaoguan', colour: '#e4572e', experience: 'venue' })
    expect(sanitiseProfile({ name: '' }, 'tianhe')).toMatchObject({ name: '访客 Visitor', experience: 'tianhe' })
    const long = sanitiseProfile({ name: '长'.repeat(100) }, 'venue')
    expect('name' in long && long.name.length).toBe(VENUE_LIMITS.nameGraphemes)
  })

  it('refuses hostile names with a bilingual reason', () => {
    const r = sanitiseProfile({ name: 'x'.repeat(10_000) }, 'venue')
    expect(r).toMatchObject({ reason: 'name-hostile' })
    expect('message' in r && r.message.zh).toMatch(/太长/)
    expect('message' in r && r.message.en).toMatch(/too long/)
    expect(sanitiseProfile({ name: 42 }, 'venue')).toMatchObject({ reason: 'name-type' })
  })

  it('sanitises chat and refuses non-text', () => {
    expect(sanitiseChat('  hello\nworld ')).toBe('hello world')
    expect(sanitiseChat('\u200b')).toBeNull()
    expect(sanitiseChat({ text: 'x' })).toBeNull()
    expect(sanitiseChat('a'.repeat(10_000))).toBeNull()
  })
})

describe('remote pose buffer', () => {
  const at = (x: number) => {
    const f = identity()
    f[0] = x
    return quantisePose(f, new Int16Array(POSE_LENGTH))
  }

  it('interpolates between the two poses around the render time and holds the newest', () => {
    const buf = createRemotePoseBuffer(2)
    const out = new Float32Array(POSE_LENGTH)
    expect(buf.sample(0, 0, out)).toBe(false)
    buf.push(0, 1000, at(0))
    buf.push(0, 1050, at(1))
    buf.push(0, 1100, at(2))
    buf.sample(0, 1075, out)
    expect(out[0]).toBeCloseTo(1.5, 3)
    expect(out[6]).toBeCloseTo(1, 5)
    buf.sample(0, 5000, out)
    expect(out[0]).toBeCloseTo(2, 3)
    buf.sample(0, 0, out)
    expect(out[0]).toBeCloseTo(0, 3)
    expect(buf.lastTime(0)).toBe(1100)
    expect(buf.sample(1, 1075, out)).toBe(false)
    buf.clear(0)
    expect(buf.sample(0, 1075, out)).toBe(false)
  })

  it('keeps interpolated quaternions unit length', () => {
    const buf = createRemotePoseBuffer(1)
    const a = identity()
    const b = identity()
    b[3] = 1 // 180° about x for the head
    b[6] = 0
    buf.push(0, 0, quantisePose(a, new Int16Array(POSE_LENGTH)))
    buf.push(0, 100, quantisePose(b, new Int16Array(POSE_LENGTH)))
    const out = new Float32Array(POSE_LENGTH)
    buf.sample(0, 50, out)
    expect(Math.hypot(out[3], out[4], out[5], out[6])).toBeCloseTo(1, 5)
  })
})

describe('host face on the wire', () => {
  const face = (over: Partial<Record<FaceName, number>> = {}) => {
    const w = {} as Record<FaceName, number>
    for (const n of FACE_NAMES) w[n] = 0
    w.neutral = 1
    return Object.assign(w, over)
  }

  it('names the avatar blender weights in order: presets then visemes', () => {
    expect([...FACE_NAMES]).toEqual([...EXPRESSION_PRESETS, ...VISEME_NAMES])
    expect(FACE_PRESET_COUNT).toBe(EXPRESSION_PRESETS.length)
  })

  it('quantises to bytes, clamps, and validates what a hostile client might send', () => {
    const q = quantiseFace(face({ happy: 0.5, aa: 2, oh: Number.NaN, sad: -1 }), new Uint8Array(FACE_LENGTH))
    expect(q[0]).toBe(128)
    expect(q[FACE_NAMES.indexOf('aa')]).toBe(255)
    expect(q[FACE_NAMES.indexOf('oh')]).toBe(0)
    expect(q[FACE_NAMES.indexOf('sad')]).toBe(0)
    expect(validateFace(Array.from(q))).toBeNull()
    expect(validateFace('happy')).toBe('not-array')
    expect(validateFace(Array.from(q).slice(1))).toBe('length')
    expect(validateFace(Array.from(q).map((v, i) => (i === 0 ? 256 : v)))).toBe('not-byte')
    expect(validateFace(Array.from(q).map((v, i) => (i === 0 ? Number.NaN : v)))).toBe('not-byte')
    expect(validateFace(Array.from(q).map((v, i) => (i === 0 ? 0.5 : v)))).toBe('not-byte')
  })

  it('sends only on change and at most 20 times a second', () => {
    const s = createFaceSender()
    const still = face()
    expect(s.update(0, still)).toBe(true) // the first face always goes
    let sent = 0
    for (let t = 10; t < 1000; t += 10) if (s.update(t, still)) sent++
    expect(sent).toBe(0) // a still face costs nothing
    for (let t = 1000; t < 2000; t += 10) if (s.update(t, face({ aa: ((t / 10) % 50) / 50 }))) sent++
    expect(sent).toBeGreaterThanOrEqual(19)
    expect(sent).toBeLessThanOrEqual(20)
    // A change held back by the rate goes out on the next allowed update.
    s.update(3000, face({ happy: 1 }))
    expect(s.update(3010, face({ happy: 0.2 }))).toBe(false)
    expect(s.update(3050, face({ happy: 0.2 }))).toBe(true)
    expect(s.quantised[0]).toBe(51)
  })

  it('eases the audience copy toward what arrives and names the dominant preset', () => {
    const r = createRemoteFace()
    expect(r.dominantPreset()).toBe('neutral')
    r.receive(quantiseFace(face({ neutral: 0, surprised: 1, aa: 0.4 }), new Uint8Array(FACE_LENGTH)))
    r.update(0.05)
    expect(r.weights.surprised).toBeGreaterThan(0.6)
    expect(r.weights.surprised).toBeLessThan(0.7)
    for (let i = 0; i < 20; i++) r.update(1 / 60)
    expect(r.weights.surprised).toBeGreaterThan(0.99)
    expect(r.weights.aa).toBeCloseTo(0.4, 2)
    expect(r.dominantPreset()).toBe('surprised')
    r.reset()
    expect(r.received).toBe(false)
    expect(r.weights.neutral).toBe(1)
  })
})

describe('audience seating', () => {
  it('has room for the livestream capacity, every seat on the floor behind the camera, facing the stage', () => {
    expect(SEAT_COUNT).toBeGreaterThanOrEqual(VENUE_CAPACITY.livestream)
    const out = { x: 0, z: 0, yaw: 0, row: 0 }
    const seen = new Set<string>()
    for (let i = 0; i < SEAT_COUNT; i++) {
      seatPlacement(i, out)
      const r = Math.hypot(out.x, out.z)
      expect(r).toBeGreaterThan(4) // the programme camera stands at 2.7 m, the monitor at 3.2 m
      expect(r).toBeLessThan(9) // the studio floor's radius
      // Forward (-Z turned by yaw) points at the stage centre.
      const fx = -Math.sin(out.yaw)
      const fz = -Math.cos(out.yaw)
      expect(fx * (-out.x / r) + fz * (-out.z / r)).toBeCloseTo(1, 6)
      seen.add(`${out.x.toFixed(2)},${out.z.toFixed(2)}`)
    }
    expect(seen.size).toBe(SEAT_COUNT) // no two visitors on one seat
    // The first seats are front and centre.
    seatPlacement(0, out)
    expect(out.row).toBe(0)
    expect(Math.abs(out.x)).toBeLessThan(SEAT_PITCH_M) // the middle seat, or one of the middle two
  })

  it('hands out the lowest free seat', () => {
    expect(freeSeat([])).toBe(0)
    expect(freeSeat([-1, 0, 1, 3])).toBe(2)
    expect(freeSeat(Array.from({ length: SEAT_COUNT }, (_, i) => i))).toBe(-1)
  })
})
