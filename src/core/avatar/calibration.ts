import { Vector3 } from 'three'
import type { Bilingual } from '../i18n/strings'
import type { AvatarRestPositions } from './humanoid'
import { restEyePosition } from './humanoid'
import { GRIP_TO_WRIST_LEFT } from './rig-space'

/**
 * One-step T-pose calibration: the user stands straight with arms out to the sides, and one sample
 * of head and hands gives eye height, stature, arm span and the scale that fits the avatar to them.
 * Results are remembered per device through an injected key–value store (localStorage in the
 * browser), so the core never touches the DOM. Setup-time code: allocation here is fine.
 */

/** A plain {x, y, z}. */
export interface Vec3Like {
  x: number
  y: number
  z: number
}

/** A plain quaternion {x, y, z, w}. */
export interface QuatLike {
  x: number
  y: number
  z: number
  w: number
}

/** Average human proportions as fractions of stature (anthropometric means, adults). */
export const PROPORTIONS = {
  eyeHeight: 0.936,
  shoulderHeight: 0.818,
  handLength: 0.108,
} as const

/** The avatar's own measurements, in its authored (unscaled) metres. */
export interface AvatarMeasurements {
  /** Height of the point between the eyes. */
  eyeHeight: number
  /** Estimated stature from the eye height. */
  height: number
  /** Hand bone to hand bone distance in the T-pose. */
  wristSpan: number
  /** Average height of the upper arm bones. */
  shoulderHeight: number
  /** Hips bone height. */
  hipsHeight: number
  upperArmLength: number
  lowerArmLength: number
  upperLegLength: number
  lowerLegLength: number
}

function need(rest: AvatarRestPositions, name: keyof AvatarRestPositions): Vector3 {
  const v = rest[name]
  if (!v) throw new Error(`avatar rest pose lacks the ${name} bone`)
  return v
}

/** Measures an avatar from its rest positions (throws if a required bone is missing). */
export function measureAvatar(rest: AvatarRestPositions): AvatarMeasurements {
  const lua = need(rest, 'leftUpperArm')
  const lla = need(rest, 'leftLowerArm')
  const lh = need(rest, 'leftHand')
  const rua = need(rest, 'rightUpperArm')
  const rla = need(rest, 'rightLowerArm')
  const rh = need(rest, 'rightHand')
  const lul = need(rest, 'leftUpperLeg')
  const lll = need(rest, 'leftLowerLeg')
  const lf = need(rest, 'leftFoot')
  need(rest, 'head')
  const eyeHeight = restEyePosition(rest, new Vector3()).y
  return {
    eyeHeight,
    height: eyeHeight / PROPORTIONS.eyeHeight,
    wristSpan: lh.distanceTo(rh),
    shoulderHeight: (lua.y + rua.y) / 2,
    hipsHeight: need(rest, 'hips').y,
    upperArmLength: (lua.distanceTo(lla) + rua.distanceTo(rla)) / 2,
    lowerArmLength: (lla.distanceTo(lh) + rla.distanceTo(rh)) / 2,
    upperLegLength: lul.distanceTo(lll),
    lowerLegLength: lll.distanceTo(lf),
  }
}

/** One T-pose sample in tracking space (floor at y = 0). */
export interface TPoseSample {
  /** Viewer position (between the eyes). */
  head: Vec3Like
  /** Viewer orientation as WebXR gives it (looks down -Z). */
  headRotation: QuatLike
  leftHand: Vec3Like
  rightHand: Vec3Like
  /** What the hand positions are: controller grips (default) or tracked wrists. */
  handPoint?: 'grip' | 'wrist'
}

/** The stored calibration of one user on one device. */
export interface Calibration {
  version: 1
  /** User's eye height, m. */
  eyeHeight: number
  /** Estimated stature, m. */
  height: number
  /** Estimated fingertip-to-fingertip arm span, m. */
  armSpan: number
  /** Wrist-to-wrist span in the T-pose, m. */
  wristSpan: number
  /** Uniform scale for the avatar root: user eye height / avatar eye height. */
  scale: number
  /**
   * User arm length / scaled avatar arm length. Above 1 the user reaches further than the avatar:
   * scale hand offsets from the shoulders by 1 / armScale so the avatar's hands still meet.
   */
  armScale: number
}

/** Why a T-pose sample was refused. */
export type CalibrationErrorCode =
  | 'invalid-sample'
  | 'height-out-of-range'
  | 'arms-not-extended'
  | 'hands-too-far-apart'
  | 'hands-swapped'
  | 'not-facing-forward'
  | 'hands-not-level'
  | 'hands-too-low'
  | 'hands-too-high'
  | 'not-centred'

/** A refused sample: a code for logic and a bilingual message telling the user what to do. */
export interface CalibrationError {
  code: CalibrationErrorCode
  message: Bilingual
}

/** Result of {@link solveCalibration}. */
export type CalibrationResult = { ok: true; calibration: Calibration } | { ok: false; error: CalibrationError }

const MESSAGES: Record<CalibrationErrorCode, Bilingual> = {
  'invalid-sample': {
    zh: '没有读到头显或手柄的位置。请确认头显和两个手柄都在追踪中，然后重试。',
    en: 'No headset or controller position was read. Make sure the headset and both controllers are tracked, then try again.',
  },
  'height-out-of-range': {
    zh: '测得的身高不合理。请站直，并确认地面高度已正确设置（必要时重新设置安全边界）。',
    en: 'The measured height is implausible. Stand up straight and check that the floor level is set correctly (redo the boundary if needed).',
  },
  'arms-not-extended': {
    zh: '双臂没有完全张开。请把双臂向两侧伸直，与肩同高，摆成 T 字形。',
    en: 'Your arms are not stretched out. Hold both arms straight out to the sides at shoulder height, in a T shape.',
  },
  'hands-too-far-apart': {
    zh: '两只手相距过远，可能有手柄没拿在手里。请双手各握一个手柄后重试。',
    en: 'The hands are too far apart; a controller may not be in your hand. Hold one controller in each hand and try again.',
  },
  'hands-swapped': {
    zh: '左右手柄似乎拿反了，或你背对着前方。请左手拿左手柄、右手拿右手柄，面向前方。',
    en: 'The controllers seem to be in the wrong hands, or you are facing backwards. Hold the left controller in your left hand and the right in your right, and face forward.',
  },
  'not-facing-forward': {
    zh: '身体没有朝向正前方。请面向前方，双臂在身体两侧成一直线。',
    en: 'You are not facing straight ahead. Face forward with both arms in one line out to your sides.',
  },
  'hands-not-level': {
    zh: '两只手高度不一致。请让双手保持同一高度。',
    en: 'Your hands are at different heights. Keep both hands level.',
  },
  'hands-too-low': {
    zh: '双手太低了。请把双臂抬到与肩同高。',
    en: 'Your hands are too low. Raise your arms to shoulder height.',
  },
  'hands-too-high': {
    zh: '双手太高了。请把双臂放低到与肩同高。',
    en: 'Your hands are too high. Lower your arms to shoulder height.',
  },
  'not-centred': {
    zh: '头部没有在两手之间居中。请站直，双臂向两侧等距张开。',
    en: 'Your head is not centred between your hands. Stand straight with both arms stretched out evenly to the sides.',
  },
}

/** Tolerances of {@link solveCalibration}. */
export interface CalibrationParams {
  /** Plausible eye heights, m. */
  minEyeHeight: number
  maxEyeHeight: number
  /** Wrist span bounds as fractions of stature (a T-pose gives ≈ 0.78). */
  minSpanRatio: number
  maxSpanRatio: number
  /** Largest height difference between the hands, m. */
  maxLevelDifference: number
  /** Largest distance of the hands' mean height from the expected shoulder height, m. */
  maxShoulderOffset: number
  /** Smallest cosine between the hand line and the head's right vector. */
  minFacingCos: number
  /** Largest horizontal distance between the head and the hands' midpoint, m. */
  maxCentreOffset: number
}

/** Default {@link CalibrationParams}. */
export const DEFAULT_CALIBRATION: Readonly<CalibrationParams> = {
  minEyeHeight: 0.9,
  maxEyeHeight: 2.3,
  minSpanRatio: 0.6,
  maxSpanRatio: 1.25,
  maxLevelDifference: 0.15,
  maxShoulderOffset: 0.2,
  minFacingCos: Math.cos((35 * Math.PI) / 180),
  maxCentreOffset: 0.3,
}

function fail(code: CalibrationErrorCode): CalibrationResult {
  return { ok: false, error: { code, message: MESSAGES[code] } }
}

function finite(v: Vec3Like | QuatLike): boolean {
  return Object.values(v).every((n) => typeof n === 'number' && Number.isFinite(n))
}

/**
 * Validates a T-pose sample and derives the calibration against the avatar's measurements.
 * Refuses (with a bilingual instruction) when the pose is not a T-pose.
 */
export function solveCalibration(
  sample: TPoseSample,
  avatar: AvatarMeasurements,
  params: Readonly<CalibrationParams> = DEFAULT_CALIBRATION,
): CalibrationResult {
  const { head, headRotation, leftHand: l, rightHand: r } = sample
  if (![head, headRotation, l, r].every(finite)) return fail('invalid-sample')

  const eyeHeight = head.y
  if (eyeHeight < params.minEyeHeight || eyeHeight > params.maxEyeHeight) return fail('height-out-of-range')
  const height = eyeHeight / PROPORTIONS.eyeHeight

  const dx = r.x - l.x
  const dz = r.z - l.z
  const handDist = Math.hypot(dx, r.y - l.y, dz)
  // Grips sit in the fists, a few cm beyond the wrists along the arm line.
  const wristSpan = sample.handPoint === 'wrist' ? handDist : handDist - 2 * Math.abs(GRIP_TO_WRIST_LEFT.x)
  if (wristSpan < params.minSpanRatio * height) return fail('arms-not-extended')
  if (wristSpan > params.maxSpanRatio * height) return fail('hands-too-far-apart')

  // The head's right vector (+X of the WebXR viewer), flattened.
  const { x, y, z, w } = headRotation
  const rx = 1 - 2 * (y * y + z * z)
  const rz = 2 * (x * z - w * y)
  const rLen = Math.hypot(rx, rz)
  const hLen = Math.hypot(dx, dz)
  const facing = rLen > 1e-6 && hLen > 1e-6 ? (rx * dx + rz * dz) / (rLen * hLen) : 0
  if (facing < 0) return fail('hands-swapped')
  if (facing < params.minFacingCos) return fail('not-facing-forward')

  if (Math.abs(l.y - r.y) > params.maxLevelDifference) return fail('hands-not-level')
  const shoulderY = height * PROPORTIONS.shoulderHeight
  const handsY = (l.y + r.y) / 2
  if (handsY < shoulderY - params.maxShoulderOffset) return fail('hands-too-low')
  if (handsY > shoulderY + params.maxShoulderOffset) return fail('hands-too-high')

  const cx = (l.x + r.x) / 2 - head.x
  const cz = (l.z + r.z) / 2 - head.z
  if (Math.hypot(cx, cz) > params.maxCentreOffset) return fail('not-centred')

  const scale = eyeHeight / avatar.eyeHeight
  return {
    ok: true,
    calibration: {
      version: 1,
      eyeHeight,
      height,
      armSpan: wristSpan + 2 * PROPORTIONS.handLength * height,
      wristSpan,
      scale,
      armScale: wristSpan / (avatar.wristSpan * scale),
    },
  }
}

/** Storage key prefix; the version suffix lets a future format ignore old entries. */
export const CALIBRATION_KEY_PREFIX = 'lingjing.avatar.calibration.v1:'

/** Storage key for a device (e.g. a hash of the headset model and browser); trimmed and bounded. */
export function calibrationStorageKey(deviceKey: string): string {
  const key = deviceKey.trim().slice(0, 128)
  return CALIBRATION_KEY_PREFIX + (key.length > 0 ? key : 'default')
}

/** Serialises a calibration to JSON text. */
export function serializeCalibration(c: Calibration): string {
  return JSON.stringify({
    version: 1,
    eyeHeight: c.eyeHeight,
    height: c.height,
    armSpan: c.armSpan,
    wristSpan: c.wristSpan,
    scale: c.scale,
    armScale: c.armScale,
  })
}

const NUMBER_FIELDS = ['eyeHeight', 'height', 'armSpan', 'wristSpan', 'scale', 'armScale'] as const

/** Parses stored text; returns null for anything missing, malformed, from another version or implausible. */
export function parseCalibration(text: string | null | undefined): Calibration | null {
  if (!text) return null
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof data !== 'object' || data === null) return null
  const o = data as Record<string, unknown>
  if (o.version !== 1) return null
  for (const f of NUMBER_FIELDS) {
    const v = o[f]
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return null
  }
  return {
    version: 1,
    eyeHeight: o.eyeHeight as number,
    height: o.height as number,
    armSpan: o.armSpan as number,
    wristSpan: o.wristSpan as number,
    scale: o.scale as number,
    armScale: o.armScale as number,
  }
}

/** The part of `Storage` the calibration store needs (localStorage fits). */
export interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

/** Remembers a calibration for a device. Storage errors (quota, private mode) are swallowed: it is a cache. */
export function saveCalibration(storage: KeyValueStorage, deviceKey: string, c: Calibration): boolean {
  try {
    storage.setItem(calibrationStorageKey(deviceKey), serializeCalibration(c))
    return true
  } catch {
    return false
  }
}

/** Loads a device's calibration, or null if none is stored or it cannot be read. */
export function loadCalibration(storage: KeyValueStorage, deviceKey: string): Calibration | null {
  try {
    return parseCalibration(storage.getItem(calibrationStorageKey(deviceKey)))
  } catch {
    return null
  }
}
