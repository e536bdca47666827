import type { Bilingual } from '../i18n/strings'
import { cleanAvatarName } from './vrm-validation'
import { EXPRESSION_PRESETS } from './expressions'

/**
 * The loaded model's own expressions as the host uses them: which ones are theirs to pick (every
 * preset and custom one except those the app drives procedurally), and which hotkey or controller
 * button picks which — remembered per model, because two models rarely share custom names.
 */

/**
 * Expressions driven by the app, never picked by hand: the mic (visemes), the blinker and the
 * look-at (VRM 1.0 preset names; three-vrm maps 0.x groups onto them).
 */
export const PROCEDURAL_EXPRESSIONS: readonly string[] = ['aa', 'ih', 'ou', 'ee', 'oh', 'blink', 'blinkLeft', 'blinkRight', 'lookUp', 'lookDown', 'lookLeft', 'lookRight']

/**
 * The expressions the host can pick on a model whose expression manager holds `modelNames`:
 * its emotion presets in VRM order, then its custom ones (VRM 1.0 `expressions.custom`, VRM 0.x
 * blend shape groups) in the model's order, and `neutral` always (a model without one still has
 * a "no emotion" face). Names that are empty or not text are skipped.
 */
export function listModelExpressions(modelNames: readonly string[]): string[] {
  const present = new Set(modelNames)
  const out: string[] = EXPRESSION_PRESETS.filter((p) => p === 'neutral' || present.has(p))
  const seen = new Set(out)
  for (const name of modelNames) {
    if (typeof name !== 'string' || name.length === 0 || seen.has(name) || PROCEDURAL_EXPRESSIONS.includes(name)) continue
    seen.add(name)
    out.push(name)
  }
  return out
}

/** Controller buttons that pick an expression (xr-standard: A/B right, X/Y left, a stick click). */
export const EXPRESSION_BUTTONS = ['a', 'b', 'x', 'y', 'stick'] as const

/** A controller button that picks an expression. */
export type ExpressionButton = (typeof EXPRESSION_BUTTONS)[number]

/** Which expression each hotkey (1–9) and controller button picks; null = unbound. */
export interface ExpressionBindings {
  /** Index 0 is key 1 … index 8 is key 9. */
  keys: (string | null)[]
  buttons: Record<ExpressionButton, string | null>
}

/** Number of hotkeys (1–9). */
export const EXPRESSION_HOTKEYS = 9

/** The buttons' defaults when the model has these presets (what the host's recordings were made with). */
const DEFAULT_BUTTONS: Record<ExpressionButton, string> = { a: 'happy', b: 'surprised', x: 'sad', y: 'relaxed', stick: 'neutral' }

/**
 * Default bindings for a list from {@link listModelExpressions}: keys 1–9 take the list in order
 * (the six presets on 1–6, as before, then the first custom ones); the buttons take their preset
 * when the model has it.
 */
export function defaultExpressionBindings(list: readonly string[]): ExpressionBindings {
  const keys: (string | null)[] = []
  for (let i = 0; i < EXPRESSION_HOTKEYS; i++) keys.push(list[i] ?? null)
  const buttons = {} as Record<ExpressionButton, string | null>
  for (const b of EXPRESSION_BUTTONS) buttons[b] = list.includes(DEFAULT_BUTTONS[b]) ? DEFAULT_BUTTONS[b] : null
  return { keys, buttons }
}

/** 32-bit FNV-1a of a string's UTF-16 code units, as 8 hex digits. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(16).padStart(8, '0')
}

/**
 * The storage key of a model's bindings: its name, version and the names of its expressions,
 * hashed — the same model loaded again finds its bindings; another model with the same title but
 * other expressions does not inherit names it lacks.
 */
export function expressionBindingsKey(modelName: string, version: string, list: readonly string[]): string {
  return `lingjing.expressionBindings.${fnv1a(`${modelName}\u0000${version}\u0000${list.join('\u0000')}`)}`
}

/**
 * Reads a model's stored bindings; anything missing, malformed or naming an expression the model
 * does not have falls back to the default for that slot (storage is user-editable).
 */
export function loadExpressionBindings(store: Pick<Storage, 'getItem'>, key: string, list: readonly string[]): ExpressionBindings {
  const fallback = defaultExpressionBindings(list)
  let raw: unknown
  try {
    raw = JSON.parse(store.getItem(key) ?? 'null')
  } catch {
    return fallback
  }
  if (!raw || typeof raw !== 'object') return fallback
  const valid = (v: unknown): v is string | null => v === null || (typeof v === 'string' && list.includes(v))
  const stored = raw as { keys?: unknown; buttons?: unknown }
  if (Array.isArray(stored.keys)) {
    for (let i = 0; i < EXPRESSION_HOTKEYS; i++) if (i < stored.keys.length && valid(stored.keys[i])) fallback.keys[i] = stored.keys[i] as string | null
  }
  if (stored.buttons && typeof stored.buttons === 'object') {
    const b = stored.buttons as Record<string, unknown>
    for (const name of EXPRESSION_BUTTONS) if (name in b && valid(b[name])) fallback.buttons[name] = b[name] as string | null
  }
  return fallback
}

/** Stores a model's bindings; a full or refused storage only loses the memory, never the binding. */
export function saveExpressionBindings(store: Pick<Storage, 'setItem'>, key: string, bindings: ExpressionBindings): void {
  try {
    store.setItem(key, JSON.stringify(bindings))
  } catch {
    // Private mode or quota: the binding holds for this visit.
  }
}

const PRESET_LABEL: Record<string, Bilingual> = {
  happy: { zh: '开心', en: 'Happy' },
  angry: { zh: '生气', en: 'Angry' },
  sad: { zh: '难过', en: 'Sad' },
  relaxed: { zh: '放松', en: 'Relaxed' },
  surprised: { zh: '惊讶', en: 'Surprised' },
  neutral: { zh: '平静', en: 'Neutral' },
}

/**
 * What to show for an expression: the presets in both languages; a custom one by the model's
 * own name (cleaned like an avatar name: it is the author's text, shown on screen and in-world).
 */
export function expressionLabel(name: string): Bilingual {
  const preset = PRESET_LABEL[name]
  if (preset) return preset
  const clean = cleanAvatarName(name) || '?'
  return { zh: clean, en: clean }
}
