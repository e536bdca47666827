import { Frustum, Matrix4, PerspectiveCamera, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { GROUP_HEAD_TOP_M, GROUP_PHOTO_COUNTDOWN_S, GROUP_PITCH_M, countdownLine, layoutGroupPhoto, slotOf, type GroupArrangement } from './group-photo'

/** A three camera placed as the arrangement says, and its frustum (what the app counts ids from). */
function frustumOf(a: GroupArrangement, aspect: number): Frustum {
  const cam = new PerspectiveCamera(a.camera.fovDeg, aspect, 0.05, 100)
  cam.position.fromArray(a.camera.position)
  cam.lookAt(new Vector3().fromArray(a.camera.target))
  cam.updateMatrixWorld()
  return new Frustum().setFromProjectionMatrix(new Matrix4().multiplyMatrices(cam.projectionMatrix, cam.matrixWorldInverse))
}

describe('group photo layout', () => {
  it('is the same whatever order the ids come in, with one slot per distinct visitor', () => {
    const a = layoutGroupPhoto(['c', 'a', 'b'], 16 / 9)
    const b = layoutGroupPhoto(['b', 'c', 'a', 'a'], 16 / 9)
    expect(b).toEqual(a)
    expect(a.slots.map((s) => s.id)).toEqual(['a', 'b', 'c'])
  })

  it('keeps visitors a pitch apart, facing the camera', () => {
    const a = layoutGroupPhoto(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], 16 / 9)
    for (let i = 0; i < a.slots.length; i++)
      for (let j = i + 1; j < a.slots.length; j++) {
        const d = Math.hypot(a.slots[i].x - a.slots[j].x, a.slots[i].z - a.slots[j].z)
        expect(d).toBeGreaterThanOrEqual(GROUP_PITCH_M * 0.99)
      }
    expect(a.slots.filter((s) => s.row === 1).length).toBe(2)
    // Yaw π turns -Z forward to +Z, where the camera is.
    for (const s of a.slots) expect(a.camera.position[2]).toBeGreaterThan(s.z)
    expect(a.slots[0].yaw).toBeCloseTo(Math.PI)
  })

  it.each([1, 2, 7, 30])('frames every head, foot and Xiaoguan for %i visitors (16:9 and 4:3)', (n) => {
    const ids = Array.from({ length: n }, (_, i) => `v${i}`)
    for (const aspect of [16 / 9, 4 / 3]) {
      const a = layoutGroupPhoto(ids, aspect)
      const f = frustumOf(a, aspect)
      for (const s of a.slots) {
        expect(f.containsPoint(new Vector3(s.x, GROUP_HEAD_TOP_M - 0.1, s.z)), `head of ${s.id}`).toBe(true)
        expect(f.containsPoint(new Vector3(s.x, 0.3, s.z)), `legs of ${s.id}`).toBe(true)
      }
      expect(f.containsPoint(new Vector3().fromArray(a.xiaoguan))).toBe(true)
      // And somebody who is not in the group (far to the side) is not.
      expect(f.containsPoint(new Vector3(40, 1.6, 0))).toBe(false)
    }
  })

  it('finds a slot by id, and refuses a nonsense aspect', () => {
    const a = layoutGroupPhoto(['x'], 1)
    expect(slotOf(a, 'x')?.x).toBeCloseTo(0)
    expect(slotOf(a, 'nobody')).toBeNull()
    expect(() => layoutGroupPhoto(['x'], Number.NaN)).toThrow(/aspect/)
    expect(() => layoutGroupPhoto(['x'], 0)).toThrow(/aspect/)
  })

  it('says the countdown in both languages', () => {
    expect(countdownLine(GROUP_PHOTO_COUNTDOWN_S, 'Ada').en).toMatch(/Ada.*group photo.*3/)
    expect(countdownLine(GROUP_PHOTO_COUNTDOWN_S, 'Ada').zh).toMatch(/Ada.*合影/)
    expect(countdownLine(1, 'Ada')).toEqual({ zh: '1…', en: '1…' })
    expect(countdownLine(0, 'Ada').en).toMatch(/cheese/)
  })
})
