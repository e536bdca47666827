/* eslint-disable @typescript-eslint/no-explicit-any -- glTF JSON edited in arbitrary shapes */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { packGlb, unpackGlb } from '../../tools/make-hostile-corpus'
import { EMOTE_NAMES } from './emotes'
import { validateVrmaFile } from './vrma-validation'

const ab = (b: Uint8Array) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer
const file = (name: string) => new Uint8Array(readFileSync(`assets/animations/${name}.vrma`))

/** A shipped emote with its JSON edited. */
function edited(edit: (json: Record<string, any>) => void): ArrayBuffer {
  const { json, bin } = unpackGlb(file('wave'))
  edit(json)
  return ab(packGlb(JSON.stringify(json), bin))
}

describe('VRM Animation validation', () => {
  it('passes the shipped idle and emotes with their names and lengths', () => {
    for (const name of ['idle', ...EMOTE_NAMES]) {
      const v = validateVrmaFile(ab(file(name)))
      expect(v.error, name).toBeUndefined()
      expect(v.name).toBe(name)
      expect(v.duration).toBeGreaterThan(1.5)
      expect(v.duration).toBeLessThanOrEqual(4)
    }
  })

  it('refuses an avatar, a non-GLB, an oversize file, and says why in both languages', () => {
    const avatar = validateVrmaFile(ab(new Uint8Array(readFileSync('assets/avatars/lingjing-host.vrm'))))
    expect(avatar.error?.code).toBe('not-vrma')
    expect(avatar.error?.message.en).toContain('VRM avatar, not a VRM Animation')
    expect(avatar.error?.message.zh).toContain('VRM 动作')
    expect(validateVrmaFile(ab(new TextEncoder().encode('hello, not a model'))).error?.code).toBe('not-glb')
    expect(validateVrmaFile(ab(file('wave')), 1000).error?.code).toBe('too-large')
  })

  it('refuses what an animation needs but lacks, and the avatar structure checks apply', () => {
    expect(validateVrmaFile(edited((j) => delete j.extensions.VRMC_vrm_animation.humanoid)).error?.code).toBe('vrma-no-humanoid')
    expect(validateVrmaFile(edited((j) => (j.animations = []))).error?.code).toBe('vrma-no-animation')
    expect(validateVrmaFile(edited((j) => (j.accessors[0].max = [600]))).error?.code).toBe('vrma-too-long')
    expect(validateVrmaFile(edited((j) => delete j.accessors[0].max)).error?.code).toBe('invalid-gltf')
    expect(validateVrmaFile(edited((j) => (j.buffers[0].uri = 'https://tracker.invalid/x.bin'))).error?.code).toBe('external-uri')
    expect(validateVrmaFile(edited((j) => (j.nodes[1].children = [0]))).error?.code).toMatch(/node-/)
  })
})
