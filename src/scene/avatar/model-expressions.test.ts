import type { VRM } from '@pixiv/three-vrm'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Mesh } from 'three'
import { Group } from 'three'
import { describe, expect, it } from 'vitest'
import { createExpressionTestAvatar, createExpressionTestAvatarVrm0, TEST_MORPH } from '../../tools/make-expression-avatar'
import { createAvatarRig, rigExpressionWeights, setRigExpression, updateRigFace, type AvatarRig } from './avatar-rig'
import { parseUserVrm } from './load-vrm'

const DEFAULT_HOST = new Uint8Array(readFileSync('assets/avatars/lingjing-host.vrm'))

function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}

/** Loads through the app's own path: validation, then three-vrm. */
async function load(bytes: Uint8Array, name: string): Promise<VRM> {
  const result = await parseUserVrm(arrayBuffer(bytes), 'file', name)
  if (!result.ok) throw new Error(result.message.en)
  return result.avatar.vrm
}

async function rigOf(bytes: Uint8Array, name: string): Promise<AvatarRig> {
  const vrm = await load(bytes, name)
  const space = new Group()
  space.add(vrm.scene)
  return createAvatarRig(vrm, space, null)
}

/** The morph weight the GPU will use for one of the face's targets (after the expression manager). */
function morph(vrm: VRM, index: number): number {
  let value = -1
  vrm.scene.getObjectByName('Face')!.traverse((o) => {
    const influences = (o as Mesh).morphTargetInfluences
    if (influences && value < 0) value = influences[index]
  })
  return value
}

/** One face frame with the mic's `aa` held open (dt 0: the mic decay and blend hold still). */
function faceWithMouthOpen(rig: AvatarRig, aa: number): void {
  rig.visemes.weights.aa = aa
  updateRigFace(rig, 0, null, 48000, 1024)
}

/** The default host as VRM 0.x, written by the repo's generator. */
function hostVrm0(): Uint8Array {
  const out = join(mkdtempSync(join(tmpdir(), 'lingjing-avatar-')), 'host-vrm0.vrm')
  execFileSync(process.execPath, ['src/tools/make-default-avatar.mjs', '--vrm0', out], { stdio: 'ignore' })
  return new Uint8Array(readFileSync(out))
}

describe('expression override rules come from the model (issue 17)', () => {
  it('a model that blocks the mouth on happy gets a shut mouth at any happy weight, not the old table\'s blend', async () => {
    const rig = await rigOf(createExpressionTestAvatar(DEFAULT_HOST), 'overrides.vrm')
    setRigExpression(rig, 'happy', 0.3)
    rig.blender.snap()
    faceWithMouthOpen(rig, 1)
    expect(rig.vrm.expressionManager!.getValue('happy')).toBeCloseTo(0.3, 6)
    // 'block': any weight above zero shuts the visemes; a built-in 'blend' would have left 0.7.
    expect(morph(rig.vrm, TEST_MORPH.aa)).toBe(0)
    expect(morph(rig.vrm, TEST_MORPH.happy)).toBeCloseTo(0.3, 6)
  })

  it('a model that only blends the blink on surprised gets a half blink at half surprise, not the old table\'s block', async () => {
    const rig = await rigOf(createExpressionTestAvatar(DEFAULT_HOST), 'overrides.vrm')
    setRigExpression(rig, 'surprised', 0.5)
    rig.blender.snap()
    rig.blink.weight = 1 // eyes shut mid-blink (dt 0 holds it)
    faceWithMouthOpen(rig, 0)
    expect(morph(rig.vrm, TEST_MORPH.blink)).toBeCloseTo(0.5, 6)
    // The model does not let surprise block the blink, so the blinker does not pause for it.
    expect(rig.blender.params.eyesHeldBy).toEqual(['wink'])
  })

  it('the default host declares its own rules (happy blends the mouth, surprised blocks the blink), applied once', async () => {
    const rig = await rigOf(DEFAULT_HOST, 'host.vrm')
    setRigExpression(rig, 'happy', 0.5)
    rig.blender.snap()
    faceWithMouthOpen(rig, 0.8)
    // Applied once (0.8 × (1 − 0.5)); the old table on top of the model's rules gave 0.8 × 0.5 × 0.5.
    expect(morph(rig.vrm, TEST_MORPH.aa)).toBeCloseTo(0.4, 6)
    const manager = rig.vrm.expressionManager!
    manager.setValue('happy', 0)
    manager.setValue('surprised', 0.2)
    manager.setValue('blink', 1)
    rig.vrm.update(0)
    expect(morph(rig.vrm, TEST_MORPH.blink)).toBe(0)
    // And the blinker pauses behind the block the model declares.
    expect(rig.blender.params.eyesHeldBy).toEqual(['surprised'])
  })

  it('the rules survive the 0.x path untouched: 0.x declares none, so visemes pass at full weight', async () => {
    const rig = await rigOf(hostVrm0(), 'host-vrm0.vrm')
    setRigExpression(rig, 'happy', 1)
    rig.blender.snap()
    faceWithMouthOpen(rig, 0.8)
    expect(morph(rig.vrm, TEST_MORPH.aa)).toBeCloseTo(0.8, 6)
    expect(rig.blender.params.eyesHeldBy).toEqual([])
  })
})

describe('every expression of the loaded model (issue 17)', () => {
  it('VRM 1.0: lists the presets and expressions.custom, and drives a custom one onto the face', async () => {
    const rig = await rigOf(createExpressionTestAvatar(DEFAULT_HOST), 'custom.vrm')
    expect(rig.expressions).toEqual(['happy', 'angry', 'sad', 'relaxed', 'surprised', 'neutral', 'wink', 'smug', '惊呆'])
    setRigExpression(rig, 'wink')
    for (let i = 0; i < 30; i++) updateRigFace(rig, 1 / 72, null, 48000, 1024)
    expect(rigExpressionWeights(rig).find((e) => e.name === 'wink')?.weight).toBe(1)
    expect(rig.vrm.expressionManager!.getValue('wink')).toBeCloseTo(1, 6)
    // The wink's own binds reach the morph targets: the left lid shut, a little smile.
    expect(morph(rig.vrm, TEST_MORPH.blinkLeft)).toBeCloseTo(1, 6)
    expect(morph(rig.vrm, TEST_MORPH.happy)).toBeCloseTo(0.4, 6)
    // And its own rule: a wink blocks the automatic blink.
    rig.blink.weight = 1
    updateRigFace(rig, 0, null, 48000, 1024)
    expect(morph(rig.vrm, TEST_MORPH.blink)).toBe(0)
  })

  it('VRM 0.x: lists custom blend shape groups (and the 0.x host\'s own custom "surprised") and drives them', async () => {
    const rig = await rigOf(createExpressionTestAvatarVrm0(hostVrm0()), 'custom-vrm0.vrm')
    expect(rig.expressions).toEqual(['happy', 'angry', 'sad', 'relaxed', 'surprised', 'neutral', 'wink', 'smug', '惊呆'])
    setRigExpression(rig, 'smug')
    for (let i = 0; i < 30; i++) updateRigFace(rig, 1 / 72, null, 48000, 1024)
    expect(morph(rig.vrm, TEST_MORPH.happy)).toBeCloseTo(0.5, 6)
    expect(morph(rig.vrm, TEST_MORPH.angry)).toBeCloseTo(0.3, 6)
    expect(rigExpressionWeights(rig).find((e) => e.name === 'neutral')?.weight).toBe(0)
  })
})
