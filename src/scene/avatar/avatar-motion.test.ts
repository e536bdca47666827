import type { VRM } from '@pixiv/three-vrm'
import type { VRMAnimation } from '@pixiv/three-vrm-animation'
import { readFileSync } from 'node:fs'
import { Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { EMOTE_NAMES } from '../../core/avatar'
import { createInputSnapshot } from '../../core/input/input-snapshot'
import { parseUserVrma, SHIPPED_ANIMATIONS } from './avatar-motion'
import { createAvatarRig, fillRigFromSnapshot, fillRigIdle, playRigEmote, rigHandPositions, updateRigBody, type AvatarRig } from './avatar-rig'
import { createTestStage, loadDefaultHost } from './test-stage'

const DT = 1 / 72
const ab = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer

async function shippedAnimations(): Promise<Map<string, VRMAnimation>> {
  const map = new Map<string, VRMAnimation>()
  for (const name of SHIPPED_ANIMATIONS) {
    const result = await parseUserVrma(ab(readFileSync(`assets/animations/${name}.vrma`)), `${name}.vrma`)
    if (!result.ok) throw new Error(result.message.en)
    map.set(name, result.animation)
  }
  return map
}

async function stageRig(): Promise<{ rig: AvatarRig; vrm: VRM }> {
  const vrm = await loadDefaultHost()
  const { world, space } = createTestStage(vrm)
  world.updateMatrixWorld(true)
  return { vrm, rig: createAvatarRig(vrm, space, null, 1, await shippedAnimations()) }
}

const v = (a: number[]) => new Vector3(a[0], a[1], a[2])

describe('idle and emotes under the IK (issue 17)', () => {
  it('an emote plays and returns to the idle while both hand bones stay within 1 cm of the controllers', async () => {
    const { rig } = await stageRig()
    expect([...rig.motion!.emotes.keys()]).toEqual([...EMOTE_NAMES])
    const s = createInputSnapshot()
    s.head.position.set([0, 1.6, 0])
    s.head.orientation.set([0, 0, 0, 1])
    const grips = [
      [-0.3, 1.2, -0.3],
      [0.3, 1.25, -0.32],
    ]
    s.sources.forEach((src, i) => {
      src.connected = true
      src.kind = 'controller'
      src.hasGamepad = true
      src.grip.position.set(grips[i])
      src.grip.orientation.set([0, 0, 0, 1])
    })
    const frame = () => {
      fillRigFromSnapshot(rig, s, DT)
      updateRigBody(rig, DT)
    }
    for (let i = 0; i < 60; i++) frame()
    const worst = { left: 0, right: 0 }
    const measure = () => {
      const hands = rigHandPositions(rig)
      // The wrist target the IK aims the hand bone at for each controller (grip → wrist offset).
      worst.left = Math.max(worst.left, v(hands.left).distanceTo(rig.driver.input.left.position))
      worst.right = Math.max(worst.right, v(hands.right).distanceTo(rig.driver.input.right.position))
    }
    for (const name of EMOTE_NAMES) {
      expect(playRigEmote(rig, name)).toBe(true)
      let peak = 0
      for (let t = 0; t < 3.5; t += DT) {
        frame()
        measure()
        peak = Math.max(peak, rig.motion!.player.weight)
      }
      expect(peak, name).toBe(1)
      // Back to the idle: nothing playing, the idle at full weight.
      expect(rig.motion!.player.active, name).toBeNull()
      expect(rig.motion!.current).toBeNull()
      expect(rig.motion!.idle!.getEffectiveWeight()).toBe(1)
    }
    expect(worst.left).toBeLessThan(0.01)
    expect(worst.right).toBeLessThan(0.01)
    expect(playRigEmote(rig, 'no-such-emote')).toBe(false)
  })

  it('on a flat screen (nothing tracked) the emote drives the arms: the wave raises the right hand above the shoulder, then it comes down', async () => {
    const { rig, vrm } = await stageRig()
    let time = 0
    const frame = () => {
      time += DT
      fillRigIdle(rig, time)
      updateRigBody(rig, DT)
    }
    const shoulderY = () => {
      vrm.scene.updateMatrixWorld(true)
      return vrm.humanoid.getNormalizedBoneNode('rightUpperArm')!.getWorldPosition(new Vector3()).y
    }
    const handY = () => {
      vrm.scene.updateMatrixWorld(true)
      return vrm.humanoid.getNormalizedBoneNode('rightHand')!.getWorldPosition(new Vector3()).y
    }
    for (let i = 0; i < 30; i++) frame()
    expect(handY()).toBeLessThan(shoulderY() - 0.3) // idle: arms down
    playRigEmote(rig, 'wave')
    for (let t = 0; t < 1.2; t += DT) frame()
    expect(handY()).toBeGreaterThan(shoulderY() + 0.15)
    for (let t = 0; t < 1.6; t += DT) frame()
    expect(rig.motion!.player.active).toBeNull()
    expect(handY()).toBeLessThan(shoulderY() - 0.3)
  })

  it('a user .vrma loads under its file name after validation; an avatar given as an animation is refused clearly', async () => {
    const ok = await parseUserVrma(ab(readFileSync('assets/animations/clap.vrma')), 'My Clap.vrma')
    expect(ok).toMatchObject({ ok: true, name: 'My Clap' })
    const bad = await parseUserVrma(ab(readFileSync('assets/avatars/lingjing-host.vrm')), 'host.vrma')
    expect(bad.ok).toBe(false)
    if (!bad.ok) {
      expect(bad.code).toBe('not-vrma')
      expect(bad.message.en).toContain('not a VRM Animation')
    }
  })
})
