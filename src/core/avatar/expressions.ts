import { clamp01, smoothstep } from './avatar-math'
import type { VisemeWeights } from './visemes'

/**
 * Expression blender. `setTarget(preset)` starts an eased cross-fade (~200 ms) from whatever the
 * face shows now to the new preset; `update(dt)` advances it and composes the final VRM weights:
 * emotion presets, visemes and blink, with VRM 1.0's override rules so a strong emotion that
 * shapes the mouth (or eyes) reduces the visemes (or blink) instead of fighting them.
 * The output record is allocated once and rewritten in place.
 */

/** VRM 1.0 emotion presets driven here. */
export const EXPRESSION_PRESETS = ['happy', 'angry', 'sad', 'relaxed', 'surprised', 'neutral'] as const

/** An emotion preset name. */
export type ExpressionPreset = (typeof EXPRESSION_PRESETS)[number]

/** VRM 1.0 override mode: 'block' zeroes the overridden group while active, 'blend' scales it by 1 - weight. */
export type OverrideMode = 'none' | 'block' | 'blend'

/** Per preset: how it overrides the mouth (visemes) and the blink. */
export interface PresetOverrides {
  mouth: OverrideMode
  blink: OverrideMode
}

/** Final weights for VRM's expression manager (1.0 names). */
export type ExpressionWeights = Record<ExpressionPreset, number> & {
  aa: number
  ih: number
  ou: number
  ee: number
  oh: number
  blink: number
}

/** Tuning of the blender. */
export interface ExpressionParams {
  /** Cross-fade duration in seconds. */
  blendTime: number
  /** Override rules per preset (as a VRM model would declare them). */
  overrides: Record<ExpressionPreset, PresetOverrides>
  /** Surprised weight above which automatic blinking should pause. */
  blinkSuppressThreshold: number
}

/** Default {@link ExpressionParams}: 200 ms, mouth-shaping emotions blend over visemes. */
export const DEFAULT_EXPRESSIONS: Readonly<ExpressionParams> = {
  blendTime: 0.2,
  overrides: {
    happy: { mouth: 'blend', blink: 'blend' },
    angry: { mouth: 'blend', blink: 'none' },
    sad: { mouth: 'blend', blink: 'none' },
    relaxed: { mouth: 'none', blink: 'blend' },
    surprised: { mouth: 'blend', blink: 'block' },
    neutral: { mouth: 'none', blink: 'none' },
  },
  blinkSuppressThreshold: 0.1,
}

/** The blender: call `setTarget` on user input and `update` once per frame. */
export interface ExpressionBlender {
  readonly params: ExpressionParams
  /** Output, rewritten by `update`. */
  readonly weights: ExpressionWeights
  /** Current target preset and its intensity. */
  readonly target: { preset: ExpressionPreset; intensity: number }
  /** Starts an eased blend to `preset` at `intensity` (0..1, default 1). */
  setTarget(preset: ExpressionPreset, intensity?: number): void
  /** Advances the blend by `dt` seconds and composes the output with visemes and blink. */
  update(dt: number, visemes?: VisemeWeights | null, blink?: number): ExpressionWeights
  /** True while the face should not blink (surprised holds the eyes open). */
  blinkSuppressed(): boolean
  /** Jumps to the target immediately (e.g. when the avatar first appears). */
  snap(): void
}

/** Creates a blender that starts on `neutral` at full weight. */
export function createExpressionBlender(params?: Partial<ExpressionParams>): ExpressionBlender {
  const prm: ExpressionParams = { ...DEFAULT_EXPRESSIONS, ...params }
  const n = EXPRESSION_PRESETS.length
  const from = new Float64Array(n)
  const to = new Float64Array(n)
  const current = new Float64Array(n)
  const neutralIndex = EXPRESSION_PRESETS.indexOf('neutral')
  from[neutralIndex] = to[neutralIndex] = current[neutralIndex] = 1
  let elapsed = prm.blendTime
  const target = { preset: 'neutral' as ExpressionPreset, intensity: 1 }
  const weights: ExpressionWeights = {
    happy: 0,
    angry: 0,
    sad: 0,
    relaxed: 0,
    surprised: 0,
    neutral: 1,
    aa: 0,
    ih: 0,
    ou: 0,
    ee: 0,
    oh: 0,
    blink: 0,
  }

  function overrideOf(kind: 'mouth' | 'blink'): number {
    let o = 0
    for (let i = 0; i < n; i++) {
      const wgt = current[i]
      if (wgt <= 0) continue
      const mode = prm.overrides[EXPRESSION_PRESETS[i]][kind]
      const v = mode === 'block' ? 1 : mode === 'blend' ? wgt : 0
      if (v > o) o = v
    }
    return o
  }

  const blender: ExpressionBlender = {
    params: prm,
    weights,
    target,
    setTarget(preset, intensity = 1) {
      const level = clamp01(intensity)
      target.preset = preset
      target.intensity = level
      for (let i = 0; i < n; i++) {
        from[i] = current[i]
        to[i] = EXPRESSION_PRESETS[i] === preset ? level : 0
      }
      elapsed = 0
    },
    update(dt, visemes, blink = 0) {
      elapsed = Math.min(prm.blendTime, elapsed + (dt > 0 ? dt : 0))
      const s = prm.blendTime > 0 ? smoothstep(0, 1, elapsed / prm.blendTime) : 1
      for (let i = 0; i < n; i++) {
        current[i] = from[i] + (to[i] - from[i]) * s
        weights[EXPRESSION_PRESETS[i]] = current[i]
      }
      const mouth = 1 - overrideOf('mouth')
      weights.aa = visemes ? visemes.aa * mouth : 0
      weights.ih = visemes ? visemes.ih * mouth : 0
      weights.ou = visemes ? visemes.ou * mouth : 0
      weights.ee = visemes ? visemes.ee * mouth : 0
      weights.oh = visemes ? visemes.oh * mouth : 0
      weights.blink = clamp01(blink) * (1 - overrideOf('blink'))
      return weights
    },
    blinkSuppressed() {
      return weights.surprised > prm.blinkSuppressThreshold
    },
    snap() {
      for (let i = 0; i < n; i++) current[i] = from[i] = to[i]
      elapsed = prm.blendTime
      for (let i = 0; i < n; i++) weights[EXPRESSION_PRESETS[i]] = current[i]
    },
  }
  return blender
}
