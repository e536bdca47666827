import { describe, expect, it } from 'vitest'
import { blendCameraPoses, createCameraPose, createCameraRig, updateCameraRig, validateRigSpec, type CameraSubject } from './camera-rigs'
import { createVec3 } from './smoothing'
import { STUDIO_CAMERAS } from './studio-cameras'

function subject(x = 0, y = 1.6, z = 0): CameraSubject {
  return { head: createVec3(x, y, z), forward: createVec3(0, 0, 1) }
}

const byId = (id: string) => STUDIO_CAMERAS.find((c) => c.id === id)!

describe('camera rigs', () => {
  it('the studio has at least five valid cameras with unique ids, among them each kind', () => {
    expect(STUDIO_CAMERAS.length).toBeGreaterThanOrEqual(5)
    expect(new Set(STUDIO_CAMERAS.map((c) => c.id)).size).toBe(STUDIO_CAMERAS.length)
    for (const c of STUDIO_CAMERAS) expect(() => validateRigSpec(c)).not.toThrow()
    expect(new Set(STUDIO_CAMERAS.map((c) => c.rig.kind))).toEqual(new Set(['fixed', 'tracking', 'first-person', 'orbit']))
    for (const c of STUDIO_CAMERAS) {
      expect(c.label.zh.length).toBeGreaterThan(0)
      expect(c.label.en.length).toBeGreaterThan(0)
    }
  })

  it('a fixed camera ignores the subject', () => {
    const rig = createCameraRig(byId('wide'))
    const a = { ...updateCameraRig(rig, subject(0), 1 / 72, 0).position }
    const b = { ...updateCameraRig(rig, subject(1), 1 / 72, 1).position }
    expect(a).toEqual(b)
  })

  it('the close-up pans after the head smoothly, without overshoot, and keeps its position', () => {
    const rig = createCameraRig(byId('close-up'))
    const s = subject(0)
    updateCameraRig(rig, s, 1 / 72, 0)
    const position = { ...rig.pose.position }
    s.head.x = 0.4 // the host steps to the side
    const xs: number[] = []
    for (let i = 0; i < 144; i++) xs.push(updateCameraRig(rig, s, 1 / 72, i / 72).target.x)
    expect(xs[0]).toBeGreaterThan(0)
    expect(xs[0]).toBeLessThan(0.05)
    for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThanOrEqual(xs[i - 1])
    expect(Math.max(...xs)).toBeLessThanOrEqual(0.4)
    expect(xs[xs.length - 1]).toBeCloseTo(0.4, 2)
    expect(rig.pose.position).toEqual(position)
  })

  it('the first-person camera filters head shake and keeps the horizon level', () => {
    const rig = createCameraRig(byId('first-person'))
    const s = subject()
    updateCameraRig(rig, s, 1 / 72, 0)
    // 8 Hz, 1 cm head jitter: the smoothed eye moves far less.
    let maxDev = 0
    for (let i = 1; i < 216; i++) {
      s.head.x = 0.01 * Math.sin(2 * Math.PI * 8 * (i / 72))
      const p = updateCameraRig(rig, s, 1 / 72, i / 72)
      if (i > 72) maxDev = Math.max(maxDev, Math.abs(p.position.x))
    }
    expect(maxDev).toBeLessThan(0.003)
    // Looking down steeply and rolled: the look point stays in front, at most half as low.
    s.head.x = 0
    s.forward.x = 0
    s.forward.y = -0.8
    s.forward.z = 0.6
    for (let i = 0; i < 300; i++) updateCameraRig(rig, s, 1 / 72, i / 72)
    expect(rig.pose.target.z).toBeCloseTo(2.5, 1)
    expect(rig.pose.target.y).toBeCloseTo(1.6 - 0.8 * 2.5 * 0.5, 2)
  })

  it('the orbit swings along its arc, deterministically in time', () => {
    const rig = createCameraRig(byId('orbit'))
    const spec = byId('orbit').rig
    if (spec.kind !== 'orbit') throw new Error('orbit camera is not an orbit rig')
    const s = subject()
    const at = (t: number) => ({ ...updateCameraRig(rig, s, 1 / 72, t).position })
    const start = at(0)
    expect(start.x).toBeCloseTo(0, 6)
    expect(start.z).toBeCloseTo(spec.radius, 6)
    const quarter = at(spec.period / 4)
    expect(Math.atan2(quarter.x, quarter.z)).toBeCloseTo(spec.sweep, 6)
    expect(Math.hypot(quarter.x, quarter.z)).toBeCloseTo(spec.radius, 6)
    expect(at(spec.period / 4)).toEqual(quarter)
  })

  it('blends two poses', () => {
    const a = createCameraPose()
    const b = createCameraPose()
    a.position.x = 0
    b.position.x = 2
    a.fov = 30
    b.fov = 50
    const out = blendCameraPoses(createCameraPose(), a, b, 0.25)
    expect(out.position.x).toBeCloseTo(0.5)
    expect(out.fov).toBeCloseTo(35)
  })

  it('rejects a spec that cannot work, naming the camera', () => {
    expect(() => validateRigSpec({ id: 'bad', label: { zh: '坏', en: 'Bad' }, rig: { kind: 'fixed', position: [0, 0, 0], target: [0, 0, 1], fov: 0 } })).toThrow(
      /camera "bad": fov 0/,
    )
    expect(() => validateRigSpec({ id: 'Bad Id', label: { zh: '坏', en: 'Bad' }, rig: { kind: 'fixed', position: [0, 0, 0], target: [0, 0, 1], fov: 40 } })).toThrow(/id/)
  })
})
