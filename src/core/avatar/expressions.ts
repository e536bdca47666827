import { clamp01, smoothstep } from './avatar-math'
import type { VisemeWeights } from './visemes'

/**
 * Expression blender. `setTarget(preset)` starts an eased cross-fade (~200 ms) from whatever the
 * face shows now to the new preset; `update(dt)` advances it and composes the VRM weights:
 * emotion presets, visemes and blink. The override rules (an emotion that shapes the mouth
 * reducing the visemes, one that holds the eyes reducing the blink) are the model's own
 * `overrideMouth`/`overrideBlink`/`overrideLookAt`, applied by three-vrm's expression manager:
 * applying a table here as well would apply them twice and replace the author's choices.
 * The output record is allocated once and rewritten in place.
 */

/** VRM 1.0 emotion presets driven here. */
export const EXPRESSION_PRESETS = ['happy', 'angry', 'sad', 'relaxed', 'surprised', 'neutral'] as const

/** An emotion preset name. */
export type ExpressionPreset = (typeof EXPRESSION_PRESETS)[number]

/**
 * Final weights for VRM's expression manager (1.0 names): one entry per expression the blender
 * drives (the six presets, or the model's own list, custom names included), visemes and blink.
 */
export type ExpressionWeights = Record<ExpressionPreset, number> & {
  aa: number
  ih: number
  ou: number
  ee: number
  oh: number
  blink: number
  [expression: string]: number
}

/** Tuning of the blender. */
export interface ExpressionParams {
  /** Cross-fade duration in seconds. */
  blendTime: number
  /**
   * Expressions that hold the eyes open: the model declares `overrideBlink: 'block'` on them
   * (read from the loaded VRM by the scene). While one shows, the automatic blinker pauses, so
   * a blink does not start behind the block and snap shut the moment it lifts.
   */
  eyesHeldBy: readonly string[]
  /** Weight of an {@link ExpressionParams.eyesHeldBy} expression above which blinking pauses. */
  blinkSuppressThreshold: number
}

/** Default {@link ExpressionParams}: 200 ms cross-fade, no expression known to hold the eyes. */
export const DEFAULT_EXPRESSIONS: Readonly<ExpressionParams> = {
  blendTime: 0.2,
  eyesHeldBy: [],
  blinkSuppressThreshold: 0.1,
}

/** The blender: call `setTarget` on user input and `update` once per frame. */
export interface ExpressionBlender {
  readonly params: ExpressionParams
  /** Output, rewritten by `update`. */
  readonly weights: ExpressionWeights
  /** The expressions it blends between (the model's, from listModelExpressions; `neutral` first fallback). */
  readonly names: readonly string[]
  /** Current target expression and its intensity. */
  readonly target: { preset: string; intensity: number }
  /** Starts an eased blend to `preset` at `intensity` (0..1, default 1); an unknown name is ignored. */
  setTarget(preset: string, intensity?: number): void
  /** Advances the blend by `dt` seconds and composes the output with visemes and blink. */
  update(dt: number, visemes?: VisemeWeights | null, blink?: number): ExpressionWeights
  /** True while the face should not blink (an expression the model lets block the blink shows). */
  blinkSuppressed(): boolean
  /** Jumps to the target immediately (e.g. when the avatar first appears). */
  snap(): void
}

/**
 * Creates a blender over `names` (default: the six presets; `neutral` is added when missing) that
 * starts on `neutral` at full weight.
 */
export function createExpressionBlender(params?: Partial<ExpressionParams>, names: readonly string[] = EXPRESSION_PRESETS): ExpressionBlender {
  const prm: ExpressionParams = { ...DEFAULT_EXPRESSIONS, ...params }
  const list: readonly string[] = names.includes('neutral') ? [...names] : [...names, 'neutral']
  const n = list.length
  const from = new Float64Array(n)
  const to = new Float64Array(n)
  const current = new Float64Array(n)
  const neutralIndex = list.indexOf('neutral')
  from[neutralIndex] = to[neutralIndex] = current[neutralIndex] = 1
  let elapsed = prm.blendTime
  const target = { preset: 'neutral', intensity: 1 }
  const heldBy = prm.eyesHeldBy.map((name) => list.indexOf(name)).filter((i) => i >= 0)
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
  for (const name of list) if (!(name in weights)) weights[name] = 0

  const blender: ExpressionBlender = {
    params: prm,
    weights,
    names: list,
    target,
    setTarget(preset, intensity = 1) {
      if (!list.includes(preset)) return
      const level = clamp01(intensity)
      target.preset = preset
      target.intensity = level
      for (let i = 0; i < n; i++) {
        from[i] = current[i]
        to[i] = list[i] === preset ? level : 0
      }
      elapsed = 0
    },
    update(dt, visemes, blink = 0) {
      elapsed = Math.min(prm.blendTime, elapsed + (dt > 0 ? dt : 0))
      const s = prm.blendTime > 0 ? smoothstep(0, 1, elapsed / prm.blendTime) : 1
      for (let i = 0; i < n; i++) {
        current[i] = from[i] + (to[i] - from[i]) * s
        weights[list[i]] = current[i]
      }
      // Raw: the expression manager scales these by the model's own override rules.
      weights.aa = visemes ? visemes.aa : 0
      weights.ih = visemes ? visemes.ih : 0
      weights.ou = visemes ? visemes.ou : 0
      weights.ee = visemes ? visemes.ee : 0
      weights.oh = visemes ? visemes.oh : 0
      weights.blink = clamp01(blink)
      return weights
    },
    blinkSuppressed() {
      for (let i = 0; i < heldBy.length; i++) if (current[heldBy[i]] > prm.blinkSuppressThreshold) return true
      return false
    },
    snap() {
      for (let i = 0; i < n; i++) current[i] = from[i] = to[i]
      elapsed = prm.blendTime
      for (let i = 0; i < n; i++) weights[list[i]] = current[i]
    },
  }
  return blender
}
