import { Quaternion, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import {
  PROPORTIONS,
  calibrationStorageKey,
  loadCalibration,
  measureAvatar,
  parseCalibration,
  saveCalibration,
  serializeCalibration,
  solveCalibration,
  type CalibrationErrorCode,
  type KeyValueStorage,
  type TPoseSample,
} from './calibration'
import { sampleRestPose } from './test-fixtures'

const avatar = measureAvatar(sampleRestPose())

/** A user 1.6 m eye height facing WebXR's default -Z: their left hand is at -X. */
function tpose(overrides: Partial<TPoseSample> = {}): TPoseSample {
  return {
    head: { x: 0, y: 1.6, z: 0 },
    headRotation: { x: 0, y: 0, z: 0, w: 1 },
    leftHand: { x: -0.75, y: 1.4, z: 0.02 },
    rightHand: { x: 0.75, y: 1.4, z: 0.02 },
    ...overrides,
  }
}

function expectError(sample: TPoseSample, code: CalibrationErrorCode) {
  const r = solveCalibration(sample, avatar)
  expect(r.ok).toBe(false)
  if (r.ok) return
  expect(r.error.code).toBe(code)
  expect(r.error.message.zh.length).toBeGreaterThan(5)
  expect(r.error.message.en.length).toBeGreaterThan(10)
}

describe('calibration', () => {
  it('measures the avatar from its rest pose', () => {
    expect(avatar.eyeHeight).toBeCloseTo(1.56, 6)
    expect(avatar.wristSpan).toBeCloseTo(1.34, 6)
    expect(avatar.hipsHeight).toBeCloseTo(0.95, 6)
    expect(avatar.upperArmLength).toBeCloseTo(0.26, 6)
    expect(avatar.lowerArmLength).toBeCloseTo(0.24, 6)
    expect(avatar.height).toBeCloseTo(1.56 / PROPORTIONS.eyeHeight, 6)
  })

  it('derives height, span and scale from a known T-pose', () => {
    const r = solveCalibration(tpose(), avatar)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const c = r.calibration
    expect(c.eyeHeight).toBeCloseTo(1.6, 6)
    expect(c.height).toBeCloseTo(1.6 / 0.936, 6)
    expect(c.wristSpan).toBeCloseTo(1.5 - 0.14, 6) // grips are 7 cm beyond each wrist
    expect(c.armSpan).toBeCloseTo(1.36 + 2 * 0.108 * c.height, 6)
    expect(c.scale).toBeCloseTo(1.6 / 1.56, 6)
    expect(c.armScale).toBeCloseTo(1.36 / (1.34 * (1.6 / 1.56)), 6)
  })

  it('accepts tracked wrists and a user facing another way', () => {
    const turn = new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), 1)
    const l = new Vector3(-0.68, 1.4, 0).applyQuaternion(turn)
    const r = new Vector3(0.68, 1.4, 0).applyQuaternion(turn)
    const res = solveCalibration(
      tpose({ headRotation: { x: turn.x, y: turn.y, z: turn.z, w: turn.w }, leftHand: l, rightHand: r, handPoint: 'wrist' }),
      avatar,
    )
    expect(res.ok).toBe(true)
    if (res.ok) expect(res.calibration.wristSpan).toBeCloseTo(1.36, 6)
  })

  it('refuses poses that are not a T-pose, saying what to do', () => {
    expectError(tpose({ leftHand: { x: -0.75, y: 1.0, z: 0 }, rightHand: { x: 0.75, y: 1.0, z: 0 } }), 'hands-too-low')
    expectError(tpose({ leftHand: { x: -0.7, y: 1.8, z: 0 }, rightHand: { x: 0.7, y: 1.8, z: 0 } }), 'hands-too-high')
    expectError(tpose({ leftHand: { x: -0.25, y: 1.4, z: -0.4 }, rightHand: { x: 0.25, y: 1.4, z: -0.4 } }), 'arms-not-extended')
    expectError(tpose({ leftHand: { x: 0.75, y: 1.4, z: 0 }, rightHand: { x: -0.75, y: 1.4, z: 0 } }), 'hands-swapped')
    expectError(tpose({ leftHand: { x: -0.75, y: 1.25, z: 0 }, rightHand: { x: 0.75, y: 1.55, z: 0 } }), 'hands-not-level')
    expectError(tpose({ leftHand: { x: -0.5, y: 1.4, z: 0.6 }, rightHand: { x: 0.5, y: 1.4, z: -0.6 } }), 'not-facing-forward')
    expectError(tpose({ leftHand: { x: -0.35, y: 1.4, z: 0 }, rightHand: { x: 1.15, y: 1.4, z: 0 } }), 'not-centred')
    expectError(tpose({ leftHand: { x: -2, y: 1.4, z: 0 }, rightHand: { x: 2, y: 1.4, z: 0 } }), 'hands-too-far-apart')
    expectError(tpose({ head: { x: 0, y: 0.4, z: 0 } }), 'height-out-of-range')
    expectError(tpose({ head: { x: 0, y: Number.NaN, z: 0 } }), 'invalid-sample')
  })

  it('round-trips through storage per device and ignores junk', () => {
    const r = solveCalibration(tpose(), avatar)
    if (!r.ok) throw new Error('expected a calibration')
    const map = new Map<string, string>()
    const storage: KeyValueStorage = { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) }
    expect(saveCalibration(storage, 'quest3-browser', r.calibration)).toBe(true)
    expect(loadCalibration(storage, 'quest3-browser')).toEqual(r.calibration)
    expect(loadCalibration(storage, 'pico4')).toBeNull()
    expect(calibrationStorageKey('  ')).toMatch(/default$/)
    expect(parseCalibration(serializeCalibration(r.calibration))).toEqual(r.calibration)
    expect(parseCalibration('{not json')).toBeNull()
    expect(parseCalibration(JSON.stringify({ ...r.calibration, version: 2 }))).toBeNull()
    expect(parseCalibration(JSON.stringify({ ...r.calibration, scale: -1 }))).toBeNull()
    const throwing: KeyValueStorage = {
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('quota')
      },
    }
    expect(saveCalibration(throwing, 'x', r.calibration)).toBe(false)
    expect(loadCalibration(throwing, 'x')).toBeNull()
  })
})
