/**
 * Test avatars for the host's expressions (issue 17), derived from the default host the way a
 * VRM author would re-export it (sibling of make-default-avatar.mjs, same GLB tools as
 * make-hostile-corpus.ts):
 *
 * - VRM 1.0 (`createExpressionTestAvatar(defaultHost)`): override rules that differ from the
 *   default host's — `happy` *blocks* the mouth, `surprised` only *blends* the blink, `sad`
 *   blocks the look-at — so a test can tell the model's rules from any built-in table; and custom
 *   expressions in `expressions.custom` (a wink that blocks the blink, a smug face that blends the
 *   mouth, a binary "惊呆" with a non-ASCII name).
 * - VRM 0.x (`createExpressionTestAvatarVrm0(hostVrm0)`, from `make-default-avatar.mjs --vrm0`):
 *   the same custom faces as blend shape groups with preset `unknown` (0.x has no override rules).
 *
 * The morph targets are the default host's (aa ih ou ee oh blink blinkLeft blinkRight happy angry
 * sad relaxed surprised, in that order), so the faces really move. Deterministic, no fixtures.
 */
import { packGlb, unpackGlb } from './make-hostile-corpus'

/** Morph target index of each of the default host's face morphs. */
const MORPH = { aa: 0, blink: 5, blinkLeft: 6, happy: 8, angry: 9, surprised: 12 } as const

/** Override rules the 1.0 test avatar declares on its presets (all others: none). */
export const TEST_OVERRIDES = {
  happy: { overrideMouth: 'block', overrideBlink: 'none', overrideLookAt: 'none' },
  surprised: { overrideMouth: 'none', overrideBlink: 'blend', overrideLookAt: 'none' },
  sad: { overrideMouth: 'none', overrideBlink: 'none', overrideLookAt: 'block' },
} as const

/** The custom expressions of the test avatars: name → morph binds (weight 0..1) and rules. */
export const TEST_CUSTOM_EXPRESSIONS = {
  wink: { binds: [[MORPH.blinkLeft, 1], [MORPH.happy, 0.4]], isBinary: false, overrideBlink: 'block', overrideMouth: 'none' },
  smug: { binds: [[MORPH.happy, 0.5], [MORPH.angry, 0.3]], isBinary: false, overrideBlink: 'none', overrideMouth: 'blend' },
  惊呆: { binds: [[MORPH.surprised, 1], [MORPH.aa, 0.6]], isBinary: true, overrideBlink: 'none', overrideMouth: 'none' },
} as const

/** The face morph index of the default host's `aa` and `blink` (what the tests read back). */
export const TEST_MORPH = MORPH

/** VRM 1.0 test avatar: the default host with {@link TEST_OVERRIDES} and {@link TEST_CUSTOM_EXPRESSIONS}. */
export function createExpressionTestAvatar(defaultHost: Uint8Array): Uint8Array {
  const { json, bin } = unpackGlb(defaultHost)
  const vrm = json.extensions.VRMC_vrm
  vrm.meta.name = 'Lingjing Expression Test 表情测试'
  const preset = vrm.expressions.preset as Record<string, Record<string, unknown>>
  for (const [name, rules] of Object.entries(TEST_OVERRIDES)) Object.assign(preset[name], rules)
  const faceNode = (preset.aa.morphTargetBinds as { node: number }[])[0].node
  const custom: Record<string, unknown> = {}
  for (const [name, e] of Object.entries(TEST_CUSTOM_EXPRESSIONS)) {
    custom[name] = {
      morphTargetBinds: e.binds.map(([index, weight]) => ({ node: faceNode, index, weight })),
      isBinary: e.isBinary,
      overrideBlink: e.overrideBlink,
      overrideLookAt: 'none',
      overrideMouth: e.overrideMouth,
    }
  }
  vrm.expressions.custom = custom
  return packGlb(JSON.stringify(json), bin)
}

/** VRM 0.x test avatar: the 0.x host with {@link TEST_CUSTOM_EXPRESSIONS} as `unknown` blend shape groups. */
export function createExpressionTestAvatarVrm0(hostVrm0: Uint8Array): Uint8Array {
  const { json, bin } = unpackGlb(hostVrm0)
  const vrm = json.extensions.VRM
  vrm.meta.title = 'Lingjing Expression Test 0.x 表情测试'
  const groups = vrm.blendShapeMaster.blendShapeGroups as { name: string; presetName: string; binds: { mesh: number }[] }[]
  const mesh = groups[0].binds[0].mesh
  for (const [name, e] of Object.entries(TEST_CUSTOM_EXPRESSIONS)) {
    groups.push({
      name,
      presetName: 'unknown',
      binds: e.binds.map(([index, weight]) => ({ mesh, index, weight: weight * 100 })),
      materialValues: [],
      isBinary: e.isBinary,
    } as (typeof groups)[number])
  }
  return packGlb(JSON.stringify(json), bin)
}
